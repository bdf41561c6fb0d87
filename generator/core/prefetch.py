"""Reading a dossier's files in two processes while the model loads and validates.

Most of ``dossier check`` is reading: libyaml composing each file, then
Python converting it to values; the rest is starting pydantic and validating.
On two cores they can overlap. Once the files are planned (which needs no
pydantic), :meth:`Prefetch.start` forks a reader that reads the planned files
from the first on, exactly as :class:`~generator.core.files.DossierFiles` does. It
appends each result to an unnamed file in memory and tells its size through
a pipe (it waits only if some 8,000 sizes are still unread there). The first
process loads the model meanwhile, then validates the reader's results as
they come (:meth:`Prefetch.results`); whenever none is ready, it reads a
file itself, from the last one back. Each side marks the files it takes in a
shared table of claims, so they meet in the middle. A file both happen to
take at once is used once. The results stay in the memory file until the
check ends: about the size of the dossier's files, twice for source texts
(as read and normalised).

The results are the same either way, in any order: the validation does not
depend on the order files are read in, and whatever the reader cannot deliver
(it died) is read in-process. The reader is used only where it can help: with
``fork`` available, at least two cores and enough files to outweigh starting
it.
"""

from __future__ import annotations

import mmap
import os
import pickle
import select
import signal
import struct
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .files import DossierFiles, FileJob, FileRead, Plan

MIN_FILES = 200
"""Fewer files than this are read in-process: forking would cost more than it saves."""
_SIZE = struct.Struct("<Q")
"""How the reader tells the size of each result it appended."""
_FREE, _READER, _VALIDATOR = 0, 1, 2
"""Claims on a file: nobody yet, the reader, the validating process."""


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


@contextmanager
def reading(plans: list[Plan], jobs: int | None = None) -> Iterator[Prefetch | None]:
    """A reader for the files of *plans* (:meth:`Prefetch.start`) for the ``with`` block, stopped after it."""
    prefetch = Prefetch.start(plans, jobs)
    try:
        yield prefetch
    finally:
        if prefetch is not None:
            prefetch.close()


def read_plan(plan: Plan, prefetch: Prefetch | None) -> Iterator[FileRead]:
    """Every file of *plan* read, with the reader's help when there is one (in no fixed order)."""
    if prefetch is not None:
        yield from prefetch.results(plan)
        return
    files = DossierFiles(plan.folder)
    for job in plan.units():
        yield files.read(job)


def _scratch_file() -> int:
    """A file descriptor for an unnamed file, in memory where the system allows."""
    if hasattr(os, "memfd_create"):
        try:
            return os.memfd_create("dossier-prefetch", os.MFD_CLOEXEC)
        except OSError:  # an old kernel, or a sandbox that forbids it
            pass
    import tempfile  # not imported before the fork otherwise (6 ms)

    handle, name = tempfile.mkstemp(prefix="dossier-prefetch-")
    os.unlink(name)
    return handle


class Prefetch:
    """A reader process, its results and the table of claims it shares with this process."""

    def __init__(self, pid: int, units: list[tuple[Plan, FileJob]], claims: mmap.mmap, notes: int, results: int):
        self.pid = pid
        """The reader's process id."""
        self.units = units
        """Every file of every plan, in the reader's order (a file's place in it is its number)."""
        self.claims = claims
        """One byte per file: who took it (``_FREE``, ``_READER`` or ``_VALIDATOR``)."""
        self._notes, self._results = notes, results
        self._sizes: deque[int] = deque()
        self._pending = b""
        self._offset = 0
        self._ended = False
        self._early: dict[int, FileRead] = {}
        self._used: set[int] = set()
        self._files: dict[int, DossierFiles] = {}
        self._closed = False
        self.read_here = 0
        """Files this process read itself (the reader was behind)."""
        self.from_reader = 0
        """Results the reader delivered (a file both took at once counts on both sides)."""

    @classmethod
    def start(cls, plans: list[Plan], jobs: int | None = None) -> Prefetch | None:
        """Fork a reader for the files of *plans*, or None: files are then read in-process.

        *jobs* is the number of processes reading: 1 (no reader) or 2 (a
        reader, where ``fork`` exists); None chooses 2 only where it helps.
        A reader that cannot be started (no memory, no process left) is no
        error: the files are read in-process.
        """
        units = [(plan, job) for plan in plans for job in plan.units()]
        helps = cores() >= 2 and len(units) >= MIN_FILES
        if not units or not hasattr(os, "fork") or jobs == 1 or (jobs is None and not helps):
            return None
        opened: list[Any] = []
        try:
            claims = mmap.mmap(-1, len(units))  # anonymous memory: shared with the reader after fork
            opened.append(claims)
            results = _scratch_file()
            opened.append(results)
            notes, told = os.pipe()
            opened += [notes, told]
            pid = _fork_reader(units, claims, results, notes, told)
        except OSError:
            for thing in opened:
                if isinstance(thing, mmap.mmap):
                    thing.close()
                else:
                    os.close(thing)
            return None
        os.close(told)
        os.set_blocking(notes, False)
        return cls(pid, units, claims, notes, results)

    def results(self, plan: Plan) -> Iterator[FileRead]:
        """Every file of *plan* read, once: the reader's results as they come, the rest read here."""
        numbers = [n for n, (owner, _) in enumerate(self.units) if owner is plan]
        if not numbers:  # not a plan the reader was given: read it here
            yield from read_plan(plan, None)
            return
        missing = set(numbers)
        for number in sorted(missing & set(self._early)):
            yield self._use(number, self._early.pop(number), missing)
        back = len(numbers)  # numbers[back:] were read here, from the last one back
        while missing:
            got = self._next_result(block=False)
            if got is None and back and self.claims[numbers[back - 1]] == _FREE:
                back -= 1
                got = self._read_here(numbers[back])
            elif got is None:  # the reader has the rest: wait for it (read here what it never sends)
                got = self._next_result(block=True) or self._read_here(min(missing))
            number, read = got
            if number in missing:
                yield self._use(number, read, missing)
            elif number not in self._used:
                self._early[number] = read  # a later plan's

    def _use(self, number: int, read: FileRead, missing: set[int]) -> FileRead:
        missing.discard(number)
        self._used.add(number)
        return read

    def _read_here(self, number: int) -> tuple[int, FileRead]:
        self.claims[number] = _VALIDATOR
        self.read_here += 1
        plan, job = self.units[number]
        return number, _files_of(self._files, plan).read(job)

    def _next_result(self, block: bool) -> tuple[int, FileRead] | None:
        """The reader's next result; None when it has none ready (or, with *block*, when it has ended)."""
        if not self._sizes:
            self._read_notes(block)
        if not self._sizes:
            return None
        size = self._sizes.popleft()
        try:
            number, document, problems, text, text_problems, quotes = pickle.loads(
                os.pread(self._results, size, self._offset))
        except Exception:  # noqa: BLE001 - a result cut short: stop the reader, read the rest here
            self._ended, self._sizes = True, deque()
            self._stop_reader()
            return None
        self._offset += size
        self.from_reader += 1
        return number, FileRead(self.units[number][1], document, problems, text, text_problems, quotes)

    def _read_notes(self, block: bool) -> None:
        while not self._ended:
            if block:
                waiting = select.poll()
                waiting.register(self._notes, select.POLLIN)
                waiting.poll()
            try:
                chunk = os.read(self._notes, 1 << 16)
            except BlockingIOError:
                return
            if not chunk:
                self._ended = True
                return
            chunk = self._pending + chunk
            whole = len(chunk) - len(chunk) % _SIZE.size
            self._sizes.extend(size for size, in _SIZE.iter_unpack(chunk[:whole]))
            self._pending = chunk[whole:]
            if self._sizes:
                return

    def close(self) -> None:
        """Stop the reader if it still runs, collect its exit status, and free what it shared (once)."""
        if self._closed:
            return
        self._closed = True
        self._stop_reader()
        os.close(self._notes)
        os.close(self._results)
        self.claims.close()

    def _stop_reader(self) -> None:
        """Kill the reader if it still runs, and collect its exit status."""
        try:
            if os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except ChildProcessError:  # collected already
            pass


def _files_of(readers: dict[int, DossierFiles], plan: Plan) -> DossierFiles:
    """The reader of *plan*'s folder in *readers*, made once per plan (it remembers resolved folders)."""
    files = readers.get(id(plan))
    if files is None:
        files = readers[id(plan)] = DossierFiles(plan.folder)
    return files


def _fork_reader(units: list[tuple[Plan, FileJob]], claims: mmap.mmap, results: int, notes: int, told: int) -> int:
    """Fork the reader; its process id. Ctrl-C stops the first process, which stops the reader."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # no KeyboardInterrupt in the reader's first steps
    try:
        pid = os.fork()
        if pid == 0:  # the reader: it never returns into the caller's code
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
                os.close(notes)
                _read_and_keep(units, claims, results, told)
            finally:
                os._exit(1)  # pylint: disable=protected-access
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    return pid


def _read_and_keep(units: list[tuple[Plan, FileJob]], claims: mmap.mmap, results: int, told: int) -> None:
    """The reader's work: read each file not claimed yet, keep its result; then exit, running no exit handler."""
    status = 0
    try:
        readers: dict[int, DossierFiles] = {}
        for number, (plan, job) in enumerate(units):
            if claims[number] != _FREE:
                continue
            claims[number] = _READER
            read = _files_of(readers, plan).read(job)
            blob = pickle.dumps((number, read.document, read.problems, read.text, read.text_problems, read.quotes),
                                protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(blob)
            while view:
                view = view[os.write(results, view):]
            os.write(told, _SIZE.pack(len(blob)))
    except BaseException:  # noqa: BLE001 - the first process reads whatever is missing itself
        status = 1
    finally:
        os._exit(status)  # pylint: disable=protected-access
