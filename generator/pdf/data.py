"""Stage 4 (PDF): a linked dossier as the JSON data the Typst template reads.

A pure function of the model: every string stays a string (the template
places it as a value, never as markup), Markdown becomes a small AST, and
every label, status and date arrives already worded in the dossier's language.
"""

from __future__ import annotations

from ..analysis.ach import evidence_matrix
from ..core import model as m
from ..core.kinds import attach, in_folder, shown_folders
from ..core.link import Evidence, Linked, entity_title, kind_of
from ..core.words import label_colon
from ..exchange.edition_changes import since_previous
from ..render.labels import labels, language_name, likelihood_label, percent, quoted, reliability_label, word
from ..render.text import Emphasis, Target, TextRenderer
from ..render.tradecraft import hypotheses_kind
from . import runs
from . import shape as t
from .mdast import html_to_blocks, paragraphs_to_blocks
from .tradecraft_data import assumptions, claim_marks, disagreement, fact_label, sourcing_summary

_SIGNS = {"consistent": "+", "inconsistent": "−", "not_applicable": "·"}
"""The sign of each cell of the evidence matrix in print (the fonts the PDF embeds have no ✓ or ✗)."""

_CONFIDENCE_TAG = {"fr": "confiance {}", "en": "{} confidence"}
"""The confidence tag after a claim: the word alone (« élevée ») would not say what it grades."""


class PdfDataBuilder:
    """Builds the data of one dossier: its words, texts, references and citations, shared with :mod:`.tradecraft`."""

    def __init__(self, linked: Linked):
        self.linked, self.dossier = linked, linked.dossier
        self.lang = self.dossier.meta.language
        self.L = labels(self.lang)
        self.text = TextRenderer(self._target)
        self._targets: dict[str, Target | None] = {}

    def _target(self, id_: str) -> Target | None:
        """Where ``[[id_]]`` leads in the PDF (found once per id: claims name the same few entities often)."""
        if id_ not in self._targets:
            entity = self.dossier.entity(id_)
            self._targets[id_] = None if entity is None else Target("", self.linked.title(id_), anchor(entity))
            found = self.linked.library.entity(id_) if ":" in id_ and self.linked.library is not None else None
            if found is not None:  # another dossier's entity: its name, as text (no page of this PDF to go to)
                self._targets[id_] = Target("", entity_title(found[1], found[0].dossier), "")
        return self._targets[id_]

    def blocks(self, text: str | None) -> t.Blocks:
        if not text:
            return []
        paragraphs = self.text.simple_paragraphs(text)
        if paragraphs is None:
            return html_to_blocks(self.text.html(text, ""))
        return paragraphs_to_blocks([[s if isinstance(s, (str, Emphasis)) else (s[0].anchor, s[1]) if s[0].anchor else s[1]
                                      for s in segments]
                                     for segments in paragraphs])

    def ref(self, id_: str) -> t.Inlines:
        entity = self.dossier.entity(id_)
        assert entity is not None  # validation reports every unknown id, and nothing is rendered then
        return [{"t": "ref", "target": anchor(entity), "c": [{"t": "text", "v": self.linked.title(id_)}]}]

    def cite(self, citation: m.Citation) -> t.Cite:
        source = self.dossier.sources[citation.source]
        passage = self.linked.passage(citation)
        grade = reliability_label(self.lang, source.reliability) if source.reliability else None
        translation = passage.translation
        worded = f"{self.L['translation']}{label_colon(self.lang)}{quoted(self.lang, translation)}" if translation else None
        return {"key": f"{source.id}-{passage.anchor}", "quote": passage.quote, "source_title": source.title,
                "source_anchor": anchor(source), "reliability": grade, "translation": worded}

    def claim(self, evidence: Evidence) -> t.Claim:
        confidence = evidence.confidence
        return {"text": self.blocks(evidence.text), "label": fact_label(evidence.owner, evidence.anchor),
                "date": evidence.date.display(self.lang) if evidence.date else None,
                "confidence": _CONFIDENCE_TAG[self.lang].format(word(self.lang, confidence)) if confidence else None,
                "cites": [self.cite(c) for c in evidence.citations],
                "disputed_by": [self.cite(c) for c in evidence.disputed_by], "disputed_label": self.L["disputed_by"],
                **claim_marks(self, evidence)}

    def fact_ref(self, evidence: Evidence) -> t.FactRef:
        """A reference to a claim printed elsewhere: its text, linked to it, and where it is."""
        return {"target": fact_label(evidence.owner, evidence.anchor), "text": [{"t": "text", "v": self.text.plain(evidence.text)}],
                "where": self.linked.title(evidence.owner) if evidence.owner else self.L["key_judgments"],
                "date": evidence.date.display(self.lang) if evidence.date else None}

    def facts_about(self, id_: str) -> t.Facts:
        """The heading and references of the claims about *id_* recorded in other sections."""
        return {"heading": self.L["facts_about"].format(name=self.linked.title(id_)),
                "items": [self.fact_ref(e) for e in self.linked.facts_about.get(id_, [])]}

    def claims(self, owner: str, prefix: str) -> list[t.Claim]:
        return [self.claim(e) for e in self.linked.evidence.get(owner, []) if e.anchor.startswith(prefix)]

    def date(self, span) -> str | None:
        return span.display(self.lang) if span is not None else None


def anchor(entity: m.Entity) -> str:
    """The label of an entity's section in the PDF (``actor-wang-yi``)."""
    return f"{kind_of(entity)}-{entity.id}"


def _question(b: PdfDataBuilder, q: m.Question) -> t.Question:
    evidence = {e.anchor: e for e in b.linked.evidence.get(q.id, [])}
    hypotheses: list[t.Hypothesis] = [{"text": b.blocks(h.text),
                   "likelihood": likelihood_label(b.lang, h.likelihood) if h.likelihood else None,
                   "cites": [b.cite(c) for c in evidence[f"hypothesis-{i}"].citations],
                   "against": [b.cite(c) for c in h.against],
                   "rests_on": claim_marks(b, evidence[f"hypothesis-{i}"])["rests_on"]}
                  for i, h in enumerate(q.hypotheses, 1)]
    answer = b.claims(q.id, "answer")
    return {"anchor": anchor(q), "title": b.linked.title(q.id), "status": word(b.lang, q.status),
            "opened": b.date(q.opened), "reviewed": b.date(q.reviewed), "about": [b.ref(i) for i in q.about],
            "summary": b.blocks(q.summary), "hypotheses": hypotheses,
            "indicators": [b.blocks(i) for i in q.indicators], "answer": answer[0] if answer else None,
            "claims": b.claims(q.id, "claim-"), "matrix": _matrix(b, q), "facts_about": b.facts_about(q.id),
            "disagreement": disagreement(b, q), "assumptions": assumptions(b, q),
            "hypotheses_kind": hypotheses_kind(b.lang, q) or None}


def _matrix(b: PdfDataBuilder, q: m.Question) -> t.Matrix | None:
    matrix = evidence_matrix(b.linked, q)
    if matrix is None:
        return None
    rows: list[t.MatrixRow] = [{"cite": b.cite(m.Citation.model_construct(source=p.source, quote=p.quote)),
             "cells": [{"sign": _SIGNS[value], "word": b.L[value], "value": value} for value in cells]}
            for p, cells in matrix.rows]
    return {"columns": [f"H{n}" for n in matrix.ranking], "rows": rows,
            "totals": [str(matrix.inconsistencies[n]) for n in matrix.ranking]}


def _meeting(b: PdfDataBuilder, x: m.Meeting) -> t.Meeting:
    return {"anchor": anchor(x), "title": x.title, "date": x.date.display(b.lang), "place": x.place,
            "status": word(b.lang, x.status),
            "participants": [{"name": b.ref(p.actor), "role": p.role} for p in x.participants],
            "topics": [b.text.plain(t) for t in x.topics], "summary": b.blocks(x.summary), "outcome": b.blocks(x.outcome),
            "follows": [b.ref(i) for i in x.follows],
            "followed_by": [b.ref(i) for i in b.linked.followed_by.get(x.id, [])],
            "claims": b.claims(x.id, "claim-"), "facts_about": b.facts_about(x.id)}


def _actor(b: PdfDataBuilder, a: m.Actor) -> t.Actor:
    roles: list[t.Role] = []
    for index, role in enumerate(a.roles, 1):
        dates = [f"{b.L['from']} {b.date(role.from_)}" if role.from_ else "",
                 f"{b.L['until']} {b.date(role.until)}" if role.until else ""]
        roles.append({"title": role.title, "of": b.ref(role.of) if role.of else None,
                      "dates": ", ".join(d for d in dates if d) or None, "cites": [b.cite(c) for c in role.cite]})
    return {"anchor": anchor(a), "title": a.name, "kind": word(b.lang, a.kind), "aliases": list(a.aliases),
            "country": b.ref(a.country) if a.country else None, "roles": roles, "summary": b.blocks(a.summary),
            "claims": b.claims(a.id, "claim-"), "facts_about": b.facts_about(a.id)}


def _source(b: PdfDataBuilder, s: m.Source) -> t.Source:
    return {"anchor": anchor(s), "title": s.title, "outlet": s.outlet, "author": s.author,
            "published": s.published.display(b.lang), "url": s.url, "language": language_name(b.lang, s.language) if s.language else None,
            "retrieved": b.date(s.retrieved), "archived": s.archived, "text_sha256": s.text_sha256,
            "reliability": reliability_label(b.lang, s.reliability) if s.reliability else None,
            "notes": b.blocks(s.notes), "cited_share": percent(b.lang, b.linked.cited_share.get(s.id, 0))}


def _timeline(b: PdfDataBuilder) -> list[t.TimelineRow]:
    rows: list[t.TimelineRow] = []
    for item in b.linked.timeline:
        if item.kind == "claim":  # printed in its section; the timeline links to it
            text = [{"t": "ref", "target": fact_label(item.owner, item.anchor), "c": [{"t": "text", "v": b.text.plain(item.text)}]}]
        elif item.kind == "meeting":
            text = b.ref(item.owner)
        else:
            text = [{"t": "text", "v": item.text}]
        rows.append({"date": item.date.display(b.lang), "kind": b.L[f"tl_{item.kind}"], "text": text})
    return rows


def _changes(linked: Linked) -> t.Changes | None:
    """What changed since the previous edition, each item linking to its entity's section."""
    section = since_previous(linked)
    if section is None:
        return None
    items: list[t.ChangeItem] = [{"badge": i.badge, "title": i.title, "detail": i.detail, "reason": i.reason or None,
              "target": f"{i.kind}-{i.target}" if i.target and i.kind != "dossier" else ""} for i in section.items]
    return {"heading": section.heading, "empty": section.empty, "items": items}


def pdf_data(linked: Linked) -> t.PdfData:
    """The data of *linked* for ``template.typ`` (its shape: :mod:`.shape`)."""
    b = PdfDataBuilder(linked)
    meta = linked.dossier.meta
    return {
        "lang": b.lang, "labels": dict(b.L), "title": meta.title,
        "as_of": meta.as_of.display(b.lang), "as_of_iso": meta.as_of.start.iso(),
        "marking": meta.marking, "authors": list(meta.authors),
        "changes": _changes(linked),
        "summary": b.blocks(meta.summary), "key_judgments": b.claims("", "kj-"),
        "assumptions": assumptions(b, meta), "sourcing": sourcing_summary(b),
        "disputed": [b.fact_ref(e) for items in linked.evidence.values() for e in items if e.disputed_by],
        **_entity_lists(b, linked),  # type: ignore[typeddict-item]  # keys: the kinds' folders (and one's own)
    }


def _entity_lists(b: PdfDataBuilder, linked: Linked) -> dict[str, list]:
    """The timeline and each kind's entries (its ``pdf``, given its entities by id), in print order (:data:`.runs.PARTS`)."""
    folders = set(shown_folders())
    return {part: _timeline(b) if part == "timeline" else in_folder(part).pdf(b, list(linked.dossier.table(part).values()))
            for part in runs.PARTS if part == "timeline" or part in folders}


attach("question", pdf=lambda b, qs: [_question(b, q) for q in sorted(qs, key=lambda q: (q.status != "open", q.id))])
attach("meeting", pdf=lambda b, xs: [_meeting(b, x) for x in sorted(xs, key=lambda x: (x.date.sort_key(), x.id))])
attach("actor", pdf=lambda b, actors: [_actor(b, a) for a in actors])
attach("source", pdf=lambda b, sources: [_source(b, s) for s in sources])


