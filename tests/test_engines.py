"""The bundled dossiers through ProperDocs and Zensical (`dossier build --engine`), and the warnings
that stop a build through an engine that runs no MkDocs plugin from publishing a site without them.

Each engine lives in its own environment (`make engines`: .venv-properdocs, .venv-zensical; or
DOSSIER_PROPERDOCS_BIN / DOSSIER_ZENSICAL_BIN naming the folder of its program; or on PATH). Without
it the engine's tests are skipped with a message, except in CI, where they fail.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from generator.core.typography import fix

from conftest import DOSSIER, IN_CI, ROOT, run_dossier, serious_axe_violations, serve_folder

ENGINES = ["properdocs", "zensical"]
TITLES = {"actors": "name", "meetings": "title", "questions": "question", "sources": "title"}


def engine_path(name: str) -> str:
    """A PATH on which the engine *name* is found; skips (fails in CI) when it is not installed."""
    folder = os.environ.get(f"DOSSIER_{name.upper()}_BIN") or str(ROOT / f".venv-{name}" / "bin")
    if (Path(folder) / name).is_file():
        return folder + os.pathsep + os.environ.get("PATH", "")
    if shutil.which(name):
        return os.environ.get("PATH", "")
    message = f"{name} is not installed: `make engines` installs it in .venv-{name}"
    if IN_CI:
        pytest.fail(f"{message} (required in CI)")
    pytest.skip(message)


@pytest.fixture(scope="session", params=ENGINES)
def engine_site(request, tmp_path_factory) -> tuple[str, Path]:
    """The bundled dossiers built with each engine, once per test session."""
    name = request.param
    path = engine_path(name)
    site = tmp_path_factory.mktemp(name) / "site"
    result = run_dossier("build", "--engine", name, "--site-dir", str(site), env={"PATH": path})
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"built {site} with {name}: 2 dossiers with PDF briefings"
    return name, site


def _entities(folder: str) -> dict[str, str]:
    """Id -> title of every entity of one kind in the bundled dossier, from its YAML files."""
    found = {}
    for path in sorted((ROOT / "dossiers" / DOSSIER / folder).glob("*.yaml")):
        found[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))[TITLES[folder]]
    return found


def _text(path: Path) -> str:
    markup = path.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def test_every_promised_page_is_built(engine_site):
    name, site = engine_site
    meta = yaml.safe_load((ROOT / "dossiers" / DOSSIER / "dossier.yaml").read_text(encoding="utf-8"))
    home = _text(site / DOSSIER / "index.html")
    assert meta["title"] in home and "NON CLASSIFIÉ" in home
    assert f'href="{DOSSIER}.pdf"' in (site / DOSSIER / "index.html").read_text(encoding="utf-8")
    for address in ["timeline", "network", "actors", "meetings", "questions", "sources"]:
        assert (site / DOSSIER / address / "index.html").is_file(), (name, address)
    assert "<svg" in (site / DOSSIER / "network" / "index.html").read_text(encoding="utf-8")
    count = 0
    for folder in TITLES:
        for entity_id, title in _entities(folder).items():
            page = site / DOSSIER / folder / entity_id / "index.html"
            assert page.is_file(), (name, folder, entity_id)
            text = _text(page)
            parts = re.split(r"\[\[[^\]]*\]\]", " ".join(str(title).split()))  # the text around links
            for index, part in enumerate(parts):
                # a title is prose: it is shown with the dossier's typography (’, no-break spaces);
                # an apostrophe before a link's letter (``l'[[ukraine]]``) is curled as on the page
                typeset = " ".join(fix(part, meta.get("language", "fr")).split())
                if index < len(parts) - 1 and typeset.endswith("'"):
                    typeset = typeset[:-1] + "’"
                assert typeset in text, (name, folder, entity_id, typeset)
            count += 1
    assert count >= 30  # the bundled dossier: 24 actors, 7 meetings, questions and sources


def test_same_pages_and_pdf_as_mkdocs(engine_site, built_site):
    name, site = engine_site

    def pages(root: Path) -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*.html")}

    assert pages(site) == pages(built_site), name
    pdf = f"{DOSSIER}/{DOSSIER}.pdf"
    assert (site / pdf).read_bytes() == (built_site / pdf).read_bytes(), name


@pytest.mark.parametrize("engine_site", ["properdocs"], indirect=True)
def test_properdocs_gives_the_mkdocs_site(engine_site, built_site):
    """Every page the same as MkDocs', but for the generator tag and the file names of the theme's assets."""
    _, site = engine_site

    def normal(path: Path) -> str:
        markup = re.sub(r'<meta name="generator"[^>]*>', "", path.read_text(encoding="utf-8"))
        return re.sub(r"\.[0-9a-f]{8}\.min\.(css|js)", r".HASH.min.\1", markup)

    different = [str(path.relative_to(built_site)) for path in sorted(built_site.rglob("*.html"))
                 if normal(path) != normal(site / path.relative_to(built_site))]
    assert not different, different[:10]


def test_pdf_is_the_briefing(engine_site):
    from pypdf import PdfReader

    name, site = engine_site
    reader = PdfReader(site / DOSSIER / f"{DOSSIER}.pdf")
    assert len(reader.pages) > 5, name
    assert "Wang Yi en Russie" in reader.pages[0].extract_text(), name
    assert reader.outline, name  # bookmarks


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for key in ("href", "src"):
            if values.get(key) and not (tag == "link" and key == "href" and "canonical" in (values.get("rel") or "")):
                self.hrefs.append(values[key])


def test_no_broken_internal_link(engine_site):
    name, site = engine_site
    pages = {}
    for path in site.rglob("*.html"):
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path.resolve()] = parser
    broken, checked = [], 0
    for path, parsed in pages.items():
        for href in parsed.hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            base = site.resolve() if parts.path.startswith("/") else path.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.exists():
                broken.append(f"{path.relative_to(site.resolve())}: {href}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{path.relative_to(site.resolve())}: {href} (no such anchor)")
    assert checked > 1000, (name, checked)
    assert not broken, f"{name}:\n" + "\n".join(broken[:20])


def test_the_site_asks_nothing_of_other_hosts(engine_site):
    name, site = engine_site
    for path in site.rglob("*.html"):
        markup = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in markup and "fonts.gstatic" not in markup, (name, path)


def test_missing_engine_is_one_line_and_keeps_the_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous", encoding="utf-8")
    empty = tmp_path / "bin"
    empty.mkdir()
    for name in ENGINES:
        result = run_dossier("build", "--engine", name, "--site-dir", str(site), env={"PATH": str(empty)})
        assert result.returncode == 2, result.stderr
        assert result.stderr.splitlines() == [
            f"error: {name} is not installed (not found on PATH): install it in its own environment, "
            f"e.g. `make engines`, and put .venv-{name}/bin on PATH"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "site"]  # no staging folder left
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"


def test_unknown_engine_is_a_usage_error():
    result = run_dossier("build", "--engine", "hugo")
    assert result.returncode == 2
    assert "Invalid value for '--engine': 'hugo' is not one of 'mkdocs', 'properdocs', 'zensical'." in result.stderr


@pytest.fixture(scope="session")
def zensical_alone(tmp_path_factory) -> tuple[Path, str]:
    """A copy of the project built with `zensical build` directly, as a user following Material's advice."""
    path = engine_path("zensical")
    project = tmp_path_factory.mktemp("zensical-alone")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("docs", "dossiers"):
        shutil.copytree(ROOT / folder, project / folder)
    done = subprocess.run(["zensical", "build"], cwd=project, capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, PATH=path))
    assert done.returncode == 0, done.stdout + done.stderr  # the failure mode: exit 0...
    assert not (project / "site" / DOSSIER).exists()  # ... and no dossier
    return project, path


def _plugin_line() -> str:
    for number, line in enumerate((ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() == "- dossiers:":
            return f"{number}:{line.index('dossiers') + 1}"
    raise AssertionError("the dossiers plugin is not in mkdocs.yml")


def test_check_says_a_zensical_site_lacks_the_dossiers(zensical_alone):
    project, path = zensical_alone
    version = subprocess.run(["zensical", "--version"], capture_output=True, text=True,
                             env=dict(os.environ, PATH=path)).stdout.strip()
    result = run_dossier("check", cwd=project, env={"PATH": path})
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[:3] == [
        f"site/index.html:1:1: warning: the built site has none of the dossiers' pages (zensical-{version} built it, "
        "and runs no MkDocs plugin); rebuild it with `dossier build` (`dossier build --engine zensical` for Zensical)",
        f"mkdocs.yml:{_plugin_line()}: warning: zensical is installed and runs no MkDocs plugin: `zensical build` "
        "would publish this site without the dossiers; build the site with `dossier build --engine zensical`",
        "0 errors, 2 warnings"]


def test_check_says_zensical_toml_drops_the_dossiers(tmp_path):
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "dossiers", tmp_path / "dossiers")
    (tmp_path / "zensical.toml").write_text('[project]\nsite_name = "Dossiers"\n', encoding="utf-8")
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run_dossier("check", cwd=tmp_path, env={"PATH": str(empty)})
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[:2] == [
        "zensical.toml:1:1: warning: zensical reads this file before mkdocs.yml and runs no MkDocs plugin: "
        "`zensical build` publishes the site without the dossiers; build the site with "
        "`dossier build --engine zensical`",
        "0 errors, 1 warning"]


def test_check_is_quiet_without_the_signals(tmp_path):
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "dossiers", tmp_path / "dossiers")
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run_dossier("check", cwd=tmp_path, env={"PATH": str(empty)})
    assert result.returncode == 0 and result.stderr.splitlines()[0] == "0 errors, 0 warnings", result.stderr


def test_build_through_zensical_replaces_a_site_without_dossiers(zensical_alone, tmp_path):
    original, path = zensical_alone
    project = tmp_path / "project"
    shutil.copytree(original, project)
    before = sorted(p.name for p in project.iterdir())
    result = run_dossier("build", "--engine", "zensical", "--no-pdf", cwd=project, env={"PATH": path})
    assert result.returncode == 0, result.stderr
    assert (project / "site" / DOSSIER / "actors" / "wang-yi" / "index.html").is_file()
    assert sorted(p.name for p in project.iterdir()) == before  # no staging folder left behind
    assert not (project / "docs" / DOSSIER).exists()
    empty = tmp_path / "bin"
    empty.mkdir()
    check = run_dossier("check", cwd=project, env={"PATH": str(empty)})
    assert check.stderr.splitlines()[0] == "0 errors, 0 warnings", check.stderr


def test_staged_configuration_keeps_tags_and_drops_the_plugin(tmp_path):
    from generator.publish.engines import Tagged, load_project, read_config, staged_config, write_config

    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: !ENV [SITE_NAME, 'Dossiers']\n"
        "theme:\n  name: material\n  custom_dir: overrides\n"
        "plugins:\n  - search\n  - dossiers:\n      dossiers: cases\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
        "nav:\n  - Guide: guide.md\n", encoding="utf-8")
    project = load_project(config)
    assert project.dossiers == (tmp_path / "cases").resolve()
    staged = tmp_path / "staged.yml"
    write_config(staged_config(project, []), staged)
    again = read_config(staged)
    assert again["site_name"] == Tagged("!ENV", ["SITE_NAME", "Dossiers"])
    assert again["markdown_extensions"][0]["pymdownx.emoji"]["emoji_generator"] == Tagged(
        "tag:yaml.org,2002:python/name:material.extensions.emoji.to_svg", "")
    assert again["plugins"] == ["search"]
    assert again["docs_dir"] == "docs" and again["site_dir"] == "site"
    assert again["theme"]["custom_dir"] == str((tmp_path / "overrides").resolve())
    assert again["nav"] == [{"Accueil": "index.md"}, {"Guide": "guide.md"}]
    assert again["extra_css"] == ["assets/dossier/dossier.css"]


def test_configuration_without_the_plugin_is_refused(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - search\n", encoding="utf-8")
    result = run_dossier("build", "--engine", "zensical", cwd=tmp_path, env={"PATH": engine_path("zensical")})
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["error: mkdocs.yml: the `dossiers` plugin is not enabled under `plugins:`"]


def _get(url: str) -> str:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float = 90) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in _get(url):
            return True
        time.sleep(0.5)
    return False


@pytest.mark.parametrize("name", ENGINES)
def test_serve_rebuilds_when_a_dossier_changes(name, tmp_path):
    import signal
    import socket
    import sys

    path = engine_path(name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    for folder in ("docs", "dossiers"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    temp = tmp_path / "tmp"
    temp.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--engine", name, "-a", f"127.0.0.1:{port}"],
                               cwd=tmp_path, env=dict(os.environ, PATH=path, TMPDIR=str(temp)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/{DOSSIER}/actors/wang-yi/"
        assert _wait_for(url, "Wang Yi"), f"{name} serve never showed the actor's page"
        actor = tmp_path / "dossiers" / DOSSIER / "actors" / "wang-yi.yaml"
        actor.write_text(actor.read_text(encoding="utf-8").replace("name: Wang Yi\n", "name: Wang Yi Servi\n", 1),
                         encoding="utf-8")
        assert _wait_for(url, "Wang Yi Servi"), f"{name} serve did not show the edit"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(60)
    assert list(temp.iterdir()) == []  # the staged copy is removed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "dossiers", "mkdocs.yml", "tmp"]


def test_mkdocs_build_warns_of_zensical_toml(tmp_path):
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    for folder in ("docs", "dossiers"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "zensical.toml").write_text('[project]\nsite_name = "Dossiers"\n', encoding="utf-8")
    result = run_dossier("build", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert ("zensical.toml:1:1: warning: zensical reads this file before mkdocs.yml and runs no MkDocs plugin: "
            "`zensical build` publishes the site without the dossiers; build the site with "
            "`dossier build --engine zensical`") in result.stderr.splitlines()
    assert (tmp_path / "site" / DOSSIER / "index.html").is_file()


@pytest.mark.parametrize("name", ENGINES)
def test_hostile_dossier_stays_text_through_the_engine(name, tmp_path):
    """The XSS checks of test_reliability_xss on the hostile dossier built through the engine."""
    from test_reliability_xss import DOSSIER as HOSTILE_ID
    from test_reliability_xss import HOSTILE, VISIBLE, html_files, is_materials_script, scan

    site = tmp_path / "site"
    result = run_dossier("build", "--engine", name, "--no-pdf", "--dossiers", str(HOSTILE), "--site-dir", str(site),
                         env={"PATH": engine_path(name)})
    assert result.returncode == 0, result.stderr
    problems = []
    for path in html_files(site):
        where, scanned = path.relative_to(site), scan(path)
        problems += [f"{where}: {p}" for p in scanned.problems]
        problems += [f"{where}: script {attributes} {content[:60]!r}" for attributes, content, in_article
                     in scanned.scripts if in_article or not is_materials_script(attributes, content)]
        head = path.read_text(encoding="utf-8").split("</head>", 1)[0]
        if head.count("</title>") != 1:
            problems.append(f"{where}: the title element is broken out of")
    assert not problems, "\n".join(problems[:20])
    for address, payloads in VISIBLE.items():
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", (site / HOSTILE_ID / address / "index.html")
                                              .read_text(encoding="utf-8").split("<article", 1)[1])).split())
        for payload in payloads:
            # verbatim in a quote, with print typography (’, no-break spaces) in prose
            shown = {" ".join(payload.split()), " ".join(fix(payload, "fr").split())}
            assert any(one in text for one in shown), (name, address, payload)



@pytest.mark.parametrize("address", ["", f"{DOSSIER}/", f"{DOSSIER}/questions/sort-de-qin-gang/"])
def test_no_serious_accessibility_violation_through_the_engine(engine_site, page, address):
    """The engines' own themes must not undo the site's accessibility (Zensical paints the current
    nav link in the accent colour: the dossier stylesheet gives it the link colour, as Material does)."""
    name, site = engine_site
    url, server = serve_folder(site)
    try:
        page.goto(url + address)
        violations = serious_axe_violations(page)
    finally:
        server.shutdown()
    assert violations == [], (name, violations)
