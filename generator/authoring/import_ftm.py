"""An actor's file from a FollowTheMoney entity: ``dossier add actor FOLDER ID --from-ftm FILE``.

The entity is read from an FtM file (JSON lines, as ``dossier export --format
ftm``, Aleph and OpenSanctions write them) through the ``followthemoney``
package, which cleans every value. A ``Person`` becomes a person, an
``Organization`` (``Company`` and ``PublicBody`` included) an organisation,
and a public body named as its own country (how the export writes a state) a
state. Its name, other names and aliases become ``name`` and ``aliases``; its
country becomes ``country`` when a state of the dossier bears that country's
name (``country`` must name an actor); its ``notes``, ``summary`` or
``description`` the ``summary``. Nothing else is taken: roles and claims need
quotes from the dossier's own sources.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..core import model as m
from .scaffold import add_entity, entity_path, yaml_text


class FtmImportError(Exception):
    """The entity cannot be imported; *line* and *column* locate a JSON syntax error."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line, self.column = line, column


@dataclass
class FtmActor:
    """What an actor's file takes from an FtM entity."""

    entity_id: str
    """The entity's id in the FtM file."""
    schema: str
    """Its FtM schema."""
    kind: m.ActorKind
    """person, organisation or state."""
    name: str
    """The name the file uses (the entity's first name)."""
    aliases: list[str]
    """Its other names and aliases, in the file's order, each once."""
    countries: list[str]
    """Its country codes (ISO 3166-1, lowercase)."""
    summary: str | None
    """Its notes, summary or description."""


def _entities(path: Path) -> list[tuple[int, dict]]:
    """Each entity of the FtM file at *path*, with its line number."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FtmImportError(f"cannot be read: {exc}") from None
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FtmImportError(f"not valid JSON: {exc.msg}", number, exc.colno) from None
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found.append((number, data))
    return found


def _pick(entities: list[tuple[int, dict]], id_: str, wanted: str | None) -> list[tuple[int, dict]]:
    """The lines of the entity *wanted* (an FtM id), or by default of the first whose id is *id_* or ends
    in ``.<id_>``: every line with that id (an FtM file may give an entity in fragments)."""
    ids = [data["id"] for _, data in entities]
    for data in (d for _, d in entities):
        if data["id"] == wanted if wanted else data["id"] == id_ or data["id"].endswith(f".{id_}"):
            return [(n, d) for n, d in entities if d["id"] == data["id"]]
    asked = wanted or id_
    close = difflib.get_close_matches(asked, ids, n=1, cutoff=0.6)
    hint = f"; did you mean `{close[0]}`?" if close else ("" if wanted else "; name it with --ftm-id")
    raise FtmImportError(f"no entity `{asked}`" + ("" if wanted else f" (nor one whose id ends in `.{id_}`)") + hint)


def read_actor(path: Path, id_: str, wanted: str | None = None) -> tuple[int, FtmActor]:
    """The actor of the FtM file at *path* (the entity *wanted*, or the one named like *id_*), with its line."""
    from followthemoney.exc import FollowTheMoneyException
    from followthemoney.proxy import EntityProxy
    from followthemoney.types import registry  # only when an FtM file is read: the package is slow to import

    (number, data), *fragments = _pick(_entities(path), id_, wanted)
    where = number
    try:
        entity = EntityProxy.from_dict(data, cleaned=False)
        for where, fragment in fragments:
            entity.merge(EntityProxy.from_dict(fragment, cleaned=False))
    except (FollowTheMoneyException, TypeError, ValueError) as exc:
        raise FtmImportError(f"entity `{data['id']}` is not a valid FollowTheMoney entity: {exc}", where) from None
    schema = entity.schema
    if not (schema.is_a("Person") or schema.is_a("Organization")):
        raise FtmImportError(f"entity `{entity.id}` has the schema {schema.name}: only a Person or an Organization "
                             "(a Company, a PublicBody) can become an actor", number)
    names = list(dict.fromkeys(entity.get("name") + entity.get("alias")))
    if not names:
        raise FtmImportError(f"entity `{entity.id}` has no name", number)
    countries = entity.get("country") + (entity.get("nationality") if schema.is_a("Person") else [])
    kind: m.ActorKind = "person" if schema.is_a("Person") else "organisation"
    if schema.name == "PublicBody" and any(registry.country.clean(n) in countries for n in names):
        kind = "state"
    texts = [t for prop in ("notes", "summary", "description") if prop in schema.properties for t in entity.get(prop)]
    return number, FtmActor(str(entity.id), schema.name, kind, names[0], names[1:], list(dict.fromkeys(countries)),
                            texts[0].strip() if texts else None)


def state_for(dossier: Path, code: str) -> str | None:
    """The id of the dossier's state whose name or alias FtM reads as the country *code*, or None."""
    from followthemoney.types import registry  # only when an FtM file is read: the package is slow to import

    for path in sorted((dossier / "actors").glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if not isinstance(data, dict) or data.get("kind") != "state":
            continue
        names = [data.get("name"), *(data.get("aliases") or [])]
        if any(isinstance(n, str) and registry.country.clean(n) == code for n in names):
            return path.stem
    return None


def _block(value: str) -> str:
    """*value* as a YAML block scalar (``|``) indented under its key."""
    return "|\n" + "".join(f"  {line}\n" if line else "\n" for line in value.splitlines())


def fill_template(template: str, actor: FtmActor, country: str | None, origin: str) -> str:
    """The actor template *template* (rendered for *actor*'s name) with the imported fields written out."""
    lines = template.splitlines(keepends=True)
    fields = {"kind": f"kind: {actor.kind}\n",
              "aliases": "aliases:\n" + "".join(f"  - {yaml_text(a)}\n" for a in actor.aliases) if actor.aliases else None,
              "country": f"country: {country}\n" if country else None,
              "summary": "summary: " + _block(actor.summary) if actor.summary else None}
    out = []
    for line in lines:
        key = line.removeprefix("# ").split(":", 1)[0]
        written = fields.get(key) if line.startswith((f"{key}:", f"# {key}:")) else None
        out.append(written if written else line)
    out.insert(2, f"# {origin}\n")
    return "".join(out)


def add_actor(folder: Path, id_: str, ftm_file: Path, wanted: str | None, today) -> tuple[list[Path], list[str]]:
    """Add the actor *id_* to the dossier *folder* from the FtM file; the files made and the notes to print."""
    from followthemoney.types import registry  # only when an FtM file is read: the package is slow to import


    entity_path(folder, "actor", id_)  # fails before reading the file when the id is taken
    _, actor = read_actor(ftm_file, id_, wanted)
    countries = [(code, state_for(folder, code)) for code in actor.countries if actor.kind != "state"]
    country = next((state for _, state in countries if state), None)
    notes = [f"country `{code}` ({registry.country.caption(code)}): no state of the dossier has that name; "
             f"add it (`dossier add actor {folder} ID`, kind: state) and write its id as `country`"
             for code, state in countries if state is None and country is None][:1]
    origin = f"From FollowTheMoney: {actor.schema} `{actor.entity_id}` in {ftm_file.name}"
    made = add_entity(folder, "actor", id_, today, name=actor.name,
                      fill=lambda text: fill_template(text, actor, country, origin))
    return made, notes
