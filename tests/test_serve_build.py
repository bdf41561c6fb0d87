"""``dossier serve``'s MkDocs build keeps what rebuilds share, and the folder is still a clean build's.

Each test builds a copy of the project in-process (:class:`SiteBuilder`, no
server): what is kept from one rebuild to the next (the theme's file list,
the static templates, each page's ``File``, the published files left as they
are) is kept only while what it is made from is the same, and the folder
after each rebuild holds the bytes of a first build of the same files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import mkdocs
import pytest
from test_incremental import ACTOR, EDITS, SERVE_URL, assert_same_tree, clean_build

from generator.publish import serve_build
from generator.publish.serve import SiteBuilder

from conftest import DOSSIER, ROOT, copy_project

NEW_ACTOR = f"dossiers/{DOSSIER}/actors/nouvel-acteur.yaml"


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def written(path: Path) -> tuple[int, int]:
    """When and where *path* was last written (a rewrite changes the first)."""
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_ino


def builder(project: Path, served: Path) -> SiteBuilder:
    site = SiteBuilder(str(project / "mkdocs.yml"), str(served), SERVE_URL)
    assert site.build()
    return site


def test_the_static_templates_are_drawn_again_only_when_a_page_s_address_or_date_changed(project, tmp_path):
    served = tmp_path / "served"
    site = builder(project, served)
    before = {name: written(served / name) for name in ("sitemap.xml", "sitemap.xml.gz", "404.html")}
    dict(EDITS)["a claim text"](project)  # one page's text: no address, no date, no navigation changed
    assert site.build()
    assert {name: written(served / name) for name in before} == before
    assert_same_tree(served, clean_build(project, tmp_path / "clean-text"))
    dict(EDITS)["a new actor"](project)
    assert site.build()
    assert written(served / "sitemap.xml") != before["sitemap.xml"]
    assert f"{SERVE_URL}{DOSSIER}/actors/nouvel-acteur/" in (served / "sitemap.xml").read_text(encoding="utf-8")
    assert_same_tree(served, clean_build(project, tmp_path / "clean-actor"))
    (served / "404.html").unlink()  # a file gone from the folder is drawn again, whatever the key says
    assert site.build()
    assert_same_tree(served, clean_build(project, tmp_path / "clean-404"))


def test_a_dossier_s_published_files_are_written_again_only_when_they_changed(project, tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synth import make_dossier

    other = make_dossier(12, project / "dossiers").name
    served = tmp_path / "served"
    site = builder(project, served)
    theirs, ours = served / other / f"{other}.json", served / DOSSIER / f"{DOSSIER}.json"
    before = written(theirs), written(ours)
    dict(EDITS)["a renamed title"](project)
    assert site.build()
    assert written(theirs) == before[0], "the export of the dossier not edited was written again"
    assert written(ours) != before[1]
    assert "Wang Yi (modifié)" in ours.read_text(encoding="utf-8")
    theirs.unlink()
    assert site.build()
    assert_same_tree(served, clean_build(project, tmp_path / "clean"))


def test_each_page_keeps_its_file_while_mkdocs_yml_is_the_same(project, tmp_path):
    site = builder(project, tmp_path / "served")
    page = f"{DOSSIER}/index.md"
    first = site.store.files[page]
    dict(EDITS)["a quote"](project)
    assert site.build()
    assert site.store.files[page] is first
    assert first.page is not None and first.page.file is first  # a new page of this build, on the kept file
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    assert site.build()
    assert site.store.files[page] is not first
    assert_same_tree(tmp_path / "served", clean_build(project, tmp_path / "clean"))


def test_a_kept_file_s_page_is_a_copy_of_the_one_mkdocs_made_for_it_not_made_again(project, tmp_path, monkeypatch):
    from mkdocs.structure.pages import Page

    site = builder(project, tmp_path / "served")
    page = next(uri for uri in site.store.files if uri.startswith(f"{DOSSIER}/actors/") and not uri.endswith("index.md"))
    file = site.store.files[page]
    made_then = dict(site.kept.pages[id(file)][2])
    made = []
    original = Page.__init__
    monkeypatch.setattr(Page, "__init__", lambda self, *args, **kwargs: (made.append(args[1].src_uri),
                                                                          original(self, *args, **kwargs))[1])
    dict(EDITS)["a quote"](project)
    assert site.build()
    assert file.reused, "the page chosen must be one the edit leaves as it was"
    assert page not in made, "the page of a kept file was made again"
    assert made, "the pages of the navigation are MkDocs' own, made on every build"
    copy = file.page
    assert copy is not None and copy.file is file and copy.url == file.url
    fresh = object.__new__(Page)
    original(fresh, None, file, site.load_config())
    fresh.update_date = copy.update_date  # the plugin sets the dossier's date on every page it keeps
    assert {name: value for name, value in vars(fresh).items() if name not in ("markdown", "meta")} == \
        {name: value for name, value in vars(copy).items() if name not in ("markdown", "meta")}
    assert copy.toc is not made_then["toc"] and copy.meta is not made_then["meta"]  # its own lists, not shared
    assert_same_tree(tmp_path / "served", clean_build(project, tmp_path / "clean"))


def test_a_file_added_to_the_theme_s_custom_folder_is_in_the_next_rebuild(project, tmp_path):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  name: material\n",
                                                                 "  name: material\n  custom_dir: overrides\n", 1),
                      encoding="utf-8")
    (project / "overrides").mkdir()
    served = tmp_path / "served"
    site = builder(project, served)
    assert not (served / "assets/extra.txt").exists()
    (project / "overrides/assets").mkdir()
    (project / "overrides/assets/extra.txt").write_text("added while serving\n", encoding="utf-8")
    assert site.build()
    assert (served / "assets/extra.txt").read_text(encoding="utf-8") == "added while serving\n"
    assert_same_tree(served, clean_build(project, tmp_path / "clean"))


def test_under_another_mkdocs_release_the_rebuild_is_mkdocs_own(project, tmp_path, monkeypatch):
    calls = []
    own = serve_build.cached_build
    monkeypatch.setattr(serve_build, "cached_build", lambda config, **kw: (calls.append(config), own(config, **kw)))
    site = builder(project, tmp_path / "served")
    assert calls == []
    monkeypatch.setattr(mkdocs, "__version__", "1.7.0")
    (project / ACTOR).write_text((project / ACTOR).read_text(encoding="utf-8").replace(
        "name: Wang Yi\n", "name: Wang Yi (modifié)\n", 1), encoding="utf-8")
    assert site.build()
    assert len(calls) == 1
    page = tmp_path / "served" / DOSSIER / "actors/wang-yi/index.html"
    assert "Wang Yi (modifié)" in page.read_text(encoding="utf-8")


def test_a_dossier_folder_s_digest_sees_every_file_below_it_and_no_linked_folder(tmp_path):
    from generator.incremental.dossier_memo import folder_digest

    folder, elsewhere = tmp_path / "dossier", tmp_path / "elsewhere"
    (folder / "sources" / "deep").mkdir(parents=True)
    elsewhere.mkdir()
    (folder / "sources" / "deep" / "a.txt").write_text("one", encoding="utf-8")
    (folder / "linked").symlink_to(elsewhere, target_is_directory=True)
    first = folder_digest(folder)
    (elsewhere / "b.txt").write_text("not the dossier's", encoding="utf-8")
    assert folder_digest(folder) == first
    (folder / "sources" / "deep" / "a.txt").write_text("two", encoding="utf-8")
    assert folder_digest(folder) != first
    (folder / "sources" / "deep" / "a.txt").rename(folder / "sources" / "a.txt")
    moved = folder_digest(folder)
    assert moved != first and moved == folder_digest(folder, {})


def test_the_installed_themes_and_plugins_are_listed_once_per_builder(project, tmp_path, monkeypatch):
    """MkDocs reads every installed package's entry points when it loads ``mkdocs.yml``; the builder lists the
    themes and plugins at its first build and gives MkDocs the same lists after (MkDocs' own functions restored)."""
    import mkdocs.plugins
    import mkdocs.utils

    site = builder(project, tmp_path / "served")
    originals = mkdocs.utils.get_themes, mkdocs.plugins.get_plugins
    asked = []
    monkeypatch.setattr(mkdocs.utils, "entry_points", lambda **kw: asked.append(kw) or pytest.fail("listed again"))
    monkeypatch.setattr(mkdocs.plugins, "entry_points", lambda **kw: asked.append(kw) or pytest.fail("listed again"))
    dict(EDITS)["a claim text"](project)
    config = site.load_config()
    assert config.theme.name == "material" and sorted(config.plugins) == ["dossiers", "material/search"]
    assert site.build()
    assert not asked
    assert (mkdocs.utils.get_themes, mkdocs.plugins.get_plugins) == originals
    assert_same_tree(tmp_path / "served", clean_build_listing(project, tmp_path / "clean", monkeypatch))


def clean_build_listing(project: Path, folder: Path, monkeypatch) -> Path:
    monkeypatch.undo()  # a fresh builder lists them itself
    return clean_build(project, folder)
