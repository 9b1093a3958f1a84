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


def test_a_write_is_read_back_by_a_new_process_view(store: MemoryStore) -> None:
    batch = small_batch()
    result = store.write(batch)
    assert result.added["actors"] == 3 and result.added["attestations"] == 1
    again = MemoryStore(store.path)
    assert [a.id for a in again.actors()] == ["pmf", "reuters", "us"]
    (claim,) = again.claims(involving="pmf")
    assert claim.claim == batch.claims[0]
    assert claim.attestations == tuple(batch.attestations)
    assert again.document(batch.documents[0].id) == batch.documents[0]
    assert again.stats().counts == {
        "actors": 3,
        "events": 0,
        "documents": 1,
        "claims": 1,
        "attestations": 1,
        "mentions": 0,
    }


def test_writing_the_same_batch_twice_changes_nothing(store: MemoryStore) -> None:
    store.write(small_batch())
    before = store.path.read_bytes()
    result = store.write(small_batch())
    assert not result.changed
    assert result.unchanged["claims"] == 1
    assert store.path.read_bytes() == before


def test_an_edited_actor_is_updated(store: MemoryStore) -> None:
    store.write(small_batch())
    result = store.write(
        GraphBatch(actors=[Actor(id="us", name="United States", kind="state", aliases=("USA",))])
    )
    assert result.updated["actors"] == 1
    assert store.actor("us") is not None and store.actor("us").aliases == ("USA",)  # type: ignore[union-attr]


def test_a_dangling_reference_writes_nothing(store: MemoryStore) -> None:
    store.write(GraphBatch(actors=[Actor(id="us", name="United States", kind="state")]))
    before = store.path.read_bytes()
    batch = small_batch()
    batch.actors = batch.actors[:1]  # pmf and reuters are missing
    with pytest.raises(IntegrityError, match=r"unknown actor 'pmf'.*unknown actor 'reuters'"):
        store.write(batch)
    assert store.path.read_bytes() == before
    assert MemoryStore(store.path).stats().counts["claims"] == 0
    assert store.stats().counts["documents"] == 0  # the in-memory view is untouched too


def test_a_claim_nobody_made_is_refused(store: MemoryStore) -> None:
    batch = small_batch()
    batch.attestations = []
    with pytest.raises(IntegrityError, match="has no attestation"):
        store.write(batch)


def test_an_id_cannot_be_both_actor_and_event(store: MemoryStore) -> None:
    store.write(GraphBatch(actors=[Actor(id="taji", name="Taji", kind="organisation")]))
    from actorgraph.graph.model import Event

    with pytest.raises(IntegrityError, match="clashes"):
        store.write(GraphBatch(events=[Event(id="taji", kind="strike")]))


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
