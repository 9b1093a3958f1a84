"""Actor search: rank actors by how well a name, alias or spelling variant matches a query.

A pure function of the actors it is given (no store access): the caller
passes them, :class:`SearchIndex` computes each name's keys once, and
:meth:`SearchIndex.rank` scores a query against them.

Both sides are normalised with :func:`~actorgraph.names.normalise.normalise`
(case, diacritics, apostrophes, hyphens, Arabic letter variants), then
compared in three forms:

``normal``
    the normalised name: ``abu mahdi al muhandis``;
``bare``
    the same without the Arabic article, which is optional: in Latin script
    ``al``/``el``/``ad``/``ash``... as a word before another word, in Arabic
    script ``ال`` fused to a word (:func:`strip_articles`): ``abu mahdi
    muhandis``, ``حشد شعبي``;
``skeleton``
    each Latin word of ``bare`` reduced to the consonants that
    transliterations of one Arabic name share (:func:`word_skeleton`):
    Hezbollah, Hizballah, Hizbullah are ``hzbla``; Muhandis, Mohandes
    ``mhnds``; Saadi, Saedi, Saiedi ``sdi``. Arabic-script words are their
    own skeleton.

A name's score (0-100) is the best of these tiers:

=========  ================================================================
100        the query is the whole name or alias, normalised
98         the same once the article is dropped: Muhandis = al-Muhandis
95         the same skeleton (Kataeb Hizbullah = Kataib Hezbollah), if the
           query has 3 consonants or more and the two spellings are also
           within :data:`SKELETON_GATE` of each other
48-90      every query word matches a word of the same name: exactly (100),
           by skeleton and :data:`SKELETON_GATE` (92), within one edit in
           five letters (80-99) or, the last word only, as the start of a
           word (type-ahead, 100). The score is ``m * (0.6 + 0.3 * c)``,
           ``m`` the words' mean similarity and ``c`` the share of the
           name's letters they cover: all of a name in another order scores
           90, one exact word of a long name a little over 60
72-90      the whole query within one edit in five letters of the whole
           name (typos, a missing space): 0.9 x the normalised Levenshtein
           similarity
=========  ================================================================

All-capital names (``US``, ``PMF``, ``KH``; see
:func:`~actorgraph.names.normalise.is_acronym`) match only the whole query:
in capitals they score 100, in lower case (``pmf``, as
:meth:`AliasIndex.resolve <actorgraph.names.aliases.AliasIndex.resolve>`
accepts it) 90. As :meth:`AliasIndex.find
<actorgraph.names.aliases.AliasIndex.find>` keeps them from matching
ordinary words, they never match as a word, a prefix or fuzzily: "us" is
not found inside every name with "us" in it, and "Nusra" is not the US.

The fuzzy tiers use :func:`Levenshtein.normalized_similarity
<rapidfuzz.distance.Levenshtein.normalized_similarity>`, not
:func:`fuzz.WRatio <rapidfuzz.fuzz.WRatio>` or
:func:`fuzz.ratio <rapidfuzz.fuzz.ratio>`: ``WRatio`` falls back to
``partial_ratio`` for a short query against a long name and scores "us"
against "al nusra front" 90; ``ratio`` (Indel) counts a substitution as two
edits and an insertion as one, so "oran" is closer to "jordan" (80) than to
"iran" (75), while transliterations differ mostly by substitutions.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, NamedTuple, TypeVar

from anyascii import anyascii
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from actorgraph.errors import InputError
from actorgraph.graph.model import Actor, ActorKind
from actorgraph.names.normalise import is_acronym, is_arabic, normal_form, strip_articles

THRESHOLD = 60.0
"""A hit scores above this.

Chosen on the curated actors of ``data/actors.yaml`` with the query tables
of ``tests/unit/test_search.py``, whose tests hold it to this evidence:

* right answers: the 80 spellings of ``LITERAL`` and ``VARIANTS`` (51 of
  them not a name or alias in the YAML) all find their actor first, scoring
  67.7 ("al Saedi": one respelt word of "Wissam al-Saadi") to 100;
* nothing: the 43 names and words of ``NOT_FOUND`` that are no curated
  actor's ("banana", "weather", "Oran", "Muqtada al-Sadr", "Harakat
  Hezbollah al-Nujaba"...) reach no tier at any score, since a word match
  needs every query word in one name and fuzzy needs 4 letters or more;
* the other actors those queries reach score 54.8-78: names with the query
  as a word, a respelt word or a word start ("US" in "US Central Command"
  63.7, "Syria" in "Islamic State of Iraq and Syria" 65.8, "Hezbollah" in
  "Kataib Hezbollah" 78, "Syrian" in "Islamic State of Iraq and Syria"
  54.8), below the right one; one is a false friend: "Suriya" also finds
  "Saraya al-Khorasani" (66.2; one skeleton, two edits in six letters).

So the tiers, not the threshold, keep names that are no actor's out; the
threshold sets how little of a long name may match. At 60 one exact word of
a name always finds it (``100 * (0.6 + 0.3 * c)`` is above 60 for any share
``c``), while a respelt word (similarity 80-92) must be a larger part of the
name: "Syrian" finds Syria (75.0), not the Islamic State of Iraq and Syria
(54.8). On these tables any value from 55 to 60 gives the same hits; 54
or less adds "Syrian" in that long name, 62 or more starts dropping names
with the query as a word ("US Central Command" for "US" from 63.7).
"""

EXACT = 100.0
BARE = 98.0
SKELETON = 95.0
WORD_SKELETON = 92.0
ACRONYM_FOLDED = 90.0
FUZZY_WEIGHT = 0.9
FUZZY_CUTOFF = 0.8
"""Normalised Levenshtein similarity for a fuzzy match: at most one edit in five letters."""
SKELETON_GATE = 0.6
"""Spellings with one skeleton must also be this similar: at most two edits in five letters."""

T = TypeVar("T")
_MIN_FUZZY = 4  # letters: below, one edit is a quarter of the word or more
_MIN_PREFIX = 3
_MIN_SKELETON_CONSONANTS = 3  # whole-name skeletons: fewer carry too little to be the same name
_DIGRAPHS = {  # one Arabic letter, two Latin ones
    "kh": "x",
    "gh": "g",
    "sh": "š",
    "ch": "š",
    "dh": "z",
    "th": "t",
    "ph": "f",
    "dj": "j",
    "ck": "k",
}
_LETTERS = str.maketrans({"q": "k", "c": "k", "v": "w"})
_VOWEL_CLASS = {"a": "a", "e": "i", "i": "i", "y": "i", "o": "u", "u": "u", "w": "u"}
_MARKERS = frozenset("aiu ")


@dataclass(frozen=True)
class Hit:
    """One actor found by a search, with its score (0-100) and the name that matched best."""

    actor: Actor
    score: float
    matched: str


@lru_cache(maxsize=1 << 16)
def word_skeleton(word: str) -> str:
    """The consonant skeleton of one normalised Latin word; any other word unchanged.

    Two-letter spellings of one sound become one letter (kh, gh, sh/ch, dh,
    th, ph, dj); q and c are k, v is w; doubled letters count once; vowels
    (and w, y after the first letter, and a final h after a vowel) are
    dropped inside the word, and kept at its start and end as one of three
    classes: a; e, i, y; o, u, w.

    Examples
    --------
    >>> [word_skeleton(w) for w in ("hezbollah", "hizballah", "hizbullah")]
    ['hzbla', 'hzbla', 'hzbla']
    >>> [word_skeleton(w) for w in ("saadi", "saedi", "saiedi", "soleimany", "suleimani")]
    ['sdi', 'sdi', 'sdi', 'slmni', 'slmni']
    >>> [word_skeleton(w) for w in ("iran", "iraq", "iraqi", "hashd")]
    ['irn', 'irk', 'irki', 'hšd']

    Arabic-script words are transliterated with :func:`anyascii.anyascii`
    first; as Arabic writes no short vowels, their skeletons meet the Latin
    spellings':

    >>> [word_skeleton(w) for w in ("كتائب", "kataib", "ساعدي", "saedi")]
    ['ktb', 'ktb', 'sdi', 'sdi']
    """
    if is_arabic(word):
        latin = normal_form(anyascii(word))  # consonants and long vowels: no short vowels
        return "".join(word_skeleton(w) for w in latin.split())
    if not (word.isascii() and word.isalpha()):
        return word
    text = word
    for pair, letter in _DIGRAPHS.items():
        text = text.replace(pair, letter)
    text = text.translate(_LETTERS)
    vowel = [c in "aeiou" or (c in "wy" and i > 0) for i, c in enumerate(text)]
    if len(text) > 1 and text[-1] == "h" and vowel[-2]:
        vowel[-1] = True  # -ah = -a (Hizbollah = Hizbolla), but -sh, -dh stay
    runs: list[tuple[bool, str]] = []  # alternating consonant and vowel runs
    for c, is_vowel in zip(text, vowel, strict=True):
        if runs and runs[-1][0] == is_vowel:
            runs[-1] = (is_vowel, runs[-1][1] + c)
        else:
            runs.append((is_vowel, c))
    out: list[str] = []
    for n, (is_vowel, run) in enumerate(runs):
        if not is_vowel:
            out.extend(c for k, c in enumerate(run) if k == 0 or c != run[k - 1])
        elif n == 0:
            out.append(_VOWEL_CLASS[run[0]])
        elif n == len(runs) - 1:
            out.append(_VOWEL_CLASS[run.rstrip("h")[-1]])
    return "".join(out)


def _skeleton(bare: str) -> str:
    return " ".join(word_skeleton(w) for w in bare.split())


def _consonants(skeleton: str) -> int:
    return sum(c not in _MARKERS for c in skeleton)


def _skeleton_counts(word: str) -> bool:
    """Whether a word's skeleton can identify it: 4 letters or more, 2 consonants or more."""
    return len(word) >= _MIN_FUZZY and _consonants(word_skeleton(word)) >= 2


def _close(a: str, b: str) -> bool:
    """Whether two spellings of one skeleton are near enough to be one name (not Syria, Saraya).

    Between Arabic and Latin script the skeleton is all there is to compare.
    """
    if is_arabic(a) != is_arabic(b):
        return True
    return Levenshtein.normalized_similarity(a, b) >= SKELETON_GATE


class _ByLength(Generic[T]):
    """Strings grouped by length, for fuzzy passes that read only the lengths that can match.

    A normalised Levenshtein similarity of ``c`` or more between lengths
    ``n`` and ``m`` needs ``c * n <= m <= n / c``.
    """

    def __init__(self, items: Iterable[tuple[str, T]]) -> None:
        self._groups: dict[int, tuple[list[str], list[T]]] = {}
        for text, value in items:
            texts, values = self._groups.setdefault(len(text), ([], []))
            texts.append(text)
            values.append(value)

    def similar(self, text: str) -> Iterator[tuple[T, float]]:
        """``(value, similarity)`` for each string within :data:`FUZZY_CUTOFF` of ``text``."""
        low = math.ceil(FUZZY_CUTOFF * len(text) - 1e-9)
        high = math.floor(len(text) / FUZZY_CUTOFF + 1e-9)
        for length in range(low, high + 1):
            if length not in self._groups:
                continue
            texts, values = self._groups[length]
            for _, similarity, at in process.extract(
                text,
                texts,
                scorer=Levenshtein.normalized_similarity,
                score_cutoff=FUZZY_CUTOFF,
                limit=None,
            ):
                yield values[at], similarity


class _Key(NamedTuple):
    """One name of one actor, in the forms the tiers compare."""

    actor: int  # index in SearchIndex.actors
    order: int  # position in Actor.names: the canonical name wins a tie
    name: str
    bare: str
    letters: int  # letters of bare, spaces not counted


class _Query(NamedTuple):
    text: str
    normal: str
    bare: str
    skeleton: str
    words: tuple[str, ...]

    @classmethod
    def parse(cls, q: str) -> _Query:
        if not q.strip():
            raise InputError("the search text is empty", field="q")
        normal = normal_form(q)
        if not normal:
            raise InputError("the search text has no letters or digits", field="q")
        bare = strip_articles(normal)
        return cls(q, normal, bare, _skeleton(bare), tuple(bare.split()))


class SearchIndex:
    """The names and aliases of a set of actors, keyed for ranked, spelling-tolerant search.

    Build it once for a set of actors: a search is then dictionary look-ups,
    :func:`rapidfuzz.process.extract` passes over flat lists (the names,
    and their distinct words, grouped by length) and a little arithmetic on
    the names those reach. For 100,000 actors (250,000 names) building
    takes a few seconds, a search 10-60 ms, about 100 ms for a word that is
    in tens of thousands of names ("Mohammed", "Abu").

    Examples
    --------
    >>> index = SearchIndex([
    ...     Actor(id="kataib-hezbollah", name="Kataib Hezbollah", kind="armed_group",
    ...           aliases=["KH", "كتائب حزب الله"]),
    ...     Actor(id="hezbollah", name="Hezbollah", kind="armed_group", aliases=["Hizbollah"]),
    ... ])
    >>> [(h.actor.id, h.score, h.matched) for h in index.rank("Hizbullah")]
    [('hezbollah', 95.0, 'Hezbollah'), ('kataib-hezbollah', 71.8, 'Kataib Hezbollah')]
    >>> [h.actor.id for h in index.rank("Kataeb Hizballah")]
    ['kataib-hezbollah']
    >>> index.rank("banana")
    []
    """

    def __init__(self, actors: Iterable[Actor]) -> None:
        self.actors: list[Actor] = list({a.id: a for a in actors}.values())
        self._keys: list[_Key] = []
        self._acronyms: dict[str, list[int]] = defaultdict(list)  # capitals kept
        self._acronyms_folded: dict[str, list[int]] = defaultdict(list)
        self._normal: dict[str, list[int]] = defaultdict(list)
        self._bare: dict[str, list[int]] = defaultdict(list)
        self._skeletons: dict[str, list[int]] = defaultdict(list)
        self._postings: dict[str, list[int]] = defaultdict(list)  # word of a bare form -> keys
        for a, actor in enumerate(self.actors):
            for order, name in enumerate(actor.names):
                normal = normal_form(name)
                if not normal:
                    continue
                k = len(self._keys)
                if is_acronym(name):
                    self._keys.append(_Key(a, order, name, "", 0))
                    self._acronyms[normal_form(name, fold=False)].append(k)
                    self._acronyms_folded[normal].append(k)
                    continue
                bare = strip_articles(normal)
                words = bare.split()
                self._keys.append(_Key(a, order, name, bare, sum(map(len, words))))
                self._normal[normal].append(k)
                self._bare[bare].append(k)
                self._skeletons[" ".join(map(word_skeleton, words))].append(k)
                for word in set(words):
                    self._postings[word].append(k)
        self._vocabulary = sorted(self._postings)
        self._word_skeletons: dict[str, list[str]] = defaultdict(list)
        for word in self._vocabulary:
            if _skeleton_counts(word):
                self._word_skeletons[word_skeleton(word)].append(word)
        self._fuzzy_words = _ByLength((w, w) for w in self._vocabulary)
        self._fuzzy_names = _ByLength((key.bare, k) for k, key in enumerate(self._keys) if key.bare)

    def rank(
        self, q: str, limit: int = 20, kind: ActorKind | None = None, *, typeahead: bool = True
    ) -> list[Hit]:
        """The actors ``q`` names, best first: by score, then name, then id.

        Each actor comes once, with the name or alias that matched best (the
        earliest in :attr:`Actor.names` on a tie), if it scores above
        :data:`THRESHOLD`. With ``typeahead`` the query's last word may be
        the start of a word (as a user types); extraction, which reads whole
        words, turns it off.

        Raises
        ------
        InputError
            If ``q`` is blank (field ``q``) or ``limit`` below 1 (field ``limit``).
        """
        if limit < 1:
            raise InputError("must be 1 or more", field="limit")
        best = {a: e for a, e in self._best(q, kind, typeahead).items() if e[0] > THRESHOLD}
        return self._hits(heapq.nsmallest(limit, best.items(), key=self._order))

    def candidates(self, q: str, kind: ActorKind | None = None) -> list[Hit]:
        """Every actor any tier reaches, in :meth:`rank`'s order, before the threshold.

        For explaining a search ("why is this one missing?") and for choosing
        :data:`THRESHOLD`; to search, use :meth:`rank`.
        """
        return self._hits(sorted(self._best(q, kind, True).items(), key=self._order))

    def _order(self, item: tuple[int, tuple[float, int, str]]) -> tuple[float, str, str]:
        actor = self.actors[item[0]]
        return (-item[1][0], actor.name, actor.id)

    def _hits(self, items: Iterable[tuple[int, tuple[float, int, str]]]) -> list[Hit]:
        return [Hit(self.actors[a], score, name) for a, (score, _, name) in items]

    def _best(
        self, q: str, kind: ActorKind | None, typeahead: bool
    ) -> dict[int, tuple[float, int, str]]:
        """For each actor reached: its best score, rounded, its ``-order`` and its name."""
        query = _Query.parse(q)
        scores: dict[int, float] = {}

        def offer(keys: Iterable[int], score: float) -> None:
            for k in keys:
                if score > scores.get(k, 0.0):
                    scores[k] = score

        offer(self._acronyms.get(normal_form(q, fold=False), ()), EXACT)
        offer(self._acronyms_folded.get(query.normal, ()), ACRONYM_FOLDED)
        offer(self._normal.get(query.normal, ()), EXACT)
        offer(self._bare.get(query.bare, ()), BARE)
        if _consonants(query.skeleton) >= _MIN_SKELETON_CONSONANTS:
            same = self._skeletons.get(query.skeleton, ())
            offer((k for k in same if _close(query.bare, self._keys[k].bare)), SKELETON)
        for k, score in self._word_matches(query, typeahead).items():
            offer((k,), score)
        for k, score in self._fuzzy_matches(query).items():
            offer((k,), score)

        best: dict[int, tuple[float, int, str]] = {}
        for k, score in scores.items():
            key = self._keys[k]
            if kind is not None and self.actors[key.actor].kind != kind:
                continue
            entry = (round(score, 1), -key.order, key.name)
            if key.actor not in best or entry > best[key.actor]:
                best[key.actor] = entry
        return best

    def _similar_words(self, word: str, *, prefix: bool) -> dict[str, float]:
        """The words of the names that match one query word, with their similarity."""
        found: dict[str, float] = {word: 100.0} if word in self._postings else {}
        if len(word) >= _MIN_FUZZY:
            for other, similarity in self._fuzzy_words.similar(word):
                found[other] = 100 * similarity
        if _skeleton_counts(word):
            for other in self._word_skeletons.get(word_skeleton(word), ()):
                if _close(word, other):
                    found[other] = max(found.get(other, 0.0), WORD_SKELETON)
        if prefix and len(word) >= _MIN_PREFIX:
            at = bisect_left(self._vocabulary, word)
            while at < len(self._vocabulary) and self._vocabulary[at].startswith(word):
                found[self._vocabulary[at]] = 100.0
                at += 1
        return found

    def _word_matches(self, query: _Query, typeahead: bool) -> dict[int, float]:
        """Names of which every query word matches a word, scored ``m * (0.6 + 0.3 * c)``."""
        per_word: list[dict[int, tuple[float, int]]] = []  # key -> (similarity, letters)
        for i, word in enumerate(query.words):
            found = self._similar_words(word, prefix=typeahead and i == len(query.words) - 1)
            keys: dict[int, tuple[float, int]] = {}
            for other, similarity in found.items():
                entry = (similarity, min(len(word), len(other)))
                for k in self._postings[other]:
                    if k not in keys or entry > keys[k]:
                        keys[k] = entry
            if not keys:
                return {}
            per_word.append(keys)
        weights = [len(w) for w in query.words]
        total = sum(weights)
        out: dict[int, float] = {}
        for k in min(per_word, key=len):
            similarity = covered = 0.0
            for weight, keys in zip(weights, per_word, strict=True):
                match = keys.get(k)
                if match is None:
                    break
                similarity += match[0] * weight
                covered += match[1]
            else:
                share = min(1.0, covered / self._keys[k].letters)
                out[k] = similarity / total * (0.6 + 0.3 * share)
        return out

    def _fuzzy_matches(self, query: _Query) -> dict[int, float]:
        """Names within one edit in five letters of the whole query (typos, a missing space)."""
        if len(query.bare) < _MIN_FUZZY:
            return {}
        return {k: FUZZY_WEIGHT * 100 * sim for k, sim in self._fuzzy_names.similar(query.bare)}


def rank(
    actors: Iterable[Actor], q: str, *, limit: int = 20, kind: ActorKind | None = None
) -> list[Hit]:
    """Rank ``actors`` by how well one of their names matches ``q``.

    Builds a :class:`SearchIndex` for this one search: to search the same
    actors again, build the index once and call :meth:`SearchIndex.rank`.
    The scores and :data:`THRESHOLD` are described in this module's
    docstring.

    Parameters
    ----------
    actors
        The actors to search.
    q
        A name, alias or spelling variant, in Latin or Arabic script.
    limit
        At most this many hits.
    kind
        Only actors of this kind.

    Returns
    -------
    list of Hit
        Best first: by score, then actor name, then id.

    Raises
    ------
    InputError
        If ``q`` is blank (field ``q``) or ``limit`` below 1 (field ``limit``).

    Examples
    --------
    >>> pmf = Actor(id="pmf", name="Popular Mobilization Forces", kind="armed_group",
    ...             aliases=["PMF", "Hashd al-Shaabi", "الحشد الشعبي"])
    >>> muhandis = Actor(id="abu-mahdi-al-muhandis", name="Abu Mahdi al-Muhandis",
    ...                  kind="person", aliases=["al-Muhandis"])
    >>> [(h.actor.id, h.score, h.matched) for h in rank([pmf, muhandis], "Mohandis")]
    [('abu-mahdi-al-muhandis', 95.0, 'al-Muhandis')]
    >>> [(h.actor.id, h.score, h.matched) for h in rank([pmf, muhandis], "حشد شعبي")]
    [('pmf', 98.0, 'الحشد الشعبي')]
    >>> [(h.actor.id, h.score) for h in rank([pmf, muhandis], "pmf")]
    [('pmf', 90.0)]
    >>> rank([pmf, muhandis], "PMF", kind=ActorKind.PERSON)
    []
    """
    return SearchIndex(actors).rank(q, limit=limit, kind=kind)
