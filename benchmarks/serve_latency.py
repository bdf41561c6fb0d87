"""From saving a file to the browser's reload, as the live-reload signal tells it: ``dossier serve`` and ``mkdocs serve``.

A live preview is started as a subprocess on a free loopback port. Before
each edit, a page is fetched to read the epoch MkDocs' live-reload script
carries (``livereload(EPOCH, ID)``), and the request the browser's script
makes (``GET /livereload/EPOCH/ID``, answered once a newer site is ready) is
sent from a thread. The time from the edit's write to that answer is the
latency: exactly what a browser tab waits before it reloads.

The ten edits of the project's serve figure, on a synthetic dossier: a claim
text, a quote (shortened by its last word: still verbatim), a new actor, a
renamed title and a deleted file (the new actor), twice each on different
files. The baseline edits the plain pages of the same facts
(:mod:`plain_pages`) the same ways (a paragraph, a new page, a title, a
deleted page): plain MkDocs rebuilds the whole site whatever the edit.

``python benchmarks/serve_latency.py PROJECT_FOLDER [--baseline]`` prints one
line per edit and the median and p95 (nearest rank).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

LIMIT = 900.0
"""The longest wait for a build, in seconds."""
_EPOCH = re.compile(rb"livereload\((\d+), ?(\d+)\)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, timeout: float = 30) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return answer.read()


class Preview:
    """A live preview subprocess (``dossier serve`` or ``mkdocs serve``) in its own process group."""

    def __init__(self, command: list[str], cwd: Path, page: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.page = page
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - open while the server runs
        env = dict(os.environ, NO_MKDOCS_2_WARNING="true", PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen([*command, "-a", f"127.0.0.1:{self.port}"], cwd=cwd, env=env,
                                        stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True)

    def ready(self) -> float:
        """Wait for the first build; its seconds."""
        start = time.perf_counter()
        while time.perf_counter() - start < LIMIT:
            if self.process.poll() is not None:
                raise RuntimeError(f"the preview exited: {self.tail()}")
            try:
                if _EPOCH.search(_get(self.url + self.page, timeout=5)):
                    return time.perf_counter() - start
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the first build took too long")

    def tail(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-2000:]

    def latency(self, edit: Callable[[], None]) -> float:
        """Seconds from *edit* to the live-reload signal of the site that follows it."""
        match = _EPOCH.search(_get(self.url + self.page))
        if match is None:
            raise RuntimeError("no live-reload script in the page")
        epoch, request = match.group(1).decode(), match.group(2).decode()
        done: list[float] = []

        def poll() -> None:
            while time.perf_counter() - start < LIMIT:
                answer = _get(f"{self.url}livereload/{epoch}/{request}", timeout=LIMIT)
                if int(answer) > int(epoch):
                    done.append(time.perf_counter())
                    return

        time.sleep(0.3)  # the poll is waiting at the server before the edit
        start = time.perf_counter()
        waiter = threading.Thread(target=poll, daemon=True)
        waiter.start()
        time.sleep(0.05)
        start = time.perf_counter()
        edit()
        waiter.join(LIMIT)
        if not done:
            raise RuntimeError(f"no reload after the edit: {self.tail()}")
        time.sleep(1.0)  # let the server settle before the next edit
        return done[0] - start

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise RuntimeError(f"{path} lacks {old!r}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _shorter_quote(path: Path) -> None:
    """The first quote of *path* without its last word (still verbatim in its source)."""
    text = path.read_text(encoding="utf-8")
    match = re.search(r'^(\s+- [a-z0-9-]+: ")([^"]+) ([^" ]+)"$', text, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"{path}: no quote to shorten")
    path.write_text(text[:match.start()] + f'{match.group(1)}{match.group(2)}"' + text[match.end():], encoding="utf-8")


def dossier_edits(dossier: Path) -> list[tuple[str, Callable[[], None]]]:
    """The ten edits on a synthetic dossier folder."""
    actors = sorted((dossier / "actors").glob("*.yaml"))
    edits: list[tuple[str, Callable[[], None]]] = []
    for round_, (first, second) in enumerate([(actors[3], actors[7]), (actors[11], actors[19])]):
        new = dossier / "actors" / f"acteur-ajoute-{round_}.yaml"
        edits += [
            ("claim text", lambda p=first: _replace(p, '- text: "', '- text: "Selon nos notes, ')),
            ("quote", lambda p=second: _shorter_quote(p)),
            ("new actor", lambda p=new, a=first.stem, r=round_: p.write_text(
                f"name: Acteur ajouté {r}\nkind: person\nsummary: Cité avec [[{a}]].\n", encoding="utf-8")),
            ("renamed title", lambda p=second: _replace(p, 'name: "', 'name: "Renommé ')),
            ("deleted file", lambda p=new: p.unlink()),
        ]
    return edits


def plain_edits(docs: Path) -> list[tuple[str, Callable[[], None]]]:
    """The same kinds of edit on the plain pages of the same facts."""
    pages = sorted((docs / "actors").glob("*.md"))
    pages = [p for p in pages if p.name != "index.md"]
    edits: list[tuple[str, Callable[[], None]]] = []
    for round_, (first, second) in enumerate([(pages[3], pages[7]), (pages[11], pages[19])]):
        new = docs / "actors" / f"acteur-ajoute-{round_}.md"
        edits += [
            ("claim text", lambda p=first: p.write_text(p.read_text(encoding="utf-8") + "\nSelon nos notes.\n",
                                                       encoding="utf-8")),
            ("quote", lambda p=second: p.write_text(p.read_text(encoding="utf-8") + "\n> « une citation »\n",
                                                   encoding="utf-8")),
            ("new actor", lambda p=new, r=round_: p.write_text(f"# Acteur ajouté {r}\n\nUn acteur.\n", encoding="utf-8")),
            ("renamed title", lambda p=second: _replace(p, "# ", "# Renommé ")),
            ("deleted file", lambda p=new: p.unlink()),
        ]
    return edits


def nearest_rank(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def measure(command: list[str], cwd: Path, page: str, edits: list[tuple[str, Callable[[], None]]]) -> dict:
    """Start the preview, make every edit; the first build's seconds and each edit's latency."""
    preview = Preview(command, cwd, page)
    try:
        first = preview.ready()
        latencies = []
        for kind, edit in edits:
            latencies.append((kind, preview.latency(edit)))
            print(f"  {kind}: {latencies[-1][1]:.2f} s", file=sys.stderr, flush=True)
    finally:
        preview.stop()
    times = [t for _, t in latencies]
    return {"first": first, "edits": latencies, "median": statistics.median(times), "p95": nearest_rank(times, 95)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", type=Path, help="a folder with mkdocs.yml (and dossiers/, or docs/ for --baseline)")
    parser.add_argument("--dossier", type=Path, help="the synthetic dossier to edit (default: the only one under dossiers/)")
    parser.add_argument("--baseline", action="store_true", help="plain `mkdocs serve` on plain pages in docs/")
    args = parser.parse_args(argv)
    python = sys.executable
    if args.baseline:
        result = measure([python, "-m", "mkdocs", "serve", "--livereload"], args.project, "actors/",
                         plain_edits(args.project / "docs"))
    else:
        dossier = args.dossier or next(p for p in sorted((args.project / "dossiers").iterdir()) if p.is_dir())
        script = Path(python).with_name("dossier")
        command = [str(script)] if script.exists() else [python, "-m", "generator"]
        result = measure([*command, "serve"], args.project, f"{dossier.name}/actors/", dossier_edits(dossier))
    print(f"first build {result['first']:.1f} s; edit -> reload median {result['median']:.2f} s, "
          f"p95 {result['p95']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())


def visible_latency(command: list[str], cwd: Path, docs: Path, rounds: int = 5) -> list[float]:
    """For a server without MkDocs' live-reload endpoint (Zensical): seconds from appending a
    sentence to a plain page until the server's copy of that page shows it (polled every 20 ms)."""
    pages = sorted(p for p in (docs / "actors").glob("*.md") if p.name != "index.md")
    preview = Preview(command, cwd, "")
    times = []
    try:
        start = time.perf_counter()
        first = preview.url + pages[0].relative_to(docs.parent).with_suffix("").as_posix() + "/"
        while time.perf_counter() - start < LIMIT:
            try:
                _get(first, timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        print(f"  first build {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
        for round_ in range(rounds):
            page = pages[3 + round_]
            url = preview.url + page.relative_to(docs.parent).with_suffix("").as_posix() + "/"
            marker = f"Repère {round_} ajouté"
            time.sleep(1.0)
            start = time.perf_counter()
            page.write_text(page.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
            while time.perf_counter() - start < LIMIT:
                try:
                    if marker.encode() in _get(url, timeout=5):
                        break
                except OSError:
                    pass
                time.sleep(0.02)
            times.append(time.perf_counter() - start)
            print(f"  visible after {times[-1]:.2f} s", file=sys.stderr, flush=True)
    finally:
        preview.stop()
    return times
