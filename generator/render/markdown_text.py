"""Python-Markdown for the text fields of a dossier: ``[[id|label]]`` links and safe links only.

Imported on the first text that is not simple (:meth:`.text.TextRenderer.simple_paragraphs`):
most texts never need it, and a command that meets none (a PDF of plain claims) never loads
Python-Markdown.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from ..core.model import LINK_PATTERN
from .link_target import SITE_PREFIX, Resolver

_SAFE_URL = re.compile(r"^https?://", re.IGNORECASE)


def dossier_markdown(resolve: Resolver) -> markdown.Markdown:
    """A Python-Markdown converter for texts whose ``[[links]]`` *resolve* (entity id -> target)."""
    return markdown.Markdown(extensions=["sane_lists", _DossierText(resolve)], output_format="html")


class _WikiLink(InlineProcessor):
    def __init__(self, resolve: Resolver):
        super().__init__(LINK_PATTERN)
        self.resolve = resolve

    def handleMatch(self, m: re.Match, data: str):
        target = self.resolve(m.group(1).strip())
        label = (m.group(2) or "").strip()
        if target is None:  # validation reports unknown ids; show the text
            return m.group(2) or m.group(1), m.start(0), m.end(0)
        element = etree.Element("a")
        element.set("class", "dossier-ref")
        element.set("href", SITE_PREFIX + target.url)  # made relative to each page that shows the text
        element.set("data-target", target.anchor)
        element.text = label or target.title
        return element, m.start(0), m.end(0)


class _SafeLinks(Treeprocessor):
    """Keeps only http(s) links; others become their text."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter("a"):
            if "dossier-ref" in (element.get("class") or ""):
                continue
            href = element.get("href", "")
            if _SAFE_URL.match(href):
                element.set("rel", "noopener noreferrer")
            else:
                element.tag = "span"
                element.attrib.clear()
        for element in root.iter("img"):  # nothing loads from elsewhere: an image shows its text
            alt = element.get("alt", "")
            element.tag = "span"
            element.attrib.clear()
            element.text = alt


class _DossierText(Extension):
    def __init__(self, resolve: Resolver):
        super().__init__()
        self.resolve = resolve

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(_WikiLink(self.resolve), "dossier_link", 175)
        md.treeprocessors.register(_SafeLinks(md), "dossier_safe_links", 1)
