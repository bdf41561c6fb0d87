"""What ``dossier check`` is asked to check: a folder of dossiers, one dossier, or one file.

Without a path, ``dossiers/`` when there is one, else the dossier the working
directory is in (the folder holding ``dossier.yaml``, here or above). A file
is checked with its whole dossier (its references need every other file),
and only its own problems are told.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import Report
from .kinds import folders


class TargetError(Exception):
    """The path names nothing that can be checked (a usage error)."""


@dataclass(frozen=True)
class Target:
    """A folder to check, how to show it, and the files whose problems are told (all when empty)."""

    folder: Path
    """The folder of dossiers, or the dossier folder."""
    display: str
    """The folder as shown in messages."""
    only: frozenset[str] = frozenset()
    """Absolute paths of the files asked about; empty for every file."""

    def restrict(self, report: Report) -> Report:
        """*report* limited to the files asked about."""
        if not self.only:
            return report
        return Report([d for d in report.diagnostics if os.path.abspath(d.path) in self.only])


def check_target(path: str | None) -> Target:
    """The :class:`Target` for the PATH argument of ``dossier check`` (None: not given)."""
    if path is None:
        if Path("dossiers").is_dir():
            return Target(Path("dossiers"), "dossiers")
        found = _dossier_above(Path.cwd())
        if found is None:
            raise TargetError("dossiers: no such folder, and this folder is not inside a dossier "
                              "(a folder holding dossier.yaml): name the folder to check")
        display = os.path.relpath(found) if found != Path.cwd() else "."
        return Target(Path(display), display)
    given = Path(path)
    if given.is_dir():
        return Target(given, path.rstrip("/") or path)
    if not given.exists():
        raise TargetError(f"{path}: no such file or folder")
    return _file_target(path)


def _file_target(path: str) -> Target:
    given = Path(os.path.abspath(path))
    if given.parent.name in folders():
        folder = given.parent.parent
    elif given.name == "dossier.yaml":
        folder = given.parent
    else:
        raise TargetError(f"{path}: not a dossier file (dossier.yaml, or a file in {'/, '.join(folders())}/)")
    display = os.path.relpath(folder)
    only = {str(given)}
    if given.parent.name == "sources":  # a source is its metadata and its text
        only |= {str(given.with_suffix(suffix)) for suffix in (".yaml", ".txt")}
    return Target(Path(display), display, frozenset(only))


def _dossier_above(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        if (folder / "dossier.yaml").is_file():
            return folder
    return None
