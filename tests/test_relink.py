"""``dossier serve`` links an edited dossier from its last version (``generator.core.relink``): exactly a full link.

Random sequences of edits of every kind (a claim's text, a ``[[link]]`` added, a
quote, a new entity with a dated claim, a title, a meeting's date, a source's
text, a role's organisation and date, what a question is about, a meeting's
participant and the meeting it follows, a new source, a file deleted or put
back) on a small synthetic dossier, each that changes a file rebuilt
as ``dossier serve`` does (the memo keeps unchanged entities the same
objects); after each, every table of the linked dossier (keys, values and
their order) and what the linker keeps for the next version equal a full
link of the same dossier, and the full link was not what made it; what
``page_reads.changes`` finds (passing over the objects kept) is what comparing
every key and every title finds.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core import relink as relink_module
from generator.core.kinds import folders
from generator.core.link import Linked, link
from generator.incremental import page_reads
from generator.incremental.dossier_memo import DossierMemo
from generator.pipeline.stages import prepare

from conftest import ROOT

KINDS = ["claim text", "link", "quote", "new entity", "title", "meeting date", "source text", "deleted file", "put back",
         "role", "about", "participant", "follows", "new source"]
QUOTE = re.compile(r'^ {6}- ([a-z0-9-]+): ("[^"]+")$', re.MULTILINE)


def tables(linked: Linked) -> dict[str, list]:
    """Every table of *linked*, as (key, value) pairs in order (a list as it is)."""
    found: dict[str, list] = {}
    for name, value in vars(linked).items():
        if not name.startswith("_") and isinstance(value, dict):
            found[name] = list(dict.items(value))
        elif not name.startswith("_") and isinstance(value, list):
            found[name] = list(list.__iter__(value))
    return found


def reference_changes(old: Linked, new: Linked) -> page_reads.Changes:
    """:func:`generator.incremental.page_reads.changes` the plain way: every key of every table, every title."""
    old_tables, old_rest = page_reads._split(old)
    new_tables, new_rest = page_reads._split(new)
    assert old_rest.keys() == new_rest.keys() and old_tables.keys() == new_tables.keys()
    if any(old_rest[name] != new_rest[name] for name in old_rest):
        return page_reads.Changes(True, frozenset(), frozenset())
    keys, tables = set(), set()
    titles = [{id_: (folder, one.title(id_)) for folder in folders() for id_ in dict.keys(getattr(one.dossier, folder))}
              for one in (old, new)]
    keys.update((f"{new.dossier.id}/{page_reads.TITLES}", id_) for id_ in titles[0].keys() | titles[1].keys()
                if titles[0].get(id_) != titles[1].get(id_))
    for name, before in old_tables.items():
        after = new_tables[name]
        if isinstance(before, list):
            if list(list.__iter__(before)) != list(list.__iter__(after)):
                tables.add(name)
            continue
        differing = {key for key in set(dict.keys(before)) | set(dict.keys(after))
                     if dict.get(before, key, KeyError) != dict.get(after, key, KeyError)}
        keys.update((name, key) for key in differing)
        if differing or list(dict.keys(before)) != list(dict.keys(after)):
            tables.add(name)
    return page_reads.Changes(False, frozenset(keys), frozenset(tables))


class Project:
    """A copy of the synthetic dossier, edited and rebuilt as ``dossier serve`` does."""

    def __init__(self, template: Path, folder: Path):
        shutil.copytree(template, folder)
        self.root = folder
        self.dossier = next(folder.iterdir())
        self.original = {path: path.read_bytes() for path in self.dossier.rglob("*") if path.is_file()}
        self.memo = DossierMemo()
        self.added = 0

    def rebuild(self) -> Linked | None:
        self.memo.start()
        with self.memo.parsing():
            linked, report = prepare(self.root, memo=self.memo)
        self.memo.finish()
        return linked[0] if not report.errors else None

    def files(self, *folders: str) -> list[Path]:
        return sorted(path for folder in folders for path in (self.dossier / folder).glob("*.yaml"))

    def replace(self, path: Path, old: str | re.Pattern, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        changed = old.sub(new, text, count=1) if isinstance(old, re.Pattern) else text.replace(old, new, 1)
        path.write_text(changed, encoding="utf-8")

    def edit(self, kind: str, pick: int) -> None:
        entities = self.files("actors", "meetings", "questions")
        one = entities[pick % len(entities)]
        if kind == "claim text":
            self.replace(one, '- text: "', '- text: "Selon nos notes, ')
        elif kind == "link":
            other = entities[(pick // 7) % len(entities)]
            if other.name in {path.name for path in self.original}:
                self.replace(one, '- text: "', f'- text: "[[{other.stem}]] ')
        elif kind == "quote":
            self.replace(one, re.compile(r'^(\s+- [a-z0-9-]+: ")([^"]+) ([^" ]+)"$', re.MULTILINE), r'\1\2"')
        elif kind == "new entity":
            self.new_entity(one, pick)
        elif kind == "title":
            self.replace(one, re.compile(r'^(name|title|question): "', re.MULTILINE), r'\1: "Renommé ')
        elif kind == "meeting date":
            meetings = self.files("meetings")
            date = f"date: 20{10 + pick % 15}-0{1 + pick % 9}-1{pick % 10}"
            self.replace(meetings[pick % len(meetings)], re.compile(r"^date: .*$", re.MULTILINE), date)
        elif kind == "source text":
            sources = sorted((self.dossier / "sources").glob("*.txt"))
            path = sources[pick % len(sources)]
            text = path.read_text(encoding="utf-8")  # a line before moves every quote's place
            path.write_text(f"Une ligne de plus.\n{text}" if pick % 2 else f"{text}\nUne ligne de plus.\n", encoding="utf-8")
        elif kind == "deleted file":
            added = sorted(self.dossier.glob("*/ajoute-*"))
            if added:
                added[pick % len(added)].unlink()
        elif kind == "new source":
            sources = sorted((self.dossier / "sources").glob("*.yaml"))
            self.added += 1
            for path in (sources[pick % len(sources)], sources[pick % len(sources)].with_suffix(".txt")):
                shutil.copy(path, path.with_stem(f"ajoute-source-{self.added}"))
        elif kind == "put back":
            self.put_back(pick)
        else:
            self.relation(kind, pick)

    def relation(self, kind: str, pick: int) -> None:
        """Another entity named by a relation (an edit the check refuses is undone by the test)."""
        folder, pattern = {"role": ("actors", r"^(    of: )[a-z0-9-]+$"), "about": ("questions", r"^(about:\n  - )[a-z0-9-]+$"),
                           "participant": ("meetings", r"^(participants:\n  - )[a-z0-9-]+$"),
                           "follows": ("meetings", r"^(follows:\n  - )[a-z0-9-]+$")}[kind]
        targets = self.files("actors" if kind != "follows" else "meetings", *(["questions"] if kind == "about" else []))
        other = targets[(pick // 11) % len(targets)].stem
        files = [path for path in self.files(folder) if re.search(pattern, path.read_text(encoding="utf-8"), re.MULTILINE)]
        if files:
            path = files[pick % len(files)]
            self.replace(path, re.compile(pattern, re.MULTILINE), rf"\g<1>{other}")
            if kind == "role":
                self.replace(path, re.compile(r"^(    from: )\d{4}-\d\d$", re.MULTILINE), rf"\g<1>20{10 + pick % 15}-0{1 + pick % 9}")

    def new_entity(self, one: Path, pick: int) -> None:
        """An actor naming *one*, with a dated claim citing one of *one*'s quotes (verbatim, so verified)."""
        quotes = QUOTE.findall(one.read_text(encoding="utf-8"))
        self.added += 1
        lines = [f"name: Ajouté {self.added}", "kind: person", f"summary: Cité avec [[{one.stem}]].",
                 "claims:", f'  - text: "Un fait sur [[{one.stem}]]."', f"    date: 2020-0{1 + pick % 9}-1{pick % 10}"]
        if quotes:
            source, quote = quotes[pick % len(quotes)]
            lines += ["    cite:", f"      - {source}: {quote}"]
        (self.dossier / "actors" / f"ajoute-{self.added}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def put_back(self, pick: int) -> None:
        """A file as it first was (an added one removed)."""
        changed = [path for path, data in self.original.items() if not path.exists() or path.read_bytes() != data]
        changed += sorted(self.dossier.glob("*/ajoute-*"))
        if changed:
            path = sorted(changed)[pick % len(changed)]
            if path in self.original:
                path.write_bytes(self.original[path])
            else:
                path.unlink()


def _template(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synth import make_dossier

    make_dossier(20, folder / "dossiers")
    return folder / "dossiers"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 10**6)), min_size=1, max_size=8))
def test_a_dossier_linked_from_its_last_version_is_a_full_link_after_any_edits(tmp_path_factory, edits):
    template = tmp_path_factory.getbasetemp() / "relink-template" / "dossiers"
    if not template.exists():
        _template(template.parent)
    project = Project(template, tmp_path_factory.mktemp("relink") / "dossiers")
    last = project.rebuild()
    assert last is not None
    full_links = mock.Mock(side_effect=link)
    with mock.patch.object(relink_module, "link", full_links):
        for kind, pick in edits:
            backup = {path: path.read_bytes() for path in project.dossier.rglob("*") if path.is_file()}
            project.edit(kind, pick)
            if {path: path.read_bytes() for path in project.dossier.rglob("*") if path.is_file()} == backup:
                continue  # nothing changed: nothing rebuilt (the memo would keep no entity for the next edit)
            linked = project.rebuild()
            if linked is None:  # an edit that breaks the dossier (a link to a deleted entity): undone
                for path in project.dossier.rglob("*"):
                    if path.is_file() and path not in backup:
                        path.unlink()
                for path, data in backup.items():
                    path.write_bytes(data)
                linked = project.rebuild()
                assert linked is not None
            full = link(linked.dossier)
            assert tables(linked) == tables(full), kind
            assert linked._index == full._index, kind
            assert page_reads._changes(last, linked) == reference_changes(last, linked), kind
            last = linked
    assert full_links.call_count == 0, "every edit linked from the last version"


@settings(max_examples=300, deadline=None)
@given(keys=st.lists(st.integers(0, 15), unique=True, max_size=12), rng=st.randoms(use_true_random=False),
       equal=st.booleans())
def test_the_keys_that_differ_between_two_tables_are_those_a_plain_comparison_finds(keys, rng, equal):
    """``page_reads.differing`` (keys compared by position where they line up) against every key compared."""
    before = {f"k{key}": [key] for key in keys}
    after: dict[str, list[int]] = {}
    for key, value in before.items():
        fate = rng.random()
        if fate > 0.1:  # else removed; kept as the same object, an equal one, or another value
            after[key] = value if fate < 0.6 else [value[0]] if fate < 0.8 else [value[0] + 1]
        if rng.random() < 0.15:
            after[f"new{rng.randint(0, 5)}"] = [0]
    if rng.random() < 0.2:
        shuffled = list(after.items())
        rng.shuffle(shuffled)
        after = dict(shuffled)
    found = page_reads.differing(before, after, equal)
    want = {key for key in before.keys() | after.keys()
            if before.get(key, KeyError) is not after.get(key, KeyError)
            and (not equal or before.get(key, KeyError) != after.get(key, KeyError))}
    assert sorted(found) == sorted(want)
