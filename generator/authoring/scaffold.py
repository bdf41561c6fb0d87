"""Starting a dossier and adding files to it: ``dossier new`` and ``dossier add``.

Every file comes from a template in the dossier's language (``fr`` or
``en``): each field named in a comment, the optional ones commented out, and
a first line that points editors at the file's JSON Schema (written beside,
in the dossier's ``.schemas/`` folder, by :mod:`generator.authoring.schema`). A file
that exists is never overwritten.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from ..core.dates import PLACEHOLDERS as DATE_PLACEHOLDER
from ..core.files import ID_RE, slug, text_digest
from ..core.kinds import folders
from ..core.kinds import kind as kind_named
from .schema import file_name, write_schemas
from .templates import PASTE_TEXT, SUMMARY_PLACEHOLDER, render

SCHEMAS = ".schemas"
"""The folder of a dossier that holds its JSON Schemas, for editors."""


class ScaffoldError(Exception):
    """The file cannot be made (it exists, or the folder is not a dossier); the message says why."""


def modeline(kind: str, depth: int) -> str:
    """The comment that tells VS Code's YAML extension (and others) which schema the file follows."""
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMAS}/{file_name(kind)}\n"


def title_from_id(id_: str) -> str:
    """``wang-yi`` -> ``Wang Yi``: a first guess at a name, to be corrected."""
    return " ".join(word.capitalize() for word in id_.split("-"))


def yaml_text(value: str) -> str:
    """*value* as a one-line YAML scalar (quoted when YAML would read it otherwise)."""
    return yaml.safe_dump(value, allow_unicode=True, width=1 << 16, default_style=None).removesuffix("\n...\n").strip()


def new_dossier(folder: Path, language: str, title: str | None, today: datetime.date, *, summary: str | None = None,
                key_judgments: Sequence[tuple[str, str, str]] = ()) -> list[Path]:
    """Create the dossier *folder*: ``dossier.yaml``, the kind folders and the schemas. The files made.

    Without a *summary*, the template's placeholder (an error for ``check``
    until it is written); *key_judgments* are ``(text, source id, quote)``.
    """
    if (folder / "dossier.yaml").exists():
        raise ScaffoldError(f"{folder / 'dossier.yaml'}: already exists; nothing was changed")
    if not ID_RE.match(folder.resolve().name):
        raise ScaffoldError(f"{folder}: the folder name is the dossier's id: use lowercase ASCII letters "
                            "and digits in groups joined by single hyphens")
    folder.mkdir(parents=True, exist_ok=True)
    made = write_schemas(folder / SCHEMAS)
    for kind_folder in folders():
        (folder / kind_folder).mkdir(exist_ok=True)
    text = modeline("dossier", 0) + render("dossier", language, {
        "title": yaml_text(title or title_from_id(folder.resolve().name)), "today": today.isoformat(), "language": language,
        "summary": summary or SUMMARY_PLACEHOLDER[language]})
    if key_judgments:
        text += "key_judgments:\n" + "".join(f"  - text: {yaml_text(said)}\n    cite:\n      - {source}: {yaml_text(quote)}\n"
                                             for said, source, quote in key_judgments)
    made.append(create_file(folder / "dossier.yaml", text))
    return made


def dossier_language(folder: Path) -> str:
    """The ``language`` of the dossier in *folder* (``fr`` when unset or unreadable)."""
    meta = folder / "dossier.yaml"
    if not meta.is_file():
        raise ScaffoldError(f"{folder}: not a dossier folder (no dossier.yaml): start one with `dossier new {folder}`")
    try:
        data = yaml.safe_load(meta.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return "fr"
    language = data.get("language") if isinstance(data, dict) else None
    return language if language in ("fr", "en") else "fr"


def entity_path(folder: Path, kind: str, id_: str) -> Path:
    """Where the file of a new entity goes; raises :class:`ScaffoldError` when it cannot be made."""
    if not ID_RE.match(id_):
        meant = slug(id_)
        raise ScaffoldError(f"`{id_}` is not an id: use lowercase ASCII letters and digits in groups joined by single "
                            "hyphens" + (f"; did you mean `{meant}`?" if meant else " (e.g. `wang-yi`)"))
    path = folder / kind_named(kind).folder / f"{id_}.yaml"
    for kind_folder in folders():
        taken = folder / kind_folder / f"{id_}.yaml"
        if taken.exists():
            raise ScaffoldError(f"{taken}: already exists (ids are unique across all kinds); nothing was changed")
    if kind == "source" and path.with_suffix(".txt").exists():
        raise ScaffoldError(f"{path.with_suffix('.txt')}: already exists; nothing was changed")
    return path


def add_entity(folder: Path, kind: str, id_: str, today: datetime.date,
               imported: tuple[dict[str, str], str] | None = None, name: str | None = None,
               fill: Callable[[str], str] | None = None) -> list[Path]:
    """Add a file of *kind* named *id_* to the dossier in *folder*, from the template. The files made.

    *imported* is a source's metadata found by :mod:`generator.authoring.importer` (fields
    not found are empty) and its text; without it a source's text file says
    where to paste the text. *name* replaces the name guessed from the id;
    *fill* rewrites the file's text (:mod:`generator.authoring.import_ftm` writes the fields it found).
    """
    language = dossier_language(folder)
    path = entity_path(folder, kind, id_)
    # dates the author must write: a template never says "today" for a publication or a meeting
    values = {"name": yaml_text(name or title_from_id(id_)), "today": today.isoformat(),
              "title": yaml_text(title_from_id(id_)), "published": DATE_PLACEHOLDER[language],
              "date": DATE_PLACEHOLDER[language], "language": language, "outlet": "", "author": "", "url": "",
              "text_sha256": "", "file_sha256": ""}
    metadata, text = imported if imported is not None else ({}, PASTE_TEXT[language])
    values.update({key: value if key == "published" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else yaml_text(value)
                   for key, value in metadata.items() if value})
    if imported is not None:
        values["language"] = yaml_text(metadata["language"]) if metadata.get("language") else ""
        values["text_sha256"] = text_digest(text)
    write_schemas(folder / SCHEMAS)
    path.parent.mkdir(exist_ok=True)
    made = []
    if kind == "source":  # the text first: a source's metadata without its text would not check
        made.append(create_file(path.with_suffix(".txt"), text))
    text = modeline(kind, 1) + render(kind, language, values)
    made.append(create_file(path, fill(text) if fill is not None else text))
    return made


def rehash_source(folder: Path, id_: str) -> tuple[Path, str]:
    """Record in ``sources/<id_>.yaml`` the SHA-256 of its text as it is now: the analyst accepts a changed text.

    Only the ``text_sha256:`` line changes (it is added when there is none); the
    file's other lines and comments stay as they are. The file and the digest.
    """
    path = folder / "sources" / f"{id_}.yaml"
    if not ID_RE.match(id_) or not path.is_file() or not path.with_suffix(".txt").is_file():
        raise ScaffoldError(f"{path}: no such source (its .yaml and .txt are needed); nothing was changed")
    try:
        digest = text_digest(path.with_suffix(".txt").read_text(encoding="utf-8-sig"))
        yaml_file = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScaffoldError(f"{path}: cannot read the source: {exc}") from None
    line = f"text_sha256: {digest}"
    changed, count = re.subn(r"(?m)^text_sha256:.*$", line, yaml_file, count=1)
    if not count:
        changed = yaml_file + ("" if yaml_file.endswith("\n") or not yaml_file else "\n") + line + "\n"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(changed)
    return path, digest


def create_file(path: Path, text: str) -> Path:
    """Write *text* to a new file *path*; never replaces a file (raises :class:`ScaffoldError`)."""
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path}: already exists; nothing was changed") from None
    except OSError as exc:
        raise ScaffoldError(f"{path}: {exc.strerror or exc}") from None
    return path


def shown(path: Path) -> str:
    """*path* relative to the working directory when below it."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else relative
