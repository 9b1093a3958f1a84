"""The named query catalogue: what an analyst can ask without writing Cypher.

Each query is a function of a store, the ids it is about and a parameter
model; it runs reads from :mod:`actorgraph.queries.reads` (Cypher on Neo4j,
networkx on the embedded store) and shares everything else. Every query that
returns claims takes ``as_of``: only attestations published on or before
that day count, and statuses are derived from those alone, so the answer is
what was known that day. An attestation without a date never counts under
``as_of``: nobody can say it was known by then.

The API serves each query at an endpoint of the same name, and lists the
catalogue at ``GET /queries``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from actorgraph.errors import InputError, NotFoundError, UnsupportedError
from actorgraph.graph.cypher import CypherResult
from actorgraph.graph.model import (
    Actor,
    ActorKind,
    Claim,
    Document,
    Event,
    Mention,
    Predicate,
    Status,
    chronological,
    derive_status,
)
from actorgraph.graph.neo4j import Neo4jStore
from actorgraph.graph.store import AttestedClaim, GraphStore
from actorgraph.loaders.search import SearchIndex
from actorgraph.queries import reads
from actorgraph.queries.reads import (
    ACTOR_PAGE,
    ACTORS_BY_ID,
    ALL_CLAIMS,
    CLAIMS_ABOUT_EVENTS,
    CLAIMS_BY_ID,
    CLAIMS_TOUCHING,
    COUNT_ACTORS,
    COUNT_DOCUMENTS,
    DOCUMENT,
    DOCUMENT_PAGE,
    DOCUMENT_REFS,
    EDGES_TOUCHING,
    EVENTS_BETWEEN,
    EVENTS_BY_ID,
    MENTIONING,
    NODES_BY_ID,
    Read,
    run,
)
from actorgraph.queries.shapes import (
    ActorDetail,
    ClaimView,
    DocumentRef,
    Edge,
    EventDetail,
    GraphStatistics,
    Node,
    Path,
    Paths,
    Ref,
    Said,
    SearchHit,
    Subgraph,
)

# -- parameters ----------------------------------------------------------------

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(value: object) -> object:
    # pydantic alone reads a number as a Unix time: `as_of=0` would be 1970-01-01.
    if isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
        return value
    raise ValueError("expected a day as YYYY-MM-DD")


Day = Annotated[dt.date, BeforeValidator(_iso_day)]
"""A day as its OpenAPI ``format: date`` says: ``YYYY-MM-DD``, never a number or a time."""


class Params(BaseModel):
    """Parameters of a query; unknown names are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class AsOf(Params):
    as_of: Day | None = Field(
        None,
        description="Count only what was published on or before this day (YYYY-MM-DD); "
        "statuses are derived from that alone.",
        examples=["2020-01-04"],
    )


class ActorListParams(Params):
    kind: ActorKind | None = Field(None, description="Only actors of this kind.")


class SearchParams(Params):
    q: str = Field(
        min_length=1,
        max_length=200,
        description="A name, alias or spelling, in Latin or Arabic script.",
        examples=["Kata'ib Hizbollah"],
    )
    kind: ActorKind | None = Field(None, description="Only actors of this kind.")
    limit: int = Field(20, ge=1, le=100)


class ClaimFilter(AsOf):
    status: list[Status] = Field(
        default_factory=list, description="Only claims with these statuses (all when empty)."
    )
    predicate: list[Predicate] = Field(
        default_factory=list, description="Only these predicates (all when empty)."
    )


class NeighbourhoodParams(ClaimFilter):
    hops: int = Field(1, ge=1, le=3, description="How far to go from the actor.")
    limit: int = Field(200, ge=1, le=5000, description="At most this many nodes.")


class ChainParams(AsOf):
    direction: Literal["up", "down", "both"] = Field(
        "both",
        description="`up`: who commands the actor and what it is part of, and so on; "
        "`down`: whom it commands and what is part of it.",
    )
    depth: int = Field(3, ge=1, le=6, description="Levels to follow each way.")
    status: list[Status] = Field(default_factory=list)
    limit: int = Field(500, ge=1, le=5000, description="At most this many nodes.")


class PathParams(ClaimFilter):
    source: str = Field(description="Actor id.", examples=["centcom"])
    target: str = Field(description="Actor id.", examples=["wissam-al-saadi"])
    max_hops: int = Field(4, ge=1, le=6)
    limit: int = Field(10, ge=1, le=100, description="At most this many paths.")


class StrikeParams(AsOf):
    role: Literal["by", "against", "any"] = Field(
        "any", description="`by`: strikes the actor carried out; `against`: strikes on it."
    )
    status: list[Status] = Field(default_factory=list)


class ClaimParams(ClaimFilter):
    actor: str | None = Field(None, description="Only claims whose subject or object it is.")


class ContestedParams(AsOf):
    actor: str | None = Field(None, description="Only claims whose subject or object it is.")
    predicate: list[Predicate] = Field(default_factory=list)


class TimelineParams(AsOf):
    actor: str | None = Field(None, description="Only events the actor took part in.")
    since: Day | None = None
    until: Day | None = None

    @model_validator(mode="after")
    def _period(self) -> TimelineParams:
        if self.since and self.until and self.since > self.until:
            raise ValueError("since must not be after until")
        return self


class SourcesParams(AsOf):
    subject: str = Field(description="Actor id.", examples=["united-states"])
    predicate: Predicate
    object: str = Field(description="Actor or event id.", examples=["kataib-hezbollah"])


# -- the registry ----------------------------------------------------------------


@dataclass(frozen=True)
class NamedQuery:
    name: str
    summary: str
    ids: tuple[str, ...]
    """The ids the query is about (path parameters in the API)."""
    params: type[Params] | None
    reads: tuple[Read, ...]


CATALOGUE: dict[str, NamedQuery] = {}
_F = TypeVar("_F", bound=Callable[..., Any])


def _named(
    *reads_used: Read, ids: tuple[str, ...] = (), params: type[Params] | None = None
) -> Callable[[_F], _F]:
    def register(function: _F) -> _F:
        summary = (function.__doc__ or "").strip().splitlines()[0]
        CATALOGUE[function.__name__] = NamedQuery(
            function.__name__, summary, ids, params, reads_used
        )
        return function

    return register


# -- shared steps ----------------------------------------------------------------

Known = tuple[AttestedClaim, Status]


def _known(items: Iterable[AttestedClaim], as_of: dt.date | None) -> list[Known]:
    """Each claim with the status its attestations give, counting only those known ``as_of``."""
    known = []
    for item in items:
        atts = item.attestations
        if as_of is not None:
            atts = tuple(a for a in atts if a.date is not None and a.date <= as_of)
        if atts:
            known.append((AttestedClaim(item.claim, atts), derive_status(item.claim.subject, atts)))
    return known


def _filter(known: Iterable[Known], status: Iterable[Status]) -> list[Known]:
    wanted = set(status)
    return [k for k in known if not wanted or k[1] in wanted]


def _event_of(claim: Claim) -> str | None:
    return claim.object if claim.predicate is Predicate.KILLED_IN else claim.event


def _actor(store: GraphStore, actor_id: str) -> Actor:
    """The actor ``actor_id``, or a NotFoundError suggesting close names."""
    actor = store.actor(actor_id)
    if actor is not None:
        return actor
    try:
        hits = _search_index(store).rank(actor_id.replace("-", " "), limit=3)
    except InputError:  # nothing to search for in it (no letters or digits): no suggestion
        hits = []
    hint = "; did you mean " + ", ".join(f"{h.actor.id!r}" for h in hits) + "?" if hits else ""
    raise NotFoundError(f"no actor with id {actor_id!r}{hint}")


_INDEXES: weakref.WeakKeyDictionary[GraphStore, tuple[str, SearchIndex]] = (
    weakref.WeakKeyDictionary()
)


def _search_index(store: GraphStore) -> SearchIndex:
    """The search index over the store's actors, built again only once they have changed.

    Building it reads every actor (seconds at 100,000); a search is then milliseconds.
    """
    revision = store.actors_revision()  # before reading: a write in between only rebuilds
    cached = _INDEXES.get(store)
    if cached is None or cached[0] != revision:
        cached = (revision, SearchIndex(store.actors()))
        _INDEXES[store] = cached
    return cached[1]


class _Names:
    """Actors, events and documents referred to by a result, fetched in one read each."""

    def __init__(
        self, store: GraphStore, ids: Iterable[str], documents: Iterable[str] = ()
    ) -> None:
        wanted = sorted(set(ids))
        rows = run(store, NODES_BY_ID, ids=wanted)
        self.actors = reads.actors(r for r in rows if r["label"] == "Actor")
        self.events = reads.events(r for r in rows if r["label"] == "Event")
        documents = sorted(set(documents))
        self.documents = {
            d.id: d
            for d in (
                DocumentRef.model_validate(r["props"])
                for r in (run(store, DOCUMENT_REFS, ids=documents) if documents else ())
            )
        }

    def ref(self, node_id: str) -> Ref:
        if node_id in self.actors:
            actor = self.actors[node_id]
            return Ref(id=node_id, name=actor.name, kind=actor.kind.value)
        if node_id in self.events:
            return Ref(id=node_id, name=self.events[node_id].label, kind="event")
        return Ref(id=node_id, name=node_id, kind="unknown")

    def node(self, node_id: str, depth: int) -> Node:
        ref = self.ref(node_id)
        return Node(id=node_id, name=ref.name, kind=ref.kind, depth=depth)

    def event_date(self, claim: Claim) -> dt.date:
        event = self.events.get(_event_of(claim) or "")
        return event.date if event is not None and event.date is not None else dt.date.max


def _views(store: GraphStore, known: list[Known]) -> tuple[list[ClaimView], _Names]:
    """Claims as views with every id named, in the order given."""
    ids: set[str] = set()
    documents: set[str] = set()
    for item, _ in known:
        claim = item.claim
        ids.update(x for x in (claim.subject, claim.object, claim.event) if x)
        ids.update(a.speaker for a in item.attestations)
        documents.update(a.document for a in item.attestations)
    names = _Names(store, ids, documents)
    views = []
    for item, status in known:
        claim = item.claim
        said = [
            Said(
                id=a.id,
                speaker=names.ref(a.speaker),
                stance=a.stance,
                hedged=a.hedged,
                quote=a.quote,
                start=a.start,
                end=a.end,
                date=a.date,
                document=names.documents.get(a.document)
                or DocumentRef(id=a.document, title=a.document),
            )
            for a in sorted(item.attestations, key=chronological)
        ]
        views.append(
            ClaimView(
                id=claim.id,
                subject=names.ref(claim.subject),
                predicate=claim.predicate,
                object=names.ref(claim.object),
                event=names.ref(claim.event) if claim.event else None,
                status=status,
                attestations=said,
            )
        )
    return views, names


def _edge(item: AttestedClaim, status: Status) -> Edge:
    claim = item.claim
    return Edge(
        claim=claim.id,
        source=claim.subject,
        target=claim.object,
        predicate=claim.predicate,
        status=status,
        attestations=len(item.attestations),
    )


def _expand(
    store: GraphStore,
    frontier: Iterable[str],
    predicates: Iterable[Predicate],
    status: Iterable[Status],
    as_of: dt.date | None,
) -> list[Known]:
    """The claims around ``frontier`` that pass the filters, as known ``as_of``."""
    rows = run(
        store,
        CLAIMS_TOUCHING,
        ids=sorted(frontier),
        predicates=[p.value for p in predicates or Predicate],
    )
    return _filter(_known(reads.attested(rows), as_of), status)


def _edges(
    store: GraphStore,
    frontier: Iterable[str],
    predicates: Iterable[Predicate],
    status: Iterable[Status],
    as_of: dt.date | None,
) -> list[Edge]:
    """The claims around ``frontier`` that pass the filters, as edges to traverse.

    Without ``as_of`` each claim's status is the one every write keeps up to
    date, so no attestation is read: a traversal's cost is its edges alone.
    """
    if as_of is not None:
        return [_edge(*k) for k in _expand(store, frontier, predicates, status, as_of)]
    rows = run(
        store,
        EDGES_TOUCHING,
        ids=sorted(frontier),
        predicates=[p.value for p in predicates or Predicate],
    )
    wanted = set(status)
    edges = [Edge.model_validate(row) for row in rows]
    return [e for e in edges if not wanted or e.status in wanted]


Moves = Callable[[Edge], Iterable[tuple[str, str]]]
"""From which end of a claim a traversal may go to which other end."""


def _both_ways(edge: Edge) -> Iterable[tuple[str, str]]:
    return ((edge.source, edge.target), (edge.target, edge.source))


@dataclass
class _Growth:
    """A subgraph grown breadth-first from one node, capped at ``limit`` nodes."""

    depth: dict[str, int]
    edges: dict[str, Edge]
    omitted: set[str]
    limit: int

    def grow(
        self,
        store: GraphStore,
        start: str,
        *,
        steps: int,
        sign: int,
        moves: Moves,
        predicates: Iterable[Predicate],
        status: Iterable[Status],
        as_of: dt.date | None,
    ) -> None:
        frontier = {start}
        for step in range(1, steps + 1):
            reached: set[str] = set()
            for edge in _edges(store, frontier, predicates, status, as_of):
                for here, there in moves(edge):
                    if here not in frontier or edge.claim in self.edges:
                        continue
                    if there not in self.depth:
                        if len(self.depth) >= self.limit:
                            self.omitted.add(there)
                            continue
                        self.depth[there] = sign * step
                        reached.add(there)
                    self.edges[edge.claim] = edge
            if not reached:
                break
            frontier = reached

    def subgraph(self, store: GraphStore, start: str) -> Subgraph:
        """The nodes named, or a NotFoundError if ``start`` is no actor.

        The start is checked here, with the names, and not before growing:
        an unknown id has no edges, and a known one saves a read.
        """
        names = _Names(store, self.depth)
        if start not in names.actors:
            _actor(store, start)
        nodes = sorted(self.depth.items(), key=lambda n: (abs(n[1]), -n[1], n[0]))
        omitted = self.omitted - self.depth.keys()
        return Subgraph(
            nodes=[names.node(node_id, depth) for node_id, depth in nodes],
            edges=sorted(self.edges.values(), key=lambda e: e.claim),
            truncated=bool(omitted),
            omitted=len(omitted),
        )


# -- the queries ---------------------------------------------------------------------


@_named(params=SearchParams)
def search(store: GraphStore, params: SearchParams) -> list[SearchHit]:
    """Actors by name or alias, in any spelling or script, best match first."""
    hits = _search_index(store).rank(params.q, limit=params.limit, kind=params.kind)
    return [SearchHit(actor=h.actor, score=h.score, matched=h.matched) for h in hits]


@_named(EDGES_TOUCHING, CLAIMS_TOUCHING, MENTIONING, ids=("actor_id",), params=AsOf)
def actor(store: GraphStore, actor_id: str, params: AsOf) -> ActorDetail:
    """An actor, how many documents name it, and its claims counted by status and predicate."""
    found = _actor(store, actor_id)
    edges = _edges(store, [found.id], (), (), params.as_of)
    (mentioning,) = run(store, MENTIONING, id=found.id)
    return ActorDetail(
        actor=found,
        documents=mentioning["documents"],
        claims=dict(sorted(Counter(e.status.value for e in edges).items())),
        relations=dict(sorted(Counter(e.predicate.value for e in edges).items())),
    )


@_named(
    EDGES_TOUCHING,
    CLAIMS_TOUCHING,
    NODES_BY_ID,
    ids=("actor_id",),
    params=NeighbourhoodParams,
)
def neighbourhood(store: GraphStore, actor_id: str, params: NeighbourhoodParams) -> Subgraph:
    """The actors and events within 1-3 hops of an actor, and the claims between them."""
    growth = _Growth({actor_id: 0}, {}, set(), params.limit)
    growth.grow(
        store,
        actor_id,
        steps=params.hops,
        sign=1,
        moves=_both_ways,
        predicates=params.predicate,
        status=params.status,
        as_of=params.as_of,
    )
    return growth.subgraph(store, actor_id)


def _up(edge: Edge) -> Iterable[tuple[str, str]]:
    """Towards the top: a group to what it is part of, the commanded to the commander."""
    if edge.predicate is Predicate.PART_OF:
        return ((edge.source, edge.target),)
    return ((edge.target, edge.source),)


def _down(edge: Edge) -> Iterable[tuple[str, str]]:
    return ((b, a) for a, b in _up(edge))


@_named(
    EDGES_TOUCHING,
    CLAIMS_TOUCHING,
    NODES_BY_ID,
    ids=("actor_id",),
    params=ChainParams,
)
def chain(store: GraphStore, actor_id: str, params: ChainParams) -> Subgraph:
    """The command chain through `commands` and `part_of`: levels above (+) and below (-)."""
    growth = _Growth({actor_id: 0}, {}, set(), params.limit)
    ways = {"up": ((1, _up),), "down": ((-1, _down),), "both": ((1, _up), (-1, _down))}
    for sign, moves in ways[params.direction]:
        growth.grow(
            store,
            actor_id,
            steps=params.depth,
            sign=sign,
            moves=moves,
            predicates=(Predicate.COMMANDS, Predicate.PART_OF),
            status=params.status,
            as_of=params.as_of,
        )
    return growth.subgraph(store, actor_id)


@_named(EDGES_TOUCHING, CLAIMS_TOUCHING, NODES_BY_ID, params=PathParams)
def paths(store: GraphStore, params: PathParams) -> Paths:
    """The shortest paths between two actors, up to ``max_hops``, each step with its claim.

    Claims are followed either way (a path may go against a claim's
    direction) and through events (two people killed in the same strike).
    """
    ends = (_actor(store, params.source).id, _actor(store, params.target).id)
    dist: tuple[dict[str, int], dict[str, int]] = ({ends[0]: 0}, {ends[1]: 0})
    parents: tuple[defaultdict[str, list[tuple[str, Edge]]], ...] = (
        defaultdict(list),
        defaultdict(list),
    )
    frontier = [{ends[0]}, {ends[1]}]
    radius = [0, 0]
    meet: set[str] = {ends[0]} if ends[0] == ends[1] else set()
    while not meet and radius[0] + radius[1] < params.max_hops and all(frontier):
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        radius[side] += 1
        reached: set[str] = set()
        for edge in _edges(store, frontier[side], params.predicate, params.status, params.as_of):
            for here, there in _both_ways(edge):
                if here in frontier[side] and dist[side].get(there, radius[side]) == radius[side]:
                    dist[side][there] = radius[side]
                    reached.add(there)
                    parents[side][there].append((here, edge))
        frontier[side] = reached
        # Every shortest path crosses exactly one node at this radius on this side.
        meet = {n for n in reached if n in dist[1 - side]}

    def walk(side: int, node: str) -> Iterator[tuple[list[str], list[Edge]]]:
        """Paths from ``ends[side]`` to ``node``, through recorded parents."""
        if node == ends[side]:
            yield [node], []
            return
        for prev, edge in sorted(parents[side][node], key=lambda p: (p[0], p[1].claim)):
            for nodes, edges in walk(side, prev):
                yield [*nodes, node], [*edges, edge]

    def joined() -> Iterator[Path]:
        for m in sorted(meet):
            for (n0, e0), (n1, e1) in itertools.product(walk(0, m), walk(1, m)):
                yield Path(nodes=n0 + n1[-2::-1], edges=e0 + e1[::-1])

    found = list(itertools.islice(joined(), params.limit + 1))
    shown = found[: params.limit]
    on_paths = dict.fromkeys(n for p in shown for n in p.nodes)
    names = _Names(store, [*ends, *on_paths])
    depth = {n: min(p.nodes.index(n) for p in shown if n in p.nodes) for n in on_paths}
    return Paths(
        source=names.ref(ends[0]),
        target=names.ref(ends[1]),
        hops=len(shown[0].edges) if shown else None,
        paths=shown,
        nodes=[names.node(n, depth[n]) for n in on_paths],
        truncated=len(found) > params.limit,
    )


@_named(
    CLAIMS_TOUCHING,
    NODES_BY_ID,
    DOCUMENT_REFS,
    ids=("actor_id",),
    params=StrikeParams,
)
def strikes(store: GraphStore, actor_id: str, params: StrikeParams) -> list[ClaimView]:
    """Strikes by or against an actor, by event date, with who said what about each."""
    target = _actor(store, actor_id)
    known = _expand(store, [target.id], (Predicate.STRUCK,), params.status, params.as_of)
    role = {"by": ("subject",), "against": ("object",), "any": ("subject", "object")}
    known = [
        k for k in known if any(getattr(k[0].claim, r) == target.id for r in role[params.role])
    ]
    views, names = _views(store, known)
    by_date = {v.id: names.event_date(i.claim) for v, (i, _) in zip(views, known, strict=True)}
    return sorted(views, key=lambda v: (by_date[v.id], v.id))


@_named(CLAIMS_TOUCHING, ALL_CLAIMS, NODES_BY_ID, DOCUMENT_REFS, params=ClaimParams)
def claims(store: GraphStore, params: ClaimParams) -> list[ClaimView]:
    """Claims about an actor (or all), filtered by status and predicate, as known ``as_of``."""
    if params.actor is not None:
        found = _actor(store, params.actor)
        known = _expand(store, [found.id], params.predicate, params.status, params.as_of)
        return _views(store, known)[0]
    wanted = set(params.status)
    # Cheap pre-filter in the store: a contested claim was reported and denied by someone.
    rows = run(
        store,
        ALL_CLAIMS,
        needs_report=bool(wanted)
        and wanted <= {Status.REPORTED, Status.CONFIRMED, Status.CONTESTED},
        needs_denial=bool(wanted) and wanted <= {Status.DENIED, Status.CONTESTED},
    )
    predicates = set(params.predicate or Predicate)
    known = [
        k
        for k in _filter(_known(reads.attested(rows), params.as_of), params.status)
        if k[0].claim.predicate in predicates
    ]
    return _views(store, known)[0]


@_named(ALL_CLAIMS, CLAIMS_TOUCHING, NODES_BY_ID, DOCUMENT_REFS, params=ContestedParams)
def contested(store: GraphStore, params: ContestedParams) -> list[ClaimView]:
    """Claims some speaker reports and another denies (each speaker by its latest word)."""
    return claims(store, ClaimParams(**params.model_dump(), status=[Status.CONTESTED]))


@_named(CLAIMS_BY_ID, NODES_BY_ID, DOCUMENT_REFS, ids=("claim_id",), params=AsOf)
def who_said(store: GraphStore, claim_id: str, params: AsOf) -> ClaimView:
    """One claim: each speaker who reported or denied it, with document, quote and date."""
    known = _known(reads.attested(run(store, CLAIMS_BY_ID, ids=[claim_id])), params.as_of)
    if not known:
        when = f" as of {params.as_of}" if params.as_of else ""
        raise NotFoundError(f"no claim with id {claim_id!r}{when}")
    return _views(store, known)[0][0]


def actors_by_id(store: GraphStore, actor_ids: Iterable[str]) -> dict[str, Actor]:
    """Several actors at once, by id (a view's nodes, for their aliases)."""
    return reads.actors(run(store, ACTORS_BY_ID, ids=sorted(set(actor_ids))))


def claim_views(
    store: GraphStore, claim_ids: Iterable[str], as_of: dt.date | None
) -> list[ClaimView]:
    """Several claims at once, each with who said what (a view's edges, for its tooltips)."""
    known = _known(reads.attested(run(store, CLAIMS_BY_ID, ids=sorted(set(claim_ids)))), as_of)
    return _views(store, known)[0]


@_named(
    EVENTS_BY_ID, CLAIMS_ABOUT_EVENTS, NODES_BY_ID, DOCUMENT_REFS, ids=("event_id",), params=AsOf
)
def event(store: GraphStore, event_id: str, params: AsOf) -> EventDetail:
    """An event with every claim about it (who struck, who was killed) and who said what."""
    found = store.event(event_id)
    if found is None:
        raise NotFoundError(f"no event with id {event_id!r}")
    known = _known(reads.attested(run(store, CLAIMS_ABOUT_EVENTS, ids=[found.id])), params.as_of)
    return EventDetail(event=found, claims=_views(store, known)[0])


@_named(
    CLAIMS_TOUCHING,
    EVENTS_BETWEEN,
    CLAIMS_ABOUT_EVENTS,
    ACTORS_BY_ID,
    DOCUMENT_REFS,
    params=TimelineParams,
)
def timeline(store: GraphStore, params: TimelineParams) -> list[EventDetail]:
    """Events in date order, for an actor or a period, each with the claims about it.

    Under ``as_of``, an event shows only if something was said about it by then.
    """
    if params.actor is not None:
        found = _actor(store, params.actor)
        theirs = _expand(store, [found.id], (), (), params.as_of)
        event_ids = sorted({e for i, _ in theirs if (e := _event_of(i.claim))})
        found_events = list(reads.events(run(store, EVENTS_BY_ID, ids=event_ids)).values())
        found_events = [e for e in found_events if _in_period(e, params.since, params.until)]
    else:
        found_events = list(
            reads.events(
                run(store, EVENTS_BETWEEN, since=params.since, until=params.until)
            ).values()
        )
    about = _known(
        reads.attested(run(store, CLAIMS_ABOUT_EVENTS, ids=[e.id for e in found_events])),
        params.as_of,
    )
    views, _ = _views(store, about)
    by_event: defaultdict[str, list[ClaimView]] = defaultdict(list)
    for view, (item, _) in zip(views, about, strict=True):
        by_event[_event_of(item.claim) or ""].append(view)
    found_events.sort(key=lambda e: (e.date is None, e.date or dt.date.min, e.id))
    return [
        EventDetail(event=e, claims=by_event[e.id])
        for e in found_events
        if params.as_of is None or by_event[e.id]
    ]


def _in_period(event: Event, since: dt.date | None, until: dt.date | None) -> bool:
    if since is None and until is None:
        return True
    if event.date is None:
        return False
    return (since is None or event.date >= since) and (until is None or event.date <= until)


@_named(CLAIMS_TOUCHING, NODES_BY_ID, DOCUMENT_REFS, params=SourcesParams)
def sources(store: GraphStore, params: SourcesParams) -> list[ClaimView]:
    """The sources of a relation (subject, predicate, object), in every event it is claimed in."""
    subject = _actor(store, params.subject)
    known = [
        k
        for k in _expand(store, [subject.id], (params.predicate,), (), params.as_of)
        if k[0].claim.subject == subject.id and k[0].claim.object == params.object
    ]
    return _views(store, known)[0]


@_named(ACTOR_PAGE, COUNT_ACTORS, params=ActorListParams)
def actors(
    store: GraphStore, params: ActorListParams, offset: int, limit: int
) -> tuple[list[Actor], int]:
    """Actors by id, optionally of one kind: one page of them, and how many there are."""
    kind = params.kind.value if params.kind else None
    rows = run(store, ACTOR_PAGE, kind=kind, skip=offset, limit=limit)
    (total,) = run(store, COUNT_ACTORS, kind=kind)
    return list(reads.actors(rows).values()), total["n"]


@_named(DOCUMENT_PAGE, COUNT_DOCUMENTS)
def documents(store: GraphStore, offset: int, limit: int) -> tuple[list[DocumentRef], int]:
    """Documents newest first (undated last), without their text: one page, and the total."""
    rows = run(store, DOCUMENT_PAGE, skip=offset, limit=limit)
    (total,) = run(store, COUNT_DOCUMENTS)
    return [DocumentRef.model_validate(r["props"]) for r in rows], total["n"]


@_named(DOCUMENT, ids=("document_id",))
def document(store: GraphStore, document_id: str) -> tuple[Document, list[Mention]]:
    """A document with its text, and where it names known actors."""
    rows = run(store, DOCUMENT, id=document_id)
    if not rows:
        raise NotFoundError(f"no document with id {document_id!r}")
    (row,) = rows
    mentions = [Mention.model_validate(m) for m in row["mentions"] if m]
    return Document.model_validate(row["props"]), mentions


@_named()
def cypher(
    store: GraphStore,
    query: str,
    parameters: dict[str, Any],
    *,
    timeout: float,
    max_rows: int,
    max_bytes: int,
) -> CypherResult:
    """An analyst's own Cypher, read-only, with a timeout and caps on rows and bytes (Neo4j)."""
    if not isinstance(store, Neo4jStore):
        raise UnsupportedError(
            f"raw Cypher needs Neo4j; this server uses the {store.name} store "
            "(set NEO4J_URI), and the named queries answer the same questions without Cypher"
        )
    return store.read_only(
        query, parameters, timeout=timeout, max_rows=max_rows, max_bytes=max_bytes
    )


@_named()
def stats(store: GraphStore) -> GraphStatistics:
    """What the store holds: counts of each kind of record, and claims by status."""
    s = store.stats()
    return GraphStatistics(store=s.store, location=s.location, counts=s.counts, statuses=s.statuses)
