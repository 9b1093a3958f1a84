"""The steps the named queries share: statuses as of a day, naming what a result refers to,
claims as views, and growing a subgraph from one node.

Each step runs reads (:mod:`actorgraph.queries.reads`) through the store, in the reading
scope the query opened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from actorgraph.graph.model import Claim, Predicate, Status, chronological, derive_status
from actorgraph.graph.store import AttestedClaim, GraphStore, Row, attested
from actorgraph.queries import reads
from actorgraph.queries.reads import CLAIMS_TOUCHING, DOCUMENT_REFS, EDGES_TOUCHING, NODES_BY_ID
from actorgraph.queries.shapes import ClaimView, DocumentRef, Edge, Node, Ref, Said, Subgraph

Known = tuple[AttestedClaim, Status]


def known_as_of(items: Iterable[AttestedClaim], as_of: dt.date | None) -> list[Known]:
    """Each claim with the status its attestations give, counting only those known ``as_of``."""
    known = []
    for item in items:
        atts = item.attestations
        if as_of is not None:
            atts = tuple(a for a in atts if a.date is not None and a.date <= as_of)
        if atts:
            known.append((AttestedClaim(item.claim, atts), derive_status(item.claim.subject, atts)))
    return known


def attested_all(rows: Iterable[Row]) -> list[AttestedClaim]:
    return [attested(row) for row in rows]


def with_status(known: Iterable[Known], status: Iterable[Status]) -> list[Known]:
    wanted = set(status)
    return [k for k in known if not wanted or k[1] in wanted]


def event_of(claim: Claim) -> str | None:
    return claim.object if claim.predicate.about_event else claim.event


class Names:
    """Actors, events and documents referred to by a result, fetched in one read each."""

    def __init__(
        self, store: GraphStore, ids: Iterable[str], documents: Iterable[str] = ()
    ) -> None:
        wanted = sorted(set(ids))
        rows = store.query(NODES_BY_ID, ids=wanted)
        self.actors = reads.actors(r for r in rows if r["label"] == "Actor")
        self.events = reads.events(r for r in rows if r["label"] == "Event")
        documents = sorted(set(documents))
        self.documents = {
            d.id: d
            for d in (
                DocumentRef.model_validate(r["props"])
                for r in (store.query(DOCUMENT_REFS, ids=documents) if documents else ())
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
        event = self.events.get(event_of(claim) or "")
        return event.date if event is not None and event.date is not None else dt.date.max


def view_claims(store: GraphStore, known: list[Known]) -> tuple[list[ClaimView], Names]:
    """Claims as views with every id named, in the order given."""
    ids: set[str] = set()
    documents: set[str] = set()
    for item, _ in known:
        claim = item.claim
        ids.update(x for x in (claim.subject, claim.object, claim.event) if x)
        ids.update(a.speaker for a in item.attestations)
        documents.update(a.document for a in item.attestations)
    names = Names(store, ids, documents)
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


def edge_of(item: AttestedClaim, status: Status) -> Edge:
    claim = item.claim
    return Edge(
        claim=claim.id,
        source=claim.subject,
        target=claim.object,
        predicate=claim.predicate,
        status=status,
        attestations=len(item.attestations),
    )


def expand(
    store: GraphStore,
    frontier: Iterable[str],
    predicates: Iterable[Predicate],
    status: Iterable[Status],
    as_of: dt.date | None,
) -> list[Known]:
    """The claims around ``frontier`` that pass the filters, as known ``as_of``."""
    rows = store.query(
        CLAIMS_TOUCHING,
        ids=sorted(frontier),
        predicates=[p.value for p in predicates or Predicate],
    )
    return with_status(known_as_of(attested_all(rows), as_of), status)


def edges_around(
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
        return [edge_of(*k) for k in expand(store, frontier, predicates, status, as_of)]
    rows = store.query(
        EDGES_TOUCHING,
        ids=sorted(frontier),
        predicates=[p.value for p in predicates or Predicate],
    )
    wanted = set(status)
    edges = [Edge.model_validate(row) for row in rows]
    return [e for e in edges if not wanted or e.status in wanted]


Moves = Callable[[Edge], Iterable[tuple[str, str]]]
"""From which end of a claim a traversal may go to which other end."""


def both_ways(edge: Edge) -> Iterable[tuple[str, str]]:
    return ((edge.source, edge.target), (edge.target, edge.source))


@dataclass
class Growth:
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
            for edge in edges_around(store, frontier, predicates, status, as_of):
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

    def subgraph(self, store: GraphStore) -> Subgraph:
        """The nodes grown, named."""
        names = Names(store, self.depth)
        nodes = sorted(self.depth.items(), key=lambda n: (abs(n[1]), -n[1], n[0]))
        omitted = self.omitted - self.depth.keys()
        return Subgraph(
            nodes=[names.node(node_id, depth) for node_id, depth in nodes],
            edges=sorted(self.edges.values(), key=lambda e: e.claim),
            truncated=bool(omitted),
            omitted=len(omitted),
        )
