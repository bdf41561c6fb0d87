"""``dossier serve``'s check within an edited dossier: only the files whose bytes changed are read and checked again.

After every kind of edit (an error added, then fixed; a file renamed, deleted,
added, made unparsable; a source's text, the dossier's language and cut-off
changed), the check made with the serve memo reports exactly the diagnostics
of a fresh check, in the same order, and gives an equal dossier (its tables,
the places of its quotes and its crossings in the same order). The entities of
unchanged files are the very objects of the last rebuild.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import ClassVar

import pytest

from generator.core import validate
from generator.core.files import DossierFiles
from generator.core.kinds import folders
from generator.core.validate import check
from generator.incremental import dossier_memo
from generator.incremental.dossier_memo import DossierMemo

from conftest import DOSSIER, ROOT

SOURCE = "sources/wang-malte-2023-09-18"
QUOTE = "a été rappelé en tant que ministre des Affaires étrangères en juillet"


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    """A copy of the bundled library; a file is trusted as soon as its stat is seen (see :func:`write`)."""
    monkeypatch.setattr(dossier_memo, "RACY", 0.0)
    shutil.copytree(ROOT / "dossiers", tmp_path / "dossiers")
    return tmp_path / "dossiers"


_STAMP = [0]


def write(path: Path, text: str) -> None:
    """Write *text*, and give the file a modification time of its own (an hour ago): the scan sees a new stat
    even when the size is the same and the clock's tick too coarse to tell two writes apart."""
    path.write_text(text, encoding="utf-8")
    _STAMP[0] += 1
    old = time.time_ns() - 3600 * 10**9 + _STAMP[0]
    os.utime(path, ns=(old, old))


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} lacks {old!r}"
    write(path, text.replace(old, new, 1))


def shape(dossier) -> tuple:
    """Everything the later stages read of a checked dossier, in order."""
    return (dossier.id, dossier.folder, dossier.meta, dossier.previous,
            [(folder, list(dossier.table(folder).items())) for folder in folders()],
            list(dossier.quote_spans.items()), list(dossier.crossings.items()))


def rebuild(memo: DossierMemo, root: Path) -> tuple[list, list]:
    """One serve rebuild's check (the memo kept only when the check is clean, as ``dossier serve`` does), held
    to a fresh check of the same files."""
    memo.start()
    with memo.parsing():
        dossiers, report = check(root, "dossiers", memo=memo)
    if not report.errors:
        memo.finish()
    fresh, fresh_report = check(root, "dossiers")
    assert report.diagnostics == fresh_report.diagnostics
    assert [shape(d) for d in dossiers] == [shape(d) for d in fresh]
    return dossiers, report.diagnostics


def edits(folder: Path) -> list[tuple[str, object]]:
    actor, source, meeting = folder / "actors/wang-yi.yaml", folder / f"{SOURCE}.yaml", folder / "meetings/entretiens-malte-2023-09.yaml"
    kept = {path: path.read_text(encoding="utf-8") for path in (actor, source, meeting, folder / f"{SOURCE}.txt",
                                                                    folder / "dossier.yaml")}

    def back(path: Path):
        return lambda: write(path, kept[path])

    moved = folder / "actors/qin-gang.yaml"
    return [
        ("an unknown id in a link", lambda: replace(actor, "successeur [[qin-gang]]", "successeur [[qin-gangg]]")),
        ("fixed", back(actor)),
        ("a quote not found", lambda: replace(actor, QUOTE, "a été rappelé comme ministre en juillet")),
        ("fixed", back(actor)),
        ("a renamed file", lambda: moved.rename(moved.with_name("qin-gang-2.yaml"))),
        ("renamed back", lambda: moved.with_name("qin-gang-2.yaml").rename(moved)),
        ("a deleted source", source.unlink),
        ("restored", back(source)),
        ("an unparsable file", lambda: write(meeting, kept[meeting] + "\nbroken: [unclosed\n")),
        ("fixed", back(meeting)),
        ("a source's text changed", lambda: replace(folder / f"{SOURCE}.txt", "rappelé en tant que", "rappelé comme")),
        ("restored", back(folder / f"{SOURCE}.txt")),
        ("the dossier's language", lambda: replace(folder / "dossier.yaml", "language: fr", "language: en")),
        ("restored", back(folder / "dossier.yaml")),
        ("the cut-off", lambda: replace(folder / "dossier.yaml", "as_of: 2023-09-18", "as_of: 2023-08-01")),
        ("restored", back(folder / "dossier.yaml")),
        ("a new actor", lambda: write(folder / "actors/nouvel-acteur.yaml",
                                      "name: Nouvel acteur\nkind: person\nsummary: Cité avec [[wang-yi]] et [[personne]].\n")),
        ("a stray file", lambda: write(folder / "actors/notes.txt", "à trier\n")),
        ("both removed", lambda: [(folder / name).unlink() for name in ("actors/nouvel-acteur.yaml", "actors/notes.txt")]),
    ]


def test_after_each_kind_of_edit_the_memo_s_check_is_a_fresh_check(root):
    memo = DossierMemo()
    rebuild(memo, root)
    clean = rebuild(memo, root)[1]
    told = set()
    for name, edit in edits(root / DOSSIER):
        edit()
        diagnostics = rebuild(memo, root)[1]
        told.add(name if diagnostics != clean else "")
    # the edits did change what is reported (else the comparison would prove little)
    assert {"an unknown id in a link", "a quote not found", "a renamed file", "a deleted source", "an unparsable file",
            "a source's text changed", "the dossier's language", "the cut-off", "a new actor", "a stray file"} <= told
    assert "" in told, "the fixes and restores give the clean report back"


class _Counting(DossierFiles):
    read_jobs: ClassVar[list[str]] = []

    def read(self, job):
        _Counting.read_jobs.append(job.display)
        return super().read(job)


def test_only_the_edited_file_is_read_and_the_other_entities_are_the_same_objects(root, monkeypatch):
    monkeypatch.setattr(validate, "DossierFiles", _Counting)
    memo = DossierMemo()
    rebuild(memo, root)
    before = rebuild(memo, root)[0]
    _Counting.read_jobs.clear()
    replace(root / DOSSIER / "actors/wang-yi.yaml", "name: Wang Yi\n", "name: Wang Yi (modifié)\n")
    after = rebuild(memo, root)[0]
    assert _Counting.read_jobs == [f"dossiers/{DOSSIER}/actors/wang-yi.yaml"]
    for old, new in zip(before, after):
        for folder in folders():
            for id_, entity in new.table(folder).items():
                edited = (new.id, id_) == (DOSSIER, "wang-yi")
                assert (entity is old.table(folder)[id_]) is not edited, (new.id, id_)
                if not edited and new.id == DOSSIER:
                    assert memo.checked(entity) is not None, "its check's outcome is kept too"
    unchanged = [(old, new) for old, new in zip(before, after) if new.id != DOSSIER]
    assert unchanged and all(old is new for old, new in unchanged), "a dossier whose files did not change is the same"


def test_a_file_saved_again_unchanged_gives_back_the_same_entity(root, monkeypatch):
    monkeypatch.setattr(validate, "DossierFiles", _Counting)
    memo = DossierMemo()
    rebuild(memo, root)
    folder = root / DOSSIER
    replace(folder / "actors/chine.yaml", "name: ", "name: (0) ")
    before = rebuild(memo, root)[0]  # the other files' reads reused
    _Counting.read_jobs.clear()
    for path in (folder / "actors/wang-yi.yaml", folder / f"{SOURCE}.txt"):
        write(path, path.read_text(encoding="utf-8"))  # a new stat, the same bytes
    replace(folder / "actors/chine.yaml", "name: ", "name: (1) ")
    after = rebuild(memo, root)[0]
    assert sorted(_Counting.read_jobs) == sorted(f"dossiers/{DOSSIER}/{name}" for name in
                                                 ("actors/wang-yi.yaml", "actors/chine.yaml", f"{SOURCE}.yaml"))
    old, new = (next(d for d in dossiers if d.id == DOSSIER) for dossiers in (before, after))
    assert new.actors["wang-yi"] is old.actors["wang-yi"] and new.sources["wang-malte-2023-09-18"] is old.sources[
        "wang-malte-2023-09-18"]
    assert new.actors["chine"] is not old.actors["chine"]


def test_a_dossier_reused_whole_keeps_what_its_files_made_for_a_later_edit(root, monkeypatch):
    monkeypatch.setattr(validate, "DossierFiles", _Counting)
    memo = DossierMemo()
    rebuild(memo, root)
    rebuild(memo, root)
    other = next(p for p in sorted(root.iterdir()) if p.name != DOSSIER)
    replace(root / DOSSIER / "actors/wang-yi.yaml", "name: Wang Yi\n", "name: Wang Yi (1)\n")
    rebuild(memo, root)
    replace(other / "dossier.yaml", "title: ", "title: (1) ")
    rebuild(memo, root)  # the first dossier is reused whole
    _Counting.read_jobs.clear()
    replace(root / DOSSIER / "actors/wang-yi.yaml", "name: Wang Yi (1)\n", "name: Wang Yi (2)\n")
    rebuild(memo, root)
    assert _Counting.read_jobs == [f"dossiers/{DOSSIER}/actors/wang-yi.yaml"]


def test_a_file_changed_just_now_is_read_again_until_its_stat_is_old(root, monkeypatch):
    """Within an edited dossier (the folder's digest reads such files' bytes again for the dossier as a whole)."""
    monkeypatch.setattr(dossier_memo, "RACY", 2.0)  # the copied files changed just now (their change time)
    memo, folder = DossierMemo(), root / DOSSIER
    read = []
    for racy in (2.0, 2.0, 0.0, 0.0):
        monkeypatch.setattr(dossier_memo, "RACY", racy)
        memo.start()
        plan = memo.plan(folder, "d", validate.Report(), validate.plan_dossier)
        reads = list(memo.reads(plan, DossierFiles(folder).read))
        memo.finish()
        read.append(sum(not again for _, again in reads))
    # the same size and time stamps may still hide a second write within the clock's tick: a file is read again
    # until it is older than the scan by RACY; then once more, as it was not trusted when last read; then no more
    assert read == [len(plan.units())] * 3 + [0]


def test_a_linked_file_is_read_every_time_and_a_linked_folder_reuses_nothing(root):
    folder = root / DOSSIER
    texts = folder / ".texts"
    texts.mkdir()
    shutil.move(folder / f"{SOURCE}.txt", texts / "wang.txt")
    os.symlink(texts / "wang.txt", folder / f"{SOURCE}.txt")
    shutil.move(folder / "questions", folder / ".questions")
    os.symlink(folder / ".questions", folder / "questions")
    memo = DossierMemo()
    rebuild(memo, root)
    rebuild(memo, root)
    replace(texts / "wang.txt", "rappelé en tant que", "rappelé comme")  # the link's stat is the same
    assert any("quote not found" in d.message for d in rebuild(memo, root)[1])
    replace(folder / ".questions/sort-de-qin-gang.yaml", "[[qin-gang]]", "[[personne]]")
    assert any("personne" in d.message for d in rebuild(memo, root)[1])


def test_the_plan_is_the_last_one_while_the_folder_lists_the_same_entries(root):
    memo = DossierMemo()
    write(root / DOSSIER / "actors/notes.txt", "à trier\n")
    rebuild(memo, root)
    first = [memo.plans.kept[key][1] for key in sorted(memo.plans.kept)]
    diagnostics = rebuild(memo, root)[1]
    again = [memo.plans.kept[key][1] for key in sorted(memo.plans.kept)]
    assert len(first) == 2 and all(a is b for a, b in zip(first, again))
    assert any("ignored: only .yaml files" in d.message for d in diagnostics), "its warnings told again"
    write(root / DOSSIER / "actors/nouvel-acteur.yaml", "name: Nouvel acteur\nkind: person\nsummary: Un acteur.\n")
    rebuild(memo, root)
    plan = next(memo.plans.kept[key][1] for key in memo.plans.kept if key.endswith(DOSSIER))
    assert "nouvel-acteur" in plan.kinds and plan is not first[1]


def test_with_file_events_only_the_folders_they_name_are_walked_again(root, monkeypatch):
    """Under the server the file events since the last rebuild are known: a folder none of them is at, under or
    above is as the last rebuild walked it (not walked again); the check is still a fresh check's."""
    walked: list[str] = []
    real_scan = dossier_memo.scan
    monkeypatch.setattr(dossier_memo, "scan", lambda folder: (walked.append(Path(folder).name), real_scan(folder))[1])
    memo = DossierMemo()
    other = next(p for p in sorted(root.iterdir()) if p.is_dir() and p.name != DOSSIER)

    def rebuild_after(events: list[Path] | None) -> list[str]:
        walked.clear()
        memo.start(None if events is None else [str(path) for path in events])
        with memo.parsing():
            dossiers, report = check(root, "dossiers", memo=memo)
        memo.finish()
        fresh, fresh_report = check(root, "dossiers")
        assert report.diagnostics == fresh_report.diagnostics
        assert [shape(d) for d in dossiers] == [shape(d) for d in fresh]
        return sorted(walked)

    both = sorted([DOSSIER, other.name])
    assert rebuild_after(None) == both
    assert rebuild_after([]) == []  # no event: nothing walked
    actor = root / DOSSIER / "actors/wang-yi.yaml"
    replace(actor, "name: Wang Yi\n", "name: Wang Yi (1)\n")
    assert rebuild_after([actor]) == [DOSSIER]
    assert "Wang Yi (1)" in (root / DOSSIER / "actors/wang-yi.yaml").read_text(encoding="utf-8")
    new = other / "actors/ajout.yaml"
    write(new, "name: Ajout\nkind: person\nsummary: Un acteur ajouté.\n")
    assert rebuild_after([new.parent]) == [other.name]  # a folder's own event (a file created in it)
    assert rebuild_after([root]) == both  # an event above the folders: every folder
    assert rebuild_after([root.parent / "docs" / "index.md"]) == []  # elsewhere: none
    new.unlink()
    assert rebuild_after(None) == both  # events unknown: every folder
