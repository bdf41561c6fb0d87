"""The pages of the site, one pure function per kind of page.

:func:`render_site` returns every page of every dossier, plus the site's
home page, in a fixed order; :func:`nav` the small navigation (sections and
index pages, never one entry per entity: MkDocs renders the whole nav on every
page, so a flat nav makes a build quadratic).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

from ..core import model as m
from ..core.kinds import attach, in_folder, shown_folders
from ..core.library import in_group, library_of
from ..core.link import Linked
from ..core.typography import fix, typeset_alone, typeset_html, typeset_in_chunks
from ..core.words import label_colon
from ..exchange.addresses import FORMATS, file_name
from ..exchange.edition_changes import since_previous
from ..incremental.page_reads import page_parts, watching
from .facts import disputed_section, facts_section, matrix_section
from .html import block, esc, md_text, tag
from .labels import counted, facts_count, labels, likelihood_label, percent, reliability_label, word
from .library_pages import also_in, library_jobs
from .pages import Citations, DossierRenderer, Page, page_url, pdf_url
from .source_text import source_body
from .text import relative_url
from .tradecraft import assumptions_section, disagreement_note, hypotheses_kind, sourcing_section

NetworkFn = Callable[[DossierRenderer, str], str]
PlanFn = Callable[[Linked], list[Callable[[], Any]]]


def render_site(linked: list[Linked], network_svg: NetworkFn | None = None, *, pdf: bool = True,
                site_lang: str = "fr", directory_urls: bool = True, part: tuple[int, int] = (0, 1),
                only: str = "", plan: PlanFn | None = None) -> list[Any]:
    """Every page of the site: its home, then each dossier's pages, then the library's.

    *directory_urls* is MkDocs' ``use_directory_urls``: every address follows it (:func:`page_url`).
    With *part* ``(k, n)``, only every n-th page from the k-th (:mod:`generator.pipeline.parallel` renders the
    others in another process); the parts together are the whole site, in the same order. *plan*
    gives the jobs to run for a dossier (``dossier serve``: :mod:`generator.incremental.page_reads`).
    *only* (shell patterns of dossier ids, for one job of a build split across machines: see
    :mod:`generator.publish.merge`): the other dossiers get only the pages the navigation names.
    """
    library = library_of(linked)
    renderers = {one.dossier.id: DossierRenderer(one, network_svg, directory_urls) for one in linked}
    jobs: list[Callable[[], Page]] = [lambda: home_page(linked, site_lang, directory_urls)]
    for one in linked:
        if plan is not None:
            jobs.extend(plan(one))
        else:
            jobs.extend(dossier_jobs(renderers[one.dossier.id], pdf=pdf, entities=in_group(one.dossier.id, only)))
    jobs.extend(library_jobs(library, renderers, site_lang, directory_urls))
    k, n = part
    return [jobs[index]() for index in range(k, len(jobs), n)]


def dossier_pages(r: DossierRenderer, *, pdf: bool = True) -> list[Page]:
    """The pages of one dossier."""
    return [job() for job in dossier_jobs(r, pdf=pdf)]


def dossier_jobs(r: DossierRenderer, *, pdf: bool = True, entities: bool = True) -> list[Callable[[], Page]]:
    """The pages of one dossier, each to render on its own (in order); without *entities*, only those
    the navigation names."""
    return [job for _, job in keyed_jobs(r, pdf=pdf, entities=entities)]


def keyed_jobs(r: DossierRenderer, *, pdf: bool = True,
               entities: bool = True) -> list[tuple[tuple[str, str], Callable[[], Page]]]:
    """:func:`dossier_jobs`, each with its key: ``(folder, id)`` for an entity's page, ``("", name)`` for the others."""
    d = r.dossier
    raw: list[tuple[tuple[str, str], Callable[[], Page]]] = [
        (("", "home"), lambda: dossier_home(r, pdf)), (("", "timeline"), lambda: timeline_page(r)),
        (("", "network"), lambda: network_page(r))]
    for folder in shown_folders():
        raw.append((("", f"{folder}/index"), partial(index_page, r, folder)))
        if entities:
            raw.extend(((folder, entity.id), partial(in_folder(folder).page, r, entity)) for entity in d.table(folder).values())
    marking = r.marking()

    def finished(job: Callable[[], Page], first: bool) -> Callable[[], Page]:
        return lambda: _typeset(_with_marking(job(), marking) if marking and not first else job(), r.lang)

    return [(key, finished(job, index == 0)) for index, (key, job) in enumerate(raw)]


CHUNKED = 20_000
"""Characters: a page this long is typeset in chunks under ``dossier serve`` (:func:`_typeset`); a shorter one
costs less typeset whole than the chunks' memory would."""


def _typeset(page: Page, lang: str) -> Page:
    """*page* with the print typography of its prose, as in the PDF; quotes and source texts stay verbatim.
    Under ``dossier serve`` a large page is typeset in chunks, each a part of the page (:func:`page_parts`, keyed
    by its text) that reads nothing: those the page held last time are not typeset again."""
    if len(page.markdown) < CHUNKED or not watching():
        return Page(page.src_uri, page.url, fix(page.title, lang), typeset_html(page.markdown, lang))

    def typeset(chunks: list[str]) -> list[tuple[str, bool]]:
        return page_parts("typeset", [(("", (lang, chunk)), partial(typeset_alone, chunk, lang)) for chunk in chunks],
                          _nothing)
    return Page(page.src_uri, page.url, fix(page.title, lang), typeset_in_chunks(page.markdown, lang, typeset))


def _nothing() -> None:
    """No memo to empty: typesetting reads nothing."""


def _with_marking(page: Page, marking: str) -> Page:
    """*page* with the dossier's marking banner under its title."""
    title, _, rest = page.markdown.partition("\n\n")
    return Page(page.src_uri, page.url, page.title, f"{title}\n\n{marking}{rest}")


def nav(linked: list[Linked], site_lang: str = "fr") -> list:
    """The navigation: the home page, then per dossier its home and index pages."""
    entries: list = [{esc(labels(site_lang)["home"]): "index.md"}]
    for one in linked:
        d, L = one.dossier, labels(one.dossier.meta.language)
        title = esc(d.meta.title)  # themes print nav titles as HTML
        section = [{title: f"{d.id}/index.md"}]
        section += [{esc(L[folder]): f"{d.id}/{folder}/index.md"} for folder in shown_folders()]
        section += [{esc(L["timeline"]): f"{d.id}/timeline.md"}, {esc(L["network"]): f"{d.id}/network.md"}]
        entries.append({title: section})
    if library_of(linked).identities:
        entries.append({esc(labels(site_lang)["library"]): "library/index.md"})
    return entries


def _page(src_uri: str, url: str, title: str, body: str) -> Page:
    return Page(src_uri, url, title, f"# {md_text(title)}\n\n{body}".rstrip() + "\n")


# -- site home -----------------------------------------------------------------

def home_page(linked: list[Linked], lang: str, directory_urls: bool = True) -> Page:
    """The site's home: every dossier, the newest first, with its title, as-of date, marking,
    the first sentence of its summary and its open questions; then the library, if any."""
    L = labels(lang)
    library = library_of(linked)
    url = page_url("index.md", directory_urls)
    cards = [_dossier_card(one, lang, directory_urls) for one in library.newest_first()]
    body = block(tag("ul", "".join(cards), class_="dossier-cards")) if cards else tag("p", esc(L["no_items"]))
    if library.identities:
        count = len(library.identities)
        words = L["library_count_one"] if count == 1 else L["library_count"]
        link = tag("a", esc(L["library"]), href=relative_url(page_url("library/index.md", directory_urls), url))
        body += block(tag("p", f"{link} — {count} {esc(words)}", class_="dossier-library-link"))
    return _page("index.md", url, L["site_title"], body)


def _dossier_card(one: Linked, lang: str, directory_urls: bool = True) -> str:
    d, L = one.dossier, labels(lang)
    home = page_url(f"{d.id}/index.md", directory_urls)
    title = tag("a", esc(d.meta.title), href=home, class_="dossier-card-title", hreflang=d.meta.language)
    marking = tag("span", esc(d.meta.marking), class_="dossier-marking-inline") if d.meta.marking else ""
    asof = tag("span", f"{esc(L['as_of'])} " + tag("time", esc(d.meta.as_of.display(lang)), datetime=d.meta.as_of.start.iso()))
    open_count = sum(q.status == "open" for q in d.questions.values())
    questions = tag("a", esc(f"{open_count} {L['open_question_count'] if open_count == 1 else L['open_questions_count']}"),
                    href=page_url(f"{d.id}/questions/index.md", directory_urls))
    counts = ", ".join(counted(lang, f, len(d.table(f))) for f in shown_folders() if f != "questions")
    lead = fix(first_sentence(d.meta.summary, DossierRenderer(one).text.plain), d.meta.language)
    summary = tag("p", esc(lead), class_="dossier-card-summary", lang=d.meta.language) if lead else ""
    return tag("li", f"{title} {marking}<br>{asof} · {questions} · {esc(counts)}{summary}", class_="dossier-card")


_LEAD_IN = re.compile(r"^\s*\*\*[^*\n]+\*\*\s*")
"""A bold lead-in at the start of a summary (``**En bref.**``): a label, not the first sentence."""
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«“\"(]?[A-ZÀ-ÖØ-Þ])")


def first_sentence(summary: str, plain: Callable[[str], str]) -> str:
    """The first sentence of *summary* as plain text (links as their labels, a bold lead-in left out)."""
    text = " ".join(plain(_LEAD_IN.sub("", summary, count=1)).split())
    return _SENTENCE_END.split(text, maxsplit=1)[0] if text else ""


# -- dossier home --------------------------------------------------------------

def dossier_home(r: DossierRenderer, pdf: bool) -> Page:
    """A dossier's home: marking, as-of date, BLUF, key judgments, questions, latest items, counts."""
    d, L, url = r.dossier, r.L, r.page_url(f"{r.dossier.id}/index.md")
    cites = Citations(r, url)
    facts = [esc(f"{L['as_of']} ") + r.date(d.meta.as_of)]
    if d.meta.authors:
        facts.append(esc(L["authors"] + label_colon(r.lang)) + esc(", ".join(d.meta.authors)))
    if pdf:
        facts.append(tag("a", esc(L["download_pdf"]), href=relative_url(pdf_url(d.id), url), class_="dossier-pdf"))
    for format_ in FORMATS:  # the dossier's files for other tools (generator.exchange.formats)
        facts.append(tag("a", esc(L[f"download_{format_}"]), href=relative_url(file_name(d.id, format_), url),
                         class_=f"dossier-{format_}"))
    body = r.marking() + block(tag("p", " · ".join(facts), class_="dossier-asof"))
    body += _changes(r, url)
    body += r.section(L["summary"], r.text_block(d.meta.summary, url))
    body += r.claims_section(L["key_judgments"], "", "kj-", cites, url)
    body += assumptions_section(r, d.meta, url)
    body += disputed_section(r, cites, url)
    body += r.section(L["questions"], _questions_list(r, url))
    body += r.section(L["latest"], _latest(r, url))
    body += r.section(L["counts"], _counts(r, url))
    body += sourcing_section(r, url)
    body += cites.footer()
    return _page(f"{d.id}/index.md", url, d.meta.title, body)


def _changes(r: DossierRenderer, page: str) -> str:
    """The section "Since the edition of …", when dossier.yaml names the previous edition."""
    section = since_previous(r.linked)
    if section is None:
        return ""
    items = []
    for item in section.items:
        badge = tag("span", esc(item.badge), class_=f"dossier-badge dossier-change-{item.action}")
        name = r.link(item.target, page, item.anchor) if item.target is not None else tag("span", esc(item.title))
        reason = ""
        if item.reason:
            kind = "dossier-change-reason" + (" dossier-change-reason-missing" if item.reason_missing else "")
            reason = " " + tag("span", esc(f"({item.reason})"), class_=kind)
        items.append(tag("li", f"{badge} {name} — {esc(item.detail)}{reason}", class_="dossier-change"))
    body = block(tag("ul", "".join(items), class_="dossier-changes")) if items else block(tag("p", esc(section.empty)))
    return f"## {md_text(section.heading)}\n\n{body}"


def _questions_list(r: DossierRenderer, page: str) -> str:
    ordered = sorted(r.dossier.questions.values(), key=lambda q: (q.status != "open", q.id))
    return r.links_list([q.id for q in ordered], page, lambda i: _status_badge(r, r.dossier.questions[i].status))


def _status_badge(r: DossierRenderer, status: str) -> str:
    return tag("span", esc(word(r.lang, status)), class_=f"dossier-badge dossier-status-{status}")


def _latest(r: DossierRenderer, page: str, count: int = 8) -> str:
    items = list(reversed(r.linked.timeline))[:count]
    return block(tag("ul", "".join(_timeline_row(r, item, page) for item in items), class_="dossier-latest")) if items else ""


def _counts(r: DossierRenderer, page: str) -> str:
    d = r.dossier
    rows = [tag("li", tag("a", esc(f"{len(d.table(f))} — {r.L[f]}"), href=relative_url(r.page_url(f"{d.id}/{f}/index.md"), page))) for f in shown_folders()]
    claims = sum(len(e.citations) > 0 for items in r.linked.evidence.values() for e in items)
    passages = sum(len(p) for p in r.linked.passages.values())
    rows.append(tag("li", esc(f"{facts_count(r.lang, claims)}, {counted(r.lang, 'cited_passages_count', passages)}")))
    return block(tag("ul", "".join(rows), class_="dossier-counts"))


# -- entity pages --------------------------------------------------------------

def actor_page(r: DossierRenderer, actor: m.Actor) -> Page:
    """An actor: kind, aliases, country, dated roles, summary, claims, meetings, questions, backlinks."""
    url = r.entity_url(actor)
    cites, L = Citations(r, url), r.L
    country = r.link(actor.country, url) if actor.country else ""
    body = also_in(r, actor, url)
    body += r.meta_list([(L["kind"], esc(word(r.lang, actor.kind))), (L["aliases"], esc(", ".join(actor.aliases))),
                         (L["country"], country)])
    body += r.text_block(actor.summary, url)
    body += r.section(L["roles"], _roles(r, actor, cites, url))
    body += r.claims_section(L["claims"], actor.id, "claim-", cites, url)
    body += facts_section(r, actor.id, cites, url)
    body += r.section(L["meetings_attended"], _meetings_of(r, actor, url))
    body += r.section(L["questions_about"], r.links_list(r.linked.questions_about.get(actor.id, []), url))
    body += r.section(L["members"], _members(r, actor, url))
    body += cites.footer() + r.backlinks(actor.id, url)
    return _page(f"{r.dossier.id}/actors/{actor.id}.md", url, actor.name, body)


def _roles(r: DossierRenderer, actor: m.Actor, cites: Citations, page: str) -> str:
    items = []
    for index, role in enumerate(actor.roles, 1):
        text = esc(role.title) + (f" ({r.link(role.of, page)})" if role.of else "")
        dates = _role_dates(r, role)
        items.append(tag("li", " ".join(p for p in (text, dates, cites.markers(role.cite)) if p), id=f"role-{index}"))
    return block(tag("ul", "".join(items), class_="dossier-roles")) if items else ""


def _role_dates(r: DossierRenderer, role: m.Role) -> str:
    parts = []
    if role.from_ is not None:
        parts.append(f"{esc(r.L['from'])} {r.date(role.from_)}")
    if role.until is not None:
        parts.append(f"{esc(r.L['until'])} {r.date(role.until)}")
    return tag("span", ", ".join(parts), class_="dossier-dates") if parts else ""


def _meetings_of(r: DossierRenderer, actor: m.Actor, page: str) -> str:
    def describe(mid: str) -> str:
        meeting = r.dossier.meetings[mid]
        role = next((p.role for p in meeting.participants if p.actor == actor.id and p.role), None)
        return r.date(meeting.date) + (f" — {esc(role)}" if role else "")
    return r.links_list(r.linked.meetings_of.get(actor.id, []), page, describe)


def _members(r: DossierRenderer, actor: m.Actor, page: str) -> str:
    rows = []
    for member, index in sorted(r.linked.members.get(actor.id, [])):
        role = r.dossier.actors[member].roles[index - 1]
        rows.append(tag("li", r.link(member, page, f"role-{index}") + f" — {esc(role.title)}"))
    return block(tag("ul", "".join(rows))) if rows else ""


def meeting_page(r: DossierRenderer, meeting: m.Meeting) -> Page:
    """A meeting: date, place, status, participants, topics, summary, outcome, claims, sequence, backlinks."""
    url = r.entity_url(meeting)
    cites, L = Citations(r, url), r.L
    body = also_in(r, meeting, url)
    body += r.meta_list([(L["date"], r.date(meeting.date)), (L["place"], esc(meeting.place or "")),
                         (L["status"], _status_badge(r, meeting.status))])
    body += r.text_block(meeting.summary, url)
    people = [tag("li", r.link(p.actor, url) + (f" — {esc(p.role)}" if p.role else "")) for p in meeting.participants]
    body += r.section(L["participants"], block(tag("ul", "".join(people))) if people else "")
    topics = [tag("li", r.text.inline(t, url)) for t in meeting.topics]
    body += r.section(L["topics"], block(tag("ul", "".join(topics))) if topics else "")
    body += r.section(L["outcome"], r.text_block(meeting.outcome, url))
    body += r.claims_section(L["claims"], meeting.id, "claim-", cites, url)
    body += facts_section(r, meeting.id, cites, url)
    dated = lambda mid: r.date(r.dossier.meetings[mid].date)
    body += r.section(L["follows"], r.links_list(meeting.follows, url, dated))
    body += r.section(L["followed_by"], r.links_list(r.linked.followed_by.get(meeting.id, []), url, dated))
    body += cites.footer() + r.backlinks(meeting.id, url)
    return _page(f"{r.dossier.id}/meetings/{meeting.id}.md", url, meeting.title, body)


def question_page(r: DossierRenderer, question: m.Question) -> Page:
    """A question: status, dates, what is known, hypotheses, indicators, answer, claims, backlinks."""
    url = r.entity_url(question)
    cites, L = Citations(r, url), r.L
    about = ", ".join(r.link(i, url) for i in question.about)
    body = r.meta_list([(L["status"], _status_badge(r, question.status)),
                        (L["opened"], r.date(question.opened) if question.opened else ""),
                        (L["reviewed"], r.date(question.reviewed) if question.reviewed else ""), (L["about"], about),
                        (L["hypotheses"], esc(hypotheses_kind(r.lang, question)))])
    body += r.text_block(question.summary, url)
    body += r.section(L["hypotheses"], _hypotheses(r, question, cites, url))
    body += matrix_section(r, question, cites, url) + disagreement_note(r, question)
    body += assumptions_section(r, question, url)
    indicators = [tag("li", r.text.inline(i, url)) for i in question.indicators]
    body += r.section(L["indicators"], block(tag("ul", "".join(indicators))) if indicators else "")
    body += r.claims_section(L["answer"], question.id, "answer", cites, url)
    body += r.claims_section(L["claims"], question.id, "claim-", cites, url)
    body += facts_section(r, question.id, cites, url)
    body += cites.footer() + r.backlinks(question.id, url)
    return _page(f"{r.dossier.id}/questions/{question.id}.md", url, r.linked.title(question.id), body)


def _hypotheses(r: DossierRenderer, question: m.Question, cites: Citations, page: str) -> str:
    items = []
    evidence = {e.anchor: e for e in r.linked.evidence.get(question.id, [])}
    for index, hypothesis in enumerate(question.hypotheses, 1):
        badge = ""
        if hypothesis.likelihood:
            badge = tag("span", esc(likelihood_label(r.lang, hypothesis.likelihood)),
                        class_=f"dossier-badge dossier-likelihood dossier-likelihood-{hypothesis.likelihood}")
        one = evidence[f"hypothesis-{index}"]
        if one.against:
            colon = label_colon(r.lang)
            badge += " " + tag("span", esc(r.L["inconsistencies"] + colon) + cites.markers(one.against), class_="dossier-against")
        items.append(r.evidence_item(one, cites, page, badge))
    return block(tag("ol", "".join(items), class_="dossier-claims dossier-hypotheses")) if items else ""


def source_page(r: DossierRenderer, source: m.Source) -> Page:
    """A source: metadata, grade, cited passages with their claims, full text highlighted."""
    url = r.entity_url(source)
    body = also_in(r, source, url) + source_body(r, source, url) + r.backlinks(source.id, url)
    return _page(f"{r.dossier.id}/sources/{source.id}.md", url, source.title, body)


# -- timeline, network, indexes -----------------------------------------------

def timeline_page(r: DossierRenderer) -> Page:
    """Every dated item, in order, grouped by year; each date at its own precision."""
    url = r.page_url(f"{r.dossier.id}/timeline.md")
    body = block(tag("p", esc(r.L["timeline_intro"])))
    items = list(r.linked.timeline)
    made = iter(page_parts("timeline", [(("", item), partial(_timeline_row, r, item, url)) for item in items], r.forget))
    years: dict[int, list[str]] = {}
    for item in items:  # each row a part, keyed by its item (``dossier serve`` makes again only those whose reads changed)
        years.setdefault(item.date.start.year, []).append(next(made))
    for year, rows in years.items():
        body += f"## {year}\n\n" + block(tag("ol", "".join(rows), class_="dossier-timeline"))
    return _page(f"{r.dossier.id}/timeline.md", url, r.L["timeline"], body)


def _timeline_row(r: DossierRenderer, item, page: str) -> str:
    kind = tag("span", esc(r.L[f"tl_{item.kind}"]), class_=f"dossier-badge dossier-tl-{item.kind}")
    text = r.text.inline(item.text, page) if item.kind == "claim" else esc(item.text)
    target = r.link(item.owner, page, item.anchor)
    where = "" if item.kind == "meeting" else f" — {target}"
    if item.kind == "meeting":
        text = target
    return tag("li", f"{r.date(item.date)} {kind} {text}{where}")


def network_page(r: DossierRenderer) -> Page:
    """The network of actors and meetings, drawn at build time as SVG, with a list for readers without images."""
    url = r.page_url(f"{r.dossier.id}/network.md")
    svg = r.network_svg(r, url) if r.network_svg else ""
    body = block(tag("p", esc(r.L["network_caption"])))
    if svg:  # on a phone the drawing scrolls sideways: the same network as lists is one tap away
        hint = tag("a", esc(r.L["network_hint"]), href="#network-lists")
        body += block(tag("p", hint, class_="dossier-network-hint"))
        body += block(tag("figure", svg, class_="dossier-network"))
    meetings = tuple((mid, tuple(p.actor for p in meeting.participants)) for mid, meeting in
                     sorted(r.dossier.meetings.items(), key=lambda item: (item[1].date.sort_key(), item[0])))
    ties = tuple((actor.id, tuple(targets)) for actor in r.dossier.actors.values()  # the drawing's other edges:
                 if (targets := sorted({target for _, target, ref in m.references(actor) if ref.edge == "out"})))
    rows = "".join(page_parts("network-meetings", [(("", ("meeting", row)), partial(_links_row, r, row, url))
                                                   for row in meetings], r.forget))
    tie_rows = "".join(page_parts("network-ties", [(("", ("tie", row)), partial(_links_row, r, row, url))  # an actor's
                                                   for row in ties], r.forget))  # roles' `of` and its country
    body += block(tag("div", "", id="network-lists"))
    body += r.section(r.L["meetings"], block(tag("ul", rows)) if rows else "")
    body += r.section(r.L["network_ties"], block(tag("ul", tie_rows)) if tie_rows else "")
    return _page(f"{r.dossier.id}/network.md", url, r.L["network"], body)


def _links_row(r: DossierRenderer, row: tuple[str, tuple[str, ...]], page: str) -> str:
    """An item of a list of the network page: an entity's link, then those of the entities it names (made as a
    part keyed by *row*, whose titles alone it reads: a renamed title makes again only the rows that name it)."""
    id_, named = row
    return tag("li", f"{r.link(id_, page)} — " + ", ".join(r.link(t, page) for t in named))


def index_page(r: DossierRenderer, folder: str) -> Page:
    """A table of every entity of one kind with its key fields."""
    url = r.page_url(f"{r.dossier.id}/{folder}/index.md")
    columns, row = in_folder(folder).index
    head = tag("thead", tag("tr", "".join(tag("th", esc(r.L[c]), scope="col") for c in columns)))
    rows = [tag("tr", "".join(tag("td", cell) for cell in row(r, e, url))) for e in _index_order(r, folder)]
    table = tag("table", head + tag("tbody", "".join(rows)), class_="dossier-index")
    wrapped = tag("div", tag("div", table, class_="md-typeset__table"), class_="md-typeset__scrollwrap")
    body = block(wrapped) if rows else block(tag("p", esc(r.L["no_items"])))
    return _page(f"{r.dossier.id}/{folder}/index.md", url, r.L[folder], body)


def _index_order(r: DossierRenderer, folder: str) -> list:
    """The entities of an index table: meetings by date then title, the others in the dossier's order."""
    entities: list[Any] = list(r.dossier.table(folder).values())  # the meetings, when sorted here
    if folder == "meetings":
        entities.sort(key=lambda x: (x.date.sort_key(), x.title.casefold(), x.id))
    return entities


def _actor_row(r: DossierRenderer, a: m.Actor, url: str) -> list[str]:
    return [r.link(a.id, url), esc(word(r.lang, a.kind)), _references_cell(r, a, "country", url),
            esc(", ".join(role.title for role in a.roles))]


def _references_cell(r: DossierRenderer, entity: m.Entity, key: str, url: str) -> str:
    """An index cell for a reference field (:class:`~generator.core.model.Ref`): links to the entities it names."""
    return ", ".join(r.link(target, url) for path, target, _ in m.references(entity) if path[0] == key)


def _meeting_row(r: DossierRenderer, x: m.Meeting, url: str) -> list[str]:
    return [r.link(x.id, url), r.date(x.date), esc(x.place or ""), _status_badge(r, x.status)]


def _question_row(r: DossierRenderer, q: m.Question, url: str) -> list[str]:
    return [r.link(q.id, url), _status_badge(r, q.status), r.date(q.opened) if q.opened else "",
            str(len(q.hypotheses))]


def _source_row(r: DossierRenderer, s: m.Source, url: str) -> list[str]:
    grade = esc(reliability_label(r.lang, s.reliability)) if s.reliability else ""
    return [r.link(s.id, url), r.date(s.published), grade, esc(percent(r.lang, r.linked.cited_share.get(s.id, 0)))]


attach("actor", page=actor_page, index=(("name", "kind", "country", "roles"), _actor_row))
attach("meeting", page=meeting_page, index=(("title", "date", "place", "status"), _meeting_row))
attach("question", page=question_page, index=(("question", "status", "opened", "hypotheses"), _question_row))
attach("source", page=source_page, index=(("title", "published", "reliability", "cited_share"), _source_row))
