"""The files a dossier is published in for other tools (``dossier export --format``).

Beside the project's own JSON (:mod:`generator.exchange.export`), a dossier is written
as FollowTheMoney entities (:mod:`generator.exchange.ftm`, for Aleph,
OpenSanctions' tools and the ``ftm`` command) and as W3C Web Annotations
(:mod:`generator.exchange.annotations`, for annotation clients). The site publishes the
three side by side in the dossier's folder (:func:`published_files`).
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.link import Linked
from ..incremental.page_reads import Parts, every_part
from .addresses import FORMATS, Addresses, file_name, normal_site_url
from .annotations import annotations_bytes, annotations_json
from .export import export_json
from .ftm import ftm_bytes, ftm_lines


def writer(format_: str, json_export: Callable[[Linked], str] = export_json,
           parts: Parts = every_part) -> Callable[[Linked, Addresses], str]:
    """The function that writes a linked dossier in *format_* (the project's JSON by *json_export*; the others
    made in parts by *parts*, :data:`generator.incremental.page_reads.Parts`)."""
    if format_ == "ftm":
        return lambda linked, addresses: ftm_lines(linked, addresses, parts)
    if format_ == "annotations":
        return lambda linked, addresses: annotations_json(linked, addresses, parts)
    return lambda linked, _addresses: json_export(linked)


def published_files(linked: Linked, site_url: str | None = None, directory_urls: bool = True,
                    json_export: Callable[[Linked], str] = export_json, parts: Parts = every_part) -> dict[str, str]:
    """Site address -> text of every file the site publishes for *linked*, beside its pages (``dossier serve``
    passes its incremental *json_export* and *parts*: the same text)."""
    addresses = Addresses(linked.dossier.id, normal_site_url(site_url), directory_urls)
    return {file_name(linked.dossier.id, f): writer(f, json_export, parts)(linked, addresses) for f in FORMATS}


def served_files(linked: Linked, site_url: str | None, directory_urls: bool, json_export: Callable[[Linked], bytes],
                 parts: Parts) -> dict[str, bytes]:
    """:func:`published_files` in UTF-8 for ``dossier serve``: each file assembled from the parts *parts* made
    (:data:`generator.incremental.page_reads.Parts`), the JSON export by *json_export*."""
    addresses = Addresses(linked.dossier.id, normal_site_url(site_url), directory_urls)
    made = {"json": lambda: json_export(linked), "ftm": lambda: ftm_bytes(linked, addresses, parts),
            "annotations": lambda: annotations_bytes(linked, addresses, parts)}
    return {file_name(linked.dossier.id, f): made[f]() for f in FORMATS}
