"""The render stage on both cores: a forked second process renders every other page.

The pages are independent pure functions of the linked dossiers
(:func:`generator.render.site.render_site` with ``part=(k, n)``). After the
dossiers are linked, :func:`in_two` forks: the child renders the odd pages
from its copy of the models (nothing is sent to it), pickles them into an
anonymous memory file and exits; the first process renders the even pages
meanwhile, then reads the child's and interleaves them. The list is the one a
single process makes, in the same order (a test compares them). If the child
fails, its pages are rendered in-process: never a missing page.

Used where it helps: ``fork`` available, two cores or more, and at least
:data:`MIN_PAGES` pages to render.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from typing import TypeVar

from ..core.prefetch import cores

MIN_PAGES = 300
"""Fewer pages than this are rendered in one process: forking and pickling would cost more than they save."""
T = TypeVar("T")


def in_two(render: Callable[[tuple[int, int]], list[T]], size: int, jobs: int | None = None) -> list[T]:
    """``render((0, 1))``, made as ``render((0, 2))`` here and ``render((1, 2))`` in a forked process.

    *size* is about how many items there are; *jobs* 1 or 2 forces one way (None: 2 where it helps).
    """
    helps = size >= MIN_PAGES and cores() >= 2
    if not hasattr(os, "fork") or jobs == 1 or (jobs is None and not helps):
        return render((0, 1))
    import tempfile

    with tempfile.TemporaryFile() as shared:
        pid = _fork(lambda: _child(render, shared.fileno()))
        mine = render((0, 2))
        theirs = _collect(pid, shared)
    if theirs is None:
        theirs = render((1, 2))
    merged: list[T] = [None] * (len(mine) + len(theirs))  # type: ignore[list-item]
    merged[0::2], merged[1::2] = mine, theirs
    return merged


def _fork(work: Callable[[], None]) -> int:
    """Fork a process that runs *work* and exits; Ctrl-C stops the first process only."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
        if pid == 0:
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
                work()
            finally:
                os._exit(1)  # pylint: disable=protected-access - never back into the caller's code
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    return pid


def _child(render: Callable[[tuple[int, int]], list], fd: int) -> None:
    status = 1
    try:
        blob = pickle.dumps(render((1, 2)), protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(blob)
        while view:
            view = view[os.write(fd, view):]
        status = 0
    finally:
        os._exit(status)  # pylint: disable=protected-access - no exit handlers of the first process


def _collect(pid: int, shared) -> list | None:
    """The child's pages, once it has exited; None if it failed."""
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    shared.seek(0)
    try:
        pages = pickle.loads(shared.read())
    except Exception:  # noqa: BLE001 - a broken result is rendered again in-process
        return None
    return pages if isinstance(pages, list) else None
