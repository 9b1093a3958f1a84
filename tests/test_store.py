from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from actorgraph.errors import ActorGraphError, IntegrityError
from actorgraph.graph.memory import MemoryStore
from actorgraph.graph.model import Actor, Attestation, Claim, Document
from actorgraph.graph.store import GraphBatch
from actorgraph.synthetic import generate


def small_batch() -> GraphBatch:
    doc = Document(title="T", text="Reuters said the US struck the PMF.", published="2020-01-04")
    claim = Claim(subject="us", predicate="struck", object="pmf")
    quote = "the US struck the PMF"
    start = doc.text.index(quote)
    return GraphBatch(
        actors=[
            Actor(id="us", name="United States", kind="state"),
            Actor(id="pmf", name="Popular Mobilization Forces", kind="armed_group"),
            Actor(id="reuters", name="Reuters", kind="media_outlet"),
        ],
        documents=[doc],
        claims=[claim],
        attestations=[
            Attestation(
                claim=claim.id,
                speaker="reuters",
                stance="reported",
                document=doc.id,
                quote=quote,
                start=start,
                end=start + len(quote),
                date=doc.published,
            )
        ],
    )


def test_a_write_is_read_back_from_the_file(store: MemoryStore) -> None:
    batch = small_batch()
    store.write(batch)
    again = MemoryStore(store.path)
    assert again.dump() == store.dump()
    assert again.dump().claims == batch.claims


def test_writing_the_same_batch_twice_leaves_the_file_as_it_was(store: MemoryStore) -> None:
    store.write(small_batch())
    before = store.path.read_bytes()
    assert not store.write(small_batch()).changed
    assert store.path.read_bytes() == before


def test_a_refused_write_leaves_the_file_as_it_was(store: MemoryStore) -> None:
    store.write(GraphBatch(actors=[Actor(id="us", name="United States", kind="state")]))
    before = store.path.read_bytes()
    batch = small_batch()
    batch.actors = batch.actors[:1]
    with pytest.raises(IntegrityError):
        store.write(batch)
    assert store.path.read_bytes() == before


def test_writes_from_another_process_are_seen(store: MemoryStore) -> None:
    store.write(GraphBatch(actors=[Actor(id="us", name="United States", kind="state")]))
    other = MemoryStore(store.path)
    other.write(GraphBatch(actors=[Actor(id="iran", name="Iran", kind="state")]))
    store.write(GraphBatch(actors=[Actor(id="iraq", name="Iraq", kind="state")]))
    assert [a.id for a in MemoryStore(store.path).actors()] == ["iran", "iraq", "us"]


def test_the_file_is_plain_sorted_json(store: MemoryStore) -> None:
    store.write(small_batch())
    payload = json.loads(store.path.read_text(encoding="utf-8"))
    assert payload["format"] == "actorgraph-embedded/1"
    ids = [n["id"] for n in payload["graph"]["nodes"]]
    assert ids == sorted(ids)


def test_a_broken_file_is_reported_not_crashed_on(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ActorGraphError, match="cannot be read"):
        MemoryStore(path)


def test_killed_between_temp_write_and_rename_the_old_store_survives(store: MemoryStore) -> None:
    store.write(GraphBatch(actors=[Actor(id="us", name="United States", kind="state")]))
    before = store.path.read_bytes()
    # A real process, killed by SIGKILL at the moment it would rename the
    # fully written and fsynced temporary file over the store.
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from actorgraph.graph.memory import MemoryStore
        from actorgraph.graph.model import Actor
        from actorgraph.graph.store import GraphBatch
        os.replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
        MemoryStore(Path({str(store.path)!r})).write(
            GraphBatch(actors=[Actor(id="iran", name="Iran", kind="state")]))
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], check=False, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert list(store.path.parent.glob("*.tmp")), "the kill should leave the temp file behind"
    assert store.path.read_bytes() == before
    survivor = MemoryStore(store.path)
    assert [a.id for a in survivor.actors()] == ["us"]
    survivor.write(GraphBatch(actors=[Actor(id="iraq", name="Iraq", kind="state")]))
    assert [a.id for a in MemoryStore(store.path).actors()] == ["iraq", "us"]
    assert not list(store.path.parent.glob("*.tmp")), "the next write sweeps stale temp files"


def test_the_store_file_is_replaced_not_rewritten_in_place(store: MemoryStore) -> None:
    store.write(GraphBatch(actors=[Actor(id="us", name="United States", kind="state")]))
    inode = os.stat(store.path).st_ino
    store.write(GraphBatch(actors=[Actor(id="iran", name="Iran", kind="state")]))
    assert os.stat(store.path).st_ino != inode


def test_a_store_written_before_statuses_were_kept_reads_the_same(tmp_path: Path) -> None:
    """Files of actorgraph 0.1 have no status on their edges: reading one derives them."""
    path = tmp_path / "graph.json"
    store = MemoryStore(path)
    store.write(generate(actors=20, claims=60, seed=2))
    kept = store.stats().statuses
    payload = json.loads(path.read_text())
    for edge in payload["graph"]["edges"]:
        edge.pop("status", None)
        edge.pop("attestations", None)
    old = tmp_path / "old" / "graph.json"
    old.parent.mkdir()
    old.write_text(json.dumps(payload))
    assert MemoryStore(old).stats().statuses == kept
