"""The briefings of a library typeset side by side: several dossiers' PDFs at once, on threads.

Typst releases the interpreter while it typesets (a Python loop on another
thread keeps running during ``typst.compile``), so threads suffice: each
briefing's data, Typst project and font check are made in the calling
thread, one dossier after another, and only Typst runs on the pool's
threads. Typst already lays out a briefing's page runs in parallel
(:mod:`.runs`); what the pool adds is for a library of small and medium
dossiers, whose short runs leave a core idle.

The result is the serial one: the same bytes (each compile is the same
call on the same files), in the dossiers' order, and the same reports, in
that order too: a dossier's warnings are handed on once every dossier
before it is done, and the first dossier (in order) whose briefing fails
raises its error after the warnings of those before it and its own, as one
after another would. A large briefing (:data:`ALONE_BYTES`) is typeset
alone: its own runs fill the cores, and Typst's memory grows with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from ..core.errors import Report
from ..core.link import Linked
from ..core.prefetch import cores
from .briefing import checked_pdf, document_timestamp, dossier_sources, font_warnings
from .compile import compile_files

ALONE_BYTES = 4_000_000
"""A briefing whose ``data.json`` has this many bytes or more (about 400 entities) is typeset with no other
beside it: Typst's peak memory is about 350 times the data's size (720 MB for the 2 MB of 201 entities)."""


@dataclass
class _Turn:
    """One dossier's briefing: its warnings, and its PDF or the compile that makes it."""

    one: Linked
    report: Report
    pdf: bytes | Future[bytes]
    fresh: bool = False
    """Typeset in this build (not kept from an earlier one)."""


@dataclass
class _Typesetter:
    fonts: list[str]
    warn: Callable[[Report], object]
    made: Callable[[Linked, bytes], object]
    slots: int
    turns: list[_Turn] = field(default_factory=list)
    done: list[bytes] = field(default_factory=list)
    running: dict[Future[bytes], bool] = field(default_factory=dict)
    """The compiles under way -> whether each is a large one."""

    def room(self, large: bool) -> None:
        """Wait until a compile (*large*: one typeset alone) may start, handing on what is finished meanwhile."""
        while self.running and (large or len(self.running) >= self.slots or any(self.running.values())):
            self.wait_one()

    def drain(self) -> None:
        """Wait for every compile under way, handing on each dossier in order."""
        while self.running:
            self.wait_one()

    def wait_one(self) -> None:
        finished, _ = wait(self.running, return_when=FIRST_COMPLETED)
        for future in finished:
            del self.running[future]
        self.hand_on()

    def hand_on(self) -> None:
        """Report, in order, every dossier whose briefing and those before it are finished; raise the first failure."""
        while len(self.done) < len(self.turns):
            turn = self.turns[len(self.done)]
            if isinstance(turn.pdf, Future) and not turn.pdf.done():
                return
            self.warn(turn.report)
            pdf = turn.pdf.result() if isinstance(turn.pdf, Future) else turn.pdf  # raises the compile's error
            if turn.fresh:
                self.made(turn.one, pdf)
            self.done.append(pdf)


def typeset_all(linked: Sequence[Linked], font_paths: Iterable[str], warn: Callable[[Report], object], *,
                kept: Callable[[Linked], bytes | None] | None = None, made: Callable[[Linked, bytes], object] | None = None,
                starting: Callable[[Linked], object] | None = None, jobs: int | None = None) -> list[bytes]:
    """The PDF briefing of each of *linked*, in order, up to *jobs* typeset at once (None: the cores).

    For each dossier in turn, *starting* is told, then *kept* may give the briefing of an earlier build
    (asked while the dossier's Typst project is the one :mod:`.briefing` holds, as :func:`.kept.pdf_key` wants);
    *made* is given each briefing typeset here; *warn* gets each dossier's font warnings
    (:func:`.briefing.font_warnings`), in the dossiers' order, before its briefing is handed on or its error raised.
    With *jobs* 1, one after another through :func:`.briefing.checked_pdf`, as before the pool.
    """
    fonts = list(font_paths)
    kept, made = kept or _nothing, made or _nothing
    starting = starting or _nothing
    slots = jobs if jobs is not None else cores()
    if slots <= 1 or len(linked) <= 1:
        return [_one_by_one(one, fonts, warn, kept, made, starting) for one in linked]
    work = _Typesetter(fonts, warn, made, slots)
    with ThreadPoolExecutor(slots, thread_name_prefix="dossier-typst") as pool:
        try:
            for one in linked:
                starting(one)
                work.turns.append(_turn(one, work, pool, kept))
                work.hand_on()
            work.drain()
        finally:
            pool.shutdown(cancel_futures=True)  # after a failure: the compiles not begun are not begun
    return work.done


def _turn(one: Linked, work: _Typesetter, pool: ThreadPoolExecutor, kept: Callable[[Linked], bytes | None]) -> _Turn:
    files = dossier_sources(one)
    pdf: bytes | Future[bytes] | None = kept(one)
    fresh = pdf is None
    if pdf is None:
        large = len(files["data.json"]) >= ALONE_BYTES
        work.room(large)
        pdf = pool.submit(compile_files, files, font_paths=work.fonts, timestamp=document_timestamp(one))
        work.running[pdf] = large
    return _Turn(one, font_warnings(one, work.fonts), pdf, fresh)  # the font check while Typst typesets


def _nothing(*_: object) -> None:
    return None


def _one_by_one(one: Linked, fonts: list[str], warn: Callable[[Report], object],
                kept: Callable[[Linked], bytes | None], made: Callable[[Linked, bytes], object],
                starting: Callable[[Linked], object]) -> bytes:
    starting(one)
    pdf = kept(one)
    if pdf is not None:
        warn(font_warnings(one, fonts))
        return pdf
    pdf = checked_pdf(one, fonts, warn)
    made(one, pdf)
    return pdf
