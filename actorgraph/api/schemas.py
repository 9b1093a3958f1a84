"""Request and response shapes of the HTTP API (the query results themselves live in queries)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from actorgraph.graph.model import Text
from actorgraph.queries.catalogue import (
    ActorListParams,
    ClaimParams,
    ContestedParams,
    Day,
    Params,
    PlaceListParams,
    SourcesParams,
    StrikeParams,
    TimelineParams,
)
from actorgraph.queries.shapes import DocumentRef

T = TypeVar("T")


class PageParams(Params):
    # Bounded: the stores count in 64 bits, and SKIP + LIMIT must fit (found by fuzzing).
    offset: int = Field(0, ge=0, le=10**9, description="Items to skip.")
    limit: int = Field(50, ge=1, le=500, description="Items per page.")


class Page(BaseModel, Generic[T]):
    """One page of a list: ``next`` is the URL of the following page, null on the last."""

    data: list[T]
    count: int = Field(description="Items in the whole list, not just this page.")
    next: str | None


class ActorPage(ActorListParams, PageParams):
    pass


class ClaimPage(ClaimParams, PageParams):
    pass


class ContestedPage(ContestedParams, PageParams):
    pass


class StrikePage(StrikeParams, PageParams):
    pass


class TimelinePage(TimelineParams, PageParams):
    pass


class PlacePage(PlaceListParams, PageParams):
    pass


class SourcesPage(SourcesParams, PageParams):
    pass


class Health(BaseModel):
    """Which store the API uses, and whether it answers."""

    store: str
    location: str
    ok: bool
    detail: str | None = None


class Problem(BaseModel):
    """An error: what went wrong, and the field it concerns when there is one."""

    detail: str
    type: str = Field(description="`not_found`, `invalid`, `conflict`, `refused`, ...")
    field: str | None = None


class DocumentIn(BaseModel):
    """An article to add: its text and what is known of it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "US denies strike on Taji convoy",
                    "text": "The US military denied on Saturday that it had carried out ...",
                    "publisher": "Al Masdar News",
                    "published": "2020-01-04",
                    "url": "https://example.org/us-denies-taji-strike",
                }
            ]
        },
    )

    title: Text = Field(min_length=1, max_length=1000)
    text: Text = Field(min_length=1)
    publisher: Text | None = Field(None, max_length=500)
    author: Text | None = Field(None, max_length=500)
    url: Text | None = Field(None, max_length=2000)
    published: Day | None = None
    source: Text | None = Field(None, max_length=2000)


class MentionOut(BaseModel):
    actor: str
    text: str
    start: int
    end: int


class DocumentOut(BaseModel):
    document: DocumentRef
    text: str
    mentions: list[MentionOut]


class DocumentAdded(BaseModel):
    """What ``POST /documents`` did: counts per record kind, and the actors found."""

    document: DocumentRef
    added: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]
    mentions: list[MentionOut]


class CypherIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "query": "MATCH (a:Actor)-[r:PART_OF]->(b:Actor {id: $id}) "
                    "RETURN a.name AS member, r.status AS status",
                    "parameters": {"id": "pmf"},
                }
            ]
        },
    )

    query: str = Field(min_length=1, max_length=20_000, description="One read-only statement.")
    parameters: dict[str, Any] = Field(default_factory=dict, description="`$name` values.")
    timeout: float | None = Field(
        None, gt=0, description="Seconds; at most the server's limit, which is the default."
    )


class CypherOut(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = Field(
        description="The answer was cut at the server's row cap or byte cap "
        "(ACTORGRAPH_CYPHER_MAX_ROWS, ACTORGRAPH_CYPHER_MAX_BYTES); rows are never cut in half."
    )


class QueryParam(BaseModel):
    name: str
    type: str
    required: bool
    default: Any = None
    description: str | None = None


class QueryInfo(BaseModel):
    """A named query: what it answers, where, with which parameters, and its Cypher."""

    name: str
    summary: str
    endpoint: str | None
    parameters: list[QueryParam]
    cypher: dict[str, str] = Field(description="The Cypher of each read it runs on Neo4j.")
