"""Casualty figures: how many a sentence says were killed and injured, each a range.

The rule, after the conventions of ACLED (fatalities) and UCDP (low, best, high):

- a number is its own low and high ("six": 6-6); "at least", "more than" (one more)
  give only a low, "up to", "nearly", "fewer than" only a high, "between five and
  seven" both; "about", "some" keep the number;
- vague words as ACLED codes them: "several" and "a number of" 3 or more (a number of
  only with a count noun after it), "dozens" 24 or more, "scores" 40 or more,
  "hundreds" 200 or more; "a dozen" 12, "both" 2, "a single", "another" 1;
- numbers joined by "and" before one casualty word add up: "two US service members and
  one UK service member dead" is 3, "killing both men and ten others" 12;
- a number counts the killed when a word of death is next to it ("six dead", "killed
  six", "a toll of eight", "both died of their wounds"), the injured when a word of
  injury is ("25 injured", "wounding three"); a killed and an injured count joined by
  "and" or "with" are one figure: "24 dead, with 51 wounded";
- "no civilian casualties" is 0 civilians killed; "nobody was harmed" 0 killed and 0
  injured; a share of a count given before ("13 of them in Mayadin") is no new figure;
- whom: civilians when the counted are called civilians (or contractors), combatants
  when fighters, members, soldiers, commanders, guards, martyrs and the like, else unknown
  ("people", "others").

Numbers in words are read by ``number_parser``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from number_parser import parse_number

from actorgraph.graph.model import Whom

Count = tuple[int | None, int | None]
"""A range, ``(low, high)``; None where the words leave it open."""


@dataclass(frozen=True)
class Figure:
    """One figure a sentence gives: at ``start:end`` of the sentence, the words giving it."""

    killed: Count | None
    injured: Count | None
    whom: Whom
    start: int
    end: int


_UNITS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand"
)
_WORDS = rf"(?:{_UNITS})(?:[\s-]+(?:{_UNITS}))*"
_VAGUE = {
    "several": (3, None),
    "dozens": (24, None),
    "dozens of": (24, None),
    "scores": (40, None),
    "scores of": (40, None),
    "hundreds": (200, None),
    "hundreds of": (200, None),
    "a dozen": (12, 12),
    "both": (2, 2),
    "a single": (1, 1),
    "another": (1, 1),
}
_QUANTITY = re.compile(
    r"(?<![\w:.,-])(?:(?P<mod>at\s+least|more\s+than|over|up\s+to|nearly|almost|about|around|"
    r"some|roughly|fewer\s+than|as\s+many\s+as|(?P<between>between))\s+)?"
    rf"(?:all\s+)?(?P<n>\d[\d,]*|{_WORDS}|several|dozens(?:\s+of)?|"
    r"scores(?:\s+of)?|hundreds(?:\s+of)?|a\s+dozen|both|a\s+single|another)"
    rf"(?(between)\s+and\s+(?P<upper>\d[\d,]*|{_WORDS}))"
    r"(?![\w:-]|[.,]\d)",
    re.IGNORECASE,
)
_CALENDAR = re.compile(
    r"^\s+(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|km|kilomet|mile|metre|meter|"
    r"hours?|days?|weeks?|months?|years?|minutes?|p\.?m|a\.?m|per\s*cent)(?![\w])|^\s*%",
    re.IGNORECASE,
)
_MONTH_BEFORE = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\s+$",
    re.IGNORECASE,
)
_DEATH = (
    r"killed|killing|kills|dead|deaths?|died|die|dies|martyrs?|martyred|martyrdom|"
    r"lost\s+their\s+lives|bodies|corpses"
)
_INJURY = r"wounded|wounding|injured|injuring|injur(?:y|ies)|hurt|wounds"
_ROLE = re.compile(rf"\b(?:(?P<death>{_DEATH})|(?P<injury>{_INJURY}))\b", re.IGNORECASE)
_DIED_OF_WOUNDS = re.compile(r"\bdied\s+(?:later\s+)?of\s+(?:their|his|her)\s+wounds\b", re.I)
_VERB_BEFORE = re.compile(
    r"\b(?:(?P<death>killed|killing|kills|martyred|left|toll\s+(?:at|of|to|rose\s+to|stood\s+at)"
    r"|figure\s+at|number\s+of\s+(?:dead|deaths|victims)\s+(?:at|to)|(?:death|casualty)\s+toll\s+of)"
    r"|(?P<injury>wounded|wounding|injured|injuring))\s+(?:at\s+least\s+|more\s+than\s+)?$",
    re.IGNORECASE,
)
_ROLE_WINDOW = 9
"""Words after a count within which its word of death or injury stands."""
_SHARE = re.compile(
    r"^\s+of\s+(?:them|whom|those|the\s+(?:dead|wounded|injured|killed))\b", re.IGNORECASE
)
_THINGS = re.compile(
    r"^(?:\s+[\w’'.-]+){0,3}?\s+(?:vehicles?|cars?|SUVs?|trucks?|convoys?|sites?|targets?|"
    r"facilities|facility|locations?|depots?|bases?|buildings?|rockets?|missiles?|drones?|"
    r"bombs?|shells?|strikes?|raids?|aircraft|planes?|times)\b",
    re.IGNORECASE,
)
_AMONG = re.compile(r"\bamong\s+(?:the\s+)?$", re.IGNORECASE)
_JOIN = re.compile(r"^[^,;:]*?\s(?:and|plus)\s*$", re.IGNORECASE)
_STOP = re.compile(r"[;:]|\s[—–]\s")
_PERSONS = re.compile(
    r"\b(?:people|persons?|men|women|children|others|individuals|civilians?|contractors?|"
    r"fighters?|militiamen|militants?|members?|soldiers?|troops|service\s*(?:wo)?m[ae]n|"
    r"commanders?|leaders?|officers?|officials?|advisers?|advisors?|guards?|brothers|"
    r"reservists?|policemen|personnel|guests?|figures|iranians|iraqis|americans|"
    r"martyrs?|dead|wounded|injured|killed)\b",
    re.IGNORECASE,
)
_CIVILIANS = re.compile(r"\b(?:civilians?|contractors?)\b", re.IGNORECASE)
_COMBATANTS = re.compile(
    r"\b(?:fighters?|militiamen|militants?|members?|soldiers?|troops|service\s*(?:wo)?m[ae]n|"
    r"commanders?|leaders?|officers?|advisers?|advisors?|guards?|brothers|reservists?|"
    r"policemen|personnel|martyrs?|martyred)\b",
    re.IGNORECASE,
)
_UNKNOWN_WHOM = re.compile(r"\b(?:people|persons?|others|individuals|guests?)\b", re.I)
_NONE = re.compile(
    r"\b(?P<none>no|nobody|no\s+one|none)\b"
    r"(?:\s+(?:sign|signs|indications?|reports?)\s+(?:at\s+present\s+)?of)?"
    r"(?:\s+collateral\s+damage\s+or)?"
    r"(?P<civilians>\s+civilians?)?\s+"
    r"(?:(?P<casualties>casualties)"
    r"|(?:was|were|had\s+been|has\s+been|have\s+been)\s+(?:\w+\s+)?"
    r"(?:(?P<harmed>harmed|hurt)|(?P<killed>killed|among\s+(?:them|the\s+dead))"
    r"|(?P<injured>injured|wounded)))\b",
    re.IGNORECASE,
)


@dataclass
class _Count:
    low: int | None
    high: int | None
    start: int
    end: int
    role: str | None = None  # "death" or "injury"
    role_after: bool = False  # said by a word after the count ("six dead"), not before it
    word_after: bool = False  # a word of death or injury follows it, before the next count
    role_end: int = 0
    whom: Whom = Whom.UNKNOWN
    persons: bool = False  # a word for people follows it before its role word


def figures(sentence: str) -> list[Figure]:
    """The casualty figures a sentence gives, in order.

    Examples
    --------
    >>> [(f.killed, f.injured, f.whom.value) for f in figures(
    ...     "Three US service members have been killed and 25 injured in a drone attack.")]
    [((3, 3), (25, 25), 'combatants')]
    >>> [(f.killed, f.injured) for f in figures("Local reports say at least 25 were killed.")]
    [((25, None), None)]
    >>> [(f.killed, f.whom.value) for f in figures("It said there were no civilian casualties.")]
    [((0, 0), 'civilians')]
    """
    counts = _counts(sentence)
    _read_roles(sentence, counts)
    found = [_figure(group) for group in _groups(sentence, counts)]
    found = _pair_killed_and_injured(sentence, found)
    found += _zeros(sentence)
    return sorted(found, key=lambda f: f.start)


def _counts(sentence: str) -> list[_Count]:
    counts = []
    for m in _QUANTITY.finditer(sentence):
        after = sentence[m.end() :]
        if _CALENDAR.match(after) or _MONTH_BEFORE.search(sentence[: m.start()]):
            continue  # "28 January", "15 kilometres", "24 hours"
        thing = _THINGS.match(after)
        if _SHARE.match(after) or (thing and not _ROLE.search(thing.group(0))):
            continue  # "13 of them": a share of a count told before; "two vehicles"
        word = re.sub(r"\s+", " ", m.group("n").lower())
        low: int | None
        high: int | None
        if word in _VAGUE:
            low, high = _VAGUE[word]
        else:
            value = _number(word)
            if value is None or (word.isdigit() and len(word) == 4 and 1900 < value < 2100):
                continue  # no count, or a year
            low = high = value
        mod = re.sub(r"\s+", " ", (m.group("mod") or "").lower())
        upper = _number(m.group("upper").lower()) if m.group("upper") else None
        if mod == "between" and upper is not None:
            high = upper
        elif mod == "at least":
            high = None
        elif mod in ("more than", "over"):
            low, high = (None if low is None else low + 1), None
        elif mod in ("up to", "nearly", "almost", "as many as"):
            low = None
        elif mod == "fewer than":
            low, high = None, (None if high is None else high - 1)
        counts.append(_Count(low, high, m.start(), m.end()))
    return counts


@lru_cache(maxsize=4096)
def _number(word: str) -> int | None:
    """The number a numeral or number words say; number-parser builds its word lists on
    each call (3 ms), so each word is read once."""
    if word[0].isdigit():
        return int(word.replace(",", ""))
    value = parse_number(word)
    return value if isinstance(value, int) else None


def _read_roles(sentence: str, counts: list[_Count]) -> None:
    """Each count's role (killed or injured) and whom, from the words around it."""
    for number, count in enumerate(counts):
        limit = counts[number + 1].start if number + 1 < len(counts) else len(sentence)
        stop = _STOP.search(sentence, count.end, limit)
        window = sentence[count.end : stop.start() if stop else limit]
        near = " ".join(window.split()[:_ROLE_WINDOW])
        role = _ROLE.search(near)
        if role is not None and _AMONG.search(near[: role.start()]):
            role = None  # "four commanders were among the dead": who, not how many
        count.word_after = role is not None
        before = _VERB_BEFORE.search(sentence[max(0, count.start - 40) : count.start])
        if before is not None and before.group(0).split()[0].lower() != "left":
            # "killed six people and wounded three": the verb before says it first
            count.role = "death" if before.group("death") else "injury"
            count.start -= len(before.group(0))  # the words giving the figure
            count.role_end = count.end
        elif role is not None:
            died = role.group("death") or _DIED_OF_WOUNDS.search(near)
            count.role = "death" if died else "injury"
            count.role_after = True
            count.role_end = count.end + window.find(role.group(0)) + len(role.group(0))
        counted = near[: role.end()] if role is not None else near  # "two martyrs"
        count.persons = _PERSONS.search(counted) is not None
        count.whom = _whom(counted)


def _whom(counted: str) -> Whom:
    """Whom the first word for people names: "16 people, civilians among them" are people."""
    said = [
        (m.start(), whom)
        for pattern, whom in (
            (_CIVILIANS, Whom.CIVILIANS),
            (_COMBATANTS, Whom.COMBATANTS),
            (_UNKNOWN_WHOM, Whom.UNKNOWN),
        )
        if (m := pattern.search(counted)) is not None
    ]
    return min(said, key=lambda s: s[0])[1] if said else Whom.UNKNOWN


def _groups(sentence: str, counts: list[_Count]) -> list[list[_Count]]:
    """Counts that add up, each chain with one role: "three militiamen and two advisers were
    wounded" (the role after the last), "killing both men and ten others" (before the
    first). A count that says its own role after it ends its chain; counts without a role
    are no figure."""
    groups: list[list[_Count]] = []
    chain: list[_Count] = []
    for count in counts:
        joined = (
            chain
            and not chain[-1].word_after
            and chain[-1].persons
            and _JOIN.match(sentence[chain[-1].end : count.start])
        )
        if not joined:
            if chain:
                groups.append(chain)
            chain = []
        chain.append(count)
    if chain:
        groups.append(chain)
    found = []
    for group in groups:
        role = group[-1].role if group[-1].role_after else group[0].role
        if role is not None:
            found.append(group)
            for count in group:
                count.role = role
    return found


def _figure(group: list[_Count]) -> Figure:
    lows = [c.low for c in group]
    highs = [c.high for c in group]
    low = sum(x for x in lows if x is not None) if any(x is not None for x in lows) else None
    high = None if any(x is None for x in highs) else sum(x for x in highs if x is not None)
    whoms = {c.whom for c in group}
    whom = whoms.pop() if len(whoms) == 1 else Whom.UNKNOWN
    count: Count = (low, high)
    death = group[-1].role == "death"
    end = max(c.role_end or c.end for c in group)
    return Figure(count if death else None, None if death else count, whom, group[0].start, end)


_PAIR_GAP = 6
"""Words at most between a killed and an injured count that make one figure."""


def _pair_killed_and_injured(sentence: str, found: list[Figure]) -> list[Figure]:
    """A killed and an injured count joined by "and" or "with" make one figure: "killed six
    people and critically wounded three", "24 dead, with 51 wounded"."""
    paired: list[Figure] = []
    for figure in found:
        last = paired[-1] if paired else None
        between = sentence[last.end : figure.start] if last is not None else ""
        if (
            last is not None
            and (last.killed is None) != (figure.killed is None)
            and (last.injured is None) != (figure.injured is None)
            and len(between.split()) <= _PAIR_GAP
            and re.search(r"\b(?:and|with)\b|^\s*,\s*$", between) is not None
        ):
            paired[-1] = Figure(
                last.killed or figure.killed,
                last.injured or figure.injured,
                last.whom,
                last.start,
                figure.end,
            )
        else:
            paired.append(figure)
    return paired


def _zeros(sentence: str) -> list[Figure]:
    found = []
    for m in _NONE.finditer(sentence):
        whom = Whom.CIVILIANS if m.group("civilians") else Whom.UNKNOWN
        zero: Count = (0, 0)
        if m.group("harmed"):
            killed, injured = zero, zero
        elif m.group("injured"):
            killed, injured = None, zero
        else:  # "no civilian casualties", "none were killed", "no civilians among them"
            killed, injured = zero, None
        found.append(Figure(killed, injured, whom, m.start(), m.end()))
    return found
