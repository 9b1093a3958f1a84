"""Resolving names to actors: normalised exact matching of names and aliases.

Normalisation folds what spelling varies without changing the name: case,
diacritics (and Arabic short vowels), apostrophes (Kata'ib = Kataib), hyphens
and dashes (al-Saadi = al Saadi = al—Saadi), and Arabic letter variants
(أ/إ/آ = ا, ى = ي, ة = ه). All-capital aliases such as ``US`` or ``PMF``
match case-sensitively, so the pronoun "us" is not the United States.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from actorgraph.graph.model import Actor

_DROP = frozenset("'’‘`´ʼʻʿʾ\u0640")  # apostrophes, ayn/hamza marks, Arabic tatweel
_SPACE = frozenset("-‐‑‒–—―_")
_ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")  # Iran’s: the name is Iran
_MIN_ALIAS = 2  # a one-letter alias ("X") would match initials everywhere


def normalise(text: str, *, fold: bool = True) -> tuple[str, list[int]]:
    """Normalise ``text`` for matching, with each output character's offset in ``text``.

    Examples
    --------
    >>> normalise("Kata’ib Hizbollah")[0]
    'kataib hizbollah'
    >>> normalise("al—Saadi", fold=False)[0]
    'al Saadi'
    """
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char, fold)
        if folded is None:
            if out and out[-1] != " ":
                out.append(" ")
                where.append(index)
            continue
        for piece in folded:
            out.append(piece)
            where.append(index)
    while out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


@lru_cache(maxsize=8192)
def _fold_char(char: str, fold: bool) -> str | None:
    """What one character becomes: ``""`` if dropped, ``None`` if a space, else its letters."""
    if char in _DROP:
        return ""
    if char in _SPACE or char.isspace():
        return None
    base = "".join(
        c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
    ).translate(_ARABIC)
    return base.casefold() if fold else base


_TABLE_SIZE = 1 << 16
_GAP = "\x00"  # a space in the translated text, before runs are collapsed
_GAPS = re.compile(_GAP + "+")


class _FoldTable(dict[int, str]):
    """:func:`_fold_char` as a ``str.translate`` table, filled as characters are met."""

    def __init__(self, fold: bool) -> None:
        super().__init__()
        self.fold = fold

    def __missing__(self, ordinal: int) -> str:
        folded = _fold_char(chr(ordinal), self.fold)
        value = _GAP if folded is None else folded
        if len(self) < _TABLE_SIZE:  # bounded, whatever text comes in
            self[ordinal] = value
        return value


_TABLES = {True: _FoldTable(fold=True), False: _FoldTable(fold=False)}


def normal_form(text: str, *, fold: bool = True) -> str:
    """``normalise(text, fold=fold)[0]`` without the offset map, at ``str.translate`` speed.

    Examples
    --------
    >>> normal_form("  Hashd al-Sha'bi ")
    'hashd al shabi'
    """
    if _GAP in text:
        return normalise(text, fold=fold)[0]
    out = text.translate(_TABLES[fold])
    if " " not in out:  # as normalise: one space per run of spaces, none leading or trailing
        return " ".join(part for part in out.split(_GAP) if part)
    out = _GAPS.sub(lambda m: " " if m.start() and out[m.start() - 1] != " " else "", out)
    return out.rstrip(" ")


def is_acronym(name: str) -> bool:
    """Whether ``name`` is written all in capitals (``US``, ``PMF``, ``U.S.``): matched case-kept.

    Examples
    --------
    >>> is_acronym("US"), is_acronym("Us"), is_acronym("1920")
    (True, False, False)
    """
    return name == name.upper() and name != name.lower()


_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def is_arabic(text: str) -> bool:
    """Whether ``text`` has a letter of the Arabic script.

    Examples
    --------
    >>> is_arabic("كتائب حزب الله"), is_arabic("Kataib")
    (True, False)
    """
    return _ARABIC_SCRIPT.search(text) is not None


@dataclass(frozen=True)
class Match:
    """An actor named at ``text[start:end]``."""

    actor: str
    start: int
    end: int


class AliasIndex:
    """Every name and alias of a set of actors, for resolving and finding them.

    Examples
    --------
    >>> index = AliasIndex([Actor(id="pmf", name="Popular Mobilization Forces",
    ...                           kind="armed_group", aliases=["PMF", "Hashd al-Shaabi"])])
    >>> index.resolve("hashd al shaabi").id
    'pmf'
    >>> [(m.actor, m.start) for m in index.find("US strikes on the PMF")]
    [('pmf', 18)]
    """

    def __init__(self, actors: Iterable[Actor]) -> None:
        self.actors = {actor.id: actor for actor in actors}
        self._names: dict[str, set[str]] = defaultdict(set)  # for resolve: any case
        self._folded: dict[str, set[str]] = defaultdict(set)  # for find: ordinary names
        self._exact: dict[str, set[str]] = defaultdict(set)  # for find: acronyms, case kept
        for actor in self.actors.values():
            self._names[normalise(actor.id)[0]].add(actor.id)
            for name in actor.names:
                self._names[normalise(name)[0]].add(actor.id)
                if len(name.strip()) < _MIN_ALIAS:
                    continue
                if is_acronym(name):
                    self._exact[normalise(name, fold=False)[0]].add(actor.id)
                else:
                    self._folded[normalise(name)[0]].add(actor.id)
        self._folded_re = _alternation(self._folded)
        self._exact_re = _alternation(self._exact)

    def candidates(self, name: str) -> list[Actor]:
        """Every actor one of whose names normalises to ``name``'s form."""
        ids = self._names.get(normalise(name)[0], set())
        return [self.actors[i] for i in sorted(ids)]

    def resolve(self, name: str) -> Actor | None:
        """The one actor named ``name`` (its id, name or an alias), or None.

        Ambiguous names (two actors share the alias) resolve to None; use
        :meth:`candidates` to list them.
        """
        found = self.candidates(name)
        return found[0] if len(found) == 1 else None

    def find(self, text: str) -> list[Match]:
        """Every unambiguous mention of a known actor in ``text``: longest first, no overlaps."""
        text = _POSSESSIVE.sub(lambda m: " " * len(m.group(0)), text)  # offsets kept
        spans: list[tuple[int, int, str]] = []
        for pattern, fold, table in (
            (self._folded_re, True, self._folded),
            (self._exact_re, False, self._exact),
        ):
            if pattern is None:
                continue
            norm, where = normalise(text, fold=fold)
            for m in pattern.finditer(norm):
                ids = table[m.group(0)]
                if len(ids) == 1:
                    spans.append((where[m.start()], where[m.end() - 1] + 1, next(iter(ids))))
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        matches: list[Match] = []
        for start, end, actor in spans:
            if matches and start < matches[-1].end:
                continue
            matches.append(Match(actor, start, end))
        return matches


def _alternation(keys: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(set(keys), key=lambda k: (-len(k), k))  # longest alternative wins
    if not ordered:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")
