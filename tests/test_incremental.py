"""``dossier serve`` rebuilds page by page and ``dossier build`` keeps a cache: the bytes never differ from a clean build.

Each test builds a copy of the project in-process (no server, no timing):
after every kind of edit, the folder the live preview serves holds exactly
the files, byte for byte, of a first build of the same files; a cached build
is the same as one without a cache, and a damaged cache is only a miss.
"""

from __future__ import annotations

import filecmp
import json
import sys
from pathlib import Path

import pytest

from generator.publish.mkdocs_run import CACHE_FOLDER, build_site
from generator.publish.serve import SiteBuilder

from conftest import DOSSIER, ROOT, copy_project, served_pages

SERVE_URL = "http://127.0.0.1:8123/"
ACTOR = f"dossiers/{DOSSIER}/actors/wang-yi.yaml"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under *folder* (relative path -> bytes)."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def assert_same_tree(built: Path, clean: Path) -> None:
    got, want = tree(built), tree(clean)
    assert sorted(got) == sorted(want), (sorted(set(got) - set(want))[:5], sorted(set(want) - set(got))[:5])
    differing = [name for name in want if got[name] != want[name]]
    assert not differing, f"{len(differing)} files differ from a clean build, e.g. {differing[:5]}"
    empty = [p for p in built.rglob("*") if p.is_dir() and not any(p.iterdir())]
    assert not empty, f"empty folders left behind: {empty[:3]}"


def clean_build(project: Path, folder: Path) -> Path:
    """A first build of *project* into *folder*, by a builder that has built nothing before."""
    builder = SiteBuilder(str(project / "mkdocs.yml"), str(folder), SERVE_URL)
    assert builder.build()
    return folder


def edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{relative} lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = [
    ("a claim text", lambda p: edit(p, ACTOR, "Fin 2022, [[wang-yi]] a démissionné", "À la fin de 2022, [[wang-yi]] a démissionné")),
    ("a quote", lambda p: edit(p, ACTOR, '"a été rappelé en tant que ministre des Affaires étrangères en juillet"',
                               '"a été rappelé en tant que ministre des Affaires étrangères"')),
    ("a new actor", lambda p: (p / f"dossiers/{DOSSIER}/actors/nouvel-acteur.yaml").write_text(
        "name: Nouvel acteur\nkind: person\nsummary: Cité avec [[wang-yi]].\n", encoding="utf-8")),
    ("a renamed title", lambda p: edit(p, ACTOR, "name: Wang Yi\n", "name: Wang Yi (modifié)\n")),
    ("a deleted file", lambda p: (p / f"dossiers/{DOSSIER}/actors/nouvel-acteur.yaml").unlink()),
]


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def changed_paths(before: dict[str, bytes], after: dict[str, bytes], folder: Path) -> list[str]:
    """What the system's file events would name for the change from *before* to *after* (trees of *folder*)."""
    return [str(folder / name) for name in sorted(before.keys() | after.keys()) if before.get(name) != after.get(name)]


@pytest.mark.parametrize("library, events", [(False, False), (True, False), (True, True)],
                         ids=["one dossier", "a library of two", "a library of two, with the server's file events"])
def test_serve_rebuilds_after_each_kind_of_edit_give_a_clean_builds_bytes(project, tmp_path, library, events):
    if library:  # a second dossier, never edited: checked, linked and rendered once
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from synth import make_dossier

        make_dossier(12, project / "dossiers")
    served = tmp_path / "served"
    builder = SiteBuilder(str(project / "mkdocs.yml"), str(served), SERVE_URL)
    assert builder.build()
    total = len(builder.store.pages)
    assert total > 40
    if events:  # as under the server: only the folders the events name are walked again
        builder.events = set()
    for step, (kind, apply) in enumerate(EDITS):
        before = tree(project / "dossiers")
        apply(project)
        if events:
            builder.noted(*changed_paths(before, tree(project / "dossiers"), project / "dossiers"))
        assert builder.build(), kind
        assert 0 < builder.rendered < total, f"{kind}: {builder.rendered} of {total} pages rendered again"
        assert builder.memo.reused == len(list((project / "dossiers").iterdir())) - 1, kind  # all but the edited one
        assert_same_tree(served, clean_build(project, tmp_path / f"clean-{step}"))
    assert "Wang Yi (modifié)" in (served / DOSSIER / "actors/wang-yi/index.html").read_text(encoding="utf-8")
    assert not (served / DOSSIER / "actors/nouvel-acteur").exists()


def test_a_bad_edit_builds_nothing_and_the_next_good_one_recovers(project, tmp_path):
    served = tmp_path / "served"
    builder = SiteBuilder(str(project / "mkdocs.yml"), str(served), SERVE_URL)
    assert builder.build()
    before = tree(served)
    actor = project / ACTOR
    original = actor.read_text(encoding="utf-8")
    actor.write_text("name: [Wang Yi\nkind: person\n", encoding="utf-8")
    assert builder.build() is False
    assert builder.failing is not None
    assert [d.path for d in builder.failing.errors] == [str(project / ACTOR)]
    assert tree(served) == before, "a bad edit changed the served site"
    actor.write_text(original.replace("name: Wang Yi\n", "name: Wang Yi (modifié)\n", 1), encoding="utf-8")
    assert builder.build() and builder.failing is None
    assert_same_tree(served, clean_build(project, tmp_path / "clean"))


def build(project: Path, site: str, *, cache: bool = True, pdf: bool = False) -> Path:
    folder, _ = build_site(str(project / "mkdocs.yml"), site_dir=str(project / site), pdf=pdf, cache=cache)
    return Path(folder)


def test_cached_builds_are_byte_identical_and_skip_the_unchanged_work(project, monkeypatch):
    uncached = build(project, "uncached", cache=False, pdf=True)
    assert not (project / CACHE_FOLDER).exists()
    first = build(project, "first", pdf=True)
    manifest = json.loads((project / CACHE_FOLDER / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["pages"]) > 40 and any(key.startswith("pdf-") for key in manifest["blobs"])
    assert_same_tree(first, uncached)

    # Unchanged inputs: neither the check nor Typst runs again, and the bytes are the same.
    import generator.pdf.briefing
    import generator.pdf.pool
    import generator.pipeline.stages

    def fail(*args, **kwargs):
        raise AssertionError("ran again on unchanged inputs")

    with monkeypatch.context() as patch:
        patch.setattr(generator.pipeline.stages, "prepare", fail)
        patch.setattr(generator.pdf.briefing, "dossier_pdf", fail)
        patch.setattr(generator.pdf.pool, "compile_files", fail)  # the briefings typeset side by side
        second = build(project, "second", pdf=True)
    assert_same_tree(second, uncached)

    # One changed file: the dossier is checked again; the pages it changes, and only they, are rendered again.
    edit(project, ACTOR, "name: Wang Yi\n", "name: Wang Yi (modifié)\n")
    changed = build(project, "changed", pdf=True)
    assert_same_tree(changed, build(project, "changed-uncached", cache=False, pdf=True))
    assert "Wang Yi (modifié)" in (changed / DOSSIER / "actors/wang-yi/index.html").read_text(encoding="utf-8")


def test_a_damaged_cache_is_a_miss_never_a_wrong_site(project):
    build(project, "first")
    cache = project / CACHE_FOLDER
    pages = sorted((cache / "pages").iterdir())
    pages[0].write_bytes(b"<html>not what was built</html>")
    pages[1].unlink()
    for blob in (cache / "blobs").iterdir():
        blob.write_bytes(blob.read_bytes()[:-10])
    assert_same_tree(build(project, "damaged"), build(project, "uncached", cache=False))
    (cache / "manifest.json").write_bytes(b"{not json")
    assert_same_tree(build(project, "no-manifest"), build(project, "uncached-2", cache=False))
    assert filecmp.cmp(project / "damaged/index.html", project / "uncached/index.html", shallow=False)


def test_a_cached_build_shows_the_same_warnings(project, monkeypatch):
    (project / f"dossiers/{DOSSIER}/actors/nouvel-acteur.yaml").write_text(
        "name: Nouvel acteur\nkind: person\nsummary: Cité avec [[wang-yi]].\n"
        "claims:\n  - text: \"[[wang-yi]] a rencontré [[nouvel-acteur]].\"\n", encoding="utf-8")
    shown: list[list[str]] = []
    import generator.pipeline.stages

    for site in ("first", "second"):
        if site == "second":  # from the cache: the check does not run again
            monkeypatch.setattr(generator.pipeline.stages, "prepare", lambda *a, **k: pytest.fail("checked again"))
        lines: list[str] = []
        build_site(str(project / "mkdocs.yml"), site_dir=str(project / site), pdf=False,
                   show=lambda report, lines=lines: lines.extend(report.lines()))
        shown.append(lines)
    assert any(": warning: claim without citation" in line for line in shown[0]), shown
    assert shown[1] == shown[0]


def test_serve_renders_and_exports_again_only_what_an_edit_changes_and_the_same_as_a_full_render(tmp_path):
    """Within one edited dossier: each page and each entity of the export made again only when what it read
    changed (``generator.incremental.page_reads``), and every page and export the same as a render without any memo."""
    from functools import partial

    import orjson

    from generator.exchange.addresses import Addresses
    from generator.exchange.formats import published_files, served_files
    from generator.exchange.ftm import ftm_entities, ftm_lines, validated
    from generator.incremental.dossier_memo import DossierMemo
    from generator.incremental.export_parts import Made, json_export, remade
    from generator.pipeline.stages import dossier_previews, prepare, served_previews, site_pages

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from serve_latency import dossier_edits
    from synth import make_dossier

    make_dossier(100, tmp_path / "dossiers")  # at 100 two sources share a passage anchor (a memo once mixed them)
    dossier = next((tmp_path / "dossiers").iterdir())
    source = min((dossier / "sources").glob("*.txt"))
    edits = [*dossier_edits(dossier),
             ("a source's text", lambda: source.write_text(source.read_text(encoding="utf-8") + "\nUne ligne.\n",
                                                            encoding="utf-8")),
             ("the dossier's title", lambda: edit(dossier, "dossier.yaml", "title: \"", "title: \"Nouveau ")),
             ("nothing", lambda: None)]
    memo = DossierMemo()

    def published(one) -> dict[str, bytes]:  # as the plugin makes them under serve
        return served_files(one, SERVE_URL, True, partial(json_export, memo), partial(remade, memo, one))

    def rebuild() -> tuple[list, list]:
        linked, pages = served_pages(memo, tmp_path / "dossiers")
        outputs = [memo.export(one, published, (SERVE_URL,)) for one in linked], served_previews(linked, True, memo)
        memo.finish()
        return pages, outputs

    def parts() -> dict[str, list]:  # the parts kept of each output (the timeline's items: their JSON)
        return {name: list(made.parts.values()) if isinstance(made, Made) else made[1]
                for kept in memo.kept.values() for name, made in kept.parts.items()}

    pages, _ = rebuild()
    total = len(pages) - 1  # the site's home page is not the dossier's
    assert memo.rendered == total
    assert sorted(name.split(" ")[0] for name in parts()) == ["annotations", "ftm", "json", "json", "previews-bytes"]
    one = prepare(tmp_path / "dossiers")[0][0]  # the FtM lines made in parts are those of the entities in order
    addresses = Addresses(one.dossier.id, SERVE_URL)
    assert ftm_lines(one, addresses) == "".join(orjson.dumps(validated(e), option=orjson.OPT_SORT_KEYS).decode() + "\n"
                                                for e in ftm_entities(one, addresses))
    schemas = [e.schema.name for e in ftm_entities(one, addresses)]
    assert 1 < schemas.count("Position") < schemas.count("Occupancy"), "posts held by several persons, listed once"
    for kind, apply in edits:
        before = parts()
        apply()
        pages, outputs = rebuild()
        linked, _ = prepare(tmp_path / "dossiers")
        assert pages == site_pages(linked, pdf=False, jobs=1), kind
        full = [published_files(one, SERVE_URL) for one in linked], dossier_previews(linked)  # as `dossier build` makes them
        assert outputs == ([{path: text.encode() for path, text in files.items()} for files in full[0]],
                           {id_: text.encode() for id_, text in full[1].items()}), kind
        for name, made in parts().items():  # each part kept (the very object) unless what it read changed
            kept = len({id(part) for part in made} & {id(part) for part in before[name]})
            if kind == "the dossier's title":
                assert kept < len(made) / 2, (kind, name, kept, len(made))
            else:
                assert kept > len(made) * (0.8 if kind != "a source's text" else 0.5), (kind, name, kept, len(made))
        if kind == "the dossier's title":
            assert memo.rendered == len(pages) - 1, "a new title is on every page"
        elif kind == "nothing":
            assert memo.rendered == 0
        else:  # a source's text is read by every page that cites it (its label): more pages, never all
            share = 1 if kind == "a source's text" else 1 / 2
            assert 0 < memo.rendered < total * share, f"{kind}: {memo.rendered} of {total} pages rendered again"


def test_a_page_is_dirty_when_what_it_read_changed_and_only_then():
    """The record of reads: a looked-up key, a walk through a whole table, another dossier's table."""
    from generator.incremental.page_reads import ALL, Changes, ReadDict, ReadList, dirty, tracked

    actors, timeline = ReadDict("d/actors", {"a": 1, "b": 2}), ReadList("d/linked.timeline", [1, 2])
    other = ReadDict("e/actors", {"x": 1})
    page = tracked(("actors", "a"), lambda: (actors.get("b"), "z" in actors, len(timeline), other["x"]), lambda: None, "d")()
    assert page.reads == {("d/actors", "a"), ("d/actors", "b"), ("d/actors", "z"), ("d/linked.timeline", ALL), ("e/actors", "x")}
    assert actors.get("a") == 1 and not (set(actors) - {"a", "b"}), "outside a tracked page nothing is noted"

    def found(*keys, tables=()):
        return Changes(False, frozenset(keys), frozenset(tables))

    assert not dirty(page.reads, found(("d/actors", "c"), tables=["d/actors"]), "d", frozenset({"e"}))
    assert dirty(page.reads, found(("d/actors", "z"), tables=["d/actors"]), "d", frozenset({"e"}))  # a key it missed
    assert dirty(page.reads, found(tables=["d/linked.timeline"]), "d", frozenset({"e"}))
    assert dirty(page.reads, found(), "d", frozenset()), "another dossier that changed"
    assert dirty(page.reads, Changes(True, frozenset(), frozenset()), "d", frozenset({"e"}))


def test_a_dossier_folder_s_digest_reads_again_only_the_files_whose_stat_changed(tmp_path, monkeypatch):
    """``dossier serve`` hashes a dossier's files on every rebuild: an old file whose size and times are the
    same is not read again; one changed with the same size and modification time still is (its change time)."""
    import os
    import time

    from generator.incremental import dossier_memo
    from generator.incremental.dossier_memo import folder_digest

    monkeypatch.setattr(dossier_memo, "RACY", 0.0)  # the files' change times are now: trust them at once
    old = tmp_path / "actors" / "a.yaml"
    old.parent.mkdir()
    old.write_text("name: A\n", encoding="utf-8")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    known: dict = {}
    first = folder_digest(tmp_path, known)
    assert first == folder_digest(tmp_path)
    assert known[str(old)][2], "a file older than the scan is trusted while its stat is the same"
    assert folder_digest(tmp_path, known) == first
    time.sleep(0.01)
    old.write_text("name: B\n", encoding="utf-8")  # same size, its modification time set back
    os.utime(old, (hour_ago, hour_ago))
    assert folder_digest(tmp_path, known) == folder_digest(tmp_path) != first
    monkeypatch.setattr(dossier_memo, "RACY", 2.0)
    new = tmp_path / "actors" / "b.yaml"
    new.write_text("name: C\n", encoding="utf-8")
    assert folder_digest(tmp_path, known) == folder_digest(tmp_path)
    assert not known[str(new)][2], "a file changed just now is read again next time"
