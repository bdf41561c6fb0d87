"""Small helpers to write escaped HTML and Markdown, as strings."""

from __future__ import annotations

import html
import re

_GUILLEMET_SPACES = re.compile(r"«[ \t\n]+|[ \t\n]+»")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


_TO_ESCAPE = re.compile(r"[&<>\"']")


def esc(text: object, quote: bool = True) -> str:
    """*text* escaped for HTML content and attribute values (with ``quote=False``: ``&``, ``<`` and ``>``
    only, for text content, as Python-Markdown writes it)."""
    text = str(text)
    return html.escape(text, quote=quote) if _TO_ESCAPE.search(text) else text


def keep_guillemets(text: str) -> str:
    """*text* with the spaces just inside « » made non-breaking: no line ends on « nor starts with »."""
    return _GUILLEMET_SPACES.sub(_glue_guillemet, text)


def _glue_guillemet(match: re.Match) -> str:
    return "«\u00a0" if match.group().startswith("«") else "\u00a0»"


def md_text(text: str) -> str:
    """*text* as literal Markdown inline text (for headings): HTML and Markdown escaped."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False).replace("\n", " "))


def attrs(**values: object) -> str:
    """`` name="value"`` pairs, escaped; None and False are left out, ``class_`` is ``class``."""
    parts = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        key = _ATTRIBUTE_NAMES.get(name)
        if key is None:
            key = _ATTRIBUTE_NAMES[name] = name.rstrip("_").replace("_", "-")
        parts.append(f' {key}="{esc(value)}"' if value is not True else f" {key}")
    return "".join(parts)


_ATTRIBUTE_NAMES: dict[str, str] = {}
"""Keyword -> attribute name (``class_`` -> ``class``, ``aria_label`` -> ``aria-label``), worked out once."""


def tag(name: str, content: str = "", **values: object) -> str:
    """``<name attrs>content</name>``; *content* is trusted HTML."""
    return f"<{name}{attrs(**values)}>{content}</{name}>"


def block(html_text: str) -> str:
    """An HTML block for a Markdown page: on its own lines, no blank line inside."""
    lines = [line for line in html_text.split("\n") if line.strip()]
    return "\n".join(lines) + "\n\n"


def plain_self_links(html_text: str, self_href: str = "./") -> str:
    """*html_text* with its ``[[links]]`` to the page itself (``href="./"``, or the page's
    file name without ``use_directory_urls``) made bold text."""
    attribute = f'href="{self_href}"'
    if attribute not in html_text:
        return html_text
    pattern = r'<a class="dossier-ref"[^>]*? ' + re.escape(attribute) + r'[^>]*>(.*?)</a>'
    return re.sub(pattern, r'<strong class="dossier-self">\1</strong>', html_text, flags=re.DOTALL)


def with_page_language(markup: str, site_lang: str, lang: str) -> str:
    """A built page's HTML with ``<html lang>`` set to *lang* (its dossier's language) when that is not
    the site's: an English dossier in a French site is read aloud in English."""
    old = f'<html lang="{site_lang}"'
    return markup.replace(old, f'<html lang="{lang}"', 1) if lang != site_lang and old in markup else markup
