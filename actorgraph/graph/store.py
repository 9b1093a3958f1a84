"""The GraphStore protocol every store implements, and what crosses it.

A write is one :class:`GraphBatch`, applied whole or not at all;
:func:`check_batch` holds the integrity rules, so every store refuses the
same writes. Reads are :class:`Read` constants -- a Cypher query and its
twin on the embedded store -- that a store runs with :meth:`GraphStore.query`,
inside a **reading scope** (:meth:`GraphStore.reading`): what one request,
command or call reads is one state of the graph. :func:`read_consistently`
opens the scope, and runs it again if a write may have committed under it.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar

from typing_extensions import LiteralString

from actorgraph.errors import IntegrityError, UnavailableError
from actorgraph.graph.model import (
    Actor,
    Attestation,
    CasualtyFigure,
    Claim,
    Document,
    Event,
    Mention,
    Place,
    Status,
    Telling,
    derive_status,
)

log = logging.getLogger(__name__)

Label = Literal["Place", "Actor", "Event", "Document", "Claim"]
Record = Place | Actor | Event | Document | Claim | Attestation | Mention | CasualtyFigure | Telling
Row = dict[str, Any]
_T = TypeVar("_T")

OPTIMISTIC_READS = 3
"""Tries a reading scope makes between writes before it holds new writes back to read."""
RETRY_SECONDS = 5.0
"""How long a read is tried again while the store is unreachable, before it counts as down."""

KINDS = (
    "places",
    "actors",
    "events",
    "documents",
    "claims",
    "attestations",
    "mentions",
    "casualties",
    "tellings",
)
"""The record kinds a batch carries, in the order they are written."""


@dataclass
class GraphBatch:
    """Records to write together: all of them, or none."""

    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    attestations: list[Attestation] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)  # last: positional batches predate it
    casualties: list[CasualtyFigure] = field(default_factory=list)
    tellings: list[Telling] = field(default_factory=list)

    def records(self) -> Iterator[tuple[str, Record]]:
        """Each record with its kind, in dependency order."""
        for kind in KINDS:
            for record in getattr(self, kind):
                yield kind, record

    def __len__(self) -> int:
        return sum(len(getattr(self, kind)) for kind in KINDS)

    def extend(self, other: GraphBatch) -> None:
        """Add ``other``'s records to this batch."""
        for kind in KINDS:
            getattr(self, kind).extend(getattr(other, kind))


@dataclass
class WriteResult:
    """What a write did, counted per record kind."""

    added: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(+self.added or +self.updated)

    def count(self, kind: str, old: object | None, new: object) -> None:
        """Count one record put: added if there was none, unchanged if equal, else updated."""
        outcome = self.added if old is None else self.unchanged if old == new else self.updated
        outcome[kind] += 1

    def merge(self, other: WriteResult) -> None:
        self.added.update(other.added)
        self.updated.update(other.updated)
        self.unchanged.update(other.unchanged)


@dataclass(frozen=True)
class AttestedClaim:
    """A claim with everything said about it, and the status that follows."""

    claim: Claim
    attestations: tuple[Attestation, ...]

    @property
    def status(self) -> Status:
        return derive_status(self.claim.subject, self.attestations)


def attested(row: Mapping[str, Any]) -> AttestedClaim:
    """A claim row, ``{claim, atts}`` as both stores read them, as an attested claim.

    Attestations are sorted by id, and empty ones (a claim nobody attested
    yet, read with an outer join) dropped.

    Examples
    --------
    >>> row = {"claim": {"subject": "us", "predicate": "struck", "object": "pmf"}, "atts": [None]}
    >>> attested(row).claim.id.startswith("claim-"), attested(row).attestations
    (True, ())
    """
    atts = (Attestation.model_validate(a) for a in row["atts"] if a)
    return AttestedClaim(
        Claim.model_validate(row["claim"]), tuple(sorted(atts, key=lambda a: a.id))
    )


@dataclass(frozen=True)
class Read:
    """One read the query catalogue is built from: Cypher for Neo4j, a twin for the embedded store.

    Both return the same rows of plain values for the same graph (the
    contract suite checks it); everything above the rows is shared Python.

    Attributes
    ----------
    name
        What the read is called in ``GET /queries``.
    cypher
        A constant with ``$parameters``.
    embedded
        A function of the embedded store's snapshot and the same parameters.
    """

    name: str
    cypher: LiteralString
    embedded: Callable[..., list[Row]]


class Reading(Protocol):
    """An open reading scope: the reads in it see one state of the graph."""

    nested: bool
    """Whether it is an inner scope, joining one already open on this thread."""
    overlapped: bool
    """Set when the scope closes: whether a write may have committed while it read."""


class Overlapped(Exception):  # noqa: N818 -- a signal to read again, not an error
    """Raised inside a reading scope that a committing write has already spoilt."""


@dataclass(frozen=True)
class CypherResult:
    """The answer to an analyst's query.

    Attributes
    ----------
    columns
        Column names, in the query's order.
    rows
        One dict per row, column name to a JSON-serialisable value.
    truncated
        True when the answer was cut: more rows than the row cap, or more
        bytes than the byte cap (whole rows are kept, never part of one).
    """

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool


@dataclass(frozen=True)
class GraphStats:
    """Counts of what a store holds."""

    store: str
    location: str
    counts: dict[str, int]
    statuses: dict[str, int]


class GraphStore(Protocol):
    """What every store does; the embedded and the Neo4j store both pass one contract suite."""

    name: str
    """``embedded`` or ``neo4j``."""
    location: str
    """Where the graph lives: a file path or a server URI."""

    def write(self, batch: GraphBatch) -> WriteResult:
        """Write a batch atomically and durably, or raise and write nothing."""
        ...

    def places(self) -> list[Place]:
        """Every place, ordered by id."""
        ...

    def actors(self) -> list[Actor]:
        """Every actor, ordered by id."""
        ...

    def actor(self, actor_id: str) -> Actor | None: ...

    def events(self) -> list[Event]:
        """Every event, ordered by id."""
        ...

    def event(self, event_id: str) -> Event | None: ...

    def document(self, document_id: str) -> Document | None: ...

    def claims(self, involving: str | None = None) -> list[AttestedClaim]:
        """Claims whose subject, object or event is ``involving`` (all when None), by id."""
        ...

    def mentions(self, document_id: str) -> list[Mention]:
        """Where a document names known actors, in text order."""
        ...

    def dump(self) -> GraphBatch:
        """Everything the store holds, as one batch another store can write."""
        ...

    def stats(self) -> GraphStats: ...

    def actors_revision(self) -> str:
        """A token that changes whenever the actors may have changed.

        What is built from all the actors (the search index) is kept until it does.
        """
        ...

    def reading(self, *, hold: bool = False) -> AbstractContextManager[Reading]:
        """A reading scope: every read in it, on this thread, sees one state of the graph.

        Opened inside another, it joins it. ``hold``: keep new writes back
        while it reads, so that none can overlap it (a last resort of
        :func:`read_consistently`, where writes keep committing).
        """
        ...

    def query(self, read: Read, **params: Any) -> list[Row]:
        """The rows of ``read`` with ``params``, in the open reading scope (or one of its own)."""
        ...

    def read_only(
        self,
        query: str,
        parameters: Mapping[str, Any],
        *,
        timeout: float,
        max_rows: int,
        max_bytes: int,
    ) -> CypherResult:
        """An analyst's own Cypher, read-only and bounded (Neo4j; UnsupportedError elsewhere)."""
        ...

    def close(self) -> None: ...


def read_consistently(store: GraphStore, call: Callable[[], _T]) -> _T:
    """``call()``, run in one reading scope of ``store`` that no write overlapped.

    A scope a write may have committed under runs again; after
    :data:`OPTIMISTIC_READS` tries the last holds new writes back. While the
    store is unreachable, the call is tried again for :data:`RETRY_SECONDS`.
    Inside an open scope, ``call()`` simply joins it: the outer one decides.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from actorgraph.graph.sqlite import SQLiteStore
    >>> store = SQLiteStore(pathlib.Path(tempfile.mkdtemp()) / "graph.sqlite")
    >>> read_consistently(store, lambda: len(store.actors()))
    0
    """
    deadline = time.monotonic() + RETRY_SECONDS
    attempt = 0
    while True:
        hold = attempt >= OPTIMISTIC_READS
        if hold:
            log.info("writes to %s kept overlapping a read: holding new writes back", store.name)
        try:
            with store.reading(hold=hold) as scope:
                result = call()
                if scope.nested:
                    return result
            if not scope.overlapped:
                return result
        except Overlapped:
            pass
        except UnavailableError as exc:
            if time.monotonic() > deadline:
                raise
            log.info("%s is unreachable, trying the read again: %s", store.name, exc)
            time.sleep(0.25)
            continue
        attempt += 1
        log.debug("a write overlapped a read of %s: reading again (try %d)", store.name, attempt)
        time.sleep(0.005 * 2 ** min(attempt, 5))


def check_batch(batch: GraphBatch, stored: Callable[[Label, str], bool]) -> None:
    """Refuse a batch that would leave a dangling reference or reuse an id.

    Parameters
    ----------
    batch
        The records to write.
    stored
        Whether the store already holds a node of that label and id.

    Raises
    ------
    IntegrityError
        Naming every missing or clashing id.
    """
    pending: dict[Label, set[str]] = {
        "Place": {p.id for p in batch.places},
        "Actor": {a.id for a in batch.actors},
        "Event": {e.id for e in batch.events},
        "Document": {d.id for d in batch.documents},
        "Claim": {c.id for c in batch.claims},
    }

    def exists(label: Label, node_id: str) -> bool:
        return node_id in pending[label] or stored(label, node_id)

    problems: list[str] = []

    def need(label: Label, node_id: str, what: str) -> None:
        if not exists(label, node_id):
            problems.append(f"{what} refers to unknown {label.lower()} {node_id!r}")

    for place in batch.places:
        if place.parent is not None:
            need("Place", place.parent, f"place {place.id!r}")
    problems += [f"places {' -> '.join(c)} contain each other" for c in place_cycles(batch.places)]
    for event in batch.events:
        if event.at is not None:
            need("Place", event.at, f"event {event.id!r}")
    clash = pending["Actor"] & pending["Event"]
    problems += [f"{i!r} is both an actor and an event" for i in sorted(clash)]
    for actor in batch.actors:
        if stored("Event", actor.id):
            problems.append(f"actor {actor.id!r} clashes with an event of the same id")
    for event in batch.events:
        if stored("Actor", event.id):
            problems.append(f"event {event.id!r} clashes with an actor of the same id")
    for claim in batch.claims:
        what = f"claim {claim.subject} {claim.predicate.value} {claim.object}"
        need("Actor", claim.subject, what)
        object_label: Label = claim.predicate.terms.object
        need(object_label, claim.object, what)
        if claim.event is not None:
            need("Event", claim.event, what)
    attested = {a.claim for a in batch.attestations}
    for claim in batch.claims:
        if claim.id not in attested and not stored("Claim", claim.id):
            problems.append(f"claim {claim.id} has no attestation: someone must have said it")
    for att in batch.attestations:
        need("Claim", att.claim, f"attestation {att.id}")
        need("Actor", att.speaker, f"attestation {att.id}")
        need("Document", att.document, f"attestation {att.id}")
    for mention in batch.mentions:
        need("Document", mention.document, f"mention {mention.text!r}")
        need("Actor", mention.actor, f"mention {mention.text!r}")
    for figure in batch.casualties:
        what = f"casualty figure {figure.text!r}"
        need("Event", figure.event, what)
        need("Actor", figure.speaker, what)
        need("Document", figure.document, what)
    for telling in batch.tellings:
        need("Event", telling.event, f"telling {telling.id}")
        need("Document", telling.document, f"telling {telling.id}")
        if telling.at is not None:
            need("Place", telling.at, f"telling {telling.id}")
    if problems:
        raise IntegrityError("; ".join(dict.fromkeys(problems)))


def place_cycles(places: Iterable[Place]) -> list[list[str]]:
    """Each cycle of parents among ``places``, as the ids around it (the first repeated last).

    Examples
    --------
    >>> p = dict(kind="city", lat=0, lon=0)
    >>> place_cycles([Place(id="a", name="A", parent="b", **p),
    ...               Place(id="b", name="B", parent="a", **p)])
    [['a', 'b', 'a']]
    """
    parent = {p.id: p.parent for p in places}
    cycles: list[list[str]] = []
    done: set[str] = set()
    for start in parent:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent and node not in done and node not in path:
            path.append(node)
            node = parent[node]
        if node is not None and node in path:
            cycles.append([*path[path.index(node) :], node])
        done.update(path)
    return cycles
