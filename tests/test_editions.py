"""Editions: a dossier naming its previous edition opens, on the site and in the PDF, with what changed."""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pdf_sample
import pypdf
import pytest
from editions_helper import HOSTILE_NAME, write_dossier

from generator.exchange.edition_changes import since_previous

from conftest import run_dossier

CHANGES_FR = [  # as the site typesets them: Qu’est-il, no-break spaces (read as spaces)
    "Révisé Qu’est-il arrivé à Zhao Min ? — Statut : Ouverte → Résolue",
    "Nouveau Qu’est-il arrivé à Zhao Min ? — Réponse : « Zhao Min a été démis de ses fonctions. »",
    "Révisé Qu’est-il arrivé à Zhao Min ? — Hypothèse 1 « Zhao Min a été démis. » : "
    "à peu près aussi probable qu’improbable (45–55 %) → quasiment certain (95–99 %) ; éléments contraires : "
    "− « Le sort du ministre Zhao Min reste inconnu » (Dépêche) (raison du changement non indiquée)",
    f"Retiré {HOSTILE_NAME} — Acteur",
    "Nouveau Chen Yu — Acteur",
    "Retiré Li Wei — Fait : « Un accord commercial est signé. »",
    "Révisé Li Wei — Fait 1 « Li Wei rencontre son homologue à Genève. » : confiance modérée → élevée "
    "(Raison : Une seconde lecture de la dépêche date la rencontre.)",
]
LINKS = ["questions/sort-de-zhao-min/", "questions/sort-de-zhao-min/#answer",
         "questions/sort-de-zhao-min/#hypothesis-1",
         None, "actors/chen-yu/", "actors/li-wei/", "actors/li-wei/#claim-1"]


def freeze(old: Path, new: Path) -> None:
    """Export *old* into *new*'s editions/ folder and name it as *new*'s previous edition."""
    frozen = new / "editions" / "2023-03-11.json"
    result = run_dossier("export", str(old), "-o", str(frozen))
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("editions")
    old = write_dossier(root / "old" / "essai", 1)
    new = write_dossier(root / "dossiers" / "essai", 2, previous="editions/2023-03-11.json")
    freeze(old, new)
    site = root / "site"
    result = run_dossier("build", "--site-dir", str(site), "--dossiers", str(root / "dossiers"))
    assert result.returncode == 0, result.stderr
    return site


class _Changes(HTMLParser):
    """The heading and items of the changes section: each item's text and link."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.items, self.links, self.heading = 0, [], [], ""
        self._in_heading = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h2" and attrs.get("id", "").startswith("depuis"):
            self._in_heading = True
        if tag == "ul" and attrs.get("class") == "dossier-changes":
            self.depth = 1
        elif self.depth and tag == "li":
            self.items.append("")
            self.links.append(None)
        elif self.depth and tag == "a":
            self.links[-1] = attrs["href"]

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_heading = False
        if tag == "ul" and self.depth:
            self.depth = 0

    def handle_data(self, data):
        if self._in_heading and data != "¶":
            self.heading += data
        if self.depth and self.items:
            self.items[-1] += data


def test_home_page_opens_with_the_changes_each_linking_to_its_item(site):
    page = (site / "essai" / "index.html").read_text(encoding="utf-8")
    parser = _Changes()
    parser.feed(page)
    assert parser.heading == "Depuis l’édition du 11 mars 2023"
    assert [re.sub(r"\s+", " ", item).replace("\u202f", " ").replace("\u00a0", " ") for item in parser.items] == CHANGES_FR
    assert parser.links == LINKS
    assert page.index('id="depuis-ledition-du-11-mars-2023"') < page.index('id="lessentiel"')
    assert html.escape(HOSTILE_NAME, quote=False) in page or html.escape(HOSTILE_NAME) in page
    assert "<img src=x" not in page
    assert '<a href="essai.json" class="dossier-json">Données du dossier (JSON)</a>' in page


def test_the_site_publishes_the_export(site, tmp_path):
    published = (site / "essai" / "essai.json").read_bytes()
    exported = run_dossier("export", str(site.parent / "dossiers" / "essai")).stdout.encode("utf-8")
    assert published == exported
    assert b'"previous": "editions/2023-03-11.json"' in published


def test_the_pdf_opens_with_the_changes(site):
    reader = pypdf.PdfReader(str(site / "essai" / "essai.pdf"))
    pages = [re.sub(r"\s+", " ", page.extract_text()).replace("\u202f", " ").replace("\u00a0", " ") for page in reader.pages]
    body = [i for i, text in enumerate(pages) if "Sommaire" not in text]  # past the cover and the contents
    first = next(i for i in body if "Depuis l’édition du 11 mars 2023" in pages[i])
    summary = next(i for i in body if "L’essentiel" in pages[i])
    assert first < summary
    text = pages[first]
    for expected in ["Statut : Ouverte → Résolue", "Réponse : « Zhao Min a été démis de ses fonctions. »",
                     "Nouveau Chen Yu — Acteur", "Retiré Li Wei — Fait : « Un accord commercial est signé. »",
                     "confiance modérée → élevée", "<img src=x onerror=alert('old')> Ancien — Acteur"]:
        assert expected in text
    assert "(raison du changement non indiquée)" in text
    assert "(Raison : Une seconde lecture de la dépêche date la rencontre.)" in text


def test_check_warns_of_a_likelihood_changed_without_a_reason(site):
    """The likelihood changed with no `why_changed`: a located warning; the confidence changed with one: none."""
    folder = site.parent / "dossiers"
    result = run_dossier("check", str(folder))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[:-2] == [
        f"{folder}/essai/questions/sort-de-zhao-min.yaml:6:17: warning: the likelihood changed since the previous "
        "edition (roughly-even → almost-certain) without a reason: say why in `why_changed` [change-without-reason]"]


def test_review_tells_the_change_without_a_reason_and_the_reason_without_a_change(site, tmp_path):
    folder = site.parent / "dossiers" / "essai"
    result = run_dossier("review", str(folder))
    assert result.returncode == 1
    assert "  since the edition of 2023-03-11: 8 changes, 2 of a judgment, confidence or likelihood (each needs " \
        "`why_changed`)" in result.stdout.splitlines()
    change = result.stdout[result.stdout.index("Change (explain change to a judgment): 1 item"):]
    assert "questions/sort-de-zhao-min.yaml:6:17: warning: the likelihood changed since the previous edition " \
        "(roughly-even → almost-certain) without a reason: say why in `why_changed` [change-without-reason]" in change
    old = write_dossier(tmp_path / "old" / "essai", 1)
    new = write_dossier(tmp_path / "dossiers" / "essai", 1, previous="editions/2023-03-11.json")
    freeze(old, new)
    actor = new / "actors" / "li-wei.yaml"
    actor.write_text(actor.read_text(encoding="utf-8").replace(
        "    date: 2023-03-03\n", "    date: 2023-03-03\n    why_changed: Revu.\n", 1), encoding="utf-8")
    result = run_dossier("review", str(new))
    assert [line for line in result.stdout.splitlines() if "-change]" in line] == [
        f"  {new}/actors/li-wei.yaml:6:18: warning: `why_changed` where nothing changed since the previous edition: "
        "remove it [reason-without-change]"]


def test_no_change_says_so_in_english(tmp_path):
    old = write_dossier(tmp_path / "old" / "essai", 1)
    new = write_dossier(tmp_path / "dossiers" / "essai", 1, previous="editions/2023-03-11.json")
    for folder in (old, new):
        meta = folder / "dossier.yaml"
        meta.write_text(meta.read_text(encoding="utf-8").replace("language: fr", "language: en"), encoding="utf-8")
    freeze(old, new)
    site = tmp_path / "site"
    result = run_dossier("build", "--no-pdf", "--site-dir", str(site), "--dossiers", str(tmp_path / "dossiers"))
    assert result.returncode == 0, result.stderr
    page = (site / "essai" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<h2 id="since-the-edition-of-11-march-2023">Since the edition of 11 March 2023<a', page)
    assert "<p>Nothing has changed since that edition.</p>" in page
    assert '<a href="essai.json" class="dossier-json">Dossier data (JSON)</a>' in page


@pytest.mark.parametrize("content, message", [
    (None, "previous edition `editions/2023-03-11.json`: no such file"),
    ('{"format": "dossier-export",\n "version": 1,,\n}', "previous edition `editions/2023-03-11.json`: not valid JSON: "
     "Expecting property name enclosed in double quotes (line 2, column 15)"),
    ('[1, 2]', "previous edition `editions/2023-03-11.json`: not a dossier export (no `\"format\": \"dossier-export\"`)"),
    ('{"format": "dossier-export", "version": 1, "id": "essai"}', "previous edition `editions/2023-03-11.json`: "
     "not a valid dossier export: `title`: Field required (and 3 more)"),
])
def test_a_missing_or_invalid_previous_edition_is_a_located_error(tmp_path, content, message):
    folder = write_dossier(tmp_path / "essai", 2, previous="editions/2023-03-11.json")
    if content is not None:
        (folder / "editions").mkdir()
        (folder / "editions" / "2023-03-11.json").write_text(content, encoding="utf-8")
    result = run_dossier("check", str(folder))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{folder}/dossier.yaml:4:11: error: {message}", "1 error, 0 warnings"]


def test_hostile_text_of_the_previous_edition_stays_text(tmp_path):
    hostile = Path(__file__).parent / "hostile" / "dossiers" / "hostile-xss"
    new = tmp_path / "dossiers" / "hostile-xss"
    shutil.copytree(hostile, new)
    data = json.loads(run_dossier("export", str(new)).stdout)
    data["actors"].append({"id": "fantome", "title": "<script>alert('prev')</script>", "actor_kind": "person"})
    data["key_judgments"].append({"anchor": "kj-9", "text": "<img src=x onerror=alert('kj')> [[fantome]]"})
    (new / "editions").mkdir()
    (new / "editions" / "old.json").write_text(json.dumps(data), encoding="utf-8")
    meta = new / "dossier.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").rstrip("\n") + "\nprevious: editions/old.json\n", encoding="utf-8")
    site = tmp_path / "site"
    result = run_dossier("build", "--no-pdf", "--site-dir", str(site), "--dossiers", str(tmp_path / "dossiers"))
    assert result.returncode == 0, result.stderr
    page = (site / "hostile-xss" / "index.html").read_text(encoding="utf-8")
    parser = _Changes()
    parser.feed(page)
    items = [re.sub(r"\s+", " ", item).replace("\u202f", " ").replace("\u00a0", " ") for item in parser.items]
    assert items == ["Retiré <script>alert('prev')</script> — Acteur",
                     "Retiré Titre <script>alert('title')</script> \"><svg onload=alert(4)> — Jugement clé : "
                     "« <img src=x onerror=alert('kj')> fantome »"]
    assert "<script>alert('prev')" not in page and "<img src=x onerror=alert('kj')" not in page


def test_a_reason_on_a_new_item_is_no_stale_reason(tmp_path):
    old = write_dossier(tmp_path / "old" / "essai", 1)
    new = write_dossier(tmp_path / "dossiers" / "essai", 1, previous="editions/2023-03-11.json")
    freeze(old, new)
    actor = new / "actors" / "li-wei.yaml"
    actor.write_text(actor.read_text(encoding="utf-8") + "  - text: Li Wei a signé un accord.\n"
                     "    why_changed: Nouveau fait.\n    cite:\n"
                     "      - agence: Les deux parties ont signé un accord commercial\n", encoding="utf-8")
    result = run_dossier("review", str(new))
    assert "[reason-without-change]" not in result.stdout and "Change (explain change to a judgment): 0 items" in result.stdout


def _kj_dossier(folder: Path, second: bool) -> Path:
    text = "Xinhua reports the deal with immediate effect." if second else "Xinhua reports the deal."
    quote = "the agreement takes effect with immediate effect" if second else "the agreement takes effect"
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / "xinhua.txt").write_text("Officials said the agreement takes effect with immediate effect.\n",
                                                   encoding="utf-8")
    (folder / "sources" / "xinhua.yaml").write_text("title: Xinhua dispatch\npublished: 2023-03-10\n", encoding="utf-8")
    (folder / "dossier.yaml").write_text(
        f"title: Deal\nas_of: 2023-03-{'20' if second else '11'}\nlanguage: en\nsummary: A deal.\n"
        + ("previous: editions/old.json\n" if second else "")
        + "key_judgments:\n  - text: The talks are over.\n    cite:\n      - xinhua: Officials said\n"
        + f"  - text: {text}\n    confidence: {'high' if second else 'moderate'}\n    cite:\n      - xinhua: {quote}\n"
        + ("    why_changed: The dispatch says when it takes effect.\n" if second else ""),
        encoding="utf-8")
    return folder


def test_an_edited_key_judgment_is_one_line_with_its_citations_added_and_removed(tmp_path):
    old = _kj_dossier(tmp_path / "old" / "deal", second=False)
    new = _kj_dossier(tmp_path / "dossiers" / "deal", second=True)
    assert run_dossier("export", str(old), "-o", str(new / "editions" / "old.json")).returncode == 0
    diff = run_dossier("diff", str(old), str(new))
    assert diff.stdout.splitlines() == [
        "deal: edition of 2023-03-11 → edition of 2023-03-20", "Claims:",
        '  ~ key judgment 2: text: "Xinhua reports the deal." → "Xinhua reports the deal with immediate effect."; '
        "confidence: moderate → high; citations: + xinhua: «the agreement takes effect with immediate effect», "
        "− xinhua: «the agreement takes effect»"]
    site = tmp_path / "site"
    result = run_dossier("build", "--no-pdf", "--site-dir", str(site), "--dossiers", str(tmp_path / "dossiers"))
    assert result.returncode == 0, result.stderr
    parser = _Changes()
    parser.feed((site / "deal" / "index.html").read_text(encoding="utf-8"))
    assert [re.sub(r"\s+", " ", item) for item in parser.items] == [
        "Revised Deal — Key judgment 2 “Xinhua reports the deal with immediate effect.”: text revised; confidence "
        "moderate → high; citations: + “the agreement takes effect with immediate effect” (Xinhua dispatch), "
        "− “the agreement takes effect” (Xinhua dispatch) (Reason: The dispatch says when it takes effect.)"]
    assert parser.links == ["./#kj-2"]


def test_a_translated_citation_added_is_worded_with_its_translation():
    """The PDF sample's second key judgment gained the Kremlin's English readout, translated by the analyst:
    the change says the translation in the dossier's words, as the footnotes do (not as `dossier diff` writes it)."""
    section = since_previous(pdf_sample.linked())
    assert section is not None
    detail = next(item.detail for item in section.items if item.kind == "dossier")
    assert detail.endswith("confiance modérée → élevée ; citations : + « the President of Russia will visit China "
                           "in October » (Traduction de l’analyste : « le président russe se rendra en Chine en "
                           "octobre ») (Meeting with Wang Yi)".replace("« ", "«\u202f").replace(" »", "\u202f»"))
