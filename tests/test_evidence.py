"""Evidence at the reader's fingertips (issue 27): translated quotes, previews' data, links to the
passage in the original (text fragments), and source texts that cannot change unseen."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path
from urllib.parse import unquote

import pypdf
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from test_facts import write

from generator.core import model as m
from generator.core.fragments import directive_value, passage_words, text_fragment_url
from generator.exchange.diff import describe, diff
from generator.exchange.export import export, export_json
from generator.pdf.briefing import dossier_pdf
from generator.pipeline.stages import prepare, preview_files, site_pages
from generator.render.previews import first_sentence

from conftest import run_dossier

TEXT = ("Samedi, Amy a rencontré Ben, en secret, à La Valette. Ils ont parlé deux jours.\n\n"
        "Le porte-parole a dit : « rien de neuf ». Ben a nié toute rencontre.\n")
EN = {
    "dossier.yaml": ("title: Talks in Valletta\nas_of: 2023-09-20\nlanguage: en\n"
                     "summary: \"[[amy]] met [[ben]].\"\nkey_judgments:\n"
                     "  - text: \"[[amy]] met [[ben]] in Valletta.\"\n    confidence: high\n    cite:\n"
                     "      - depeche: \"Amy a rencontré Ben […] à La Valette\"\n"
                     "        translation: \"Amy met Ben […] in Valletta\"\n"
                     "      - wire: \"Amy met Ben in Valletta\"\n        credibility: 2\n"),
    "sources/depeche.yaml": ("title: Une dépêche de l'agence\noutlet: Agence d'essai\npublished: 2023-09-18\n"
                             "language: fr\nurl: https://example.org/depeche\nretrieved: 2023-09-19\n"
                             "archived: https://web.archive.org/web/2023/https://example.org/depeche\nreliability: B\n"),
    "sources/depeche.txt": TEXT,
    "sources/wire.yaml": "title: A wire\npublished: 2023-09-18\nlanguage: en\n",
    "sources/wire.txt": "On Saturday, Amy met Ben in Valletta. They talked for two days.\n",
    "actors/amy.yaml": "name: Amy\nkind: person\nsummary: An envoy of Malta. She travels a lot.\n",
    "actors/ben.yaml": ("name: Ben\nkind: person\nclaims:\n  - text: \"[[ben]] denied meeting [[amy]].\"\n"
                        "    cite:\n      - depeche: \"Ben a nié toute rencontre\"\n"
                        "        translation: \"Ben denied any meeting\"\n"),
    "meetings/valletta.yaml": "title: Valletta talks\ndate: 2023-09-16/2023-09-17\nplace: Valletta\nparticipants: [amy, ben]\n"
                              "summary: Two days of talks. Nothing was said.\n",
    "questions/next.yaml": ("question: Will they meet again?\nstatus: open\nhypotheses:\n"
                            "  - text: They meet in October.\n    likelihood: unlikely\n    cite:\n"
                            "      - wire: \"They talked for two days\"\n"
                            "  - text: They meet again this year.\n    likelihood: likely\n    cite:\n"
                            "      - wire: \"Amy met Ben\"\n"),
}


def lines_of(folder: Path) -> list[str]:
    _, report = prepare(folder, folder.name)
    return report.lines()


def linked_of(folder: Path):
    (linked,), report = prepare(folder, folder.name)
    assert report.lines() == []
    return linked


# -- translations ----------------------------------------------------------------------

def test_a_translated_quote_of_a_french_source_is_on_the_site_in_the_pdf_and_in_the_export(tmp_path):
    linked = linked_of(write(tmp_path / "d", EN))
    pages = {page.src_uri: page.markdown for page in site_pages([linked], pdf=False)}
    home = pages["d/index.md"]
    item = re.search(r'<li id="cite-1" class="dossier-citation">.*?</li>', home).group(0)
    assert '<span class="dossier-quote" lang="fr">“Amy a rencontré Ben […] à La Valette”</span>' in item
    assert ('<span class="dossier-translation"><span class="dossier-translation-label">Analyst’s translation: </span>'
            '“Amy met Ben […] in Valletta”</span>') in item
    assert "Une dépêche de l’agence (B — usually reliable)" in item and "Agence d’essai" in item
    assert "18 September 2023" in item
    # the source's page lists the passage with its translation too
    assert "Analyst’s translation: </span>“Ben denied any meeting”" in pages["d/sources/depeche.md"]

    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(dossier_pdf(linked))).pages)
    flat = re.sub(r"[\s\u00a0\u202f]+", " ", re.sub(r"-\n", "-", text))
    assert "Amy a rencontré Ben […] à La Valette" in flat
    assert "(Analyst’s translation: “Amy met Ben […] in Valletta”)" in flat
    assert "Retrieved 19 September 2023" in flat and "https://example.org/depeche" in flat

    data = json.loads(export_json(linked))
    cited = data["key_judgments"][0]["citations"][0]
    assert (cited["quote"], cited["translation"]) == ("Amy a rencontré Ben […] à La Valette", "Amy met Ben […] in Valletta")
    assert data["key_judgments"][0]["citations"][1]["translation"] is None
    source = next(s for s in data["sources"] if s["id"] == "depeche")
    assert source["retrieved"]["iso"] == "2023-09-19" and source["archived"].startswith("https://web.archive.org/")


def test_a_quote_in_another_language_without_translation_is_a_located_warning(tmp_path):
    folder = write(tmp_path / "d", {**EN, "actors/ben.yaml": EN["actors/ben.yaml"].replace(
        '        translation: "Ben denied any meeting"\n', "")})
    assert lines_of(folder) == [
        "d/actors/ben.yaml:6:9: warning: the quote is in `fr` and the dossier in `en`: add your translation "
        "beside it (`translation: \"…\"`, aligned with `depeche`)"]
    empty = write(folder, {"actors/ben.yaml": EN["actors/ben.yaml"].replace('"Ben denied any meeting"', '""')})
    assert len(lines_of(empty)) == 1, "an empty translation is no translation"
    french = write(tmp_path / "fr", {**EN, "dossier.yaml": EN["dossier.yaml"].replace("language: en", "language: fr")})
    warned = lines_of(french)
    assert len(warned) == 3 and all("is in `en` and the dossier in `fr`" in line and "`wire`" in line for line in warned), \
        "in a French dossier, the English quotes want a translation and the French ones none"


def test_translation_is_a_reserved_key_beside_the_pair():
    cited = m.Citation.model_validate({"src": "mots", "translation": "words"})
    assert (cited.source, cited.quote, cited.translation) == ("src", "mots", "words")
    assert m.Citation.model_validate({"src": "mots"}).translation is None
    with pytest.raises(ValueError, match=r"found 2 keys beside `translation`"):
        m.Citation.model_validate({"a": "x", "b": "y", "translation": "z"})


def test_diff_reports_a_revised_translation(tmp_path):
    old = export(linked_of(write(tmp_path / "old", EN)))
    revised = EN["actors/ben.yaml"].replace("Ben denied any meeting", "Ben denied meeting anyone")
    new = export(linked_of(write(tmp_path / "new", {**EN, "actors/ben.yaml": revised})))
    changes = diff(old, new)
    assert [(c.id, c.field) for c in changes] == [("ben", "citations")]
    assert "translation: «Ben denied meeting anyone»" in describe(changes[0])


def test_quote_prints_the_mapping_form_for_a_source_in_another_language(tmp_path):
    folder = write(tmp_path / "d", EN)
    shown = run_dossier("quote", str(folder), "depeche", "ben a nie toute")
    assert shown.returncode == 0 and shown.stdout == '- depeche: "Ben a nié toute"\n  translation: ""\n'
    filled = run_dossier("quote", str(folder), "depeche", "ben a nie toute", "--translation", "Ben denied any")
    assert filled.stdout == '- depeche: "Ben a nié toute"\n  translation: "Ben denied any"\n'
    assert run_dossier("quote", str(folder), "wire", "they talked").stdout == '- wire: "They talked"\n'


# -- previews' data ----------------------------------------------------------------------

def test_previews_hold_what_each_kind_of_entity_shows(tmp_path):
    linked = linked_of(write(tmp_path / "d", EN))
    files = preview_files([linked])
    assert b"document$" in files["assets/dossier/dossier-preview.js"]
    assert json.loads(files["assets/dossier/previews.json"]) == {"dossiers": ["d"]}, "no request for other folders"
    entities = json.loads(files["d/previews.json"])["entities"]
    assert entities["d/actors/amy/"] == {"kind": "Actor", "name": "Amy", "lines": ["Person"], "text": "An envoy of Malta."}
    assert entities["d/meetings/valletta/"]["lines"] == ["16–17 September 2023 · Valletta", "Status: Held"]
    assert entities["d/questions/next/"]["lines"] == [
        "Status: Open", "Leading hypothesis: They meet again this year. — likely (55–80%)"]
    assert entities["d/sources/depeche/"]["lines"] == ["Agence d’essai · 18 September 2023", "Reliability: B — usually reliable"]
    assert preview_files([linked]) == files, "the same bytes on every build"
    flat = preview_files([linked], directory_urls=False)
    assert "d/actors/amy.html" in json.loads(flat["d/previews.json"])["entities"]


def test_first_sentence():
    assert first_sentence("Dr. No met M. Wang and U.S. officials. Then he left.") == "Dr. No met M. Wang and U.S. officials."
    assert first_sentence("Ends with « Mais non ». Puis la suite.") == "Ends with « Mais non »."
    long = "word " * 100
    assert first_sentence(long).endswith("word…") and len(first_sentence(long)) <= 281


# -- text fragments ----------------------------------------------------------------------

def decoded(url: str) -> list[str]:
    """The words of each ``text=`` directive of *url*'s fragment, decoded (the WICG syntax)."""
    directives = url.split("#", 1)[1].split(":~:", 1)[1].split("&")
    words = []
    for directive in directives:
        assert directive.startswith("text=")
        words.extend(unquote(part) for part in directive[len("text="):].split(","))
    return words


@given(st.lists(st.text(min_size=1).filter(lambda s: s.strip() == s and s), min_size=1, max_size=4))
def test_a_text_fragment_decodes_back_to_its_parts(parts):
    url = text_fragment_url("https://example.org/a", parts)
    assert url.startswith("https://example.org/a#:~:text=")
    assert decoded(url) == parts
    directives = url.split(":~:", 1)[1]
    assert re.fullmatch(r"text=[A-Za-z0-9._~%]+(&text=[A-Za-z0-9._~%]+)*", directives), directives


def test_the_directive_syntax_characters_are_encoded():
    assert directive_value("a-b&c,d é") == "a%2Db%26c%2Cd%20%C3%A9"
    assert text_fragment_url("https://e.org/p#top", ["x"]) == "https://e.org/p#top:~:text=x"
    assert text_fragment_url("https://e.org/p", []) == "https://e.org/p"


def test_citations_link_to_the_passage_in_the_original(tmp_path):
    linked = linked_of(write(tmp_path / "d", EN))
    home = {page.src_uri: page.markdown for page in site_pages([linked], pdf=False)}["d/index.md"]
    link = re.search(r'<a href="([^"]+)" rel="external noopener noreferrer" class="dossier-original">'
                     r'the passage in the original<span aria-hidden="true"> ↗</span>'
                     r'<span class="dossier-sr"> \(external site\)</span></a>', home)
    assert link, home
    url = link.group(1).replace("&amp;", "&")
    assert url.startswith("https://example.org/depeche#:~:text=")
    passage = linked.passage(linked.dossier.meta.key_judgments[0].cite[0])
    assert decoded(url) == ["Amy a rencontré Ben", "à La Valette"] == passage_words(TEXT, passage.spans)
    assert "dossier-original" not in re.search(r'<li id="cite-2".*?</li>', home).group(0), "a source without url"


# -- sources that cannot change unseen ---------------------------------------------------

def test_a_changed_source_text_is_reported_where_its_digest_is_and_can_be_accepted(tmp_path):
    assert run_dossier("new", "d", "--language", "en", cwd=tmp_path).returncode == 0
    meta = tmp_path / "d" / "dossier.yaml"  # the summary written, so that only the source's lines are reported
    meta.write_text(meta.read_text(encoding="utf-8").replace("To write: the bottom line in a few sentences.",
                                                             "Amy met Ben."), encoding="utf-8")
    saved = tmp_path / "saved.txt"
    saved.write_bytes(b"Amy met Ben in Valletta on Saturday.\r\n\r\n\r\n")  # written with one \\n
    assert run_dossier("add", "source", "d", "wire", "--from", str(saved), cwd=tmp_path).returncode == 0
    yaml_file = tmp_path / "d" / "sources" / "wire.yaml"
    text_file = yaml_file.with_suffix(".txt")
    recorded = hashlib.sha256(text_file.read_bytes()).hexdigest()
    assert f"text_sha256: {recorded}\n" in yaml_file.read_text(encoding="utf-8")
    assert f"file_sha256: {hashlib.sha256(saved.read_bytes()).hexdigest()}\n" in yaml_file.read_text(encoding="utf-8")
    # the text has no date: the author writes it where the import left the placeholder
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace("YYYY-MM-DD", "2023-09-18"), encoding="utf-8")
    assert run_dossier("check", "d", cwd=tmp_path).returncode == 0

    text_file.write_bytes(text_file.read_bytes().replace(b"\n", b"\r\n"))  # saved again on Windows: the same text
    assert run_dossier("check", "d", cwd=tmp_path).returncode == 0
    text_file.write_text("Amy met Ben in Malta on Saturday.\n", encoding="utf-8")
    now = hashlib.sha256(text_file.read_bytes()).hexdigest()
    checked = run_dossier("check", "d", cwd=tmp_path)
    line = next(number for number, text in enumerate(yaml_file.read_text().splitlines(), 1) if text.startswith("text_sha256"))
    assert checked.returncode == 1
    assert checked.stderr.splitlines()[0] == (
        f"d/sources/wire.yaml:{line}:14: error: the text `sources/wire.txt` has changed since its SHA-256 was recorded "
        f"({recorded[:12]}…, now {now[:12]}…): its quotes were checked against another text; if the change is on "
        "purpose, accept it with `dossier add source --rehash d wire`")

    before = yaml_file.read_text(encoding="utf-8")
    accepted = run_dossier("add", "source", "--rehash", "d", "wire", cwd=tmp_path)
    assert accepted.returncode == 0 and now in accepted.stderr
    assert yaml_file.read_text(encoding="utf-8") == before.replace(recorded, now), "only the digest changes"
    assert run_dossier("check", "d", cwd=tmp_path).returncode == 0

    linked = linked_of(tmp_path / "d")
    page = {p.src_uri: p.markdown for p in site_pages([linked], pdf=False)}["d/sources/wire.md"]
    assert f'<dt>SHA-256 of the text</dt><dd><code class="dossier-digest">{now}</code></dd>' in page
    assert json.loads(export_json(linked))["sources"][0]["text_sha256"] == now


def test_rehash_refuses_what_is_not_a_source(tmp_path):
    assert run_dossier("new", "d", cwd=tmp_path).returncode == 0
    missing = run_dossier("add", "source", "--rehash", "d", "nothing", cwd=tmp_path)
    assert missing.returncode == 1 and "no such source" in missing.stderr
    assert run_dossier("add", "actor", "--rehash", "d", "amy", cwd=tmp_path).returncode == 2


# -- the guide's English example ---------------------------------------------------------

def test_the_english_example_translates_a_french_quote_and_checks_clean(tmp_path):
    from conftest import DOSSIER, ROOT

    guide = (ROOT / "docs" / "guide" / "example-en.md").read_text(encoding="utf-8")
    section = guide[guide.index("## 5. Quote a source in another language"):guide.index("## 6. Check")]
    console = re.search(r"```console\n\$ (.*?)\n(.*?)```", section, re.DOTALL)
    claim = yaml.safe_load(re.search(r"```yaml\n(.*?)```", section, re.DOTALL).group(1))[0]
    assert claim["cite"][0]["translation"]
    meeting = yaml.safe_load(re.search(r"```yaml\n(# meetings/malta-talks-2023-09.yaml\n.*?)```", guide, re.DOTALL).group(1))
    meeting["claims"].append(claim)

    assert run_dossier("new", "dossiers/malta-talks", "--language", "en", cwd=tmp_path).returncode == 0
    readout = Path(__file__).parent / "fixtures" / "import" / "malta-readout.html"
    assert run_dossier("add", "source", "dossiers/malta-talks", "readout", "--from", str(readout), cwd=tmp_path).returncode == 0
    folder = tmp_path / "dossiers" / "malta-talks"
    wire = folder / "sources" / "wang-malte-2023-09-18"
    wire.with_suffix(".txt").write_bytes((ROOT / "dossiers" / DOSSIER / "sources" / "wang-malte-2023-09-18.txt").read_bytes())
    write(folder, {"sources/wang-malte-2023-09-18.yaml": "title: A wire\npublished: 2023-09-18\nlanguage: fr\n"})
    for actor in ("jake-sullivan", "wang-yi"):
        write(folder, {f"actors/{actor}.yaml": f"name: {actor.replace('-', ' ').title()}\nkind: person\n"})
    write(folder, {"meetings/malta-talks-2023-09.yaml": yaml.safe_dump(meeting, allow_unicode=True, sort_keys=False)})
    meta = folder / "dossier.yaml"  # the summary written, as the walk-through's step 1 does
    meta.write_text(meta.read_text(encoding="utf-8").replace("To write: the bottom line in a few sentences.",
                                                             "Wang Yi met Jake Sullivan in Malta."), encoding="utf-8")
    assert lines_of(folder) == []

    command = console.group(1).split()
    assert command[:2] == ["dossier", "quote"]
    printed = run_dossier(*command[1:], cwd=tmp_path)
    assert printed.returncode == 0 and printed.stdout == console.group(2)
