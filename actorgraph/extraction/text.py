"""Article text cut into paragraphs and sentences, each with its offsets.

Sentences come from spaCy's rule-based ``sentencizer`` on a blank English
pipeline (no model to download): it knows "U.S.", "p.m." and "Gen." are not
sentence ends. Paragraphs (blank-line separated) are cut first, so a
sentence never runs across one, and a paragraph too long for one pass is
cut at white space into bounded pieces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

_PARAGRAPH = re.compile(r"\n[ \t\u00a0]*\n\s*")
_PIECE = 100_000  # characters per spaCy pass: bounded memory and time on any input


@dataclass(frozen=True)
class Sentence:
    """``text[start:end]``, in paragraph number ``paragraph``."""

    start: int
    end: int
    paragraph: int
    text: str


@cache
def _pipeline() -> Any:
    import spacy  # imported here: loading spaCy takes a second the other commands need not pay

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = _PIECE + 1
    return nlp


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """The ``(start, end)`` of each non-blank paragraph of ``text``."""
    start = 0
    for gap in _PARAGRAPH.finditer(text):
        if text[start : gap.start()].strip():
            yield start, gap.start()
        start = gap.end()
    if text[start:].strip():
        yield start, len(text)


def _pieces(start: int, end: int, text: str) -> Iterator[tuple[int, int]]:
    while end - start > _PIECE:
        cut = text.rfind(" ", start + _PIECE // 2, start + _PIECE)
        cut = cut if cut > start else start + _PIECE
        yield start, cut
        start = cut
    yield start, end


def sentences(text: str) -> list[Sentence]:
    """Every sentence of ``text``, stripped of surrounding white space, in order.

    Examples
    --------
    >>> [s.text for s in sentences("U.S. forces struck on Friday. Gen. X died.\\n\\nA new one")]
    ['U.S. forces struck on Friday.', 'Gen. X died.', 'A new one']
    """
    nlp = _pipeline()
    out: list[Sentence] = []
    for number, (p_start, p_end) in enumerate(paragraphs(text)):
        for start, end in _pieces(p_start, p_end, text):
            for sent in nlp(text[start:end]).sents:
                s = start + sent.start_char
                e = start + sent.end_char
                while s < e and text[s].isspace():
                    s += 1
                while e > s and text[e - 1].isspace():
                    e -= 1
                if s < e:
                    out.append(Sentence(s, e, number, text[s:e]))
    return out
