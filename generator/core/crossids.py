"""How one dossier names another's entity: ``dossier-id:entity-id``, and Wikidata items.

The field types of ``same_as`` and ``wikidata`` (:mod:`generator.core.model`);
what they name is checked across the library by :mod:`generator.core.library`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema

from .errors import value_kind

CROSS_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*:[a-z0-9]+(?:-[a-z0-9]+)*$"
"""``dossier-id:entity-id``: an entity of another dossier of the library."""
CROSS_ID_RE = re.compile(CROSS_ID_PATTERN)
WIKIDATA_RE = re.compile(r"^Q[1-9][0-9]*$")


def _parse_cross_id(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected `dossier-id:entity-id`, found {value_kind(value)}")
    if not CROSS_ID_RE.match(value.strip()):
        raise ValueError(f"`{value}` is not `dossier-id:entity-id` (e.g. `wang-yi-russie-2023-09:wang-yi`)")
    return value.strip()


def _parse_wikidata(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a Wikidata identifier (`Q` and digits, e.g. `Q22710`), found {value_kind(value)}")
    if not WIKIDATA_RE.match(value.strip()):
        raise ValueError(f"`{value}` is not a Wikidata identifier: `Q` and digits, e.g. `Q22710`")
    return value.strip()


CrossId = Annotated[str, PlainValidator(_parse_cross_id), WithJsonSchema({"type": "string", "pattern": CROSS_ID_PATTERN})]
"""An entity of another dossier of the library: ``dossier-id:entity-id``."""
Wikidata = Annotated[str, PlainValidator(_parse_wikidata), WithJsonSchema({"type": "string", "pattern": r"^Q[1-9][0-9]*$"})]
"""A Wikidata item identifier (``Q22710``): entities with the same one are one entity across the library."""
