# TEMPORARY stand-in until the search branch lands
from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from actorgraph.graph.model import Actor, ActorKind
from actorgraph.loaders.resolve import normalise


@dataclass(frozen=True)
class Hit:
    actor: Actor
    score: float
    matched: str


class SearchIndex:
    def __init__(self, actors: Iterable[Actor]) -> None:
        self.actors = list(actors)

    def rank(self, q: str, *, limit: int = 20, kind: ActorKind | None = None) -> list[Hit]:
        nq = normalise(q)[0]
        hits = []
        for a in self.actors:
            if kind and a.kind is not kind:
                continue
            best = max(
                (difflib.SequenceMatcher(None, nq, normalise(n)[0]).ratio() * 100, n)
                for n in a.names
            )
            if best[0] > 70:
                hits.append(Hit(a, best[0], best[1]))
        hits.sort(key=lambda h: (-h.score, h.actor.name, h.actor.id))
        return hits[:limit]
