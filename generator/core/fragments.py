"""Links to a quote in the original document: text fragments (``url#:~:text=…``).

A browser that supports text fragments (WICG, "URL Fragment Text
Directives") opens the page scrolled to the quoted words and highlights
them; one that does not simply opens the page. The words are the source's
own (the passage's spans in its text, white space runs as one space), so
they are the characters the publisher's page shows. A quote with elisions
gives one ``text=`` directive per part, in order: the page highlights each
part and nothing the quote leaves out.

Each directive's value is percent-encoded as the specification asks: every
character but ASCII letters, digits and ``. _ ~`` (so ``-``, ``&`` and ``,``,
which are the directive's own syntax, are always encoded, and so is every
non-ASCII character, as UTF-8).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import quote


def directive_value(words: str) -> str:
    """*words* percent-encoded for a ``text=`` directive (``-``, ``&``, ``,`` and every non-ASCII byte encoded)."""
    return quote(words, safe="").replace("-", "%2D")


def passage_words(text: str, spans: Sequence[tuple[int, int]]) -> list[str]:
    """The words of each span of *text*, white space runs as one space (empty parts left out)."""
    return [words for words in (" ".join(text[start:end].split()) for start, end in spans) if words]


def text_fragment_url(url: str, parts: Iterable[str]) -> str:
    """*url* with a fragment directive that finds each of *parts* in order; *url* itself when there is none.

    An address that already has a fragment (``#section``) keeps it: the
    directive follows it (``#section:~:text=…``), as the specification allows.
    """
    directives = "&".join(f"text={directive_value(part)}" for part in parts if part)
    if not directives:
        return url
    return url + (":~:" if "#" in url else "#:~:") + directives
