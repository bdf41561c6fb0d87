"""The PDF's data has the shape `generator/pdf/shape.py` declares: a real dossier's, and the test sample's.

`pdf_sample.json` is written by hand, so that the template's tests can shape it
as they need; this test keeps it the shape the tool really gives the template:
a key the tool adds, renames or drops fails here until the sample follows.
"""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from generator.build import prepare
from generator.pdf import shape
from generator.pdf.compile import typst_source_files
from generator.pdf.data import pdf_data

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


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


def test_the_test_sample_has_the_shape_the_tool_gives():
    sample = json.loads((FIXTURES / "pdf_sample.json").read_text(encoding="utf-8"))
    assert problems(sample, shape.PdfData) == []


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
