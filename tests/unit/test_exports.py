"""Every export format round-trips or validates, and keeps who said what."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import stix2
from typer.testing import CliRunner

from actorgraph.cli import app
from actorgraph.graph import STORE_FILE
from actorgraph.graph.model import Stance
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.graph.store import GraphBatch
from actorgraph.loaders.pipeline import load_paths
from tests.conftest import ARTICLES, DATA

runner = CliRunner()


@pytest.fixture
def corpus(data_dir: Path) -> GraphBatch:
    store = SQLiteStore(data_dir / STORE_FILE)
    assert all(o.error is None for o in load_paths(store, [DATA, ARTICLES]))
    return store.dump()


def _export(fmt: str, path: Path) -> str:
    result = runner.invoke(app, ["export", "--format", fmt, "-o", str(path)])
    assert result.exit_code == 0, result.output
    return result.output


def _nodes(graph: GraphBatch) -> int:
    return len(graph.actors) + len(graph.events)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_read_back_with_the_same_counts_and_sources(
    corpus: GraphBatch, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"graph.{fmt}"
    _export(fmt, path)
    read = nx.read_graphml(path, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(path)
    assert read.number_of_nodes() == _nodes(corpus)
    assert read.number_of_edges() == len(corpus.claims)
    said = [json.loads(d["attestations"]) for _, _, d in read.edges(data=True)]
    assert sum(len(s) for s in said) == len(corpus.attestations)
    statuses = {d["status"] for _, _, d in read.edges(data=True)}
    assert {"confirmed", "contested", "reported"} <= statuses


def test_json_is_node_link_with_attestations_as_lists(corpus: GraphBatch, tmp_path: Path) -> None:
    path = tmp_path / "graph.sqlite"
    _export("json", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    g = nx.node_link_graph(data, edges="edges")
    assert (g.number_of_nodes(), g.number_of_edges()) == (_nodes(corpus), len(corpus.claims))
    quotes = {a["quote"] for e in data["edges"] for a in e["attestations"]}
    assert quotes == {a.quote for a in corpus.attestations}


def test_csv_writes_nodes_and_edges(corpus: GraphBatch, tmp_path: Path) -> None:
    output = _export("csv", tmp_path / "csv")
    assert "nodes.csv" in output and "edges.csv" in output
    with (tmp_path / "csv" / "nodes.csv").open(encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == _nodes(corpus)
    with (tmp_path / "csv" / "edges.csv").open(encoding="utf-8") as f:
        edges = list(csv.DictReader(f))
    assert len(edges) == len(corpus.claims)
    assert sum(len(json.loads(e["attestations"])) for e in edges) == len(corpus.attestations)


def test_the_stix_bundle_validates_and_keeps_denials_as_opinions(
    corpus: GraphBatch, tmp_path: Path
) -> None:
    path = tmp_path / "bundle.json"
    _export("stix", path)
    bundle = stix2.parse(path.read_text(encoding="utf-8"))  # strict: no custom content
    by_type: dict[str, list[Any]] = {}
    for obj in bundle.objects:
        by_type.setdefault(obj.type, []).append(obj)
    assert len(by_type["identity"]) == len(corpus.actors)
    assert len(by_type["incident"]) == len(corpus.events)
    claims = [r for r in by_type["relationship"] if r.relationship_type != "located-at"]
    assert len(claims) == len(corpus.claims)  # the rest place incidents (below)
    assert len(by_type["report"]) == len(corpus.documents)
    denied = [a for a in corpus.attestations if a.stance is Stance.DENIED]
    assert len(by_type["opinion"]) == len(denied)
    assert all(o.opinion == "strongly-disagree" for o in by_type["opinion"])
    assert len(by_type["note"]) == len(corpus.attestations) - len(denied)
    again = tmp_path / "again.json"
    _export("stix", again)
    ids = {o.id for o in stix2.parse(again.read_text(encoding="utf-8")).objects}
    assert ids == {o.id for o in bundle.objects}  # stable ids: a re-export updates, not duplicates


def test_an_export_to_an_unwritable_place_names_it(corpus: GraphBatch, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "graph.graphml"
    result = runner.invoke(app, ["export", "--format", "graphml", "-o", str(missing)])
    assert result.exit_code == 2
    assert str(missing) in result.output.replace("\n", "")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_placed_events_carry_their_coordinates(
    corpus: GraphBatch, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"graph.{fmt}"
    _export(fmt, path)
    read = nx.read_graphml(path, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(path)
    taji = read.nodes["taji-convoy-strike-2020"]
    assert (taji["at"], taji["geo_precision"]) == ("camp-taji", 2)
    assert taji["lat"] == pytest.approx(33.53, abs=0.05)
    assert taji["lon"] == pytest.approx(44.27, abs=0.05)
    placed = [e for e in corpus.events if e.at]
    assert sum("lat" in d for _, d in read.nodes(data=True)) == len(placed) > 0


def test_geojson_holds_each_placed_event_as_a_point_with_its_claims(
    corpus: GraphBatch, tmp_path: Path
) -> None:
    path = tmp_path / "events.geojson"
    _export("geojson", path)
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    features = {f["id"]: f for f in collection["features"]}
    assert set(features) == {e.id for e in corpus.events if e.at}
    places = {p.id: p for p in corpus.places}
    for event in corpus.events:
        if event.at:
            lon, lat = features[event.id]["geometry"]["coordinates"]
            assert (lat, lon) == (places[event.at].lat, places[event.at].lon)
    taji = features["taji-convoy-strike-2020"]["properties"]
    assert {c["status"] for c in taji["claims"]} >= {"contested"}


def test_stix_places_each_incident_at_a_location(corpus: GraphBatch, tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    _export("stix", path)
    bundle = stix2.parse(path.read_text(encoding="utf-8"), allow_custom=False)
    locations = {o.id: o for o in bundle.objects if o.type == "location"}
    located = [
        o
        for o in bundle.objects
        if o.type == "relationship" and o.relationship_type == "located-at"
    ]
    assert len(located) == sum(1 for e in corpus.events if e.at) and locations
    incidents = {o.id for o in bundle.objects if o.type == "incident"}
    assert all(r.source_ref in incidents and r.target_ref in locations for r in located)
    assert any(loc.name == "Camp Taji" for loc in locations.values())
