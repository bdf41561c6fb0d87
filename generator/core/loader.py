"""Stage 1: read YAML files safely, keeping the line and column of every key and value.

The file is parsed into events by PyYAML's libyaml-backed ``CParser`` when it
is present (the pure-Python parser otherwise) and composed here, iteratively,
into plain Python values. Composing ourselves rather than calling
``yaml.compose`` gives, in one pass and without recursion:

* positions: :class:`Document.positions` maps a path such as
  ``("claims", 0, "cite", 1)`` to the ``(line, column)`` of that value, and
  :class:`Document.key_positions` to the position of the key naming it;
* duplicate keys as errors (PyYAML silently keeps the last one);
* every tag beyond plain YAML types as an error, so nothing can construct
  objects, let alone run code;
* bounded nesting depth and alias expansion: a hostile file fails fast
  (libyaml's own composer recurses in C and crashes at ~50,000 levels).

That careful road walks every event in Python. Most files are plain and
valid, so they first take a fast road: libyaml composes the node tree in C
(with a leaner tag resolver) and Python only converts it to values. Anything
the careful road would treat specially (a tag, an alias or anchor, a duplicate
key, an error, a file that could nest deeply) sends the file down the careful
road instead, and positions are read on it only when a diagnostic needs them.
A property test holds both roads to the same values, positions and messages.

Scalars keep YAML's plain types (str, int, float, bool, None), except
timestamps, which stay strings: dates are parsed by :mod:`generator.core.dates`,
which knows year and month precision.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

import yaml

try:  # libyaml: much faster, same events
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from .errors import Report

Path_ = tuple[str | int, ...]
Mark = tuple[int, int]

MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences a dossier file may have."""
MAX_NODES = 200_000
"""Most values (aliases counted as the size of what they repeat) in one file."""

_YAML = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {"!", _YAML + "str", _YAML + "int", _YAML + "float", _YAML + "bool", _YAML + "null",
                 _YAML + "timestamp", _YAML + "map", _YAML + "seq"}
_RESOLVER = yaml.resolver.Resolver()
_SAFE = yaml.constructor.SafeConstructor()
_CONSTRUCTORS = {_YAML + "null": _SAFE.construct_yaml_null, _YAML + "bool": _SAFE.construct_yaml_bool,
                 _YAML + "int": _SAFE.construct_yaml_int, _YAML + "float": _SAFE.construct_yaml_float}


@dataclass
class Document:
    """One YAML file read into plain values, with the position of each."""

    path: str
    """The file, as it was named to the tool."""
    text: str = ""
    """The file's text, decoded."""
    data: Any = None
    """The file's content: dicts, lists, str, int, float, bool or None."""
    _positions: dict[Path_, Mark] | None = field(default=None, repr=False)
    _key_positions: dict[Path_, Mark] | None = field(default=None, repr=False)

    @property
    def positions(self) -> dict[Path_, Mark]:
        """Path of a value -> its 1-based (line, column)."""
        if self._positions is None:
            self._fill_positions()
        assert self._positions is not None  # _fill_positions sets both tables
        return self._positions

    @property
    def key_positions(self) -> dict[Path_, Mark]:
        """Path of a mapping value -> the 1-based (line, column) of its key."""
        if self._key_positions is None:
            self._fill_positions()
        assert self._key_positions is not None  # _fill_positions sets both tables
        return self._key_positions

    def _fill_positions(self) -> None:
        """Read the positions on the careful road (a file that took the fast one has none until a problem needs them)."""
        scratch = Document(self.path, self.text)
        composer = _Composer(scratch)
        try:
            for event in yaml.parse(self.text, Loader=_Loader):
                composer.feed(event)
        except (_LoadError, yaml.YAMLError):  # pragma: no cover - the file was read without error before
            pass
        self._positions, self._key_positions = scratch.positions, scratch.key_positions

    def position(self, path: Path_, key: bool = False) -> Mark:
        """The position of *path*, or of its closest ancestor that has one."""
        table = self.key_positions if key else self.positions
        path = tuple(path)
        while path:
            if path in table:
                return table[path]
            if key and path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def offset(self, mark: Mark) -> int:
        """The offset in :attr:`text` of a 1-based ``(line, column)``."""
        line, column = mark
        start = 0
        for _ in range(line - 1):
            start = self.text.find("\n", start) + 1
            if start == 0:
                return len(self.text)
        return start + column - 1

    def mark_of(self, offset: int) -> Mark:
        """The 1-based ``(line, column)`` of an offset in :attr:`text`."""
        return position_of(line_starts(self.text), offset)


class _LoadError(Exception):
    def __init__(self, mark: Mark, message: str):
        super().__init__(message)
        self.mark, self.message = mark, message


@dataclass
class _Frame:
    path: Path_
    value: Any
    size: int = 1
    key: str | None = None
    anchor: str | None = None


class _Composer:
    """Builds values from a stream of YAML events, one at a time."""

    def __init__(self, doc: Document):
        self.doc = doc
        doc._positions, doc._key_positions = {}, {}  # pylint: disable=protected-access
        self.line_starts = line_starts(doc.text)
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.nodes = 0
        self.documents = 0

    def mark(self, event: yaml.Event) -> Mark:
        """1-based (line, column) of *event*, counting only ``\\n`` as a line break (as editors do)."""
        assert event.start_mark is not None  # the parser marks every event it makes
        return position_of(self.line_starts, event.start_mark.index)

    def feed(self, event: yaml.Event) -> None:
        handler = getattr(self, "_on_" + type(event).__name__, None)
        if handler is not None:
            handler(event)

    # -- events -------------------------------------------------------------
    def _on_DocumentStartEvent(self, event: yaml.Event) -> None:
        self.documents += 1
        if self.documents > 1:
            raise _LoadError(self.mark(event), "a file holds one YAML document; remove the second `---`")

    def _on_ScalarEvent(self, event: yaml.ScalarEvent) -> None:
        _check_tag(event, self.mark(event))
        value = _scalar_value(event)
        self._place(event, value, 1)

    def _on_AliasEvent(self, event: yaml.AliasEvent) -> None:
        if event.anchor not in self.anchors:
            raise _LoadError(self.mark(event), f"unknown alias `*{event.anchor}`")
        value, size = self.anchors[event.anchor]
        self._place(event, value, size, alias=True)

    def _on_MappingStartEvent(self, event: yaml.Event) -> None:
        self._open(event, {})

    def _on_SequenceStartEvent(self, event: yaml.Event) -> None:
        self._open(event, [])

    def _on_MappingEndEvent(self, event: yaml.Event) -> None:
        self._close()

    def _on_SequenceEndEvent(self, event: yaml.Event) -> None:
        self._close()

    # -- building -----------------------------------------------------------
    def _open(self, event: yaml.Event, value: Any) -> None:
        _check_tag(event, self.mark(event))
        if len(self.stack) >= MAX_DEPTH:
            raise _LoadError(self.mark(event), f"nesting deeper than {MAX_DEPTH} levels")
        path = self._child_path(event)
        self._record(path, self.mark(event))
        self.stack.append(_Frame(path, value, anchor=getattr(event, "anchor", None)))

    def _close(self) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.value, frame.size)
        self._attach(frame.value, frame.size, counted=1)

    def _place(self, event: yaml.Event, value: Any, size: int, alias: bool = False) -> None:
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent.value, dict) and parent.key is None:
            self._take_key(event, value, parent, alias)
            return
        self._record(self._child_path(event), self.mark(event))
        anchor = getattr(event, "anchor", None)
        if anchor and not alias:
            self.anchors[anchor] = (value, 1)
        self._attach(value, size)

    def _take_key(self, event: yaml.Event, value: Any, parent: _Frame, alias: bool) -> None:
        if alias or not isinstance(event, yaml.ScalarEvent):
            raise _LoadError(self.mark(event), "a key must be plain text")
        key = event.value
        if key in parent.value:
            first = self.doc.key_positions.get(parent.path + (key,), (0, 0))
            raise _LoadError(self.mark(event), f"duplicate key `{key}` (first at line {first[0]})")
        parent.key = key
        self.doc.key_positions[parent.path + (key,)] = self.mark(event)

    def _child_path(self, event: yaml.Event) -> Path_:
        if not self.stack:
            return ()
        parent = self.stack[-1]
        if isinstance(parent.value, dict):
            if parent.key is None:
                raise _LoadError(self.mark(event), "a key must be plain text")
            return parent.path + (parent.key,)
        return parent.path + (len(parent.value),)

    def _record(self, path: Path_, mark: Mark) -> None:
        self.doc.positions.setdefault(path, mark)

    def _attach(self, value: Any, size: int, counted: int | None = None) -> None:
        self.nodes += size if counted is None else counted
        if self.nodes > MAX_NODES:
            raise _LoadError(self.doc.positions.get((), (1, 1)),
                             f"the file expands to more than {MAX_NODES:,} values (alias bomb?)")
        if not self.stack:
            self.doc.data = value
            return
        parent = self.stack[-1]
        parent.size += size
        if isinstance(parent.value, dict):
            parent.value[parent.key] = value
            parent.key = None
        else:
            parent.value.append(value)


def line_starts(text: str) -> list[int]:
    """Offsets where each line of *text* starts (lines end at ``\\n`` only)."""
    starts = [0]
    index = text.find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def position_of(starts: list[int], index: int) -> Mark:
    """1-based (line, column) of the character *index*, given :func:`line_starts`."""
    line = bisect.bisect_right(starts, index)
    return line, index - starts[line - 1] + 1


# -- the fast road: libyaml composes in C, Python only converts -------------------

SAFE_DEPTH_BOUND = 2000
"""Files whose nesting cannot exceed this go to libyaml's composer, which recurses in C."""
_DEEP_INDENT = re.compile(r"^ {200,}", re.MULTILINE)
_ANCHOR = re.compile(r"(?:^|[\s\[{,:])&[^\s\[\]{},]", re.MULTILINE)
_STR = _YAML + "str"
_NON_SPECIFIC_TAG = re.compile(r"(?:^|[\s\[{,:])!(?:<!>)?(?=[\s\]},]|$)", re.MULTILINE)


_IMPLICIT = "tag:dossier,2023:implicit"
"""The tag the fast road's composer gives every node without an explicit tag (resolved later, if plain)."""
_BY_FIRST = {first: tuple(resolvers) + tuple(_Loader.yaml_implicit_resolvers.get(None, ()))
             for first, resolvers in _Loader.yaml_implicit_resolvers.items() if first is not None}
"""Plain YAML's implicit types (null, bool, int, float, timestamp), by the first character of a value."""
_WILDCARD = tuple(_Loader.yaml_implicit_resolvers.get(None, ()))


class _FastLoader(_Loader):
    """libyaml's loader, asking no Python code for tags while it composes.

    libyaml's composer asks ``resolve(kind, value, implicit)`` for the tag of
    every node without an explicit one. Here ``resolve`` is a bound ``str.format``
    of a string with no fields: C code that ignores its arguments and answers
    :data:`_IMPLICIT`. :func:`_node_value` then resolves what needs it, plain
    scalars, with the same table as PyYAML's resolver.
    """

    resolve = _IMPLICIT.format

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers: nothing to track."""

    def ascend_resolver(self) -> None:
        """No path resolvers: nothing to track."""


def _resolve_plain(value: str) -> str:
    """The tag of a plain scalar without an explicit tag, as PyYAML's resolver gives it."""
    for tag, pattern in _BY_FIRST.get(value[:1], _WILDCARD):
        if pattern.match(value):
            return tag
    return _STR


class _Careful(Exception):
    """The file needs the careful road: it has a problem to locate exactly, or might be hostile."""


def _suits_fast_road(text: str) -> bool:
    """True when libyaml's composer reads *text* as the careful road does, and safely.

    Its composer resolves a scalar with the non-specific tag ``!`` like an
    untagged one (``! 3`` as a number, not text), and aliases need the careful
    road's accounting (alias bombs, alias keys): files with either go the
    careful way. Without aliases a file of fewer than ``2 * MAX_NODES``
    characters cannot hold more than :data:`MAX_NODES` values. And the
    composer recurses in C: *text* must not nest deeper than
    :data:`SAFE_DEPTH_BOUND` levels. A new level takes a flow bracket, a ``-``
    or ``?`` indicator, or a line indented further than its parent; with no
    line indented by 200 spaces or more, the counts of those characters bound
    the depth.
    """
    if len(text) >= 2 * MAX_NODES:
        return False
    if "!" in text and _NON_SPECIFIC_TAG.search(text) or "&" in text and _ANCHOR.search(text):
        return False
    if len(text) <= SAFE_DEPTH_BOUND:
        return True
    if _DEEP_INDENT.search(text):
        return False
    flow = text.count("[") + text.count("{")
    return 2 * 200 + flow + text.count("-") + text.count("?") <= SAFE_DEPTH_BOUND


def _fast_load(doc: Document) -> bool:
    """Read *doc* through libyaml's composer; False when it must take the careful road instead.

    The careful road (:class:`_Composer`) gives the same values and positions
    and the exact diagnostics: anything unusual (an error, an alias, a tag, a
    duplicate key, deep nesting, no document) is left to it.
    """
    if not _suits_fast_road(doc.text):
        return False
    try:
        root = yaml.compose(doc.text, Loader=_FastLoader)
        if root is None:
            return False
        doc.data = _node_value(root, 0)
    except Exception:  # noqa: BLE001 - whatever goes wrong, the careful road reports it exactly
        return False
    return True


def _node_value(node: yaml.Node, depth: int) -> Any:
    """The plain value of *node*; raises :class:`_Careful` where the careful road must decide."""
    kind = type(node)
    if kind is yaml.ScalarNode:
        return _scalar_node_value(cast(yaml.ScalarNode, node))  # `type(node) is` does not narrow
    if (node.tag != _IMPLICIT and node.tag not in _ALLOWED_TAGS) or depth >= MAX_DEPTH:
        raise _Careful
    if kind is yaml.SequenceNode:
        return [_node_value(item, depth + 1) for item in node.value]
    mapping: dict[str, Any] = {}
    for key, value in node.value:
        if type(key) is not yaml.ScalarNode or (key.tag != _IMPLICIT and key.tag not in _ALLOWED_TAGS) \
                or key.value in mapping:
            raise _Careful
        if type(value) is yaml.ScalarNode and value.tag == _IMPLICIT and (
                value.style or (not _WILDCARD and value.value[:1] not in _BY_FIRST)):
            mapping[key.value] = value.value  # most values: text, quoted or plain (no type starts so)
        else:
            mapping[key.value] = _node_value(value, depth + 1)
    return mapping


def _scalar_node_value(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    if tag == _IMPLICIT:
        if node.style:  # quoted, or a block: text
            return node.value
        tag = _resolve_plain(node.value)
    elif tag not in _ALLOWED_TAGS:
        raise _Careful
    construct = _CONSTRUCTORS.get(tag)
    if construct is None:  # str, timestamp (parsed later as a date)
        return node.value
    try:
        return construct(node)
    except (ValueError, yaml.YAMLError):
        return node.value


def _check_tag(event: yaml.Event, mark: Mark) -> None:
    tag = getattr(event, "tag", None)
    if tag is not None and tag not in _ALLOWED_TAGS:
        raise _LoadError(mark, f"YAML tag `{tag.replace(_YAML, '!!')}` is not allowed: dossier files hold plain text, numbers, lists and mappings")


def _scalar_value(event: yaml.ScalarEvent) -> Any:
    tag = event.tag
    if tag is None:
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    construct = _CONSTRUCTORS.get(tag)
    if construct is None:  # str, timestamp (parsed later as a date) and "!"
        return event.value
    try:
        return construct(yaml.ScalarNode(tag, event.value))
    except (ValueError, yaml.YAMLError):
        return event.value


def load_text(path: str, text: str, report: Report) -> Document | None:
    """Parse *text* (the content of *path*); on failure add a located error to *report*."""
    doc = Document(path, text)
    if _fast_load(doc):
        return doc
    composer = _Composer(doc)
    try:
        _compose_events(composer, text)
    except _LoadError as exc:
        report.add(path, exc.mark[0], exc.mark[1], exc.message)
        return None
    except yaml.MarkedYAMLError as exc:
        line, column, message = _syntax_message(exc, text, composer.line_starts)
        report.add(path, line, column, message)
        return None
    except yaml.reader.ReaderError as exc:
        index = exc.position
        if _Loader is not yaml.SafeLoader:  # libyaml counts bytes here, PyYAML's own reader characters
            index = len(text.encode("utf-8")[:index].decode("utf-8", errors="ignore"))
        line, column = position_of(composer.line_starts, index)
        report.add(path, line, column, f"YAML syntax error: control character U+{exc.character:04X} is not allowed; remove it")
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        report.add(path, 1, 1, f"YAML error: {exc}")
        return None
    return doc


_LIBRARY_LIMIT = re.compile(r"maximum|too (deep|long|many)|nesting", re.IGNORECASE)
"""A YAML library's own limit (libyaml 0.2.6: ``exceeded maximum nesting depth``), not a syntax error."""


def _compose_events(composer: _Composer, text: str) -> None:
    """Feed *composer* the events of *text*; our limits fire first, whatever the YAML library's own.

    libyaml may stop on a limit of its own before it hands over the events
    that would trip ours (0.2.6 refuses 1,000 levels, and scans up to 1,024
    characters ahead for a flow key, so a line of brackets fails there rather
    than at level 65). Such a file is read again up to where libyaml stopped:
    the text ends there, so libyaml hands over every event before it, and the
    composer stops at our limit, at the right place. Failing that, PyYAML's
    pure-Python parser, which has no such limit, reads the whole file (a
    limit it might gain one day is still reported as ours).
    """
    try:
        for event in yaml.parse(text, Loader=_Loader):
            composer.feed(event)
        return
    except yaml.MarkedYAMLError as exc:
        if _Loader is yaml.SafeLoader or not _LIBRARY_LIMIT.search(exc.problem or "") or exc.problem_mark is None:
            raise
        cut = exc.problem_mark.index
    try:
        _Composer.__init__(composer, composer.doc)  # start again on a clean slate
        for event in yaml.parse(text[:cut], Loader=_Loader):
            composer.feed(event)
    except yaml.YAMLError:
        pass  # the shortened text gives no verdict: read the whole file in Python
    _Composer.__init__(composer, composer.doc)
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            composer.feed(event)
    except yaml.MarkedYAMLError as exc:
        if not _LIBRARY_LIMIT.search(exc.problem or ""):
            raise
        mark = exc.problem_mark
        where = position_of(composer.line_starts, min(mark.index, len(text))) if mark else (1, 1)
        raise _LoadError(where, f"nesting deeper than {MAX_DEPTH} levels") from None


_WIKI_LINK_VALUE = re.compile(r"^\s*(?:-\s+)*(?:[^\s#'\"\[{][^:#]*:\s+)?\[\[[^\[\]\n]+\]\]")
"""A line whose value starts with a ``[[id]]`` link, unquoted."""


def _syntax_message(exc: yaml.MarkedYAMLError, text: str, starts: list[int]) -> tuple[int, int, str]:
    mark = exc.problem_mark or exc.context_mark
    line, column = position_of(starts, min(mark.index, len(text))) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    message = f"YAML syntax error: {problem}"
    if exc.context:
        message += f" ({exc.context}"
        context_line = position_of(starts, min(exc.context_mark.index, len(text)))[0] if exc.context_mark else line
        if context_line != line:
            message += f" at line {context_line}"
        message += ")"
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in source_line[:len(source_line) - len(source_line.lstrip())]:
        message += "; a tab cannot indent YAML: use spaces"
    elif _WIKI_LINK_VALUE.match(source_line):
        message += "; a text that starts with `[[` must be quoted, or YAML reads a list"
    else:
        from .yaml_hints import syntax_hint  # only for a file with a syntax error

        message += syntax_hint(problem, source_line)
    return line, column, message


class ParsedMemo(Protocol):
    """Documents parsed before, by name and text (``dossier serve``: :class:`generator.incremental.dossier_memo.DossierMemo`)."""

    def parsed(self, key: tuple[str, str]) -> Document | None: ...

    def keep_parsed(self, key: tuple[str, str], document: Document) -> None: ...

    def validated(self, key: tuple) -> Any: ...

    def keep_validated(self, key: tuple, entity: Any) -> None: ...

    def remembered(self, key: tuple, make: Callable[[], Any]) -> Any: ...


PARSED: list[ParsedMemo] = []
"""While ``dossier serve`` checks: where a file whose name and text are unchanged finds its document (never mutated)."""


def remembered(key: tuple, make: Callable[[], Any]) -> Any:
    """``make()``; while ``dossier serve`` checks (:data:`PARSED`), what it gave for the same *key* at the last
    rebuild or this one: for a pure function of *key* (a source's normal form, where a quote stands in it)."""
    return PARSED[0].remembered(key, make) if PARSED else make()


def read_yaml(path: Path, report: Report, display: str | None = None) -> Document | None:
    """Read and parse the YAML file *path*; problems go to *report* under *display*."""
    name = display or str(path)
    text = read_utf8(path, name, report)
    if text is None:
        return None
    if not text.strip():
        report.add(name, 1, 1, "the file is empty")
        return None
    if not PARSED:
        return load_text(name, text, report)
    document = PARSED[0].parsed((name, text))
    if document is None:
        before = len(report.diagnostics)
        document = load_text(name, text, report)
        if document is not None and len(report.diagnostics) == before:
            PARSED[0].keep_parsed((name, text), document)
    return document


def read_utf8(path: Path, name: str, report: Report) -> str | None:
    """The text of the file *path*, decoded as UTF-8; or None, with the reason in *report* under *name*."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        report.add(name, 1, 1, f"cannot read the file: {exc.strerror or exc}")
        return None
    return decode_utf8(name, raw, report)


def decode_utf8(name: str, raw: bytes, report: Report) -> str | None:
    """*raw* decoded as UTF-8 (a byte-order mark is dropped), or a located error."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", errors="replace").lstrip("\ufeff")) + 1
        report.add(name, line, column, f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8")
        return None
