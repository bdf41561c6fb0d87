"""The render stage on two cores gives the very pages one process gives, in the same order."""

from __future__ import annotations

import os
import sys

import pytest

from generator.pipeline.parallel import in_two
from generator.pipeline.stages import prepare, site_pages

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import make_dossier


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the second process is forked")
def test_two_processes_render_the_pages_one_process_renders(tmp_path):
    make_dossier(40, tmp_path / "dossiers")
    linked, report = prepare(tmp_path / "dossiers")
    assert not report.errors and len(linked) == 1
    bundled, _ = prepare(ROOT / "dossiers")
    for dossiers in (linked, bundled, linked + bundled):
        serial = site_pages(dossiers, pdf=True, jobs=1)
        parallel = site_pages(dossiers, pdf=True, jobs=2)
        assert [p.src_uri for p in parallel] == [p.src_uri for p in serial]
        assert parallel == serial


def test_a_failed_second_process_is_made_up_in_the_first():
    calls = []

    def render(part):
        calls.append(part)
        if part == (1, 2) and os.getpid() != parent:
            os._exit(3)  # the forked process dies
        k, n = part
        return list(range(k, 11, n))

    parent = os.getpid()
    assert in_two(render, size=10, jobs=2) == list(range(11))
    assert (1, 2) in calls  # made again here
    assert in_two(render, size=10, jobs=1) == list(range(11))
