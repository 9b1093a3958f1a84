"""What several test modules share: a small batch, the founding corpus's counts, opening
Neo4j, and a pair of stores holding one graph to compare their answers.

(Fixtures live in ``conftest.py``; a test module never imports another.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from actorgraph.errors import NotFoundError
from actorgraph.graph.model import Actor, Attestation, Claim, Document
from actorgraph.graph.neo4j import Neo4jStore
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.graph.store import GraphBatch, GraphStore
from actorgraph.settings import Settings
from tests.conftest import wipe

TAJI = "taji-convoy-strike-2020"
"""The curated event of the US strike at Taji that Reuters' source reports and the US denies."""

CORPUS_COUNTS = {
    "places": 64,  # data/places.yaml
    "actors": 64,
    "events": 10,  # 6 curated, 4 more the articles tell of
    "documents": 2,
    "claims": 20,  # the curated ones and what extraction finds beyond them
    "attestations": 46,
    "mentions": 178,
    "casualties": 8,  # the figures the founding articles give: "six burned corpses"
    "tellings": 10,  # how each article tells of each event it names
}
"""What the curated data and the founding corpus load into any store."""


def small_batch() -> GraphBatch:
    """Three actors, one document, one claim and who said it."""
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


def open_neo4j(settings: Settings) -> Neo4jStore:
    """A store on the Neo4j ``settings`` names (nothing emptied)."""
    auth = (settings.neo4j_username, settings.neo4j_password.get_secret_value())
    return Neo4jStore(settings.neo4j_uri or "", auth, settings.neo4j_database)


Pair = tuple[SQLiteStore, Neo4jStore]


def store_pair(tmp: Path, settings: Any, fill: Callable[[GraphStore], None]) -> Iterator[Pair]:
    """Both stores, each filled by ``fill``, holding the same graph; Neo4j is closed after."""
    embedded = SQLiteStore(tmp / "graph.sqlite")
    neo4j = open_neo4j(settings)
    wipe(neo4j)
    fill(embedded)
    fill(neo4j)
    assert embedded.dump() == neo4j.dump()
    yield embedded, neo4j
    neo4j.close()


def same(pair: Pair, query: Callable[..., Any], *args: Any) -> Any:
    """Run ``query`` on both stores; their answers (or errors) must be equal."""
    answers = []
    for store in pair:
        try:
            answers.append(query(store, *args))
        except NotFoundError as exc:
            answers.append(("not found", str(exc)))
    assert answers[0] == answers[1], f"{query.__name__}{args!r}"
    return answers[0]
