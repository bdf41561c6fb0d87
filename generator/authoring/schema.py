"""JSON Schemas of the dossier files, for editors (VS Code's YAML extension and others).

One schema per kind of file, each with ``$schema`` and ``$id``, built from the
typed model (:func:`generator.core.model_docs.json_schema`) and adjusted where YAML as an
editor reads it differs from what pydantic describes: editors do not turn
``2023-09-18`` into a timestamp, and an unquoted ``date: 2022`` is a number
that the checker accepts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..core import model as m
from ..core.kinds import kinds
from ..core.model_docs import json_schema

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def classes() -> dict[str, type[m.Model]]:
    """File kind -> its class, in the order the schemas are listed (the dossier, then the kinds in reading order)."""
    return {"dossier": m.DossierMeta, **{one.name: one.model for one in kinds()}}


def file_name(kind: str) -> str:
    """``actor.schema.json`` …"""
    return f"{kind}.schema.json"


def schema_id(kind: str) -> str:
    """The schema's ``$id``: a name, not an address (the schemas live beside the dossiers)."""
    return f"urn:dossier:schema:{kind}"


def editor_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a file of *kind* (``actor`` …), as an editor applies it to the YAML."""
    schema = json_schema(classes()[kind])
    _fix_dates(schema)
    properties = schema["properties"]
    if kind == "actor":  # other spellings the checker accepts
        properties["kind"]["enum"] += [s for s, value in m.SPELLINGS.items() if value in properties["kind"]["enum"]]
    if kind == "dossier":  # one author may be written without a list
        authors = properties["authors"]
        properties["authors"] = {"description": authors.pop("description"), "title": authors.pop("title"),
                                 "anyOf": [{"type": "string"}, authors]}
    return {"$schema": DRAFT, "$id": schema_id(kind), **schema}


def _fix_dates(node: Any) -> None:
    """A date field also takes a year written as a number (``date: 2022``), as the checker does."""
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("pattern", "").startswith(r"^\d{4}(-\d{2}"):
            string = {key: node.pop(key) for key in ("type", "pattern")}
            node["anyOf"] = [string, {"type": "integer", "minimum": 1, "maximum": 9999}]
            return
        for value in node.values():
            _fix_dates(value)
    elif isinstance(node, list):
        for value in node:
            _fix_dates(value)


def dumps(schema: dict[str, Any]) -> str:
    """The schema as JSON text, keys sorted (the same bytes each time)."""
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write one ``KIND.schema.json`` per kind into *folder* (made if needed); the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in classes():
        path = folder / file_name(kind)
        text = dumps(editor_schema(kind))
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
