"""The addresses of a dossier's site pages as the files for other tools name them.

Absolute under *site_url* when one is known (``site_url`` in ``mkdocs.yml``,
``--site-url`` on the command line), else relative to the published file's
own folder (``<id>/``), as JSON-LD resolves a relative IRI against the
document's address.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.link import Linked
from ..incremental.page_reads import title_read
from ..render.pages import entity_url, page_url
from ..render.text import relative_url

FORMATS = ("json", "ftm", "annotations")
"""The values of ``dossier export --format``."""


def file_name(dossier_id: str, format_: str) -> str:
    """The site address of a dossier's file in *format_* (``<id>/<id>.json``, ``.ftm.jsonl``, ``.annotations.jsonld``)."""
    suffix = {"json": "json", "ftm": "ftm.jsonl", "annotations": "annotations.jsonld"}[format_]
    return f"{dossier_id}/{dossier_id}.{suffix}"


@dataclass(frozen=True)
class Addresses:
    """The addresses of one dossier's pages, as a published file names them."""

    dossier_id: str
    """The dossier's id (its folder on the site)."""
    site_url: str | None = None
    """The site's root address (ending in ``/``), or None for addresses relative to the dossier's folder."""
    directory_urls: bool = True
    """MkDocs' ``use_directory_urls``: ``d/actors/x/`` or ``d/actors/x.html``."""

    def address(self, site_path: str) -> str:
        """*site_path* (relative to the site's root, a ``#fragment`` allowed) as the file writes it."""
        if self.site_url is not None:
            return self.site_url + site_path
        return relative_url(site_path, f"{self.dossier_id}/")

    def page(self, linked: Linked, id_: str, anchor: str = "") -> str:
        """The page of the entity *id_* (the dossier's home for ``""``), at *anchor* when given."""
        if id_:
            entity = title_read(linked.dossier.id, id_, lambda: linked.dossier.entity(id_))  # read: its kind (its folder)
            assert entity is not None, id_  # references are checked before any export
            path = entity_url(self.dossier_id, entity, self.directory_urls)
        else:
            path = page_url(f"{self.dossier_id}/index.md", self.directory_urls)
        return self.address(path + (f"#{anchor}" if anchor else ""))

    def file(self, format_: str) -> str:
        """The published file in *format_*."""
        return self.address(file_name(self.dossier_id, format_))


def normal_site_url(url: str | None) -> str | None:
    """*url* with one final ``/`` (None or empty: None)."""
    return url.rstrip("/") + "/" if url else None
