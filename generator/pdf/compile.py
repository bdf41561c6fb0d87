"""Typeset the PDF briefing with Typst.

The dossier reaches Typst only as data: ``data.json`` (and ``network.svg``)
sit in a temporary folder next to ``template.typ`` and a two-line
``main.typ`` that calls the template on them. No text of the dossier is ever
written into Typst source, so nothing an analyst types can run as Typst code.

``typst`` (a native module) is imported only when a PDF is typeset: a site
built without PDFs, or ``mkdocs serve``, never loads it.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from generator.core.errors import OutputError
from generator.core.kinds import shown_folders
from generator.core.words import quote_marks
from generator.pdf.data_typography import typography
from generator.pdf.runs import parts_present, run_starts, weights

if TYPE_CHECKING:
    import typst

__all__ = ["TEMPLATE_PATH", "PdfError", "compile_files", "compile_pdf", "typst_source_files"]

TEMPLATE_PATH = Path(__file__).with_name("template.typ")
"""The print design (see its header for the data it reads)."""

MAIN_FILE = "main.typ"
"""The file Typst compiles: it only imports the template and calls it."""

# The two possible main files. They are constant: data is never written into them.
_MAIN_WITH_NETWORK = (
    '#import "template.typ": briefing\n'
    '#briefing(json("data.json"), network: read("network.svg", encoding: none))\n'
)
_MAIN_WITHOUT_NETWORK = '#import "template.typ": briefing\n#briefing(json("data.json"))\n'


class PdfError(OutputError):
    """Typst could not typeset the briefing (a template or tool problem, not the input)."""


def typst_source_files(data: Mapping[str, Any], network_svg: str | None) -> dict[str, bytes]:
    """Every file of the Typst project, by name: compile ``main.typ`` among them.

    The strings of *data* get their print typography here (:mod:`.typography`),
    ``document`` keeps the title and authors as given, for the PDF's metadata,
    and ``page_runs`` names the parts that start a run of pages (:mod:`.runs`)
    unless *data* names them.

    A benchmark can write these to a folder and run ``typst compile main.typ``
    to typeset exactly what :func:`compile_pdf` does.
    """
    printed = dict(data, document={"title": data.get("title", ""), "authors": data.get("authors") or []})
    # One walk through the data: print typography, and references settled (reference_settler).
    printed = typography(printed, data.get("lang", "fr"), finish=reference_settler(printed))
    number_citations(printed)
    files = {
        MAIN_FILE: (_MAIN_WITH_NETWORK if network_svg else _MAIN_WITHOUT_NETWORK).encode("utf-8"),
        "template.typ": TEMPLATE_PATH.read_bytes(),
        "data.json": data_json(printed, bool(network_svg)),
    }
    if network_svg:
        files["network.svg"] = network_svg.encode("utf-8")
    return files


def data_json(printed: dict, network: bool) -> bytes:
    """``data.json`` as written for the template, with the ``parts`` it prints in their order and
    ``page_runs``, unless *printed* has them: sorted keys, UTF-8, no ASCII escapes, no spaces.

    Written by orjson (a large dossier's data is tens of megabytes, which the
    standard library's encoder takes about eight times longer to write), each
    top-level value once: the sizes of the sections' JSON choose the runs.
    """
    dumped = {key: orjson.dumps(value, option=orjson.OPT_SORT_KEYS) for key, value in printed.items()}
    parts = parts_present(printed, network)
    dumped.setdefault("parts", orjson.dumps(parts))
    if "page_runs" not in dumped:
        dumped["page_runs"] = orjson.dumps(run_starts(parts, weights(printed, dumped)))
    return b"{" + b",".join(orjson.dumps(key) + b":" + dumped[key] for key in sorted(dumped)) + b"}"


def number_citations(data: dict) -> None:
    """Set ``first`` and ``n`` on every CITE of *data*, in the template's document order.

    The order is the template's, the parts' (:data:`.runs.PARTS`): the key judgments
    (in the summary); each question's hypotheses, matrix, answer and claims; each
    meeting's claims; each actor's roles and claims.
    A key's first occurrence (``first``) makes a footnote and takes the next
    number; later ones print that number again. A CITE without a key is always
    a footnote of its own.
    """
    numbers: dict[str, int] = {}
    count = 0
    for cites in _cites_in_order(data):
        for cite in cites or ():
            key = cite.get("key", "")
            cite["first"] = not key or key not in numbers
            if cite["first"]:
                count += 1
                numbers[key] = count
            cite["n"] = count if cite["first"] else numbers[key]


_CLAIM_KEYS = {"questions": ("answer", "claims"), "meetings": ("claims",), "actors": ("claims",)}
"""The keys of an entity (by its list) whose claims the template prints, each after the anchor of its ``label``."""

_TEMPLATE_LABELS = ("briefing-end",)
"""The labels the template places of its own (see ``gate``): no link jumps to them."""


def reference_settler(data: dict) -> Callable[[dict], None]:
    """Settle in advance what the template would otherwise ask Typst at every link and footnote.

    The function returned is given each dictionary of the data (on the print
    typography's walk, :func:`typst_source_files`). A link's ``target`` (an
    INLINES ``ref``, a FACTREF, a change, a sourcing or an assumption's item)
    and a CITE's ``source_anchor`` that is not a label the template places
    exactly once (:func:`printed_labels`), or that is one of the template's
    own, is emptied, so that the template prints the text without a link,
    instead of failing the compilation on a label that is missing or placed
    twice, or querying the document for the label at each link; and every
    CITE gets ``quoted``, its quote in the document's quotation marks, instead
    of a ``context`` reading the text language in each footnote.
    """
    counts = printed_labels(data) | dict.fromkeys(_TEMPLATE_LABELS, 0)  # no link to the template's own
    marks = quote_marks(str(data.get("lang", "fr")))

    def settle(value: dict) -> None:
        if "target" in value and counts.get(value["target"]) != 1:
            value["target"] = ""
        if "quote" in value and "source_title" in value:
            value["quoted"] = f"{marks[0]}{value.get('quote') or ''}{marks[1]}"
            if counts.get(value.get("source_anchor")) != 1:
                value["source_anchor"] = ""

    return settle


def printed_labels(data: dict) -> dict[object, int]:
    """How many times the template places each label when it prints *data* (looked up with any JSON value).

    The labels of the parts it prints (``parts``, else :func:`.runs.parts_present`):
    each entity heading's ``anchor``, and the ``label`` of each claim it prints
    (the key judgments, the questions' answers and the claims of the questions,
    meetings and actors), with the template's own.
    """
    counts: dict[object, int] = dict.fromkeys(_TEMPLATE_LABELS, 1)

    def count(name: object) -> None:
        if isinstance(name, str) and name:  # the template places no label for any other value
            counts[name] = counts.get(name, 0) + 1

    parts = data.get("parts")
    for part in parts if isinstance(parts, list) else parts_present(data, network=False):
        if part == "summary":
            _count_claims(data.get("key_judgments"), count)
        elif part in shown_folders():  # the lists whose items get an entity heading labelled with their anchor
            for item in data.get(part) or ():
                if isinstance(item, dict):
                    count(item.get("anchor"))
                    for key in _CLAIM_KEYS.get(part, ()):
                        claims = item.get(key)
                        _count_claims([claims] if isinstance(claims, dict) else claims, count)
    return counts


def _count_claims(claims: object, count: Callable[[object], None]) -> None:
    for claim in claims if isinstance(claims, list) else ():
        if isinstance(claim, dict):
            count(claim.get("label"))


def _cites_in_order(data: dict):
    """Every list of CITEs of *data*, in the order the template prints them (its parts' order)."""
    for part in parts_present(data, network=False):
        cites_of = _PART_CITES.get(part)
        if cites_of is not None:
            yield from cites_of(data)


def _summary_cites(data: dict):
    yield from _claims_cites(data.get("key_judgments"))


def _question_cites(data: dict):
    for question in data.get("questions") or ():
        for hypothesis in question.get("hypotheses") or ():
            yield hypothesis.get("cites")
            yield hypothesis.get("against")
        yield [row["cite"] for row in (question.get("matrix") or {}).get("rows", ())]
        if question.get("answer"):
            yield from _claims_cites([question["answer"]])
        yield from _claims_cites(question.get("claims"))


def _meeting_cites(data: dict):
    for meeting in data.get("meetings") or ():
        yield from _claims_cites(meeting.get("claims"))


def _actor_cites(data: dict):
    for actor in data.get("actors") or ():
        yield from (role.get("cites") for role in actor.get("roles") or ())
        yield from _claims_cites(actor.get("claims"))


_PART_CITES = {"summary": _summary_cites, "questions": _question_cites, "meetings": _meeting_cites,
               "actors": _actor_cites}
"""The parts that print CITEs, each with its CITE lists in print order."""


def _claims_cites(claims):
    """The CITE lists of *claims*: each claim's own, then those that dispute it."""
    for claim in claims or ():
        yield claim.get("cites")
        yield claim.get("disputed_by")


def compile_pdf(
    data: Mapping[str, Any],
    network_svg: str | None,
    *,
    font_paths: Iterable[str] = (),
    timestamp: int | None = None,
) -> bytes:
    """The PDF briefing of *data* (the template's JSON), as bytes.

    *network_svg* is the network figure (an SVG document) or None to leave the
    figure out. *font_paths* adds font folders to Typst's embedded fonts (system
    fonts are ignored so that the output does not depend on the machine), and
    *timestamp* (UNIX seconds) fixes the creation date for reproducible output.
    Raises :class:`PdfError` when Typst fails.
    """
    return compile_files(typst_source_files(data, network_svg), font_paths=font_paths, timestamp=timestamp)


def compile_files(files: dict[str, bytes], *, font_paths: Iterable[str] = (), timestamp: int | None = None) -> bytes:
    """The PDF of the Typst project *files* (from :func:`typst_source_files`); see :func:`compile_pdf`."""
    import typst  # a native module (the Typst compiler): only when a PDF is typeset

    with tempfile.TemporaryDirectory(prefix="dossier-pdf-") as tmp:
        for name, content in files.items():
            (Path(tmp) / name).write_bytes(content)
        try:
            return typst.compile(
                str(Path(tmp) / MAIN_FILE),
                root=tmp,
                font_paths=[str(p) for p in font_paths],
                ignore_system_fonts=True,
                timestamp=timestamp,
            )
        except typst.TypstError as exc:
            raise PdfError(_describe(exc, Path(tmp))) from exc


def _describe(exc: typst.TypstError, tmp: Path) -> str:
    """A readable message from a Typst error: what failed, then where (in the template)."""
    message = str(getattr(exc, "message", "") or exc).strip()
    parts = [f"Typst could not typeset the PDF briefing: {message}"]
    diagnostic = str(getattr(exc, "diagnostic", "") or "").strip()
    if diagnostic:
        parts.append(diagnostic)
    parts += [f"hint: {hint}" for hint in getattr(exc, "hints", None) or []]
    # The temporary folder means nothing to the reader: show paths relative to it.
    return re.sub(r"[^\s\"']*" + re.escape(tmp.name) + r"[/\\]", "", "\n".join(parts))
