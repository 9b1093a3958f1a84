"""What several test modules share: a small batch, the founding corpus's counts, opening Neo4j.

(Fixtures live in ``conftest.py``; a test module never imports another.)
"""

from __future__ import annotations

from actorgraph.graph.model import Actor, Attestation, Claim, Document
from actorgraph.graph.neo4j import Neo4jStore
from actorgraph.graph.store import GraphBatch
from actorgraph.settings import Settings

TAJI = "taji-convoy-strike-2020"
"""The curated event of the US strike at Taji that Reuters' source reports and the US denies."""

CORPUS_COUNTS = {
    "actors": 64,
    "events": 10,  # 6 curated, 4 more the articles tell of
    "documents": 2,
    "claims": 20,  # the curated ones and what extraction finds beyond them
    "attestations": 46,
    "mentions": 178,
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
