"""Which parts of the briefing start a *page run*: the parts Typst lays out in parallel.

Typst cuts a document at its page breaks into page runs and lays the runs out
in parallel, on a pool of threads (rayon): the first worker starts with the
first run, the next one with the run in the middle (number ``N // 2`` of
``N``), and a worker with nothing left takes what another one has not begun
yet, from its far end. The pages come out the same in any order; the time does
not. With a page break before every section, the briefing of a large dossier
gave one worker the meetings and then the actors, more than half of the
pages, while the other finished the rest and waited: a second of 3 at 201
entities, 6 s of 31 at 2,001.

A part that does not start a run starts with a column break instead (on a page
of one column, Typst's ``colbreak`` starts a new page too) and continues the
run before it. The pages are the same either way (tests compare the bytes);
only the cut into runs changes. :func:`run_starts` cuts so that the longest
section is the middle run: a worker begins it at once while the other takes
the runs before it, then those after it.
"""

from __future__ import annotations

from typing import Any

from ..core.kinds import on_change, shown

PARTS: tuple[str, ...] = ()
"""The parts of the briefing in print order, derived here only (from the kinds: :func:`generator.core.kinds.shown`,
the sources, an ``appendix``, after the timeline and the network): the template prints the parts ``data.json``
lists (``parts``, in this order), and the footnotes are numbered in it (:func:`.compile.number_citations`);
each part but the cover starts a new page."""

LONG_CANDIDATES: tuple[str, ...] = ()
"""The parts that may be the longest (the front parts and the network figure never are)."""


def _derive() -> None:
    """Set :data:`PARTS` and :data:`LONG_CANDIDATES` from the kinds declared (again when one is added)."""
    global PARTS, LONG_CANDIDATES
    body = tuple(kind.folder for kind in shown() if not kind.appendix)
    tail = tuple(kind.folder for kind in shown() if kind.appendix)
    PARTS = ("cover", "contents", "changes", "summary", *body, "timeline", "network", *tail)
    LONG_CANDIDATES = (*body, "timeline", *tail)


_derive()
on_change(_derive)


def parts_present(data: dict[str, Any], network: bool) -> list[str]:
    """The parts *data* prints, in order (*network*: whether there is a network figure)."""
    present = {"cover", "contents", "summary"}
    if data.get("changes") is not None:
        present.add("changes")
    present.update(key for key in LONG_CANDIDATES if data.get(key))
    if network:
        present.add("network")
    return [part for part in PARTS if part in present]


def weights(data: dict[str, Any], dumped: dict[str, bytes]) -> dict[str, int]:
    """The size of each candidate part of *data*, in bytes of its JSON (*dumped*, by key): what its
    pages cost, near enough."""
    return {key: len(dumped[key]) for key in LONG_CANDIDATES if data.get(key)}


def run_starts(parts: list[str], sizes: dict[str, int]) -> list[str]:
    """The parts (of *parts*, in order) that start a page run, the longest of *sizes* in the middle.

    The longest part starts a run, and so does each part after it (the worker
    that finishes first takes them one by one), as many as the runs that can
    stand before it: the network figure and the part after it always start one
    (a landscape page is a run of its own). Before the longest, the cover and
    the parts nearest to it start runs, one more than after it, or as many.
    """
    longest = max((part for part in parts if part in sizes), key=lambda part: sizes[part], default=None)
    if longest is None:
        return list(parts)
    at = parts.index(longest)
    before, after = parts[:at], parts[at + 1:]
    forced = {part for index, part in enumerate(after) if part == "network" or index and after[index - 1] == "network"}
    wanted = min(len(after), len(before))
    chosen = [part for index, part in enumerate(after) if index == 0 or part in forced]
    chosen += [part for part in after if part not in chosen][:max(0, wanted - len(chosen))]
    front = min(len(chosen) + 1, len(before))
    starts = {"cover", *before[len(before) - front + 1:]} if front > 1 else {"cover"}
    if "network" in before:  # the longest is then the sources
        starts.add("network")
    return [part for part in parts if part in {*starts, longest, *chosen}]
