"""When two tellings are one event: same kind, dates compatible, places compatible.

Within one document, places compare by their words (:func:`same_event`): the
document's tellings of one strike. Across documents (a new article's strike meets the
one the store holds), by the curated places they resolve to, what contains what and
how far apart they are (:func:`strike_rank`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from enum import Enum

from actorgraph.extraction.lexicon import GENERIC_PLACE_WORDS
from actorgraph.graph.model import (
    DatePrecision,
    Event,
    EventKind,
    GeoPrecision,
    Place,
    PlaceKind,
    distance_m,
)
from actorgraph.names.normalise import normal_form, slug, strip_articles


def place_words(place: str) -> set[str]:
    """The words of a place name that can tell it apart: normalised, without the article."""
    words = {w for w in strip_articles(normal_form(place)).split() if len(w) > 2}
    return words - GENERIC_PLACE_WORDS


_REFERENCE = re.compile(
    r"\b(?:near|outside|around|(?:north|south|east|west|northeast|northwest|southeast|"
    r"southwest)(?:ern)?\s+of)\s+",
    re.IGNORECASE,
)


def _where(place: str) -> tuple[set[str], set[str], set[str]]:
    """A place as ``(name, within, near)``: "Camp Taji, north of Baghdad" is
    ``({taji}, {taji}, {baghdad})``, "Nineveh, Iraq" ``({nineveh}, {nineveh, iraq}, {})``,
    "near Baghdad" ``({}, {}, {baghdad})``: a place north of Baghdad is not in Baghdad."""
    name: set[str] = set()
    within: set[str] = set()
    near: set[str] = set()
    for number, part in enumerate(place.split(",")):
        inside, *references = _REFERENCE.split(part)
        for reference in references:
            near |= place_words(reference)
        if number == 0:
            name = place_words(inside)
        within |= place_words(inside)
    return name, within, near


def same_place(a: str, b: str) -> bool:
    """Whether two place descriptions can name one place: one's name lies within the other.

    A place told only by what it is near ("north of Baghdad") is vague, and
    contradicts no named place.

    Examples
    --------
    >>> same_place("Camp Taji, north of Baghdad", "Taji"), same_place("Taji", "Nineveh")
    (True, False)
    >>> same_place("Camp Taji north of Baghdad", "Baghdad")
    False
    >>> same_place("near Baghdad", "Camp Taji, north of Baghdad")
    True
    """
    name_a, within_a, _ = _where(a)
    name_b, within_b, _ = _where(b)
    if not name_a or not name_b:
        return True
    return name_a <= within_b or name_b <= within_a


def _agree(a: str, b: str) -> bool:
    """Whether two places say the same, not merely do not contradict."""
    name_a, _, near_a = _where(a)
    name_b, _, near_b = _where(b)
    if name_a and name_b:
        return same_place(a, b)
    return bool((name_a | near_a) & (name_b | near_b))


Telling = tuple[EventKind, "dt.date | None", DatePrecision, str]
"""An event as one document tells it: kind, date, the date's precision, place."""


def compatible_dates(
    a: dt.date | None, a_precision: DatePrecision, b: dt.date | None, b_precision: DatePrecision
) -> bool:
    """Whether two dates can be one day's: within a day, at the coarser of their precisions."""
    if a is None or b is None:
        return True
    coarse = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}
    precision = max(a_precision, b_precision, key=coarse.__getitem__)
    if precision is DatePrecision.YEAR:
        return a.year == b.year
    if precision is DatePrecision.MONTH:
        return (a.year, a.month) == (b.year, b.month)
    return abs((a - b).days) <= 1


_ATTACK_OR_STRIKE = {EventKind.ATTACK, EventKind.STRIKE}


def same_event(a: Telling, b: Telling) -> bool:
    """The rule by which two tellings are one event: same kind, dates within a day, same place.

    An attack and a strike are of one kind: outlets call one strike "the attack".

    Dates compare at the coarser precision ("in 2020" can be 3 January
    2020). An unknown date or place does not contradict, but something must
    agree: two undated, unplaced tellings are not assumed to be one.

    Examples
    --------
    >>> day = DatePrecision.DAY
    >>> same_event((EventKind.STRIKE, dt.date(2020, 1, 3), day, "Camp Taji, north of Baghdad"),
    ...            (EventKind.STRIKE, dt.date(2020, 1, 4), day, "Taji"))
    True
    """
    _, date_a, _, place_a = a
    _, date_b, _, place_b = b
    return consistent(a, b) and (
        (date_a is not None and date_b is not None) or _agree(place_a, place_b)
    )


def consistent(a: Telling, b: Telling) -> bool:
    """Whether nothing in two tellings says they are different events."""
    kind_a, date_a, precision_a, place_a = a
    kind_b, date_b, precision_b, place_b = b
    kinds = {kind_a, kind_b}
    if len(kinds) > 1 and kinds != _ATTACK_OR_STRIKE:  # "the attack" may be the strike
        return False
    return compatible_dates(date_a, precision_a, date_b, precision_b) and same_place(
        place_a, place_b
    )


def event_id(kind: EventKind, date: dt.date | None, place: str) -> str:
    """A readable, deterministic event id: ``strike-2020-01-04-taji``."""
    # "Camp Taji north of Baghdad": camp-taji; "near Taji": taji
    where = next(filter(None, map(slug, _REFERENCE.split(place.split(",")[0]))), "")
    parts = [kind.value, date.isoformat() if date else "undated", where or "unplaced"]
    return "-".join(parts)


# -- across documents: one real strike, told by several outlets ----------------------

Where = tuple["str | None", "GeoPrecision | None", str]
"""Where a telling places an event: the curated place, how closely, and the place as said."""

_NEAR_KM = {  # how far apart two placings "near" one place can be and still be one place
    PlaceKind.CITY: 30.0,
    PlaceKind.DISTRICT: 10.0,
    PlaceKind.BASE: 10.0,
    PlaceKind.AIRPORT: 10.0,
    PlaceKind.CROSSING: 10.0,
    PlaceKind.LANDMARK: 10.0,
}
_AT_KM = 5.0
"""How far apart two placings "at" places can be and still be one place (a base by its
town)."""


class Placing(Enum):
    """How two tellings' places relate, the strongest first."""

    SAME = 0
    """One place, or places close enough, said closely enough to tell one strike."""
    INSIDE = 1
    """One lies inside the other (a base in its governorate), or they share a region."""
    UNKNOWN = 2
    """One telling gives no place."""
    APART = 3


def placing(a: Where, b: Where, places: Mapping[str, Place]) -> Placing:
    """How the places of two tellings relate.

    Two curated places are one when they are the same place or lie within a
    distance that grows as the telling is vaguer (5 km at a place, 10-30 km near
    it), unless either is said only as a region: two strikes "in Baghdad" a day
    apart may be two strikes. One inside the other (or a region's telling of a
    place inside it) is ``INSIDE``. Places as said that resolve to no curated one are
    compared by their words (:func:`same_place`).

    Examples
    --------
    >>> p = dict(lat=33.3, lon=44.4)
    >>> places = {"baghdad": Place(id="baghdad", name="Baghdad", kind="city", **p),
    ...           "airport": Place(id="airport", name="Airport", kind="airport",
    ...                            lat=33.26, lon=44.23, parent="baghdad")}
    >>> region = GeoPrecision.REGION
    >>> placing(("baghdad", region, "Baghdad"), ("baghdad", region, "Baghdad"), places).name
    'INSIDE'
    >>> placing(("airport", GeoPrecision.AT, "the airport"), ("baghdad", region, "Baghdad"),
    ...         places).name
    'INSIDE'
    """
    at_a, precision_a, said_a = a
    at_b, precision_b, said_b = b
    if at_a is not None and at_b is not None and at_a in places and at_b in places:
        place_a, place_b = places[at_a], places[at_b]
        regional = GeoPrecision.REGION in (precision_a, precision_b)
        if not regional and _close(place_a, precision_a, place_b, precision_b):
            return Placing.SAME
        if at_a == at_b or _within(at_a, at_b, places) or _within(at_b, at_a, places):
            return Placing.INSIDE
        return Placing.APART
    if not place_words(said_a) or not place_words(said_b):
        return Placing.UNKNOWN
    return Placing.SAME if _agree(said_a, said_b) else Placing.APART


def _close(
    a: Place, precision_a: GeoPrecision | None, b: Place, precision_b: GeoPrecision | None
) -> bool:
    if a.id == b.id:
        return True
    near = GeoPrecision.NEAR in (precision_a, precision_b)
    limit = max(_NEAR_KM.get(a.kind, 0.0), _NEAR_KM.get(b.kind, 0.0)) if near else _AT_KM
    return distance_m(a.lat, a.lon, b.lat, b.lon) <= limit * 1000


def _within(inner: str, outer: str, places: Mapping[str, Place]) -> bool:
    """Whether ``outer`` contains ``inner`` (through its parents)."""
    up, depth = places[inner].parent if inner in places else None, 0
    while up is not None and depth < 16:
        if up == outer:
            return True
        up, depth = (places[up].parent if up in places else None), depth + 1
    return False


PlacedTelling = tuple[EventKind, "dt.date | None", DatePrecision, Where]
"""A telling across documents: kind, date, the date's precision, where."""


def placed_telling(event: Event) -> PlacedTelling:
    """An event as a telling across documents."""
    return (
        event.kind,
        event.date,
        event.date_precision,
        (event.at, event.geo_precision, event.place),
    )


def by_day(date: dt.date | None, precision: DatePrecision) -> bool:
    """Whether a telling is dated to the day: only such tellings meet across documents."""
    return date is not None and precision is DatePrecision.DAY


def strike_rank(
    a: PlacedTelling,
    b: PlacedTelling,
    places: Mapping[str, Place],
    published: dt.date | None = None,
) -> tuple[int, int, int] | None:
    """How well a telling ``a`` fits a known event ``b`` (lower is better), or None when
    they are not one strike by the rule across documents:

    - the same kind (an attack and a strike are one kind); the known event dated to
      the day; the telling dated to the day too, at most a day apart;
    - or a telling dated only to a month or a year ("the 2020 killing of Soleimani
      outside Baghdad's airport"), or undated in a story ``published`` within a week
      after the event, at the same place or inside the event's region: the caller keeps
      it apart when two events fit it alike;
    - the places not apart (:func:`placing`); a day apart only at one spot smaller
      than a town (a base, a district, an airport): two strikes "in Baghdad" a day
      apart, the airport strike of 3 January and the Taji strike of the 4th, stay two.
    """
    kind_a, date_a, precision_a, where_a = a
    kind_b, date_b, precision_b, where_b = b
    if len({kind_a, kind_b}) > 1 and {kind_a, kind_b} != _ATTACK_OR_STRIKE:
        return None
    if date_b is None or not by_day(date_b, precision_b):
        return None  # only an event dated to the day is met
    how = placing(where_a, where_b, places)
    if how is Placing.APART:
        return None
    apart_km = _km_apart(where_a, where_b, places)
    if date_a is None or not by_day(date_a, precision_a):
        vaguely = (
            compatible_dates(date_a, precision_a, date_b, precision_b)
            if date_a is not None
            else published is not None and 0 <= (published - date_b).days <= _RECENT_DAYS
        )
        if not vaguely or how not in (Placing.SAME, Placing.INSIDE):
            return None
        return 2, how.value, apart_km
    gap = abs((date_a - date_b).days)
    if gap > 1:
        return None
    if gap == 1 and not (how is Placing.SAME and _pinpointed(where_a, where_b, places)):
        return None  # a day apart: only at one base, district or airport, not in one city
    return gap, how.value, apart_km


_RECENT_DAYS = 7
"""How long before a story's publication an event it tells of undated may be."""


def _km_apart(a: Where, b: Where, places: Mapping[str, Place]) -> int:
    """How far apart two tellings' places are, in whole km; 0 when either is unknown."""
    if a[0] is None or b[0] is None or a[0] not in places or b[0] not in places:
        return 0
    pa, pb = places[a[0]], places[b[0]]
    return round(distance_m(pa.lat, pa.lon, pb.lat, pb.lon) / 1000)


_AREAS = frozenset({PlaceKind.COUNTRY, PlaceKind.GOVERNORATE, PlaceKind.CITY})


def _pinpointed(a: Where, b: Where, places: Mapping[str, Place]) -> bool:
    """Whether either telling places the event at a spot smaller than a town."""
    return any(
        at is not None
        and at in places
        and places[at].kind not in _AREAS
        and precision is not GeoPrecision.REGION
        for at, precision, _ in (a, b)
    )
