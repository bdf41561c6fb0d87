"""The PDF tests' sample: the data of a small dossier of their own, made by the tool's own code path.

``tests/fixtures/pdf-sample/`` is a dossier that prints every part of a
briefing: a previous edition (the changes), key judgments with an assumption,
a translation and a disputed claim, two questions (hypotheses, likelihoods,
the evidence matrix and where it disagrees with them, indicators, an answer),
two meetings, actors of each kind, three sources, the timeline and the
network. :func:`sample` is its data as :func:`generator.pdf.data.pdf_data`
gives it to Typst (``dossier pdf`` goes the same way), :func:`network` its
network figure: a key the tool adds, renames or drops reaches the template's
tests at once, and there is no hand-written sample to drift from the tool.

The previous edition, ``editions/2023-09-18.json``, is the export of the same
dossier three days earlier (:func:`previous_edition`: no Kremlin source yet,
the second key judgment of moderate confidence, the Putin question open,
Lavrov without his claim). ``tests/test_pdf_shape.py`` checks that the
committed file is still what the tool exports; refresh it with
``.venv/bin/python tests/pdf_sample.py``.
"""

from __future__ import annotations

import functools
import json
import shutil
import sys
import tempfile
from pathlib import Path

from generator.core.link import Linked
from generator.exchange.export import export_json
from generator.pdf.data import pdf_data
from generator.pipeline.stages import prepare
from generator.render.graph import network_svg

FOLDER = Path(__file__).resolve().parent / "fixtures" / "pdf-sample"
PREVIOUS = FOLDER / "editions" / "2023-09-18.json"
REFRESH = ".venv/bin/python tests/pdf_sample.py"

EARLIER = {
    "dossier.yaml": [("as_of: 2023-09-21", "as_of: 2023-09-18"), ("previous: editions/2023-09-18.json\n", ""),
                     ("    confidence: high\n    why_changed: Le communiqué russe, publié depuis, le dit en toutes "
                      "lettres.\n", "    confidence: moderate\n"),
                     ("      - kremlin-2023-09-20: the President of Russia will visit China in October\n"
                      "        translation: le président russe se rendra en Chine en octobre\n", "")],
    "questions/visite-poutine-octobre.yaml": [("status: answered", "status: open")],
}
"""The earlier edition: (text, replacement) in each file of this one (and see :func:`previous_edition`)."""


@functools.cache
def linked() -> Linked:
    """The sample dossier, checked and linked (no error, or the tests would test nothing)."""
    (one,), report = prepare(FOLDER)
    assert not report.errors, report.lines()
    return one


@functools.cache
def _data_text() -> str:
    return json.dumps(pdf_data(linked()), ensure_ascii=False)


def sample() -> dict:
    """The sample's PDF data (a new copy each time: tests change it)."""
    return json.loads(_data_text())


def network() -> str:
    """The sample's network figure, as the PDF embeds it."""
    return network_svg(linked(), None)


def previous_edition() -> str:
    """The export of the sample's earlier edition (see :data:`EARLIER`), as ``dossier export`` writes it."""
    with tempfile.TemporaryDirectory(prefix="pdf-sample-") as tmp:
        folder = Path(tmp) / FOLDER.name  # the same folder name: the same dossier id
        shutil.copytree(FOLDER, folder, ignore=shutil.ignore_patterns("editions"))
        for name, edits in EARLIER.items():
            text = (folder / name).read_text(encoding="utf-8")
            for old, new in edits:
                assert old in text, f"{name}: no longer has {old!r}: change EARLIER in {__file__}"
                text = text.replace(old, new)
            (folder / name).write_text(text, encoding="utf-8")
        for gone in ("sources/kremlin-2023-09-20.yaml", "sources/kremlin-2023-09-20.txt"):
            (folder / gone).unlink()
        question = folder / "questions" / "visite-poutine-octobre.yaml"
        question.write_text(question.read_text(encoding="utf-8").split("answer:")[0], encoding="utf-8")
        lavrov = folder / "actors" / "sergei-lavrov.yaml"
        lavrov.write_text(lavrov.read_text(encoding="utf-8").split("claims:")[0], encoding="utf-8")
        (earlier,), report = prepare(folder)
        assert not report.errors, report.lines()
        return export_json(earlier)


if __name__ == "__main__":
    PREVIOUS.parent.mkdir(exist_ok=True)
    PREVIOUS.write_text(previous_edition(), encoding="utf-8")
    print(f"wrote {PREVIOUS}", file=sys.stderr)
