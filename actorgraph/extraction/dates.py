"""Dates in article text: absolute ("February 7", "Dec 29, 2019") and relative
("Wednesday night", "late on Friday", "24hrs ago", "tonight"), resolved
against the document's publication date, with the precision the text gives.

Parsing a written date is :func:`dateutil.parser.parse`'s job and stepping
back to a weekday :class:`dateutil.relativedelta.relativedelta`'s; this
module only finds the expressions and says what they are relative to.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil import parser as date_parser
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta, weekday

from actorgraph.graph.model import DatePrecision

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:19|20)\d\d"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("day", re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+{_YEAR})?\b(?!:)")),
    ("day", re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b")),
    ("day", re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")),
    ("month", re.compile(rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b")),
    ("weekday", re.compile(rf"\b(?:(last|this|next)\s+)?{_WEEKDAY}\b")),
    ("ago", re.compile(r"\b(\d+)\s*(hours?|hrs?|days?)\s+ago\b", re.IGNORECASE)),
    ("yesterday", re.compile(r"\byesterday\b", re.IGNORECASE)),
    ("today", re.compile(r"\b(?:today|tonight|this morning|this evening|overnight)\b", re.I)),
    ("year", re.compile(rf"\b(?:in|the|of|since)\s+({_YEAR})\b")),
]


@dataclass(frozen=True)
class DateMention:
    """A date named at ``text[start:end]``, resolved to ``date`` at ``precision``."""

    date: dt.date
    precision: DatePrecision
    start: int
    end: int


def find_dates(text: str, published: dt.date | None) -> list[DateMention]:
    """The dates ``text`` names, in text order, none overlapping.

    Relative expressions need ``published``; without it they are skipped.
    A month and day without a year take the latest year that does not put
    them after publication.

    Examples
    --------
    >>> day = dt.date(2024, 2, 8)   # a Thursday
    >>> [(d.date.isoformat(), d.precision.value) for d in find_dates(
    ...     "a strike Wednesday night, after the attack of January 28 and the 2020 killing", day)]
    [('2024-02-07', 'day'), ('2024-01-28', 'day'), ('2020-01-01', 'year')]
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            resolved = _resolve(kind, m, published)
            if resolved is not None:
                found.append(DateMention(resolved[0], resolved[1], m.start(), m.end()))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _resolve(
    kind: str, m: re.Match[str], published: dt.date | None
) -> tuple[dt.date, DatePrecision] | None:
    if kind in ("day", "month"):
        return _absolute(m.group(0), kind, published)
    if kind == "year":
        return dt.date(int(m.group(1)), 1, 1), DatePrecision.YEAR
    if published is None:
        return None
    if kind == "weekday":
        which = (m.group(1) or "").lower()
        day = (MO, TU, WE, TH, FR, SA, SU)[_DAYS.index(m.group(0).split()[-1].lower())]
        return _weekday(published, day, which), DatePrecision.DAY
    if kind == "ago":
        amount = int(m.group(1))
        days = amount if m.group(2).lower().startswith("d") else amount // 24
        return published - dt.timedelta(days=days), DatePrecision.DAY
    if kind == "yesterday":
        return published - dt.timedelta(days=1), DatePrecision.DAY
    return published, DatePrecision.DAY


def _absolute(
    written: str, kind: str, published: dt.date | None
) -> tuple[dt.date, DatePrecision] | None:
    has_year = re.search(_YEAR, written) is not None
    if not has_year and published is None:
        return None
    anchor = published or dt.date(2000, 1, 1)
    default = dt.datetime(anchor.year, anchor.month if kind == "day" else 1, 1)
    try:
        parsed = date_parser.parse(written.replace(" of ", " "), default=default).date()
    except (ValueError, OverflowError):
        return None
    if kind == "month":
        return parsed.replace(day=1), DatePrecision.MONTH
    if not has_year and published is not None and parsed > published + dt.timedelta(days=1):
        parsed = parsed.replace(year=parsed.year - 1)  # "December 29" in a January article
    return parsed, DatePrecision.DAY


def _weekday(published: dt.date, day: weekday, which: str) -> dt.date:
    """The weekday meant: the latest on or before publication ("last": strictly before)."""
    if which == "next":
        return published + relativedelta(days=+1, weekday=day(+1))
    if which == "last":
        return published + relativedelta(days=-1, weekday=day(-1))
    return published + relativedelta(weekday=day(-1))
