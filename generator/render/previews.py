"""What the preview of an entity link says, for each entity of a dossier: a small JSON file per dossier.

The site's script (``assets/dossier-preview.js``) reads ``<dossier-id>/previews.json``
once per dossier and, when the reader hovers or focuses a link to an entity's
page, shows its kind and name with a line or two: an actor's kind and
country, a meeting's date, place and status, a question's status and
leading hypothesis, a source's outlet, date and grade; then the first
sentence of its summary. Everything is plain text (the script writes it
with ``textContent``), typeset as the pages are, keyed by the page's
address from the site's root. Pure: a string from the linked dossier.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from ..core import model as m
from ..core.kinds import attach, folders
from ..core.kinds import kind as kind_named
from ..core.link import kind_of
from ..core.typography import fix
from ..core.words import label_colon
from ..incremental.page_reads import Keyed, Parts, every_part
from .labels import LIKELIHOOD_RANGES, likelihood_label, reliability_label, word

if TYPE_CHECKING:
    from .pages import DossierRenderer

PREVIEWS_NAME = "previews.json"
"""The file of a dossier's previews, in the dossier's folder of the site."""
_SENTENCE_END = re.compile(r"(?<=[.!?…])(?<!\b[A-Z]\.)(?<!\bMr\.)(?<!\bMrs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bMme\.)"
                           r"\s+(?=[«“\"(\[A-ZÀ-ÖØ-Þ0-9])")
"""Where a sentence ends: a full stop (not an initial, ``M.``, ``U.S.``, nor ``Dr.``, ``Mme.`` …) before a capital."""
_LONGEST = 280
"""The longest first sentence shown whole (characters); a longer one is cut at a word, with an ellipsis."""


def previews_json(r: DossierRenderer, parts: Parts = every_part) -> str:
    """The previews of every entity of the dossier, as JSON text (sorted: the same bytes on every build),
    made entity by entity by *parts* (:data:`generator.incremental.page_reads.Parts`)."""
    entities = dict(parts(f"previews {r.directory_urls}", _keyed(r, lambda e: (r.entity_url(e), _preview(r, e))),
                          r.forget))
    return _compact({"entities": entities}) + "\n"


def _keyed(r: DossierRenderer, make: Callable[[m.Entity], object]) -> Keyed:
    return [((folder, id_), partial(make, entity)) for folder in folders()
            for id_, entity in dict.items(r.dossier.table(folder))]


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def previews_bytes(r: DossierRenderer, parts: Parts = every_part) -> bytes:
    """:func:`previews_json` in UTF-8, each entity's ``"address":{…}`` written as a part (the compact JSON of a
    value is the same wherever it stands; the entries sorted by address as ``sort_keys`` sorts them)."""
    made = dict(parts(f"previews-bytes {r.directory_urls}", _keyed(r, partial(_entry, r)), r.forget))
    return b'{"entities":{' + b",".join([made[url] for url in sorted(made)]) + b"}}\n"


def _entry(r: DossierRenderer, entity: m.Entity) -> tuple[str, bytes]:
    url = r.entity_url(entity)
    return url, f"{_compact(url)}:{_compact(_preview(r, entity))}".encode()


def _preview(r: DossierRenderer, entity: m.Entity) -> dict[str, object]:
    kind = kind_of(entity)
    lines_of = kind_named(kind).preview
    lines = [line for line in lines_of(r, entity) if line] if lines_of else []
    summary = getattr(entity, "summary", None)
    return {"kind": r.L[f"kind_{kind}"], "name": fix(r.linked.title(entity.id), r.lang),
            "lines": [fix(line, r.lang) for line in lines],
            "text": fix(first_sentence(r.text.plain(summary)), r.lang) if summary else ""}


def first_sentence(text: str) -> str:
    """The first sentence of *text* (one line), cut at a word with ``…`` when it is very long."""
    flat = " ".join(text.split())
    sentence = _SENTENCE_END.split(flat, maxsplit=1)[0]
    if len(sentence) <= _LONGEST:
        return sentence
    return sentence[:_LONGEST].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _colon(r: DossierRenderer) -> str:
    return label_colon(r.lang)


def _actor_lines(r: DossierRenderer, actor: m.Actor) -> list[str]:
    country = r.linked.title(actor.country) if actor.country else ""
    role = actor.roles[0].title if actor.roles else ""
    return [" · ".join(part for part in (word(r.lang, actor.kind), country) if part), role]


def _meeting_lines(r: DossierRenderer, meeting: m.Meeting) -> list[str]:
    return [" · ".join(part for part in (meeting.date.display(r.lang), meeting.place or "") if part),
            f"{r.L['status']}{_colon(r)}{word(r.lang, meeting.status)}"]


def _question_lines(r: DossierRenderer, question: m.Question) -> list[str]:
    rated = [h for h in question.hypotheses if h.likelihood]
    leading = max(rated, key=lambda h: LIKELIHOOD_RANGES[h.likelihood or ""], default=None)
    lines = [f"{r.L['status']}{_colon(r)}{word(r.lang, question.status)}"]
    if leading is not None and leading.likelihood:
        lines.append(f"{r.L['leading_hypothesis']}{_colon(r)}{r.text.plain(leading.text)} — "
                     f"{likelihood_label(r.lang, leading.likelihood)}")
    return lines


def _source_lines(r: DossierRenderer, source: m.Source) -> list[str]:
    grade = reliability_label(r.lang, source.reliability) if source.reliability else ""
    return [" · ".join(part for part in (source.outlet or "", source.published.display(r.lang)) if part),
            f"{r.L['reliability']}{_colon(r)}{grade}" if grade else ""]


for _name, _lines in (("actor", _actor_lines), ("meeting", _meeting_lines), ("question", _question_lines),
                      ("source", _source_lines)):
    attach(_name, preview=_lines)
