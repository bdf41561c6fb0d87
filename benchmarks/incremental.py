"""The live preview's latency and the build cache, for ``benchmarks/run.py --only serve,cache``.

* **serve**: from saving a file to the browser's reload, through the
  live-reload signal (:mod:`serve_latency`), p95 of the ten edits, at about
  1,500 pages (one synthetic dossier) and 10,000 pages (a library of
  synthetic dossiers), against plain ``mkdocs serve`` on plain pages of the
  same facts (:mod:`plain_pages`). Targets: p95 at most 1 s at 1,500 pages,
  at most 2 s at 10,000.
* **cache**: ``dossier build`` of a 20-dossier library, the second run on
  unchanged inputs against the first (the cache emptied before it). Target:
  at most 25 %.
* **cores**: ``dossier build --no-cache`` of the same 20-dossier library, the
  briefings typeset side by side (the default) against one after another in
  one process (``--jobs 1``), the output the same. Target: no slower
  (ratio at most 1); the CPU time and the load average are in the notes,
  since on a loaded host the second core is someone else's.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from run import (
    Bench,
    Command,
    Row,
    Sample,
    Timing,
    dossier_command,
    measure,
    mkdocs_config,
    remove,
    site_config,
    write_config,
)
from serve_latency import dossier_edits, plain_edits
from serve_latency import measure as measure_serve
from synth import make_dossier

CACHE_TARGET = 0.25
CORES_TARGET = 1.0
SERVE_LIMITS = {1500: 1.0, 10000: 2.0}
"""Pages -> the p95 the serve figure may take, in seconds (the nearest size's limit applies)."""
LIBRARY_DOSSIERS = 20


def library_sizes(pages: int, count: int) -> list[int]:
    """The synthetic dossiers' N (all different, so their ids differ) for about *pages* pages in *count* dossiers."""
    per = max(pages / count - 8, 20) / 1.8
    base = max(10, round(per - (count - 1) / 2))
    return [base + i for i in range(count)]


def make_library(bench: Bench, pages: int, count: int) -> Path:
    """A project folder with ``dossiers/`` holding *count* synthetic dossiers, about *pages* pages in all."""
    folder = bench.work / f"library-{pages}-{count}"
    if not (folder / "dossiers").is_dir():
        print(f"writing a library of {count} dossiers, about {pages:,} pages …", file=sys.stderr, flush=True)
        for n in library_sizes(pages, count):
            make_dossier(n, folder / "dossiers")
    site_config(folder)
    return folder


def write_plain_library(project: Path, dest: Path) -> Path:
    """The plain pages of the same facts for every dossier of *project*, under one navigation."""
    from baselines import _prepared
    from plain_pages import write_plain_pages

    remove(dest)
    nav = []
    for dossier in sorted(p for p in (project / "dossiers").iterdir() if p.is_dir()):
        entries = write_plain_pages(_prepared(str(dossier)), dest / "docs" / dossier.name)
        nav.append({dossier.name: [{title: f"{dossier.name}/{path}"} for item in entries for title, path in item.items()]})
    write_config(dest, mkdocs_config(plugin=False, nav=nav))
    return dest


@dataclass
class SizedRow(Row):
    """A row whose size is given in pages and entities, not by the synthetic N."""

    pages: int = 0
    entities: int = 0

    def markdown(self) -> str:
        line = super().markdown()
        cells = line.split(" | ")
        cells[1], cells[2] = f"{self.pages:,} pages", f"{self.entities:,}"
        return " | ".join(cells)


def _timing(latencies: list[float]) -> Timing:
    return Timing([Sample(seconds, 0.0, 0) for seconds in latencies])


def _entities(project: Path) -> int:
    return sum(1 for _ in (project / "dossiers").rglob("*.yaml")) - sum(1 for _ in (project / "dossiers").glob("*/dossier.yaml"))


def serve_row(bench: Bench, pages: int) -> Row:
    """The serve figure at about *pages* pages: one dossier at 1,500, a library of 5 above."""
    count = 1 if pages <= 2000 else 5
    project = make_library(bench, pages, count)
    edited = min(p for p in (project / "dossiers").iterdir() if p.is_dir())
    print(f"serve, about {pages:,} pages", file=sys.stderr, flush=True)
    ours = measure_serve([*dossier_command(), "serve"], project, f"{edited.name}/actors/", dossier_edits(edited))
    plain = write_plain_library(project, bench.work / f"plain-serve-{pages}")
    first_docs = min(p for p in (plain / "docs").iterdir() if p.is_dir())
    theirs = measure_serve([sys.executable, "-m", "mkdocs", "serve", "--livereload"], plain,
                           f"{first_docs.name}/actors/", plain_edits(first_docs))
    limit = SERVE_LIMITS[min(SERVE_LIMITS, key=lambda size: abs(size - pages))]
    row = SizedRow("serve: edit → reload, p95 of 10 (baseline: plain mkdocs serve)", pages,
                   _timing([ours["p95"]]), _timing([theirs["p95"]]), float("inf"),
                   target_text=f"p95 ≤ {limit:g} s", pages=_page_count(project), entities=_entities(project))
    row.limits_ok = ours["p95"] <= limit
    row.notes = (f"ours: median {ours['median']:.2f} s, first build {ours['first']:.0f} s; plain: median "
                 f"{theirs['median']:.2f} s, first build {theirs['first']:.0f} s; by edit: "
                 + ", ".join(f"{kind} {seconds:.2f}" for kind, seconds in ours["edits"]))
    shutil.rmtree(plain, ignore_errors=True)
    return row


def _page_count(project: Path) -> int:
    """The generated pages of *project*'s dossiers (rendered once, untimed)."""
    from generator.pipeline.stages import prepare, site_pages

    linked, _ = prepare(project / "dossiers")
    return len(site_pages(linked, pdf=False, jobs=1))


def cache_row(bench: Bench, pages: int) -> Row:
    """``dossier build`` of a 20-dossier library: a second build on unchanged inputs against the first."""
    project = make_library(bench, pages, LIBRARY_DOSSIERS)
    args = [*dossier_command(), "build", "-f", str(project / "mkdocs.yml"), "--site-dir", str(project / "site")]
    print(f"cache, about {pages:,} pages", file=sys.stderr, flush=True)
    first, second = Timing(), Timing()
    for _ in range(bench.runs):
        remove(project / ".cache")
        first.samples += measure([Command("first build", args, project)], 1, bench.limit_bytes)["first build"].samples
        second.samples += measure([Command("second build", args, project)], 1, bench.limit_bytes)["second build"].samples
    row = SizedRow("cache: second build of an unchanged 20-dossier library vs the first (with PDFs)", pages,
                   second, first, CACHE_TARGET, pages=_page_count(project), entities=_entities(project))
    edited = min(p for p in (project / "dossiers").iterdir() if p.is_dir())
    dossier_edits(edited)[3][1]()  # a renamed title in one dossier
    third = measure([Command("one dossier changed", args, project)], 1, bench.limit_bytes)["one dossier changed"]
    if third.ok:
        row.notes = f"after a renamed title in one dossier: {third.median:.2f} s ({third.median / first.median:.0%})"
    return row


def cores_row(bench: Bench, pages: int) -> Row:
    """``dossier build --no-cache`` of a 20-dossier library: the briefings side by side against ``--jobs 1``."""
    project = make_library(bench, pages, LIBRARY_DOSSIERS)
    args = [*dossier_command(), "build", "--no-cache", "-f", str(project / "mkdocs.yml")]
    commands = [Command("side by side", [*args, "--site-dir", str(project / "site-cores")], project,
                        fresh=project / "site-cores"),
                Command("one at a time", [*args, "--jobs", "1", "--site-dir", str(project / "site-one")], project,
                        fresh=project / "site-one")]
    print(f"cores, about {pages:,} pages", file=sys.stderr, flush=True)
    load = os.getloadavg()[0]
    timings = measure(commands, bench.runs, bench.limit_bytes)
    ours, theirs = timings["side by side"], timings["one at a time"]
    row = SizedRow("cores: 20-dossier library built with the briefings side by side vs --jobs 1 (with PDFs)", pages,
                   ours, theirs, CORES_TARGET, pages=_page_count(project), entities=_entities(project))
    if ours.ok and theirs.ok:
        row.notes = (f"CPU {ours.cpu:.1f} / {theirs.cpu:.1f} s; load average {load:.1f} → {os.getloadavg()[0]:.1f}; "
                     f"{os.cpu_count()} CPU")
    return row
