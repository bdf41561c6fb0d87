"""The published files assembled from parts' JSON (``dossier serve``) hold the bytes of one whole serialisation."""

from __future__ import annotations

import json
from functools import partial

import pytest

from generator.exchange.addresses import Addresses
from generator.exchange.annotations import annotations_bytes, annotations_json
from generator.exchange.export import export_json, to_json
from generator.exchange.ftm import ftm_bytes, ftm_lines
from generator.incremental import export_parts
from generator.incremental.export_parts import export_in_parts, fragment, joined, listed, place, spliced
from generator.incremental.page_reads import every_part
from generator.pipeline.stages import prepare
from generator.render.pages import DossierRenderer
from generator.render.previews import previews_bytes, previews_json

from conftest import ROOT

SERVE_URL = "http://127.0.0.1:8123/"
AWKWARD = {"text": "a\nb \"c\" — «d» \u2028 \\ \x00", "empty": [], "none": {}, "deep": [[{"x": [1, 2.5, None, True]}]]}


@pytest.fixture(scope="module")
def library():
    linked, report = prepare(ROOT / "dossiers")
    assert not report.errors and len(linked) == 2
    return linked


def test_a_list_made_of_fragments_is_the_whole_serialisation():
    items = [AWKWARD, {"k": []}, {"k": {"a": {}}}, "plain"]
    skeleton = {"a": 1, "list": place("list"), "b": {"c": place("inner")}, "z": []}
    whole = {"a": 1, "list": items, "b": {"c": items[:3]}, "z": []}
    pieces = {"list": listed([fragment(one, 2) for one in items], 1),  # the list one level in, its items two
              "inner": listed([joined([fragment(one, 3) for one in items[:2]], 2), fragment(items[2], 3)], 2)}
    assert spliced(skeleton, pieces) == to_json(whole).encode("utf-8")
    assert spliced({"a": place("list")}, {"list": listed([], 1)}) == to_json({"a": []}).encode("utf-8")


def test_a_value_that_reads_as_a_place_is_not_spliced():
    assert spliced({"a": place("list"), "b": place("list")}, {"list": [b"[]"]}) is None
    assert spliced({"a": "x"}, {"list": [b"[]"]}) is None


def test_every_published_file_made_in_parts_has_the_bytes_of_the_whole(library):
    for one in library:  # two dossiers that share actors: the export's identities are not empty
        addresses = Addresses(one.dossier.id, SERVE_URL)
        export = export_json(one)
        assert json.loads(export)["identities"], one.dossier.id
        assert export_in_parts(one, every_part) == export.encode("utf-8")
        assert annotations_bytes(one, addresses) == annotations_json(one, addresses).encode("utf-8")
        assert ftm_bytes(one, addresses) == ftm_lines(one, addresses).encode("utf-8")
        for directory_urls in (True, False):
            renderer = partial(DossierRenderer, one, directory_urls=directory_urls)
            assert previews_bytes(renderer()) == previews_json(renderer()).encode("utf-8")


def test_an_export_whose_text_holds_a_place_is_written_whole(library, monkeypatch):
    one = library[0]
    monkeypatch.setattr(one.dossier, "meta", one.dossier.meta.model_copy(update={"summary": place("timeline")}))
    assert export_in_parts(one, every_part) == export_json(one).encode("utf-8")
    monkeypatch.setattr(export_parts, "export_json", lambda linked: "written whole")
    assert export_in_parts(one, every_part) == b"written whole"
