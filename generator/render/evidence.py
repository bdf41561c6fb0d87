"""A citation as the reader sees it: the verbatim quote, the analyst's translation, the source, the original.

The numbered list under a page's claims shows each cited passage with all
of it; the preview a citation mark opens on hover or focus (the script
``assets/dossier-preview.js``) shows that same list item, so what the
preview says is in the page itself, for readers without JavaScript and for
search. The link to the original opens the publisher's page at the quoted
words (a text fragment, :mod:`generator.core.fragments`) and says that it leaves
the site.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core import model as m
from ..core.fragments import passage_words, text_fragment_url
from ..core.link import Passage
from ..core.words import label_colon
from .html import esc, tag
from .labels import quoted

if TYPE_CHECKING:
    from .pages import DossierRenderer

EXTERNAL_REL = "external noopener noreferrer"
"""The ``rel`` of every link that leaves the site."""


def quote_html(lang: str, passage: Passage, source: m.Source) -> str:
    """The quote in the dossier's quotation marks, marked as in the source's language when that is not the dossier's."""
    other = source.language if source.language and source.language.split("-")[0].lower() != lang else None
    return tag("span", esc(quoted(lang, passage.quote)), class_="dossier-quote", lang=other)


def translation_html(r: DossierRenderer, translation: str | None) -> str:
    """The analyst's translation, labelled as theirs; nothing without one."""
    if not translation:
        return ""
    colon = label_colon(r.lang)
    label = tag("span", esc(r.L["translation"] + colon), class_="dossier-translation-label")
    return tag("span", label + esc(quoted(r.lang, translation)), class_="dossier-translation")


def original_url(source: m.Source, passage: Passage) -> str | None:
    """The source's address opened at the passage (a text fragment), or None when the source has no ``url``."""
    if not source.url:
        return None
    return text_fragment_url(source.url, passage_words(source.text, passage.spans))


def original_link(r: DossierRenderer, source: m.Source, passage: Passage) -> str:
    """A link to the passage in the original, marked as leaving the site; nothing when the source has no ``url``."""
    url = original_url(source, passage)
    if url is None:
        return ""
    hidden = tag("span", esc(f" ({r.L['external_site']})"), class_="dossier-sr")
    return tag("a", esc(r.L["original_passage"]) + tag("span", " ↗", aria_hidden="true") + hidden,
               href=url, rel=EXTERNAL_REL, class_="dossier-original")


def citation_item(r: DossierRenderer, passage: Passage, href: str, number: int) -> str:
    """One numbered citation of a page: quote, translation, source (grade, outlet, date), the original.

    All but the link to the source's page (relative to the page) is the same on every page that cites
    the passage: it is made once per passage (a large dossier cites each passage on several pages).
    """
    key = (passage.source, passage.anchor)  # an anchor names a passage within its source: two sources may share one
    parts = r.citation_parts.get(key)
    if parts is None:
        source = r.dossier.sources[passage.source]
        translation = translation_html(r, passage.translation)
        about = "".join(f", {part}" for part in (esc(source.outlet or ""), r.date(source.published)) if part)
        original = original_link(r, source, passage)
        parts = r.citation_parts[key] = (
            quote_html(r.lang, passage, source) + (f" {translation}" if translation else "") + " — ",
            f">{esc(r.source_label(source))}</a>" + tag("span", about, class_="dossier-cite-about")
            + (f" · {original}" if original else ""))
    head, tail = parts
    return f'<li id="cite-{number}" class="dossier-citation">{head}<a href="{esc(href)}"{tail}</li>'
