"""The second pass: the events a document tells of, and which clauses tell of each.

A clause with a strike or attack word and a date (:mod:`~actorgraph.extraction.dates`:
relative dates resolved against the publication date) or a place is an
event; clauses that speak of "the strike" without either refer to the
latest one. A document's tellings of one event become one event, and an
event the store already holds keeps its id (:mod:`~actorgraph.extraction.matching`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import pairwise

from actorgraph.extraction.dates import DateMention, find_dates
from actorgraph.extraction.lexicon import (
    ANAPHORA,
    ATTACK,
    CLAUSE,
    DIRECTION_OF,
    EARLIER,
    HYPOTHETICAL,
    KILL,
    NOT_A_NAME_COMMA,
    PLACE_MORE,
    PLACE_POSSESSIVE,
    STRIKE,
    TRIGGER,
)
from actorgraph.extraction.matching import (
    by_day,
    compatible_dates,
    consistent,
    event_id,
    place_words,
    placed_telling,
    same_event,
    same_place,
    strike_rank,
)
from actorgraph.extraction.places import Gazetteer
from actorgraph.extraction.results import FoundEvent, FoundMention
from actorgraph.extraction.spans import ByStart, Span
from actorgraph.extraction.text import Sentence
from actorgraph.graph.model import DatePrecision, Document, Event, EventKind

_LONGEST_NAME = 60
"""Characters of the longest curated place name a place name can open."""
_NEARBY_EVENTS = 50
"""Events of the document a new telling is compared with: one tells of an event near where
it told of it before."""

Told = tuple[int, int, FoundEvent]
"""A clause, ``(start, end)``, and the event it tells of."""


class Events:
    """Finds each document's events, meeting the events known before it.

    Parameters
    ----------
    events
        Events already known (in the store): a document telling of one of
        them again gets its id instead of a new event.
    places
        The curated places: where each event stands, and how places compare
        across documents.
    """

    def __init__(self, events: Iterable[Event] = (), places: Gazetteer | None = None) -> None:
        self._known: list[Event] = []
        self._places = places or Gazetteer(())
        self.remember(events)

    def remember(self, events: Iterable[Event]) -> None:
        """Events later documents may tell of again (the store's, a batch's earlier ones)."""
        self._known.extend(events)

    def find(
        self,
        document: Document,
        sents: list[Sentence],
        mentions: list[FoundMention],
        place_spans: list[Span],
    ) -> tuple[list[FoundEvent], list[tuple[int, int, FoundEvent]]]:
        """The document's events, and the clauses that speak of each: ``(start, end, event)``.

        Clauses, not sentences: "the December 29 strike on Kirkuk, which led
        to the US attack on targets in Anbar" tells of two events.
        """
        events: list[FoundEvent] = []
        told: list[tuple[int, int, FoundEvent]] = []
        named = ByStart(mentions)
        places = ByStart(place_spans)
        current: FoundEvent | None = None
        for sent in sents:
            for start, end in _clauses(sent):
                clause = Sentence(start, end, sent.paragraph, document.text[start:end])
                event = self._clause_event(document, clause, named, places, current, events)
                if event is None:
                    continue
                told.append((start, end, event))
                # background events ("24 hours after", last year's) do not become current
                if recent(event, document.published) and not EARLIER.search(clause.text):
                    current = event
        events, told = _merge(events, told)
        taken: set[str] = set()
        for event in events:  # named once the document has told all it tells of it
            where = self._places.resolve(event.place)
            if where is not None:
                event.at, event.geo_precision = where[0].id, where[1]
            event.id = event_id(event.kind, event.date, event.place)
            if not by_day(event.date, event.precision) or event.id in taken:
                # no other document's telling can be shown to be this one: its own id
                event.id = f"{event.id}-{document.id.removeprefix('doc-')[:6]}"
            taken.add(event.id)
        for event in events:
            event.as_told = event.record()
            self._meet(event, document.published, taken)
        return events, told

    def _meet(self, event: FoundEvent, published: dt.date | None, own: set[str]) -> None:
        """Give ``event`` the id of the known event it is, if one fits it best (its own id
        first: idempotent loads); two that fit it alike leave it apart, unless one of them
        is an analyst's (curated, with its sources) and the other not. The events this
        document's tellings are named for (``own``: as an earlier load of it wrote them)
        are met only by their id: the document told them apart."""
        telling = placed_telling(event.record())
        same = next((k for k in self._known if k.id == event.id), None)
        if same is not None:
            self._become(event, same)
            return
        ranked = sorted(
            (rank, k.id, k)
            for k in self._known
            if k.id not in own
            and (rank := strike_rank(telling, placed_telling(k), self._places.places, published))
            is not None
        )
        best = [k for rank, _, k in ranked if rank == ranked[0][0]]
        curated = [k for k in best if k.sources]  # an analyst's event, with its sources
        if len(best) == 1 or len(curated) == 1:
            self._become(event, best[0] if len(best) == 1 else curated[0])

    @staticmethod
    def _become(event: FoundEvent, known: Event) -> None:
        event.id, event.known = known.id, True
        event.kind, event.date, event.precision, event.place = (
            known.kind,
            known.date,
            known.date_precision,
            known.place,
        )
        event.at, event.geo_precision = known.at, known.geo_precision

    def _clause_event(
        self,
        document: Document,
        clause: Sentence,
        named: ByStart[FoundMention],
        places: ByStart[Span],
        current: FoundEvent | None,
        events: list[FoundEvent],
    ) -> FoundEvent | None:
        trigger = STRIKE.search(clause.text) or ATTACK.search(clause.text)
        earlier = EARLIER.search(clause.text)
        if trigger is None and earlier is not None:  # "both killed 24hrs ago"
            trigger = KILL.search(clause.text)
        if trigger is None:
            return None
        kind = EventKind.STRIKE if STRIKE.search(clause.text) else EventKind.ATTACK
        dates = find_dates(clause.text, document.published)
        date = dates[0] if dates else None
        if earlier is not None and current is not None and current.date is not None:
            # "24 hours after a US drone killed X": an earlier event than the current one
            day = current.date - dt.timedelta(days=1)
            for event in events:
                if event.date == day and event is not current:
                    return event
            rest = Sentence(
                clause.start + earlier.end(),
                clause.end,
                clause.paragraph,
                clause.text[earlier.end() :],
            )
            place = self._place(document.text, rest, named, places)
            event = FoundEvent("", kind, day, DatePrecision.DAY, place, clause.start, clause.end)
            events.append(event)
            return event
        place = self._place(document.text, clause, named, places)
        anaphora = ANAPHORA.search(clause.text[: trigger.start()]) is not None
        if current is not None and (anaphora or (date is None and not place)):
            told = date.date if date else None
            precision = date.precision if date else DatePrecision.DAY
            if compatible_dates(told, precision, current.date, current.precision) and same_place(
                place, current.place
            ):  # "this attack", "the strikes": the one just told of
                if current.date is None and told is not None:
                    current.date, current.precision = told, precision
                return current
        if date is None and not place:
            return None
        if date is None and HYPOTHETICAL.search(clause.text[: trigger.start()]):
            return None
        return self._event_for(kind, date, place, clause, events)

    def _event_for(
        self,
        kind: EventKind,
        date: DateMention | None,
        place: str,
        sent: Sentence,
        events: list[FoundEvent],
    ) -> FoundEvent:
        day = date.date if date else None
        precision = date.precision if date else DatePrecision.DAY
        # one document may call one event a strike, then "the attack"; it tells of
        # an event near where it told of it before: the latest few are enough
        for event in reversed(events[-_NEARBY_EVENTS:]):
            if not same_event(
                (kind, day, precision, place),
                (kind, event.date, event.precision, event.place),
            ):
                continue
            if kind is EventKind.STRIKE:
                event.kind = kind
            if len(place_words(place)) > len(place_words(event.place)):
                event.place = place  # the fuller telling: "Taji, north of Baghdad"
            if event.date is None and day is not None:
                event.date, event.precision = day, precision
            return event
        event = FoundEvent(
            event_id(kind, day, place), kind, day, precision, place, sent.start, sent.end
        )
        events.append(event)
        return event

    def _place(
        self, text: str, sent: Sentence, named: ByStart[FoundMention], places: ByStart[Span]
    ) -> str:
        for span in places.within(sent.start, sent.end):
            after = text[span.end : span.end + 60]
            inner = PLACE_POSSESSIVE.match(after)
            if inner is not None:  # "Iraq’s Nineveh governorate"
                return f"{inner.group(1).strip()}, {span.text}"
            if named.covering(span.start):
                continue  # an actor, or a whole country: too coarse to tell events apart
            more = PLACE_MORE.match(after)
            direction = DIRECTION_OF.search(text[max(0, span.start - 30) : span.start])
            return (
                (direction.group(0) if direction else "")
                + self._curated_name(text, span)
                + (more.group(0).rstrip() if more else "")
            )
        return ""

    def _curated_name(self, text: str, span: Span) -> str:
        """The whole name of the curated place a place name opens, if it opens one:
        "Tower 22", "Baghdad’s airport"."""
        named = self._places.find(text[span.start : span.start + _LONGEST_NAME])
        if named and named[0].start == 0 and named[0].end > len(span.text):
            return named[0].text
        return span.text


def _merge(
    events: list[FoundEvent], told: list[tuple[int, int, FoundEvent]]
) -> tuple[list[FoundEvent], list[tuple[int, int, FoundEvent]]]:
    """One event for the tellings a whole document shows to be one.

    While reading, a telling can lack the date the document gives later
    ("airstrikes near Camp Taji", then "in the early hours of Saturday").
    Once all is read, a dated event joins the first one of its day it is, and
    an undated one the first dated one told after it; an undated opening needs
    only to fit it: a headline's "airstrike near Baghdad" is the strike the
    article then dates.
    """
    into: dict[int, FoundEvent] = {}
    kept: list[FoundEvent] = []
    for event in events:
        telling = (event.kind, event.date, event.precision, event.place)
        dated = [e for e in events if e.date is not None and id(e) not in into and e is not event]
        if event.date is None:
            fits = [e for e in dated if e.start > event.start]
        else:
            # one document keeps its own dates: "24 hours after" is another day's event
            fits = [e for e in kept if e.date == event.date]
        # an undated opening (the headline) needs only to fit: its event is the story's
        opening = event.date is None and all(e.start > event.start for e in dated)
        match = consistent if opening else same_event
        same = next(
            (e for e in fits if match(telling, (e.kind, e.date, e.precision, e.place))),
            None,
        )
        if same is None:
            kept.append(event)
            continue
        into[id(event)] = same
        if event.kind is EventKind.STRIKE:
            same.kind = event.kind
        if len(place_words(event.place)) > len(place_words(same.place)):
            same.place = event.place
    return kept, [(start, end, into.get(id(e), e)) for start, end, e in told]


def _clauses(sent: Sentence) -> list[tuple[int, int]]:
    """Where a sentence's clauses start and end, cut at ";", dashes and ", which",
    and after an earlier event's telling: "Less than 24 hours after a US drone
    killed Soleimani, | the US has gone for round two"."""
    cuts = [sent.start + m.start() for m in CLAUSE.finditer(sent.text)]
    for earlier in EARLIER.finditer(sent.text):
        trigger = TRIGGER.search(sent.text, earlier.end())
        comma = NOT_A_NAME_COMMA.search(sent.text, trigger.end()) if trigger else None
        if comma is not None:
            cuts.append(sent.start + comma.start())
    bounds = [sent.start, *sorted(cuts), sent.end]
    return [(a, b) for a, b in pairwise(bounds) if b > a]


def recent(event: FoundEvent, published: dt.date | None) -> bool:
    """Whether an event can be what a news story is about: undated, or within a month."""
    if event.date is None or published is None:
        return True
    return abs((published - event.date).days) <= 31
