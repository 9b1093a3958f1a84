"""An actor's profile: who it is, and every relation involving it with its sources.

What ``actorgraph show`` prints: the catalogue's claims about the actor, and
for each claim made within an event the other claims about that event (who
else was killed in it, who struck), read in one reading scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from actorgraph.graph.model import Actor
from actorgraph.graph.store import GraphStore, read_consistently
from actorgraph.names.resolve import resolve_actor
from actorgraph.queries import catalogue as q
from actorgraph.queries.shapes import ClaimView


@dataclass(frozen=True)
class Relation:
    """A claim the actor is the subject or object of, and the other claims about its event."""

    claim: ClaimView
    same_event: tuple[ClaimView, ...] = ()


@dataclass(frozen=True)
class Profile:
    actor: Actor
    relations: tuple[Relation, ...]


def actor_profile(store: GraphStore, name: str) -> Profile:
    """The actor ``name`` names with every claim it is the subject or object of.

    Raises
    ------
    NotFoundError
        If ``name`` names no one actor (see :func:`~actorgraph.names.resolve.resolve_actor`).
    """
    return read_consistently(store, lambda: _profile(store, name))


def _profile(store: GraphStore, name: str) -> Profile:
    actor = resolve_actor(store, name)
    claims = q.claims(store, q.ClaimParams(actor=actor.id))
    about = {e.event.id: e.claims for e in q.timeline(store, q.TimelineParams(actor=actor.id))}
    relations = []
    for view in claims:
        if actor.id not in (view.subject.id, view.object.id):
            continue
        event = view.object.id if view.predicate.about_event else None
        event = event or (view.event.id if view.event else None)
        others = tuple(c for c in about.get(event or "", ()) if c.id != view.id)
        relations.append(Relation(view, others))
    relations.sort(key=lambda r: (r.claim.predicate.value, r.claim.object.id, r.claim.id))
    return Profile(actor, tuple(relations))
