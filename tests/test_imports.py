"""The package's import layers hold (``make lint`` runs this file).

The layers are written down in README's "Import layers"; each module imports
only from its own layer and the ones below. Imports inside functions count
(they are dependencies too, only later ones); imports under ``if TYPE_CHECKING:``
do not (they never run). Besides the layers: no import circle, and every import
inside a function says why it is there.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"
MODULE_REASON = "# Imports inside functions:"
"""A module whose imports inside functions all have one reason says it once, in a comment line starting so."""


@dataclass(frozen=True)
class Import:
    """One import of a project module by another."""

    source: str
    target: str
    line: int
    in_function: bool
    end: int = 0
    """The statement's last line (an import wrapped in parentheses spans several)."""


def _module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hidden |= {id(inner) for statement in node.body for inner in ast.walk(statement)}
    return hidden


def _targets(node: ast.Import | ast.ImportFrom, name: str, is_package: bool, modules: set[str]) -> list[str]:
    """The project modules *node* (in module *name*) imports, as names relative to the package."""
    if isinstance(node, ast.Import):
        names = [alias.name.removeprefix("generator.") for alias in node.names if alias.name.startswith("generator.")]
        return [n for n in names if n in modules]
    if node.level == 0:
        if not (node.module or "").startswith("generator"):
            return []
        base = (node.module or "").removeprefix("generator").removeprefix(".")
    else:
        parts = name.split(".") if name else []
        parts = parts if is_package else parts[:-1]
        parts = parts[:len(parts) - (node.level - 1)]
        base = ".".join(parts + ([node.module] if node.module else []))
    found = []
    for alias in node.names:
        full = f"{base}.{alias.name}" if base else alias.name
        found.append(full if full in modules else base)
    return [target for target in found if target in modules and target != name]


def read_imports(package: Path = PACKAGE) -> tuple[set[str], list[Import], dict[str, list[str]]]:
    """The package's modules (``""`` is the package itself), their imports of each other, and each module's lines."""
    paths = {_module_name(path, package): path for path in sorted(package.rglob("*.py"))}
    modules, imports, lines = set(paths), [], {}
    for name, path in paths.items():
        text = path.read_text(encoding="utf-8")
        lines[name] = text.splitlines()
        tree = ast.parse(text)
        hidden = _type_checking_nodes(tree)
        in_function = {id(inner) for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                       for inner in ast.walk(node)}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in hidden:
                for target in _targets(node, name, path.name == "__init__.py", modules):
                    imports.append(Import(name, target, node.lineno, id(node) in in_function,
                                          node.end_lineno or node.lineno))
    return modules, imports, lines


def circles(imports: list[Import]) -> list[list[str]]:
    """Each import circle (a strongly connected group of two modules or more), as its sorted modules."""
    edges: dict[str, set[str]] = {}
    for one in imports:
        edges.setdefault(one.source, set()).add(one.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm; the package is a few dozen modules deep at most
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def readme_layers(text: str | None = None) -> list[list[str]]:
    """README's import layers, the top one first: each a list of module names or patterns (``render.*``)."""
    text = text if text is not None else (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Import layers", 1)[1].split("\n#", 1)[0]
    layers = []
    for line in section.splitlines():
        match = re.match(r"\d+\. (.*?): ", line)
        if match:
            layers.append(re.findall(r"`([\w.*]+)`", match.group(1)))
    return layers


def layer_of(module: str, layers: list[list[str]]) -> int | None:
    """The index of *module*'s layer (0 is the top one): a module named outright wins over a pattern."""
    for exact in (True, False):
        for number, layer in enumerate(layers):
            for pattern in layer:
                if module == pattern or (not exact and (fnmatchcase(module, pattern)
                                                        or module == pattern.removesuffix(".*"))):
                    return number
    return None


def upward(imports: list[Import], layers: list[list[str]]) -> list[str]:
    """The imports that reach a higher layer than their module's, as ``module:line imports target``."""
    wrong = []
    for one in imports:
        source, target = layer_of(one.source, layers), layer_of(one.target, layers)
        if source is not None and target is not None and target < source:
            wrong.append(f"generator/{one.source.replace('.', '/')}.py:{one.line} imports {one.target}, "
                         f"in a higher layer ({layers[target][0]} …)")
    return sorted(set(wrong))


def unexplained(imports: list[Import], lines: dict[str, list[str]]) -> list[str]:
    """Imports inside a function without a reason: a comment on the line, on the line above, on the
    first of the imports just above it, or once for the module (:data:`MODULE_REASON`)."""
    wrong = []
    for one in imports:
        text = lines[one.source]
        if not one.in_function or any(line.lstrip().startswith(MODULE_REASON) for line in text):
            continue
        number = one.line - 1  # 0-based
        statement = text[number:max(one.end, one.line)]
        while True:
            if any("#" in line for line in statement) or text[number - 1].lstrip().startswith("#"):
                break
            start = number - 1
            if text[start].strip().startswith(")"):  # the import above is wrapped: its whole statement counts
                while start > 0 and not re.match(r"\s*from \S+ import \(", text[start]):
                    start -= 1
            if not re.match(r"\s*(from \S+ )?import ", text[start]):
                wrong.append(f"generator/{one.source.replace('.', '/')}.py:{one.line}: `{text[one.line - 1].strip()}` "
                             "inside a function: say why on its line (`# only for …`), or import it at the top")
                break
            statement, number = text[start:number], start
    return sorted(set(wrong))


def test_no_import_circle():
    _, imports, _ = read_imports()
    found = circles(imports)
    assert not found, "import circles (imports inside functions count):\n" + "\n".join(" ".join(c) for c in found)


def test_every_module_is_in_a_layer_and_none_imports_upwards():
    modules, imports, _ = read_imports()
    layers = readme_layers()
    unplaced = [module for module in sorted(modules - {""}) if layer_of(module, layers) is None]
    assert not unplaced, f"modules in no layer of README's \"Import layers\": {', '.join(unplaced)}"
    wrong = upward(imports, layers)
    assert not wrong, "\n".join(wrong)


def test_every_import_inside_a_function_says_why():
    _, imports, lines = read_imports()
    wrong = unexplained(imports, lines)
    assert not wrong, "\n".join(wrong)


def _uses(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> what it does that only the top layers may: import MkDocs (``mkdocs``), exit (``sys.exit``)."""
    found: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        name = _module_name(path, package)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                       else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            if any(module.split(".")[0] == "mkdocs" for module in modules):
                found.setdefault(name, set()).add("mkdocs")
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "sys.exit":
                found.setdefault(name, set()).add("sys.exit")
    return found


def test_only_publishing_knows_mkdocs_and_only_the_command_line_exits():
    layers = readme_layers()
    uses = _uses()
    assert {name for name, what in uses.items() if "sys.exit" in what} == {"cli"}
    knowing = sorted(name for name, what in uses.items() if "mkdocs" in what)
    assert knowing and all(layer_of(name, layers) == 1 for name in knowing), knowing  # README's layer 2


# -- the checks themselves fail where they should ---------------------------------------------------

@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A small package: ``low`` below ``high``, as README-like layers put them."""
    (tmp_path / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "low.py").write_text("import os\n", encoding="utf-8")
    (tmp_path / "high.py").write_text("from . import low\n", encoding="utf-8")
    return tmp_path


LAYERS = "### Import layers\n\n1. `high`: the top\n2. `low`: the bottom\n"


def test_a_circle_through_an_import_inside_a_function_is_found(package: Path):
    (package / "low.py").write_text("def late():\n    from .high import x  # a reason does not make a circle right\n",
                                    encoding="utf-8")
    _, imports, _ = read_imports(package)
    assert circles(imports) == [["high", "low"]]


def test_an_upward_import_is_named_with_its_line(package: Path):
    (package / "low.py").write_text("import os\n\nfrom .high import x\n", encoding="utf-8")
    _, imports, _ = read_imports(package)
    assert upward(imports, readme_layers(LAYERS)) == ["generator/low.py:3 imports high, in a higher layer (high …)"]


def test_an_import_inside_a_function_needs_its_reason(package: Path):
    (package / "high.py").write_text(
        "def a():\n    from . import low\n\n\ndef b():\n    from . import low  # only for b\n\n\n"
        "def c():\n    # only for c\n    from . import low\n    from .low import os\n", encoding="utf-8")
    _, imports, lines = read_imports(package)
    assert unexplained(imports, lines) == [
        "generator/high.py:2: `from . import low` inside a function: say why on its line (`# only for …`), "
        "or import it at the top"]
    (package / "high.py").write_text(f"{MODULE_REASON} the commands load what they need.\n"
                                     "def a():\n    from . import low\n", encoding="utf-8")
    assert unexplained(*read_imports(package)[1:]) == []


def test_patterns_and_names_place_modules_in_layers():
    layers = readme_layers("### Import layers\n\n1. `render.*`, `pdf.*`: outputs\n2. `words`, `render.labels`: words\n")
    assert [layer_of(name, layers) for name in ("render.site", "render", "pdf", "render.labels", "words", "cli")] == [
        0, 0, 0, 1, 1, None]
