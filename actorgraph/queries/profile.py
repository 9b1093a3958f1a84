"""An actor's profile: who it is, and every relation involving it with its sources."""

from __future__ import annotations

from dataclasses import dataclass

from actorgraph.errors import NotFoundError
from actorgraph.graph.model import (
    Actor,
    Attestation,
    Claim,
    Document,
    Event,
    Predicate,
    Status,
    chronological,
)
from actorgraph.graph.store import AttestedClaim, GraphStore


@dataclass(frozen=True)
class Source:
    """One attestation with its speaker and document resolved."""

    attestation: Attestation
    speaker: Actor | None
    document: Document | None


@dataclass(frozen=True)
class Relation:
    """A claim involving the actor, its status, its sources and what else happened in its event."""

    claim: Claim
    status: Status
    subject: Actor | None
    object: Actor | Event | None
    event: Event | None
    sources: tuple[Source, ...]
    same_event: tuple[Relation, ...] = ()


@dataclass(frozen=True)
class Profile:
    actor: Actor
    relations: tuple[Relation, ...]


def actor_profile(store: GraphStore, actor_id: str) -> Profile:
    """The actor ``actor_id`` with every claim it is the subject or object of.

    For each claim made within an event, the other claims about that event
    come along (``same_event``): who else was killed in it, who struck.

    Raises
    ------
    NotFoundError
        If no actor has that id.
    """
    actor = store.actor(actor_id)
    if actor is None:
        raise NotFoundError(f"no actor with id {actor_id!r}")

    def relation(item: AttestedClaim, same_event: tuple[Relation, ...] = ()) -> Relation:
        claim = item.claim
        target: Actor | Event | None = (
            store.event(claim.object)
            if claim.predicate is Predicate.KILLED_IN
            else store.actor(claim.object)
        )
        event_id = _event_id(claim)
        sources = tuple(
            Source(a, store.actor(a.speaker), store.document(a.document))
            for a in sorted(item.attestations, key=chronological)
        )
        return Relation(
            claim=claim,
            status=item.status,
            subject=store.actor(claim.subject),
            object=target,
            event=None if event_id is None else store.event(event_id),
            sources=sources,
            same_event=same_event,
        )

    relations = []
    for item in store.claims(involving=actor.id):
        if actor.id not in (item.claim.subject, item.claim.object):
            continue
        event_id = _event_id(item.claim)
        others: tuple[Relation, ...] = ()
        if event_id is not None:
            others = tuple(
                relation(other)
                for other in store.claims(involving=event_id)
                if other.claim.id != item.claim.id
            )
        relations.append(relation(item, others))
    relations.sort(key=lambda r: (r.claim.predicate.value, r.claim.object, r.claim.id))
    return Profile(actor, tuple(relations))


def _event_id(claim: Claim) -> str | None:
    return claim.object if claim.predicate is Predicate.KILLED_IN else claim.event
