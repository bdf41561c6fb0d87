"""Diagnostics and the small error hierarchy of the dossier tool.

Every stage collects :class:`Diagnostic` objects into a :class:`Report`
instead of raising at the first problem (as ``mkdocs/config/base.py`` does
for configuration): the user sees every problem of a run at once, one a line,
as ``PATH:LINE:COL: error: MESSAGE``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning"]


def value_kind(value: Any) -> str:
    """What a YAML value is, in the words of an error message: ``a mapping``, ``a number``, ``nothing``…"""
    return {dict: "a mapping", list: "a list", bool: "true/false", type(None): "nothing",
            int: "a number", float: "a number", str: "a text"}.get(type(value), type(value).__name__)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One located problem found in the input."""

    path: str
    """The file, as given to the tool (made relative to the working directory on output)."""
    line: int
    """1-based line of the problem (0 when the whole file is concerned)."""
    column: int
    """1-based column of the problem."""
    severity: Severity = "error"
    """``error`` stops a build; ``warning`` does not."""
    message: str = ""
    """What is wrong, and a suggestion where one exists."""

    def format(self, cwd: str | None = None) -> str:
        """``PATH:LINE:COL: severity: message`` with PATH relative to *cwd*."""
        return f"{display_path(self.path, cwd)}:{max(self.line, 1)}:{max(self.column, 1)}: {self.severity}: {self.message}"


def display_path(path: str, cwd: str | None = None) -> str:
    """*path* relative to *cwd* (default: the working directory) when below it."""
    cwd = cwd or os.getcwd()
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith("..") and os.path.isabs(path) else rel


@dataclass
class Report:
    """All diagnostics of one run, in the order they were found."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, path: str | Path, line: int, column: int, message: str, severity: Severity = "error") -> None:
        """Record one problem."""
        self.diagnostics.append(Diagnostic(str(path), line, column, severity, message))

    def extend(self, other: Report) -> None:
        """Take over every diagnostic of *other* (another stage's or command's report)."""
        self.diagnostics.extend(other.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        """The diagnostics that stop a build."""
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The diagnostics that do not stop a build."""
        return [d for d in self.diagnostics if d.severity == "warning"]

    def sorted(self) -> list[Diagnostic]:
        """Unique diagnostics sorted by path, line and column."""
        return sorted(set(self.diagnostics), key=lambda d: (d.path, d.line, d.column, d.severity, d.message))

    def lines(self, cwd: str | None = None) -> list[str]:
        """The formatted lines, sorted, without the summary."""
        return [d.format(cwd) for d in self.sorted()]

    def summary(self) -> str:
        """A closing line such as ``2 errors, 1 warning``."""
        errors, warnings = len(set(self.errors)), len(set(self.warnings))
        return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"


class DossierError(Exception):
    """Base class of the errors this tool raises on purpose."""


class InputError(DossierError):
    """The input has problems; carries the report that lists them."""

    def __init__(self, report: Report):
        super().__init__(report.summary())
        self.report = report


class UsageError(DossierError):
    """The command line itself is wrong (exit status 2)."""


class OutputError(DossierError):
    """Writing the site or a PDF failed (a disk or Typst problem, not the input)."""
