"""Where a ``[[link]]`` leads, shared by the direct converter (:mod:`.text`) and Python-Markdown's (:mod:`.markdown_text`).

Kept apart so that neither of the two imports the other's module: :mod:`.text`
loads :mod:`.markdown_text` (and Python-Markdown) only on the first text it
cannot convert itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class Target(NamedTuple):
    """Where a ``[[link]]`` leads."""

    url: str
    """Site-absolute address of the entity's page, without a leading slash."""
    title: str
    """The entity's display name (the link's default label)."""
    anchor: str
    """The entity's anchor in the PDF (``actor-wang-yi``)."""


Resolver = Callable[[str], "Target | None"]


SITE_PREFIX = "dossier-site:"
"""Marks the address of a ``[[link]]`` in converted HTML until a page makes it relative. No other
link can carry it: :class:`.markdown_text._SafeLinks` turns every link but http(s) ones and ours into text."""
