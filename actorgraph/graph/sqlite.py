"""The embedded store: the records in one SQLite file, the graph they form in networkx.

The file holds every record as JSON, one table per kind (``places``,
``actors``, ``events``, ``documents``, ``claims``, ``attestations``,
``mentions``), with the columns the reads look records up by (places and
where events are, by expression indexes). networkx holds the traversal
graph in memory, mirroring the Neo4j model: a node per actor and event
(``label`` ``Actor`` or ``Event``), and a ``COMMANDS``/``PART_OF``/
``STRUCK``/``KILLED_IN`` edge per claim from its subject to its object,
keyed by the claim id and carrying the claim's derived ``status`` and its
number of ``attestations``. Traversals run on the graph; everything else
is read from the file, so memory grows with the graph's edges, not with
the text of the documents.

Every write is one SQLite transaction (WAL journal, ``synchronous=FULL``):
durable when it returns, and a crash or a refused batch leaves the store as
it was. SQLite serialises writers across processes; a store notices
another connection's commits (``PRAGMA data_version``) and rebuilds its
graph from the file before it next reads or writes.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from actorgraph.errors import ActorGraphError, UnsupportedError
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
    Predicate,
    Status,
    Telling,
    derive_status,
)
from actorgraph.graph.store import (
    KINDS,
    AttestedClaim,
    CypherResult,
    GraphBatch,
    GraphStats,
    Label,
    Read,
    Record,
    Row,
    WriteResult,
    attested,
    check_batch,
)

log = logging.getLogger(__name__)

FORMAT = "actorgraph-embedded/2"
LEGACY_FORMAT = "actorgraph-embedded/1"  # one node-link JSON file, before SQLite

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS places (id TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS places_parent ON places (json_extract(data, '$.parent'));
CREATE TABLE IF NOT EXISTS actors (id TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_at ON events (json_extract(data, '$.at'));
CREATE TABLE IF NOT EXISTS documents (id TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY, subject TEXT NOT NULL, predicate TEXT NOT NULL, object TEXT NOT NULL,
    event TEXT, status TEXT NOT NULL, attestations INTEGER NOT NULL, data TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS claims_subject ON claims (subject);
CREATE INDEX IF NOT EXISTS claims_object ON claims (object);
CREATE INDEX IF NOT EXISTS claims_event ON claims (event);
CREATE TABLE IF NOT EXISTS attestations (
    id TEXT PRIMARY KEY, claim TEXT NOT NULL, stance TEXT NOT NULL, data TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS attestations_claim ON attestations (claim);
CREATE TABLE IF NOT EXISTS mentions (
    id TEXT PRIMARY KEY, document TEXT NOT NULL, actor TEXT NOT NULL, data TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_document ON mentions (document);
CREATE INDEX IF NOT EXISTS mentions_actor ON mentions (actor);
CREATE TABLE IF NOT EXISTS casualties (
    id TEXT PRIMARY KEY, event TEXT NOT NULL, data TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS casualties_event ON casualties (event);
CREATE TABLE IF NOT EXISTS tellings (
    id TEXT PRIMARY KEY, event TEXT NOT NULL, data TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tellings_event ON tellings (event);
CREATE VIEW IF NOT EXISTS claims_said AS
    SELECT c.id, c.subject, c.object, c.event, c.data AS claim, a.id AS att_id, a.data AS att
    FROM claims c LEFT JOIN attestations a ON a.claim = c.id;
"""

# Per record kind: the columns beside id and data, and how a record fills them.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "places": (),
    "actors": (),
    "events": (),
    "documents": (),
    "claims": ("subject", "predicate", "object", "event", "status", "attestations"),
    "attestations": ("claim", "stance"),
    "mentions": ("document", "actor"),
    "casualties": ("event",),
    "tellings": ("event",),
}
# Table names are spliced from the closed KINDS, never from input.
_SELECT = {
    kind: f"SELECT id, data FROM {kind} WHERE id IN (SELECT value FROM json_each(?))"  # noqa: S608
    for kind in KINDS
}
_INSERT = {
    kind: f"INSERT OR REPLACE INTO {kind} (id, data{''.join(', ' + c for c in cols)}) "  # noqa: S608
    f"VALUES (?, ?{', ?' * len(cols)})"
    for kind, cols in _COLUMNS.items()
}
_ALL = {kind: f"SELECT data FROM {kind} ORDER BY id" for kind in KINDS}  # noqa: S608
_COUNT = {kind: f"SELECT count(*) FROM {kind}" for kind in KINDS}  # noqa: S608
_BY_ID: dict[Label, str] = {
    "Place": "SELECT data FROM places WHERE id = ?",
    "Actor": "SELECT data FROM actors WHERE id = ?",
    "Event": "SELECT data FROM events WHERE id = ?",
    "Document": "SELECT data FROM documents WHERE id = ?",
    "Claim": "SELECT data FROM claims WHERE id = ?",
}
_MODEL: dict[str, type[Record]] = {
    "places": Place,
    "actors": Actor,
    "events": Event,
    "documents": Document,
    "claims": Claim,
    "attestations": Attestation,
    "mentions": Mention,
    "casualties": CasualtyFigure,
    "tellings": Telling,
}
_REL_TYPE = {p.value: p.rel_type for p in Predicate}
_STATUS = {s.value: s.value for s in Status}  # one string object per status, shared by every edge


@dataclass
class Snapshot:
    """A reading scope of the embedded store: the traversal graph, and the file's records
    through SQL, both as of the same write. No write can overlap it (it holds the store's
    lock, and SQLite's read transaction), so ``overlapped`` stays False.
    """

    graph: nx.MultiDiGraph
    db: sqlite3.Connection
    nested: bool = False
    overlapped: bool = False

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """The rows ``sql`` selects with ``params`` (a collection becomes a JSON list)."""
        values = [json.dumps(list(p)) if isinstance(p, list | tuple | set) else p for p in params]
        return self.db.execute(sql, values).fetchall()


class SQLiteStore:
    """The embedded store, kept in the SQLite file ``path`` (created when opened).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> store = SQLiteStore(pathlib.Path(tempfile.mkdtemp()) / "graph.sqlite")
    >>> store.stats().counts["actors"]
    0
    """

    name = "embedded"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)
        self._mutex = threading.RLock()  # one connection, shared by the threads of a server
        self._local = threading.local()  # each thread's open reading scope
        self._graph = nx.MultiDiGraph()
        self._version: int | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # autocommit: every transaction below is begun and ended explicitly
            self._db = sqlite3.connect(
                path, timeout=60, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            with self._transaction():
                for statement in SCHEMA.split(";")[:-1]:  # executescript would commit
                    self._db.execute(statement)
                self._check_format()
                self._sync()
        except (OSError, sqlite3.Error) as exc:
            raise ActorGraphError(f"{path}: the embedded store cannot be read: {exc}") from exc

    def _check_format(self) -> None:
        rows = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        if not rows:
            self._db.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [("format", FORMAT), ("store", uuid.uuid4().hex), ("actors", "0")],
            )
        elif rows.get("format") != FORMAT:
            raise ActorGraphError(
                f"{self.path}: format is {rows.get('format')!r}, expected {FORMAT!r}"
            )

    @contextmanager
    def _transaction(self, *, write: bool = True) -> Iterator[sqlite3.Connection]:
        """One SQLite transaction under the store's lock: committed whole, or rolled back."""
        with self._mutex:
            # IMMEDIATE takes the write lock at once, so what is checked stays true until commit
            self._db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield self._db
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _sync(self) -> None:
        """Rebuild the graph if another connection committed since it was last built."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if version == self._version:
            return
        started = time.perf_counter()
        self._graph = self._load_graph()
        self._version = version
        log.info(
            "built the traversal graph of %s: %d nodes, %d claims, in %.2f s",
            self.path,
            self._graph.number_of_nodes(),
            self._graph.number_of_edges(),
            time.perf_counter() - started,
        )

    def _load_graph(self) -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph()
        for label, sql in (("Actor", "SELECT id FROM actors"), ("Event", "SELECT id FROM events")):
            graph.add_nodes_from((sys.intern(i) for (i,) in self._db.execute(sql)), label=label)
        edges = self._db.execute(
            "SELECT subject, object, id, predicate, status, attestations FROM claims"
        )
        graph.add_edges_from(
            (sys.intern(s), sys.intern(o), c, _edge(p, status, n))
            for s, o, c, p, status, n in edges
        )
        return graph

    # -- writes ------------------------------------------------------------

    def write(self, batch: GraphBatch) -> WriteResult:
        """Apply ``batch`` whole and durably, or raise and change nothing."""
        with self._mutex:  # until the graph follows the commit: readers here see both or neither
            with self._transaction() as db:
                self._sync()  # what other processes wrote counts for the checks below
                check_batch(batch, self._has)
                result = WriteResult()
                edges, stale = self._claim_edges(batch)
                for kind in KINDS:
                    records = getattr(batch, kind)
                    if records:
                        db.executemany(_INSERT[kind], self._changed(kind, records, result, edges))
                if result.added["actors"] or result.updated["actors"]:
                    db.execute("UPDATE meta SET value = value + 1 WHERE key = 'actors'")
                db.executemany(
                    "UPDATE claims SET status = ?, attestations = ? WHERE id = ?",
                    [(edges[c][2]["status"], edges[c][2]["attestations"], c) for c in stale],
                )
            try:
                for label, records in (("Actor", batch.actors), ("Event", batch.events)):
                    self._graph.add_nodes_from((r.id for r in records), label=label)
                for claim_id, (subject, obj, attrs) in edges.items():
                    self._graph.add_edge(subject, obj, key=claim_id, **attrs)
            except BaseException:
                self._version = None  # rebuilt from the file on the next read
                raise
            return result

    def _has(self, label: Label, node_id: str) -> bool:
        if label in ("Actor", "Event"):
            node = self._graph.nodes.get(node_id)
            return node is not None and node["label"] == label
        return self._db.execute(_BY_ID[label], (node_id,)).fetchone() is not None

    def _claim_edges(
        self, batch: GraphBatch
    ) -> tuple[dict[str, tuple[str, str, dict[str, Any]]], list[str]]:
        """The edge of each claim the batch touches, with its status after the batch; and
        the stored claims whose status or count that changes."""
        ends = {c.id: (c.subject, c.object, c.predicate.value) for c in batch.claims}
        touched = set(ends) | {a.claim for a in batch.attestations}
        stored = self._db.execute(
            "SELECT id, subject, object, predicate, status, attestations FROM claims "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(touched)),),
        ).fetchall()
        said: dict[str, dict[str, Attestation]] = defaultdict(dict)
        atts = self._db.execute(
            "SELECT claim, data FROM attestations WHERE claim IN (SELECT value FROM json_each(?))",
            (json.dumps([row[0] for row in stored]),),
        )
        for claim_id, data in atts:
            att = Attestation.model_validate_json(data)
            said[claim_id][att.id] = att
        for att in batch.attestations:
            said[att.claim][att.id] = att
        before = {}
        for claim_id, subject, obj, predicate, status, count in stored:
            ends[claim_id] = (subject, obj, predicate)
            before[claim_id] = _edge(predicate, status, count)
        edges = {}
        for claim_id in sorted(touched):
            subject, obj, predicate = ends[claim_id]
            found = said[claim_id].values()
            attrs = _edge(predicate, derive_status(subject, found).value, len(found))
            edges[claim_id] = (subject, obj, attrs)
        return edges, [c for c, attrs in before.items() if attrs != edges[c][2]]

    def _changed(
        self,
        kind: str,
        records: list[Record],
        result: WriteResult,
        edges: dict[str, tuple[str, str, dict[str, Any]]],
    ) -> Iterator[tuple[Any, ...]]:
        """The rows to write for ``records``: those that are new or differ from what is stored."""
        ids = json.dumps(sorted({r.id for r in records}))
        known: dict[str, str] = dict(self._db.execute(_SELECT[kind], (ids,)).fetchall())
        for record in records:
            data = record.model_dump_json()
            old = known.get(record.id)
            result.count(kind, old, data)
            if old == data:
                continue
            known[record.id] = data
            if isinstance(record, Claim):
                attrs = edges[record.id][2]
                yield (
                    record.id,
                    data,
                    record.subject,
                    record.predicate.value,
                    record.object,
                    record.event,
                    attrs["status"],
                    attrs["attestations"],
                )
            elif isinstance(record, Attestation):
                yield record.id, data, record.claim, record.stance.value
            elif isinstance(record, Mention):
                yield record.id, data, record.document, record.actor
            elif isinstance(record, CasualtyFigure | Telling):
                yield record.id, data, record.event
            else:
                yield record.id, data

    # -- reads -------------------------------------------------------------

    @contextmanager
    def reading(self, *, hold: bool = False) -> Iterator[Snapshot]:
        """A consistent read of the graph and the file, joined by the reads inside it.

        It holds the store's lock: writes in this process wait for it, and
        SQLite's read transaction keeps other processes' out of its view.
        ``hold`` changes nothing here, where no write can overlap a read.
        """
        open_scope: Snapshot | None = getattr(self._local, "scope", None)
        if open_scope is not None:
            yield Snapshot(open_scope.graph, open_scope.db, nested=True)
            return
        with self._transaction(write=False):
            self._sync()
            scope = Snapshot(self._graph.copy(as_view=True), self._db)
            self._local.scope = scope
            try:
                yield scope
            finally:
                self._local.scope = None

    def query(self, read: Read, **params: Any) -> list[Row]:
        with self.reading() as snapshot:
            return read.embedded(snapshot, **params)

    def read_only(
        self,
        query: str,
        parameters: Mapping[str, Any],
        *,
        timeout: float,
        max_rows: int,
        max_bytes: int,
    ) -> CypherResult:
        raise UnsupportedError(
            f"raw Cypher needs Neo4j; this server uses the {self.name} store "
            "(set NEO4J_URI), and the named queries answer the same questions without Cypher"
        )

    def _all(self, kind: str) -> list[Any]:
        model = _MODEL[kind]
        with self.reading() as snap:
            return [model.model_validate_json(data) for (data,) in snap.rows(_ALL[kind])]

    def _one(self, label: Label, node_id: str) -> str | None:
        with self.reading() as snap:
            found = snap.rows(_BY_ID[label], node_id)
        return found[0][0] if found else None

    def places(self) -> list[Place]:
        return self._all("places")

    def actors(self) -> list[Actor]:
        return self._all("actors")

    def events(self) -> list[Event]:
        return self._all("events")

    def actor(self, actor_id: str) -> Actor | None:
        data = self._one("Actor", actor_id)
        return None if data is None else Actor.model_validate_json(data)

    def event(self, event_id: str) -> Event | None:
        data = self._one("Event", event_id)
        return None if data is None else Event.model_validate_json(data)

    def document(self, document_id: str) -> Document | None:
        data = self._one("Document", document_id)
        return None if data is None else Document.model_validate_json(data)

    def claims(self, involving: str | None = None) -> list[AttestedClaim]:
        with self.reading() as snap:
            if involving is None:
                rows = snap.rows("SELECT id, claim, att FROM claims_said ORDER BY id, att_id")
            else:
                rows = snap.rows(
                    "SELECT id, claim, att FROM claims_said "
                    "WHERE subject = ?1 OR object = ?1 OR event = ?1 ORDER BY id, att_id",
                    involving,
                )
        return [attested(row) for row in claim_rows(rows)]

    def mentions(self, document_id: str) -> list[Mention]:
        with self.reading() as snap:
            rows = snap.rows("SELECT data FROM mentions WHERE document = ?", document_id)
        found = [Mention.model_validate_json(data) for (data,) in rows]
        return sorted(found, key=lambda m: (m.start, m.end, m.actor))

    def dump(self) -> GraphBatch:
        batch = GraphBatch()
        with self.reading() as snap:
            for kind in KINDS:
                model = _MODEL[kind]
                records = (model.model_validate_json(d) for (d,) in snap.rows(_ALL[kind]))
                getattr(batch, kind).extend(records)
        return batch

    def stats(self) -> GraphStats:
        with self.reading() as snap:
            counts = {kind: snap.rows(_COUNT[kind])[0][0] for kind in KINDS}
            statuses = snap.rows("SELECT status, count(*) FROM claims GROUP BY status ORDER BY 1")
        return GraphStats(self.name, self.location, counts, dict(statuses))

    def actors_revision(self) -> str:
        """The store's identity and how many writes changed its actors."""
        with self.reading() as snap:
            found = dict(snap.rows("SELECT key, value FROM meta WHERE key IN ('store', 'actors')"))
        return f"{found['store']}:{found['actors']}"

    def close(self) -> None:
        """Close the file; every write is already in it."""
        with self._mutex:
            self._db.close()


def _edge(predicate: str, status: str, attestations: int) -> dict[str, Any]:
    return {"type": _REL_TYPE[predicate], "status": _STATUS[status], "attestations": attestations}


def claim_rows(rows: Iterable[tuple[Any, ...]]) -> list[Row]:
    """Rows of ``claims_said`` (id, claim, att), ordered by claim, as ``{claim, atts}`` rows."""
    found: dict[str, Row] = {}
    for claim_id, claim, att in rows:
        if claim_id not in found:
            found[claim_id] = {"claim": json.loads(claim), "atts": []}
        if att is not None:
            found[claim_id]["atts"].append(json.loads(att))
    return list(found.values())


def read_legacy(path: Path) -> GraphBatch:
    """Everything in an embedded store file of actorgraph 0.1 (node-link JSON), as one batch.

    Raises
    ------
    ActorGraphError
        If the file cannot be read as one.
    """
    batch = GraphBatch()
    kinds = {"Actor": "actors", "Event": "events", "Document": "documents", "Claim": "claims"}
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("format") != LEGACY_FORMAT:
            raise ValueError(f"format is {payload.get('format')!r}, expected {LEGACY_FORMAT!r}")
        for node in payload["graph"]["nodes"]:
            kind = kinds[node["label"]]
            getattr(batch, kind).append(_MODEL[kind].model_validate(node["data"]))
        for edge in payload["graph"]["edges"]:
            if edge["type"] in ATTESTATION_TYPES:
                batch.attestations.append(Attestation.model_validate(edge["data"]))
            elif edge["type"] == "MENTIONS":
                batch.mentions.append(Mention.model_validate(edge["data"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ActorGraphError(f"{path}: the embedded store cannot be read: {exc}") from exc
    return batch
