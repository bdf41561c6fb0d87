"""Shared fixtures: the bundled site built once, served on localhost, and a real browser."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOSSIER = "wang-yi-russie-2023-09"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def copy_project(target: Path) -> Path:
    """mkdocs.yml, docs/ and dossiers/ of the repository, copied to *target*."""
    target.mkdir(parents=True)
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", target / "docs")
    shutil.copytree(ROOT / "dossiers", target / "dossiers")
    return target


def folder_pages(folder: str, tmp_path: Path) -> list:
    """The generated pages of *folder* (under the repository), or of a synthetic dossier of 30 actors."""
    from generator.pipeline.stages import prepare, site_pages

    if folder == "synthetic":
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from synth import make_dossier

        make_dossier(30, tmp_path)
        path = tmp_path
    else:
        path = ROOT / folder
    linked, report = prepare(path)
    assert not report.errors
    return site_pages(linked, pdf=False)


def served_pages(memo, folder: Path) -> tuple[list, list]:
    """The linked dossiers of *folder* and their pages, made as a ``dossier serve`` rebuild makes them with *memo*
    (started here; the caller finishes it once it has made what else it compares)."""
    from generator.pipeline.stages import prepare, site_pages

    memo.start()
    with memo.parsing():
        linked, report = prepare(folder, memo=memo)
    assert not report.errors, report.lines()
    return linked, site_pages(linked, pdf=False, memo=memo)


def run_dossier(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``python -m generator ARGS`` and capture its output."""
    environment = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=environment, check=False)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The bundled dossiers built, with PDFs, into a fresh folder."""
    site = tmp_path_factory.mktemp("site") / "site"
    result = run_dossier("build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


def serve_folder(folder: Path):
    """Serve *folder* on a free localhost port; returns (base URL, server)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """The built site served on localhost."""
    url, server = serve_folder(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; skipped without it, except in CI."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if IN_CI:
            pytest.fail("Chromium is required in CI: apt-get install chromium")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors, page errors, dialogs and requests to other hosts."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.console_errors = []
    tab.dialogs = []
    tab.foreign_requests = []
    tab.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.console_errors.append(str(e)))
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    tab.on("request", lambda r: tab.foreign_requests.append(r.url)
           if not r.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")) else None)
    yield tab
    context.close()


AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page loaded in *page* (rule: first nodes)."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make test` (npm install in tests/)")
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
    }""")
