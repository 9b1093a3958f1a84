"""When two tellings are one event: same kind, dates compatible, places compatible.

Used within one document (its tellings of one strike) and across documents
(a new article's strike meets the one the store holds).
"""

from __future__ import annotations

import datetime as dt
import re

from actorgraph.extraction.lexicon import GENERIC_PLACE_WORDS
from actorgraph.graph.model import DatePrecision, EventKind
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
