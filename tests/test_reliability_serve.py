"""``dossier serve`` survives bad edits: it keeps serving the last good pages, says where the error is, and recovers.

The live preview runs in a copy of the project, as a subprocess in its own
process group (killed whatever happens). Every wait is bounded.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import DOSSIER, ROOT

ACTOR = f"dossiers/{DOSSIER}/actors/wang-yi.yaml"
PAGE = f"{DOSSIER}/actors/wang-yi/"
LIMIT = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


def content(markup: str) -> str:
    """The page without MkDocs' live-reload script (its numbers change with every build)."""
    return re.sub(r"<script>\s*livereload\([^)]*\);?\s*</script>", "", re.sub(r"livereload\(\d+, ?\d+\)", "", markup))


def article(markup: str) -> str:
    return markup.split("<article", 1)[-1].split("</article>", 1)[0]


class Server:
    """``python -m generator serve`` in *cwd*, its standard error collected in a file."""

    def __init__(self, cwd: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - open while the server runs
        env = dict(os.environ, NO_COLOR="1", PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{self.port}"],
            cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True)

    def stderr(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_for(self, what: str, check, limit: float = LIMIT):
        """Poll *check* until it returns a true value; fail with the server's output after *limit* s."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            value = check()
            if value:
                return value
            if not self.alive():
                pytest.fail(f"the server exited ({self.process.returncode}) while waiting for {what}:\n{self.stderr()[-4000:]}")
            time.sleep(0.25)
        pytest.fail(f"timed out after {limit:.0f} s waiting for {what}:\n{self.stderr()[-4000:]}")

    def stop(self) -> None:
        if self.alive():
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
        self.log.close()


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copytree(ROOT / "dossiers", root / "dossiers")
    return root


@pytest.fixture
def server(project):
    running = Server(project)
    try:
        yield running
    finally:
        running.stop()


def save(path: Path, text: str) -> None:
    """Save as an editor does: the whole file at once, with a new modification time."""
    path.write_text(text, encoding="utf-8")
    later = time.time() + 1
    os.utime(path, (later, later))


def _when_ok(url: str):
    """What *url* answers once it answers 200, else None (to wait on)."""
    answer = fetch(url)
    return answer if answer[0] == 200 else None


def test_serve_keeps_the_last_good_pages_and_recovers(project, server):
    url = server.url + PAGE
    status, good = server.wait_for("the first build", lambda: _when_ok(url))
    assert "Wang Yi" in good and "Wang Yi (modifié)" not in good
    # It says where it serves, and a line per build.
    assert re.search(rf"^(\[[\d:]+\] )?Serving on {re.escape(server.url)}$", server.stderr(), re.MULTILINE), server.stderr()[-4000:]
    builds = server.stderr().count("dossiers: 2 dossiers, ")
    assert builds >= 1, server.stderr()[-4000:]
    actor = project / ACTOR
    original = actor.read_text(encoding="utf-8")

    # 1. A YAML syntax error: a located error line, and the last good page still served.
    errors_before = server.stderr().count(": error: ")
    save(actor, "name: [Wang Yi\nkind: person\n")
    line = server.wait_for("the located error line", lambda: re.search(
        rf"^{re.escape(ACTOR)}:\d+:\d+: error: .+$", server.stderr(), re.MULTILINE) if server.stderr().count(": error: ") > errors_before else None)
    time.sleep(1.0)  # let the failed rebuild finish
    assert server.alive(), f"the server died after a bad edit:\n{server.stderr()[-4000:]}"
    status, during = fetch(url)
    assert status == 200, f"the page is not served after a bad edit (HTTP {status}):\n{server.stderr()[-4000:]}"
    assert article(content(during)) == article(content(good)), "the page changed after a bad edit"
    status, home = fetch(server.url + f"{DOSSIER}/")
    assert status == 200 and "Wang Yi" in home
    assert "Traceback" not in server.stderr(), server.stderr()[-4000:]
    assert line.group(0)

    # 2. The file fixed, with a visible change: the page shows it.
    save(actor, original.replace("name: Wang Yi\n", "name: Wang Yi (modifié)\n", 1))
    server.wait_for("the fixed page", lambda: "Wang Yi (modifié)" in fetch(url)[1])
    assert server.alive()
    # 3. It says the error is fixed, and each rebuild has its line.
    server.wait_for("the news that the errors are fixed", lambda: re.search(
        r"^the dossiers' errors are fixed: serving the new version$", server.stderr(), re.MULTILINE))
    server.wait_for("a line for the rebuild", lambda: server.stderr().count("dossiers: 2 dossiers, ") > builds)


def test_serve_survives_an_unknown_id_and_a_missing_quote_then_recovers(project, server):
    url = server.url + PAGE
    status, good = server.wait_for("the first build", lambda: _when_ok(url))
    actor = project / ACTOR
    original = actor.read_text(encoding="utf-8")
    source = project / f"dossiers/{DOSSIER}/sources/wang-malte-2023-09-18.txt"
    source_text = source.read_text(encoding="utf-8")

    for bad_edit, path in [
        (lambda: save(actor, original.replace("[[qin-gang]]", "[[qin-gangg]]", 1)), ACTOR),
        (lambda: (save(actor, original), save(source, source_text.replace("rappelé", "rapelé"))), ACTOR),
    ]:
        errors_before = len(re.findall(rf"^{re.escape(path)}:\d+:\d+: error: ", server.stderr(), re.MULTILINE))
        bad_edit()
        pattern = rf"^{re.escape(path)}:\d+:\d+: error: "
        server.wait_for(f"a located error line for {path}",
                        lambda p=pattern, n=errors_before: len(re.findall(p, server.stderr(), re.MULTILINE)) > n)
        time.sleep(1.0)
        status, during = fetch(url)
        assert status == 200, f"HTTP {status} after a bad edit:\n{server.stderr()[-4000:]}"
        assert article(content(during)) == article(content(good))

    save(source, source_text)
    save(actor, original.replace("name: Wang Yi\n", "name: Wang Yi (modifié)\n", 1))
    server.wait_for("the fixed page", lambda: "Wang Yi (modifié)" in fetch(url)[1])
    assert "Traceback" not in server.stderr(), server.stderr()[-4000:]


def test_a_bad_edit_shows_its_located_error_in_the_browser_over_the_last_good_page(project, server, browser):
    """The browser reloads into a banner that names the error; the log does not claim a build; the fix clears it."""
    url = server.url + PAGE
    server.wait_for("the first build", lambda: _when_ok(url))
    changes = server.stderr().count("Detected file changes")
    time.sleep(1.5)
    assert server.stderr().count("Detected file changes") == changes, "it rebuilds with no edit:\n" + server.stderr()[-2000:]
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    tab = context.new_page()
    try:
        tab.goto(url)
        good = tab.inner_text("article")
        actor = project / ACTOR
        original = actor.read_text(encoding="utf-8")
        log_before = len(server.stderr())
        save(actor, "name: [Wang Yi\nkind: person\n")
        banner = tab.wait_for_selector("#dossier-serve-errors", timeout=LIMIT * 1000)
        text = banner.inner_text()
        assert re.search(rf"{re.escape(ACTOR)}:\d+:\d+: error: YAML", text), text
        assert tab.inner_text("article") == good, "the last good page is not what the browser shows"
        after = server.stderr()[log_before:]
        assert "Reloading browsers" not in after and "pages built" not in after, after
        assert "the browser shows them over the last good version" in after, after
        assert after.count("Detected file changes") <= 2, after  # a save, not a loop of rebuilds
        save(actor, original.replace("name: Wang Yi\n", "name: Wang Yi (modifié)\n", 1))
        tab.wait_for_function("() => document.querySelector('article').innerText.includes('Wang Yi (modifié)')",
                              timeout=LIMIT * 1000)
        assert tab.query_selector("#dossier-serve-errors") is None
    finally:
        context.close()


def test_a_broken_mkdocs_yml_keeps_the_last_good_site_and_says_so(project, server):
    url = server.url + PAGE
    status, good = server.wait_for("the first build", lambda: _when_ok(url))
    config = project / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    save(config, original + "\nuse_directory_urls: [not, a, boolean]\n")
    server.wait_for("the failure's line", lambda: re.search(
        r"^the rebuild failed: .+; the browser shows it over the last good version$",
        server.stderr(), re.MULTILINE))
    assert "use_directory_urls" in server.stderr()  # MkDocs names the option first
    status, during = fetch(url)
    assert status == 200 and 'id="dossier-serve-errors"' in during, during[:500]
    assert article(content(during)) == article(content(good))
    save(config, original)
    server.wait_for("the banner gone", lambda: 'id="dossier-serve-errors"' not in fetch(url)[1])
    assert "Traceback" not in server.stderr(), server.stderr()[-4000:]


def test_serve_with_errors_from_the_start_stops_with_status_1(project):
    save(project / ACTOR, "name: [Wang Yi\nkind: person\n")
    result = subprocess.run([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{free_port()}"],
                            cwd=project, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1, result.stderr
    assert re.search(rf"^{re.escape(ACTOR)}:\d+:\d+: error: YAML syntax error", result.stderr, re.MULTILINE)
    assert result.stderr.rstrip().endswith("error: the dossiers have errors: 1 error, 0 warnings"), result.stderr
