"""The ``dossier`` command line: check, build, pdf, serve, and the analyst's tools (new, add, quote, schema).

Each command drives the stages (load, validate, link, render, write) and
turns their reports into ``PATH:LINE:COL: error: …`` lines on standard error.
Exit status: 0 clean (warnings allowed), 1 errors in the input, 2 usage.
MkDocs and Typst are imported only by the commands that need them, so
``dossier check`` starts fast.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from .core.errors import DossierError, InputError, OutputError, Report, UsageError
from .core.kinds import kinds

# Imports inside functions: each command loads only the modules it needs (MkDocs, Typst,
# pydantic's models, an importer), so that `dossier check` and `dossier --help` start fast.

T = TypeVar("T")


def print_report(report: Report, *, quiet_summary: bool = False) -> None:
    """Print every diagnostic, sorted, then a summary line, on standard error."""
    for line in report.lines():
        click.echo(line, err=True)
    if report.diagnostics or not quiet_summary:
        click.echo(report.summary(), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dossier")
def main() -> None:
    """Build sourced briefing dossiers into a website and PDF briefings."""


@main.command()
@click.argument("path", required=False, default=None, type=click.Path())
@click.option("-j", "--jobs", type=click.IntRange(1, 2), default=None,
              help="Processes reading the files: 1, or 2 (a second process reads while the first "
                   "validates). Default: 2 with two cores or more and 200 files or more.")
def check(path: str | None, jobs: int | None) -> None:
    """Validate every dossier under PATH (default: dossiers/, or the dossier you are in), one dossier, or one file."""
    from .core.batch import one_shot
    from .core.files import plan_dossiers
    from .core.prefetch import reading
    from .core.targets import TargetError, check_target

    try:
        target = check_target(path)
    except TargetError as exc:
        raise click.UsageError(str(exc)) from None
    root, display = target.folder, target.display
    with one_shot():
        report = Report()
        plans = plan_dossiers(root, display, report)
        with reading(plans, jobs) as prefetch:  # reads the files while the model loads
            from .core.validate import check as run_check

            dossiers, report = run_check(root, display, plans, report, prefetch)
    if not report.errors:
        from .publish.engines import engine_warnings

        report.extend(engine_warnings(root, dossiers))
    report = target.restrict(report)
    print_report(report)
    if report.errors:
        sys.exit(1)
    count = len(dossiers)
    entities = sum(sum(1 for _ in d.entities()) for d in dossiers)
    click.echo(f"checked {count} dossier{'s' if count != 1 else ''}: "
               f"{entities} entit{'ies' if entities != 1 else 'y'}", err=True)


def _project_config(config_file: str) -> None:
    """A usage error, saying what a project is, when *config_file* (``mkdocs.yml``) is not here."""
    if not Path(config_file).is_file():
        raise click.UsageError(f"{config_file}: no such file: run the command in a project's folder (this "
                               "repository's, or one made with `dossier init FOLDER`), or name the configuration "
                               "with -f")


def _quiet_report(report: Report) -> None:
    print_report(report, quiet_summary=True)


def prepare_or_exit(path: str, *, read_ahead: bool = False):
    """Load, validate and link (:func:`generator.pipeline.prepared.prepared`); print the report, and exit when it has errors.

    Call it before importing the stages, so that the reader starts at once.
    """
    from .pipeline.prepared import prepared  # the reader process starts there, before the stages are imported

    try:
        return prepared(path, _quiet_report, read_ahead=read_ahead)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    except InputError:
        sys.exit(1)


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="The MkDocs configuration.")
@click.option("--site-dir", default=None, help="Where to write the site (default: mkdocs.yml's site_dir).")
@click.option("--dossiers", "dossiers", default=None, help="The dossiers folder (default: the plugin's option).")
@click.option("--no-pdf", is_flag=True, help="Build the site without the PDF briefings.")
@click.option("--engine", type=click.Choice(["mkdocs", "properdocs", "zensical"]), default="mkdocs",
              show_default=True, help="The site engine; properdocs and zensical are run from PATH.")
@click.option("--no-cache", is_flag=True, help="Render every page and PDF again instead of reusing those of the "
              "last build whose inputs are unchanged (kept in .cache/dossier/ beside mkdocs.yml).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="PDF briefings typeset at once; 1: one after another, and the pages rendered in one process. "
                   "Default: the plugin's `jobs`, else as many as the cores.")
def build(config_file: str, site_dir: str | None, dossiers: str | None, no_pdf: bool, engine: str,
          no_cache: bool, jobs: int | None) -> None:
    """Check the dossiers, then build the site and every PDF briefing."""
    _project_config(config_file)
    if engine != "mkdocs":
        from .publish.engine_run import engine_build  # an engine's run only when it is asked for

        built, count = _exit_on_errors(lambda: engine_build(engine, config_file, site_dir, dossiers, not no_pdf,
                                                            _quiet_report), os_errors=True)
        built = f"{built} with {engine}"
    else:
        from .publish.mkdocs_run import build_site  # MkDocs only for the commands that run it

        built, count = _exit_on_errors(lambda: build_site(config_file, site_dir=site_dir, dossiers=dossiers,
                                                          pdf=not no_pdf, show=_quiet_report, cache=not no_cache,
                                                          jobs=jobs))
    click.echo(f"built {built}: {count} dossier{'s' if count != 1 else ''}"
               + ("" if no_pdf else " with PDF briefings"), err=True)


def _exit_on_errors(run: Callable[[], T], *, os_errors: bool = False) -> T:
    """What *run* returns; the tool's errors (and, with *os_errors*, the system's) turned into the command's
    exit status: 2 for a usage error, else the error's ``status`` (1 by default), its line said once."""
    caught: tuple[type[Exception], ...] = (DossierError, OSError) if os_errors else (DossierError,)
    try:
        return run()
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    except InputError:
        sys.exit(1)  # its report is shown already
    except caught as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(getattr(exc, "status", 1))


@main.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The PDF file to write.")
@click.option("--font-path", multiple=True, type=click.Path(file_okay=False, exists=True),
              help="A folder of extra fonts (e.g. for names in other scripts).")
def pdf(folder: str, output: str, font_path: tuple[str, ...]) -> None:
    """Typeset the PDF briefing of one dossier FOLDER into OUTPUT."""
    from .core.batch import one_shot

    with one_shot():  # the PDF data of a large dossier is hundreds of thousands of objects
        linked, _ = prepare_or_exit(folder, read_ahead=True)
        if len(linked) != 1:
            raise click.UsageError(f"{folder}: name one dossier folder (the one holding dossier.yaml)")
        from .pdf.briefing import checked_pdf
        from .pipeline.stages import write_file

        try:
            pdf_bytes = checked_pdf(linked[0], font_path, lambda found: print_report(found, quiet_summary=True))
            write_file(Path(output), pdf_bytes)
        except (OutputError, OSError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
    click.echo(f"wrote {output}", err=True)


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="The MkDocs configuration.")
@click.option("-a", "--dev-addr", default=None, metavar="IP:PORT", help="Address to serve on (default 127.0.0.1:8000).")
@click.option("--engine", type=click.Choice(["mkdocs", "properdocs", "zensical"]), default="mkdocs",
              show_default=True, help="The site engine; properdocs and zensical are run from PATH.")
def serve(config_file: str, dev_addr: str | None, engine: str) -> None:
    """Live preview: rebuild when a YAML or text file changes."""
    _project_config(config_file)
    if engine != "mkdocs":
        from .publish.engine_run import engine_serve  # an engine's run only when it is asked for

        _exit_on_errors(lambda: engine_serve(engine, config_file, dev_addr, _quiet_report))
    else:
        from .publish.mkdocs_run import serve_site  # MkDocs only for the commands that run it

        _exit_on_errors(lambda: serve_site(config_file, dev_addr))


@main.command()
@click.argument("kind", required=False, type=click.Choice(["dossier", *(one.name for one in kinds())]))
@click.option("--write", "folder", type=click.Path(file_okay=False), help="Write one KIND.schema.json per kind into FOLDER.")
def schema(kind: str | None, folder: str | None) -> None:
    """Print the JSON Schema of a dossier file KIND, or write every kind's (--write DIR), for editors."""
    from .authoring.schema import dumps, editor_schema, write_schemas

    if (kind is None) == (folder is None):
        raise click.UsageError("name one KIND, or --write DIR for every kind")
    if kind is not None:
        click.echo(dumps(editor_schema(kind)), nl=False)
        return
    assert folder is not None  # kind is None here, so --write was given (checked above)
    try:
        for path in write_schemas(Path(folder)):
            click.echo(f"wrote {path}", err=True)
    except OSError as exc:
        raise click.UsageError(f"{folder}: {exc.strerror or exc}") from None


@main.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--language", type=click.Choice(["fr", "en"]), default="fr", show_default=True,
              help="The language of the dossier's text and labels.")
@click.option("--title", default=None, help="The briefing's title (default: from the folder's name).")
def new(folder: str, language: str, title: str | None) -> None:
    """Start a dossier in FOLDER (its name is the dossier's id) that checks clean."""
    from .authoring.scaffold import ScaffoldError, new_dossier, shown

    try:
        made = new_dossier(Path(folder), language, title, datetime.date.today())
    except ScaffoldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"created {shown(made[-1])}: write its summary there (`dossier check {folder}` lists what is left "
               f"to write); add files with `dossier add actor|meeting|question|source {folder} ID`", err=True)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--language", type=click.Choice(["fr", "en"]), default="en", show_default=True,
              help="The language of the site's interface and of the example dossier.")
@click.option("--title", default=None, help="The site's and the example dossier's title.")
def init(folder: str, language: str, title: str | None) -> None:
    """Start a project of your own in FOLDER: mkdocs.yml, docs/, dossiers/ with one example dossier."""
    from .authoring.project import init_project
    from .authoring.scaffold import ScaffoldError, shown

    try:
        init_project(Path(folder), language, title, datetime.date.today())
    except ScaffoldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"created the project {shown(Path(folder))}; next:\n  cd {shown(Path(folder))}\n"
               "  dossier build    # the site and PDF briefings into site/\n"
               "  dossier serve    # a live preview: open http://127.0.0.1:8000/", err=True)


@main.command()
@click.argument("kind", type=click.Choice(sorted(one.name for one in kinds())))
@click.argument("folder", type=click.Path(file_okay=False))
@click.argument("id_", metavar="ID")
@click.option("--from", "from_", type=click.Path(dir_okay=False, exists=True),
              help="A source only: import its text and metadata from a saved HTML page, a PDF or a text file.")
@click.option("--rehash", is_flag=True,
              help="A source only: accept its changed text, recording the text's new SHA-256 in its YAML file.")
@click.option("--from-ftm", "from_ftm", type=click.Path(dir_okay=False, exists=True),
              help="An actor only: import its name, aliases, country and notes from a FollowTheMoney file.")
@click.option("--ftm-id", default=None, help="With --from-ftm: the entity's id in the file "
                                             "(default: the one whose id is ID or ends in .ID).")
def add(kind: str, folder: str, id_: str, from_: str | None, rehash: bool, from_ftm: str | None,
        ftm_id: str | None) -> None:
    """Add the file of a new KIND named ID to the dossier FOLDER, from a template."""
    from .authoring.scaffold import ScaffoldError, add_entity, entity_path, rehash_source, shown

    if (from_ is not None or rehash) and kind != "source":
        raise click.UsageError("--from and --rehash are for a source: `dossier add source FOLDER ID --from FILE`")
    if rehash:
        if from_ is not None:
            raise click.UsageError("--rehash accepts the text a source has: it cannot go with --from")
        try:
            path, digest = rehash_source(Path(folder), id_)
        except ScaffoldError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        click.echo(f"{shown(path)}: text_sha256 is now {digest}", err=True)
        return
    if (from_ftm is not None and kind != "actor") or (ftm_id is not None and from_ftm is None):
        raise click.UsageError("--from-ftm imports an actor: use `dossier add actor FOLDER ID --from-ftm FILE [--ftm-id ID]`")
    today = datetime.date.today()
    if from_ftm is not None:
        return _add_from_ftm(Path(folder), id_, Path(from_ftm), ftm_id, today)
    try:
        imported = None
        if from_ is not None:
            from .authoring.importer import ImportError_, import_document

            entity_path(Path(folder), kind, id_)  # fails before the import's work when the file exists
            try:
                imported = import_document(Path(from_))
            except ImportError_ as exc:
                click.echo(f"{from_}: error: {exc}", err=True)
                sys.exit(1)
            for note in imported.notes:
                click.echo(f"{from_}: note: {note}", err=True)
        made = add_entity(Path(folder), kind, id_, today,
                          (imported.metadata, imported.text) if imported is not None else None)
    except ScaffoldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo("created " + ", ".join(shown(path) for path in made), err=True)


def _add_from_ftm(folder: Path, id_: str, ftm_file: Path, ftm_id: str | None, today) -> None:
    """``dossier add actor FOLDER ID --from-ftm FILE``: print what was made, or the error, and exit."""
    from .authoring.import_ftm import FtmImportError, add_actor
    from .authoring.scaffold import ScaffoldError, shown

    try:
        made, notes = add_actor(folder, id_, ftm_file, ftm_id, today)
    except FtmImportError as exc:
        where = f"{ftm_file}:{exc.line}:{exc.column or 1}" if exc.line else str(ftm_file)
        click.echo(f"{where}: error: {exc}", err=True)
        sys.exit(1)
    except ScaffoldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    for note in notes:
        click.echo(f"{ftm_file}: note: {note}", err=True)
    click.echo("created " + ", ".join(shown(path) for path in made), err=True)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.argument("source")
@click.argument("words", nargs=-1, required=True)
@click.option("-t", "--translation", default=None, metavar="TEXT",
              help="Your translation of the quote: printed as a `translation:` line under the citation "
                   "(the mapping form, which is printed anyway, to fill in, for a source in another language).")
def quote(folder: str, source: str, words: tuple[str, ...], translation: str | None) -> None:
    """Find WORDS in the text of SOURCE and print the citation line to paste.

    Case, accents, apostrophes and dashes need not match: the line printed
    holds the source's own characters.
    """
    from .authoring.quote_finder import QuoteUsageError, quote_command

    try:
        found = quote_command(Path(folder), source, " ".join(words), click.echo, translation)
    except QuoteUsageError as exc:
        raise click.UsageError(str(exc)) from None
    sys.exit(0 if found else 1)


@main.command("export")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="The file to write (default: standard output).")
@click.option("--format", "format_", type=click.Choice(["json", "ftm", "annotations"]), default="json", show_default=True,
              help="json: the dossier's own JSON; ftm: FollowTheMoney entities (JSON lines); "
                   "annotations: every citation as a W3C Web Annotation (JSON-LD).")
@click.option("--site-url", default=None, help="The site's address, for absolute links to its pages "
                                                "(default: addresses relative to the dossier's folder on the site).")
@click.option("--directory-urls/--no-directory-urls", default=True, show_default=True,
              help="The site's use_directory_urls (page addresses d/actors/x/ or d/actors/x.html).")
@click.option("--schema", "show_schema", is_flag=True, help="Print the JSON Schema of the JSON export instead.")
def export_command(folder: str | None, output: str | None, format_: str, site_url: str | None,
                   directory_urls: bool, show_schema: bool) -> None:
    """Write the linked dossier FOLDER as JSON, FollowTheMoney entities or Web Annotations: for other tools,
    or (JSON) to freeze an edition."""
    from .exchange.export import export_schema, to_json
    from .pipeline.stages import write_file

    if show_schema:
        if format_ != "json":
            raise click.UsageError("--schema describes the JSON export: leave out --format")
        click.echo(to_json(export_schema()), nl=False)
        return
    if folder is None:
        raise click.UsageError("name the dossier folder to export (or ask for --schema)")
    linked, _ = prepare_or_exit(folder, read_ahead=True)
    if len(linked) != 1:
        raise click.UsageError(f"{folder}: name one dossier folder (the one holding dossier.yaml)")
    from .exchange.addresses import Addresses, normal_site_url
    from .exchange.formats import writer

    text = writer(format_)(linked[0], Addresses(linked[0].dossier.id, normal_site_url(site_url), directory_urls))
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    try:
        write_file(Path(output), text.encode("utf-8"))
    except OSError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"wrote {output}", err=True)


@main.command("review")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--format", "format_", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="markdown: for a pull request comment.")
def review_command(folder: str, format_: str) -> None:
    """Review the dossier FOLDER against the analytic standards (ICD 203): exit 1 when there is an item to look at."""
    from .analysis.review_report import report_markdown, report_text, review

    linked, _ = prepare_or_exit(folder)
    reviews = [review(one) for one in linked]
    click.echo((report_markdown if format_ == "markdown" else report_text)(reviews), nl=False)
    sys.exit(1 if any(one.count for one in reviews) else 0)


@main.command("diff")
@click.argument("old", type=click.Path(exists=True))
@click.argument("new", type=click.Path(exists=True))
@click.option("--format", "format_", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
def diff_command(old: str, new: str, format_: str) -> None:
    """What changed from OLD to NEW, each a dossier folder or an export file (exit 0 changed or not)."""
    from .exchange.diff import changes_json, diff, report_markdown, report_text
    from .exchange.export import to_json
    from .pipeline.stages import read_edition

    report = Report()
    editions = [read_edition(Path(path), path.rstrip("/") or path, report) for path in (old, new)]
    print_report(report, quiet_summary=True)
    if report.errors:
        sys.exit(1)
    for path, found in zip((old, new), editions):
        if len(found) != 1:
            raise click.UsageError(f"{path}: name one dossier folder (the one holding dossier.yaml) or one export file")
    (before,), (after,) = editions
    changes = diff(before, after)
    if format_ == "json":
        click.echo(to_json(changes_json(before, after, changes)), nl=False)
    else:
        click.echo((report_markdown if format_ == "markdown" else report_text)(before, after, changes), nl=False)


@main.command("merge")
@click.argument("sites", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", required=True, help="The merged site's folder (replaced as a whole).")
def merge_command(sites: tuple[str, ...], output: str) -> None:
    """Merge the sites built by the jobs of a split build (the plugin's `only`) into one site and search index."""
    from .publish.merge import MergeError, merge_sites

    try:
        count = merge_sites([Path(site) for site in sites], Path(output))
    except MergeError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"merged {len(sites)} sites into {output}: {count} files", err=True)
