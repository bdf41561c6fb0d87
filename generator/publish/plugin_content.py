"""How the generated pages' HTML reaches MkDocs: finished, without a second Markdown pass.

The render stage's pages are headings and HTML blocks
(:mod:`generator.render.finished`). For each, the plugin hands MkDocs an empty
Markdown body (``on_page_markdown``), then sets the finished HTML as the
page's content and builds its table of contents from the render stage's
headings (``on_page_content``): the ids, permalinks, right-hand table of
contents and search sections are those Python-Markdown's ``toc`` extension
would have made, without re-parsing every page's HTML.

A site whose ``toc`` options this does not reproduce (``anchorlink``,
``permalink_leading``, ``baselevel``), or a page not in that simple form,
goes through Markdown as before.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..render.finished import FinishedPage, HeadingStyle, finished_html

_UNSUPPORTED = {"anchorlink": False, "permalink_leading": False, "baselevel": "1"}
"""``toc`` options whose other values :func:`finished_html` does not reproduce, with their defaults."""


def heading_style(config: MkDocsConfig) -> HeadingStyle | None:
    """The site's heading markup from its ``toc`` options, or None when only Markdown can make it."""
    options = dict((config.mdx_configs or {}).get("toc") or {})
    for name, default in _UNSUPPORTED.items():
        if str(options.get(name, default)) != str(default):
            return None
    style = HeadingStyle(permalink=options.get("permalink", False),
                         permalink_title=options.get("permalink_title", "Permanent link"),
                         permalink_class=options.get("permalink_class", "headerlink"),
                         separator=options.get("separator", "-"))
    if "slugify" in options:
        style = HeadingStyle(**{**style.__dict__, "slugify": options["slugify"]})
    depth = options.get("toc_depth", 6)
    top, bottom = (int(x) for x in depth.split("-")) if isinstance(depth, str) and "-" in depth else (1, int(depth))
    return HeadingStyle(**{**style.__dict__, "toc_top": top, "toc_bottom": bottom})


class FinishedPages:
    """The finished HTML of the generated pages between ``on_page_markdown`` and ``on_page_content``."""

    def __init__(self, config: MkDocsConfig):
        self.style = heading_style(config)
        self.pending: dict[str, FinishedPage] = {}

    def markdown(self, markdown: str, page: Page) -> str:
        """The Markdown MkDocs converts for *page*: empty when its HTML is finished already."""
        finished = finished_html(markdown, self.style) if self.style is not None else None
        if finished is None:
            return markdown
        self.pending[page.file.src_uri] = finished
        return ""

    def content(self, html: str, page: Page) -> str:
        """The page's content: its finished HTML, its table of contents set from its headings."""
        finished = self.pending.pop(page.file.src_uri, None)
        if finished is None:
            return html
        page.toc = get_toc(finished.toc_tokens)
        page.present_anchor_ids = set(finished.ids)
        return finished.html
