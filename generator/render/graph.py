"""The network of a dossier as nodes and edges, for the SVG drawn by :mod:`.network`.

Nodes are the actors and meetings; edges are the references the model declares
as edges (:class:`~generator.core.model.Ref`): a meeting to its participants, an
actor to the organisation or state of its roles and to its country, a meeting
to the meetings it follows. The same SVG serves the site (links
relative to the network page) and the PDF (no links).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from ..core import model as m
from ..core.link import Linked
from ..incremental.page_reads import page_parts
from .labels import labels, word
from .network import NetNode, draw_network, layout_key, network_layout, prepare
from .network.inputs import Graph
from .network.scene import Scene
from .pages import page_url
from .text import relative_url

_MADE: dict[tuple, dict[int, tuple[Any, NetNode, list[tuple[str, str]]]]] = {}
"""(dossier id, page, URL style, language) -> id of each entity -> (the entity, its node, its edges), as last drawn:
``dossier serve`` draws the network again after each edit of the dossier, where every entity but the edited is the
very object of the last rebuild (a node and its edges are a function of the entity and that key alone)."""


def network_graph(linked: Linked, page: str | None,
                  directory_urls: bool = True) -> tuple[list[NetNode], list[tuple[str, str]]]:
    """Nodes and edges of *linked*; hrefs relative to *page* (none when *page* is None), in
    the URL style *directory_urls* (MkDocs' ``use_directory_urls``)."""
    d, lang = linked.dossier, linked.dossier.meta.language
    key = (d.id, page, directory_urls, lang)
    last, now = _MADE.get(key, {}), {}
    nodes, edges = [], []
    entities: list[m.Actor | m.Meeting] = [*d.actors.values(), *d.meetings.values()]
    for entity in entities:
        kept = last.get(id(entity))
        if kept is None or kept[0] is not entity:
            kept = (entity, _node(d.id, entity, lang, page, directory_urls), _edges(entity))
        now[id(entity)] = kept
        nodes.append(kept[1])
        edges += kept[2]
    _MADE[key] = now
    return nodes, sorted(set(edges))


def _node(dossier_id: str, entity: m.Actor | m.Meeting, lang: str, page: str | None, directory_urls: bool) -> NetNode:
    folder = "actors" if isinstance(entity, m.Actor) else "meetings"
    href = relative_url(page_url(f"{dossier_id}/{folder}/{entity.id}.md", directory_urls), page) if page is not None else None
    if isinstance(entity, m.Actor):
        return NetNode(entity.id, entity.name, entity.kind, href, word(lang, entity.kind))
    return NetNode(entity.id, entity.title, "meeting", href,
                   f"{labels(lang)['kind_meeting']}, {entity.date.display(lang)}",
                   order=entity.date.start.first_day().isoformat() + entity.date.end.last_day().isoformat())


def _edges(entity: m.Entity) -> list[tuple[str, str]]:
    return [(entity.id, target) if ref.edge == "out" else (target, entity.id)
            for _, target, ref in m.references(entity) if ref.edge is not None]


def network_svg(linked: Linked, page: str | None, directory_urls: bool = True) -> str:
    """The dossier's network as a standalone SVG string: drawn as a part of the page
    (:func:`generator.incremental.page_reads.page_parts`) keyed by its nodes and edges, which ``dossier serve``
    draws again only when they changed (an edit of a claim or a quote changes neither); its layout, where it reads
    only the graph's structure (the ring layout), a part of its own keyed by that structure, kept when a label
    changed (a renamed title: only the labels drawn again)."""
    nodes, edges = network_graph(linked, page, directory_urls)
    graph = prepare(nodes, edges)
    structure = layout_key(graph)
    laid = None if structure is None else \
        page_parts("network-layout", [(("", ("rings", structure)), partial(network_layout, graph))], linked.forget)[0]
    meta = linked.dossier.meta
    keyed = [(("", ("network", tuple(nodes), tuple(edges))), partial(_drawn, meta.language, meta.title, graph, laid))]
    return page_parts("network-svg", keyed, linked.forget)[0]


def _drawn(lang: str, dossier_title: str, graph: Graph, laid: tuple[Scene, list[str]] | None) -> str:
    """The drawing of *graph*, laid out as *laid* (None: laid out here)."""
    legend = {kind: word(lang, kind) for kind in ("person", "organisation", "state")}
    legend["meeting"] = labels(lang)["kind_meeting"]
    legend.update({f"edge_{kind}": labels(lang)[f"edge_{kind}"] for kind in ("attend", "member", "sequence")})
    return draw_network(graph, laid if laid is not None else network_layout(graph),
                        title=f"{labels(lang)['network']} — {dossier_title}", legend=legend)
