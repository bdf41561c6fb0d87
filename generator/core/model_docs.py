"""The model's JSON Schema, each field described by the docstring written under it.

pydantic's ``use_attribute_docstrings`` would parse the model's source at every
start; here it is parsed only when a schema is asked for (``dossier schema``,
``dossier export --schema``).
"""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap
from typing import Any

from .model import Model


def field_docs(cls: type[Model]) -> dict[str, str]:
    """YAML key -> the docstring written under the field's declaration in *cls* or a base class."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if not (isinstance(klass, type) and issubclass(klass, Model)) or klass is Model:
            continue
        try:
            node = ast.parse(textwrap.dedent(inspect.getsource(klass))).body[0]
        except OSError:  # a class made at run time (the export with a kind of one's own) has no source of its own
            continue
        assert isinstance(node, ast.ClassDef)  # the source of a class is its class statement
        body = node.body
        for statement, following in itertools.pairwise(body):
            if (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
                    and isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                    and isinstance(following.value.value, str) and statement.target.id in cls.model_fields):
                info = cls.model_fields[statement.target.id]
                docs[info.alias or statement.target.id] = inspect.cleandoc(following.value.value)
    return docs


def json_schema(cls: type[Model]) -> dict[str, Any]:
    """The JSON Schema of a file of class *cls*, as written in YAML, each field described by its docstring."""
    schema = cls.model_json_schema(by_alias=True)
    classes = {klass.__name__: klass for klass in model_classes()}
    for name, part in [(cls.__name__, schema), *schema.get("$defs", {}).items()]:
        klass = classes.get(name)
        if klass is None:
            continue
        for key, doc in field_docs(klass).items():
            if key in part.get("properties", {}):
                part["properties"][key].setdefault("description", doc)
    return schema


def model_classes() -> list[type[Model]]:
    """Every model class: :class:`~generator.core.model.Model` and its subclasses."""
    found, stack = [], [Model]
    while stack:
        klass = stack.pop()
        found.append(klass)
        stack.extend(klass.__subclasses__())
    return found
