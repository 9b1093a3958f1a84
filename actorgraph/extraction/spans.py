"""Spans of a document's text, and finding those in a range quickly."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Generic, TypeVar

from actorgraph.extraction.results import FoundMention, FoundPlace


@dataclass
class Span:
    start: int
    end: int
    text: str
    sentence_initial: bool
    place: bool = False


_S = TypeVar("_S", FoundMention, FoundPlace, Span)


class ByStart(Generic[_S]):
    """Spans of text sorted by where they start, for finding those in a range by bisection."""

    def __init__(self, items: list[_S]) -> None:
        self.items: list[_S] = sorted(items, key=lambda item: item.start)
        self.starts = [item.start for item in self.items]

    def within(self, start: int, end: int) -> list[_S]:
        """Those starting in ``[start, end)``."""
        return self.items[bisect_left(self.starts, start) : bisect_left(self.starts, end)]

    def overlapping(self, start: int, end: int) -> list[_S]:
        """Those (none overlapping each other) that overlap ``[start, end)``."""
        first = bisect_left(self.starts, start)
        before = self.items[first - 1 : first] if first else []
        return [i for i in before if i.end > start] + self.items[
            first : bisect_left(self.starts, end)
        ]

    def covering(self, at: int) -> bool:
        """Whether one of them (none overlapping) covers offset ``at``."""
        last = bisect_right(self.starts, at) - 1
        return last >= 0 and self.items[last].end > at
