"""The commands' way into the pipeline: a folder of dossiers checked and linked, its report shown, errors raised.

Shared by the ``dossier`` command line (:mod:`generator.cli`) and the other
engines' runs (:mod:`generator.publish.engine_run`): neither exits from here, each
turns :class:`~generator.core.errors.UsageError` and
:class:`~generator.core.errors.InputError` into its own exit status. This module
imports no stage: a second process can start reading the files
(:mod:`generator.core.prefetch`) before the model and the stages are loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import InputError, Report, UsageError
from ..core.files import plan_dossiers
from ..core.prefetch import reading

if TYPE_CHECKING:
    from ..core.link import Linked


def prepared(path: str, show: Callable[[Report], None], *, read_ahead: bool = False) -> tuple[list[Linked], Report]:
    """Load, validate and link the dossiers at or under *path*; *show* gets the report (errors and warnings).

    *read_ahead*: a second process reads the files while this one loads the
    model (as ``check`` does, where it helps: see :mod:`generator.core.prefetch`).
    Raises :class:`UsageError` when *path* is not a folder, :class:`InputError`
    (after *show*) when the dossiers have errors.
    """
    root = Path(path)
    if not root.is_dir():
        raise UsageError(f"{path}: no such folder")
    display = path.rstrip("/") or path
    report = Report()
    plans = plan_dossiers(root, display, report)
    with reading(plans, None if read_ahead else 1) as prefetch:
        from .stages import prepare  # once the reader has started: the stages load while it reads

        linked, report = prepare(root, display, plans=plans, report=report, prefetch=prefetch)
    show(report)
    if report.errors:
        raise InputError(report)
    return linked, report
