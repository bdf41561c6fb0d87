"""``dossier serve``: a dossier's outputs made again only for the parts whose reads changed.

An output made of parts (:data:`generator.incremental.page_reads.Parts`: the
JSON export's entities, the FollowTheMoney lines of an entity or of an
owner's claims, the Web Annotations of an owner's citations, an entity's
preview) is made here part by part under watch
(:func:`generator.incremental.page_reads.tracked`, as a page is), each part
kept with what it read; on the next rebuild of the same folder the parts
whose reads did not change are the ones made before (:func:`remade`). What
is made of the whole dossier (the export's key judgments, assumptions,
timeline; the order of the parts) is made every time.

The export (:mod:`generator.exchange.export`) is, besides a few fields of the
whole dossier, one object per entity, each turned into JSON data as a part.
The text is the one :func:`generator.exchange.export.export_json` writes,
byte for byte: the same data, the same encoder.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from ..core.kinds import shown
from ..exchange.export import ExportBuilder, export, to_json
from .page_reads import Keyed, Parts, plan


def remade(memo: Any, linked: Any, name: str, keyed: Keyed, forget: Any) -> list[Any]:
    """:data:`generator.incremental.page_reads.Parts` for ``dossier serve``'s *memo*
    (:class:`generator.incremental.dossier_memo.DossierMemo`): each part of *linked*'s output *name*, the one
    made at the last rebuild where nothing it read changed."""
    kept, previous, stable = memo.parts_history(linked, name)
    if kept is None:
        return [job() for _, job in keyed]
    jobs, _ = plan(previous, linked, keyed, forget, stable)
    made = [job() for job in jobs]
    kept.parts[name] = made
    return [part.page for part in made]


def _entity_data(make: Any, builder: ExportBuilder, entity: Any) -> Any:
    return make(builder, entity).model_dump(mode="json", by_alias=True)


def export_in_parts(linked: Any, parts: Parts) -> str:
    """The export of *linked* as JSON text, each entity's data made by *parts* (as its kind says)."""
    builder = ExportBuilder(linked)
    data = export(linked, entities=False).model_dump(mode="json", by_alias=True)
    tables = [(kind.folder, kind.export[1], dict(dict.items(linked.dossier.table(kind.folder)))) for kind in shown()]
    keyed: Keyed = [((folder, id_), partial(_entity_data, make, builder, entity))
                    for folder, make, table in tables for id_, entity in table.items()]
    made = iter(parts("json", keyed, linked.forget))
    for folder, _, table in tables:
        data[folder] = [next(made) for _ in table]
    return to_json(data)


def json_export(memo: Any, linked: Any) -> str:
    """The JSON export of *linked* for ``dossier serve``'s *memo*: within a changed folder, only the entities
    whose reads changed are exported again."""
    return export_in_parts(linked, partial(remade, memo, linked))
