"""Tests of generator.render.network: escaping, determinism, links, legend, scale, layout."""

from __future__ import annotations

import hashlib
import itertools
import os
import random
import re
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.pipeline.stages import prepare as prepare_dossiers
from generator.render import network
from generator.render.graph import network_svg
from generator.render.network import NetNode, render_network_svg
from generator.render.network.columns import plan_columns
from generator.render.network.inputs import prepare
from generator.render.network.svg_text import fmt, wrap

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
LEGEND = {"person": "Personne", "organisation": "Organisation", "state": "État", "meeting": "Réunion"}
NASTY = '<script>alert(1)</script>&"'


def _render(nodes, edges, **kwargs):
    """Render with default title and legend."""
    kwargs.setdefault("title", "Réseau du dossier")
    kwargs.setdefault("legend", LEGEND)
    return render_network_svg(nodes, edges, **kwargs)


def _realistic() -> tuple[list[NetNode], list[tuple[str, str]]]:
    """About 25 actors and 7 meetings, shaped like a real China-Russia dossier."""
    people = ["Wang Yi", "Xi Jinping", "Li Qiang", "Nikolaï Patrouchev", "Sergueï Lavrov", "Vladimir Poutine",
              "Sergueï Choïgou", "Antony Blinken", "Jake Sullivan", "William Burns", "Ma Zhaoxu", "Chen Wenqing"]
    orgs = ["Ministère chinois des Affaires étrangères", "Conseil de sécurité de la Fédération de Russie",
            "Ministère des Affaires étrangères de la Fédération de Russie", "Département d'État des États-Unis",
            "Organisation de coopération de Shanghai", "Conseil de sécurité nationale (NSC)"]
    states = ["Chine", "Russie", "États-Unis", "Kazakhstan"]
    nodes = [NetNode(f"p{i:02d}", name, "person", f"../acteurs/p{i:02d}.html") for i, name in enumerate(people)]
    nodes += [NetNode(f"o{i:02d}", name, "organisation", f"../acteurs/o{i:02d}.html") for i, name in enumerate(orgs)]
    nodes += [NetNode(f"s{i:02d}", name, "state", None) for i, name in enumerate(states)]
    titles = ["Consultation stratégique de sécurité Chine-Russie (18e session)", "Visite d'État à Moscou",
              "Sommet de l'OCS à Astana", "Entretien Wang Yi – Jake Sullivan à Bangkok",
              "Troisième Forum « la Ceinture et la Route » pour la coopération internationale",
              "Visite d'Antony Blinken à Pékin", "Visite d'État de Vladimir Poutine en Chine"]
    nodes += [NetNode(f"2023-0{i + 1}-m", t, "meeting", f"../reunions/m{i}.html", f"Réunion, {i + 1} mars 2023")
              for i, t in enumerate(titles)]
    rng = random.Random(7)
    actors = [n.id for n in nodes if n.kind != "meeting"]
    meetings = [n.id for n in nodes if n.kind == "meeting"]
    edges = [(a, m) for m in meetings for a in rng.sample(actors, 6)]
    edges += [("p00", "o00"), ("p03", "o01"), ("p04", "o02"), ("p07", "o03"), ("p08", "o05"), ("p09", "o05"),
              ("o00", "s00"), ("o01", "s01"), ("o02", "s01"), ("o03", "s02"), ("s00", "o04"), ("s01", "o04")]
    edges += list(itertools.pairwise(meetings))
    return nodes, edges


def _big(count: int = 2000) -> tuple[list[NetNode], list[tuple[str, str]]]:
    """A large random graph: a tenth meetings, each actor in up to three meetings."""
    rng = random.Random(3)
    kinds = ["person", "organisation", "state"]
    nodes = [NetNode(f"m{i:05d}", f"Réunion {i}", "meeting", f"r/{i}.html", "Réunion") for i in range(count // 10)]
    nodes += [NetNode(f"a{i:05d}", f"Acteur {i}", kinds[i % 3], f"a/{i}.html") for i in range(count - len(nodes))]
    meetings = [n.id for n in nodes if n.kind == "meeting"]
    edges = [(n.id, rng.choice(meetings)) for n in nodes if n.kind != "meeting" for _ in range(rng.randint(0, 3))]
    edges += [(f"a{rng.randrange(count - len(meetings)):05d}", f"a{rng.randrange(count - len(meetings)):05d}")
              for _ in range(count // 4)]
    return nodes, edges


def _relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours."""
    high, low = sorted((_relative_luminance(first), _relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# --------------------------------------------------------------------------- escaping and well-formedness


def test_nasty_label_only_appears_escaped():
    nodes = [NetNode("a", NASTY, "person", "x.html?a=1&b=2", NASTY), NetNode("m", NASTY, "meeting", None, NASTY)]
    svg = _render(nodes, [("a", "m")], title=NASTY, legend={"person": NASTY})
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == NASTY
    link = root.find(f".//{SVG}a")
    assert link.get("href") == "x.html?a=1&b=2" == link.get(XLINK_HREF)
    assert NASTY in link.find(f"{SVG}title").text
    assert not list(root.iter(f"{SVG}script"))


def test_control_characters_and_whitespace_are_made_xml_safe():
    nodes = [NetNode("a\x00b c", "x\x01y\n\tz\ud800", "person", "p\x0b.html", "t\x1f")]
    root = ET.fromstring(_render(nodes, []))
    title = root.find(f".//{SVG}g[@id='net-nodes']/*/{SVG}title").text
    assert title.startswith("x\ufffdy z\ufffd")


def test_scriptable_hrefs_are_dropped():
    nodes = [NetNode("a", "A", "person", " JavaScript:alert(1)"), NetNode("b", "B", "person", "data:text/html,x"),
             NetNode("c", "C", "person", "../c.html")]
    root = ET.fromstring(_render(nodes, []))
    assert [a.get("href") for a in root.iter(f"{SVG}a")] == ["../c.html"]


# --------------------------------------------------------------------------- structure


def test_root_is_standalone_accessible_svg():
    nodes, edges = _realistic()
    svg = _render(nodes, edges, title="Réseau Chine-Russie")
    assert not svg.startswith("<?xml")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("version") == "1.1" and root.get("role") == "group"  # it holds links: an img would hide them
    assert 'xmlns:xlink="http://www.w3.org/1999/xlink"' in svg
    width, height = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}" and width > 0 and height > 0
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    assert root.get("aria-labelledby") in ids and root.get("aria-describedby") in ids
    assert root.find(f"{SVG}title").text == "Réseau Chine-Russie"
    desc = root.find(f"{SVG}desc").text
    assert "Personne : 12" in desc and "Réunion : 7" in desc and "liens" in desc
    assert root.get("font-family") == "sans-serif"


def test_no_features_typst_cannot_render():
    nodes, edges = _realistic()
    svg = _render(nodes, edges)
    for forbidden in ("<script", "<style", "style=", "foreignObject", "<filter", "filter=", "<image", "@import",
                      "url(", "http://", "https://"):
        allowed = svg.replace("http://www.w3.org/2000/svg", "").replace("http://www.w3.org/1999/xlink", "")
        assert forbidden not in allowed, forbidden


def test_ids_are_prefixed_unique_and_valid():
    nodes = [NetNode("a b", "1", "person", None), NetNode("a_b", "2", "person", None),
             NetNode("a_b-2", "3", "person", None), NetNode("Été/42", "4", "state", None)]
    root = ET.fromstring(_render(nodes, []))
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"net-[A-Za-z0-9_.-]+", value) for value in ids)


def test_coordinates_have_at_most_one_decimal():
    nodes, edges = _realistic()
    svg = _render(nodes, edges)
    numbers = re.findall(r"-?\d+\.\d+", " ".join(re.findall(r'(?:x|y|d|points|cx|cy|r|width|height)="([^"]*)"', svg)))
    assert numbers and all(len(number.split(".")[1]) == 1 for number in numbers)


# --------------------------------------------------------------------------- determinism and edges


def test_output_does_not_depend_on_input_order():
    nodes, edges = _realistic()
    reference = _render(nodes, edges)
    rng = random.Random(11)
    for _ in range(5):
        shuffled_nodes, shuffled_edges = nodes[:], [(b, a) if rng.random() < 0.5 else (a, b) for a, b in edges]
        rng.shuffle(shuffled_nodes)
        rng.shuffle(shuffled_edges)
        assert _render(shuffled_nodes, shuffled_edges) == reference


def test_duplicate_node_ids_are_resolved_deterministically():
    first, second = NetNode("a", "Alpha", "person", None), NetNode("a", "Beta", "state", "b.html")
    assert _render([first, second], []) == _render([second, first], [])
    assert _render([first, second], []).count('id="net-n-a"') == 1


def test_unknown_self_and_duplicate_edges_are_ignored():
    nodes = [NetNode("a", "A", "person", None), NetNode("m", "M", "meeting", None)]
    reference = _render(nodes, [("a", "m")])
    assert _render(nodes, [("a", "m"), ("m", "a"), ("a", "m"), ("a", "ghost"), ("ghost", "ghost2"), ("a", "a")]) \
        == reference
    path = ET.fromstring(reference).find(f".//{SVG}g[@id='net-edges']/{SVG}path")
    assert path.get("d").count("M") == 1


def test_empty_graph_renders():
    root = ET.fromstring(_render([], [], legend={}))
    assert float(root.get("width")) > 0 and float(root.get("height")) > 0


# --------------------------------------------------------------------------- links and legend


def test_links_present_with_right_href():
    nodes, edges = _realistic()
    root = ET.fromstring(_render(nodes, edges))
    links = {a.get("href"): a for a in root.iter(f"{SVG}a")}
    expected = {node.href for node in nodes if node.href}
    assert set(links) == expected
    for node in nodes:
        if node.href:
            link = links[node.href]
            assert link.get(XLINK_HREF) == node.href
            assert link.find(f"{SVG}title").text.startswith(node.label)
            if node.title:
                assert node.title in link.find(f"{SVG}title").text
    unlinked = [g for g in root.find(f".//{SVG}g[@id='net-nodes']") if g.tag == f"{SVG}g"]
    assert len(unlinked) == sum(1 for node in nodes if not node.href)


def test_legend_labels_are_drawn_in_kind_order():
    legend = {"meeting": "Réunion", "state": "État", "person": "Personne", "organisation": "Organisation"}
    root = ET.fromstring(_render([NetNode("a", "A", "person", None)], [], legend=legend))
    texts = [t.text for t in root.find(f"{SVG}g[@id='net-legend']").iter(f"{SVG}text")]
    assert texts == ["Personne", "Organisation", "État", "Réunion"]


def test_colours_meet_wcag_contrast():
    for text in (network.TEXT, network.MUTED):
        assert _contrast(text, network.BACKGROUND) >= 4.5
        assert _contrast(text, network.MEETING_FILL) >= 4.5
    for colour in [*network.COLOURS.values(), network.OTHER_COLOUR, network.EDGE_COLOUR]:
        assert _contrast(colour, network.BACKGROUND) >= 3.0


# --------------------------------------------------------------------------- layout quality


def test_columns_layout_has_no_overlapping_rows_or_cards():
    nodes, edges = _realistic()
    graph = prepare(nodes, edges)
    layout = plan_columns(graph)
    for side in (-1, 1):
        rows = sorted((layout.pos[i][1], layout.rows[i]) for i, s in layout.side.items() if s == side)
        for (y1, h1), (y2, h2) in itertools.pairwise(rows):
            assert y2 - y1 >= (h1 + h2) / 2 - 0.01
        assert all(h / 2 - 0.01 <= y <= layout.height - h / 2 + 0.01 for y, h in rows)
    cards = sorted(layout.cards.values(), key=lambda card: card[1])
    for (_x, top1, _w, height1), (_x2, top2, _w2, _h2) in itertools.pairwise(cards):
        assert top2 >= top1 + height1
    assert all(len(lines) <= 2 for i, lines in layout.lines.items() if i in layout.side)


def test_linked_groups_stay_on_one_side():
    nodes = [NetNode(f"cn{i}", f"C{i}", "person", None) for i in range(6)]
    nodes += [NetNode(f"ru{i}", f"R{i}", "person", None) for i in range(6)]
    nodes += [NetNode("cn", "Chine", "state", None), NetNode("ru", "Russie", "state", None),
              NetNode("ocs", "OCS", "organisation", None)]
    edges = [(f"cn{i}", "cn") for i in range(6)] + [(f"ru{i}", "ru") for i in range(6)]
    edges += [("cn", "ocs"), ("ru", "ocs")]
    graph = prepare(nodes, edges)
    layout = plan_columns(graph)
    side = {graph.nodes[i].id: s for i, s in layout.side.items()}
    assert len({side[f"cn{i}"] for i in range(6)} | {side["cn"]}) == 1
    assert len({side[f"ru{i}"] for i in range(6)} | {side["ru"]}) == 1
    assert side["cn"] != side["ru"]


def test_long_labels_are_ellipsised_but_kept_in_title():
    label = "Organisation " + "très " * 40 + "longue"
    root = ET.fromstring(_render([NetNode("o", label, "organisation", "o.html")], []))
    link = root.find(f".//{SVG}a")
    assert link.find(f"{SVG}title").text == label
    visible = " ".join(span.text for span in link.iter(f"{SVG}tspan"))
    assert visible.endswith("…") and len(visible) < len(label)


# --------------------------------------------------------------------------- scale


def test_two_thousand_nodes_render_quickly():
    nodes, edges = _big(2000)
    start = time.perf_counter()
    svg = _render(nodes, edges)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, elapsed
    root = ET.fromstring(svg)
    assert len(root.find(f".//{SVG}g[@id='net-nodes']")) == 2000
    assert float(root.get("width")) < 2000


def test_medium_graph_switches_to_rings_deterministically():
    nodes, edges = _big(400)
    svg = _render(nodes, edges)
    shuffled = nodes[::-1]
    assert _render(shuffled, edges[::-1]) == svg


# --------------------------------------------------------------------------- properties

_TEXT = st.text(max_size=60)
_NODE = st.builds(
    NetNode,
    id=st.text(min_size=0, max_size=12),
    label=_TEXT,
    kind=st.sampled_from(["person", "organisation", "state", "meeting", "autre", "<x>"]),
    href=st.none() | _TEXT,
    title=_TEXT,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nodes=st.lists(_NODE, max_size=12), data=st.data(), title=_TEXT, legend=st.dictionaries(_TEXT, _TEXT, max_size=5))
def test_arbitrary_input_gives_well_formed_deterministic_xml(nodes, data, title, legend):
    ids = [node.id for node in nodes] + ["ghost"]
    edges = data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=30))
    svg = render_network_svg(nodes, edges, title=title, legend=legend)
    root = ET.fromstring(svg)
    element_ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(element_ids) == len(set(element_ids))
    assert all(re.fullmatch(r"net-[A-Za-z0-9_.-]+", value) for value in element_ids)
    assert render_network_svg(nodes[::-1], edges[::-1], title=title, legend=legend) == svg


@pytest.mark.parametrize("value, expected", [(0.04, "0"), (-0.04, "0"), (1.25, "1.2"), (12.0, "12"), (-3.36, "-3.4")])
def test_fmt(value, expected):
    assert fmt(value) == expected


# --------------------------------------------------------------------------- edge legend, wrapping

EDGE_LEGEND = {**LEGEND, "edge_attend": "participe", "edge_member": "fonction ou pays", "edge_sequence": "fait suite à"}


def test_legend_explains_the_edge_line_styles():
    nodes, edges = _realistic()
    root = ET.fromstring(_render(nodes, edges, legend=EDGE_LEGEND))
    legend = root.find(f"{SVG}g[@id='net-legend']")
    texts = [t.text for t in legend.iter(f"{SVG}text")]
    assert texts == ["Personne", "Organisation", "État", "Réunion", "participe", "fonction ou pays", "fait suite à"]
    samples = [p for p in legend.iter(f"{SVG}path")]
    assert [p.get("stroke-dasharray") for p in samples] == [None, "4 3", "2 3"]
    drawn = {p.get("stroke"): p.get("stroke-dasharray") for p in root.find(f".//{SVG}g[@id='net-edges']")}
    assert {p.get("stroke"): p.get("stroke-dasharray") for p in samples} == drawn, "samples match the edges"
    rows = sorted({float(t.get("y")) for t in legend.iter(f"{SVG}text")})
    assert len(rows) == 2, "the edges take a row of their own"


def test_legend_names_only_the_edges_drawn():
    nodes = [NetNode("a", "A", "person", None), NetNode("m", "M", "meeting", None)]
    root = ET.fromstring(_render(nodes, [("a", "m")], legend=EDGE_LEGEND))
    texts = [t.text for t in root.find(f"{SVG}g[@id='net-legend']").iter(f"{SVG}text")]
    assert "participe" in texts and "fonction ou pays" not in texts and "fait suite à" not in texts


def test_no_line_starts_with_closing_punctuation_or_ends_with_opening():
    title = "Entretiens de Wang Yi et Nikolaï Patrouchev sur la « sécurité stratégique »"
    for width in range(60, 260, 7):
        for line in wrap(title, width, 11.0, 6):
            assert not line.startswith(("»", ":", ";", "!", "?")), (width, line)
            assert not line.rstrip("…").endswith("«"), (width, line)


# --------------------------------------------------------------------------- pinned output

PINNED = Path(__file__).resolve().parent / "fixtures" / "network_svg.sha256"
REFRESH = "DOSSIER_REFRESH_NETWORK_HASHES"


def _pinned_svgs(folder: Path) -> dict[str, str]:
    """The SVGs whose bytes are pinned: a synthetic dossier (column layout, page and PDF) and 400 nodes (rings)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    try:
        from synth import make_dossier
    finally:
        sys.path.pop(0)
    linked, report = prepare_dossiers(make_dossier(60, folder))
    assert not report.errors, report.lines()
    (one,) = linked
    return {
        "synth-60 network page": network_svg(one, f"{one.dossier.id}/network/"),
        "synth-60 pdf": network_svg(one, None),
        "big-400 rings": _render(*_big(400)),
    }


def test_network_svg_bytes_are_pinned(tmp_path):
    """Refactoring the network code must not change a byte of what it draws.

    On purpose changed the drawing? Refresh the recorded hashes with
    ``DOSSIER_REFRESH_NETWORK_HASHES=1 .venv/bin/python -m pytest tests/test_network.py -k pinned``,
    look at the new network page, and commit tests/fixtures/network_svg.sha256 with the change.
    """
    actual = {name: hashlib.sha256(svg.encode("utf-8")).hexdigest() for name, svg in _pinned_svgs(tmp_path).items()}
    if os.environ.get(REFRESH):
        PINNED.write_text("".join(f"{digest}  {name}\n" for name, digest in actual.items()), encoding="utf-8")
    recorded = dict(reversed(line.split("  ", 1)) for line in PINNED.read_text(encoding="utf-8").splitlines())
    assert actual == recorded, (
        f"the network SVG changed; if that is intended, rerun with {REFRESH}=1 to record the new hashes "
        f"in {PINNED.relative_to(PINNED.parent.parent.parent)} (see this test's docstring)"
    )


def _ring_graph(names: dict[str, str]) -> tuple[list[NetNode], list[tuple[str, str]]]:
    """A graph too big for columns (60 meetings), its actors named by *names* where given."""
    meetings = [NetNode(f"m{i:02}", f"Réunion {i}", "meeting", f"m{i}/", order=f"2023-{i:03}") for i in range(60)]
    actors = [NetNode(f"a{i:02}", names.get(f"a{i:02}", f"Acteur {i}"), ("person", "state")[i % 2], None)
              for i in range(30)]
    return [*meetings, *actors], [(f"m{i:02}", f"a{i % 30:02}") for i in range(60)] + [("a01", "a02")]


def test_the_ring_layout_kept_across_a_rename_draws_what_a_full_draw_gives():
    title, legend = "Réseau", {"person": "Personne", "state": "État", "meeting": "Réunion"}
    before = prepare(*_ring_graph({}))
    renamed = _ring_graph({"a03": "Renommé <Acteur> & 3", "a07": ""})
    after = prepare(*renamed)
    assert network.layout_key(after) == network.layout_key(before) is not None
    assert network.draw_network(after, network.network_layout(before), title=title, legend=legend) \
        == render_network_svg(*renamed, title=title, legend=legend)
    nodes, edges = _ring_graph({})
    grown = prepare([*nodes, NetNode("a99", "Nouveau", "person", None)], edges)
    assert network.layout_key(grown) != network.layout_key(before), "a new node is a new structure"
    assert network.layout_key(prepare(nodes, edges[1:])) != network.layout_key(before), "so is a lost edge"
    small = prepare(*_realistic())
    assert network.layout_key(small) is None, "the column layout measures the labels: never kept by structure"
