"""The named query catalogue: what an analyst can ask without writing Cypher.

Each query is a function of a store, the ids it is about and a parameter
model; it runs reads from :mod:`actorgraph.queries.reads` (Cypher on Neo4j,
networkx on the embedded store) and shares everything else. Every query that
returns claims takes ``as_of``: only attestations published on or before
that day count, and statuses are derived from those alone, so the answer is
what was known that day. An attestation without a date never counts under
``as_of``: nobody can say it was known by then.

The API serves each query at an endpoint of the same name, and lists the
catalogue at ``GET /queries``. The parameter models (:mod:`~actorgraph.queries.params`)
are part of its interface, so they are exported from here too.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from actorgraph.errors import NotFoundError
from actorgraph.graph.model import (
    Actor,
    CasualtyFigure,
    Document,
    Event,
    Mention,
    Predicate,
    Status,
    Telling,
    Whom,
)
from actorgraph.graph.store import (
    CypherResult,
    GraphStore,
)
from actorgraph.names.resolve import resolve_actor, search_index
from actorgraph.queries import geo, reads
from actorgraph.queries.geo import EVENTS_AT, PLACES_BELOW, PLACES_BY_ID, PLACES_NEAR
from actorgraph.queries.geo import place as place  # served with the rest of the catalogue
from actorgraph.queries.geo import places as places
from actorgraph.queries.params import (
    ActorListParams,
    AsOf,
    ChainParams,
    ClaimFilter,
    ClaimParams,
    ContestedParams,
    Day,
    NeighbourhoodParams,
    Params,
    PathParams,
    PlaceListParams,
    SearchParams,
    SourcesParams,
    StrikeParams,
    TimelineParams,
)
from actorgraph.queries.reads import (
    ACTOR_PAGE,
    ACTORS_BY_ID,
    ALL_CLAIMS,
    CASUALTIES_OF,
    CLAIM_PAGE,
    CLAIMS_ABOUT_EVENTS,
    CLAIMS_BY_ID,
    CLAIMS_TOUCHING,
    COUNT_ACTORS,
    COUNT_BETWEEN,
    COUNT_CLAIMS,
    COUNT_DOCUMENTS,
    DOCUMENT,
    DOCUMENT_PAGE,
    DOCUMENT_REFS,
    EDGES_TOUCHING,
    EVENTS_BETWEEN,
    EVENTS_BY_ID,
    MENTIONING,
    NODES_BY_ID,
    TELLINGS_OF,
)
from actorgraph.queries.registry import CATALOGUE, NamedQuery, named
from actorgraph.queries.shapes import (
    ActorDetail,
    Casualties,
    CasualtyRange,
    ClaimView,
    DocumentRef,
    Edge,
    EventDetail,
    GraphStatistics,
    Path,
    Paths,
    PlacedAt,
    SearchHit,
    Slice,
    Subgraph,
)
from actorgraph.queries.steps import (
    Growth,
    Names,
    attested_all,
    both_ways,
    edges_around,
    event_of,
    expand,
    known_as_of,
    view_claims,
    with_status,
)

# -- the queries ---------------------------------------------------------------------


@named(params=SearchParams)
def search(store: GraphStore, params: SearchParams) -> list[SearchHit]:
    """Actors by name or alias, in any spelling or script, best match first."""
    hits = search_index(store).rank(params.q, limit=params.limit, kind=params.kind)
    return [SearchHit(actor=h.actor, score=h.score, matched=h.matched) for h in hits]


@named(EDGES_TOUCHING, CLAIMS_TOUCHING, MENTIONING, ids=("actor_id",), params=AsOf)
def actor(store: GraphStore, actor_id: str, params: AsOf) -> ActorDetail:
    """An actor, how many documents name it, and its claims counted by status and predicate."""
    found = resolve_actor(store, actor_id)
    edges = edges_around(store, [found.id], (), (), params.as_of)
    (mentioning,) = store.query(MENTIONING, id=found.id)
    return ActorDetail(
        actor=found,
        documents=mentioning["documents"],
        claims=dict(sorted(Counter(e.status.value for e in edges).items())),
        relations=dict(sorted(Counter(e.predicate.value for e in edges).items())),
    )


@named(
    EDGES_TOUCHING,
    CLAIMS_TOUCHING,
    NODES_BY_ID,
    ids=("actor_id",),
    params=NeighbourhoodParams,
)
def neighbourhood(store: GraphStore, actor_id: str, params: NeighbourhoodParams) -> Subgraph:
    """The actors and events within 1-3 hops of an actor, and the claims between them."""
    actor_id = resolve_actor(store, actor_id).id
    growth = Growth({actor_id: 0}, {}, set(), params.limit)
    growth.grow(
        store,
        actor_id,
        steps=params.hops,
        sign=1,
        moves=both_ways,
        predicates=params.predicate,
        status=params.status,
        as_of=params.as_of,
    )
    return growth.subgraph(store)


_IN_CHAIN = tuple(p for p in Predicate if p.terms.chain is not None)
"""The predicates a command chain follows (``commands``, ``part_of``)."""


def _up(edge: Edge) -> Iterable[tuple[str, str]]:
    """Towards the top: a group to what it is part of, the commanded to the commander."""
    if edge.predicate.terms.chain == "up":
        return ((edge.source, edge.target),)
    return ((edge.target, edge.source),)


def _down(edge: Edge) -> Iterable[tuple[str, str]]:
    return ((b, a) for a, b in _up(edge))


@named(
    EDGES_TOUCHING,
    CLAIMS_TOUCHING,
    NODES_BY_ID,
    ids=("actor_id",),
    params=ChainParams,
)
def chain(store: GraphStore, actor_id: str, params: ChainParams) -> Subgraph:
    """The command chain through `commands` and `part_of`: levels above (+) and below (-)."""
    actor_id = resolve_actor(store, actor_id).id
    growth = Growth({actor_id: 0}, {}, set(), params.limit)
    ways = {"up": ((1, _up),), "down": ((-1, _down),), "both": ((1, _up), (-1, _down))}
    for sign, moves in ways[params.direction]:
        growth.grow(
            store,
            actor_id,
            steps=params.depth,
            sign=sign,
            moves=moves,
            predicates=_IN_CHAIN,
            status=params.status,
            as_of=params.as_of,
        )
    return growth.subgraph(store)


@named(EDGES_TOUCHING, CLAIMS_TOUCHING, NODES_BY_ID, params=PathParams)
def paths(store: GraphStore, params: PathParams) -> Paths:
    """The shortest paths between two actors, up to ``max_hops``, each step with its claim.

    Claims are followed either way (a path may go against a claim's
    direction) and through events (two people killed in the same strike).
    """
    ends = (resolve_actor(store, params.source).id, resolve_actor(store, params.target).id)
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
        for edge in edges_around(
            store, frontier[side], params.predicate, params.status, params.as_of
        ):
            for here, there in both_ways(edge):
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
    names = Names(store, [*ends, *on_paths])
    depth = {n: min(p.nodes.index(n) for p in shown if n in p.nodes) for n in on_paths}
    return Paths(
        source=names.ref(ends[0]),
        target=names.ref(ends[1]),
        hops=len(shown[0].edges) if shown else None,
        paths=shown,
        nodes=[names.node(n, depth[n]) for n in on_paths],
        truncated=len(found) > params.limit,
    )


@named(
    CLAIMS_TOUCHING,
    NODES_BY_ID,
    DOCUMENT_REFS,
    ids=("actor_id",),
    params=StrikeParams,
)
def strikes(store: GraphStore, actor_id: str, params: StrikeParams) -> list[ClaimView]:
    """Strikes by or against an actor, by event date, with who said what about each."""
    target = resolve_actor(store, actor_id)
    known = expand(store, [target.id], (Predicate.STRUCK,), params.status, params.as_of)
    role = {"by": ("subject",), "against": ("object",), "any": ("subject", "object")}
    known = [
        k for k in known if any(getattr(k[0].claim, r) == target.id for r in role[params.role])
    ]
    views, names = view_claims(store, known)
    by_date = {v.id: names.event_date(i.claim) for v, (i, _) in zip(views, known, strict=True)}
    return sorted(views, key=lambda v: (by_date[v.id], v.id))


@named(
    CLAIMS_TOUCHING,
    CLAIM_PAGE,
    COUNT_CLAIMS,
    ALL_CLAIMS,
    NODES_BY_ID,
    DOCUMENT_REFS,
    params=ClaimParams,
)
def claims(
    store: GraphStore, params: ClaimParams, offset: int = 0, limit: int | None = None
) -> Slice[ClaimView]:
    """Claims about an actor (or all), filtered by status and predicate, as known ``as_of``.

    One page of them (``offset``, ``limit``; all when ``limit`` is None), and how many
    there are. Without an actor or ``as_of`` the store pages them itself, by the status
    every write keeps on a claim; otherwise the statuses are derived here, and paged.
    """
    if params.actor is None and params.as_of is None and limit is not None:
        statuses = [s.value for s in params.status or Status]
        predicates = [p.value for p in params.predicate or Predicate]
        rows = store.query(
            CLAIM_PAGE, statuses=statuses, predicates=predicates, skip=offset, limit=limit
        )
        (total,) = store.query(COUNT_CLAIMS, statuses=statuses, predicates=predicates)
        return Slice(view_claims(store, known_as_of(attested_all(rows), None))[0], total["n"])
    return Slice.of(_all_claims(store, params), offset, limit)


def _all_claims(store: GraphStore, params: ClaimParams) -> list[ClaimView]:
    if params.actor is not None:
        found = resolve_actor(store, params.actor)
        known = expand(store, [found.id], params.predicate, params.status, params.as_of)
        return view_claims(store, known)[0]
    wanted = set(params.status)
    # Cheap pre-filter in the store: a contested claim was reported and denied by someone.
    rows = store.query(
        ALL_CLAIMS,
        needs_report=bool(wanted)
        and wanted <= {Status.REPORTED, Status.CONFIRMED, Status.CONTESTED},
        needs_denial=bool(wanted) and wanted <= {Status.DENIED, Status.CONTESTED},
    )
    predicates = set(params.predicate or Predicate)
    known = [
        k
        for k in with_status(known_as_of(attested_all(rows), params.as_of), params.status)
        if k[0].claim.predicate in predicates
    ]
    return view_claims(store, known)[0]


@named(
    CLAIM_PAGE,
    COUNT_CLAIMS,
    ALL_CLAIMS,
    CLAIMS_TOUCHING,
    NODES_BY_ID,
    DOCUMENT_REFS,
    params=ContestedParams,
)
def contested(
    store: GraphStore, params: ContestedParams, offset: int = 0, limit: int | None = None
) -> Slice[ClaimView]:
    """Claims some speaker reports and another denies (each speaker by its latest word)."""
    both = ClaimParams(**params.model_dump(), status=[Status.CONTESTED])
    return claims(store, both, offset, limit)


@named(CLAIMS_BY_ID, NODES_BY_ID, DOCUMENT_REFS, ids=("claim_id",), params=AsOf)
def who_said(store: GraphStore, claim_id: str, params: AsOf) -> ClaimView:
    """One claim: each speaker who reported or denied it, with document, quote and date."""
    known = known_as_of(attested_all(store.query(CLAIMS_BY_ID, ids=[claim_id])), params.as_of)
    if not known:
        when = f" as of {params.as_of}" if params.as_of else ""
        raise NotFoundError(f"no claim with id {claim_id!r}{when}")
    return view_claims(store, known)[0][0]


def actors_by_id(store: GraphStore, actor_ids: Iterable[str]) -> dict[str, Actor]:
    """Several actors at once, by id (a view's nodes, for their aliases)."""
    return reads.actors(store.query(ACTORS_BY_ID, ids=sorted(set(actor_ids))))


def claim_views(
    store: GraphStore, claim_ids: Iterable[str], as_of: dt.date | None
) -> list[ClaimView]:
    """Several claims at once, each with who said what (a view's edges, for its tooltips)."""
    known = known_as_of(attested_all(store.query(CLAIMS_BY_ID, ids=sorted(set(claim_ids)))), as_of)
    return view_claims(store, known)[0]


@named(
    EVENTS_BY_ID,
    CLAIMS_ABOUT_EVENTS,
    NODES_BY_ID,
    DOCUMENT_REFS,
    PLACES_BY_ID,
    CASUALTIES_OF,
    TELLINGS_OF,
    ids=("event_id",),
    params=AsOf,
)
def event(store: GraphStore, event_id: str, params: AsOf) -> EventDetail:
    """An event with every claim about it (who struck, who was killed) and who said what."""
    found = store.event(event_id)
    if found is None:
        raise NotFoundError(f"no event with id {event_id!r}")
    known = known_as_of(
        attested_all(store.query(CLAIMS_ABOUT_EVENTS, ids=[found.id])), params.as_of
    )
    return EventDetail(
        event=found,
        place=placed(store, [found]).get(found.id),
        casualties=casualties(store, [found], params.as_of).get(found.id, Casualties()),
        tellings=tellings(store, [found], params.as_of).get(found.id, []),
        claims=view_claims(store, known)[0],
    )


@named(
    CLAIMS_TOUCHING,
    EVENTS_BETWEEN,
    COUNT_BETWEEN,
    CLAIMS_ABOUT_EVENTS,
    ACTORS_BY_ID,
    DOCUMENT_REFS,
    EVENTS_BY_ID,
    PLACES_NEAR,
    PLACES_BELOW,
    EVENTS_AT,
    PLACES_BY_ID,
    CASUALTIES_OF,
    TELLINGS_OF,
    params=TimelineParams,
)
def timeline(
    store: GraphStore, params: TimelineParams, offset: int = 0, limit: int | None = None
) -> Slice[EventDetail]:
    """Events in date order, for an actor or a period, each with the claims about it.

    Under ``as_of``, an event shows only if something was said about it by then. One
    page of them (all when ``limit`` is None): without an actor or ``as_of``, the store
    pages the events itself.
    """
    wanted = _wanted_events(store, params)
    if wanted is None and params.as_of is None and limit is not None:
        period = {"since": params.since, "until": params.until}
        page = store.query(EVENTS_BETWEEN, **period, skip=offset, limit=limit)
        (total,) = store.query(COUNT_BETWEEN, **period)
        return Slice(_with_claims(store, list(reads.events(page).values()), None), total["n"])
    if wanted is None:
        rows = store.query(
            EVENTS_BETWEEN, since=params.since, until=params.until, skip=0, limit=_ALL
        )
        found_events = list(reads.events(rows).values())
    else:
        found_events = list(reads.events(store.query(EVENTS_BY_ID, ids=sorted(wanted))).values())
        found_events = [e for e in found_events if _in_period(e, params.since, params.until)]
    return Slice.of(_with_claims(store, found_events, params.as_of), offset, limit)


_ALL = 2**62
"""A limit no read reaches: every row."""


def _wanted_events(store: GraphStore, params: TimelineParams) -> set[str] | None:
    """The ids of the events an actor took part in, near or in a place (all that apply);
    None when no such filter is set."""
    wanted: list[set[str]] = []
    if params.actor is not None:
        found = resolve_actor(store, params.actor)
        theirs = expand(store, [found.id], (), (), params.as_of)
        wanted.append({e for i, _ in theirs if (e := event_of(i.claim))})
    if params.near is not None:
        wanted.append({e.id for e in geo.events_near(store, params.near, params.within_km)})
    if params.within is not None:
        wanted.append({e.id for e in geo.events_in(store, params.within)})
    return set.intersection(*wanted) if wanted else None


def _in_period(event: Event, since: dt.date | None, until: dt.date | None) -> bool:
    if since is None and until is None:
        return True
    if event.date is None:
        return False
    return (since is None or event.date >= since) and (until is None or event.date <= until)


def _with_claims(
    store: GraphStore, events: list[Event], as_of: dt.date | None
) -> list[EventDetail]:
    """Each event with the claims about it as known ``as_of`` (only those with one, then),
    by date."""
    about = known_as_of(
        attested_all(store.query(CLAIMS_ABOUT_EVENTS, ids=[e.id for e in events])), as_of
    )
    views, _ = view_claims(store, about)
    by_event: defaultdict[str, list[ClaimView]] = defaultdict(list)
    for view, (item, _) in zip(views, about, strict=True):
        by_event[event_of(item.claim) or ""].append(view)
    where = placed(store, events)
    tolls = casualties(store, events, as_of)
    told = tellings(store, events, as_of)
    return [
        EventDetail(
            event=e,
            place=where.get(e.id),
            casualties=tolls.get(e.id, Casualties()),
            tellings=told.get(e.id, []),
            claims=by_event[e.id],
        )
        for e in geo.by_date(events)
        if as_of is None or by_event[e.id]
    ]


def casualties(
    store: GraphStore, events: Iterable[Event], as_of: dt.date | None
) -> dict[str, Casualties]:
    """Each event's casualty figures known ``as_of`` (given by then), with their ranges.

    "No civilian casualties" stays among the figures but out of the ranges: it says
    nothing of how many others died.
    """
    figures: defaultdict[str, list[CasualtyFigure]] = defaultdict(list)
    for row in store.query(CASUALTIES_OF, ids=sorted({e.id for e in events})):
        figure = CasualtyFigure.model_validate(row["props"])
        if as_of is None or (figure.date is not None and figure.date <= as_of):
            figures[figure.event].append(figure)
    return {
        event: Casualties(
            killed=_range([(f.speaker, f.killed_low, f.killed_high) for f in _totals(said)]),
            injured=_range([(f.speaker, f.injured_low, f.injured_high) for f in _totals(said)]),
            figures=sorted(said, key=lambda f: (f.date or dt.date.min, f.document, f.start)),
        )
        for event, said in figures.items()
    }


def tellings(
    store: GraphStore, events: Iterable[Event], as_of: dt.date | None
) -> dict[str, list[Telling]]:
    """How each document published by ``as_of`` tells of each event, oldest first."""
    found: defaultdict[str, list[Telling]] = defaultdict(list)
    for row in store.query(TELLINGS_OF, ids=sorted({e.id for e in events})):
        told = Telling.model_validate(row["props"])
        if as_of is None or (told.published is not None and told.published <= as_of):
            found[told.event].append(told)
    for said in found.values():
        said.sort(key=lambda t: (t.published or dt.date.min, t.document))
    return found


def _totals(figures: list[CasualtyFigure]) -> list[CasualtyFigure]:
    return [
        f
        for f in figures
        if not (f.whom is Whom.CIVILIANS and {f.killed_high, f.injured_high} <= {0, None})
    ]


def _range(given: list[tuple[str, int | None, int | None]]) -> CasualtyRange | None:
    """The lowest and highest number any speaker gives ("at least 25" gives 25 to both ends:
    it is the highest figure said, if no one says more)."""
    said = [
        (who, low if low is not None else high, high if high is not None else low)
        for who, low, high in given
        if low is not None or high is not None
    ]
    if not said:
        return None
    low = min(s[1] for s in said if s[1] is not None)
    high = max(s[2] for s in said if s[2] is not None)
    return CasualtyRange(
        low=low,
        high=high,
        low_by=sorted({who for who, lo, _ in said if lo == low}),
        high_by=sorted({who for who, _, hi in said if hi == high}),
    )


def placed(store: GraphStore, events: Iterable[Event]) -> dict[str, PlacedAt]:
    """Where each of ``events`` that stands at a place is, by event id."""
    at = {e.id: e for e in events if e.at is not None}
    known = {
        p.id: p for p in geo.places_of(store.query(PLACES_BY_ID, ids=[e.at for e in at.values()]))
    }
    return {
        e.id: PlacedAt(id=p.id, name=p.name, lat=p.lat, lon=p.lon, precision=e.geo_precision)
        for e in at.values()
        if (p := known.get(e.at or "")) is not None
    }


@named(CLAIMS_TOUCHING, NODES_BY_ID, DOCUMENT_REFS, params=SourcesParams)
def sources(store: GraphStore, params: SourcesParams) -> list[ClaimView]:
    """The sources of a relation (subject, predicate, object), in every event it is claimed in."""
    subject = resolve_actor(store, params.subject)
    target = params.object
    if not params.predicate.about_event:  # else its object is an event, by id
        target = resolve_actor(store, target).id
    known = [
        k
        for k in expand(store, [subject.id], (params.predicate,), (), params.as_of)
        if k[0].claim.subject == subject.id and k[0].claim.object == target
    ]
    return view_claims(store, known)[0]


@named(ACTOR_PAGE, COUNT_ACTORS, params=ActorListParams)
def actors(
    store: GraphStore, params: ActorListParams, offset: int, limit: int
) -> tuple[list[Actor], int]:
    """Actors by id, optionally of one kind: one page of them, and how many there are."""
    kind = params.kind.value if params.kind else None
    rows = store.query(ACTOR_PAGE, kind=kind, skip=offset, limit=limit)
    (total,) = store.query(COUNT_ACTORS, kind=kind)
    return list(reads.actors(rows).values()), total["n"]


@named(DOCUMENT_PAGE, COUNT_DOCUMENTS)
def documents(store: GraphStore, offset: int, limit: int) -> tuple[list[DocumentRef], int]:
    """Documents newest first (undated last), without their text: one page, and the total."""
    rows = store.query(DOCUMENT_PAGE, skip=offset, limit=limit)
    (total,) = store.query(COUNT_DOCUMENTS)
    return [DocumentRef.model_validate(r["props"]) for r in rows], total["n"]


@named(DOCUMENT, ids=("document_id",))
def document(store: GraphStore, document_id: str) -> tuple[Document, list[Mention]]:
    """A document with its text, and where it names known actors."""
    rows = store.query(DOCUMENT, id=document_id)
    if not rows:
        raise NotFoundError(f"no document with id {document_id!r}")
    (row,) = rows
    mentions = [Mention.model_validate(m) for m in row["mentions"] if m]
    return Document.model_validate(row["props"]), mentions


@named(scoped=False)
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
    return store.read_only(
        query, parameters, timeout=timeout, max_rows=max_rows, max_bytes=max_bytes
    )


@named()
def stats(store: GraphStore) -> GraphStatistics:
    """What the store holds: counts of each kind of record, and claims by status."""
    s = store.stats()
    return GraphStatistics(store=s.store, location=s.location, counts=s.counts, statuses=s.statuses)


__all__ = [
    "CATALOGUE",
    "ActorListParams",
    "AsOf",
    "ChainParams",
    "ClaimFilter",
    "ClaimParams",
    "ContestedParams",
    "Day",
    "NamedQuery",
    "NeighbourhoodParams",
    "Params",
    "PathParams",
    "PlaceListParams",
    "SearchParams",
    "SourcesParams",
    "StrikeParams",
    "TimelineParams",
    *(name for name in CATALOGUE),
    "actors_by_id",
    "claim_views",
]
