"""What extraction finds in one document, and the interface every extractor keeps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from actorgraph.extraction.casualties import Figure
from actorgraph.graph.model import (
    Actor,
    Attestation,
    CasualtyFigure,
    Claim,
    DatePrecision,
    Document,
    Event,
    EventKind,
    GeoPrecision,
    Mention,
    Place,
    Stance,
    Telling,
    derive_status,
)
from actorgraph.graph.store import GraphBatch


@dataclass(frozen=True)
class FoundMention:
    """An actor named at ``text[start:end]``; ``how``: ``alias``, ``fuzzy`` or ``context``."""

    actor: str
    text: str
    start: int
    end: int
    how: str = "alias"


@dataclass(frozen=True)
class Candidate:
    """A name that resolves to no known actor (or, among ``place_candidates``, no curated
    place), at ``start:end``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class FoundPlace:
    """A place the document names, as a curated place (in the document's own spelling)."""

    place: Place
    text: str
    start: int
    end: int


@dataclass
class FoundEvent:
    """An event the document tells of; ``known`` when it is one the store already holds."""

    id: str
    kind: EventKind
    date: dt.date | None
    precision: DatePrecision
    place: str
    start: int
    end: int
    known: bool = False
    at: str | None = None
    """The curated place ``place`` resolves to, if any."""
    geo_precision: GeoPrecision | None = None
    as_told: Event | None = None
    """The event as this document tells it, before it met a known one."""

    def record(self) -> Event:
        return Event(
            id=self.id,
            kind=self.kind,
            date=self.date,
            date_precision=self.precision,
            place=self.place,
            at=self.at,
            geo_precision=self.geo_precision,
        )


@dataclass(frozen=True)
class Said:
    """One speaker's stance on a claim, in one sentence of the document."""

    speaker: str
    stance: Stance
    hedged: bool
    quote: str
    start: int
    end: int


@dataclass
class FoundClaim:
    claim: Claim
    said: list[Said] = field(default_factory=list)

    @property
    def status(self) -> str:
        atts = [Attestation(claim=self.claim.id, document="d", **s.__dict__) for s in self.said]
        return derive_status(self.claim.subject, atts).value


@dataclass(frozen=True)
class FoundFigure:
    """A casualty figure of ``event``, as ``speaker`` gives it in the sentence at
    ``start:end``."""

    event: FoundEvent
    speaker: str
    figure: Figure
    quote: str
    start: int
    end: int

    @property
    def words(self) -> str:
        """The words that give the figure: "killed six people"."""
        return self.quote[self.figure.start : self.figure.end]

    def record(self, document: Document) -> CasualtyFigure:
        killed, injured = self.figure.killed or (None, None), self.figure.injured or (None, None)
        return CasualtyFigure(
            event=self.event.id,
            document=document.id,
            speaker=self.speaker,
            killed_low=killed[0],
            killed_high=killed[1],
            injured_low=injured[0],
            injured_high=injured[1],
            whom=self.figure.whom,
            text=self.words,
            quote=self.quote,
            start=self.start,
            end=self.end,
            date=document.published,
        )


@dataclass
class Extraction:
    """What one document says, ready to be written or printed."""

    document: Document
    mentions: list[FoundMention]
    candidates: list[Candidate]
    events: list[FoundEvent]
    claims: list[FoundClaim]
    speakers: list[Actor] = field(default_factory=list)
    """Actors the extraction introduces: an outlet named only as the publisher."""
    places: list[FoundPlace] = field(default_factory=list)
    place_candidates: list[Candidate] = field(default_factory=list)
    """Names said as places ("in Hasakah") that are no curated place: for an analyst, no
    guess."""
    casualties: list[FoundFigure] = field(default_factory=list)

    def mention_records(self) -> list[Mention]:
        """Where the document names known actors, as records to write."""
        doc = self.document.id
        return [
            Mention(document=doc, actor=m.actor, text=m.text, start=m.start, end=m.end)
            for m in self.mentions
        ]

    def batch(self) -> GraphBatch:
        """The records to write: the document, its mentions, new events, claims and sayings."""
        doc = self.document
        batch = GraphBatch(documents=[doc], actors=list(self.speakers))
        batch.mentions = self.mention_records()
        batch.events = [e.record() for e in self.events if not e.known]
        batch.casualties = [f.record(doc) for f in self.casualties]
        batch.tellings = [_telling(e, doc) for e in self.events]
        for found in self.claims:
            batch.claims.append(found.claim)
            batch.attestations += [
                Attestation(
                    claim=found.claim.id,
                    document=doc.id,
                    date=doc.published,
                    **s.__dict__,
                )
                for s in found.said
            ]
        return batch

    def as_json(self, names: dict[str, str]) -> dict[str, Any]:
        """The shape ``actorgraph extract --json`` prints; ``names`` maps actor ids to names."""
        doc = self.document
        return {
            "document": {
                "id": doc.id,
                "title": doc.title,
                "publisher": doc.publisher,
                "published": doc.published.isoformat() if doc.published else None,
                "url": doc.url,
                "length": len(doc.text),
            },
            "mentions": [
                {
                    "actor_id": m.actor,
                    "actor_name": names.get(m.actor, m.actor),
                    "text": m.text,
                    "start": m.start,
                    "end": m.end,
                }
                for m in self.mentions
            ],
            "candidates": [
                {"text": c.text, "start": c.start, "end": c.end} for c in self.candidates
            ],
            "places": [
                {"place_id": p.place.id, "text": p.text, "start": p.start, "end": p.end}
                for p in self.places
            ],
            "place_candidates": [
                {"text": c.text, "start": c.start, "end": c.end} for c in self.place_candidates
            ],
            "events": [
                {
                    "id": e.id,
                    "kind": e.kind.value,
                    "date": e.date.isoformat() if e.date else None,
                    "precision": e.precision.value,
                    "place": e.place,
                    "at": e.at,
                    "geo_precision": e.geo_precision.value if e.geo_precision else None,
                    "known": e.known,
                    "start": e.start,
                    "end": e.end,
                }
                for e in self.events
            ],
            "casualties": [
                {
                    "event": f.event.id,
                    "speaker": f.speaker,
                    "killed": _range(f.figure.killed),
                    "injured": _range(f.figure.injured),
                    "whom": f.figure.whom.value,
                    "text": f.words,
                    "quote": f.quote,
                    "start": f.start,
                    "end": f.end,
                }
                for f in self.casualties
            ],
            "claims": [
                {
                    "id": c.claim.id,
                    "subject": c.claim.subject,
                    "predicate": c.claim.predicate.value,
                    "object": c.claim.object,
                    "event": c.claim.event,
                    "status": c.status,
                    "attestations": [
                        {
                            "speaker": s.speaker,
                            "stance": s.stance.value,
                            "hedged": s.hedged,
                            "quote": s.quote,
                            "start": s.start,
                            "end": s.end,
                        }
                        for s in c.said
                    ],
                }
                for c in self.claims
            ],
        }


def _telling(event: FoundEvent, document: Document) -> Telling:
    told = event.as_told or event.record()
    return Telling(
        event=event.id,
        document=document.id,
        date=told.date,
        date_precision=told.date_precision,
        place=told.place,
        at=told.at,
        geo_precision=told.geo_precision,
        published=document.published,
    )


def _range(count: tuple[int | None, int | None] | None) -> dict[str, int | None] | None:
    return None if count is None else {"low": count[0], "high": count[1]}


class Extractor(Protocol):
    """Turns a document into an :class:`Extraction`, writing nothing."""

    def extract(self, document: Document) -> Extraction: ...

    def remember(self, events: Iterable[Event]) -> None:
        """Events later documents may tell of again (the store's, a batch's earlier ones)."""
        ...
