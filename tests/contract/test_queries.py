"""The named query catalogue: the same answers from both stores, and the right answers.

The contract half runs every query on the embedded store and on Neo4j,
loaded with the same graph (the founding corpus, then a generated one), and
asks for equal results. The other half checks what the answers mean on the
embedded store, against networkx and against the definitions.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from typing import Any

import networkx as nx
import pytest

from actorgraph.graph.model import Predicate, Stance, Status
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.graph.store import GraphBatch, GraphStore
from actorgraph.loaders.pipeline import load_paths
from actorgraph.queries import catalogue as q
from bench.synthetic import generate
from tests.conftest import ARTICLES, DATA
from tests.helpers import Pair, same, store_pair

AS_OF = (None, dt.date(2020, 1, 4), dt.date(2021, 1, 1))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, neo4j_settings: Any) -> Iterator[Pair]:
    def fill(store: GraphStore) -> None:
        assert all(o.error is None for o in load_paths(store, [DATA, ARTICLES]))

    yield from store_pair(tmp_path_factory.mktemp("corpus"), neo4j_settings, fill)


GENERATED = generate(actors=300, claims=1500, seed=11)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, neo4j_settings: Any) -> Iterator[Pair]:
    def fill(store: GraphStore) -> None:
        store.write(GENERATED)

    yield from store_pair(tmp_path_factory.mktemp("generated"), neo4j_settings, fill)


# -- the contract: equal answers -------------------------------------------------------


def test_every_query_answers_the_same_on_the_corpus(corpus: Pair) -> None:
    embedded, _ = corpus
    actor_ids = [a.id for a in embedded.actors()]
    claim_ids = [c.claim.id for c in embedded.claims()]
    event_ids = sorted({c.claim.event for c in embedded.claims() if c.claim.event})
    for as_of in AS_OF:
        when = q.AsOf(as_of=as_of)
        for actor_id in actor_ids:
            same(corpus, q.actor, actor_id, when)
            for hops in (1, 2, 3):
                same(
                    corpus, q.neighbourhood, actor_id, q.NeighbourhoodParams(hops=hops, as_of=as_of)
                )
            same(corpus, q.chain, actor_id, q.ChainParams(as_of=as_of))
            same(corpus, q.strikes, actor_id, q.StrikeParams(as_of=as_of))
            same(corpus, q.claims, q.ClaimParams(actor=actor_id, as_of=as_of))
            same(corpus, q.timeline, q.TimelineParams(actor=actor_id, as_of=as_of))
        for status in Status:
            same(corpus, q.claims, q.ClaimParams(status=[status], as_of=as_of))
        same(corpus, q.contested, q.ContestedParams(as_of=as_of))
        same(corpus, q.timeline, q.TimelineParams(as_of=as_of))
        for claim_id in claim_ids:
            same(corpus, q.who_said, claim_id, when)
        for event_id in event_ids:
            same(corpus, q.event, event_id, when)
        for source in actor_ids[::4]:
            for target in actor_ids[1::5]:
                same(corpus, q.paths, q.PathParams(source=source, target=target, as_of=as_of))
    for item in embedded.claims():
        claim = item.claim
        params = q.SourcesParams(
            subject=claim.subject, predicate=claim.predicate, object=claim.object
        )
        same(corpus, q.sources, params)
    same(corpus, q.timeline, q.TimelineParams(since=dt.date(2020, 1, 1), until=dt.date(2020, 1, 3)))
    same(corpus, q.search, q.SearchParams(q="Hezbollah"))
    same(corpus, q.actors, q.ActorListParams(), 0, 100)
    same(corpus, q.actors, q.ActorListParams(kind="person"), 3, 5)
    documents, _ = same(corpus, q.documents, 0, 10)
    for document in documents:
        same(corpus, q.document, document.id)
    stats = [q.stats(store) for store in corpus]  # store and location differ, by design
    assert stats[0].counts == stats[1].counts == embedded.stats().counts
    assert stats[0].statuses == stats[1].statuses
    same(corpus, q.actor, "no-such-actor", q.AsOf())


def test_every_query_answers_the_same_on_a_generated_graph(generated: Pair) -> None:
    embedded, _ = generated
    rng = random.Random(5)
    actor_ids = [a.id for a in embedded.actors()]
    dates = sorted({a.date for a in GENERATED.attestations if a.date})
    cuts = [None, *rng.sample(dates, 3)]
    for actor_id in rng.sample(actor_ids, 25):
        as_of = rng.choice(cuts)
        statuses = rng.sample(list(Status), rng.randint(0, 2))
        for hops, limit in ((1, 1000), (2, 60), (3, 200)):
            params = q.NeighbourhoodParams(hops=hops, limit=limit, status=statuses, as_of=as_of)
            same(generated, q.neighbourhood, actor_id, params)
        same(generated, q.chain, actor_id, q.ChainParams(as_of=as_of, limit=50))
        same(generated, q.strikes, actor_id, q.StrikeParams(as_of=as_of))
        same(generated, q.timeline, q.TimelineParams(actor=actor_id, as_of=as_of))
        target = rng.choice(actor_ids)
        same(generated, q.paths, q.PathParams(source=actor_id, target=target, as_of=as_of))
        predicates = rng.sample(list(Predicate), 2)
        same(generated, q.claims, q.ClaimParams(actor=actor_id, predicate=predicates, as_of=as_of))
    for as_of in cuts:
        same(generated, q.contested, q.ContestedParams(as_of=as_of))
        same(generated, q.claims, q.ClaimParams(status=[Status.DENIED], as_of=as_of))
    years = sorted({e.date for e in GENERATED.events if e.date})
    same(generated, q.timeline, q.TimelineParams(since=years[10], until=years[40]))


# -- what the answers mean --------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    store = SQLiteStore(tmp_path_factory.mktemp("synthetic") / "graph.sqlite")
    store.write(GENERATED)
    return store


def _undirected(batch: GraphBatch) -> nx.MultiGraph:
    graph = nx.MultiGraph()
    for claim in batch.claims:
        graph.add_edge(claim.subject, claim.object, key=claim.id)
    return graph


def test_paths_are_the_shortest_and_all_of_them(synthetic_store: SQLiteStore) -> None:
    graph = _undirected(GENERATED)
    rng = random.Random(3)
    nodes = sorted(n for n in graph if synthetic_store.actor(n))
    checked = 0
    for _ in range(40):
        source, target = rng.sample(nodes, 2)
        found = q.paths(synthetic_store, q.PathParams(source=source, target=target, limit=100))
        try:
            expected = nx.shortest_path_length(graph, source, target)
        except nx.NetworkXNoPath:
            expected = None
        if expected is None or expected > 4:
            assert found.hops is None and found.paths == []
            continue
        assert found.hops == expected
        simple = nx.Graph(graph)
        node_paths = {tuple(p.nodes) for p in found.paths}
        if not found.truncated:
            assert node_paths == {tuple(p) for p in nx.all_shortest_paths(simple, source, target)}
        for path in found.paths:
            for (a, b), edge in zip(itertools.pairwise(path.nodes), path.edges, strict=True):
                assert {edge.source, edge.target} == {a, b}
        checked += 1
    assert checked >= 10


def test_the_neighbourhood_is_every_node_within_reach(synthetic_store: SQLiteStore) -> None:
    graph = _undirected(GENERATED)
    for actor_id in random.Random(8).sample(sorted(a.id for a in synthetic_store.actors()), 10):
        for hops in (1, 2):
            found = q.neighbourhood(
                synthetic_store, actor_id, q.NeighbourhoodParams(hops=hops, limit=5000)
            )
            reach = (
                nx.single_source_shortest_path_length(graph, actor_id, cutoff=hops)
                if actor_id in graph
                else {actor_id: 0}
            )
            assert {n.id: n.depth for n in found.nodes} == reach
            assert not found.truncated


def test_a_status_is_derived_from_what_was_said_by_then(synthetic_store: SQLiteStore) -> None:
    cut = dt.date(2021, 6, 30)
    for view in q.claims(synthetic_store, q.ClaimParams(as_of=cut)):
        assert view.attestations and all(a.date and a.date <= cut for a in view.attestations)
    contested = q.contested(synthetic_store, q.ContestedParams())
    assert contested
    for view in contested:
        latest: dict[str, Stance] = {}
        for said in view.attestations:  # chronological
            latest[said.speaker.id] = said.stance
        assert Stance.REPORTED in latest.values() and Stance.DENIED in latest.values()


def test_the_command_chain_goes_up_through_commanders_and_umbrellas(corpus: Pair) -> None:
    embedded, _ = corpus
    chain = q.chain(embedded, "kataib-hezbollah", q.ChainParams(direction="up"))
    for edge in chain.edges:
        lower, upper = (
            (edge.source, edge.target)
            if edge.predicate is Predicate.PART_OF
            else (edge.target, edge.source)
        )
        depth = {n.id: n.depth for n in chain.nodes}
        assert depth[upper] == depth[lower] + 1


PAGES = [(0, 1), (0, 5), (3, 4), (7, 100), (1000, 5)]


def test_a_page_the_store_reads_is_the_page_of_the_whole_list(generated: Pair) -> None:
    """Claims and events paged by the store itself equal the same page of the whole answer,
    on both stores, with the same total."""
    listings: list[tuple[Any, Any]] = [
        (q.claims, q.ClaimParams()),
        (q.claims, q.ClaimParams(status=[Status.CONTESTED, Status.DENIED])),
        (q.claims, q.ClaimParams(predicate=[Predicate.STRUCK])),
        (q.contested, q.ContestedParams()),
        (q.timeline, q.TimelineParams()),
        (q.timeline, q.TimelineParams(since=dt.date(2021, 1, 1), until=dt.date(2022, 12, 31))),
    ]
    for query, params in listings:
        whole = same(generated, query, params)
        assert len(whole) > 10, query.__name__
        for offset, limit in PAGES:
            page = same(generated, query, params, offset, limit)
            assert page == whole[offset : offset + limit], (query.__name__, offset, limit)
            assert page.total == len(whole)
