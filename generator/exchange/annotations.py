"""Every citation of a linked dossier as a W3C Web Annotation (``dossier export --format annotations``).

The file is one ``AnnotationCollection`` (JSON-LD, the model's own
``@context``) whose single ``AnnotationPage`` holds one ``Annotation`` per
citation, in page order (the dossier's home, then entities by id; in each,
claims, roles and hypotheses in file order, supporting citations before
contrary ones). Each annotation's

* ``target`` is the source (its ``url`` when it has one, else its page on the
  site), one ``SpecificResource`` per part of the quote (an elision ``[…]``
  makes several), each selected by a ``TextQuoteSelector`` (``exact``, and up
  to 32 characters of ``prefix`` and ``suffix``, all from the source's text)
  and a ``TextPositionSelector`` (character offsets in the dossier's copy of
  the text, NFC, end exclusive: the text of the source's page);
* ``body`` is the claim's text (Markdown, ``[[links]]`` as their labels), a
  link to its place on its page and, when the citation has one, its
  ``credibility`` (purpose ``assessing``);
* ``motivation`` is ``commenting`` for a supporting citation (``cite``) and
  ``questioning`` for a contrary one (``against``, ``disputed_by``).

Ids are the file's own address with a fragment made of the owner, the anchor,
the relation, the source and the passage: stable for the same dossier, and
the file is byte-identical on every build.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from ..core import model as m
from ..core.link import Evidence, Linked, plain_links
from ..incremental.export_parts import fragment, joined, listed, place, spliced
from ..incremental.page_reads import Keyed, Parts, every_part
from ..render.labels import credibility_label, labels
from .addresses import Addresses
from .export import to_json

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
"""The JSON-LD context of the W3C Web Annotation Data Model."""
AFFIX = 32
"""How many characters of the source's text ``prefix`` and ``suffix`` hold."""
MOTIVATIONS = {"cite": "commenting", "against": "questioning", "disputed_by": "questioning"}
"""The W3C motivation of each kind of citation."""


class _Builder:
    """Turns one linked dossier into its annotations."""

    def __init__(self, linked: Linked, addresses: Addresses):
        self.linked, self.dossier, self.addresses = linked, linked.dossier, addresses
        self.language = linked.dossier.meta.language
        self.file = addresses.file("annotations")

    def target(self, source: m.Source, start: int, end: int) -> dict[str, Any]:
        text = source.text
        quote = {"type": "TextQuoteSelector", "exact": text[start:end],
                 "prefix": text[max(0, start - AFFIX):start], "suffix": text[end:end + AFFIX]}
        position = {"type": "TextPositionSelector", "start": start, "end": end}
        address = source.url or self.addresses.page(self.linked, source.id)
        return {"type": "SpecificResource", "source": address, "selector": [quote, position]}

    def annotation(self, evidence: Evidence, citation: m.Citation, relation: str) -> dict[str, Any]:
        source = self.dossier.sources[citation.source]
        passage = self.linked.passage(citation)
        spans = self.dossier.quote_spans.get((citation.source, citation.quote), passage.spans)
        targets = [self.target(source, start, end) for start, end in spans]
        motivation = MOTIVATIONS[relation]
        text = plain_links(evidence.text, self.dossier).strip()
        body = [{"type": "TextualBody", "value": text, "format": "text/markdown", "language": self.language,
                 "purpose": motivation},
                {"id": self.addresses.page(self.linked, evidence.owner, evidence.anchor), "type": "Text",
                 "format": "text/html", "language": self.language, "purpose": "linking"}]
        if citation.credibility is not None:
            grade = f"{labels(self.language)['credibility']} {credibility_label(self.language, citation.credibility)}"
            body.append({"type": "TextualBody", "value": grade, "format": "text/plain", "language": self.language,
                         "purpose": "assessing"})
        fragment = ".".join((evidence.owner or "dossier", evidence.anchor, relation.replace("_", "-"),
                             citation.source, passage.anchor))
        return {"id": f"{self.file}#{fragment}", "type": "Annotation", "motivation": motivation, "body": body,
                "target": targets[0] if len(targets) == 1 else targets}

    def of_owner(self, owner: str) -> list[dict[str, Any]]:
        """The annotations of *owner*'s claims, roles and hypotheses (``""``: the dossier's own)."""
        found = []
        for evidence in self.linked.evidence.get(owner, []):
            for relation, citations in (("cite", evidence.citations), ("disputed_by", evidence.disputed_by),
                                        ("against", evidence.against)):
                found += [self.annotation(evidence, c, relation) for c in citations]
        return found


def collection(linked: Linked, addresses: Addresses, parts: Parts = every_part) -> dict[str, Any]:
    """The ``AnnotationCollection`` of every citation of *linked*, made owner by owner by *parts*
    (:data:`generator.incremental.page_reads.Parts`)."""
    b = _Builder(linked, addresses)
    items = [item for part in parts(f"annotations {addresses!r}", _keyed(b, b.of_owner), linked.forget) for item in part]
    return _collection(b, items, len(items))


def _keyed(b: _Builder, make: Any) -> Keyed:
    owners = ["", *sorted(id_ for id_ in dict.keys(b.linked.evidence) if id_)]
    return [(("linked.evidence", owner), partial(make, owner)) for owner in owners]


def _collection(b: _Builder, items: Any, total: int) -> dict[str, Any]:
    page = {"id": f"{b.file}#page-1", "type": "AnnotationPage", "startIndex": 0, "items": items}
    return {"@context": CONTEXT, "id": b.file, "type": "AnnotationCollection", "label": b.linked.dossier.meta.title,
            "total": total, "first": page, "last": page["id"]}


def annotations_json(linked: Linked, addresses: Addresses, parts: Parts = every_part) -> str:
    """The annotations of *linked* as JSON-LD text (byte-identical for the same dossier)."""
    return to_json(collection(linked, addresses, parts))


_ITEMS = 2
"""How deep the annotations' list stands in the file (in the collection's first page)."""


def annotations_bytes(linked: Linked, addresses: Addresses, parts: Parts = every_part) -> bytes:
    """:func:`annotations_json` in UTF-8, each owner's annotations written as JSON as a part by *parts*."""
    b = _Builder(linked, addresses)
    made = parts(f"annotations {addresses!r}", _keyed(b, partial(_owner_text, b)), linked.forget)
    items = listed([text for count, text in made if count], _ITEMS)
    text = spliced(_collection(b, place("items"), sum(count for count, _ in made)), {"items": items})
    return text if text is not None else annotations_json(linked, addresses).encode("utf-8")


def _owner_text(b: _Builder, owner: str) -> tuple[int, bytes]:
    found = b.of_owner(owner)
    return len(found), joined([fragment(one, _ITEMS + 1) for one in found], _ITEMS)
