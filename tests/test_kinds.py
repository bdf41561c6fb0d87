"""A kind of one's own, declared once (``generator/core/kinds.py``): checked, rendered, exported and printed.

The declaration is the one ``docs/guide/extending.md`` shows: its Python block
is written into a module and imported here, so the guide's code is the code
under test. A declaration that lacks a part is refused, naming the kind and
the part.
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib.util
import io
import json
import posixpath
import re
import sys
from pathlib import Path

import pypdf
import pytest

from generator.authoring.scaffold import add_entity
from generator.core import kinds
from generator.exchange.export import ExportError, export_json, export_schema, parse_export
from generator.pdf.briefing import dossier_pdf
from generator.pipeline.stages import prepare, site_pages
from generator.render.labels import labels

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "guide" / "extending.md"


def _declaration() -> str:
    """The Python block of the guide's section "The declaration"."""
    section = GUIDE.read_text(encoding="utf-8").split("## The declaration", 1)[1]
    return re.search(r"^```python\n(.*?)^```", section, re.DOTALL | re.MULTILINE).group(1)


@pytest.fixture(scope="module")
def event_kind(tmp_path_factory):
    """The guide's module imported (which registers the kind ``event``); taken back afterwards."""
    module_path = tmp_path_factory.mktemp("kinds") / "guide_event.py"
    module_path.write_text(_declaration(), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("guide_event", module_path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["guide_event"] = module
    spec.loader.exec_module(module)
    try:
        yield module
    finally:
        kinds.unregister("event")
        del sys.modules["guide_event"]


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


DOSSIER = {
    "dossier.yaml": "title: Strikes\nas_of: 2024-03-01\nlanguage: en\nsummary: The port strike of [[port-strike]].\n",
    "sources/wire.txt": "Dockers led by Amy stopped work at the port on 12 February.\n",
    "sources/wire.yaml": "title: Wire\npublished: 2024-02-13\n",
    "actors/amy.yaml": "name: Amy Dockhand\nkind: person\n",
    "meetings/talks.yaml": "title: Wage talks\ndate: 2024-02-20\nparticipants: [amy]\n",
    "events/port-strike.yaml": "title: The port strike\ndate: 2024-02-12\nplace: Valletta\nactors: [amy]\n"
                               "summary: Dockers stopped work; see [[talks]].\n",
}


@pytest.fixture(scope="module")
def linked(event_kind, tmp_path_factory):
    """The small dossier with one event, linked."""
    folder = _write(tmp_path_factory.mktemp("dossiers") / "strikes", DOSSIER)
    (one,), report = prepare(folder)
    assert report.lines() == []
    return one


def test_an_event_is_checked_and_its_bad_references_located(event_kind, tmp_path):
    folder = _write(tmp_path / "strikes", {**DOSSIER, "events/bad.yaml": "title: Bad\ndate: 2024-02-01\n"
                                           "actors: [amy, nobody, talks]\nsummary: After [[nowhere]].\n"})
    _, report = prepare(folder, "strikes")
    assert report.lines() == [
        "strikes/events/bad.yaml:3:15: error: unknown id `nobody`",
        "strikes/events/bad.yaml:3:23: error: `talks` is a meeting, not an actor",
        "strikes/events/bad.yaml:4:16: error: unknown id `nowhere` in `[[…]]` link",
    ]


def test_a_reference_to_an_event_where_an_actor_is_wanted_names_its_kind(event_kind, tmp_path):
    folder = _write(tmp_path / "strikes", {**DOSSIER, "meetings/talks.yaml": "title: Wage talks\ndate: 2024-02-20\n"
                                           "participants: [port-strike]\n"})
    _, report = prepare(folder, "strikes")
    assert report.lines() == ["strikes/meetings/talks.yaml:3:16: error: `port-strike` is an event, not an actor"]


def test_an_event_has_its_page_its_index_and_its_place_in_the_nav(linked):
    pages = {page.src_uri: page for page in site_pages([linked], pdf=False, site_lang="en")}
    event = pages["strikes/events/port-strike.md"]
    assert event.title == "The port strike"
    assert '<a href="../../actors/amy/">Amy Dockhand</a>' in event.markdown
    assert 'data-target="meeting-talks" href="../../meetings/talks/">Wage talks</a>' in event.markdown  # [[talks]]
    assert "Valletta" in event.markdown
    index = pages["strikes/events/index.md"].markdown
    assert re.findall(r'<th scope="col">(\w+)</th>', index) == ["Title", "Date", "Place"]
    assert '<a href="port-strike/">The port strike</a>' in index
    actor = pages["strikes/actors/amy.md"].markdown  # the reverse of the event's `actors`
    assert "Events" in actor and '<a href="../../events/port-strike/">The port strike</a>' in actor
    home = pages["strikes/index.md"]
    assert '<a href="events/">1 — Events</a>' in home.markdown
    assert 'data-target="event-port-strike" href="events/port-strike/">The port strike</a>' in home.markdown
    addresses = {posixpath.normpath(page.url or ".") for page in pages.values()}
    for page in (event, home, pages["strikes/events/index.md"], pages["strikes/actors/amy.md"]):
        hrefs = re.findall(r'href="([^"#:]*/)"', page.markdown)  # every link to a page of the site leads to one
        assert hrefs and [h for h in hrefs if posixpath.normpath(posixpath.join(page.url, h)) not in addresses] == []


def test_the_nav_lists_the_events_after_the_meetings(event_kind, linked):
    from generator.render.site import nav

    (section,) = nav([linked], "en")[1].values()
    assert [next(iter(entry)) for entry in section[1:6]] == ["Open questions", "Meetings", "Events", "Actors", "Sources"]


def test_an_event_is_in_the_json_export_and_its_schema(linked):
    data = json.loads(export_json(linked))
    assert data["events"] == [{
        "id": "port-strike", "title": "The port strike", "backlinks": [{"id": "", "kind": "dossier", "title": "Strikes",
                                                                        "relations": ["link"]}],
        "kind": "event",
        "date": {"iso": "2024-02-12", "precision": "day", "end_precision": None, "first_day": "2024-02-12",
                 "last_day": "2024-02-12"},
        "place": "Valletta", "actors": [{"id": "amy", "kind": "actor", "title": "Amy Dockhand"}],
        "summary": "Dockers stopped work; see [[talks]].",
    }]
    assert list(data)[-1] == "events"  # after the export's own fields
    assert parse_export(data).entities()[1].id == "port-strike"  # read back, in the kinds' order
    data["events"][0]["actors"][0]["kind"] = "robot"
    with pytest.raises(ExportError, match=r"^not a valid dossier export: `events\.0\.actors\.0\.kind`: "
                       r"Input should be 'dossier', 'source', 'actor', 'meeting', 'question' or 'event'$"):
        parse_export(data)
    schema = export_schema()
    assert schema["properties"]["events"]["items"] == {"$ref": "#/$defs/ExportedEvent"}
    assert "event" in schema["$defs"]["ExportedRef"]["properties"]["kind"]["enum"]


def test_an_event_is_printed_in_the_pdf(linked):
    reader = pypdf.PdfReader(io.BytesIO(dossier_pdf(linked)))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline.index("3 Events") == outline.index("2 Meetings") + 1
    assert "The port strike" in text and "Dockers stopped work" in text
    assert re.search(r"Place\s*Valletta", text) and re.search(r"Actors\s*Amy Dockhand", text)


def test_dossier_add_writes_an_event_from_its_template(event_kind, tmp_path):
    folder = _write(tmp_path / "strikes", DOSSIER)
    made = add_entity(folder, "event", "vote", datetime.date(2024, 3, 1))
    text = (folder / "events" / "vote.yaml").read_text(encoding="utf-8")
    assert made == [folder / "events" / "vote.yaml"]
    assert "# Something that happened: a strike, a vote, an announcement.\n# what happened (required)\ntitle: Vote\n" in text
    assert (folder / ".schemas" / "event.schema.json").is_file()


def test_a_declaration_missing_a_part_is_refused_naming_it(event_kind):
    lacking = dataclasses.replace(event_kind.EVENT, name="rally", folder="rallies", page=None)
    with pytest.raises(kinds.KindError) as refused:
        kinds.register(lacking)
    assert str(refused.value) == "kind `rally` has no page (its page function (renderer, entity) -> Page)"
    unlabelled = dataclasses.replace(event_kind.EVENT, name="rally", folder="rallies",
                                     labels={"fr": {"rallies": "Rassemblements"}, "en": {}})
    with pytest.raises(kinds.KindError, match=r"^kind `rally` has no label `rallies_one`, `kind_rally` in `fr`$"):
        kinds.register(unlabelled)
    with pytest.raises(kinds.KindError, match=r"^kind `event` is declared already$"):
        kinds.register(event_kind.EVENT)
    taken = dataclasses.replace(event_kind.EVENT, name="rally", folder="meetings")
    with pytest.raises(kinds.KindError, match=r"^kind `rally`: folder `meetings/` is the folder of kind `meeting`$"):
        kinds.register(taken)
    assert "rally" not in [one.name for one in kinds.kinds()]


def test_the_built_in_kinds_have_every_part_and_taking_a_kind_back_restores_them():
    assert [(one.name, one.missing()) for one in kinds.kinds()[:4]] == [(name, []) for name in ("source", "actor", "meeting", "question")]
    with kinds.registered(dataclasses.replace(kinds.kind("meeting"), name="rally", folder="rallies", shown=9, library=None,
                                              labels={lang: {"rallies": "R", "rallies_one": "R", "kind_rally": "R"}
                                                      for lang in kinds.LANGUAGES})):
        assert kinds.shown_folders()[-1] == "rallies" and labels("fr")["kind_rally"] == "R"
    assert "rallies" not in kinds.folders() and "kind_rally" not in labels("fr")
    with pytest.raises(kinds.KindError, match=r"^kind `actor` is built in$"):
        kinds.unregister("actor")
