"""The reads every named query is built from: each one's Cypher for Neo4j and its networkx twin.

A :class:`Read` returns rows of plain values. Both implementations must
return the same rows for the same graph; the contract suite checks this on
the founding corpus and on generated graphs. Everything above the rows
(statuses as of a date, traversal, ranking, paging) is shared Python, so it
cannot drift between the stores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
from neo4j.time import Date
from typing_extensions import LiteralString

from actorgraph.errors import UnsupportedError
from actorgraph.graph.memory import IN_EVENT, MemoryStore
from actorgraph.graph.model import (
    ATTESTATION_TYPES,
    Actor,
    Attestation,
    Claim,
    Event,
    Predicate,
)
from actorgraph.graph.neo4j import Neo4jStore
from actorgraph.graph.store import AttestedClaim, GraphStore

Row = dict[str, Any]
DOCUMENT_REF_FIELDS = ("id", "title", "publisher", "author", "url", "published", "source")


@dataclass(frozen=True)
class Read:
    """One read: Cypher for Neo4j, a function over the networkx graph for the embedded store."""

    name: str
    cypher: LiteralString
    embedded: Callable[..., list[Row]]


def run(store: GraphStore, read: Read, **params: Any) -> list[Row]:
    """Run ``read`` on ``store`` with ``params``; values come back as plain Python (dates as dates).

    Raises
    ------
    UnsupportedError
        For a store that is neither the embedded one nor Neo4j.
    """
    if isinstance(store, Neo4jStore):
        cypher_params = {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}
        return [_native(row) for row in store.read(read.cypher, **cypher_params)]
    if isinstance(store, MemoryStore):
        return read.embedded(store.view(), **params)
    raise UnsupportedError(f"no query implementation for the {store.name} store")


def _native(value: Any) -> Any:
    if isinstance(value, Date):
        return value.to_native()
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_native(v) for v in value]
    return value


def _data(graph: nx.MultiDiGraph, node_id: str, label: str) -> Row | None:
    attrs = graph.nodes.get(node_id)
    if attrs is None or attrs["label"] != label:
        return None
    data: Row = attrs["data"]
    return data


def _claim_row(graph: nx.MultiDiGraph, claim_id: str) -> Row:
    atts = [
        attrs["data"]
        for _, _, attrs in graph.in_edges(claim_id, data=True)
        if attrs["type"] in ATTESTATION_TYPES
    ]
    return {"claim": graph.nodes[claim_id]["data"], "atts": atts}


# -- claims ------------------------------------------------------------------

_WITH_ATTESTATIONS = (
    "OPTIONAL MATCH ()-[a:REPORTED|DENIED]->(c) "
    "RETURN properties(c) AS claim, collect(properties(a)) AS atts ORDER BY claim.id"
)


def _claims_touching(
    graph: nx.MultiDiGraph, ids: Iterable[str], predicates: Iterable[str]
) -> list[Row]:
    types = {Predicate(p).rel_type for p in predicates}
    found: set[str] = set()
    for node in ids:
        if node not in graph:
            continue
        for edges in (
            graph.out_edges(node, keys=True, data="type"),
            graph.in_edges(node, keys=True, data="type"),
        ):
            found.update(key for _, _, key, kind in edges if kind in types)
    return [_claim_row(graph, claim_id) for claim_id in sorted(found)]


CLAIMS_TOUCHING = Read(
    "claims_touching",
    "UNWIND $ids AS id "
    "CALL (id) { MATCH (c:Claim {subject: id}) RETURN c "
    "UNION MATCH (c:Claim {object: id}) RETURN c } "
    "WITH DISTINCT c WHERE c.predicate IN $predicates " + _WITH_ATTESTATIONS,
    _claims_touching,
)
"""Claims whose subject or object is one of ``ids`` (the edges around those nodes)."""


def _edges_touching(
    graph: nx.MultiDiGraph, ids: Iterable[str], predicates: Iterable[str]
) -> list[Row]:
    types = {Predicate(p).rel_type for p in predicates}
    found: dict[str, Row] = {}
    for node in ids:
        if node not in graph:
            continue
        for edges in (
            graph.out_edges(node, keys=True, data=True),
            graph.in_edges(node, keys=True, data=True),
        ):
            for source, target, key, e in edges:
                if e["type"] in types:
                    found[key] = {
                        "claim": key,
                        "source": source,
                        "target": target,
                        "predicate": e["type"].lower(),
                        "status": e["status"],
                        "attestations": e["attestations"],
                    }
    return [found[key] for key in sorted(found)]


EDGES_TOUCHING = Read(
    "edges_touching",
    "UNWIND $ids AS id "
    "CALL (id) { MATCH (n:Actor {id: id}) RETURN n UNION MATCH (n:Event {id: id}) RETURN n } "
    "MATCH (n)-[r:COMMANDS|PART_OF|STRUCK|KILLED_IN]-() "
    "WITH DISTINCT r WHERE toLower(type(r)) IN $predicates "
    "RETURN r.claim AS claim, startNode(r).id AS source, endNode(r).id AS target, "
    "toLower(type(r)) AS predicate, r.status AS status, "
    "COUNT { ()-[:REPORTED|DENIED]->(:Claim {id: r.claim}) } AS attestations "
    "ORDER BY claim",
    _edges_touching,
)
"""The claims around ``ids`` as edges, with the status every write keeps on them.

No attestation is read: the traversals use this when they need no status as
of a past date. Both stores keep each claim's status and count on its edge.
"""


def _claims_about_events(graph: nx.MultiDiGraph, ids: Iterable[str]) -> list[Row]:
    found: set[str] = set()
    for node in ids:
        if _data(graph, node, "Event") is None:
            continue
        for source, _, key, kind in graph.in_edges(node, keys=True, data="type"):
            if kind == IN_EVENT:
                found.add(source)
            elif kind == Predicate.KILLED_IN.rel_type:
                found.add(key)
    return [_claim_row(graph, claim_id) for claim_id in sorted(found)]


CLAIMS_ABOUT_EVENTS = Read(
    "claims_about_events",
    "UNWIND $ids AS id "
    "CALL (id) { MATCH (c:Claim {event: id}) RETURN c "
    "UNION MATCH (c:Claim {object: id}) WHERE c.predicate = 'killed_in' RETURN c } "
    "WITH DISTINCT c " + _WITH_ATTESTATIONS,
    _claims_about_events,
)
"""Claims made within one of the events ``ids``, and who was killed in them."""


def _claims_by_id(graph: nx.MultiDiGraph, ids: Iterable[str]) -> list[Row]:
    return [
        _claim_row(graph, claim_id)
        for claim_id in sorted(set(ids))
        if _data(graph, claim_id, "Claim") is not None
    ]


CLAIMS_BY_ID = Read(
    "claims_by_id",
    "UNWIND $ids AS id MATCH (c:Claim {id: id}) WITH DISTINCT c " + _WITH_ATTESTATIONS,
    _claims_by_id,
)


def _all_claims(graph: nx.MultiDiGraph, needs_report: bool, needs_denial: bool) -> list[Row]:
    rows = []
    for node, label in sorted(graph.nodes(data="label")):
        if label != "Claim":
            continue
        kinds = {kind for _, _, kind in graph.in_edges(node, data="type")}
        if (needs_report and "REPORTED" not in kinds) or (needs_denial and "DENIED" not in kinds):
            continue
        rows.append(_claim_row(graph, node))
    return rows


ALL_CLAIMS = Read(
    "all_claims",
    "MATCH (c:Claim) "
    "WHERE (NOT $needs_report OR EXISTS { ()-[:REPORTED]->(c) }) "
    "AND (NOT $needs_denial OR EXISTS { ()-[:DENIED]->(c) }) " + _WITH_ATTESTATIONS,
    _all_claims,
)
"""Every claim, or only those someone reported and/or someone denied (a cheap pre-filter)."""


# -- nodes -------------------------------------------------------------------


def _nodes_by_id(label: str) -> Callable[..., list[Row]]:
    def nodes(graph: nx.MultiDiGraph, ids: Iterable[str]) -> list[Row]:
        found = (_data(graph, node_id, label) for node_id in sorted(set(ids)))
        return [{"props": data} for data in found if data is not None]

    return nodes


ACTORS_BY_ID = Read(
    "actors_by_id",
    "UNWIND $ids AS id MATCH (n:Actor {id: id}) WITH DISTINCT n "
    "RETURN properties(n) AS props ORDER BY n.id",
    _nodes_by_id("Actor"),
)
EVENTS_BY_ID = Read(
    "events_by_id",
    "UNWIND $ids AS id MATCH (n:Event {id: id}) WITH DISTINCT n "
    "RETURN properties(n) AS props ORDER BY n.id",
    _nodes_by_id("Event"),
)


def _nodes_of_either(graph: nx.MultiDiGraph, ids: Iterable[str]) -> list[Row]:
    rows = []
    for node_id in sorted(set(ids)):
        attrs = graph.nodes.get(node_id)
        if attrs is not None and attrs["label"] in ("Actor", "Event"):
            rows.append({"label": attrs["label"], "props": attrs["data"]})
    return rows


NODES_BY_ID = Read(
    "nodes_by_id",
    "UNWIND $ids AS id "
    "CALL (id) { MATCH (n:Actor {id: id}) RETURN n UNION MATCH (n:Event {id: id}) RETURN n } "
    "WITH DISTINCT n RETURN CASE WHEN n:Actor THEN 'Actor' ELSE 'Event' END AS label, "
    "properties(n) AS props ORDER BY n.id",
    _nodes_of_either,
)
"""The actors and events among ``ids``, each with its label: one read to name a result's nodes."""


def _document_refs(graph: nx.MultiDiGraph, ids: Iterable[str]) -> list[Row]:
    rows = _nodes_by_id("Document")(graph, ids)
    return [{"props": {k: row["props"].get(k) for k in DOCUMENT_REF_FIELDS}} for row in rows]


DOCUMENT_REFS = Read(
    "document_refs",
    "UNWIND $ids AS id MATCH (d:Document {id: id}) WITH DISTINCT d "
    "RETURN d {.id, .title, .publisher, .author, .url, .published, .source} AS props "
    "ORDER BY d.id",
    _document_refs,
)
"""Documents' metadata, without their text."""


def _document_page(graph: nx.MultiDiGraph, skip: int, limit: int) -> list[Row]:
    docs = [attrs["data"] for _, attrs in graph.nodes(data=True) if attrs["label"] == "Document"]
    docs.sort(key=lambda d: d["id"])
    docs.sort(key=lambda d: d.get("published") or "", reverse=True)
    docs.sort(key=lambda d: d.get("published") is None)
    return [
        {"props": {k: d.get(k) for k in DOCUMENT_REF_FIELDS}} for d in docs[skip : skip + limit]
    ]


DOCUMENT_PAGE = Read(
    "document_page",
    "MATCH (d:Document) "
    "RETURN d {.id, .title, .publisher, .author, .url, .published, .source} AS props "
    "ORDER BY d.published IS NULL, d.published DESC, d.id SKIP $skip LIMIT $limit",
    _document_page,
)
"""A page of documents' metadata, newest first (undated last)."""


def _events_between(
    graph: nx.MultiDiGraph, since: dt.date | None, until: dt.date | None
) -> list[Row]:
    rows = []
    for _, attrs in graph.nodes(data=True):
        if attrs["label"] != "Event":
            continue
        day = attrs["data"].get("date")
        if (since is not None or until is not None) and day is None:
            continue
        if since is not None and day < since.isoformat():
            continue
        if until is not None and day > until.isoformat():
            continue
        rows.append({"props": attrs["data"]})
    rows.sort(key=lambda r: r["props"]["id"])
    rows.sort(key=lambda r: (r["props"].get("date") is None, r["props"].get("date") or ""))
    return rows


EVENTS_BETWEEN = Read(
    "events_between",
    "MATCH (e:Event) "
    "WHERE ($since IS NULL AND $until IS NULL) OR (e.date IS NOT NULL "
    "AND ($since IS NULL OR e.date >= $since) AND ($until IS NULL OR e.date <= $until)) "
    "RETURN properties(e) AS props ORDER BY e.date IS NULL, e.date, e.id",
    _events_between,
)
"""Events dated within ``since``..``until``, by date; undated ones only when neither is given."""


def _mentioning(graph: nx.MultiDiGraph, id: str) -> list[Row]:
    if _data(graph, id, "Actor") is None:
        return []
    documents = {
        source for source, _, kind in graph.in_edges(id, data="type") if kind == "MENTIONS"
    }
    return [{"documents": len(documents)}]


MENTIONING = Read(
    "mentioning",
    "MATCH (a:Actor {id: $id}) "
    "OPTIONAL MATCH (d:Document)-[:MENTIONS]->(a) RETURN count(DISTINCT d) AS documents",
    _mentioning,
)
"""How many documents name the actor ``id``."""


def _actor_page(graph: nx.MultiDiGraph, kind: str | None, skip: int, limit: int) -> list[Row]:
    found = sorted(
        (node_id, attrs["data"])
        for node_id, attrs in graph.nodes(data=True)
        if attrs["label"] == "Actor" and kind in (None, attrs["data"]["kind"])
    )
    return [{"props": data} for _, data in found[skip : skip + limit]]


ACTOR_PAGE = Read(
    "actor_page",
    "MATCH (a:Actor) WHERE $kind IS NULL OR a.kind = $kind "
    "RETURN properties(a) AS props ORDER BY a.id SKIP $skip LIMIT $limit",
    _actor_page,
)


def _count_actors(graph: nx.MultiDiGraph, kind: str | None) -> list[Row]:
    n = sum(
        1
        for _, attrs in graph.nodes(data=True)
        if attrs["label"] == "Actor" and kind in (None, attrs["data"]["kind"])
    )
    return [{"n": n}]


COUNT_ACTORS = Read(
    "count_actors",
    "MATCH (a:Actor) WHERE $kind IS NULL OR a.kind = $kind RETURN count(a) AS n",
    _count_actors,
)


def _count_documents(graph: nx.MultiDiGraph) -> list[Row]:
    return [{"n": sum(1 for _, label in graph.nodes(data="label") if label == "Document")}]


COUNT_DOCUMENTS = Read(
    "count_documents", "MATCH (d:Document) RETURN count(d) AS n", _count_documents
)


def _document(graph: nx.MultiDiGraph, id: str) -> list[Row]:
    data = _data(graph, id, "Document")
    if data is None:
        return []
    mentions = sorted(
        (
            attrs["data"]
            for _, _, attrs in graph.out_edges(id, data=True)
            if attrs["type"] == "MENTIONS"
        ),
        key=lambda m: (m["start"], m["end"], m["actor"]),
    )
    return [{"props": data, "mentions": mentions}]


DOCUMENT = Read(
    "document",
    "MATCH (d:Document {id: $id}) OPTIONAL MATCH (d)-[m:MENTIONS]->() "
    "WITH d, m ORDER BY m.start, m.end, m.actor "
    "RETURN properties(d) AS props, collect(properties(m)) AS mentions",
    _document,
)
"""A document with its text, and where it names known actors."""


READS = (
    CLAIMS_TOUCHING,
    EDGES_TOUCHING,
    CLAIMS_ABOUT_EVENTS,
    CLAIMS_BY_ID,
    ALL_CLAIMS,
    ACTORS_BY_ID,
    EVENTS_BY_ID,
    NODES_BY_ID,
    DOCUMENT_REFS,
    DOCUMENT_PAGE,
    EVENTS_BETWEEN,
    MENTIONING,
    ACTOR_PAGE,
    COUNT_ACTORS,
    COUNT_DOCUMENTS,
    DOCUMENT,
)


# -- rows to models ------------------------------------------------------------


def attested(rows: Iterable[Row]) -> list[AttestedClaim]:
    """Claim rows as claims with their attestations (sorted by id)."""
    return [
        AttestedClaim(
            Claim.model_validate(row["claim"]),
            tuple(sorted((Attestation.model_validate(a) for a in row["atts"] if a), key=_by_id)),
        )
        for row in rows
    ]


def _by_id(att: Attestation) -> str:
    return att.id


def actors(rows: Iterable[Row]) -> dict[str, Actor]:
    return {a.id: a for a in (Actor.model_validate(r["props"]) for r in rows)}


def events(rows: Iterable[Row]) -> dict[str, Event]:
    return {e.id: e for e in (Event.model_validate(r["props"]) for r in rows)}
