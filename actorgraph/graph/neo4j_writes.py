"""Writing a batch into Neo4j in one transaction: checked, counted, merged, statuses kept.

Every query is a constant with ``$parameters``; the only text spliced into one
is a label or relationship type from the vocabulary. Rows go in ``UNWIND``
chunks of :data:`CHUNK`, all in the one transaction, so a failure leaves
nothing behind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from neo4j import ManagedTransaction
from pydantic import BaseModel
from typing_extensions import LiteralString

from actorgraph.graph.model import (
    ATTESTATION_TYPES,
    ActorKind,
    Attestation,
    CasualtyFigure,
    Mention,
    Telling,
)
from actorgraph.graph.neo4j_values import (
    NODE_KINDS,
    as_properties,
    from_properties,
    native,
    spliced,
)
from actorgraph.graph.store import (
    AttestedClaim,
    GraphBatch,
    Label,
    WriteResult,
    attested,
    check_batch,
)
from actorgraph.graph.vocabulary import ACTOR_KINDS

CHUNK = 2000
"""Rows per UNWIND: large enough to amortise round trips, small enough for a 1 GiB heap."""

KIND_LABEL = {kind: ACTOR_KINDS[kind.value].label for kind in ActorKind}
"""``armed_group`` -> ``ArmedGroup``: the extra label each actor carries."""

EXISTING_NODES = "MATCH (n:{label}) WHERE n.id IN $ids RETURN n.id AS id, properties(n) AS props"
EXISTING_RELS = (
    "MATCH ()-[r:{type}]->() WHERE r.id IN $ids RETURN r.id AS id, properties(r) AS props"
)
MERGE_ACTORS = (
    "UNWIND $rows AS row MERGE (n:Actor {{id: row.id}}) SET n = row "
    "WITH n REMOVE n:{all_kinds} SET n:{label}"
)
MERGE_NODES = "UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n = row"
MERGE_PLACES = (  # the point is what the point index and distances read
    "UNWIND $rows AS row MERGE (n:Place {id: row.id}) "
    "SET n = row, n.location = point({latitude: row.lat, longitude: row.lon})"
)
# Where a place or an event is: its one IN or AT edge, replaced when it moves.
PLACE_IN = (
    "UNWIND $rows AS row MATCH (n:Place {id: row.id}) "
    "CALL (n) { MATCH (n)-[old:IN]->() DELETE old } "
    "WITH n, row WHERE row.parent IS NOT NULL "
    "MATCH (parent:Place {id: row.parent}) MERGE (n)-[:IN]->(parent)"
)
EVENT_AT = (
    "UNWIND $rows AS row MATCH (e:Event {id: row.id}) "
    "CALL (e) { MATCH (e)-[old:AT]->() DELETE old } "
    "WITH e, row WHERE row.at IS NOT NULL "
    "MATCH (p:Place {id: row.at}) MERGE (e)-[:AT]->(p)"
)
MERGE_CLAIM_EDGES = (
    "UNWIND $rows AS row "
    "MATCH (s:Actor {{id: row.subject}}) MATCH (o:{object_label} {{id: row.object}}) "
    "MERGE (s)-[r:{type} {{claim: row.id}}]->(o) SET r.status = row.status"
)
MERGE_ATTESTATIONS = (
    "UNWIND $rows AS row "
    "MATCH (s:Actor {{id: row.speaker}}) MATCH (c:Claim {{id: row.claim}}) "
    "MERGE (s)-[r:{type} {{id: row.id}}]->(c) SET r = row"
)
MERGE_MENTIONS = (
    "UNWIND $rows AS row "
    "MATCH (d:Document {id: row.document}) MATCH (a:Actor {id: row.actor}) "
    "MERGE (d)-[r:MENTIONS {id: row.id}]->(a) SET r = row"
)
MERGE_CASUALTIES = (
    "UNWIND $rows AS row "
    "MATCH (d:Document {id: row.document}) MATCH (e:Event {id: row.event}) "
    "MERGE (d)-[r:CASUALTIES {id: row.id}]->(e) SET r = row"
)
MERGE_TELLINGS = (
    "UNWIND $rows AS row "
    "MATCH (d:Document {id: row.document}) MATCH (e:Event {id: row.event}) "
    "MERGE (d)-[r:TELLS {id: row.id}]->(e) SET r = row"
)
CLAIM_ATTESTATIONS = (
    "UNWIND $ids AS id MATCH (c:Claim {id: id}) "
    "OPTIONAL MATCH ()-[a:REPORTED|DENIED]->(c) "
    "RETURN properties(c) AS claim, collect(properties(a)) AS atts ORDER BY claim.id"
)
NEW_ACTORS_REVISION = "MERGE (r:Revision {id: 'actors'}) SET r.token = randomUUID()"
SET_STATUS = (
    "UNWIND $rows AS row "
    "MATCH (:Actor {{id: row.subject}})-[r:{type} {{claim: row.id}}]->() SET r.status = row.status"
)


def write_batch(tx: ManagedTransaction, batch: GraphBatch) -> WriteResult:
    """Write ``batch`` in ``tx``: check it, count it against what is stored, merge it in.

    Each claim's status is derived from its attestations as they will be once the
    batch is written, and kept on its edge.
    """
    held = _held(tx, batch)
    check_batch(batch, lambda label, node_id: node_id in held[label])
    result = _counted(tx, batch, held)
    status = _statuses(tx, batch, held["Claim"].keys())  # read before anything changes
    places = [as_properties(p) for p in batch.places]
    _run(tx, MERGE_PLACES, places)
    _run(tx, PLACE_IN, places)
    for kind_value, actors in _group(batch.actors, lambda a: a.kind).items():
        _run(
            tx,
            spliced(
                MERGE_ACTORS,
                all_kinds=":".join(KIND_LABEL.values()),
                label=KIND_LABEL[kind_value],
            ),
            [as_properties(a) for a in actors],
        )
    for kind, label in (("events", "Event"), ("documents", "Document"), ("claims", "Claim")):
        _run(
            tx, spliced(MERGE_NODES, label=label), [as_properties(r) for r in getattr(batch, kind)]
        )
    _run(tx, EVENT_AT, [{"id": e.id, "at": e.at} for e in batch.events])
    for predicate, claims in _group(batch.claims, lambda c: c.predicate).items():
        object_label = predicate.terms.object
        query = spliced(MERGE_CLAIM_EDGES, object_label=object_label, type=predicate.rel_type)
        _run(tx, query, [{**as_properties(c), "status": status[c.id].status.value} for c in claims])
    for stance, atts in _group(batch.attestations, lambda a: a.stance).items():
        _run(
            tx, spliced(MERGE_ATTESTATIONS, type=stance.rel_type), [as_properties(a) for a in atts]
        )
    _run(tx, MERGE_MENTIONS, [as_properties(m) for m in batch.mentions])
    _run(tx, MERGE_CASUALTIES, [as_properties(f) for f in batch.casualties])
    _run(tx, MERGE_TELLINGS, [as_properties(t) for t in batch.tellings])
    written = {c.id for c in batch.claims}
    others = (item for claim_id, item in status.items() if claim_id not in written)
    for rel_type, rows in _status_rows(others).items():
        _run(tx, spliced(SET_STATUS, type=rel_type), rows)
    if batch.actors:  # last, so that concurrent writers take its lock in the same order
        tx.run(NEW_ACTORS_REVISION).consume()
    return result


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


_T = TypeVar("_T")


def _group(items: Iterable[_T], key: Any) -> dict[Any, list[_T]]:
    groups: dict[Any, list[_T]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return groups


def _run(tx: ManagedTransaction, query: LiteralString, rows: Sequence[dict[str, Any]]) -> None:
    for chunk in _chunks(rows):
        tx.run(query, rows=list(chunk)).consume()


def _held(tx: ManagedTransaction, batch: GraphBatch) -> dict[Label, dict[str, dict[str, Any]]]:
    """The stored nodes a batch writes or refers to, by label: one read per label.

    Each label is asked only for the ids that could carry it, so a bulk load
    of new records costs one index lookup per id and reference, not four.
    """
    actors = {a.id for a in batch.actors}
    events = {e.id for e in batch.events}
    killed = {c.object for c in batch.claims if c.predicate.about_event}
    wanted: dict[Label, set[str]] = {
        "Place": {p.id for p in batch.places}
        | {p.parent for p in batch.places if p.parent}
        | {e.at for e in batch.events if e.at}
        | {t.at for t in batch.tellings if t.at},
        "Actor": actors
        | events  # an event may not reuse an actor's id
        | {c.subject for c in batch.claims}
        | {c.object for c in batch.claims if not c.predicate.about_event}
        | {a.speaker for a in batch.attestations}
        | {m.actor for m in batch.mentions}
        | {f.speaker for f in batch.casualties},
        "Event": events
        | actors
        | killed
        | {c.event for c in batch.claims if c.event}
        | {f.event for f in batch.casualties}
        | {t.event for t in batch.tellings},
        "Document": {d.id for d in batch.documents}
        | {a.document for a in batch.attestations}
        | {m.document for m in batch.mentions}
        | {f.document for f in batch.casualties}
        | {t.document for t in batch.tellings},
        "Claim": {c.id for c in batch.claims} | {a.claim for a in batch.attestations},
    }
    return {
        label: {
            r["id"]: r["props"]
            for r in tx.run(spliced(EXISTING_NODES, label=label), ids=sorted(ids))
        }
        for label, ids in wanted.items()
    }


def _counted(
    tx: ManagedTransaction, batch: GraphBatch, held: Mapping[Label, Mapping[str, dict[str, Any]]]
) -> WriteResult:
    """Count each record as added, updated or unchanged against what is stored.

    Attestations and mentions can only exist already where their claim or
    document did, so only those are looked up.
    """
    result = WriteResult()
    for kind, (label, model) in NODE_KINDS.items():
        stored = held[label]
        for record in getattr(batch, kind):
            props = stored.get(record.id)
            result.count(kind, None if props is None else from_properties(model, props), record)
    edges = (
        ("attestations", [a for a in batch.attestations if a.claim in held["Claim"]]),
        ("mentions", [m for m in batch.mentions if m.document in held["Document"]]),
        ("casualties", [f for f in batch.casualties if f.document in held["Document"]]),
        ("tellings", [t for t in batch.tellings if t.document in held["Document"]]),
    )
    for kind, maybe_stored in edges:
        existing = _existing_edges(tx, kind, [r.id for r in maybe_stored])
        for record in getattr(batch, kind):
            result.count(kind, existing.get(record.id), record)
    return result


def _existing_edges(tx: ManagedTransaction, kind: str, ids: list[str]) -> dict[str, BaseModel]:
    """The stored version of each attestation, mention or casualty figure in ``ids``."""
    if not ids:
        return {}
    queries: list[tuple[LiteralString, type[BaseModel]]]
    if kind == "attestations":
        queries = [(spliced(EXISTING_RELS, type=t), Attestation) for t in sorted(ATTESTATION_TYPES)]
    else:
        rel_type, model = _LINK_MODELS[kind]
        queries = [(spliced(EXISTING_RELS, type=rel_type), model)]
    found: dict[str, BaseModel] = {}
    for query, model in queries:
        for record in tx.run(query, ids=ids):
            found[record["id"]] = from_properties(model, record["props"])
    return found


_LINK_MODELS: dict[str, tuple[str, type[BaseModel]]] = {
    "mentions": ("MENTIONS", Mention),
    "casualties": ("CASUALTIES", CasualtyFigure),
    "tellings": ("TELLS", Telling),
}


def _statuses(
    tx: ManagedTransaction, batch: GraphBatch, stored: Iterable[str]
) -> dict[str, AttestedClaim]:
    """Every claim the batch touches, with all its attestations once the batch is written.

    A claim new in this batch has all its attestations in the batch; only a
    claim stored before needs its stored attestations read.
    """
    touched = {c.id for c in batch.claims} | {a.claim for a in batch.attestations}
    old = touched & set(stored)
    rows = tx.run(CLAIM_ATTESTATIONS, ids=sorted(old)) if old else ()
    claims = {c.id: c for c in batch.claims}
    said: dict[str, dict[str, Attestation]] = defaultdict(dict)
    for row in rows:
        item = attested(native(row.data()))
        claims.setdefault(item.claim.id, item.claim)
        said[item.claim.id].update((a.id, a) for a in item.attestations)
    for att in batch.attestations:
        said[att.claim][att.id] = att  # the batch's version replaces the stored one
    return {
        claim_id: AttestedClaim(claims[claim_id], tuple(said[claim_id].values()))
        for claim_id in sorted(touched)
    }


def _status_rows(items: Iterable[AttestedClaim]) -> dict[str, list[dict[str, Any]]]:
    """Rows for SET_STATUS, by relationship type."""
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        by_type[item.claim.predicate.rel_type].append(
            {"id": item.claim.id, "subject": item.claim.subject, "status": item.status.value}
        )
    return by_type
