"""The reads every named query is built from: each one's Cypher for Neo4j and its networkx twin.

A :class:`Read` returns rows of plain values. Both implementations must
return the same rows for the same graph; the contract suite checks this on
the founding corpus and on generated graphs. Everything above the rows
(statuses as of a date, traversal, ranking, paging) is shared Python, so it
cannot drift between the stores.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
from neo4j.time import Date
from typing_extensions import LiteralString

from actorgraph.errors import UnsupportedError
from actorgraph.graph.memory import MemoryStore, Snapshot
from actorgraph.graph.model import (
    Actor,
    Attestation,
    Claim,
    Event,
    Predicate,
)
from actorgraph.graph.neo4j import Neo4jStore
from actorgraph.graph.store import AttestedClaim, GraphStore

Row = dict[str, Any]


@dataclass(frozen=True)
class Read:
    """One read: Cypher for Neo4j; for the embedded store, a function of its graph and its file."""

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
        with store.reading() as snapshot:
            return read.embedded(snapshot, **params)
    raise UnsupportedError(f"no query implementation for the {store.name} store")


def _native(value: Any) -> Any:
    if isinstance(value, Date):
        return value.to_native()
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_native(v) for v in value]
    return value


def _is(graph: nx.MultiDiGraph, node_id: str, label: str) -> bool:
    attrs = graph.nodes.get(node_id)
    return attrs is not None and attrs["label"] == label


def _props(rows: Iterable[tuple[Any, ...]]) -> list[Row]:
    """Rows of one JSON record each, as ``props`` rows."""
    return [{"props": json.loads(data)} for (data,) in rows]


def _claim_rows(snap: Snapshot, ids: Iterable[str]) -> list[Row]:
    sql = (
        "SELECT id, claim, att FROM claims_said "
        "WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id, att_id"
    )
    return _claim_row_groups(snap.rows(sql, sorted(set(ids))))


def _claim_row_groups(rows: Iterable[tuple[Any, ...]]) -> list[Row]:
    found: dict[str, Row] = {}
    for claim_id, claim, att in rows:
        if claim_id not in found:
            found[claim_id] = {"claim": json.loads(claim), "atts": []}
        if att is not None:
            found[claim_id]["atts"].append(json.loads(att))
    return list(found.values())


# -- claims ------------------------------------------------------------------

_WITH_ATTESTATIONS = (
    "OPTIONAL MATCH ()-[a:REPORTED|DENIED]->(c) "
    "RETURN properties(c) AS claim, collect(properties(a)) AS atts ORDER BY claim.id"
)


def _claims_touching(snap: Snapshot, ids: Iterable[str], predicates: Iterable[str]) -> list[Row]:
    types = {Predicate(p).rel_type for p in predicates}
    graph = snap.graph
    found: set[str] = set()
    for node in ids:
        if node not in graph:
            continue
        for edges in (
            graph.out_edges(node, keys=True, data="type"),
            graph.in_edges(node, keys=True, data="type"),
        ):
            found.update(key for _, _, key, kind in edges if kind in types)
    return _claim_rows(snap, found)


CLAIMS_TOUCHING = Read(
    "claims_touching",
    "UNWIND $ids AS id "
    "CALL (id) { MATCH (c:Claim {subject: id}) RETURN c "
    "UNION MATCH (c:Claim {object: id}) RETURN c } "
    "WITH DISTINCT c WHERE c.predicate IN $predicates " + _WITH_ATTESTATIONS,
    _claims_touching,
)
"""Claims whose subject or object is one of ``ids`` (the edges around those nodes)."""


def _edges_touching(snap: Snapshot, ids: Iterable[str], predicates: Iterable[str]) -> list[Row]:
    types = {Predicate(p).rel_type for p in predicates}
    graph = snap.graph
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


def _claims_about_events(snap: Snapshot, ids: Iterable[str]) -> list[Row]:
    events = [node for node in set(ids) if _is(snap.graph, node, "Event")]
    found = {
        c
        for (c,) in snap.rows(
            "SELECT id FROM claims WHERE event IN (SELECT value FROM json_each(?))", events
        )
    }
    for event in events:
        found.update(
            key
            for _, _, key, kind in snap.graph.in_edges(event, keys=True, data="type")
            if kind == Predicate.KILLED_IN.rel_type
        )
    return _claim_rows(snap, found)


CLAIMS_ABOUT_EVENTS = Read(
    "claims_about_events",
    "UNWIND $ids AS id "
    "CALL (id) { MATCH (c:Claim {event: id}) RETURN c "
    "UNION MATCH (c:Claim {object: id}) WHERE c.predicate = 'killed_in' RETURN c } "
    "WITH DISTINCT c " + _WITH_ATTESTATIONS,
    _claims_about_events,
)
"""Claims made within one of the events ``ids``, and who was killed in them."""


CLAIMS_BY_ID = Read(
    "claims_by_id",
    "UNWIND $ids AS id MATCH (c:Claim {id: id}) WITH DISTINCT c " + _WITH_ATTESTATIONS,
    _claim_rows,
)


def _all_claims(snap: Snapshot, needs_report: bool, needs_denial: bool) -> list[Row]:
    sql = (
        "SELECT id, claim, att FROM claims_said WHERE "
        "(NOT ?1 OR id IN (SELECT claim FROM attestations WHERE stance = 'reported')) AND "
        "(NOT ?2 OR id IN (SELECT claim FROM attestations WHERE stance = 'denied')) "
        "ORDER BY id, att_id"
    )
    rows = snap.rows(sql, needs_report, needs_denial)
    return _claim_row_groups(rows)


ALL_CLAIMS = Read(
    "all_claims",
    "MATCH (c:Claim) "
    "WHERE (NOT $needs_report OR EXISTS { ()-[:REPORTED]->(c) }) "
    "AND (NOT $needs_denial OR EXISTS { ()-[:DENIED]->(c) }) " + _WITH_ATTESTATIONS,
    _all_claims,
)
"""Every claim, or only those someone reported and/or someone denied (a cheap pre-filter)."""


# -- nodes -------------------------------------------------------------------


def _actors_by_id(snap: Snapshot, ids: Iterable[str]) -> list[Row]:
    return _props(
        snap.rows(
            "SELECT data FROM actors WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id", ids
        )
    )


def _events_by_id(snap: Snapshot, ids: Iterable[str]) -> list[Row]:
    return _props(
        snap.rows(
            "SELECT data FROM events WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id", ids
        )
    )


ACTORS_BY_ID = Read(
    "actors_by_id",
    "UNWIND $ids AS id MATCH (n:Actor {id: id}) WITH DISTINCT n "
    "RETURN properties(n) AS props ORDER BY n.id",
    _actors_by_id,
)
EVENTS_BY_ID = Read(
    "events_by_id",
    "UNWIND $ids AS id MATCH (n:Event {id: id}) WITH DISTINCT n "
    "RETURN properties(n) AS props ORDER BY n.id",
    _events_by_id,
)


def _nodes_of_either(snap: Snapshot, ids: Iterable[str]) -> list[Row]:
    sql = (
        "SELECT id, 'Actor', data FROM actors WHERE id IN (SELECT value FROM json_each(?1)) "
        "UNION ALL "
        "SELECT id, 'Event', data FROM events WHERE id IN (SELECT value FROM json_each(?1)) "
        "ORDER BY id"
    )
    return [
        {"label": label, "props": json.loads(data)}
        for _, label, data in snap.rows(sql, sorted(set(ids)))
    ]


NODES_BY_ID = Read(
    "nodes_by_id",
    "UNWIND $ids AS id "
    "CALL (id) { MATCH (n:Actor {id: id}) RETURN n UNION MATCH (n:Event {id: id}) RETURN n } "
    "WITH DISTINCT n RETURN CASE WHEN n:Actor THEN 'Actor' ELSE 'Event' END AS label, "
    "properties(n) AS props ORDER BY n.id",
    _nodes_of_either,
)
"""The actors and events among ``ids``, each with its label: one read to name a result's nodes."""


def _document_refs(snap: Snapshot, ids: Iterable[str]) -> list[Row]:
    sql = (
        "SELECT json_remove(data, '$.text') FROM documents "  # the metadata, not the text
        "WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id"
    )
    return _props(snap.rows(sql, ids))


DOCUMENT_REFS = Read(
    "document_refs",
    "UNWIND $ids AS id MATCH (d:Document {id: id}) WITH DISTINCT d "
    "RETURN d {.id, .title, .publisher, .author, .url, .published, .source} AS props "
    "ORDER BY d.id",
    _document_refs,
)
"""Documents' metadata, without their text."""


def _document_page(snap: Snapshot, skip: int, limit: int) -> list[Row]:
    sql = (
        "SELECT json_remove(data, '$.text') FROM documents "
        "ORDER BY json_extract(data, '$.published') IS NULL, "
        "json_extract(data, '$.published') DESC, id LIMIT ? OFFSET ?"
    )
    return _props(snap.rows(sql, limit, skip))


DOCUMENT_PAGE = Read(
    "document_page",
    "MATCH (d:Document) "
    "RETURN d {.id, .title, .publisher, .author, .url, .published, .source} AS props "
    "ORDER BY d.published IS NULL, d.published DESC, d.id SKIP $skip LIMIT $limit",
    _document_page,
)
"""A page of documents' metadata, newest first (undated last)."""


def _events_between(snap: Snapshot, since: dt.date | None, until: dt.date | None) -> list[Row]:
    sql = (
        "WITH e AS (SELECT id, data, json_extract(data, '$.date') AS day FROM events) "
        "SELECT data FROM e WHERE (?1 IS NULL AND ?2 IS NULL) OR (day IS NOT NULL "
        "AND (?1 IS NULL OR day >= ?1) AND (?2 IS NULL OR day <= ?2)) "
        "ORDER BY day IS NULL, day, id"
    )
    bounds = [None if d is None else d.isoformat() for d in (since, until)]
    return _props(snap.rows(sql, *bounds))


EVENTS_BETWEEN = Read(
    "events_between",
    "MATCH (e:Event) "
    "WHERE ($since IS NULL AND $until IS NULL) OR (e.date IS NOT NULL "
    "AND ($since IS NULL OR e.date >= $since) AND ($until IS NULL OR e.date <= $until)) "
    "RETURN properties(e) AS props ORDER BY e.date IS NULL, e.date, e.id",
    _events_between,
)
"""Events dated within ``since``..``until``, by date; undated ones only when neither is given."""


def _mentioning(snap: Snapshot, id: str) -> list[Row]:
    if not _is(snap.graph, id, "Actor"):
        return []
    sql = "SELECT count(DISTINCT document) FROM mentions WHERE actor = ?"
    return [{"documents": snap.rows(sql, id)[0][0]}]


MENTIONING = Read(
    "mentioning",
    "MATCH (a:Actor {id: $id}) "
    "OPTIONAL MATCH (d:Document)-[:MENTIONS]->(a) RETURN count(DISTINCT d) AS documents",
    _mentioning,
)
"""How many documents name the actor ``id``."""

_OF_KIND = "FROM actors WHERE ?1 IS NULL OR json_extract(data, '$.kind') = ?1 "


def _actor_page(snap: Snapshot, kind: str | None, skip: int, limit: int) -> list[Row]:
    return _props(
        snap.rows("SELECT data " + _OF_KIND + "ORDER BY id LIMIT ?2 OFFSET ?3", kind, limit, skip)
    )


ACTOR_PAGE = Read(
    "actor_page",
    "MATCH (a:Actor) WHERE $kind IS NULL OR a.kind = $kind "
    "RETURN properties(a) AS props ORDER BY a.id SKIP $skip LIMIT $limit",
    _actor_page,
)


def _count_actors(snap: Snapshot, kind: str | None) -> list[Row]:
    return [{"n": snap.rows("SELECT count(*) " + _OF_KIND, kind)[0][0]}]


COUNT_ACTORS = Read(
    "count_actors",
    "MATCH (a:Actor) WHERE $kind IS NULL OR a.kind = $kind RETURN count(a) AS n",
    _count_actors,
)


def _count_documents(snap: Snapshot) -> list[Row]:
    return [{"n": snap.rows("SELECT count(*) FROM documents")[0][0]}]


COUNT_DOCUMENTS = Read(
    "count_documents", "MATCH (d:Document) RETURN count(d) AS n", _count_documents
)


def _document(snap: Snapshot, id: str) -> list[Row]:
    found = snap.rows("SELECT data FROM documents WHERE id = ?", id)
    if not found:
        return []
    mentions = [
        json.loads(m) for (m,) in snap.rows("SELECT data FROM mentions WHERE document = ?", id)
    ]
    mentions.sort(key=lambda m: (m["start"], m["end"], m["actor"]))
    return [{"props": json.loads(found[0][0]), "mentions": mentions}]


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
