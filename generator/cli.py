"""The ``dossier`` command line: check, build, pdf and serve.

Each command drives the stages (load, validate, link, render, write) and
turns their reports into ``PATH:LINE:COL: error: …`` lines on standard error.
Exit status: 0 clean (warnings allowed), 1 errors in the input, 2 usage.
MkDocs and Typst are imported only by the commands that need them, so
``dossier check`` starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import Report


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
@click.argument("path", required=False, default="dossiers", type=click.Path(file_okay=False))
def check(path: str) -> None:
    """Validate every dossier under PATH (default: dossiers/), or one dossier folder."""
    from .validate import check as run_check

    root = Path(path)
    if not root.is_dir():
        raise click.UsageError(f"{path}: no such folder")
    dossiers, report = run_check(root, path.rstrip("/") or path)
    print_report(report)
    if report.errors:
        sys.exit(1)
    count = len(dossiers)
    click.echo(f"checked {count} dossier{'s' if count != 1 else ''}: "
               f"{sum(sum(1 for _ in d.entities()) for d in dossiers)} entities", err=True)
