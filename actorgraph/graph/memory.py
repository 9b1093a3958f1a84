"""The embedded store: a networkx MultiDiGraph persisted to one JSON file.

Layout, mirroring the Neo4j model: a node per actor, event, document and
claim (``label`` plus the record under ``data``); a traversal edge
``COMMANDS``/``PART_OF``/``STRUCK``/``KILLED_IN`` from a claim's subject to
its object, keyed by the claim id; ``REPORTED``/``DENIED`` edges from a
speaker to a claim, keyed by the attestation id; ``MENTIONS`` edges from a
document to an actor; ``IN_EVENT`` from a claim to its event (the index
Neo4j keeps on ``Claim.event``).

Every write is durable when it returns: the whole graph is written to a
temporary file beside the store, fsynced, and renamed over it, so a crash
leaves either the old store or the new one, never a broken one. A file lock
serialises writers across processes.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
from filelock import FileLock

from actorgraph.errors import ActorGraphError
from actorgraph.graph.model import (
    ATTESTATION_TYPES,
    TRAVERSAL_TYPES,
    Actor,
    Attestation,
    Claim,
    Document,
    Event,
    Mention,
    derive_status,
)
from actorgraph.graph.store import (
    KINDS,
    AttestedClaim,
    GraphBatch,
    GraphStats,
    Label,
    Record,
    WriteResult,
    check_batch,
)

FORMAT = "actorgraph-embedded/1"
IN_EVENT = "IN_EVENT"
_NODE_LABEL: dict[str, Label] = {
    "actors": "Actor",
    "events": "Event",
    "documents": "Document",
    "claims": "Claim",
}


class MemoryStore:
    """The embedded store, kept in ``path`` (created on first write).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> store = MemoryStore(pathlib.Path(tempfile.mkdtemp()) / "graph.json")
    >>> store.stats().counts["actors"]
    0
    """

    name = "embedded"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)
        self._lock = FileLock(str(path) + ".lock")
        self._graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self._seen: tuple[int, int, int] | None = None
        self._refresh()

    # -- persistence -------------------------------------------------------

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _refresh(self, *, force: bool = False) -> None:
        """Re-read the file if another process replaced it since we last looked."""
        signature = self._signature()
        if signature == self._seen and not force:
            return
        self._graph = self._read() if signature is not None else nx.MultiDiGraph()
        self._seen = signature

    def _read(self) -> nx.MultiDiGraph:
        try:
            payload = json.loads(self.path.read_text(encoding="utf-8"))
            if payload.get("format") != FORMAT:
                raise ValueError(f"format is {payload.get('format')!r}, expected {FORMAT!r}")
            graph = nx.node_link_graph(
                payload["graph"], directed=True, multigraph=True, edges="edges"
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ActorGraphError(f"{self.path}: the embedded store cannot be read: {exc}") from exc
        assert isinstance(graph, nx.MultiDiGraph)
        if any("status" not in e for _, _, e in _traversal_edges(graph)):  # a file from 0.1
            _keep_statuses(graph, [n for n, label in graph.nodes(data="label") if label == "Claim"])
        return graph

    def _persist(self, graph: nx.MultiDiGraph) -> None:
        data = nx.node_link_data(graph, edges="edges")
        data["nodes"].sort(key=lambda n: n["id"])
        data["edges"].sort(key=lambda e: (e["source"], e["target"], e["key"]))
        payload = {"format": FORMAT, "graph": data}
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.path.parent.glob(f"{self.path.name}*.tmp"):
            stale.unlink()  # left by a writer that died; we hold the lock, so none is live
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)  # make the rename itself durable
        finally:
            os.close(dir_fd)
        self._seen = self._signature()

    # -- writes ------------------------------------------------------------

    def write(self, batch: GraphBatch) -> WriteResult:
        """Apply ``batch`` whole and persist it, or raise and change nothing.

        The batch goes into a copy of the graph, which replaces the current
        one only once it is on disk: readers in other threads keep a whole
        graph, and a failed write leaves nothing behind.
        """
        with self._lock:
            self._refresh()
            check_batch(batch, self._has)
            touched = {c.id for c in batch.claims} | {a.claim for a in batch.attestations}
            stored = {c for c in touched if self._has("Claim", c)}
            graph = self._graph.copy()
            result = WriteResult()
            for kind, record in batch.records():
                result.count(kind, *_put(graph, kind, record))
            new: dict[str, list[Attestation]] = defaultdict(list)
            for att in batch.attestations:
                if att.claim not in stored:  # all of a new claim's attestations are here
                    new[att.claim].append(att)
            _keep_statuses(graph, sorted(touched), new)
            if result.changed:
                self._persist(graph)
                self._graph = graph
            return result

    def _has(self, label: Label, node_id: str) -> bool:
        node = self._graph.nodes.get(node_id)
        return node is not None and node["label"] == label

    # -- reads -------------------------------------------------------------

    def _records(self, label: Label) -> list[dict[str, Any]]:
        self._refresh()
        return [
            attrs["data"]
            for _, attrs in sorted(self._graph.nodes(data=True), key=lambda n: n[0])
            if attrs["label"] == label
        ]

    def _node(self, label: Label, node_id: str) -> dict[str, Any] | None:
        self._refresh()
        return self._graph.nodes[node_id]["data"] if self._has(label, node_id) else None

    def view(self) -> nx.MultiDiGraph:
        """The current graph, read-only: what the named queries traverse on this store."""
        self._refresh()
        view: nx.MultiDiGraph = self._graph.copy(as_view=True)
        return view

    def actors(self) -> list[Actor]:
        return [Actor.model_validate(d) for d in self._records("Actor")]

    def events(self) -> list[Event]:
        return [Event.model_validate(d) for d in self._records("Event")]

    def actor(self, actor_id: str) -> Actor | None:
        data = self._node("Actor", actor_id)
        return None if data is None else Actor.model_validate(data)

    def event(self, event_id: str) -> Event | None:
        data = self._node("Event", event_id)
        return None if data is None else Event.model_validate(data)

    def document(self, document_id: str) -> Document | None:
        data = self._node("Document", document_id)
        return None if data is None else Document.model_validate(data)

    def claims(self, involving: str | None = None) -> list[AttestedClaim]:
        found = []
        for data in self._records("Claim"):
            claim = Claim.model_validate(data)
            if involving in (None, claim.subject, claim.object, claim.event):
                found.append(AttestedClaim(claim, self._attestations(claim.id)))
        return found

    def _attestations(self, claim_id: str) -> tuple[Attestation, ...]:
        atts = [
            Attestation.model_validate(attrs["data"])
            for _, _, attrs in self._graph.in_edges(claim_id, data=True)
            if attrs["type"] in ATTESTATION_TYPES
        ]
        return tuple(sorted(atts, key=lambda a: a.id))

    def mentions(self, document_id: str) -> list[Mention]:
        self._refresh()
        if not self._has("Document", document_id):
            return []
        found = [
            Mention.model_validate(attrs["data"])
            for _, _, attrs in self._graph.out_edges(document_id, data=True)
            if attrs["type"] == "MENTIONS"
        ]
        return sorted(found, key=lambda m: (m.start, m.end, m.actor))

    def dump(self) -> GraphBatch:
        self._refresh()
        edges: dict[str, list[dict[str, Any]]] = {"attestations": [], "mentions": []}
        for _, _, attrs in sorted(
            self._graph.edges(data=True), key=lambda e: e[2].get("data", {}).get("id", "")
        ):
            if attrs["type"] in ATTESTATION_TYPES:
                edges["attestations"].append(attrs["data"])
            elif attrs["type"] == "MENTIONS":
                edges["mentions"].append(attrs["data"])
        return GraphBatch(
            actors=self.actors(),
            events=[Event.model_validate(d) for d in self._records("Event")],
            documents=[Document.model_validate(d) for d in self._records("Document")],
            claims=[Claim.model_validate(d) for d in self._records("Claim")],
            attestations=[Attestation.model_validate(d) for d in edges["attestations"]],
            mentions=[Mention.model_validate(d) for d in edges["mentions"]],
        )

    def stats(self) -> GraphStats:
        self._refresh()
        counts: Counter[str] = Counter({kind: 0 for kind in KINDS})
        for _, attrs in self._graph.nodes(data=True):
            counts[f"{attrs['label'].lower()}s"] += 1
        for _, _, attrs in self._graph.edges(data=True):
            if attrs["type"] in ATTESTATION_TYPES:
                counts["attestations"] += 1
            elif attrs["type"] == "MENTIONS":
                counts["mentions"] += 1
        statuses = Counter(e["status"] for _, _, e in _traversal_edges(self._graph))
        return GraphStats(self.name, self.location, dict(counts), dict(sorted(statuses.items())))

    def actors_revision(self) -> str:
        """The store file's identity: every write replaces the file."""
        self._refresh()
        return repr(self._seen)

    def close(self) -> None:
        """Nothing to release: every write is already on disk."""


def _traversal_edges(g: nx.MultiDiGraph) -> Iterator[tuple[str, str, dict[str, Any]]]:
    return ((s, o, e) for s, o, e in g.edges(data=True) if e["type"] in TRAVERSAL_TYPES)


def _keep_statuses(
    g: nx.MultiDiGraph, claim_ids: Iterable[str], said: Mapping[str, list[Attestation]] = {}
) -> None:
    """Keep each claim's derived status and attestation count on its traversal edge.

    As Neo4j keeps them on the relationship: a traversal then reads edges
    alone. ``said`` holds the attestations already at hand (a new claim's);
    the others are read from the graph.
    """
    for claim_id in claim_ids:
        claim = g.nodes[claim_id]["data"]
        atts = said.get(claim_id) or [
            Attestation.model_validate(e["data"])
            for _, _, e in g.in_edges(claim_id, data=True)
            if e["type"] in ATTESTATION_TYPES
        ]
        edge = g.edges[claim["subject"], claim["object"], claim_id]
        edge["status"] = derive_status(claim["subject"], atts).value
        edge["attestations"] = len(atts)


def _put(
    g: nx.MultiDiGraph, kind: str, record: Record
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """Store one record; return its stored data before and after."""
    data = record.model_dump(mode="json")
    if kind in _NODE_LABEL:
        old = g.nodes[record.id]["data"] if record.id in g else None
        g.add_node(record.id, label=_NODE_LABEL[kind], data=data)
        if isinstance(record, Claim):
            g.add_edge(
                record.subject,
                record.object,
                key=record.id,
                type=record.predicate.rel_type,
                claim=record.id,
            )
            if record.event is not None:
                g.add_edge(record.id, record.event, key=IN_EVENT, type=IN_EVENT)
        return old, data
    if isinstance(record, Attestation):
        ends = (record.speaker, record.claim, record.id)
        attrs = {"type": record.stance.rel_type, "data": data}
    else:
        assert isinstance(record, Mention)
        ends = (record.document, record.actor, record.id)
        attrs = {"type": "MENTIONS", "data": data}
    old = g.edges[ends]["data"] if g.has_edge(*ends) else None
    g.add_edge(*ends, **attrs)
    return old, data
