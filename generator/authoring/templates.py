"""The templates of ``dossier new`` and ``dossier add``, in French and English.

Each template is a list of fields in the order of the format: the field's
name, a one-line comment saying what it holds, and either the value written
(``{name}``-style placeholders filled by :func:`render`) or, for an optional
field, an example written commented out.
"""

from __future__ import annotations

from typing import Any

from ..core.kinds import attach
from ..core.kinds import kind as kind_named

Field = tuple[str, dict[str, str], "str | dict[str, str]", bool]
"""(YAML key, comment by language, value or example, written uncommented)."""

_CLAIMS = {
    "fr": ("# Faits, chacun avec ses citations textuelles (`dossier quote DOSSIER SOURCE MOTS…` les trouve) :\n"
           "# claims:\n#   - text: \"[[autre-id]] a fait ceci.\"\n#     date: 2023-09-18\n#     confidence: high\n"
           "#     cite:\n#       - id-de-source: \"les mots exacts de la source\"\n"),
    "en": ("# Facts, each with its verbatim quotes (`dossier quote DOSSIER SOURCE WORDS…` finds them):\n"
           "# claims:\n#   - text: \"[[other-id]] did this.\"\n#     date: 2023-09-18\n#     confidence: high\n"
           "#     cite:\n#       - source-id: \"the exact words of the source\"\n"),
}

SUMMARY_PLACEHOLDER = {"fr": "À rédiger : l'essentiel en quelques phrases.",
                       "en": "To write: the bottom line in a few sentences."}
"""The summary of a new dossier: ``check`` rejects a text that still starts with the marker (:data:`TO_WRITE`)."""
TO_WRITE = ("À rédiger :", "To write:")
"""How a template's placeholder text starts, in each language: ``check`` rejects a text left so."""

PASTE_TEXT = {"fr": "Collez ici le texte intégral de la source.\n",
              "en": "Paste the full text of the source here.\n"}
"""A new source's text: ``check`` rejects it until the document's text replaces it."""

_DOSSIER: list[Field] = [
    ("title", {"fr": "titre de la note (obligatoire)", "en": "the briefing's title (required)"}, "{title}", True),
    ("as_of", {"fr": "date d'arrêt de l'information, AAAA-MM-JJ (obligatoire)",
               "en": "date of the information cut-off, YYYY-MM-DD (required)"}, "{today}", True),
    ("language", {"fr": "langue du texte et des libellés : fr ou en", "en": "language of the text and labels: fr or en"},
     "{language}", True),
    ("marking", {"fr": "mention de protection imprimée sur chaque page", "en": "handling marking printed on every page"},
     {"fr": "NON CLASSIFIÉ", "en": "UNCLASSIFIED"}, False),
    ("authors", {"fr": "auteurs", "en": "authors"}, {"fr": "[Prénom Nom]", "en": "[First Last]"}, False),
    ("summary", {"fr": "l'essentiel en premier (Markdown ; [[id]] renvoie à une fiche) (obligatoire)",
                 "en": "the bottom line up front (Markdown; [[id]] links to an entity) (required)"},
     "|\n  {summary}", True),
    ("key_judgments", {"fr": "jugements clés, chacun un fait cité (text, confidence, cite)",
                       "en": "key judgments, each a cited claim (text, confidence, cite)"},
     "\n#   - text: …\n#     confidence: moderate\n#     cite:\n#       - source-id: \"…\"", False),
]

_ACTOR: list[Field] = [
    ("name", {"fr": "nom retenu par le dossier (obligatoire)", "en": "the name the dossier uses (required)"}, "{name}", True),
    ("kind", {"fr": "person, organisation ou state (obligatoire)", "en": "person, organisation or state (required)"},
     "person", True),
    ("aliases", {"fr": "autres graphies trouvées dans les sources", "en": "other spellings found in the sources"},
     {"fr": "[Autre graphie]", "en": "[Other spelling]"}, False),
    ("country", {"fr": "l'État de rattachement (id d'un acteur)", "en": "the state it belongs to (an actor id)"},
     {"fr": "id-etat", "en": "state-id"}, False),
    ("summary", {"fr": "qui est-ce, en quelques phrases (Markdown)", "en": "who this is, in a few sentences (Markdown)"},
     "…", False),
    ("roles", {"fr": "fonctions : title, of (id), from, until, cite", "en": "positions: title, of (id), from, until, cite"},
     "\n#   - title: …\n#     of: id\n#     from: 2023-07", False),
]

_MEETING: list[Field] = [
    ("title", {"fr": "nom de la rencontre (obligatoire)", "en": "the meeting's name (required)"}, "{name}", True),
    ("date", {"fr": "date, mois ou intervalle DÉBUT/FIN (obligatoire)", "en": "a day, a month or an interval START/END (required)"},
     "{date}", True),
    ("place", {"fr": "lieu", "en": "where"}, "…", False),
    ("status", {"fr": "held, planned ou cancelled (held par défaut)", "en": "held, planned or cancelled (default held)"},
     "held", True),
    ("participants", {"fr": "ids des acteurs, ou {actor: id, role: texte}", "en": "actor ids, or {actor: id, role: text}"},
     "[actor-id]", False),
    ("topics", {"fr": "sujets abordés", "en": "what was discussed"}, "[…]", False),
    ("summary", {"fr": "de quoi il s'agit (Markdown)", "en": "what the meeting is (Markdown)"}, "…", False),
    ("outcome", {"fr": "ce qui en est sorti (Markdown)", "en": "what came out of it (Markdown)"}, "…", False),
    ("follows", {"fr": "ids des rencontres qui précèdent celle-ci", "en": "ids of the meetings this one comes after"},
     "[meeting-id]", False),
]

_QUESTION: list[Field] = [
    ("question", {"fr": "la question, en une phrase (obligatoire)", "en": "the question, as one sentence (required)"},
     {"fr": "{name} ?", "en": "{name}?"}, True),
    ("status", {"fr": "open, answered ou moot (obligatoire)", "en": "open, answered or moot (required)"}, "open", True),
    ("opened", {"fr": "date où la question a été posée", "en": "when the question was raised"}, "{today}", True),
    ("reviewed", {"fr": "date du dernier réexamen", "en": "when it was last reviewed"}, "{today}", False),
    ("about", {"fr": "ids des fiches concernées", "en": "ids of the entities it is about"}, "[actor-id]", False),
    ("summary", {"fr": "ce que l'on sait (Markdown)", "en": "what is known (Markdown)"}, "…", False),
    ("hypotheses", {"fr": "réponses possibles : text, likelihood (almost-no-chance … almost-certain), cite, against",
                    "en": "possible answers: text, likelihood (almost-no-chance … almost-certain), cite, against"},
     "\n#   - text: …\n#     likelihood: roughly-even", False),
    ("indicators", {"fr": "ce qu'il faut surveiller", "en": "what to watch for"}, "[…]", False),
    ("answer", {"fr": "la réponse, une fois connue (un fait cité)", "en": "the answer, once known (a cited claim)"},
     "\n#   text: …", False),
]

_SOURCE: list[Field] = [
    ("title", {"fr": "titre du document (obligatoire)", "en": "the document's title (required)"}, "{title}", True),
    ("outlet", {"fr": "qui l'a publié (journal, agence, ministère)", "en": "who published it (a newspaper, an agency, a ministry)"},
     "{outlet}", True),
    ("author", {"fr": "qui l'a écrit", "en": "who wrote it"}, "{author}", True),
    ("published", {"fr": "date de publication, AAAA-MM-JJ (obligatoire ; situe ses dates relatives)",
                   "en": "when it was published, YYYY-MM-DD (required; resolves its relative dates)"}, "{published}", True),
    ("language", {"fr": "langue du texte", "en": "language of the text"}, "{language}", True),
    ("url", {"fr": "adresse (http ou https)", "en": "where it can be read (http or https)"}, "{url}", True),
    ("retrieved", {"fr": "date où le texte a été relevé à cette adresse, AAAA-MM-JJ",
                   "en": "when the text was taken from that address, YYYY-MM-DD"}, "{today}", False),
    ("archived", {"fr": "adresse d'une copie archivée (web.archive.org …)",
                  "en": "the address of an archived copy (web.archive.org …)"}, "https://web.archive.org/…", False),
    ("text_sha256", {"fr": "empreinte SHA-256 du texte importé : `dossier check` signale un texte modifié depuis",
                     "en": "SHA-256 of the imported text: `dossier check` reports a text changed since"},
     "{text_sha256}", True),
    ("file_sha256", {"fr": "empreinte SHA-256 du fichier importé", "en": "SHA-256 of the imported file"},
     "{file_sha256}", True),
    ("reliability", {"fr": "cote de la source (Amirauté) : A (sûre) à F (ne peut être jugée)",
                     "en": "Admiralty source grade: A (completely reliable) to F (cannot be judged)"}, "B", False),
    ("notes", {"fr": "vos remarques sur la source (Markdown)", "en": "your notes on the source (Markdown)"}, "…", False),
]

_HEADS = {
    "dossier": {"fr": "# La note elle-même. Les fiches vont dans actors/, meetings/, questions/ et sources/.\n",
                "en": "# The briefing itself. Entities go in actors/, meetings/, questions/ and sources/.\n"},
    "actor": {"fr": "# Une personne, une organisation ou un État.\n", "en": "# A person, an organisation or a state.\n"},
    "meeting": {"fr": "# Une rencontre, visite, consultation, un sommet ou un forum.\n",
                "en": "# A meeting, visit, consultation, summit or forum.\n"},
    "question": {"fr": "# Une question ouverte et ce que l'on en sait.\n", "en": "# An open question and what is known about it.\n"},
    "source": {"fr": "# Un document source ; son texte intégral est dans le fichier .txt du même nom.\n",
               "en": "# A source document; its full text is in the .txt file of the same name.\n"},
}

for _kind, _fields in (("actor", _ACTOR), ("meeting", _MEETING), ("question", _QUESTION), ("source", _SOURCE)):
    attach(_kind, template=(_HEADS[_kind], _fields, _kind != "source"))


def render(kind: str, language: str, values: dict[str, Any]) -> str:
    """The template of *kind* in *language*, placeholders filled from *values*.

    A field written uncommented whose value is empty (``""``) is written
    commented out instead: a source's metadata the import did not find.
    """
    head, fields, claims = (_HEADS[kind], _DOSSIER, False) if kind == "dossier" else kind_named(kind).template
    parts = [head[language]]
    for key, comment, value, written in fields:
        text = value[language] if isinstance(value, dict) else value
        filled = text.format(**values)
        parts.append(f"# {comment[language]}\n")
        if written and filled.strip():
            parts.append(f"{key}: {filled}\n")
        else:
            example = text.format(**{name: given or "…" for name, given in values.items()})
            parts.append(f"# {key}:{example if example.startswith(chr(10)) else ' ' + example}\n")
    if claims:
        parts.append(_CLAIMS[language])
    return "".join(parts)
