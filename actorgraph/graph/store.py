"""The GraphStore protocol every store implements, and what crosses it.

A write is one :class:`GraphBatch`, applied whole or not at all; reads
return model objects. :func:`check_batch` holds the integrity rules, so
every store refuses the same writes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

from actorgraph.errors import IntegrityError
from actorgraph.graph.model import (
    Actor,
    Attestation,
    Claim,
    Document,
    Event,
    Mention,
    Predicate,
    Status,
    derive_status,
)

Label = Literal["Actor", "Event", "Document", "Claim"]
Record = Actor | Event | Document | Claim | Attestation | Mention

KINDS = ("actors", "events", "documents", "claims", "attestations", "mentions")
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

    def close(self) -> None: ...


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
        object_label: Label = "Event" if claim.predicate is Predicate.KILLED_IN else "Actor"
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
    if problems:
        raise IntegrityError("; ".join(dict.fromkeys(problems)))
