"""Facts told once and shown wherever they belong (issue 12): `against` and `disputed_by`
citations checked like `cite`, claims shown in full on every page they concern, the
evidence matrix of competing hypotheses, disputed facts listed, and site typography."""

from __future__ import annotations

from pathlib import Path

from generator.core.model_docs import json_schema, model_classes
from generator.core.validate import check

BASE = {
    "dossier.yaml": "title: Talks\nas_of: 2023-09-20\nlanguage: en\nsummary: Amy met Ben.\n",
    "sources/wire.yaml": "title: A wire\npublished: 2023-09-18\n",
    "sources/wire.txt": "On Saturday, Amy met Ben in Valletta. They talked for two days.\n\n"
                        "Nothing was said. Ben denied any meeting.\n",
    "actors/amy.yaml": "name: Amy\nkind: person\n",
    "actors/ben.yaml": "name: Ben\nkind: person\n",
}


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def check_lines(folder: Path) -> list[str]:
    _, report = check(folder, folder.name)
    return [line.replace(str(folder) + "/", "") for line in report.lines()]


def test_against_and_disputed_by_quotes_are_checked(tmp_path):
    folder = write(tmp_path / "d", {**BASE,
        "actors/amy.yaml": "name: Amy\nkind: person\nclaims:\n  - text: Amy met [[ben]].\n    cite:\n"
                           "      - wire: Amy met Ben\n    disputed_by:\n      - wire: Ben denied a meeting\n",
        "questions/why.yaml": "question: Why?\nstatus: open\nhypotheses:\n  - text: Chance.\n    cite:\n"
                              "      - wire: They talked\n    against:\n      - wire: Nothing was sad\n"})
    lines = check_lines(folder)
    assert any(line.startswith("d/actors/amy.yaml:8:15: error: quote not found in source `wire`") for line in lines), lines
    assert any(line.startswith("d/questions/why.yaml:8:15: error: quote not found in source `wire`") for line in lines), lines
    fixed = write(folder, {"actors/amy.yaml": (folder / "actors/amy.yaml").read_text().replace("denied a", "denied any"),
                           "questions/why.yaml": (folder / "questions/why.yaml").read_text().replace("sad", "said")})
    assert [line for line in check_lines(fixed) if "error" in line] == []


# -- each relation declared once (issue 17) ------------------------------------------

def declared_relations():
    from generator.core import model as m
    for cls in model_classes():
        for name, info in getattr(cls, "model_fields", {}).items():
            ref = m.ref_of(info)
            if ref is not None:
                yield cls.__name__, info.alias or name, ref


def test_every_relation_is_declared_once_with_labels_in_both_languages():
    from generator.render.labels import labels
    found = {(owner, key): (ref.range, ref.reverse, ref.edge, ref.facts) for owner, key, ref in declared_relations()}
    assert found == {("Role", "of"): (("actor",), "of", "out", False),
                     ("Participant", "actor"): (("actor",), "participant", "in", True),
                     ("Actor", "country"): (("actor",), "country", "out", False),
                     ("Meeting", "follows"): (("meeting",), "follows", "in", False),
                     ("Question", "about"): ((), "about", None, True)}
    for _, _, reverse, in [(o, k, r.reverse) for o, k, r in declared_relations()]:
        assert labels("fr")[f"rel_{reverse}"] and labels("en")[f"rel_{reverse}"]


def test_references_drive_validation_backlinks_and_edges(tmp_path):
    from generator.pipeline.stages import prepare
    from generator.render.graph import network_graph
    folder = write(tmp_path / "d", {**BASE,
        "actors/amy.yaml": "name: Amy\nkind: person\ncountry: malta\nroles:\n  - title: Envoy\n    of: ben\n",
        "actors/malta.yaml": "name: Malta\nkind: state\n",
        "meetings/talks.yaml": "title: Talks\ndate: 2023-09-16\nparticipants: [amy, {actor: ben, role: host}]\n",
        "meetings/later.yaml": "title: Later\ndate: 2023-09-20\nfollows: [talks]\n",
        "questions/why.yaml": "question: Why?\nstatus: open\nabout: [talks, amy]\n"})
    (linked,), report = prepare(folder)
    assert not report.errors, report.lines()
    relations = {(b.owner, b.relation) for b in linked.backlinks["amy"]}
    assert relations == {("talks", "participant"), ("why", "about")}
    assert {(b.owner, b.relation) for b in linked.backlinks["malta"]} == {("amy", "country")}
    assert {(b.owner, b.relation) for b in linked.backlinks["talks"]} == {("later", "follows"), ("why", "about")}
    _, edges = network_graph(linked, None)
    assert edges == sorted([("amy", "talks"), ("ben", "talks"), ("amy", "ben"), ("amy", "malta"), ("talks", "later")])
    write(folder, {"meetings/later.yaml": "title: Later\ndate: 2023-09-20\nfollows: [amy]\n"})
    assert "d/meetings/later.yaml:3:11: error: `amy` is an actor, not a meeting" in check_lines(folder)


# -- facts shown wherever they belong, the matrix, disputed facts (issue 12) ------------

import re

from hypothesis import given, settings
from hypothesis import strategies as st

FACTS = {**BASE,
    "meetings/talks.yaml": "title: Valletta talks\ndate: 2023-09-16/2023-09-17\nparticipants: [amy]\n"
                           "claims:\n  - text: \"[[amy]] met [[ben]] in Valletta.\"\n    date: 2023-09-16\n"
                           "    confidence: high\n    cite:\n      - wire: Amy met Ben in Valletta\n"
                           "    disputed_by:\n      - wire: Ben denied any meeting\n",
    "questions/why.yaml": "question: Why did they meet?\nstatus: open\nabout: [amy]\nhypotheses:\n"
                          "  - text: By chance.\n    likelihood: unlikely\n    cite:\n      - wire: Nothing was said\n"
                          "    against:\n      - wire: They talked for two days\n      - wire: Amy met Ben in Valletta\n"
                          "  - text: To talk.\n    likelihood: likely\n    cite:\n      - wire: They talked for two days\n"
                          "  - text: Nobody knows.\n",
}


def site(tmp_path, files):
    from generator.pipeline.stages import prepare, site_pages
    folder = write(tmp_path / "d", files)
    linked, report = prepare(folder)
    assert not report.errors, report.lines()
    return linked, {page.src_uri: page.markdown for page in site_pages(linked, pdf=False, site_lang="en")}, report


def section(markdown: str, heading: str) -> str:
    """The part of a page under *heading*, up to the next heading."""
    return markdown.split(f"## {heading}\n\n", 1)[1].split("\n## ", 1)[0]


def test_a_claim_linking_two_entities_is_in_full_on_both_pages_and_once_on_the_timeline(tmp_path):
    _, pages, _ = site(tmp_path, FACTS)
    for page, name in (("d/actors/amy.md", "Amy"), ("d/actors/ben.md", "Ben")):
        facts = section(pages[page], f"Facts about {name}")
        assert "in Valletta.</span>" in facts
        assert '<time datetime="2023-09-16" class="dossier-date">16 September 2023</time>' in facts
        assert "Confidence: high" in facts
        assert re.search(r'class="dossier-cite"[^>]*>\[1\]</a>', facts)
        assert 'recorded under <a href="../../meetings/talks/#claim-1">Valletta talks</a>' in facts
    assert "Facts about" not in pages["d/meetings/talks.md"]  # its own page shows it as its claim
    assert pages["d/timeline.md"].count("in Valletta.") == 1


def test_evidence_matrix_cells_and_ranking(tmp_path):
    linked, pages, report = site(tmp_path, FACTS)
    from generator.analysis.ach import evidence_matrix
    matrix = evidence_matrix(linked[0], linked[0].dossier.questions["why"])
    assert matrix.ranking == [2, 3, 1] and matrix.inconsistencies == {1: 2, 2: 0, 3: 0}
    assert [(p.quote, cells) for p, cells in matrix.rows] == [
        ("Nothing was said", ["not_applicable", "not_applicable", "consistent"]),
        ("They talked for two days", ["consistent", "not_applicable", "inconsistent"]),
        ("Amy met Ben in Valletta", ["not_applicable", "not_applicable", "inconsistent"])]
    table = section(pages["d/questions/why.md"], "Evidence matrix")
    heads = re.findall(r'<th scope="col" class="dossier-matrix-head"><a href="#hypothesis-(\d)" title="([^"]*)">'
                       r'<span class="dossier-matrix-number">H\d</span> <span class="dossier-matrix-hypothesis">([^<]*)<', table)
    assert heads == [("2", "To talk.", "To talk."), ("3", "Nobody knows.", "Nobody knows."),
                     ("1", "By chance.", "By chance.")]  # each column headed by its hypothesis's words
    row = re.search(r"<tr><th scope=\"row\"><span class=\"dossier-quote\">They talked for two days</span>.*?</tr>", table).group(0)
    assert re.findall(r'<span class="dossier-matrix-word">([^<]*)</span>', row) == ["consistent", "not applicable", "inconsistent"]
    assert '<span aria-hidden="true" class="dossier-matrix-sign">✗</span>' in row
    assert re.findall(r"<td>(\d)</td>", table.split("<tfoot>")[1]) == ["0", "0", "2"]
    assert any(line.endswith("d/questions/why.yaml:16:5: warning: hypothesis without evidence: quote a passage for it "
                             "(`cite`) or against it (`against`)") for line in report.lines()), report.lines()


def test_disputed_claims_are_shown_beside_the_claim_and_listed_on_the_home_page(tmp_path):
    _, pages, _ = site(tmp_path, FACTS)
    claim = re.search(r'<li id="claim-1" class="dossier-claim">.*?</li>', pages["d/meetings/talks.md"]).group(0)
    assert re.search(r'Disputed by: <span class="dossier-cites"><a href="../../sources/wire/#q-[0-9a-f]+" '
                     r'class="dossier-cite" data-cite="\d" aria-label="Citation \d: “Ben denied any meeting” — A wire"', claim), claim
    listed = section(pages["d/index.md"], "Disputed facts")
    assert "in Valletta.</span>" in listed and "Disputed by: " in listed
    assert "Disputed facts" not in site(tmp_path / "clean", {**FACTS, "meetings/talks.yaml": FACTS["meetings/talks.yaml"]
                                                              .split("    disputed_by")[0]})[1]["d/index.md"]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["amy", "ben"]), st.sampled_from(["", "[[amy]] ", "[[ben]] "]),
                          st.sampled_from([None, "2023-09-16", "2023-09"])), min_size=1, max_size=6))
def test_every_claim_appears_exactly_once_in_the_timeline_data(claims):
    import tempfile

    from generator.pipeline.stages import prepare
    by_actor: dict[str, str] = {"amy": "", "ben": ""}
    for index, (owner, link, date) in enumerate(claims):
        by_actor[owner] += (f"  - text: \"{link}Fact {index}.\"\n" + (f"    date: {date}\n" if date else "")
                            + "    cite:\n      - wire: Amy met Ben\n")
    files = {**BASE, **{f"actors/{a}.yaml": f"name: {a.title()}\nkind: person\n" + (f"claims:\n{body}" if body else "")
                        for a, body in by_actor.items()}}
    with tempfile.TemporaryDirectory() as folder:
        (linked,), _report = prepare(write(Path(folder) / "d", files))
    dated = [f"Fact {i}." for i, (_, _, date) in enumerate(claims) if date]
    texts = [item.text.split("]] ")[-1] for item in linked.timeline if item.kind == "claim"]
    assert sorted(texts) == sorted(dated)


def test_site_prose_gets_the_pdf_typography_and_quotes_stay_verbatim(tmp_path):
    files = {**BASE,
             "dossier.yaml": "title: L'entretien\nas_of: 2023-09-20\nlanguage: fr\nsummary: \"Amy l'a dit : oui ; vraiment ? « Non » - dit Ben. Voir l'[[amy]].\"\n",
             "sources/wire.txt": "Amy a dit : l'accord est conclu - Ben n'a rien dit.\n",
             "actors/amy.yaml": "name: Amy\nkind: person\nclaims:\n  - text: L'accord est conclu.\n    cite:\n"
                                "      - wire: \"Amy a dit : l'accord est conclu - Ben n'a rien dit\"\n"}
    _, pages, _ = site(tmp_path, files)
    home = pages["d/index.md"]
    assert "Amy l’a dit\u00a0: oui\u202f; vraiment\u202f? «\u00a0Non\u00a0» – dit Ben." in home
    assert pages["d/index.md"].startswith("# L’entretien")
    assert re.search(r"Voir l’<a [^>]*>Amy</a>", home)
    actor = pages["d/actors/amy.md"]
    assert "L’accord est conclu." in actor
    # the quote, in the list of passages and on the source's page, keeps the source's characters
    assert "Amy a dit : l&#x27;accord est conclu - Ben n&#x27;a rien dit" in actor
    source = pages["d/sources/wire.md"]
    assert "Amy a dit : l&#x27;accord est conclu - Ben n&#x27;a rien dit" in source
    from generator.core.typography import fix
    from generator.pdf.data_typography import typography
    assert typography({"text": "l'a dit : oui", "quote": "l'a dit : oui"}, "fr") == {"text": fix("l'a dit : oui", "fr"),
                                                                                   "quote": "l'a dit : oui"}


def test_pdf_prints_each_claim_once_and_refers_to_it_elsewhere(tmp_path):
    import io

    import pypdf

    from generator.pdf.briefing import dossier_pdf
    from generator.pipeline.stages import prepare
    folder = write(tmp_path / "d", FACTS)
    (linked,), _ = prepare(folder)
    reader = pypdf.PdfReader(io.BytesIO(dossier_pdf(linked)))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    text = " ".join(pages)
    # printed once in full (with its confidence) in its meeting's section; elsewhere as links (on one source: tagged)
    assert text.count("Amy met Ben in Valletta.3 [16 September 2023] high confidence single source Disputed by 4") == 1
    assert text.count("high confidence") == 1
    assert "Facts about Amy • Amy met Ben in Valletta. — Valletta talks, 16 September 2023" in text
    assert "Facts about Ben • Amy met Ben in Valletta. — Valletta talks, 16 September 2023" in text
    assert "Disputed facts • Amy met Ben in Valletta. — Valletta talks, 16 September 2023" in text
    # the matrix: columns ranked H2 H3 H1, a sign and a word in each cell, the count of evidence against
    assert ("Passage H2 H3 H1 “Nothing was said”1 · not applicable · not applicable + consistent "
            "“They talked for two days”2 + consistent · not applicable − inconsistent") in text
    assert "Evidence against 0 0 2" in text
    # the references are internal links (to the claim, on the meetings' page)
    actors = next(page for page, words in zip(reader.pages, pages) if "Facts about Amy" in words)
    links = [a.get_object() for a in actors.get("/Annots") or ()]
    assert sum(a.get("/Subtype") == "/Link" and "/Dest" in a for a in links) >= 2


def test_schema_documents_against_and_disputed_by():
    from generator.core import model as m
    schema = json_schema(m.Question)["$defs"]
    assert schema["Hypothesis"]["properties"]["against"]["description"].startswith("The quotes that argue against it")
    assert schema["Claim"]["properties"]["disputed_by"]["description"].startswith("Passages (same form as ``cite``")
    assert schema["Hypothesis"]["properties"]["against"]["items"] == {"$ref": "#/$defs/Citation"}
