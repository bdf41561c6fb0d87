"""Reproducible output: the same input gives the same bytes, wherever and whenever it is built.

Two copies of the project in differently named folders are built with
``dossier build`` (site and PDFs), with and without ``SOURCE_DATE_EPOCH``; the
trees must be byte-identical. ``dossier pdf`` run twice gives the same file,
and ``SOURCE_DATE_EPOCH`` sets the PDF's creation date.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from conftest import DOSSIER, copy_project

EPOCH = "1700000000"


def run_parallel(jobs: dict[str, tuple[list[str], Path, str | None]], timeout: float = 240) -> None:
    """Run each job ``name: (args, cwd, SOURCE_DATE_EPOCH or None)`` side by side; all must succeed."""
    running = {}
    for name, (args, cwd, epoch) in jobs.items():
        env = dict(os.environ)
        env.pop("SOURCE_DATE_EPOCH", None)
        if epoch is not None:
            env["SOURCE_DATE_EPOCH"] = epoch
        running[name] = subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, text=True,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    failures = []
    for name, process in running.items():
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            _, err = process.communicate()
        if process.returncode != 0:
            failures.append(f"{name}: exit {process.returncode}\n{err[-2000:]}")
    assert not failures, "\n".join(failures)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    out = [f"only in one tree: {name}" for name in sorted(set(a) ^ set(b))]
    out += [f"differs: {name}" for name in sorted(set(a) & set(b)) if a[name] != b[name]]
    return out


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    """Two copies built without SOURCE_DATE_EPOCH and with it, plus ``dossier pdf`` runs."""
    base = tmp_path_factory.mktemp("repro")
    first = copy_project(base / "first")
    second = copy_project(base / "elsewhere" / "second-copy")
    folder = f"dossiers/{DOSSIER}"
    run_parallel({
        "first, no epoch": (["build", "--site-dir", "site-plain"], first, None),
        "second, no epoch": (["build", "--site-dir", "site-plain"], second, None),
        "first, epoch": (["build", "--site-dir", "site-epoch"], first, EPOCH),
        "second, epoch": (["build", "--site-dir", "site-epoch"], second, EPOCH),
    })
    run_parallel({
        "pdf 1": (["pdf", folder, "-o", "one.pdf"], first, None),
        "pdf 2": (["pdf", folder, "-o", "two.pdf"], second, None),
        "pdf epoch 0": (["pdf", folder, "-o", "zero.pdf"], first, "0"),
        "pdf epoch": (["pdf", folder, "-o", "epoch.pdf"], second, EPOCH),
    })
    return {"first": first, "second": second}


@pytest.mark.parametrize("site", ["site-plain", "site-epoch"])
def test_two_builds_in_different_folders_are_byte_identical(builds, site):
    a, b = tree(builds["first"] / site), tree(builds["second"] / site)
    assert f"{DOSSIER}/{DOSSIER}.pdf" in a and "sitemap.xml.gz" in a
    diff = differences(a, b)
    assert not diff, "\n".join(diff[:20])


def test_built_pages_do_not_mention_the_build_folder(builds):
    for name, folder in builds.items():
        for path, content in tree(folder / "site-plain").items():
            assert str(folder).encode() not in content, f"{name}: {path} holds the build folder's path"


def test_pdf_command_twice_is_byte_identical(builds):
    one = (builds["first"] / "one.pdf").read_bytes()
    two = (builds["second"] / "two.pdf").read_bytes()
    assert one.startswith(b"%PDF-") and one == two


def test_the_site_pdf_is_the_pdf_command_s(builds):
    assert (builds["first"] / "site-plain" / DOSSIER / f"{DOSSIER}.pdf").read_bytes() == \
        (builds["first"] / "one.pdf").read_bytes()


def creation_date(path: Path) -> dt.datetime:
    date = pypdf.PdfReader(str(path)).metadata.creation_date
    assert date is not None, f"{path.name}: no creation date"
    return date if date.tzinfo else date.replace(tzinfo=dt.UTC)


def test_source_date_epoch_sets_the_pdf_creation_date(builds):
    zero, epoch = builds["first"] / "zero.pdf", builds["second"] / "epoch.pdf"
    assert zero.read_bytes() != epoch.read_bytes()
    assert creation_date(zero) == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    assert creation_date(epoch) == dt.datetime.fromtimestamp(int(EPOCH), dt.UTC)
    assert (builds["first"] / "site-epoch" / DOSSIER / f"{DOSSIER}.pdf").read_bytes() == epoch.read_bytes()


def test_without_source_date_epoch_the_pdf_is_dated_by_the_dossier(builds):
    """No clock time in the output: the document date comes from the dossier's as-of date."""
    date = creation_date(builds["first"] / "one.pdf")
    assert date.date() == dt.date(2023, 9, 18), date
