"""``dossier init``: a project of one's own, outside this repository.

A project is what ``dossier build`` and ``dossier serve`` run in: its own
``mkdocs.yml`` (Material, the installed ``dossiers`` plugin, the interface in
the project's language), a ``docs/`` folder with one page of its own, a
``dossiers/`` folder with one example dossier that checks clean (its one
source is a short text about the tool itself, so that the example says only
what its source says), a ``.gitignore`` and the editors' JSON Schemas (in the
dossier's ``.schemas/``, as ``dossier new`` writes them). Nothing that exists
is overwritten: a folder that already holds a project is refused.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from ..core.files import ID_RE, slug
from .scaffold import ScaffoldError, add_entity, create_file, new_dossier, yaml_text

_MKDOCS = """\
# The site of this project: `dossier build` writes it into site/, `dossier serve` previews it.
site_name: {site_name}
docs_dir: docs
site_dir: site
use_directory_urls: true

theme:
  name: material
  language: {language}  # the interface's words (search, table of contents); a dossier's follow its `language`
  font: false   # no Google Fonts: the site asks nothing of other hosts
  features:
    - content.tooltips
    - navigation.indexes
    - navigation.top
    - search.highlight
    - toc.follow
  palette:
    - scheme: default
      primary: blue grey
      accent: deep orange

extra:
  generator: false

plugins:
  - search:
      lang: {language}
  - dossiers:
      dossiers: dossiers   # the folder of the dossiers, beside this file

markdown_extensions:
  - toc:
      permalink: true
      permalink_title: {permalink}
  - attr_list
  - admonition
  - tables

nav:
  - {about}
"""

_WORDS = {
    "en": {"site_name": "Dossiers", "permalink": "Permanent link to this section", "about": "about.md",
           "page": "# About this site\n\nThis site publishes sourced briefings made with **dossier**: every "
                   "claim carries the exact words of its source, checked at each build.\n\n"
                   "Edit this page in `docs/about.md`; add dossiers with `dossier new dossiers/ID --language en`.\n",
           "summary": "An example made by `dossier init`: every claim cites the exact words of its source, and the "
                      "build checks each quote. Replace it with your own briefing, or start another dossier with "
                      "`dossier new dossiers/ID`.",
           "judgment": "The build checks every quote against the text of its source.",
           "quote": "The build checks every quote against the text of its source.",
           "source_title": "How dossier checks a briefing",
           "text": "Every claim of a dossier cites the exact words of a source.\n\n"
                   "The build checks every quote against the text of its source. A quote that the text does "
                   "not hold is an error, located in the file that cites it.\n"},
    "fr": {"site_name": "Dossiers", "permalink": "Lien permanent vers cette section", "about": "about.md",
           "page": "# À propos de ce site\n\nCe site publie des notes sourcées faites avec **dossier** : chaque "
                   "fait porte les mots exacts de sa source, vérifiés à chaque construction.\n\n"
                   "Modifiez cette page dans `docs/about.md` ; ajoutez des dossiers avec `dossier new dossiers/ID`.\n",
           "summary": "Un exemple créé par `dossier init` : chaque fait cite les mots exacts de sa source, et la "
                      "construction vérifie chaque citation. Remplacez-le par votre propre note, ou commencez un "
                      "autre dossier avec `dossier new dossiers/ID`.",
           "judgment": "La construction vérifie chaque citation dans le texte de sa source.",
           "quote": "La construction vérifie chaque citation dans le texte de sa source.",
           "source_title": "Comment dossier vérifie une note",
           "text": "Chaque fait d'un dossier cite les mots exacts d'une source.\n\n"
                   "La construction vérifie chaque citation dans le texte de sa source. Une citation que le texte "
                   "ne contient pas est une erreur, située dans le fichier qui la cite.\n"},
}

GITIGNORE = ("# What `dossier build` writes (the site, its cache), and the virtual environment if you make one here\n"
             "/site/\n/.cache/\n/.venv/\n__pycache__/\n")
EXAMPLE_SOURCE = "dossier-readme"
"""The id of the example dossier's one source."""


def dossier_id(folder: Path, title: str | None) -> str:
    """The example dossier's id: the project folder's name (or the title) as a slug, else ``first-dossier``."""
    for name in (folder.resolve().name, title or ""):
        candidate = slug(name)
        if candidate and ID_RE.match(candidate):
            return candidate
    return "first-dossier"


def init_project(folder: Path, language: str, title: str | None, today: datetime.date) -> list[Path]:
    """Create the project *folder* (it may exist, empty of a project). The files made, ``mkdocs.yml`` first."""
    for taken in ("mkdocs.yml", "docs", "dossiers"):
        if (folder / taken).exists():
            raise ScaffoldError(f"{folder / taken}: already exists; nothing was changed (`dossier init` "
                                "starts a new project: give it a new or empty folder)")
    words = _WORDS[language]
    folder.mkdir(parents=True, exist_ok=True)
    made = [create_file(folder / "mkdocs.yml", _MKDOCS.format(
        site_name=yaml_text(title or words["site_name"]), language=language, permalink=yaml_text(words["permalink"]),
        about=words["about"]))]
    if not (folder / ".gitignore").exists():  # a folder under git already may have one: it is left as it is
        made.append(create_file(folder / ".gitignore", GITIGNORE))
    (folder / "docs").mkdir()
    made.append(create_file(folder / "docs" / "about.md", words["page"]))
    dossier = folder / "dossiers" / dossier_id(folder, title)
    made += new_dossier(dossier, language, title, today, summary=words["summary"],
                        key_judgments=[(words["judgment"], EXAMPLE_SOURCE, words["quote"])])
    metadata = {"title": words["source_title"], "outlet": "dossier", "published": today.isoformat(), "language": language}
    made += add_entity(dossier, "source", EXAMPLE_SOURCE, today, (metadata, words["text"]))
    return made
