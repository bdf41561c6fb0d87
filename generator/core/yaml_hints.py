"""The corrected line for the YAML syntax errors a new author makes most.

PyYAML says what it could not read (``mapping values are not allowed in
this context``, ``did not find expected key``, ``found character that cannot
start any token``); :func:`syntax_hint` looks at the line it points at and,
where the mistake is one of these, gives the line as it should be written:

* an unquoted text holding ``: `` (``place: Beijing: Great Hall``);
* a quote inside a text quoted with the same quote (``'Iran's deal'``,
  ``"He said "yes""``);
* a tab after ``- `` or after ``key:`` (a tab that indents is told by the loader).
"""

from __future__ import annotations

import json
import re

_KEY = r"^(\s*(?:-\s+)*[^\s#'\"\[{&*!|>%@`-][^:#]*?:[ \t]+|\s*(?:-[ \t]+)+)"
_PLAIN_WITH_COLON = re.compile(_KEY + r"([^'\"\[{|>#].*?:\s.*?)\s*$")
_QUOTED = re.compile(_KEY + r"(['\"])(.*)\2\s*$")
_TAB_AFTER = re.compile(r"^(\s*(?:-|[^\s#:][^:#]*:))\t+")


def syntax_hint(problem: str, line: str) -> str:
    """``; …`` with the corrected *line* when *problem* comes from one of the mistakes above, else ""."""
    if "cannot start any token" in problem:
        tab = _TAB_AFTER.match(line)
        if tab:
            fixed = tab.group(1) + " " + line[tab.end():]
            return f"; a tab cannot separate YAML: use a space: `{fixed.strip()}`"
    if "mapping values are not allowed" in problem or ("cannot start any token" in problem and "\t" in line):
        plain = _PLAIN_WITH_COLON.match(line)
        if plain:
            return (f"; a text holding `: ` must be quoted: "
                    f"`{plain.group(1).strip()} {json.dumps(plain.group(2).replace(chr(9), chr(32)), ensure_ascii=False)}`")
    if "did not find expected key" in problem or "expected <block end>" in problem:
        quoted = _QUOTED.match(line)
        if quoted and quoted.group(2) in quoted.group(3):
            return _quote_hint(quoted.group(1).strip(), quoted.group(2), quoted.group(3))
    return ""


def _quote_hint(key: str, quote: str, text: str) -> str:
    if quote == "'":
        other = f'"{text}"' if '"' not in text and "\\" not in text else None
        doubled = "'" + text.replace("'", "''") + "'"
        fixed = f"`{key} {other}` (or double each apostrophe: `{doubled}`)" if other else f"`{key} {doubled}`"
        return f"; an apostrophe inside a text quoted with '…' ends it: write {fixed}"
    other = f"'{text}'" if "'" not in text else None
    escaped = json.dumps(text, ensure_ascii=False)
    fixed = f"`{key} {other}` (or write each inner quote `\\\"`: `{escaped}`)" if other else f"`{key} {escaped}`"
    return f"; a `\"` inside a text quoted with \"…\" ends it: write {fixed}"
