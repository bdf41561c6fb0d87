"""Running the stages as a batch job: the cyclic garbage collector paused while they build.

The stages build many objects that live until the end (documents, models,
passages, pages) and make no reference cycles worth collecting on the way.
Python's collector, triggered by every few hundred allocations, would walk all
that was already built again and again: at 3,600 files it took about a
quarter of ``dossier check``. Reference counting still frees what a stage
drops, at once; the collector resumes when the stage ends. Once the stages are
done, :func:`settle` keeps what they built out of the later collections.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block (nested blocks are fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def one_shot() -> Iterator[None]:
    """For a command that exits once the ``with`` block is done: no collection during it or after.

    The collector stays off in the block; at its end, what was built is set
    aside (as by :func:`settle`), so neither a collection triggered by the output nor
    the one Python makes at exit walks it all again.
    """
    with collector_paused():
        try:
            yield
        finally:
            gc.freeze()  # as settle() does, the collector being paused here


_SETTLED: list[bool] = []
"""Whether the last :func:`settle` set objects aside (not while the collector is paused: no collection to spare)."""


def settle() -> None:
    """Take every object alive now out of the collector's sight, until :func:`unsettle`.

    Called once the stages are done: what they built (models, pages) then
    costs nothing to the collections that the rest of a build (MkDocs) sets off.
    Reference counting still frees these objects when they are dropped. Nothing
    is done while the collector is paused (``dossier serve``'s rebuilds: it
    sets aside what survives its own collections).
    """
    _SETTLED[:] = [gc.isenabled()]
    if _SETTLED[0]:
        gc.freeze()


def unsettle() -> None:
    """Give the objects :func:`settle` set aside back to the collector (for the next rebuild)."""
    if _SETTLED and _SETTLED.pop():
        gc.unfreeze()
