"""The site through another engine than MkDocs: ProperDocs or Zensical.

MkDocs runs the ``dossiers`` plugin, which feeds the core's pages into the
build. Zensical runs no MkDocs plugin at all (it reads ``mkdocs.yml`` and
silently drops the plugins it does not know), and ProperDocs is driven the
same way so that both roads ahead of MkDocs 1.x rest on the core alone:

1. load, validate and link the dossiers (as for every build);
2. stage a *work* folder beside the site: a copy of ``docs/`` with every
   rendered page, the PDF briefings and the stylesheet written in, and a
   generated ``mkdocs.yml`` (the ``dossiers`` plugin removed, the dossiers'
   navigation put first, ``docs_dir`` and ``site_dir`` inside the folder,
   which Zensical requires);
3. run the engine found on PATH (its own environment is fine) on that copy;
4. check that the dossiers' pages are in what it built, then put the new site
   in the place of the old one with one rename (:func:`build.replace_directory`).

Nothing here imports MkDocs: the configuration is read as YAML, its tags
(``!ENV``, ``!!python/name:``) kept as they are for the engine to resolve.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import DossierError, Report
from ..core.kinds import folders
from ..render.html import with_page_language
from ..render.labels import labels

ENGINES = ("mkdocs", "properdocs", "zensical")
"""The engines ``dossier build --engine`` knows; ``mkdocs`` runs the plugin in-process."""
PLUGIN = "dossiers"
"""The name of the MkDocs plugin in ``mkdocs.yml``."""
CSS_URI = "assets/dossier/dossier.css"
"""Where the dossiers' stylesheet goes in the site (as the plugin puts it)."""
PLUGINLESS = ("zensical",)
FOLDER_PAGES = ("zensical",)
"""Engines that read a relative link in a page's HTML as relative to its Markdown file, not to its address:
they get every page as ``…/<name>/index.md``, so that file and address are in the same folder."""
"""Engines that read ``mkdocs.yml`` but run no MkDocs plugin: with them, the dossiers need ``--engine``."""


class EngineError(DossierError):
    """The engine failed, or built a site without the dossiers (one line to show; exit status 1)."""

    status = 1
    """The command's exit status."""


class EngineUsageError(EngineError):
    """The engine is missing, or the configuration cannot be used (exit status 2, as other usage errors)."""

    status = 2


# -- the configuration, read as YAML with its tags kept -----------------------------------------

@dataclass(frozen=True)
class Tagged:
    """A YAML value with a tag this module does not resolve (``!ENV``, ``!!python/name:…``)."""

    tag: str
    """The full tag, as in the file."""
    value: Any
    """The scalar text, the list or the mapping under the tag."""


class _Loader(yaml.SafeLoader):
    """Safe loading, with unknown tags kept as :class:`Tagged` values."""


def _construct_tagged(loader: _Loader, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        return Tagged(node.tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(node.tag, loader.construct_sequence(node, deep=True))
    assert isinstance(node, yaml.MappingNode)  # a YAML node is a scalar, a sequence or a mapping
    return Tagged(node.tag, loader.construct_mapping(node, deep=True))


_Loader.add_constructor(None, _construct_tagged)


class _Dumper(yaml.SafeDumper):
    """Safe dumping, writing :class:`Tagged` values back with their tags."""


def _represent_tagged(dumper: _Dumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Dumper.add_representer(Tagged, _represent_tagged)


def read_config(path: Path) -> dict:
    """The configuration file at *path* as a mapping (tags kept); :class:`EngineError` when unreadable."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise EngineUsageError(f"{path}: cannot read the configuration: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise EngineUsageError(f"{path}: the configuration is not a mapping")
    return data


def plugin_options(config: dict) -> dict | None:
    """The ``dossiers`` plugin's options in *config* (``{}`` when it has none), None when it is not enabled."""
    plugins = config.get("plugins") or []
    entries = plugins.items() if isinstance(plugins, dict) else (
        next(iter(item.items())) if isinstance(item, dict) and len(item) == 1 else (item, None) for item in plugins)
    for name, options in entries:
        if name == PLUGIN:
            return dict(options) if isinstance(options, dict) else {}
    return None


def without_plugin(plugins: Any) -> Any:
    """The ``plugins`` setting without the ``dossiers`` plugin."""
    if isinstance(plugins, dict):
        return {name: options for name, options in plugins.items() if name != PLUGIN}
    return [item for item in plugins or []
            if item != PLUGIN and not (isinstance(item, dict) and PLUGIN in item)]


def search_languages(plugins: Any, linked: list, site_lang: str) -> Any:
    """*plugins* with the search plugin told every language of the dossiers (what the plugin does in
    ``on_config``: ``lang: [fr, en]`` for a library of French and English dossiers)."""
    wanted = sorted({one.dossier.meta.language for one in linked})

    def options(value: Any) -> Any:
        if not isinstance(value, dict | None):
            return value
        current = (value or {}).get("lang") or [site_lang]
        current = [current] if isinstance(current, str) else list(current)
        more = [lang for lang in wanted if lang not in current]
        return dict(value or {}, lang=current + more) if more else value

    if isinstance(plugins, dict):
        return {name: options(value) if name in ("search", "material/search") else value
                for name, value in plugins.items()}
    found = []
    for item in plugins or []:
        if item in ("search", "material/search"):
            changed = options(None)
            item = {item: changed} if changed is not None else item
        elif isinstance(item, dict) and len(item) == 1 and next(iter(item)) in ("search", "material/search"):
            (name, value), = item.items()
            item = {name: options(value)}
        found.append(item)
    return found


def plugin_mark(path: Path) -> tuple[int, int]:
    """Line and column of the ``dossiers`` plugin's entry in the configuration file (1, 1 when not found)."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return 1, 1
    if not isinstance(root, yaml.MappingNode):
        return 1, 1
    for key, value in root.value:
        if key.value != "plugins" or not isinstance(value, (yaml.SequenceNode, yaml.MappingNode)):
            continue
        items = value.value if isinstance(value, yaml.SequenceNode) else [k for k, _ in value.value]
        for item in items:
            names = [item.value] if isinstance(item, yaml.ScalarNode) else (
                [k.value for k, _ in item.value] if isinstance(item, yaml.MappingNode) else [])
            if PLUGIN in names:
                return item.start_mark.line + 1, item.start_mark.column + 1
        return key.start_mark.line + 1, key.start_mark.column + 1
    return 1, 1


# -- the engine -----------------------------------------------------------------------------------

def find_engine(name: str) -> str:
    """The engine's program on PATH; :class:`EngineError` saying how to install it when absent."""
    program = shutil.which(name)
    if program is None:
        raise EngineUsageError(f"{name} is not installed (not found on PATH): install it in its own environment, "
                          f"e.g. `make engines`, and put .venv-{name}/bin on PATH")
    return program


def engine_command(name: str, program: str, config_file: Path, serve: bool = False,
                   dev_addr: str | None = None) -> list[str]:
    """The command line that builds (or serves) the staged configuration with the engine."""
    command = [program, "serve" if serve else "build", "-f", str(config_file)]
    if serve and dev_addr:
        command += ["-a", dev_addr]
    if name == "zensical" and not serve:
        command.append("--clean")  # no cache carried over from an earlier build: every build from scratch
    return command


# -- staging --------------------------------------------------------------------------------------

@dataclass
class Project:
    """The user's site project, as the configuration file describes it."""

    config_file: Path
    """The configuration file (``mkdocs.yml``)."""
    config: dict
    """Its content, tags kept."""
    options: dict
    """The ``dossiers`` plugin's options."""

    @property
    def base(self) -> Path:
        """The folder of the configuration file, against which its paths resolve."""
        return self.config_file.resolve().parent

    def folder(self, key: str, default: str) -> Path:
        """A folder setting (``docs_dir``, ``site_dir``), resolved."""
        value = self.config.get(key) or default
        return (self.base / str(value)).resolve()

    @property
    def dossiers(self) -> Path:
        """The dossiers folder of the plugin's options."""
        return (self.base / str(self.options.get("dossiers") or "dossiers")).resolve()

    @property
    def fonts(self) -> list[str]:
        """The extra font folders of the plugin's options, resolved."""
        return [str((self.base / str(folder)).resolve()) for folder in self.options.get("fonts") or []]

    @property
    def language(self) -> str:
        """The site's language (the theme's ``language``, else French)."""
        theme = self.config.get("theme")
        return str(theme.get("language") or "fr") if isinstance(theme, dict) else "fr"

    @property
    def directory_urls(self) -> bool:
        """Whether pages have folder addresses (MkDocs' ``use_directory_urls``, true unless set false)."""
        return self.config.get("use_directory_urls") is not False


def load_project(config_file: Path) -> Project:
    """The project of *config_file*; :class:`EngineError` when the ``dossiers`` plugin is not in it."""
    config = read_config(config_file)
    options = plugin_options(config)
    if options is None:
        raise EngineUsageError(f"{config_file}: the `{PLUGIN}` plugin is not enabled under `plugins:`")
    return Project(config_file, config, options)


def front_matter(title: str) -> str:
    """YAML front matter giving a page its title (HTML-escaped: themes print titles as HTML)."""
    return f"---\ntitle: {json.dumps(escape(title), ensure_ascii=False)}\n---\n\n"


def source_path(src_uri: str, folder_pages: bool) -> str:
    """Where a page's Markdown goes in the staged docs: as given, or ``name/index.md`` for *folder_pages*."""
    if not folder_pages or src_uri == "index.md" or src_uri.endswith("/index.md"):
        return src_uri
    return src_uri.removesuffix(".md") + "/index.md"


def _nav_paths(entries: list, folder_pages: bool) -> list:
    """The dossiers' navigation with each page's source at :func:`source_path`."""
    def one(value):
        if isinstance(value, str):
            return source_path(value, folder_pages)
        return [{title: one(inner) for title, inner in entry.items()} for entry in value]
    return one(entries)


def docs_files(project: Project, linked: list, *, pdf: bool, folder_pages: bool = False,
               progress=None) -> dict[str, bytes]:
    """Every file of the staged docs but the PDFs, by path: the user's docs, the rendered pages, the stylesheet,
    each dossier's files for other tools (``<id>/<id>.json`` and the others, as the plugin adds them)."""
    from ..exchange.formats import published_files  # likewise: the exports only to stage a site
    from ..pipeline import (
        stages as core,  # `check` imports this module for its warnings: the stages only to stage a site
    )

    files: dict[str, bytes] = {}
    source = project.folder("docs_dir", "docs")
    for path in sorted(source.rglob("*")) if source.is_dir() else []:
        relative = path.relative_to(source)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            files[relative.as_posix()] = path.read_bytes()
    if progress is not None:
        progress.stage("rendering the dossiers' pages")
    for page in core.site_pages(linked, pdf=pdf, site_lang=project.language, directory_urls=project.directory_urls):
        files[source_path(page.src_uri, folder_pages)] = (front_matter(page.title) + page.markdown).encode("utf-8")
    files[CSS_URI] = resources.files("generator").joinpath("assets/dossier.css").read_bytes()
    site_url = project.config.get("site_url")
    for one in linked:
        for name, content in published_files(one, site_url if isinstance(site_url, str) else None,
                                             project.directory_urls).items():
            files[name] = content.encode("utf-8")
    files.update(core.preview_files(linked, project.directory_urls))
    return files


def sync_folder(folder: Path, files: dict[str, bytes], keep: frozenset[str] | set[str] = frozenset()) -> int:
    """Make *folder* hold exactly *files* (and *keep*): write what differs, delete the rest; returns the changes."""
    changes = 0
    for relative, content in files.items():
        target = folder / relative
        if target.is_file() and target.read_bytes() == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        changes += 1
    for path in sorted(folder.rglob("*"), reverse=True) if folder.is_dir() else []:
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative not in files and relative not in keep:
            path.unlink()
            changes += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changes


def stage_docs(project: Project, linked: list, docs: Path, *, pdf: bool, folder_pages: bool = False,
               progress=None) -> None:
    """Fill *docs* with the user's docs, every rendered page, the stylesheet and the PDFs."""
    docs.mkdir(parents=True, exist_ok=True)
    sync_folder(docs, docs_files(project, linked, pdf=pdf, folder_pages=folder_pages, progress=progress))
    if pdf:
        _stage_pdfs(project, linked, docs, progress)


def _stage_pdfs(project: Project, linked: list, docs: Path, progress) -> None:
    from ..pdf.pool import typeset_all  # the PDF's modules only for a site with PDFs

    def warn(report) -> None:
        for line in report.lines():
            print(line, file=sys.stderr)

    def starting(one) -> None:
        if progress is not None:
            progress.stage(f"typesetting the PDF briefing of {one.dossier.id}")

    for one, pdf in zip(linked, typeset_all(linked, project.fonts, warn, starting=starting)):
        (docs / one.dossier.id).mkdir(parents=True, exist_ok=True)
        (docs / one.dossier.id / f"{one.dossier.id}.pdf").write_bytes(pdf)


def staged_config(project: Project, linked: list, folder_pages: bool = False) -> dict:
    """The configuration the engine reads: the user's, with the dossiers' pages in and the plugin out."""
    from ..pipeline import stages as core  # as in stage: the stages only to stage a site

    config = dict(project.config)
    config.pop("INHERIT", None)  # merged below: the parent's path would not resolve from the work folder
    config["docs_dir"], config["site_dir"] = "docs", "site"
    config["plugins"] = search_languages(without_plugin(config.get("plugins")), linked, project.language)
    config["nav"] = _nav_paths(core.site_nav(linked, project.language), folder_pages) + list(config.get("nav") or [])
    extra_css = [css for css in config.get("extra_css") or [] if css != CSS_URI]
    config["extra_css"] = [CSS_URI, *extra_css]
    scripts = [script for script in config.get("extra_javascript") or [] if script != core.PREVIEW_SCRIPT_URI]
    config["extra_javascript"] = [*scripts, core.PREVIEW_SCRIPT_URI]
    theme = config.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        config["theme"] = dict(theme, custom_dir=str((project.base / theme["custom_dir"]).resolve()))
    return config


def config_text(config: dict) -> str:
    """The staged configuration as YAML, deterministically."""
    text = yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return "# Generated by `dossier build --engine`: do not edit.\n" + text


def write_config(config: dict, path: Path) -> None:
    """Write the staged configuration."""
    path.write_text(config_text(config), encoding="utf-8")


def stage(project: Project, linked: list, work: Path, *, pdf: bool, folder_pages: bool = False,
          progress=None) -> Path:
    """Fill the *work* folder (docs copy, generated configuration); returns the configuration file."""
    if "INHERIT" in project.config:
        raise EngineUsageError(f"{project.config_file}: `INHERIT` is not supported with --engine; "
                          "merge the parent configuration into this file")
    stage_docs(project, linked, work / "docs", pdf=pdf, folder_pages=folder_pages, progress=progress)
    config_file = work / "mkdocs.yml"
    write_config(staged_config(project, linked, folder_pages), config_file)
    return config_file


# -- what was built -------------------------------------------------------------------------------

def missing_pages(site: Path, dossiers: list, *, pdf: bool) -> list[str]:
    """The pages (and PDFs) of *dossiers* (the models) that *site* lacks, as site addresses."""
    wanted = []
    for d in dossiers:
        wanted += [f"{d.id}/", f"{d.id}/timeline/", f"{d.id}/network/"]
        wanted += [f"{d.id}/{folder}/{entity_id}/" for folder in sorted(folders())
                   for entity_id in d.table(folder)]
        if pdf:
            wanted.append(f"{d.id}/{d.id}.pdf")
    return [url for url in wanted if not _built(site, url)]


def _built(site: Path, url: str) -> bool:
    if url.endswith("/"):
        return (site / url / "index.html").is_file() or (site / (url.rstrip("/") + ".html")).is_file()
    return (site / url).is_file()


_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def finish_site(site: Path, language: str, languages: dict[str, str] | None = None) -> int:
    """What the plugin's page hooks do, done on the built HTML: Material's search dialog gets a name
    (axe-core: aria-dialog-name), the 404 page a title in the site's language, and each dossier's pages
    its language (*languages*: dossier id -> language); returns the files changed."""
    name = labels(language)["search"]
    changed = 0
    for path in sorted(site.rglob("*.html")):
        markup = path.read_text(encoding="utf-8")
        new = markup.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{name}">', 1)
        dossier = path.relative_to(site).parts[0]
        new = with_page_language(new, language, (languages or {}).get(dossier, language))
        if path == site / "404.html":
            new = new.replace("<h1>404 - Not found</h1>", f"<h1>{escape(labels(language)['not_found'])}</h1>", 1)
        if new != markup:
            path.write_text(new, encoding="utf-8")
            changed += 1
    return changed


_GENERATOR = re.compile(r'<meta\s+name="generator"\s+content="([^"]*)"', re.IGNORECASE)


def site_generator(site: Path) -> str:
    """The ``generator`` meta tag of the site's home page (empty when there is none)."""
    try:
        head = (site / "index.html").read_text(encoding="utf-8", errors="replace")[:20000]
    except OSError:
        return ""
    found = _GENERATOR.search(head)
    return found.group(1) if found else ""


# -- what `dossier check` and `dossier build` warn about ----------------------------------------

def _covers(folder: Path, path: Path) -> bool:
    return path == folder or folder in path.parents


def engine_warnings(root: Path, dossiers: list, config_file: Path = Path("mkdocs.yml"),
                    *, engine: str | None = None) -> Report:
    """Warnings where a build through an engine that runs no plugin would drop, or has dropped, the dossiers.

    *root* is the checked folder and *dossiers* its models; *config_file* the project's configuration
    (nothing is said when it is absent, lacks the plugin, or serves other dossiers). With *engine*
    (a build), only the configuration's own signal is looked at, not the installed programs.
    """
    report = Report()
    try:
        project = load_project(config_file) if config_file.is_file() else None
    except EngineError:
        project = None
    if project is None or not _covers(project.dossiers, root.resolve()):
        return report
    toml = project.base / "zensical.toml"
    advice = "build the site with `dossier build --engine zensical`"
    if toml.is_file() and engine != "zensical":
        report.add(toml, 1, 1, "zensical reads this file before mkdocs.yml and runs no MkDocs plugin: "
                   f"`zensical build` publishes the site without the dossiers; {advice}", "warning")
    elif engine is None and shutil.which("zensical") is not None:
        line, column = plugin_mark(config_file)
        report.add(config_file, line, column, "zensical is installed and runs no MkDocs plugin: `zensical build` "
                   f"would publish this site without the dossiers; {advice}", "warning")
    if engine is None:
        _site_warning(project, dossiers, report)
    return report


def _site_warning(project: Project, dossiers: list, report: Report) -> None:
    """A warning when the built site holds none of the dossiers' home pages."""
    site = project.folder("site_dir", "site")
    if not dossiers or not (site / "index.html").is_file():
        return
    # every dossier of the project, not only those checked: a dossier just started is not built yet
    ids = {d.id for d in dossiers} | {meta.parent.name for meta in sorted(project.dossiers.glob("*/dossier.yaml"))}
    if any(_built(site, f"{id_}/") for id_ in sorted(ids)):
        return
    generator = site_generator(site)
    if generator and not generator.lower().startswith(("mkdocs", "properdocs")):
        why = f"{generator} built it, and runs no MkDocs plugin"
    else:
        why = "was it built by an engine that runs no MkDocs plugin, such as `zensical build`?"
    report.add(site / "index.html", 1, 1, f"the built site has none of the dossiers' pages ({why}); "
               "rebuild it with `dossier build` "
               "(`dossier build --engine zensical` for Zensical)", "warning")
