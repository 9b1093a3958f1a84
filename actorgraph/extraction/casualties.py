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

from actorgraph.extraction.lexicon import (
    AMONG_BEFORE,
    CIVILIANS,
    COMBATANTS,
    COUNT_STOP,
    COUNT_VERB_BEFORE,
    COUNTS_JOINED,
    DEATH_OR_INJURY,
    DIED_OF_WOUNDS,
    MONTH_BEFORE,
    NO_ONE,
    NOT_A_COUNT_AFTER,
    PERSONS,
    QUANTITY,
    SHARE_AFTER,
    THINGS_AFTER,
    UNKNOWN_WHOM,
    VAGUE_COUNTS,
)
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


_ROLE_WINDOW = 9
"""Words after a count within which its word of death or injury stands."""


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
    for m in QUANTITY.finditer(sentence):
        after = sentence[m.end() :]
        if NOT_A_COUNT_AFTER.match(after) or MONTH_BEFORE.search(sentence[: m.start()]):
            continue  # "28 January", "15 kilometres", "24 hours"
        thing = THINGS_AFTER.match(after)
        if SHARE_AFTER.match(after) or (thing and not DEATH_OR_INJURY.search(thing.group(0))):
            continue  # "13 of them": a share of a count told before; "two vehicles"
        word = re.sub(r"\s+", " ", m.group("n").lower())
        low: int | None
        high: int | None
        if word in VAGUE_COUNTS:
            low, high = VAGUE_COUNTS[word]
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
        stop = COUNT_STOP.search(sentence, count.end, limit)
        window = sentence[count.end : stop.start() if stop else limit]
        near = " ".join(window.split()[:_ROLE_WINDOW])
        role = DEATH_OR_INJURY.search(near)
        if role is not None and AMONG_BEFORE.search(near[: role.start()]):
            role = None  # "four commanders were among the dead": who, not how many
        count.word_after = role is not None
        before = COUNT_VERB_BEFORE.search(sentence[max(0, count.start - 40) : count.start])
        if before is not None:
            # "killed six people and wounded three": the verb before says it first
            count.role = "death" if before.group("death") else "injury"
            count.start -= len(before.group(0))  # the words giving the figure
            count.role_end = count.end
        elif role is not None:
            died = role.group("death") or DIED_OF_WOUNDS.search(near)
            count.role = "death" if died else "injury"
            count.role_after = True
            count.role_end = count.end + window.find(role.group(0)) + len(role.group(0))
        counted = near[: role.end()] if role is not None else near  # "two martyrs"
        count.persons = PERSONS.search(counted) is not None
        count.whom = _whom(counted)


def _whom(counted: str) -> Whom:
    """Whom the first word for people names: "16 people, civilians among them" are people."""
    said = [
        (m.start(), whom)
        for pattern, whom in (
            (CIVILIANS, Whom.CIVILIANS),
            (COMBATANTS, Whom.COMBATANTS),
            (UNKNOWN_WHOM, Whom.UNKNOWN),
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
            and COUNTS_JOINED.match(sentence[chain[-1].end : count.start])
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
    for m in NO_ONE.finditer(sentence):
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
