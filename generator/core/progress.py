"""Progress of a long build, on the terminal.

A build of thousands of pages takes minutes; on a terminal the reader sees
each stage start and a page counter run. Where standard error is not a
terminal (a log, CI, a test reading the output), nothing is shown, so the
output stays exactly the diagnostics and summaries that scripts read.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Stage lines and a self-redrawing counter, or nothing when *stream* is not a terminal."""

    INTERVAL = 0.2
    """Least time between two redraws of the counter, in seconds."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        """Whether anything is shown."""
        self.label = ""
        self.total = 0
        self.count = 0
        self._drawn = 0.0
        self._started = 0.0

    def stage(self, message: str) -> None:
        """Say that a stage starts (ends a running counter first)."""
        self.finish()
        self._write(f"dossier: {message}\n")

    def start(self, label: str, total: int) -> None:
        """Start a counter of *total* steps named *label*."""
        self.finish()
        self.label, self.total, self.count = label, total, 0
        self._started = time.monotonic()
        self._drawn = 0.0
        self._draw()

    def advance(self, steps: int = 1) -> None:
        """Count *steps* more; redraw when the last redraw is old enough, or at the end."""
        if not self.total:
            return
        self.count = min(self.count + steps, self.total)
        if self.count == self.total or time.monotonic() - self._drawn >= self.INTERVAL:
            self._draw()

    def finish(self) -> None:
        """End the running counter, if any, with its final count and time."""
        if not self.total:
            return
        self._draw(final=True)
        self.total = 0

    def _draw(self, final: bool = False) -> None:
        self._drawn = time.monotonic()
        line = f"\rdossier: {self.label} {self.count:,}/{self.total:,}"
        if final:
            line += f" in {self._drawn - self._started:.1f} s\n"
        self._write(line)

    def _write(self, text: str) -> None:
        if self.enabled:
            self.stream.write(text)
            self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
