"""``dossier serve`` in a library: a dossier whose files did not change is not checked, linked or rendered again.

Each dossier's check (:func:`generator.validate.load_dossier`), link and
pages are functions of that dossier's folder alone (the site's home page,
made from every dossier, is always made again). :class:`DossierMemo` keeps,
from one rebuild to the next, for each dossier folder: a hash of every file
under it (path and bytes), the validated dossier with the diagnostics its
check reported, the linked dossier, its pages, its files for other tools (its JSON export…) and its previews. A folder
whose hash is unchanged gives back the very same objects (the diagnostics are
reported again); anything else is made anew. Only the last rebuild's
dossiers are kept.

Should a dossier's pages ever depend on other dossiers, the page memo's key
(:meth:`DossierMemo.pages_of`) must grow to cover what they read: the
preview's byte-for-byte test (``tests/test_incremental.py``) edits a file
and compares with a clean build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Diagnostic, Report


def folder_digest(folder: Path) -> bytes:
    """Every file under *folder* (relative path and bytes), hashed."""
    h = hashlib.blake2b(digest_size=20)
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            name = path.relative_to(folder).as_posix().encode()
            try:
                content = path.read_bytes()
            except OSError:
                content = b"\0unreadable"
            for part in (name, content):
                h.update(len(part).to_bytes(8, "little"))
                h.update(part)
    return h.digest()


@dataclass
class _Kept:
    digest: bytes
    dossier: Any
    diagnostics: list[Diagnostic]
    linked: Any = None
    pages: dict[tuple, list] = field(default_factory=dict)
    export: dict[tuple, Any] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)


class DossierMemo:
    """What the last rebuild made of each dossier folder, reused while the folder's files are the same."""

    def __init__(self) -> None:
        self.kept: dict[str, _Kept] = {}
        self.fresh: dict[str, _Kept] = {}
        self.reused = 0

    def start(self) -> None:
        """A new rebuild: what the last one made is what may be reused."""
        self.kept, self.fresh, self.reused = {**self.kept, **self.fresh}, {}, 0

    def finish(self) -> None:
        """The rebuild is done: keep only its dossiers."""
        self.kept, self.fresh = self.fresh, {}

    def load(self, plan: Any, report: Report, load: Callable[[], Any]) -> Any:
        """The validated dossier of *plan*: the last one when its folder is unchanged, else ``load()``."""
        key = f"{plan.folder.resolve()}\0{plan.display}"
        digest = folder_digest(plan.folder)
        kept = self.kept.get(key)
        if kept is not None and kept.digest == digest:
            report.diagnostics.extend(kept.diagnostics)
            self.fresh[key] = kept
            self.reused += 1
            return kept.dossier
        before = len(report.diagnostics)
        dossier = load()
        self.fresh[key] = _Kept(digest, dossier, list(report.diagnostics[before:]))
        return dossier

    def _of(self, obj: Any, attribute: str) -> _Kept | None:
        return next((kept for kept in self.fresh.values() if getattr(kept, attribute) is obj), None)

    def link(self, dossier: Any, link: Callable[[Any], Any]) -> Any:
        """The linked *dossier*: the one made before for this very object."""
        kept = self._of(dossier, "dossier")
        if kept is None:
            return link(dossier)
        if kept.linked is None:
            kept.linked = link(dossier)
        return kept.linked

    def pages_of(self, linked: Any, options: tuple) -> list | None:
        """The pages made before for this very linked dossier with the same *options*, or None."""
        kept = self._of(linked, "linked")
        return None if kept is None else kept.pages.get(options)

    def keep_pages(self, linked: Any, options: tuple, pages: list) -> None:
        kept = self._of(linked, "linked")
        if kept is not None:
            kept.pages = {options: pages}

    def export(self, linked: Any, make: Callable[[Any], Any], options: tuple = ()) -> Any:
        """What *linked* publishes for other tools (``make(linked)``: its JSON export and the rest), made once
        per linked dossier and *options* (the site's address and URL style, which the files name)."""
        kept = self._of(linked, "linked")
        if kept is None:
            return make(linked)
        if options not in kept.export:
            kept.export = {options: make(linked)}
        return kept.export[options]

    def output(self, linked: Any, name: str, make: Callable[[Any], str]) -> str:
        """Another text made of *linked* (its previews' JSON …), by *name*: made once per linked dossier."""
        kept = self._of(linked, "linked")
        if kept is None:
            return make(linked)
        if name not in kept.outputs:
            kept.outputs[name] = make(linked)
        return kept.outputs[name]
