"""``dossier init``: a project of one's own, outside the repository, that checks, builds and serves."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from test_reliability_serve import Server, _when_ok

from conftest import ROOT, run_dossier


def _init(tmp_path: Path, *args: str) -> Path:
    result = run_dossier("init", "iran-talks", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("created the project iran-talks; next:\n  cd iran-talks\n  dossier build"), result.stderr
    return tmp_path / "iran-talks"


def test_init_makes_a_project_that_checks_builds_and_serves_outside_the_repository(tmp_path):
    assert ROOT not in tmp_path.parents
    project = _init(tmp_path, "--title", "Saudi–Iran talks")
    assert sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file() and ".schemas" not in p.parts) == [
        ".gitignore", "docs/about.md", "dossiers/iran-talks/dossier.yaml", "dossiers/iran-talks/sources/dossier-readme.txt",
        "dossiers/iran-talks/sources/dossier-readme.yaml", "mkdocs.yml"]
    assert len(list((project / "dossiers/iran-talks/.schemas").glob("*.schema.json"))) == 5
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["language"] == "en" and {"search": {"lang": "en"}} in config["plugins"]
    assert {"/site/", "/.cache/"} <= set((project / ".gitignore").read_text(encoding="utf-8").splitlines())

    check = run_dossier("check", cwd=project)
    assert check.stderr.splitlines() == ["0 errors, 0 warnings", "checked 1 dossier: 1 entity"]
    build = run_dossier("build", cwd=project)
    assert build.returncode == 0, build.stderr
    assert build.stderr.splitlines()[-1] == f"built {project / 'site'}: 1 dossier with PDF briefings"
    home = (project / "site" / "iran-talks" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in home and "Table of contents" in home and 'placeholder="Search"' in home
    assert "Information as of" in home and "Rechercher" not in home
    assert (project / "site" / "iran-talks" / "iran-talks.pdf").read_bytes().startswith(b"%PDF-")
    assert "About this site" in (project / "site" / "about" / "index.html").read_text(encoding="utf-8")

    # A dossier started after the build is not in the site yet: no "the built site has none of the dossiers' pages".
    assert run_dossier("new", "dossiers/second", "--language", "en", cwd=project).returncode == 0
    meta = project / "dossiers/second/dossier.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("To write: the bottom line in a few sentences.", "Later."),
                    encoding="utf-8")
    for where, path in ((project, "dossiers/second"), (project / "dossiers/second", None)):
        again = run_dossier("check", *([path] if path else []), cwd=where)
        assert again.stderr.splitlines() == ["0 errors, 0 warnings", "checked 1 dossier: 0 entities"], again.stderr

    server = Server(project)
    try:
        _, page = server.wait_for("the first page", lambda: _when_ok(server.url + "iran-talks/sources/dossier-readme/"))
        assert "The build checks every quote against the text of its source." in page
        assert re.search(rf"Serving on {re.escape(server.url)}", server.stderr()), server.stderr()[-3000:]
    finally:
        server.stop()


def test_a_french_project_speaks_french_and_an_english_dossier_in_it_english(tmp_path):
    project = _init(tmp_path, "--language", "fr")
    new = run_dossier("new", "dossiers/malta", "--language", "en", cwd=project)
    assert new.returncode == 0, new.stderr
    meta = project / "dossiers/malta/dossier.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("To write: the bottom line in a few sentences.",
                                                             "Two days of talks in Malta."), encoding="utf-8")
    build = run_dossier("build", "--no-pdf", cwd=project)
    assert build.returncode == 0, build.stderr
    site = project / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in home and 'placeholder="Rechercher"' in home
    assert "Informations arrêtées au" in home  # the home page speaks the site's language
    assert home.count('class="dossier-card-summary" lang="en"') == 1  # a card's summary, its dossier's
    malta = (site / "malta" / "index.html").read_text(encoding="utf-8")
    assert "Information as of" in malta and "Informations arrêtées" not in malta


def test_init_never_overwrites_a_project(tmp_path):
    project = _init(tmp_path)
    before = (project / "mkdocs.yml").read_text(encoding="utf-8")
    again = run_dossier("init", "iran-talks", cwd=tmp_path)
    assert again.returncode == 1
    assert again.stderr == ("error: iran-talks/mkdocs.yml: already exists; nothing was changed (`dossier init` starts "
                            "a new project: give it a new or empty folder)\n")
    assert (project / "mkdocs.yml").read_text(encoding="utf-8") == before


def test_a_plain_pip_install_carries_every_file_the_package_reads():
    """``pip install .`` (not editable) ships only the modules and the package data pyproject.toml names:
    every other file under generator/ must be named there, or an installed ``dossier`` would miss it."""
    import fnmatch
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    package = ROOT / "generator"
    files = [p.relative_to(package).as_posix() for p in package.rglob("*")
             if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    assert files, "the package has data files (the PDF template, the site's CSS)"
    assert [f for f in files if not any(fnmatch.fnmatch(f, glob) for glob in data["generator"])] == []


def test_build_and_serve_outside_a_project_say_what_a_project_is(tmp_path):
    for command in ("build", "serve"):
        result = run_dossier(command, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.splitlines()[-1] == (
            "Error: mkdocs.yml: no such file: run the command in a project's folder (this repository's, or one made "
            "with `dossier init FOLDER`), or name the configuration with -f")
    assert list(tmp_path.iterdir()) == []


def test_init_in_a_folder_under_git_keeps_its_gitignore(tmp_path):
    folder = tmp_path / "briefings"
    folder.mkdir()
    (folder / ".gitignore").write_text("*.bak\n", encoding="utf-8")
    result = run_dossier("init", "briefings", "--language", "fr", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (folder / ".gitignore").read_text(encoding="utf-8") == "*.bak\n"
    assert run_dossier("check", cwd=folder).stderr.splitlines() == ["0 errors, 0 warnings", "checked 1 dossier: 1 entity"]
