"""The Neo4j store, on the official driver.

Schema: ``(:Actor:<Kind>)``, ``(:Event)``, ``(:Document)``, ``(:Claim)``;
a traversal relationship ``COMMANDS``/``PART_OF``/``STRUCK``/``KILLED_IN``
from a claim's subject to its object carrying ``claim`` (id) and ``status``;
``REPORTED``/``DENIED`` from a speaker to a ``Claim`` carrying the
attestation; ``MENTIONS`` from a document to an actor; ``CASUALTIES`` from a document
to an event, carrying a casualty figure (:class:`~actorgraph.graph.model.CasualtyFigure`);
``TELLS`` from a document to an event, how it tells of it (``Telling``); one
``(:Revision {id: 'actors'})`` whose token every write of actors renews. Uniqueness
constraints on every id exist before the first write.

Reads see whole writes (:mod:`~actorgraph.graph.neo4j_gate`); a batch is written
in one transaction (:mod:`~actorgraph.graph.neo4j_writes`).

Every query is a constant with ``$parameters``; the only text spliced into
one is a label or relationship type from the closed schema enums. A batch is
written in one transaction (``UNWIND`` in chunks), so a failure leaves
nothing behind; reads are routed as reads, and ``database_`` is always given,
so the same code runs on a single server, a cluster or Aura.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
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
from pydantic import BaseModel
from typing_extensions import LiteralString

from actorgraph.errors import ActorGraphError, UnavailableError
from actorgraph.graph.cypher import UNREACHABLE, RawCypher
from actorgraph.graph.model import (
    ATTESTATION_TYPES,
    Actor,
    Attestation,
    CasualtyFigure,
    Claim,
    Document,
    Event,
    Mention,
    Place,
    Telling,
)
from actorgraph.graph.neo4j_gate import (
    COMMITTED,
    COMMITTING,
    STALE_SECONDS,
    Joined,
    Scope,
)
from actorgraph.graph.neo4j_values import NODE_KINDS, from_properties, native, spliced
from actorgraph.graph.neo4j_writes import write_batch
from actorgraph.graph.store import (
    KINDS,
    RETRY_SECONDS,
    AttestedClaim,
    CypherResult,
    GraphBatch,
    GraphStats,
    Label,
    Read,
    Reading,
    Row,
    WriteResult,
    attested,
    read_consistently,
)

SCHEMES = frozenset(f"{b}{tls}" for b in ("bolt", "neo4j") for tls in ("", "+s", "+ssc"))
"""Bolt URIs: a single server (``bolt``) or a routed cluster or Aura (``neo4j``)."""

CONSTRAINTS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT place_id IF NOT EXISTS FOR (n:Place) REQUIRE n.id IS UNIQUE",
    "CREATE POINT INDEX place_location IF NOT EXISTS FOR (n:Place) ON (n.location)",
    "CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (n:Actor) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT claim_id IF NOT EXISTS FOR (n:Claim) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT reported_id IF NOT EXISTS FOR ()-[r:REPORTED]-() REQUIRE r.id IS UNIQUE",
    "CREATE CONSTRAINT denied_id IF NOT EXISTS FOR ()-[r:DENIED]-() REQUIRE r.id IS UNIQUE",
    "CREATE CONSTRAINT mentions_id IF NOT EXISTS FOR ()-[r:MENTIONS]-() REQUIRE r.id IS UNIQUE",
    "CREATE CONSTRAINT casualties_id IF NOT EXISTS FOR ()-[r:CASUALTIES]-() REQUIRE r.id IS UNIQUE",
    "CREATE CONSTRAINT tells_id IF NOT EXISTS FOR ()-[r:TELLS]-() REQUIRE r.id IS UNIQUE",
    "CREATE CONSTRAINT revision_id IF NOT EXISTS FOR (n:Revision) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX claim_subject IF NOT EXISTS FOR (n:Claim) ON (n.subject)",
    "CREATE INDEX claim_object IF NOT EXISTS FOR (n:Claim) ON (n.object)",
    "CREATE INDEX claim_event IF NOT EXISTS FOR (n:Claim) ON (n.event)",
)


# -- reads -----------------------------------------------------------------

ACTORS_REVISION = "MATCH (r:Revision {id: 'actors'}) RETURN r.token AS token"
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


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


_Model = TypeVar("_Model", bound=BaseModel)


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
        self._local = threading.local()  # each thread's open reading scope
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

    def _write(self, tx: ManagedTransaction, batch: GraphBatch, marker: str) -> WriteResult:
        result = write_batch(tx, batch)
        # Committed apart, while this transaction waits: readers now wait for its commit.
        self._driver.execute_query(COMMITTING, id=marker, database_=self.database)
        return result

    def _committed(self, marker: str) -> None:
        """Take down a write's commit marker and count the write, whether it committed or not."""
        # If Neo4j is gone, the marker goes stale and readers stop waiting on it.
        with contextlib.suppress(DriverError, Neo4jError, OSError):
            self._driver.execute_query(
                COMMITTED, id=marker, stale=STALE_SECONDS, database_=self.database
            )

    # -- reads -------------------------------------------------------------

    def read(self, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
        """Run one of the project's read queries (a constant), routed as a read.

        In the reading scope open on this thread, or in one of its own: the
        rows are of one state of the graph (see the module's docstring).

        Raises
        ------
        UnavailableError
            If Neo4j cannot be reached; the driver reconnects on a later call.
        """
        scope: Scope | None = getattr(self._local, "scope", None)
        if scope is None:
            return read_consistently(self, lambda: self.read(query, **params))
        return scope.run(query, params)

    def query(self, read: Read, **params: Any) -> list[Row]:
        sent = {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}
        return [native(row) for row in self.read(read.cypher, **sent)]

    @contextmanager
    def reading(self, *, hold: bool = False) -> Iterator[Reading]:
        """A reading scope: its reads run in one read transaction, gated once.

        Before its first read the scope notes the writes done and looks for
        commit markers; when it closes it looks again. A marker, or a write
        done in between, means a write may have committed under it:
        ``overlapped`` says so (or :class:`Overlapped` is raised at once, for
        a marker found first). With ``hold``, it reads in a write transaction
        that holds the gate's lock, so that no new write can commit, once
        the writes already past it have.
        """
        open_scope: Scope | None = getattr(self._local, "scope", None)
        if open_scope is not None:
            yield Joined()
            return
        scope = Scope(self._driver, self.database, hold)
        self._local.scope = scope
        try:
            yield scope
            scope.finish()
        except (DriverError, Neo4jError, OSError) as exc:
            raise self._failed(exc) from None
        finally:
            self._local.scope = None
            scope.close()

    def _failed(self, exc: Exception) -> ActorGraphError:
        if isinstance(exc, UNREACHABLE):
            return self._unreachable(exc)
        return ActorGraphError(f"Neo4j at {self.location} failed a read: {_one_line(exc)}")

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

    def _nodes(self, model: type[_Model], label: Label) -> list[_Model]:
        return [from_properties(model, r["props"]) for r in self.read(spliced(NODES, label=label))]

    def _node(self, model: type[_Model], label: Label, node_id: str) -> _Model | None:
        rows = self.read(spliced(NODE, label=label), id=node_id)
        return from_properties(model, rows[0]["props"]) if rows else None

    def places(self) -> list[Place]:
        return self._nodes(Place, "Place")

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
        return [attested(native(row)) for row in rows]

    def mentions(self, document_id: str) -> list[Mention]:
        return [
            from_properties(Mention, r["props"]) for r in self.read(MENTIONS_OF, id=document_id)
        ]

    def dump(self) -> GraphBatch:
        rels = {
            t: [r["props"] for r in self.read(spliced(ALL_RELS, type=t))]
            for t in (*sorted(ATTESTATION_TYPES), *(rel_type for _, rel_type in _LINKS))
        }
        return GraphBatch(
            places=self.places(),
            actors=self.actors(),
            events=self._nodes(Event, "Event"),
            documents=self._nodes(Document, "Document"),
            claims=self._nodes(Claim, "Claim"),
            attestations=sorted(
                (
                    from_properties(Attestation, p)
                    for t in sorted(ATTESTATION_TYPES)
                    for p in rels[t]
                ),
                key=lambda a: a.id,
            ),
            mentions=[from_properties(Mention, p) for p in rels["MENTIONS"]],
            casualties=[from_properties(CasualtyFigure, p) for p in rels["CASUALTIES"]],
            tellings=[from_properties(Telling, p) for p in rels["TELLS"]],
        )

    def actors_revision(self) -> str:
        rows = self.read(ACTORS_REVISION)
        return str(rows[0]["token"]) if rows else ""

    def stats(self) -> GraphStats:
        counts = {
            kind: self.read(spliced(COUNT_NODES, label=label))[0]["n"]
            for kind, (label, _) in NODE_KINDS.items()
        }
        counts["attestations"] = sum(
            self.read(spliced(COUNT_RELS, type=t))[0]["n"] for t in sorted(ATTESTATION_TYPES)
        )
        for kind, rel_type in _LINKS:
            counts[kind] = self.read(spliced(COUNT_RELS, type=rel_type))[0]["n"]
        statuses = {r["status"]: r["n"] for r in self.read(COUNT_STATUSES)}
        return GraphStats(self.name, self.location, {k: counts[k] for k in KINDS}, statuses)


_LINKS = (("mentions", "MENTIONS"), ("casualties", "CASUALTIES"), ("tellings", "TELLS"))
"""The record kinds kept on a relationship from a document, and its type."""


# -- transaction helpers -----------------------------------------------------
