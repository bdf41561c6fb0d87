"""``dossier serve``: a dossier's JSON export made again only for the entities whose reads changed.

The export (:mod:`generator.exchange.export`) is, besides a few fields of the whole
dossier, one object per entity. Here each entity's object is made and turned
into JSON data under watch (:func:`generator.incremental.page_reads.tracked`, as a page
is), and kept with what it read; on the next rebuild of the same folder the
objects whose reads did not change are the ones made before. The fields of
the whole dossier (key judgments, assumptions, timeline) are made every time.
The text is the one :func:`generator.exchange.export.export_json` writes, byte for byte:
the same data, the same encoder.
"""

from __future__ import annotations

from typing import Any

from ..core.kinds import shown
from ..exchange.export import ExportBuilder, export, export_json, to_json
from .page_reads import Changes, Rendered, changes, dirty, tracked

Parts = list[Rendered]
"""Each entity's exported data (``Rendered.page``), in the export's order, with what it read."""


def export_with_parts(linked: Any, previous: tuple[Any, Parts] | None,
                      stable: frozenset[str] = frozenset()) -> tuple[str, Parts]:
    """The export of *linked* as JSON text, and its parts; *previous*: the last rebuild's linked dossier and parts."""
    builder = ExportBuilder(linked)
    own = linked.dossier.id
    kept: dict[tuple[str, str], Rendered] = {}
    found = Changes(True, frozenset(), frozenset())
    if previous is not None:
        old_linked, old_parts = previous
        kept = {part.key: part for part in old_parts}
        found = Changes(False, frozenset(), frozenset()) if old_linked is linked else changes(old_linked, linked)
    data = export(linked, entities=False).model_dump(mode="json", by_alias=True)
    parts: Parts = []
    for kind in shown():  # the export's lists of entities, in its order, each entity made as its kind says
        folder, make, made = kind.folder, kind.export[1], []
        for id_, entity in dict.items(linked.dossier.table(folder)):
            part = kept.get((folder, id_))
            if part is None or dirty(part.reads, found, own, stable):
                job = lambda entity=entity, make=make: make(builder, entity).model_dump(mode="json", by_alias=True)
                part = tracked((folder, id_), job, linked.forget, own)()
            parts.append(part)
            made.append(part.page)
        data[folder] = made
    return to_json(data), parts


def json_export(memo: Any, linked: Any) -> str:
    """The JSON export of *linked* for ``dossier serve``'s *memo* (:class:`generator.incremental.dossier_memo.DossierMemo`):
    within a changed folder, only the entities whose reads changed are exported again."""
    kept, previous, stable = memo.export_history(linked)
    if kept is None:
        return export_json(linked)
    text, kept.export_parts = export_with_parts(linked, previous, stable)
    return text
