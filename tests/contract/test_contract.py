"""The contract suite: every test runs unchanged on the embedded store and on Neo4j."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from actorgraph.errors import IntegrityError
from actorgraph.graph.model import Actor, Event
from actorgraph.graph.neo4j import Neo4jStore
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.graph.store import GraphBatch, GraphStore
from actorgraph.loaders.pipeline import load_paths
from actorgraph.names.resolve import search_index
from actorgraph.queries import catalogue as q
from actorgraph.queries.profile import actor_profile
from tests.conftest import ARTICLES, DATA
from tests.helpers import CORPUS_COUNTS, small_batch


def test_a_write_is_read_back(any_store: GraphStore) -> None:
    batch = small_batch()
    result = any_store.write(batch)
    assert result.added["actors"] == 3
    assert result.added["attestations"] == 1
    assert [a.id for a in any_store.actors()] == ["pmf", "reuters", "us"]
    (claim,) = any_store.claims(involving="pmf")
    assert claim.claim == batch.claims[0]
    assert claim.attestations == tuple(batch.attestations)
    assert any_store.document(batch.documents[0].id) == batch.documents[0]
    assert any_store.actor("nobody") is None
    assert any_store.stats().counts == {
        "places": 0,
        "actors": 3,
        "events": 0,
        "documents": 1,
        "claims": 1,
        "attestations": 1,
        "mentions": 0,
        "casualties": 0,
        "tellings": 0,
    }
    assert any_store.stats().statuses == {"reported": 1}


def test_writing_the_same_batch_twice_changes_nothing(any_store: GraphStore) -> None:
    any_store.write(small_batch())
    before = any_store.dump()
    result = any_store.write(small_batch())
    assert not result.changed
    assert result.unchanged["claims"] == 1
    assert any_store.dump() == before


def test_an_edited_actor_is_updated(any_store: GraphStore) -> None:
    any_store.write(small_batch())
    edited = Actor(id="us", name="United States", kind="government_body", aliases=("USA",))
    result = any_store.write(GraphBatch(actors=[edited]))
    assert result.updated["actors"] == 1
    assert any_store.actor("us") == edited


def test_a_dangling_reference_writes_nothing(any_store: GraphStore) -> None:
    any_store.write(GraphBatch(actors=[Actor(id="us", name="United States", kind="state")]))
    batch = small_batch()
    batch.actors = batch.actors[:1]  # pmf and reuters are missing
    with pytest.raises(IntegrityError, match=r"unknown actor 'pmf'.*unknown actor 'reuters'"):
        any_store.write(batch)
    counts = any_store.stats().counts
    assert counts["documents"] == 0
    assert counts["claims"] == 0


def test_a_claim_nobody_made_is_refused(any_store: GraphStore) -> None:
    batch = small_batch()
    batch.attestations = []
    with pytest.raises(IntegrityError, match="has no attestation"):
        any_store.write(batch)
    assert any_store.stats().counts["actors"] == 0


def test_an_id_cannot_be_both_actor_and_event(any_store: GraphStore) -> None:
    any_store.write(GraphBatch(actors=[Actor(id="taji", name="Taji", kind="organisation")]))
    with pytest.raises(IntegrityError, match="clashes"):
        any_store.write(GraphBatch(events=[Event(id="taji", kind="strike")]))


def test_the_founding_corpus_loads_the_same_everywhere(
    any_store: GraphStore, tmp_path: Path
) -> None:
    outcomes = load_paths(any_store, [DATA, ARTICLES])
    assert [o.error for o in outcomes] == [None] * 6  # data/ holds four files
    stats = any_store.stats()
    assert stats.counts == CORPUS_COUNTS
    assert stats.statuses == {"confirmed": 5, "contested": 3, "reported": 12}
    reference = SQLiteStore(tmp_path / "reference.json")
    load_paths(reference, [DATA, ARTICLES])
    assert any_store.dump() == reference.dump()
    for actor in ("abu-mahdi-al-muhandis", "pmf", "shibl-al-zaidi"):
        assert actor_profile(any_store, actor) == actor_profile(reference, actor)


def test_loading_the_corpus_twice_changes_no_count(any_store: GraphStore) -> None:
    load_paths(any_store, [DATA, ARTICLES])
    before = any_store.dump()
    outcomes = load_paths(any_store, [ARTICLES, DATA])
    assert not any(o.result.changed for o in outcomes)
    assert any_store.stats().counts == CORPUS_COUNTS
    assert any_store.dump() == before


def test_two_loads_at_once_leave_no_duplicate_and_no_error(any_store: GraphStore) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda _: load_paths(any_store, [DATA, ARTICLES]), range(2)))
    for outcomes in runs:
        errors = [str(o.error) for o in outcomes if o.error is not None]
        # A claims file may race ahead of the other run's articles only if its own
        # articles are loaded first, which load_paths guarantees: no error at all.
        assert errors == []
    assert any_store.stats().counts == CORPUS_COUNTS


def test_dump_round_trips_into_the_other_store(any_store: GraphStore, tmp_path: Path) -> None:
    load_paths(any_store, [DATA, ARTICLES])
    copy = SQLiteStore(tmp_path / "copy.json")
    copy.write(any_store.dump())
    assert copy.dump() == any_store.dump()
    assert copy.stats().counts == CORPUS_COUNTS
    assert copy.stats().statuses == any_store.stats().statuses


def _second_handle(store: GraphStore, request: pytest.FixtureRequest) -> GraphStore:
    """The same graph opened again, as another process would."""
    if isinstance(store, SQLiteStore):
        return SQLiteStore(store.path)
    settings = request.getfixturevalue("neo4j_settings")
    auth = (settings.neo4j_username, settings.neo4j_password.get_secret_value())
    return Neo4jStore(settings.neo4j_uri, auth, settings.neo4j_database)


def test_search_keeps_its_index_until_another_writer_adds_an_actor(
    any_store: GraphStore, request: pytest.FixtureRequest
) -> None:
    any_store.write(small_batch())
    index = search_index(any_store)
    assert search_index(any_store) is index  # nothing changed: not built again
    assert q.search(any_store, q.SearchParams(q="Zahra Qasimi")) == []
    other = _second_handle(any_store, request)
    other.write(GraphBatch(actors=[Actor(id="zahra-qasimi", name="Zahra Qasimi", kind="person")]))
    other.close()
    hits = q.search(any_store, q.SearchParams(q="Zahra Qasimi"))
    assert [h.actor.id for h in hits] == ["zahra-qasimi"]
