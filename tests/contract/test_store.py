from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest

from actorgraph.errors import ActorGraphError, IntegrityError
from actorgraph.graph import STORE_FILE, open_embedded
from actorgraph.graph.model import Actor, Claim
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.graph.store import GraphBatch
from actorgraph.queries import reads
from actorgraph.settings import Settings
from bench.synthetic import generate
from tests.helpers import small_batch


def test_a_write_is_read_back_from_the_file(store: SQLiteStore) -> None:
    batch = small_batch()
    store.write(batch)
    again = SQLiteStore(store.path)
    assert again.dump() == store.dump()
    assert again.dump().claims == batch.claims


def test_writing_the_same_batch_twice_changes_nothing(store: SQLiteStore) -> None:
    store.write(small_batch())
    before = (store.dump(), store.actors_revision())
    assert not store.write(small_batch()).changed
    assert (store.dump(), store.actors_revision()) == before


def test_a_refused_write_changes_nothing(store: SQLiteStore) -> None:
    store.write(GraphBatch(actors=[Actor(id="us", name="United States", kind="state")]))
    before = store.dump()
    batch = small_batch()
    batch.actors = batch.actors[:1]
    with pytest.raises(IntegrityError):
        store.write(batch)
    assert store.dump() == before
    assert SQLiteStore(store.path).dump() == before


def test_writes_from_another_process_are_seen(store: SQLiteStore) -> None:
    store.write(GraphBatch(actors=[Actor(id="us", name="United States", kind="state")]))
    other = SQLiteStore(store.path)
    other.write(GraphBatch(actors=[Actor(id="iran", name="Iran", kind="state")]))
    store.write(GraphBatch(actors=[Actor(id="iraq", name="Iraq", kind="state")]))
    assert [a.id for a in SQLiteStore(store.path).actors()] == ["iran", "iraq", "us"]
    other.write(small_batch())  # store's graph must follow for the query below
    assert [
        e["claim"] for e in store.query(reads.EDGES_TOUCHING, ids=["us"], predicates=["struck"])
    ] == [small_batch().claims[0].id]


def test_the_file_is_sqlite_with_one_json_record_per_row(store: SQLiteStore) -> None:
    batch = small_batch()
    store.write(batch)
    with sqlite3.connect(store.path) as db:
        (data,) = db.execute("SELECT data FROM claims").fetchone()
        (status,) = db.execute("SELECT status FROM claims").fetchone()
    assert Claim.model_validate_json(data) == batch.claims[0]
    assert status == "reported"


def test_a_broken_file_is_reported_not_crashed_on(tmp_path: Path) -> None:
    path = tmp_path / "graph.sqlite"
    path.write_text("{not a database", encoding="utf-8")
    with pytest.raises(ActorGraphError, match="cannot be read"):
        SQLiteStore(path)


def test_killed_in_the_middle_of_a_write_the_old_store_survives(store: SQLiteStore) -> None:
    store.write(GraphBatch(actors=[Actor(id="us", name="United States", kind="state")]))
    before = store.dump()
    # A real process, killed by SIGKILL in the middle of a write: its actors,
    # documents, claims and attestations are written, its mentions are next.
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from actorgraph.graph.sqlite import SQLiteStore
        from actorgraph.graph.model import Actor, Mention
        from tests.helpers import small_batch
        Mention.model_dump_json = lambda self: os.kill(os.getpid(), signal.SIGKILL)
        batch = small_batch()
        batch.mentions = [Mention(document=batch.documents[0].id, actor="us", text="US",
                                  start=20, end=22)]
        SQLiteStore(Path({str(store.path)!r})).write(batch)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], check=False, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert store.dump() == before
    survivor = SQLiteStore(store.path)
    assert survivor.dump() == before
    survivor.write(small_batch())
    assert SQLiteStore(store.path).dump() == survivor.dump()
    assert len(survivor.dump().attestations) == 1


def test_a_store_of_actorgraph_0_1_is_imported(tmp_path: Path) -> None:
    """0.1 kept the graph as node-link JSON in graph.json: opening its folder imports it."""
    batch = generate(actors=20, claims=60, seed=2)
    graph = nx.MultiDiGraph()
    labels = {"actors": "Actor", "events": "Event", "documents": "Document", "claims": "Claim"}
    for kind, label in labels.items():
        for record in getattr(batch, kind):
            graph.add_node(record.id, label=label, data=record.model_dump(mode="json"))
    for claim in batch.claims:
        graph.add_edge(claim.subject, claim.object, key=claim.id, type=claim.predicate.rel_type)
    for att in batch.attestations:
        data = att.model_dump(mode="json")
        graph.add_edge(att.speaker, att.claim, key=att.id, type=att.stance.rel_type, data=data)
    payload = {"format": "actorgraph-embedded/1", "graph": nx.node_link_data(graph, edges="edges")}
    (tmp_path / "graph.json").write_text(json.dumps(payload), encoding="utf-8")
    store = open_embedded(Settings(data_dir=tmp_path, NEO4J_URI=None))
    assert store.dump() == batch
    assert store.path == tmp_path / STORE_FILE
    fresh = SQLiteStore(tmp_path / "fresh.sqlite")
    fresh.write(batch)
    assert store.stats() == replace(fresh.stats(), location=store.location)
