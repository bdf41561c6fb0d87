"""``dossier serve`` assembles the large pages from parts (``generator.incremental.page_reads.page_parts``).

The timeline's rows, the home's sourcing lines, the network's drawing and lists, a source's text, passages and
notes, an entity page's claims, facts, citations, backlinks and texts, the chunks a large page is typeset in: each
a part kept with what it read, made again only when that changed. After every kind of edit,
each page is the one a full render without any memo gives, and the parts kept are the very objects made before.
"""

from __future__ import annotations

import sys

from generator.incremental.page_reads import ALL, Changes, ReadDict, ReadList, page_parts, tracked, watching

from conftest import ROOT, served_pages


def test_a_part_is_kept_unless_what_it_read_changed_and_its_reads_are_the_page_s():
    actors, timeline = ReadDict("d/actors", {"a": 1, "b": 2}), ReadList("d/linked.timeline", [1, 2])
    made: list[str] = []

    def part(id_: str) -> str:
        made.append(id_)
        return f"{id_}={actors[id_]}"

    def page() -> str:
        assert watching()
        return "+".join(page_parts("rows", [(("", id_), lambda id_=id_: part(id_)) for id_ in ("a", "b")], lambda: None)) \
            + f"/{len(timeline)}"

    assert page_parts("rows", [(("", "x"), lambda: "plain")], lambda: None) == ["plain"] and not watching()
    first = tracked(("", "p"), page, lambda: None, "d")()
    assert first.page == "a=1+b=2/2" and made == ["a", "b"]
    assert first.reads == {("d/actors", "a"), ("d/actors", "b"), ("d/linked.timeline", ALL)}
    assert [part.page for part in first.parts["rows"]] == ["a=1", "b=2"]

    actors["b"] = 3  # the key b changed, and the timeline: the page is made again, part a kept as it was
    found = Changes(False, frozenset({("d/actors", "b")}), frozenset({"d/linked.timeline"}))
    made.clear()
    second = tracked(("", "p"), page, lambda: None, "d", (first.parts, found, frozenset()))()
    assert second.page == "a=1+b=3/2" and made == ["b"]
    assert second.parts["rows"][0] is first.parts["rows"][0], "the part that read nothing changed is the very one"
    assert second.reads == first.reads, "a kept part's reads are still the page's"
    made.clear()
    third = tracked(("", "p"), page, lambda: None, "d", (second.parts, Changes(True, frozenset(), frozenset()),
                                                         frozenset()))()
    assert third.page == second.page and made == ["a", "b"], "a change outside the tables: every part made again"


def test_the_large_pages_made_in_parts_are_those_of_a_full_render_after_each_kind_of_edit(tmp_path):
    from generator.incremental.dossier_memo import DossierMemo
    from generator.pipeline.stages import prepare, site_pages

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from serve_latency import dossier_edits
    from synth import make_dossier

    make_dossier(100, tmp_path / "dossiers")
    dossier = next((tmp_path / "dossiers").iterdir())
    source = min((dossier / "sources").glob("*.txt"))
    edits = [*dossier_edits(dossier)[:5],
             ("a source's text", lambda: source.write_text(source.read_text(encoding="utf-8") + "\nUne ligne.\n",
                                                            encoding="utf-8"))]
    memo = DossierMemo()

    def rebuild() -> tuple[list, dict]:
        _, pages = served_pages(memo, tmp_path / "dossiers")
        memo.finish()
        kept = next(iter(memo.kept.values()))
        return pages, {rendered.key[1] if not rendered.key[0] else rendered.key: rendered
                       for rendered in next(iter(kept.pages.values()))}

    _, before = rebuild()
    assert {name for page in before.values() for name in (page.parts or {})} >= {
        "timeline", "sourcing", "network-svg", "network-layout", "network-meetings", "network-ties", "typeset"}
    for kind, apply in edits:
        apply()
        pages, after = rebuild()
        assert pages == site_pages(prepare(tmp_path / "dossiers")[0], pdf=False, jobs=1), kind
        for name, page in (("timeline", "timeline"), ("sourcing", "home"), ("network-svg", "network"),
                           ("network-layout", "network"), ("network-meetings", "network"),
                           ("network-ties", "network"), ("typeset", "timeline")):
            old, new = before[page], after[page]
            if old is new:
                continue  # the page itself kept
            kept = {id(part) for part in old.parts[name]} & {id(part) for part in new.parts[name]}
            if name == "network-svg":
                assert bool(kept) == (kind in ("claim text", "quote", "a source's text")), (kind, name)
            elif name == "network-layout":  # the ring layout reads no label: kept on a rename
                assert bool(kept) == (kind in ("claim text", "quote", "a source's text", "renamed title")), kind
            else:  # a source's text is read by each owner that cites it (its sources' entities): more, never all
                share = 0.5 if kind == "a source's text" else 0.8
                assert len(kept) > share * len(new.parts[name]), (kind, name, len(kept), len(new.parts[name]))
        _source_parts_kept(kind, before, after, source.stem)
        _entity_parts_kept(kind, before, after)
        before = after


def _source_parts_kept(kind: str, before: dict, after: dict, edited: str) -> None:
    """A source page made again keeps its highlighted text unless the source or its passages changed (never on a
    rename, which makes again only the notes, passages and backlink that show the title); the edited source's text is
    remade."""
    remade = [key for key, page in after.items() if key[0] == "sources" and key in before and page is not before[key]]
    assert remade or kind not in ("renamed title", "a source's text"), kind
    for key in remade:
        old, new = before[key].parts, after[key].parts
        text_kept = old["source-text"][0] is new["source-text"][0]
        if kind == "renamed title":
            assert text_kept, key
            assert new["source-notes"] and new["passages"], key
            remade_links = {id(part) for part in new.get("backlinks", ())} - {id(part) for part in old.get("backlinks", ())}
            assert len(remade_links) <= 1, (key, "only the renamed entity's backlink is made again")
        if kind == "a source's text" and key[1] == edited:
            assert not text_kept, key


def _entity_parts_kept(kind: str, before: dict, after: dict) -> None:
    """On a rename, the actor pages made again keep every citation of their footers (none shows an actor's name)
    and most of their claims, facts and texts (only those that link the renamed actor are made again)."""
    if kind != "renamed title":
        return
    remade = [key for key, page in after.items() if key[0] == "actors" and key in before and page is not before[key]]
    assert remade
    shares = {"claims": [0, 0], "facts": [0, 0], "texts": [0, 0]}
    for key in remade:
        old, new = before[key].parts or {}, after[key].parts or {}
        assert {id(part) for part in new.get("citations", ())} <= {id(part) for part in old.get("citations", ())}, key
        for name, share in shares.items():
            share[0] += len({id(part) for part in new.get(name, ())} & {id(part) for part in old.get(name, ())})
            share[1] += len(new.get(name, ()))
    assert sum(share[1] for share in shares.values()) and all(kept > 0.5 * total for kept, total in shares.values()), shares
