"""A library built as independent jobs (the plugin's ``only``), merged by ``dossier merge``,
is the site a one-job build makes: the same files, byte for byte, and the same search entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DOSSIER, ROOT, run_dossier

EN = "putin-wang-yi-2023-09-20"


def _job_config(folder: Path, only: str) -> Path:
    """A job's mkdocs.yml: the project's, with the plugin told which dossiers this job writes."""
    config = folder / f"job-{only.split('-')[0] or 'all'}.yml"
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {ROOT / 'docs'}\nplugins:\n  - search:\n      lang: fr\n"
                      f"  - dossiers:\n      dossiers: {ROOT / 'dossiers'}\n      only: \"{only}\"\n", encoding="utf-8")
    return config


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _entries(site: Path) -> tuple[dict, list[str]]:
    data = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    return data["config"], sorted(json.dumps(entry, sort_keys=True, ensure_ascii=False) for entry in data["docs"])


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("split")
    built = {}
    for name, only in [("all", ""), ("a", "putin-*"), ("b", "wang-*")]:
        built[name] = folder / f"site-{name}"
        result = run_dossier("build", "--no-pdf", "-f", str(_job_config(folder, only)), "--site-dir", str(built[name]))
        assert result.returncode == 0, result.stderr
    result = run_dossier("merge", str(built["a"]), str(built["b"]), "-o", str(folder / "merged"))
    assert result.returncode == 0, result.stderr
    built["merged"] = folder / "merged"
    return built


def test_each_job_writes_its_own_dossiers_pages_and_the_shared_ones(sites):
    a, b = _files(sites["a"]), _files(sites["b"])
    assert f"{EN}/actors/wang-yi/index.html" in a and f"{EN}/actors/wang-yi/index.html" not in b
    assert f"{DOSSIER}/actors/wang-yi/index.html" in b and f"{DOSSIER}/actors/wang-yi/index.html" not in a
    assert f"{EN}/{EN}.json" in a and f"{EN}/{EN}.json" not in b
    for shared in ["index.html", "library/actors/wang-yi/index.html", f"{DOSSIER}/index.html", f"{EN}/actors/index.html"]:
        assert a[shared] == b[shared], shared  # the library, the home and what the navigation names: in both


def test_the_merged_site_is_the_one_job_site(sites):
    whole, merged = _files(sites["all"]), _files(sites["merged"])
    assert sorted(whole) == sorted(merged)
    differing = [name for name in whole if whole[name] != merged[name]]
    assert differing == ["search/search_index.json"]  # its entries in another order: the same entries
    config, entries = _entries(sites["all"])
    assert _entries(sites["merged"]) == (config, entries)
    assert config["lang"] == ["fr", "en"]  # a library of French and English dossiers is searched in both
    locations = {json.loads(entry)["location"] for entry in entries}
    assert {f"{EN}/actors/nikolai-patrushev/", f"{DOSSIER}/actors/nikolai-patrushev/", "library/actors/wang-yi/"} <= locations


def test_jobs_built_from_different_inputs_are_not_merged(sites, tmp_path):
    other = tmp_path / "other"
    for name, content in _files(sites["b"]).items():
        (other / name).parent.mkdir(parents=True, exist_ok=True)
        (other / name).write_bytes(content.replace(b"Bibliot", b"Biblit") if name == "index.html" else content)
    result = run_dossier("merge", str(sites["a"]), str(other), "-o", str(tmp_path / "merged"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: index.html differs between {sites['a']} and {other}: "
                                          "build every job from the same dossiers and mkdocs.yml"]
    assert not (tmp_path / "merged").exists()


def test_merge_needs_two_existing_job_sites(tmp_path):
    (tmp_path / "one").mkdir()
    alone = run_dossier("merge", str(tmp_path / "one"), "-o", str(tmp_path / "out"))
    missing = run_dossier("merge", str(tmp_path / "one"), str(tmp_path / "two"), "-o", str(tmp_path / "out"))
    assert (alone.returncode, alone.stderr) == (1, "error: name two job sites or more to merge\n")
    assert (missing.returncode, missing.stderr) == (1, f"error: {tmp_path / 'two'}: no such folder\n")
    assert not (tmp_path / "out").exists()
