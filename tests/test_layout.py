"""README's "Where things live" stays true: every module of the package is named there, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"


def _named_in_readme() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("### Where things live", 1)[1].split("\n\n", 2)[2]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([\w/]+(?:\.py|/))`", row)}


def _modules() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("render/network/"):
            found.add("render/network/")
        elif path.name != "__init__.py":
            found.add(relative)
    return found


def test_every_module_is_placed_in_the_readme():
    named = _named_in_readme()
    assert len(named) > 20, named
    assert _modules() - named == set(), "modules missing from README's 'Where things live'"
    # network's own files are named inside its row, as `inputs.py` … without the folder
    assert {n for n in named if "/" in n or n.endswith(".py")} - _modules() - {
        "inputs.py", "svg_text.py", "sides.py", "columns.py", "rings.py", "scene.py", "svg.py"} == set(), \
        "README names a module that does not exist"


def test_no_module_of_the_package_is_over_600_lines():
    sizes = {path.relative_to(PACKAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in PACKAGE.rglob("*.py")}
    assert len(sizes) > 20
    assert {name: lines for name, lines in sizes.items() if lines > 600} == {}


def test_no_two_modules_share_a_name():
    """A module's name says what it holds across the package: no two ``build.py`` or ``graph.py``."""
    names: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name != "__init__.py":
            names.setdefault(path.stem, []).append(path.relative_to(PACKAGE).as_posix())
    assert len(names) > 20
    assert {name: paths for name, paths in names.items() if len(paths) > 1} == {}
