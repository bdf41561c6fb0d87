"""The progress display of long builds: shown on a terminal, silent elsewhere."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys

from generator.core.progress import Progress

from conftest import ROOT


def test_counter_redraws_in_place_and_ends_with_the_time() -> None:
    out = io.StringIO()
    progress = Progress(out, enabled=True)
    progress.stage("checking")
    progress.start("pages", 3)
    for _ in range(3):
        progress.advance()
    progress.finish()
    text = out.getvalue()
    assert text.startswith("dossier: checking\n\rdossier: pages 0/3")
    assert re.search(r"\rdossier: pages 3/3 in \d+\.\d s\n$", text)


def test_silent_when_not_a_terminal() -> None:
    out = io.StringIO()  # not a terminal
    progress = Progress(out)
    progress.stage("checking")
    progress.start("pages", 2)
    progress.advance(2)
    progress.finish()
    assert out.getvalue() == ""


def test_build_on_a_terminal_shows_its_stages(tmp_path) -> None:
    """`dossier build` under a pseudo-terminal: the stages and the page counters are shown."""
    main, child = pty.openpty()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="true", COLUMNS="200")
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", "--no-pdf", "--site-dir", str(tmp_path / "site")],
                               cwd=ROOT, stdin=subprocess.DEVNULL, stdout=child, stderr=child, env=env)
    os.close(child)
    chunks = []
    while True:
        ready, _, _ = select.select([main], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(main)
    text = b"".join(chunks).decode("utf-8", "replace")
    assert process.returncode == 0, text
    for stage in ("dossier: checking and linking the dossiers", "dossier: rendering the dossiers' pages"):
        assert stage in text
    assert re.search(r"dossier: converting pages (\d+)/\1 in", text), text
    assert re.search(r"dossier: writing pages (\d+)/\1 in", text), text
