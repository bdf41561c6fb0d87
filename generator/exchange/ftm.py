"""A linked dossier as FollowTheMoney entities (``dossier export --format ftm``), made with ``followthemoney``.

One entity a line (JSON, keys sorted), in a fixed order: sources, actors,
posts, roles, meetings, then each claim followed by its citations, then the
roles' citations; within each, the dossier's own order (entities by id,
claims in file order). Every entity is built through the
package's model, which checks each property against the schema, then
validated whole (:func:`validated`). Ids are ``<dossier>.<id>`` for the
dossier's entities and ``<dossier>.<owner>.<anchor>…`` for what they hold,
so the same dossier gives the same ids, and the same bytes, on every build.

Mapping (the user guide's export page says why):

* source -> ``Document`` (title, publisher, author, publishedAt, language,
  sourceUrl, contentHash: the SHA-1 of its text as the dossier holds it);
* actor -> ``Person``, ``Organization``, or ``PublicBody`` for a state (an
  employer, a member's organisation or a post's body must be an organisation
  in FtM), with aliases and the country code of its ``country`` state;
* a person's role -> ``Position`` (one per title and body) and ``Occupancy``;
  another actor's role in an organisation or state -> ``Membership``;
* meeting -> ``Event`` (its participants ``involved``);
* claim, key judgment, answer -> ``Note`` about the entities it concerns,
  with its supporting sources as ``proof``, and one ``Documentation`` per
  citation (the document, the quote as ``summary``, ``cite`` or
  ``disputed_by`` as ``role``); a role's citations are ``Documentation`` of
  its holder and ``proof`` of its occupancy or membership.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any, cast

import orjson
from followthemoney import model as ftm_model
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from ..core import model as m
from ..core.dates import DateSpan
from ..core.link import Evidence, Linked, concerned, plain_links
from ..incremental.page_reads import Keyed, Parts, every_part
from ..render.labels import credibility_label, labels
from .addresses import Addresses

FREE_TEXT = frozenset({"name", "string", "text", "address"})
"""The FtM types that take the dossier's texts as written."""
SCHEMA_OF_KIND = {"person": "Person", "organisation": "Organization", "state": "PublicBody"}
"""The FtM schema of each actor kind."""


class _Builder:
    """Turns one linked dossier into its FtM entities."""

    def __init__(self, linked: Linked, addresses: Addresses):
        self.linked, self.dossier, self.addresses = linked, linked.dossier, addresses
        self.prefix = linked.dossier.id
        self.posts: dict[str, EntityProxy] = {}

    def id(self, *parts: str) -> str:
        """``<dossier>.<part>.<part>…``: an id FtM accepts, hashed when it would be too long."""
        made = ".".join((self.prefix, *parts))
        if len(made) > registry.entity.max_length or not registry.entity.validate(made):
            made = f"{self.prefix}.{hashlib.sha1(made.encode('utf-8')).hexdigest()}"
        return made

    def make(self, schema: str, id_: str, **values: str | list[str] | None) -> EntityProxy:
        """An entity of *schema*; each value (a string, a list, or None to leave it out) cleaned by its FtM type.

        A free text that cleans to nothing (only control characters) is left out; any other value the type
        does not accept raises :class:`ValueError` (FtM would drop it without a word): the mapping above
        gives only values of the right type (ids, dates, codes), and the tests hold it to that.
        """
        entity = ftm_model.make_entity(schema)
        entity.id = id_
        for prop, value in values.items():
            ftm_type = entity.schema.properties[prop].type
            for one in value if isinstance(value, list) else [value]:
                if one is None or one == "":
                    continue
                cleaned = ftm_type.clean(one, proxy=entity)
                if cleaned is None and ftm_type.name in FREE_TEXT:
                    continue
                if cleaned is None:
                    raise ValueError(f"{id_}: {schema}:{prop} does not accept {one!r}")
                entity.add(prop, cleaned, cleaned=True)
        return entity

    def text(self, markdown: str | None) -> str | None:
        """A Markdown field with its ``[[links]]`` shown as their labels."""
        return plain_links(markdown, self.dossier).strip() if markdown else None

    def page(self, id_: str, anchor: str = "") -> str | None:
        """The site page's address, when the site's address is known (FtM urls are absolute)."""
        return self.addresses.page(self.linked, id_, anchor) if self.addresses.site_url else None

    def country(self, actor_id: str | None) -> str | None:
        """The ISO code FtM gives the state *actor_id* (its name, then its aliases), or None."""
        actor = self.dossier.actors.get(actor_id or "")
        if actor is None or actor.kind != "state":
            return None
        for name in (actor.name, *actor.aliases):
            code = registry.country.clean(name)
            if code:
                return code
        return None

    # -- entities ----------------------------------------------------------------

    def source(self, s: m.Source) -> EntityProxy:
        return self.make("Document", self.id(s.id), title=s.title, fileName=f"{s.id}.txt", mimeType="text/plain",
                         publisher=s.outlet, author=s.author, publishedAt=s.published.iso(),
                         language=registry.language.clean(s.language) if s.language else None,
                         sourceUrl=registry.url.clean(s.url) if s.url else None,
                         contentHash=hashlib.sha1(s.text.encode("utf-8")).hexdigest(), notes=self.text(s.notes),
                         wikidataId=s.wikidata)

    def actor(self, a: m.Actor) -> EntityProxy:
        code = self.country(a.id) or self.country(a.country)
        return self.make(SCHEMA_OF_KIND[a.kind], self.id(a.id), name=a.name, alias=list(a.aliases), country=code,
                         notes=self.text(a.summary), sourceUrl=self.page(a.id), wikidataId=a.wikidata)

    def roles(self, a: m.Actor) -> Iterator[EntityProxy]:
        for index, role in enumerate(a.roles, 1):
            anchor = f"role-{index}"
            proof = [self.id(c.source) for c in role.cite]
            dates = _interval(role.from_, role.until)
            if a.kind == "person":
                post = self.post(role)
                yield self.make("Occupancy", self.id(a.id, anchor), holder=self.id(a.id), post=post.id, proof=proof,
                                status="ended" if role.until else None, sourceUrl=self.page(a.id, anchor), **dates)
            elif role.of:
                yield self.make("Membership", self.id(a.id, anchor), member=self.id(a.id), organization=self.id(role.of),
                                role=role.title, proof=proof, sourceUrl=self.page(a.id, anchor), **dates)

    def post(self, role: m.Role) -> EntityProxy:
        """The ``Position`` of *role* (one per title and body)."""
        key = hashlib.sha1(f"{role.title}\n{role.of or ''}".encode()).hexdigest()[:12]
        if key not in self.posts:
            body = self.dossier.actors.get(role.of or "")
            code = self.country(role.of) or (self.country(body.country) if body is not None else None)
            self.posts[key] = self.make("Position", self.id("post", key), name=role.title, country=code,
                                        organization=self.id(role.of) if role.of else None)
        return self.posts[key]

    def meeting(self, x: m.Meeting) -> EntityProxy:
        return self.make("Event", self.id(x.id), name=x.title, location=x.place, keywords=x.status,
                         involved=[self.id(p.actor) for p in x.participants], summary=self.text(x.summary),
                         notes=self.text(x.outcome), sourceUrl=self.page(x.id), wikidataId=x.wikidata,
                         **_interval(x.date, None, single=True))

    def claim(self, e: Evidence) -> Iterator[EntityProxy]:
        """The ``Note`` of a claim, then the ``Documentation`` of each of its citations."""
        note = self.id(e.owner or "dossier", e.anchor)
        about = [self.id(i) for i in ([e.owner] if self._exported(e.owner) else []) + concerned(self.linked, e)
                 if self._exported(i)]
        yield self.make("Note", note, description=self.text(e.text), entity=list(dict.fromkeys(about)),
                        proof=list(dict.fromkeys(self.id(c.source) for c in e.citations)),
                        sourceUrl=self.page(e.owner, e.anchor))
        yield from self.documentation(note, note, e.citations, "cite")
        yield from self.documentation(note, note, e.disputed_by, "disputed_by")

    def claims(self, owner: str) -> list[EntityProxy]:
        """The entities of *owner*'s claims (its ``Note`` and ``Documentation``), in page order."""
        return [entity for evidence in self.linked.evidence.get(owner, []) if evidence.is_claim
                for entity in self.claim(evidence)]

    def role_documentation(self, a: m.Actor) -> list[EntityProxy]:
        """The ``Documentation`` of each citation of *a*'s roles."""
        return [entity for index, role in enumerate(a.roles, 1)
                for entity in self.documentation(self.id(a.id, f"role-{index}"), self.id(a.id), role.cite, "cite")]

    def documentation(self, base: str, entity_id: str, citations: list[m.Citation], role: str) -> Iterator[EntityProxy]:
        """One ``Documentation`` of *entity_id* per citation, its id *base* and the passage's."""
        for c in citations:
            passage = self.linked.passage(c).anchor
            yield self.make("Documentation", f"{base}.{role.replace('_', '-')}.{c.source}.{passage}",
                            document=self.id(c.source), entity=entity_id, role=role, summary=c.quote,
                            status=self.credibility(c))

    def credibility(self, c: m.Citation) -> str | None:
        """The citation's information grade, in the dossier's words (``Credibility 2 — probably true``)."""
        lang = self.dossier.meta.language
        return None if c.credibility is None else f"{labels(lang)['credibility']} {credibility_label(lang, c.credibility)}"

    def _exported(self, id_: str) -> bool:
        """True for an actor or a meeting (the dossier's entities that have an FtM entity besides sources)."""
        return id_ in self.dossier.actors or id_ in self.dossier.meetings


def _interval(start: DateSpan | None, end: DateSpan | None, single: bool = False) -> dict[str, str | None]:
    """FtM's date properties for a span (``date``, or ``startDate`` and ``endDate``) or a from/until pair."""
    if single and start is not None and not start.is_interval:
        return {"date": start.iso()}
    if single and start is not None:
        return {"startDate": start.start.iso(), "endDate": start.end.iso()}
    return {"startDate": start.iso() if start else None, "endDate": end.iso() if end else None}


def ftm_entities(linked: Linked, addresses: Addresses) -> list[EntityProxy]:
    """Every FtM entity of *linked*, in the order described above."""
    b, d = _Builder(linked, addresses), linked.dossier
    entities = [b.source(s) for s in d.sources.values()]
    entities += [b.actor(a) for a in d.actors.values()]
    roles = [role for a in d.actors.values() for role in b.roles(a)]
    entities += list(b.posts.values()) + roles
    entities += [b.meeting(x) for x in d.meetings.values()]
    for owner in _owners(linked):
        entities += b.claims(owner)
    for a in d.actors.values():
        entities += b.role_documentation(a)
    return entities


def _owners(linked: Linked) -> list[str]:
    """Whose claims are exported, in order: the dossier's own, then each entity's by id."""
    return ["", *sorted(id_ for id_ in dict.keys(linked.evidence) if id_)]


def validated(entity: EntityProxy) -> dict:
    """*entity* as FtM's JSON, after the schema's own validation (required properties, value types)."""
    data = entity.to_dict()
    error = entity.schema.validate(cast(Any, data))
    if error is not None:
        raise ValueError(f"{entity.id}: {error}")
    return data


def _lines(entities: Iterable[EntityProxy]) -> bytes:
    return b"".join([orjson.dumps(validated(e), option=orjson.OPT_SORT_KEYS) + b"\n" for e in entities])


def ftm_lines(linked: Linked, addresses: Addresses, parts: Parts = every_part) -> str:
    """The FtM entities of *linked* as JSON lines (byte-identical for the same dossier), in the order of
    :func:`ftm_entities`, made in parts by *parts* (:func:`ftm_bytes`)."""
    return ftm_bytes(linked, addresses, parts).decode("utf-8")


def ftm_bytes(linked: Linked, addresses: Addresses, parts: Parts = every_part) -> bytes:
    """:func:`ftm_lines` in UTF-8, made in parts (an entity with what it holds; an owner's claims) by *parts*
    (:data:`generator.incremental.page_reads.Parts`)."""
    b, d = _Builder(linked, addresses), linked.dossier
    keyed: Keyed = [(("sources", id_), partial(lambda s: _lines([b.source(s)]), s)) for id_, s in dict.items(d.sources)]
    keyed += [(("actors", id_), partial(_actor_part, b, a)) for id_, a in dict.items(d.actors)]
    keyed += [(("meetings", id_), partial(lambda x: _lines([b.meeting(x)]), x)) for id_, x in dict.items(d.meetings)]
    keyed += [(("linked.evidence", owner), partial(lambda o: _lines(b.claims(o)), owner)) for owner in _owners(linked)]
    made = parts(f"ftm {addresses!r}", keyed, linked.forget)
    sources, actors = len(d.sources), len(d.sources) + len(d.actors)
    posts = dict(post for part in made[sources:actors] for post in part[1])  # each once, where first held
    return b"".join([*made[:sources], *(part[0] for part in made[sources:actors]), *posts.values(),
                    *(part[2] for part in made[sources:actors]), *made[actors:],
                    *(part[3] for part in made[sources:actors])])


def _actor_part(b: _Builder, a: m.Actor) -> tuple[bytes, list[tuple[str, bytes]], bytes, bytes]:
    """An actor's lines: its own, its roles' posts (by key), its roles, its roles' citations."""
    b.posts = {}
    roles = _lines(list(b.roles(a)))
    return _lines([b.actor(a)]), [(key, _lines([post])) for key, post in b.posts.items()], roles, \
        _lines(b.role_documentation(a))
