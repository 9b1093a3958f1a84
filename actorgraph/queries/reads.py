"""The reads every named query is built from: each one's Cypher for Neo4j and its twin on the
embedded store (networkx for traversals, SQL for records).

A :class:`~actorgraph.graph.store.Read` returns rows of plain values, and a
store runs it (:meth:`~actorgraph.graph.store.GraphStore.query`). Both
implementations must return the same rows for the same graph; the contract
suite checks this on the founding corpus and on generated graphs. Everything
above the rows (statuses as of a date, traversal, ranking) is shared Python,
so it cannot drift between the stores.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import Any, Literal

import networkx as nx

from actorgraph.graph.model import (
    Actor,
    Event,
    Predicate,
)
from actorgraph.graph.sqlite import Snapshot, claim_rows
from actorgraph.graph.store import Read, Row

_PREDICATE_OF = {p.rel_type: p.value for p in Predicate}
"""Each relationship type's predicate (Neo4j's twin lower-cases the type: the test of the
vocabulary checks that these agree)."""
_ABOUT_EVENTS = {p.rel_type for p in Predicate if p.about_event}


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
    return claim_rows(snap.rows(sql, sorted(set(ids))))


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
                        "predicate": _PREDICATE_OF[e["type"]],
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
            if kind in _ABOUT_EVENTS
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
    return claim_rows(snap.rows(sql, needs_report, needs_denial))


ALL_CLAIMS = Read(
    "all_claims",
    "MATCH (c:Claim) "
    "WHERE (NOT $needs_report OR EXISTS { ()-[:REPORTED]->(c) }) "
    "AND (NOT $needs_denial OR EXISTS { ()-[:DENIED]->(c) }) " + _WITH_ATTESTATIONS,
    _all_claims,
)
"""Every claim, or only those someone reported and/or someone denied (a cheap pre-filter)."""


def _claim_page(
    snap: Snapshot, statuses: list[str], predicates: list[str], skip: int, limit: int
) -> list[Row]:
    sql = (
        "SELECT id FROM claims WHERE status IN (SELECT value FROM json_each(?1)) "
        "AND predicate IN (SELECT value FROM json_each(?2)) ORDER BY id LIMIT ?3 OFFSET ?4"
    )
    page = [i for (i,) in snap.rows(sql, statuses, predicates, limit, skip)]
    return _claim_rows(snap, page)


CLAIM_PAGE = Read(
    "claim_page",
    "MATCH ()-[r:COMMANDS|PART_OF|STRUCK|KILLED_IN]->() "
    "WHERE r.status IN $statuses AND toLower(type(r)) IN $predicates "
    "WITH r.claim AS id ORDER BY id SKIP $skip LIMIT $limit "
    "MATCH (c:Claim {id: id}) " + _WITH_ATTESTATIONS,
    _claim_page,
)
"""A page of the claims whose current status and predicate are among those given, by id.

The status every write keeps on a claim's edge: what the store can page by itself when
no ``as_of`` asks for statuses of another day."""


def _count_claims(snap: Snapshot, statuses: list[str], predicates: list[str]) -> list[Row]:
    sql = (
        "SELECT count(*) FROM claims WHERE status IN (SELECT value FROM json_each(?1)) "
        "AND predicate IN (SELECT value FROM json_each(?2))"
    )
    return [{"n": snap.rows(sql, statuses, predicates)[0][0]}]


COUNT_CLAIMS = Read(
    "count_claims",
    "MATCH ()-[r:COMMANDS|PART_OF|STRUCK|KILLED_IN]->() "
    "WHERE r.status IN $statuses AND toLower(type(r)) IN $predicates RETURN count(r) AS n",
    _count_claims,
)


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


def _of_events(
    table: Literal["casualties", "tellings"],
) -> Callable[[Snapshot, Iterable[str]], list[Row]]:
    """The embedded twin of a read of what the documents give of the events ``ids``, kept
    in ``table`` (a closed name, never input)."""
    where = "WHERE event IN (SELECT value FROM json_each(?)) ORDER BY id"
    sql = f"SELECT data FROM {table} {where}"  # noqa: S608

    def read(snap: Snapshot, ids: Iterable[str]) -> list[Row]:
        return _props(snap.rows(sql, ids))

    return read


CASUALTIES_OF = Read(
    "casualties_of",
    "UNWIND $ids AS id MATCH (:Document)-[c:CASUALTIES]->(:Event {id: id}) "
    "RETURN properties(c) AS props ORDER BY c.id",
    _of_events("casualties"),
)
"""The casualty figures the documents give of the events ``ids``."""


TELLINGS_OF = Read(
    "tellings_of",
    "UNWIND $ids AS id MATCH (:Document)-[t:TELLS]->(:Event {id: id}) "
    "RETURN properties(t) AS props ORDER BY t.id",
    _of_events("tellings"),
)
"""How each document tells of the events ``ids``: the date and place as it says them."""


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


_BETWEEN_SQL = (
    "WITH e AS (SELECT id, data, json_extract(data, '$.date') AS day FROM events) "
    "SELECT {what} FROM e WHERE (?1 IS NULL AND ?2 IS NULL) OR (day IS NOT NULL "
    "AND (?1 IS NULL OR day >= ?1) AND (?2 IS NULL OR day <= ?2)) "
)
_BETWEEN = (
    "MATCH (e:Event) "
    "WHERE ($since IS NULL AND $until IS NULL) OR (e.date IS NOT NULL "
    "AND ($since IS NULL OR e.date >= $since) AND ($until IS NULL OR e.date <= $until)) "
)


def _days(since: dt.date | None, until: dt.date | None) -> list[str | None]:
    return [None if d is None else d.isoformat() for d in (since, until)]


def _events_between(
    snap: Snapshot, since: dt.date | None, until: dt.date | None, skip: int, limit: int
) -> list[Row]:
    sql = _BETWEEN_SQL.format(what="data") + "ORDER BY day IS NULL, day, id LIMIT ?3 OFFSET ?4"
    return _props(snap.rows(sql, *_days(since, until), limit, skip))


EVENTS_BETWEEN = Read(
    "events_between",
    _BETWEEN + "RETURN properties(e) AS props ORDER BY e.date IS NULL, e.date, e.id "
    "SKIP $skip LIMIT $limit",
    _events_between,
)
"""A page of the events dated within ``since``..``until``, by date; undated ones only when
neither is given."""


def _count_between(snap: Snapshot, since: dt.date | None, until: dt.date | None) -> list[Row]:
    return [{"n": snap.rows(_BETWEEN_SQL.format(what="count(*)"), *_days(since, until))[0][0]}]


COUNT_BETWEEN = Read("count_events_between", _BETWEEN + "RETURN count(e) AS n", _count_between)


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
    CASUALTIES_OF,
    TELLINGS_OF,
    CLAIMS_TOUCHING,
    EDGES_TOUCHING,
    CLAIMS_ABOUT_EVENTS,
    CLAIMS_BY_ID,
    ALL_CLAIMS,
    CLAIM_PAGE,
    COUNT_CLAIMS,
    ACTORS_BY_ID,
    EVENTS_BY_ID,
    NODES_BY_ID,
    DOCUMENT_REFS,
    DOCUMENT_PAGE,
    EVENTS_BETWEEN,
    COUNT_BETWEEN,
    MENTIONING,
    ACTOR_PAGE,
    COUNT_ACTORS,
    COUNT_DOCUMENTS,
    DOCUMENT,
)


# -- rows to models ------------------------------------------------------------


def actors(rows: Iterable[Row]) -> dict[str, Actor]:
    return {a.id: a for a in (Actor.model_validate(r["props"]) for r in rows)}


def events(rows: Iterable[Row]) -> dict[str, Event]:
    return {e.id: e for e in (Event.model_validate(r["props"]) for r in rows)}
