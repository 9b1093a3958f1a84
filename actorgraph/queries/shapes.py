"""What the named queries return: plain pydantic shapes, serialisable as they are."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from actorgraph.graph.model import (
    Actor,
    CasualtyFigure,
    Event,
    GeoPrecision,
    Place,
    Predicate,
    Stance,
    Status,
    Telling,
)

_T = TypeVar("_T")


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True)


class Ref(_Shape):
    """An actor or an event, with a name to show."""

    id: str
    name: str
    kind: str = Field(description="The actor's kind, or `event`.")


class DocumentRef(_Shape):
    """A document's metadata, without its text."""

    id: str
    title: str
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    published: dt.date | None = None
    source: str | None = None


class Said(_Shape):
    """One attestation: who said it, for or against, where, when and in which words."""

    id: str
    speaker: Ref
    stance: Stance
    hedged: bool
    quote: str
    start: int = Field(description="Offset of the quote in the document's text.")
    end: int
    date: dt.date | None = Field(description="The document's publication date.")
    document: DocumentRef


class ClaimView(_Shape):
    """A claim with its status and everything said about it."""

    id: str
    subject: Ref
    predicate: Predicate
    object: Ref
    event: Ref | None
    status: Status
    attestations: list[Said]


class Node(_Shape):
    id: str
    name: str
    kind: str = Field(description="The actor's kind, or `event`.")
    depth: int = Field(
        description="Hops from where the query started; in a command chain, levels up (+) "
        "or down (-)."
    )


class Edge(_Shape):
    """A claim drawn as a relationship between two nodes."""

    claim: str
    source: str
    target: str
    predicate: Predicate
    status: Status
    attestations: int


class Subgraph(_Shape):
    """Nodes and the claims between them; ``truncated`` when the cap left nodes out."""

    nodes: list[Node]
    edges: list[Edge]
    truncated: bool = False
    omitted: int = Field(
        0, description="Nodes reached but left out by the cap (not those beyond them)."
    )


class Path(_Shape):
    nodes: list[str]
    edges: list[Edge] = Field(description="One per step, with the claim it rests on.")


class Paths(_Shape):
    """The shortest paths between two actors (all of them, up to a limit)."""

    source: Ref
    target: Ref
    hops: int | None = Field(description="Length of the shortest paths; null when none.")
    paths: list[Path]
    nodes: list[Node]
    truncated: bool = False


class SearchHit(_Shape):
    actor: Actor
    score: float = Field(description="0-100; 100 is an exact name or alias.")
    matched: str = Field(description="The name or alias that matched best.")


class ActorDetail(_Shape):
    actor: Actor
    documents: int = Field(description="Documents that name the actor.")
    claims: dict[str, int] = Field(description="Claims about the actor, by status.")
    relations: dict[str, int] = Field(description="Claims about the actor, by predicate.")


class PlacedAt(_Shape):
    """Where an event is: its place, and how closely the sources place it there."""

    id: str
    name: str
    lat: float
    lon: float
    precision: GeoPrecision | None = Field(
        description="1: at the place itself; 2: near it, or in a part of it; 3: only the region."
    )


class CasualtyRange(_Shape):
    """A count across sources: the lowest and the highest figure any of them gives."""

    low: int | None
    high: int | None
    low_by: list[str] = Field(description="The speakers who give the low figure.")
    high_by: list[str] = Field(description="The speakers who give the high figure.")


class Casualties(_Shape):
    """An event's casualty figures, each as its source gives it, and their range across
    sources (as Airwars gives a minimum and a maximum, UCDP a low and a high)."""

    killed: CasualtyRange | None = None
    injured: CasualtyRange | None = None
    figures: list[CasualtyFigure] = []


class EventDetail(_Shape):
    """An event with every claim made about it and who made it, and its casualty figures."""

    event: Event
    place: PlacedAt | None = None
    casualties: Casualties = Casualties()
    tellings: list[Telling] = Field(
        [], description="How each document tells of it: the date and place as it says them."
    )
    claims: list[ClaimView]


class PlaceDetail(_Shape):
    """A place, what contains it (the nearest first), what it holds, and the events there."""

    place: Place
    containing: list[Place]
    within: list[Place] = Field(description="The places directly inside it.")
    events: list[Event] = Field(description="Events at it or anywhere inside it, by date.")


class GraphStatistics(_Shape):
    store: str
    location: str
    counts: dict[str, int]
    statuses: dict[str, int]


class Slice(list[_T]):
    """One page of a longer list (all of it by default), and how long that list is.

    Examples
    --------
    >>> page = Slice.of(["a", "b", "c"], offset=1, limit=1)
    >>> page, page.total
    (['b'], 3)
    """

    def __init__(self, items: Iterable[_T], total: int | None = None) -> None:
        super().__init__(items)
        self.total = len(self) if total is None else total

    @classmethod
    def of(cls, items: Sequence[_T], offset: int = 0, limit: int | None = None) -> Slice[_T]:
        """The page of ``items`` from ``offset``, at most ``limit`` long."""
        end = None if limit is None else offset + limit
        return cls(items[offset:end], len(items))
