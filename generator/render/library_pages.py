"""The library's pages: what several dossiers know of one entity, and the links to them.

Pure functions, like every renderer: :func:`library_pages` gives the library's
index (``library/index.md``) and one page per :class:`~generator.core.library.Identity`
(``library/actors/<key>.md`` …), which gathers, per dossier and the newest
first, the entity's summary, roles, the facts about it and the open questions
about it, each linking to its dossier's page. :func:`also_in` is the line an
entity's page in one dossier shows when other dossiers know it too. Each
dossier's part is written in its own language (``lang`` on its block, labels
in that language); the page's own words are in the site's language.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from ..core import model as m
from ..core.kinds import in_folder
from ..core.library import Identity, Library, identified
from ..core.link import Evidence, entity_title
from ..core.typography import fix, typeset_html
from ..core.words import label_colon
from .facts import fact_item
from .html import block, esc, md_text, tag
from .labels import labels, word
from .pages import Citations, DossierRenderer, Page, entity_url, page_url
from .text import relative_url


def library_pages(library: Library, renderers: dict[str, DossierRenderer], lang: str,
                  directory_urls: bool = True) -> list[Page]:
    """The library's index and one page per identity, typeset (each dossier's part in its language's
    typography); nothing when no entity is known in two dossiers."""
    return [job() for job in library_jobs(library, renderers, lang, directory_urls)]


def library_jobs(library: Library, renderers: dict[str, DossierRenderer], lang: str,
                 directory_urls: bool = True) -> list[Callable[[], Page]]:
    """:func:`library_pages`, each page to render on its own (in order: see ``render_site``'s parts)."""
    if not library.identities:
        return []
    jobs: list[Callable[[], Page]] = [partial(library_index, library, lang, directory_urls)]
    jobs += [partial(identity_page, library, identity, renderers, lang, directory_urls) for identity in library.identities]
    return jobs


def _name(library: Library, identity: Identity) -> str:
    """The identity's name: the one its newest dossier gives."""
    dossier, id_ = identity.members[0]
    linked = library.dossiers[dossier]
    return entity_title(linked.dossier.entity(id_), linked.dossier)


def library_index(library: Library, lang: str, directory_urls: bool = True) -> Page:
    """Every identity of the library, kind by kind, with the dossiers that know it."""
    L = labels(lang)
    url = page_url("library/index.md", directory_urls)
    body = block(tag("p", esc(L["library_intro"])))
    for folder in identified():
        rows = []
        for identity in (i for i in library.identities if i.folder == folder):
            link = tag("a", esc(_name(library, identity)), href=relative_url(page_url(identity.src, directory_urls), url))
            rows.append(tag("li", f"{link} — {_member_links(library, identity, url, directory_urls)}"))
        if rows:
            body += f"## {md_text(L[folder])}\n\n" + block(tag("ul", "".join(rows), class_="dossier-library-list"))
    return Page("library/index.md", url, L["library"], typeset_html(f"# {md_text(L['library'])}\n\n{body}".rstrip() + "\n", lang))


def _member_links(library: Library, identity: Identity, page: str, directory_urls: bool,
                  skip: str = "") -> str:
    """Links to the identity's page in each dossier (but *skip*), each named by its dossier's title."""
    links = []
    for dossier, id_ in identity.members:
        if dossier == skip:
            continue
        linked = library.dossiers[dossier]
        entity = linked.dossier.entity(id_)
        assert entity is not None  # identities hold only entities of the library
        href = relative_url(entity_url(dossier, entity, directory_urls), page)
        links.append(tag("a", esc(linked.dossier.meta.title), href=href, hreflang=linked.dossier.meta.language))
    return ", ".join(links)


def identity_page(library: Library, identity: Identity, renderers: dict[str, DossierRenderer], lang: str,
                  directory_urls: bool = True) -> Page:
    """One entity as every dossier that knows it describes it, the newest dossier first."""
    L = labels(lang)
    src = identity.src
    url = page_url(src, directory_urls)
    title = fix(_name(library, identity), lang)
    body = block(tag("dl", _identity_meta(library, identity, lang), class_="dossier-meta"))
    body = typeset_html(body + block(tag("p", esc(L["library_entry_intro"]))), lang)
    for dossier, id_ in identity.members:
        r = renderers[dossier]
        entity = r.dossier.entity(id_)
        assert entity is not None  # identities hold only entities of the library
        body += typeset_html(_dossier_part(r, entity, url), r.lang)  # each part in its dossier's typography
    return Page(src, url, title, f"# {md_text(title)}\n\n{body}".rstrip() + "\n")


def _identity_meta(library: Library, identity: Identity, lang: str) -> str:
    """The identity's kind, every name and alias its dossiers give, and its Wikidata item."""
    L = labels(lang)
    entities = [library.dossiers[dossier].dossier.entity(id_) for dossier, id_ in identity.members]
    names = list(dict.fromkeys(name for e in entities for name in [entity_title(e), *getattr(e, "aliases", [])]))
    kind = getattr(entities[0], "kind", "")  # an actor's; a meeting or source is named by its kind of page
    rows = [(L["kind"], esc(word(lang, kind) if kind else L[f"kind_{in_folder(identity.folder).name}"])),
            (L["names"], esc(", ".join(names)))]
    if identity.wikidata:
        rows.append((L["wikidata"], tag("a", esc(identity.wikidata), href=f"https://www.wikidata.org/wiki/{identity.wikidata}",
                                        rel="noopener noreferrer")))
    return "".join(tag("dt", esc(label)) + tag("dd", value) for label, value in rows if value)


def _dossier_part(r: DossierRenderer, entity: m.Entity, page: str) -> str:
    """What one dossier says of *entity*: a heading (its title), then a block in its language."""
    L, d = r.L, r.dossier
    cites = Citations(r, page)
    prefix = f"{d.id}-"
    colon = label_colon(r.lang)
    link = tag("a", esc(r.linked.title(entity.id)), href=relative_url(r.entity_url(entity), page))
    head = tag("p", esc(f"{L['as_of']} ") + r.date(d.meta.as_of) + " · " + esc(L["in_dossier"] + colon) + link,
               class_="dossier-asof")
    summary = getattr(entity, "summary", None)
    parts = [head, tag("div", r.text.html(summary, page), class_="dossier-text") if summary else ""]
    parts.append(_subsection(L["roles"], _roles(r, entity, cites, page)))
    facts = [e for e in r.linked.evidence.get(entity.id, []) if e.anchor.startswith("claim-")]
    items = [_claim(r, e, cites, page, prefix) for e in facts]
    items += [fact_item(r, e, cites, page, prefix + "about") for e in r.linked.facts_about.get(entity.id, [])]
    parts.append(_subsection(L["claims"], tag("ol", "".join(items), class_="dossier-claims") if items else ""))
    questions = [q for q in r.linked.questions_about.get(entity.id, []) if r.dossier.questions[q].status == "open"]
    parts.append(_subsection(L["open_questions_about"], r.links_list(questions, page).strip()))
    inner = "".join(p for p in parts if p)
    return f"## {md_text(d.meta.title)}\n\n" + block(tag("div", inner, lang=r.lang, class_="dossier-library-entry"))


def _subsection(heading: str, body: str) -> str:
    return tag("h3", esc(heading)) + body if body else ""


def _claim(r: DossierRenderer, evidence: Evidence, cites: Citations, page: str, prefix: str) -> str:
    """A claim recorded on the entity, its id made unique on the library page (one part per dossier)."""
    return r.evidence_item(evidence, cites, page, r.confidence(evidence.confidence), anchor=prefix + evidence.anchor)


def _roles(r: DossierRenderer, entity: m.Entity, cites: Citations, page: str) -> str:
    items = []
    for role in getattr(entity, "roles", []):
        text = esc(role.title) + (f" ({r.link(role.of, page)})" if role.of else "")
        dates = [f"{esc(r.L['from'])} {r.date(role.from_)}" if role.from_ else "",
                 f"{esc(r.L['until'])} {r.date(role.until)}" if role.until else ""]
        shown = ", ".join(p for p in dates if p)
        items.append(tag("li", " ".join(p for p in (text, tag("span", shown, class_="dossier-dates") if shown else "",
                                                      cites.markers(role.cite)) if p)))
    return tag("ul", "".join(items), class_="dossier-roles") if items else ""


def also_in(r: DossierRenderer, entity: m.Entity, page: str) -> str:
    """The line "Also in: …" of an entity known in other dossiers too, with its library page; or nothing."""
    library: Library | None = r.linked.library
    identity = library.of.get((r.dossier.id, entity.id)) if library is not None else None
    if identity is None:
        return ""
    assert library is not None
    colon = label_colon(r.lang)
    links = _member_links(library, identity, page, r.directory_urls, skip=r.dossier.id)
    here = tag("a", esc(r.L["library_page"]), href=relative_url(page_url(identity.src, r.directory_urls), page))
    return block(tag("p", f"{esc(r.L['also_in'])}{colon}{links} · {here}", class_="dossier-also-in"))
