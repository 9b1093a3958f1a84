"""The benchmarks measure what they say: the same graph by every loader, every query by every layer.

Nothing here is timed; figures come from ``make bench`` (BENCHMARKS.md).
These run the benchmark code at a tiny size so that it cannot rot unnoticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from actorgraph.graph.neo4j import Neo4jStore
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.graph.store import KINDS
from bench import ingest, latency
from bench.__main__ import latency as sections_of
from bench.common import Stats
from bench.synthetic import generate


def test_p99_is_the_nearest_rank() -> None:
    hundred = Stats.of([float(i) for i in range(1, 101)])
    assert (hundred.median, hundred.p99, hundred.n) == (50.5, 99.0, 100)
    assert Stats.of([3.0, 1.0, 2.0]).p99 == 3.0  # fewer than 100: the slowest


def test_slices_carry_the_whole_graph_in_writable_order(tmp_path: Path) -> None:
    batch = generate(actors=30, claims=120, seed=3)
    store = SQLiteStore(tmp_path / "graph.sqlite")
    parts = list(ingest.slices(batch, per=25))
    assert len(parts) == 2 + 5  # actors, events, then 120 claims 25 at a time
    for part in parts:
        store.write(part)  # refuses a slice that refers to what is not written yet
    stored = store.dump()
    for kind in KINDS:
        assert sorted(r.id for r in getattr(stored, kind)) == [r.id for r in getattr(batch, kind)]


@pytest.mark.usefixtures("neo4j_store")  # Neo4j is there (CI fails without it), and emptied
def test_every_loader_writes_the_same_graph() -> None:
    section = ingest.run(actors=20, claims=40)  # raises if a loader wrote other nodes
    text = section.markdown()
    for loader in ("actorgraph batched", "naive loop", "py2neo 2021.2.4"):
        assert loader in text
    assert "failed" not in text


@pytest.mark.parametrize("store", ["embedded", "neo4j"])
def test_every_query_is_measured_through_every_layer(
    store: str, request: pytest.FixtureRequest
) -> None:
    if store == "neo4j":
        request.getfixturevalue("neo4j_store")
    result = latency.measure(store, actors=30, claims=150, samples=4, seconds=1)
    layers = {"python", "http"} | ({"bare"} if store == "neo4j" else set())
    assert set(result["latency"]) == set(latency.QUERIES)
    for query, measured in result["latency"].items():
        assert set(measured) == layers, query
        for median, p99 in measured.values():
            assert 0 < median <= p99
    assert result["throughput"]["requests"] > 0
    assert result["throughput"]["errors"] == 0, result["throughput"]["first_errors"]
    if store == "embedded":
        assert result["open"]["rss_bytes"] > 0
    report = "\n".join(section.markdown() for section in sections_of([result]))
    assert f"| {store} | 150 |" in report  # its throughput and its load


def test_the_bare_queries_are_read_only(neo4j_store: Neo4jStore) -> None:
    with neo4j_store._driver.session() as session:
        for query in latency.BARE.values():
            plan = session.run("EXPLAIN " + query, q="x", id="x", source="x", target="y")
            assert plan.consume().query_type == "r", query
