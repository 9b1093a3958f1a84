"""Who a sentence speaks for, and whether it denies.

"According to X", "X said", "X's statement", "said by X" -- the strongest cue
wins, a denial first ("X denied", "X's denial"); "X is reporting:" hands the
speaker on to what follows (:func:`introduces`). No cue: the publisher speaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actorgraph.extraction.lexicon import (
    ACCORDING_TO,
    DENY,
    PLACE_BEFORE,
    SAID_BEFORE,
    SPEAKER_AFTER,
    SPEAKER_STATEMENT,
)
from actorgraph.extraction.results import FoundMention
from actorgraph.extraction.text import Sentence


@dataclass(frozen=True)
class Voice:
    """Who a sentence speaks for, and how."""

    speaker: str | None
    denies: bool


def voice(text: str, sent: Sentence, ms: list[FoundMention]) -> Voice:
    """The sentence's speaker, by the strongest cue: a denial, "according to", "X said"."""
    found: list[tuple[int, str, bool]] = []
    for m in ms:
        after = text[m.end : min(sent.end, m.end + 80)]
        before = text[max(sent.start, m.start - 60) : m.start]
        if PLACE_BEFORE.search(before):
            continue  # "officials with militias in Iraq said": a place, not a speaker
        said = SPEAKER_AFTER.match(after)
        if said is not None and not mention_between(ms, m.end, m.end + said.end()):
            denies = DENY.search(said.group(0)) is not None
            found.append((0 if denies else 3, m.actor, denies))
        elif ACCORDING_TO.search(before):
            found.append((1, m.actor, False))
        elif SPEAKER_STATEMENT.match(after):
            denies = re.match(r"^(?:[’']s)?\s+denials?", after, re.IGNORECASE) is not None
            found.append((0 if denies else 2, m.actor, denies))
        elif SAID_BEFORE.search(before):
            found.append((4, m.actor, DENY.search(before) is not None))
    if not found:
        return Voice(None, False)
    _, speaker, denies = min(found, key=lambda f: f[0])
    return Voice(speaker, denies)


def mention_between(ms: list[FoundMention], start: int, end: int) -> bool:
    return any(start <= m.start < end for m in ms)


def introduces(sentence: str) -> bool:
    """Whether a sentence hands over to what follows: "Israeli media is reporting:"."""
    return (
        sentence.rstrip().endswith(":")
        or re.search(r"\b(?:statement|following)\s*[.:]?$", sentence.rstrip(), re.IGNORECASE)
        is not None
    )
