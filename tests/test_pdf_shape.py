"""The PDF's data has the shape `generator/pdf/shape.py` declares, and the template tests' sample shows all of it.

The sample (:mod:`pdf_sample`) is the data the tool makes of the dossier
``tests/fixtures/pdf-sample/``: it cannot drift from the tool. What can drift
is the dossier's reach: a key the shape gains that the sample leaves empty
fails here until the dossier shows it, and so does a part of the briefing it
does not print. Its previous edition is a committed export, checked here
against what the tool exports now.
"""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints, is_typeddict

import pdf_sample
import pytest

from generator.pdf import shape
from generator.pdf.compile import typst_source_files
from generator.pdf.data import pdf_data
from generator.pdf.runs import PARTS, parts_present
from generator.pipeline.stages import prepare

ROOT = Path(__file__).resolve().parent.parent


def problems(value: Any, type_: Any, where: str = "data") -> list[str]:
    """How *value* (JSON) differs from *type_* (a TypedDict of :mod:`generator.pdf.shape`, or what it holds)."""
    origin = get_origin(type_)
    if type_ is Any:
        return []
    if origin in (Union, types.UnionType):
        found = [problems(value, option, where) for option in get_args(type_)]
        return [] if any(not one for one in found) else min(found, key=len)
    if type_ is type(None):
        return [] if value is None else [f"{where}: {type(value).__name__}, not null"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: {type(value).__name__}, not a list"]
        return [p for i, item in enumerate(value) for p in problems(item, get_args(type_)[0], f"{where}[{i}]")]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not a mapping"]
        return [p for key, item in value.items() for p in problems(item, get_args(type_)[1], f"{where}.{key}")]
    if is_typeddict(type_):
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not a {type_.__name__}"]
        hints = get_type_hints(type_)
        found = [f"{where}: missing `{key}`" for key in sorted(type_.__required_keys__ - set(value))]
        found += [f"{where}: unknown `{key}` (not in {type_.__name__})" for key in sorted(set(value) - set(hints))]
        return found + [p for key in sorted(set(value) & set(hints)) for p in problems(value[key], hints[key], f"{where}.{key}")]
    if isinstance(type_, type):
        right = isinstance(value, type_) and not (type_ is int and isinstance(value, bool))
        return [] if right else [f"{where}: {type(value).__name__}, not {type_.__name__}"]
    raise AssertionError(f"no check for {type_!r}")


@pytest.fixture(scope="module")
def bundled() -> shape.PdfData:
    (linked,), report = prepare(ROOT / "dossiers" / "wang-yi-russie-2023-09")
    assert not report.errors
    return pdf_data(linked)


def test_a_dossier_s_data_has_the_declared_shape(bundled: shape.PdfData):
    assert problems(bundled, shape.PdfData) == []
    assert bundled["questions"] and bundled["meetings"] and bundled["actors"]  # every kind is checked, not none


def test_the_data_given_to_typst_has_it_too(bundled: shape.PdfData):
    printed = json.loads(typst_source_files(bundled, None)["data.json"])
    assert problems(printed, shape.PdfData) == []
    assert {"document", "parts", "page_runs"} <= set(printed)
    assert {"first", "n", "quoted"} <= set(printed["key_judgments"][0]["cites"][0])


def blank_keys(value: Any, type_: Any, seen: dict[str, bool] | None = None) -> list[str]:
    """The keys of *type_*'s TypedDicts (``Cite.translation``) that *value* never fills: always null, empty
    or missing."""
    seen = {} if seen is None else seen
    origin = get_origin(type_)
    if origin in (Union, types.UnionType):
        for option in get_args(type_):
            blank_keys(value, option, seen)
    elif origin is list and isinstance(value, list):
        for item in value:
            blank_keys(item, get_args(type_)[0], seen)
    elif origin is dict and isinstance(value, dict):
        for item in value.values():
            blank_keys(item, get_args(type_)[1], seen)
    elif is_typeddict(type_) and isinstance(value, dict):
        for key, hint in get_type_hints(type_).items():
            name = f"{type_.__name__}.{key}"
            filled = value.get(key) not in (None, [], {}, "")
            seen[name] = seen.get(name, False) or filled
            if filled:
                blank_keys(value[key], hint, seen)
    return sorted(name for name, filled in seen.items() if not filled)


@pytest.fixture(scope="module")
def printed_sample() -> shape.PdfData:
    """The sample's ``data.json``, as Typst reads it."""
    return json.loads(typst_source_files(pdf_sample.sample(), pdf_sample.network())["data.json"])


def test_the_sample_has_the_declared_shape(printed_sample: shape.PdfData):
    assert problems(pdf_sample.sample(), shape.PdfData) == []
    assert problems(printed_sample, shape.PdfData) == []


def test_the_sample_fills_every_key_and_prints_every_part(printed_sample: shape.PdfData):
    """A key never filled is a part of the template no test typesets: show it in tests/fixtures/pdf-sample/."""
    assert blank_keys(printed_sample, shape.PdfData) == []
    assert printed_sample["parts"] == parts_present(printed_sample, network=True) == list(PARTS)


def test_blank_keys_are_named():
    data: Any = {"key": "k", "quote": "q", "source_title": "t", "source_anchor": "", "reliability": None}
    assert blank_keys({"cites": [data, dict(data, reliability="B")]},
                      typing.TypedDict("T", {"cites": list[shape.Cite]})) == [
        "Cite.first", "Cite.n", "Cite.quoted", "Cite.source_anchor", "Cite.translation"]


def test_the_sample_s_previous_edition_is_what_the_tool_exports():
    """``editions/2023-09-18.json`` is the export of the sample three days earlier (:func:`pdf_sample.previous_edition`)."""
    committed = pdf_sample.PREVIOUS.read_text(encoding="utf-8")
    assert pdf_sample.previous_edition() == committed, (
        f"{pdf_sample.PREVIOUS.relative_to(ROOT)} is no longer the export of the sample's earlier edition: "
        f"refresh it with `{pdf_sample.REFRESH}` (and look at its diff)")


def test_a_drift_is_named_where_it_is():
    data: Any = {"key": "k", "quote": "q", "source_title": "t", "source_anchor": "a", "reliability": None,
                 "translation": None}
    assert problems(data, shape.Cite) == []
    del data["source_anchor"]
    data["grade"] = "x"
    data["n"] = True
    assert problems({"cites": [data]}, typing.TypedDict("T", {"cites": list[shape.Cite]})) == [
        "data.cites[0]: missing `source_anchor`", "data.cites[0]: unknown `grade` (not in Cite)",
        "data.cites[0].n: bool, not int"]
