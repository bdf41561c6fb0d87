"""The MkDocs plugin: its logging (``--strict``), each PDF's own date, Typst loaded only for PDFs,
and Material's markup still being what the plugin patches."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import yaml
from pypdf import PdfReader

from generator.publish import plugin

from conftest import DOSSIER, ROOT

WARNING_CASE = ROOT / "tests" / "bad_inputs" / "accept-claim-without-citation-warning" / "d"


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return dict(env, NO_COLOR="1", **extra)


def _run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env=env or _environment())


def _project(tmp_path: Path, dossiers: Path, pdf: bool) -> Path:
    """A minimal MkDocs project in *tmp_path* whose dossiers folder is *dossiers*."""
    (tmp_path / "docs").mkdir(exist_ok=True)
    config = {"site_name": "Essai", "site_url": "https://example.org/", "theme": {"name": "material", "language": "fr", "font": False},
              "plugins": [{"dossiers": {"dossiers": str(dossiers), "pdf": pdf}}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return tmp_path / "mkdocs.yml"


# -- diagnostics through MkDocs' logging --------------------------------------------------------------

def test_mkdocs_build_strict_fails_on_a_dossier_warning(tmp_path: Path) -> None:
    shutil.copytree(WARNING_CASE, tmp_path / "dossiers" / "d")
    _project(tmp_path, tmp_path / "dossiers", pdf=False)
    line = "dossiers/d/dossier.yaml:5:5: warning: claim without citation: quote the source that supports it"

    lenient = _run("-m", "mkdocs", "build", cwd=tmp_path)
    assert lenient.returncode == 0, lenient.stderr
    assert line in lenient.stderr
    assert (tmp_path / "site" / "d" / "index.html").is_file()

    strict = _run("-m", "mkdocs", "build", "--strict", "--site-dir", "strict-site", cwd=tmp_path)
    assert strict.returncode == 1, strict.stderr
    assert line in strict.stderr and "Aborted with 1 warnings in strict mode!" in strict.stdout + strict.stderr
    assert not (tmp_path / "strict-site").exists(), "a strict build that failed left a site"


def test_the_cli_keeps_its_located_lines(tmp_path: Path) -> None:
    shutil.copytree(WARNING_CASE, tmp_path / "dossiers" / "d")
    _project(tmp_path, tmp_path / "dossiers", pdf=False)
    result = _run("-m", "generator", "build", "--no-pdf", "--dossiers", "dossiers", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines.count("dossiers/d/dossier.yaml:5:5: warning: claim without citation: "
                       "quote the source that supports it") == 1, result.stderr
    assert lines[-1] == f"built {tmp_path / 'site'}: 1 dossier", result.stderr


# -- each PDF dated by its own dossier ------------------------------------------------------------------

def _two_dossiers(tmp_path: Path) -> Path:
    dossiers = tmp_path / "dossiers"
    shutil.copytree(ROOT / "dossiers" / DOSSIER, dossiers / DOSSIER)
    later = dossiers / "suite-2023-10"
    shutil.copytree(ROOT / "dossiers" / DOSSIER, later)
    meta = later / "dossier.yaml"
    text = meta.read_text(encoding="utf-8")
    assert "as_of: 2023-09-18\n" in text
    meta.write_text(text.replace("as_of: 2023-09-18\n", "as_of: 2023-10-02\n", 1), encoding="utf-8")
    return dossiers


def _created(pdf: Path) -> datetime:
    return PdfReader(pdf).metadata.creation_date.astimezone(UTC)


def test_each_pdf_carries_its_own_dossiers_date(tmp_path: Path) -> None:
    dossiers = _two_dossiers(tmp_path)
    config = _project(tmp_path, dossiers, pdf=True)
    result = _run("-m", "generator", "build", "-f", str(config), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert _created(site / DOSSIER / f"{DOSSIER}.pdf") == datetime(2023, 9, 18, 12, tzinfo=UTC)
    assert _created(site / "suite-2023-10" / "suite-2023-10.pdf") == datetime(2023, 10, 2, 12, tzinfo=UTC)
    # The sitemap dates each dossier's pages by its own as_of as well (and the build changed no environment).
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"{DOSSIER}/</loc>\n         <lastmod>2023-09-18</lastmod>" in sitemap
    assert "suite-2023-10/</loc>\n         <lastmod>2023-10-02</lastmod>" in sitemap


def test_source_date_epoch_set_by_the_user_dates_every_pdf(tmp_path: Path) -> None:
    dossiers = _two_dossiers(tmp_path)
    out = tmp_path / "suite.pdf"
    result = _run("-m", "generator", "pdf", str(dossiers / "suite-2023-10"), "-o", str(out), cwd=tmp_path,
                  env=_environment(SOURCE_DATE_EPOCH="1700000000"))
    assert result.returncode == 0, result.stderr
    assert _created(out) == datetime.fromtimestamp(1700000000, UTC)


def test_the_plugin_sets_no_source_date_epoch(tmp_path: Path, monkeypatch) -> None:
    """A build in this very process leaves ``SOURCE_DATE_EPOCH`` unset (it once set it for every later PDF)."""
    from generator.publish.mkdocs_run import build_site

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    config = _project(tmp_path, _two_dossiers(tmp_path), pdf=False)
    built, count = build_site(str(config), site_dir=str(tmp_path / "site"))
    assert count == 2 and Path(built, "suite-2023-10", "index.html").is_file()
    assert "SOURCE_DATE_EPOCH" not in os.environ


# -- typst only for PDFs ---------------------------------------------------------------------------------

_PROBE = """
import sys
from generator.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    print("typst loaded:", "typst" in sys.modules)
"""


def test_typst_is_imported_only_when_a_pdf_is_made(tmp_path: Path) -> None:
    config = _project(tmp_path, ROOT / "dossiers", pdf=True)
    site = _run("-c", _PROBE, "build", "-f", str(config), "--no-pdf", cwd=tmp_path)
    assert site.returncode == 0, site.stderr
    assert site.stdout.strip() == "typst loaded: False"
    serve_path = _run("-c", "import sys, generator.publish.plugin, generator.publish.mkdocs_run, generator.pipeline.stages;"
                      "print('typst' in sys.modules)", cwd=tmp_path)
    assert serve_path.stdout.strip() == "False", serve_path.stderr
    pdf = _run("-c", _PROBE, "pdf", str(ROOT / "dossiers" / DOSSIER), "-o", str(tmp_path / "b.pdf"), cwd=tmp_path)
    assert pdf.returncode == 0, pdf.stderr
    assert pdf.stdout.strip() == "typst loaded: True"


# -- Material's markup, as the plugin patches it -----------------------------------------------------------

def test_materials_templates_still_hold_what_the_plugin_patches() -> None:
    """Fails as soon as an update of Material changes the markup the plugin names and translates."""
    templates = resources.files("material") / "templates"
    assert plugin.SEARCH_DIALOG in (templates / "partials" / "search.html").read_text(encoding="utf-8")
    assert plugin.NOT_FOUND_HEADING in (templates / "404.html").read_text(encoding="utf-8")


def test_every_built_page_has_the_patches(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        markup = page.read_text(encoding="utf-8")
        assert 'data-md-component="search" role="dialog" aria-label="Rechercher">' in markup, page
    assert "<h1>Page introuvable</h1>" in (built_site / "404.html").read_text(encoding="utf-8")


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_patch_that_misses_is_a_warning() -> None:
    records = _Records()
    plugin.log.addHandler(records)
    try:
        out = plugin._patch('<div class="md-search" role="dialog" data-md-component="search">', plugin.SEARCH_DIALOG,
                            "x", "index.md")
    finally:
        plugin.log.removeHandler(records)
    assert out == '<div class="md-search" role="dialog" data-md-component="search">'
    assert [r.levelname for r in records.records] == ["WARNING"]
    assert "index.md: the theme's markup has no" in records.records[0].getMessage()
