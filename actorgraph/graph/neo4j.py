"""The Neo4j store, on the official driver.

Schema: ``(:Actor:<Kind>)``, ``(:Event)``, ``(:Document)``, ``(:Claim)``;
a traversal relationship ``COMMANDS``/``PART_OF``/``STRUCK``/``KILLED_IN``
from a claim's subject to its object carrying ``claim`` (id) and ``status``;
``REPORTED``/``DENIED`` from a speaker to a ``Claim`` carrying the
attestation; ``MENTIONS`` from a document to an actor; one
``(:Revision {id: 'actors'})`` whose token every write of actors renews. Uniqueness
constraints on every id exist before the first write.

Reads see whole writes. Neo4j's reads are read-committed: a query running
while a transaction commits can see part of it, and Community gives Cypher
no read lock. So every write is bracketed: just before its transaction
commits, a ``(:Committing)`` marker is committed on its own, through the
lock of ``(:Revision {id: 'gate'})``; once the write has committed (or
failed), the marker is removed and the ``done`` counter of ``(:Revision
{id: 'writes'})`` goes up. A read looks at both before and after its query;
if a marker was there or the counter moved, a write may have committed under
it, and it runs again. After :data:`OPTIMISTIC_READS` such tries (writes
committing back to back), it takes the gate's lock, so that no new write can
commit, waits for the writes already past it, and reads. A marker left by a
writer that died is ignored after :data:`STALE_SECONDS`.

Every query is a constant with ``$parameters``; the only text spliced into
one is a label or relationship type from the closed schema enums. A batch is
written in one transaction (``UNWIND`` in chunks), so a failure leaves
nothing behind; reads are routed as reads, and ``database_`` is always given,
so the same code runs on a single server, a cluster or Aura.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from neo4j import (
    Driver,
    GraphDatabase,
    ManagedTransaction,
)
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConfigurationError,
    DriverError,
    Neo4jError,
)
from neo4j.time import Date
from pydantic import BaseModel
from typing_extensions import LiteralString

from actorgraph.errors import ActorGraphError, UnavailableError
from actorgraph.graph.cypher import UNREACHABLE, CypherResult, RawCypher
from actorgraph.graph.model import (
    ATTESTATION_TYPES,
    Actor,
    ActorKind,
    Attestation,
    Claim,
    Document,
    Event,
    Mention,
    Predicate,
)
from actorgraph.graph.store import (
    KINDS,
    AttestedClaim,
    GraphBatch,
    GraphStats,
    Label,
    WriteResult,
    check_batch,
)

CHUNK = 2000
"""Rows per UNWIND: large enough to amortise round trips, small enough for a 1 GiB heap."""

KIND_LABEL = {kind: "".join(w.title() for w in kind.value.split("_")) for kind in ActorKind}
"""``armed_group`` -> ``ArmedGroup``: the extra label each actor carries."""
RETRY_SECONDS = 5.0
"""How long a transaction is retried (and a connection awaited) before Neo4j counts as down."""
STALE_SECONDS = 10
"""A commit marker older than this belongs to a writer that died: a write commits within
moments of its marker."""
OPTIMISTIC_READS = 3
"""Tries a read makes between writes before it holds new writes back to read."""
SCHEMES = frozenset(f"{b}{tls}" for b in ("bolt", "neo4j") for tls in ("", "+s", "+ssc"))
"""Bolt URIs: a single server (``bolt``) or a routed cluster or Aura (``neo4j``)."""

CONSTRAINTS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (n:Actor) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT claim_id IF NOT EXISTS FOR (n:Claim) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT reported_id IF NOT EXISTS FOR ()-[r:REPORTED]-() REQUIRE r.id IS UNIQUE",
    "CREATE CONSTRAINT denied_id IF NOT EXISTS FOR ()-[r:DENIED]-() REQUIRE r.id IS UNIQUE",
    "CREATE CONSTRAINT mentions_id IF NOT EXISTS FOR ()-[r:MENTIONS]-() REQUIRE r.id IS UNIQUE",
    "CREATE CONSTRAINT revision_id IF NOT EXISTS FOR (n:Revision) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX claim_subject IF NOT EXISTS FOR (n:Claim) ON (n.subject)",
    "CREATE INDEX claim_object IF NOT EXISTS FOR (n:Claim) ON (n.object)",
    "CREATE INDEX claim_event IF NOT EXISTS FOR (n:Claim) ON (n.event)",
)

# -- writes ----------------------------------------------------------------

EXISTING_NODES = "MATCH (n:{label}) WHERE n.id IN $ids RETURN n.id AS id, properties(n) AS props"
EXISTING_RELS = (
    "MATCH ()-[r:{type}]->() WHERE r.id IN $ids RETURN r.id AS id, properties(r) AS props"
)
MERGE_ACTORS = (
    "UNWIND $rows AS row MERGE (n:Actor {{id: row.id}}) SET n = row "
    "WITH n REMOVE n:{all_kinds} SET n:{label}"
)
MERGE_NODES = "UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n = row"
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
CLAIM_ATTESTATIONS = (
    "UNWIND $ids AS id MATCH (c:Claim {id: id}) "
    "OPTIONAL MATCH ()-[a:REPORTED|DENIED]->(c) "
    "RETURN properties(c) AS claim, collect(properties(a)) AS atts ORDER BY claim.id"
)
NEW_ACTORS_REVISION = "MERGE (r:Revision {id: 'actors'}) SET r.token = randomUUID()"
COMMITTING = (  # waits while a reader holds the gate (a changed value takes its lock)
    "MERGE (g:Revision {id: 'gate'}) SET g.passed = coalesce(g.passed, 0) + 1 "
    "CREATE (:Committing {id: $id, since: datetime()})"
)
COMMITTED = (
    "MERGE (r:Revision {id: 'writes'}) SET r.done = coalesce(r.done, 0) + 1 "
    "WITH r OPTIONAL MATCH (m:Committing) "
    "WHERE m.id = $id OR m.since < datetime() - duration({seconds: $stale}) DELETE m"
)
SET_STATUS = (
    "UNWIND $rows AS row "
    "MATCH (:Actor {{id: row.subject}})-[r:{type} {{claim: row.id}}]->() SET r.status = row.status"
)

# -- reads -----------------------------------------------------------------

ACTORS_REVISION = "MATCH (r:Revision {id: 'actors'}) RETURN r.token AS token"
# The writes done and the markers up, read in this order before a query and in the other
# after it: a write that ends between the two looks is then always seen in one of them.
_MARKERS = (
    "CALL () { MATCH (m:Committing) WHERE m.since >= datetime() - duration({seconds: $stale}) "
    "RETURN count(m) AS committing } "
)
_DONE = "OPTIONAL MATCH (r:Revision {id: 'writes'}) "
WRITES_BEFORE = _DONE + "WITH r.done AS done " + _MARKERS + "RETURN done, committing"
WRITES_AFTER = _MARKERS + _DONE + "RETURN r.done AS done, committing"
HOLD_WRITES = (  # the gate's lock, until the read's transaction ends
    "MERGE (g:Revision {id: 'gate'}) SET g.held = coalesce(g.held, 0) + 1"
)

NODES = "MATCH (n:{label}) RETURN properties(n) AS props ORDER BY n.id"
NODE = "MATCH (n:{label} {{id: $id}}) RETURN properties(n) AS props"
ALL_CLAIMS = (
    "MATCH (c:Claim) OPTIONAL MATCH ()-[a:REPORTED|DENIED]->(c) "
    "RETURN properties(c) AS claim, collect(properties(a)) AS atts ORDER BY claim.id"
)
CLAIMS_INVOLVING = (
    "CALL () { MATCH (c:Claim {subject: $id}) RETURN c "
    "UNION MATCH (c:Claim {object: $id}) RETURN c "
    "UNION MATCH (c:Claim {event: $id}) RETURN c } "
    "OPTIONAL MATCH ()-[a:REPORTED|DENIED]->(c) "
    "RETURN properties(c) AS claim, collect(properties(a)) AS atts ORDER BY claim.id"
)
MENTIONS_OF = (
    "MATCH (:Document {id: $id})-[m:MENTIONS]->() "
    "RETURN properties(m) AS props ORDER BY m.start, m.end, m.actor"
)
ALL_RELS = "MATCH ()-[r:{type}]->() RETURN properties(r) AS props ORDER BY r.id"
COUNT_NODES = "MATCH (n:{label}) RETURN count(n) AS n"
COUNT_RELS = "MATCH ()-[r:{type}]->() RETURN count(r) AS n"
COUNT_STATUSES = (
    "MATCH ()-[r:COMMANDS|PART_OF|STRUCK|KILLED_IN]->() "
    "RETURN r.status AS status, count(*) AS n ORDER BY status"
)

_NODE_KINDS: dict[str, tuple[Label, type[BaseModel]]] = {
    "actors": ("Actor", Actor),
    "events": ("Event", Event),
    "documents": ("Document", Document),
    "claims": ("Claim", Claim),
}
_M = TypeVar("_M", bound=BaseModel)


def _q(template: str, **names: str) -> LiteralString:
    """A query constant with schema names spliced in (names come from the closed enums only)."""
    return template.format(**names)  # mypy treats LiteralString as str


def _row(record: BaseModel) -> dict[str, Any]:
    """A record as Neo4j properties: enums as values, tuples as lists, no nulls."""
    data = record.model_dump(mode="python")
    return {
        k: (v.value if hasattr(v, "value") else list(v) if isinstance(v, tuple) else v)
        for k, v in data.items()
        if v is not None
    }


def _model(model: type[_M], props: dict[str, Any]) -> _M:
    """Properties back into a model: Neo4j dates become Python dates."""
    native = {k: (v.to_native() if isinstance(v, Date) else v) for k, v in props.items()}
    return model.model_validate(native)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


class Neo4jStore:
    """A graph in Neo4j, behind the same protocol as the embedded store.

    Parameters
    ----------
    uri
        ``bolt://host:7687`` for one server, ``neo4j://`` (or ``neo4j+s://``)
        for a cluster or Aura.
    auth
        ``(username, password)``.
    database
        Passed as ``database_`` on every query.
    cypher_concurrency
        Analysts' own queries (:meth:`read_only`) that may run at once.

    Raises
    ------
    ActorGraphError
        If the server cannot be reached or refuses the credentials.
    """

    name = "neo4j"

    def __init__(
        self,
        uri: str,
        auth: tuple[str, str],
        database: str = "neo4j",
        cypher_concurrency: int = 4,
    ) -> None:
        self.location = uri
        self.database = database
        scheme = uri.split("://", 1)[0] if "://" in uri else ""
        if scheme not in SCHEMES:
            raise ActorGraphError(
                f"NEO4J_URI {uri!r} is not usable: it must start with bolt:// or neo4j:// "
                "(+s or +ssc for TLS)"
            )
        try:
            self._driver: Driver = GraphDatabase.driver(
                uri,
                auth=auth,
                notifications_min_severity="OFF",
                # Fail over within seconds, not the default 30: an API caller waits on it.
                max_transaction_retry_time=RETRY_SECONDS,
                connection_timeout=RETRY_SECONDS,
            )
        except (ConfigurationError, ValueError) as exc:
            raise ActorGraphError(f"NEO4J_URI {uri!r} is not usable: {exc}") from None
        try:
            self._driver.verify_connectivity()
            self._create_schema()
        except AuthError:
            self._driver.close()
            raise ActorGraphError(
                f"Neo4j at {uri} refused the credentials (NEO4J_USERNAME, NEO4J_PASSWORD)"
            ) from None
        except (DriverError, Neo4jError, OSError) as exc:
            self._driver.close()
            raise ActorGraphError(f"Neo4j at {uri} is unreachable: {_one_line(exc)}") from None
        self._raw = RawCypher(self._driver, database, uri, cypher_concurrency)

    def _create_schema(self) -> None:
        for statement in CONSTRAINTS:
            try:
                self._driver.execute_query(statement, database_=self.database)
            except ClientError as exc:
                # Another process created the same rule at the same moment.
                if "EquivalentSchemaRuleAlreadyExists" not in (exc.code or ""):
                    raise

    def close(self) -> None:
        self._driver.close()

    def _unreachable(self, exc: Exception) -> UnavailableError:
        return UnavailableError(f"Neo4j at {self.location} is unreachable: {_one_line(exc)}")

    # -- writes ------------------------------------------------------------

    def write(self, batch: GraphBatch) -> WriteResult:
        """Write ``batch`` in one transaction: all of it, or (on any error) none."""
        marker = uuid.uuid4().hex
        try:
            with self._driver.session(database=self.database) as session:
                result = session.execute_write(self._write, batch, marker)
        except UNREACHABLE as exc:
            raise self._unreachable(exc) from None  # its marker, if any, goes stale
        except (DriverError, Neo4jError) as exc:
            self._committed(marker)
            raise ActorGraphError(
                f"Neo4j at {self.location} refused the write: {_one_line(exc)}"
            ) from None
        self._committed(marker)
        return result

    def _committed(self, marker: str) -> None:
        """Take down a write's commit marker and count the write, whether it committed or not."""
        # If Neo4j is gone, the marker goes stale and readers stop waiting on it.
        with contextlib.suppress(DriverError, Neo4jError, OSError):
            self._driver.execute_query(
                COMMITTED, id=marker, stale=STALE_SECONDS, database_=self.database
            )

    def _write(self, tx: ManagedTransaction, batch: GraphBatch, marker: str) -> WriteResult:
        held = _held(tx, batch)
        check_batch(batch, lambda label, node_id: node_id in held[label])
        result = _counted(tx, batch, held)
        status = _statuses(tx, batch, held["Claim"].keys())  # read before anything changes
        for kind_value, actors in _group(batch.actors, lambda a: a.kind).items():
            _run(
                tx,
                _q(
                    MERGE_ACTORS,
                    all_kinds=":".join(KIND_LABEL.values()),
                    label=KIND_LABEL[kind_value],
                ),
                [_row(a) for a in actors],
            )
        for kind, label in (("events", "Event"), ("documents", "Document"), ("claims", "Claim")):
            _run(tx, _q(MERGE_NODES, label=label), [_row(r) for r in getattr(batch, kind)])
        for predicate, claims in _group(batch.claims, lambda c: c.predicate).items():
            object_label = "Event" if predicate is Predicate.KILLED_IN else "Actor"
            query = _q(MERGE_CLAIM_EDGES, object_label=object_label, type=predicate.rel_type)
            _run(tx, query, [{**_row(c), "status": status[c.id].status.value} for c in claims])
        for stance, atts in _group(batch.attestations, lambda a: a.stance).items():
            _run(tx, _q(MERGE_ATTESTATIONS, type=stance.rel_type), [_row(a) for a in atts])
        _run(tx, MERGE_MENTIONS, [_row(m) for m in batch.mentions])
        written = {c.id for c in batch.claims}
        others = (item for claim_id, item in status.items() if claim_id not in written)
        for rel_type, rows in _status_rows(others).items():
            _run(tx, _q(SET_STATUS, type=rel_type), rows)
        if batch.actors:  # last, so that concurrent writers take its lock in the same order
            tx.run(NEW_ACTORS_REVISION).consume()
        # Committed apart, while this transaction waits: readers now wait for its commit.
        self._driver.execute_query(COMMITTING, id=marker, database_=self.database)
        return result

    # -- reads -------------------------------------------------------------

    def read(self, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
        """Run one of the project's read queries (a constant), routed as a read.

        The rows are of one state of the graph: a read that a write may have
        committed under runs again, and after three tries holds new writes
        back, in a write transaction (see the module's docstring).

        Raises
        ------
        UnavailableError
            If Neo4j cannot be reached; the driver reconnects on a later call.
        """
        try:
            with self._driver.session(database=self.database) as session:
                for attempt in range(OPTIMISTIC_READS):
                    rows = session.execute_read(_between_writes, query, params)
                    if rows is not None:
                        return rows
                    time.sleep(0.005 * 2**attempt)
                return session.execute_write(_holding_writes, query, params)
        except UNREACHABLE as exc:
            raise self._unreachable(exc) from None
        except (DriverError, Neo4jError) as exc:
            raise ActorGraphError(
                f"Neo4j at {self.location} failed a read: {_one_line(exc)}"
            ) from None

    def read_only(
        self,
        query: str,
        parameters: Mapping[str, Any],
        *,
        timeout: float,
        max_rows: int,
        max_bytes: int = 4 * 1024 * 1024,
    ) -> CypherResult:
        """Run an analyst's own Cypher, refusing anything but a plain read.

        The text is checked first, and refused if it could compute where
        Neo4j cannot stop it (:mod:`~actorgraph.graph.cypher_guard`); then
        the query is planned with ``EXPLAIN`` and refused unless Neo4j calls
        it read-only and its plan holds no LOAD CSV, no procedure off
        :data:`~actorgraph.graph.cypher.ALLOWED_PROCEDURES`, no administration
        or SHOW command and no other database. It runs in a read transaction
        that is terminated on the server at ``timeout``; at most ``max_rows``
        rows and ``max_bytes`` bytes of JSON are returned. At most
        ``cypher_concurrency`` (see the constructor) run at once.

        Parameters
        ----------
        query
            One Cypher statement.
        parameters
            Its ``$parameters``, sent apart from the text, never spliced in.
        timeout
            Seconds the query may take, checking and planning included.
        max_rows, max_bytes
            The most of the answer returned; ``truncated`` says whether there was more.

        Raises
        ------
        QueryRefusedError, InputError, QueryTimeoutError, QueryMemoryError, BusyError,
        UnavailableError
            See :meth:`actorgraph.graph.cypher.RawCypher.run`.
        """
        return self._raw.run(
            query, parameters, timeout=timeout, max_rows=max_rows, max_bytes=max_bytes
        )

    def _nodes(self, model: type[_M], label: Label) -> list[_M]:
        return [_model(model, r["props"]) for r in self.read(_q(NODES, label=label))]

    def _node(self, model: type[_M], label: Label, node_id: str) -> _M | None:
        rows = self.read(_q(NODE, label=label), id=node_id)
        return _model(model, rows[0]["props"]) if rows else None

    def actors(self) -> list[Actor]:
        return self._nodes(Actor, "Actor")

    def actor(self, actor_id: str) -> Actor | None:
        return self._node(Actor, "Actor", actor_id)

    def events(self) -> list[Event]:
        return self._nodes(Event, "Event")

    def event(self, event_id: str) -> Event | None:
        return self._node(Event, "Event", event_id)

    def document(self, document_id: str) -> Document | None:
        return self._node(Document, "Document", document_id)

    def claims(self, involving: str | None = None) -> list[AttestedClaim]:
        rows = (
            self.read(ALL_CLAIMS)
            if involving is None
            else self.read(CLAIMS_INVOLVING, id=involving)
        )
        return [_attested(row) for row in rows]

    def mentions(self, document_id: str) -> list[Mention]:
        return [_model(Mention, r["props"]) for r in self.read(MENTIONS_OF, id=document_id)]

    def dump(self) -> GraphBatch:
        rels = {
            t: [r["props"] for r in self.read(_q(ALL_RELS, type=t))]
            for t in (*sorted(ATTESTATION_TYPES), "MENTIONS")
        }
        return GraphBatch(
            actors=self.actors(),
            events=self._nodes(Event, "Event"),
            documents=self._nodes(Document, "Document"),
            claims=self._nodes(Claim, "Claim"),
            attestations=sorted(
                (_model(Attestation, p) for t in sorted(ATTESTATION_TYPES) for p in rels[t]),
                key=lambda a: a.id,
            ),
            mentions=[_model(Mention, p) for p in rels["MENTIONS"]],
        )

    def actors_revision(self) -> str:
        rows = self.read(ACTORS_REVISION)
        return str(rows[0]["token"]) if rows else ""

    def stats(self) -> GraphStats:
        counts = {
            kind: self.read(_q(COUNT_NODES, label=label))[0]["n"]
            for kind, (label, _) in _NODE_KINDS.items()
        }
        counts["attestations"] = sum(
            self.read(_q(COUNT_RELS, type=t))[0]["n"] for t in sorted(ATTESTATION_TYPES)
        )
        counts["mentions"] = self.read(_q(COUNT_RELS, type="MENTIONS"))[0]["n"]
        statuses = {r["status"]: r["n"] for r in self.read(COUNT_STATUSES)}
        return GraphStats(self.name, self.location, {k: counts[k] for k in KINDS}, statuses)


# -- transaction helpers -----------------------------------------------------

_T = TypeVar("_T")


def _group(items: Iterable[_T], key: Any) -> dict[Any, list[_T]]:
    groups: dict[Any, list[_T]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return groups


def _between_writes(
    tx: ManagedTransaction, query: LiteralString, params: dict[str, Any]
) -> list[dict[str, Any]] | None:
    """``query``'s rows, or None if a write may have committed while it ran."""
    before = tx.run(WRITES_BEFORE, stale=STALE_SECONDS).single(strict=True)
    if before["committing"]:
        return None
    rows = [record.data() for record in tx.run(query, params)]
    after = tx.run(WRITES_AFTER, stale=STALE_SECONDS).single(strict=True)
    return rows if after["committing"] == 0 and after["done"] == before["done"] else None


def _holding_writes(
    tx: ManagedTransaction, query: LiteralString, params: dict[str, Any]
) -> list[dict[str, Any]]:
    """``query``'s rows, read while new writes wait at the gate and none is committing."""
    tx.run(HOLD_WRITES).consume()
    pause = 0.005
    while tx.run(WRITES_AFTER, stale=STALE_SECONDS).single(strict=True)["committing"]:
        time.sleep(pause)  # writes past the gate commit without it: wait for them
        pause = min(2 * pause, 0.1)
    return [record.data() for record in tx.run(query, params)]


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
    killed = {c.object for c in batch.claims if c.predicate is Predicate.KILLED_IN}
    wanted: dict[Label, set[str]] = {
        "Actor": actors
        | events  # an event may not reuse an actor's id
        | {c.subject for c in batch.claims}
        | {c.object for c in batch.claims if c.predicate is not Predicate.KILLED_IN}
        | {a.speaker for a in batch.attestations}
        | {m.actor for m in batch.mentions},
        "Event": events | actors | killed | {c.event for c in batch.claims if c.event},
        "Document": {d.id for d in batch.documents}
        | {a.document for a in batch.attestations}
        | {m.document for m in batch.mentions},
        "Claim": {c.id for c in batch.claims} | {a.claim for a in batch.attestations},
    }
    return {
        label: {
            r["id"]: r["props"] for r in tx.run(_q(EXISTING_NODES, label=label), ids=sorted(ids))
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
    for kind, (label, model) in _NODE_KINDS.items():
        stored = held[label]
        for record in getattr(batch, kind):
            props = stored.get(record.id)
            result.count(kind, None if props is None else _model(model, props), record)
    edges = (
        ("attestations", [a for a in batch.attestations if a.claim in held["Claim"]]),
        ("mentions", [m for m in batch.mentions if m.document in held["Document"]]),
    )
    for kind, maybe_stored in edges:
        existing = _existing_edges(tx, kind, [r.id for r in maybe_stored])
        for record in getattr(batch, kind):
            result.count(kind, existing.get(record.id), record)
    return result


def _existing_edges(tx: ManagedTransaction, kind: str, ids: list[str]) -> dict[str, BaseModel]:
    """The stored version of each attestation or mention in ``ids``."""
    if not ids:
        return {}
    queries: list[tuple[LiteralString, type[BaseModel]]]
    if kind == "attestations":
        queries = [(_q(EXISTING_RELS, type=t), Attestation) for t in sorted(ATTESTATION_TYPES)]
    else:
        queries = [(_q(EXISTING_RELS, type="MENTIONS"), Mention)]
    found: dict[str, BaseModel] = {}
    for query, model in queries:
        for record in tx.run(query, ids=ids):
            found[record["id"]] = _model(model, record["props"])
    return found


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
        item = _attested(row.data())
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


def _attested(row: dict[str, Any]) -> AttestedClaim:
    atts = tuple(sorted((_model(Attestation, p) for p in row["atts"] if p), key=lambda a: a.id))
    return AttestedClaim(_model(Claim, row["claim"]), atts)
