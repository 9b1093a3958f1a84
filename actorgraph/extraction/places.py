"""Where a text says something happened: place names matched to the curated places, and how
closely a phrase places an event there.

A name matches a place when its words, normalised and without the Arabic
article, are a place's name or alias, or spell it another way (one consonant
skeleton per word, as actors' names are matched: Bagdad is Baghdad). A phrase
("near Camp Taji", "Taji, north of Baghdad", "the eastern Baghdad neighbourhood
of Al Mashtal") resolves to the most specific place it names, and to a
:class:`~actorgraph.graph.model.GeoPrecision`, as ACLED codes it: 1 at the
place, 2 near it, 3 when the place is only a region (a governorate, a country).
A name that matches no place resolves to nothing: never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein

from actorgraph.extraction.lexicon import (
    CONNECTORS,
    LANDMARK_AFTER,
    LOCATIVE,
    NEAR_PLACE,
    PLACE_LIST,
    PLACE_NOUNS,
)
from actorgraph.extraction.results import FoundMention, FoundPlace
from actorgraph.extraction.spans import ByStart
from actorgraph.graph.model import GeoPrecision, Place, PlaceKind
from actorgraph.names.normalise import is_arabic, normal_form, strip_articles
from actorgraph.names.search import SKELETON_GATE, word_skeleton

_LONGEST = 6
"""Words in the longest place name matched."""
_REMEMBERED = 50_000
"""Words and phrases whose lookup the gazetteer keeps."""
_MIN_SKELETON = 4
"""Letters a word needs before another spelling of it may match (Hit is no Hot)."""
_REGIONS = frozenset({PlaceKind.COUNTRY, PlaceKind.GOVERNORATE})
_SPECIFIC = {  # the smaller the place, the more it says
    PlaceKind.COUNTRY: 0,
    PlaceKind.GOVERNORATE: 1,
    PlaceKind.CITY: 2,
    PlaceKind.DISTRICT: 3,
    PlaceKind.CROSSING: 3,
    PlaceKind.BASE: 4,
    PlaceKind.AIRPORT: 4,
    PlaceKind.LANDMARK: 4,
}
_WORD = re.compile(r"[^\s/—–]+")
_ARTICLE_FORM = re.compile(r"(?:al|el|ad|as|ash|ar|az|ez)-\w")


class Gazetteer:
    """The curated places, by every name and spelling of them.

    Examples
    --------
    >>> taji = Place(id="camp-taji", name="Camp Taji", kind="base", lat=33.53, lon=44.28,
    ...              parent="taji")
    >>> town = Place(id="taji", name="Taji", kind="city", lat=33.52, lon=44.27)
    >>> g = Gazetteer([taji, town])
    >>> [(m.place.id, m.start, m.end) for m in g.find("They struck near Camp Taji at night")]
    [('camp-taji', 17, 26)]
    >>> g.resolve("near Camp Taji")[0].id, g.resolve("near Camp Taji")[1].value
    ('camp-taji', 2)
    """

    def __init__(self, places: Iterable[Place]) -> None:
        self.places = {p.id: p for p in places}
        self._exact: dict[str, Place] = {}
        self._spelt: dict[str, Place | None] = {}  # None: two places spelt alike
        self._looked: dict[str, Place | None] = {}
        self._opens: dict[str, bool] = {}
        for place in self.places.values():
            for name in place.names:
                key = _key(name)
                if key:
                    self._exact.setdefault(key, place)
                    skeleton = _skeleton(key)
                    if skeleton is not None and self._spelt.get(skeleton, place) is place:
                        self._spelt[skeleton] = place
                    elif skeleton is not None:
                        self._spelt[skeleton] = None
        keys = [k for k in self._exact if k]
        self._firsts = {k.split()[0] for k in keys}
        self._first_skeletons = {word_skeleton(k.split()[0]) for k in keys}

    def mentioned(self, text: str, actors: Iterable[FoundMention]) -> list[FoundPlace]:
        """The places a document names, as places: not inside an actor's name ("Islamic
        Resistance in Iraq"), and where a name is also an actor's ("Iraq"), only after a
        word that makes it a place ("in Iraq")."""
        named = ByStart(list(actors))
        found: list[FoundPlace] = []
        for match in self.find(text):
            if LANDMARK_AFTER.match(text[match.end : match.end + 40]):
                continue  # a landmark named after the place, not curated: no guess
            over = named.overlapping(match.start, match.end)
            if any(m.start < match.start or m.end > match.end for m in over):
                continue  # a word of a longer actor name ("Islamic Resistance in Iraq")
            whole = [m for m in over if (m.start, m.end) == (match.start, match.end)]
            if whole and not self._a_place_here(text, match, found):
                continue  # the actor of that name, acting ("Iraq said", "Iran's Quds Force")
            found.append(match)
        return found

    @staticmethod
    def _a_place_here(text: str, match: FoundPlace, before: list[FoundPlace]) -> bool:
        """Whether a name that is also an actor's stands for the place where it stands."""
        if text.startswith(("'s", "’s"), match.end):
            return False
        if LOCATIVE.search(text[max(0, match.start - 40) : match.start]):
            return True
        last = before[-1] if before else None  # "in Iraq and Syria": a list of places
        return last is not None and PLACE_LIST.fullmatch(text[last.end : match.start]) is not None

    def find(self, text: str) -> list[FoundPlace]:
        """The places ``text`` names, longest names first, none overlapping, in text order.

        Only capitalised (or Arabic-script) names count: "hit" is a verb, "Hit" a town.
        """
        if not self.places:
            return []
        words = [m for m in _WORD.finditer(text)]
        found: list[FoundPlace] = []
        i = 0
        while i < len(words):
            # only a run of name-like words, its first a place name's first, can be a name
            run = _name_run(words, i) if self._may_open(words[i].group()) else 0
            match = None
            for n in range(run, 0, -1):
                first, last = words[i], words[i + n - 1]
                start = _lead(text, first)
                phrase = text[start : _trimmed_end(text, last)]
                if not _named(phrase):
                    continue
                place = self._lookup(phrase)
                if place is not None:
                    match = FoundPlace(place, phrase, start, start + len(phrase))
                    break
            if match is not None:
                found.append(match)
                i += n
            else:
                i += 1
        return found

    def resolve(self, phrase: str) -> tuple[Place, GeoPrecision] | None:
        """The place a phrase puts an event at, and how closely; None if it names none."""
        named = self.find(phrase)
        if not named:
            return None
        best = max(named, key=lambda m: (self._depth(m.place), -m.start))
        if best.place.kind in _REGIONS:
            return best.place, GeoPrecision.REGION
        before = phrase[: best.start]
        if NEAR_PLACE.search(before) or (best is named[0] and NEAR_PLACE.search(phrase)):
            return best.place, GeoPrecision.NEAR
        return best.place, GeoPrecision.AT

    def _may_open(self, word: str) -> bool:
        """Whether a word can be the first of a place's name, in some spelling."""
        if word not in self._opens:
            if len(self._opens) >= _REMEMBERED:
                self._opens.clear()
            key = _key(word.strip("\"'“‘()*,.;:")).split()
            first = key[0] if key else ""
            self._opens[word] = bool(first) and (
                first in self._firsts or word_skeleton(first) in self._first_skeletons
            )
        return self._opens[word]

    def _lookup(self, phrase: str) -> Place | None:
        if phrase not in self._looked:  # a text names its places again and again
            if len(self._looked) >= _REMEMBERED:
                self._looked.clear()  # a long load's names need not all stay
            self._looked[phrase] = self._match(phrase)
        return self._looked[phrase]

    def _match(self, phrase: str) -> Place | None:
        key = _key(phrase)
        if not key:
            return None
        exact = self._exact.get(key)
        if exact is not None:
            return exact
        skeleton = _skeleton(key)
        place = None if skeleton is None else self._spelt.get(skeleton)
        if place is None:
            return None
        near = max(Levenshtein.normalized_similarity(key, _key(n)) for n in place.names)
        return place if near >= SKELETON_GATE or is_arabic(key) else None  # not Saraya, Syria

    def _depth(self, place: Place) -> tuple[int, int]:
        """How specific a place is: its kind, then how many places contain it."""
        depth, up = 0, place.parent
        while up is not None and up in self.places and depth < 16:
            depth, up = depth + 1, self.places[up].parent
        return _SPECIFIC[place.kind], depth


_POSSESSIVE = re.compile(r"[’']s\b")


def _name_run(words: list[re.Match[str]], i: int) -> int:
    """How many words from the ``i``-th could be one name: it starts like a name, and those
    after it are names, articles or place nouns (at most :data:`_LONGEST`)."""
    if not _starts_name(words[i].group().lstrip("\"'“‘(*")):
        return 0
    n = 1
    while n < _LONGEST and i + n < len(words):
        word = words[i + n].group().strip("\"'“‘()*,.;:")
        low = word.lower()
        if not (_starts_name(word) or low.rstrip("-") in CONNECTORS or low in PLACE_NOUNS):
            break
        n += 1
    return n


def _starts_name(word: str) -> bool:
    return bool(word) and (
        word[0].isupper()
        or word[0].isdigit()
        or not word[0].isascii()
        or _ARTICLE_FORM.match(word) is not None
    )


def _key(name: str) -> str:
    """A name's words, normalised, without the Arabic article or a possessive ("Baghdad's
    airport" is Baghdad airport)."""
    return strip_articles(normal_form(_POSSESSIVE.sub("", name)))


def _skeleton(key: str) -> str | None:
    """The spelling-free form of a normalised name; None when a word is too short for it."""
    words = key.split()
    if not words or any(len(w) < _MIN_SKELETON and not w.isdigit() for w in words):
        return None
    return " ".join(word_skeleton(w) for w in words)


def _trimmed_end(text: str, word: re.Match[str]) -> int:
    """Where a word ends, without trailing punctuation or a possessive ("Baghdad's,")."""
    end = word.end()
    while end > word.start() and not text[end - 1].isalnum():
        end -= 1
    if text[word.start() : end].endswith(("'s", "’s")):
        end -= 2
    return end


def _lead(text: str, word: re.Match[str]) -> int:
    """Where a word's first letter or digit is, after opening punctuation ("**Amerli")."""
    start = word.start()
    while start < word.end() - 1 and not text[start].isalnum():
        start += 1
    return start


def _named(phrase: str) -> bool:
    """Whether a phrase is written as a name: its words capitalised, bar articles and 'of',
    and maybe ending in place nouns ("Baghdad airport")."""
    words = [w.strip("\"'“‘()*,.;:") for w in phrase.split()]
    if not words or not words[0]:
        return False
    nouns = 0
    while len(words) - nouns > 1 and words[-1 - nouns].lower() in PLACE_NOUNS:
        nouns += 1
    for n, word in enumerate(words[: len(words) - nouns]):
        if not word:
            return False
        if word[0].isupper() or word[0].isdigit() or not word[0].isascii():
            continue
        if n and word.lower().rstrip("-") in CONNECTORS | {"the"}:
            continue
        if _ARTICLE_FORM.match(word):
            continue
        return False
    return True
