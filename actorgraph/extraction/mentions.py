"""The first pass: which known actors a document names, and which names are no one's yet.

Exact names and aliases first (:class:`~actorgraph.names.aliases.AliasIndex`);
then every capitalised run of words that looks like a name is resolved with the
spelling-tolerant search (:class:`~actorgraph.names.search.SearchIndex`). A
whole name scoring :data:`~actorgraph.names.resolve.RESOLVE` or more resolves;
part of a person's name (a surname, "al-Saadi"; a kunya, "Abu Bakr") resolves
only to someone the same document names in full. What resolves to nobody
becomes a **candidate**, never a guess.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping

from spacy.lang.en.stop_words import STOP_WORDS

from actorgraph.extraction.lexicon import (
    ARTICLE_FORM,
    CALENDAR,
    COMPOUND_ADJECTIVE,
    CONNECTORS,
    DEMONYM_SUFFIXES,
    DIRECTIONS,
    GROUP_WORDS,
    JOIN,
    PLACE_BEFORE,
    POSSESSIVE,
    TITLES,
    TOKEN,
)
from actorgraph.extraction.results import Candidate, FoundMention
from actorgraph.extraction.spans import Span
from actorgraph.extraction.text import Sentence
from actorgraph.graph.model import Actor, ActorKind, Document
from actorgraph.names.aliases import AliasIndex
from actorgraph.names.normalise import is_acronym, is_arabic, normal_form, slug, strip_articles
from actorgraph.names.resolve import RESOLVE
from actorgraph.names.search import Hit, SearchIndex, word_skeleton


class Mentions:
    """Finds the mentions and candidates of each document, against one set of actors.

    Parameters
    ----------
    actors
        The known actors by id, with their aliases: what mentions resolve to.
    """

    def __init__(self, actors: Mapping[str, Actor]) -> None:
        self.actors = actors
        self._aliases = AliasIndex(actors.values())
        self._search = SearchIndex(actors.values())
        self._ranked: dict[str, list[Hit]] = {}
        self._states = {
            normal_form(name)
            for a in actors.values()
            if a.kind is ActorKind.STATE
            for name in a.names
            if " " not in normal_form(name)
        }

    def _rank(self, query: str) -> list[Hit]:
        """The two best actors for a name: cached, as documents repeat names."""
        hits = self._ranked.get(query)
        if hits is None:
            if len(self._ranked) > 100_000:
                self._ranked.clear()
            hits = self._ranked[query] = self._search.rank(query, limit=2, typeahead=False)
        return hits

    def publisher(self, document: Document, speakers: list[Actor]) -> str | None:
        if not document.publisher or not normal_form(document.publisher):
            return None  # no letters or digits ("'", "--"): it names no one, nor can search
        actor = self._aliases.resolve(document.publisher)
        if actor is not None:
            return actor.id
        hits = self._search.rank(document.publisher, limit=1, typeahead=False)
        if hits and hits[0].score >= RESOLVE:
            return hits[0].actor.id
        outlet_id = slug(document.publisher)
        if not outlet_id:
            return None
        if outlet_id in self.actors:  # "PMF!": a known actor's name past the aliases; a new
            return outlet_id  # outlet under its id would replace it, aliases and all
        outlet = Actor(id=outlet_id, name=document.publisher.strip(), kind=ActorKind.MEDIA_OUTLET)
        speakers.append(outlet)
        return outlet.id

    def find(
        self, text: str, sents: list[Sentence]
    ) -> tuple[list[FoundMention], list[Candidate], list[Span]]:
        exact = [
            FoundMention(m.actor, text[m.start : m.end], m.start, m.end, "alias")
            for m in self._aliases.find(text)
        ]
        lower_words = {w for w in re.findall(r"\b[a-z][a-z’'-]+\b", text)}
        spans = list(self._name_spans(text, sents, lower_words))
        places = [s for s in spans if s.place]
        taken = sorted((m.start, m.end) for m in exact)
        found: list[FoundMention] = list(exact)
        partial: list[tuple[Span, str]] = []
        nicknames: dict[str, str] = {}
        leftovers: list[Span] = []
        for span in spans:
            for piece in _outside(span, taken, text):
                self._resolve_span(piece, found, partial, nicknames, leftovers)
        named = {m.actor for m in found}
        candidates: list[Candidate] = []
        for span, actor in partial:
            if actor in named:
                found.append(FoundMention(actor, span.text, span.start, span.end, "context"))
            else:
                leftovers.append(span)
        title_line = _TitleLines(text)
        for span in leftovers:
            nick = nicknames.get(normal_form(span.text))
            if nick is not None:
                found.append(FoundMention(nick, span.text, span.start, span.end, "context"))
            elif self._candidate(span, title_line, lower_words):
                candidates.append(Candidate(span.text, span.start, span.end))
        found.sort(key=lambda m: m.start)
        candidates.sort(key=lambda c: c.start)
        return found, candidates, places

    def _candidate(
        self, span: Span, title_line: Callable[[int], bool], lower_words: set[str]
    ) -> bool:
        """Whether an unresolved span is worth an analyst's look as a new actor.

        Not places ("in Nineveh"), headlines, a single capitalised word that
        opens a sentence ("According"), or one the text also writes in lower
        case ("Brigade", "brigades").
        """
        if span.place or title_line(span.start):
            return False
        if " " in span.text.strip() or is_arabic(span.text):
            return True
        lower = span.text.lower()
        common = (
            lower in lower_words or lower + "s" in lower_words or lower.rstrip("s") in lower_words
        )
        return not span.sentence_initial and not common

    def _name_spans(
        self, text: str, sents: list[Sentence], lower_words: set[str]
    ) -> Iterator[Span]:
        """Runs of capitalised words (with al-, bin, of inside), Arabic-script runs apart."""
        starts = {s.start for s in sents}
        for sent in sents:
            tokens = [
                (m.start() + sent.start, m.end() + sent.start, m.group(0))
                for m in TOKEN.finditer(sent.text)
            ]
            run: list[tuple[int, int, str]] = []
            for i, token in enumerate(tokens):
                start, end, word = token
                possessive = POSSESSIVE.search(word)
                if possessive:
                    end -= len(possessive.group(0))
                    word = word[: -len(possessive.group(0))]
                initial = start in starts or (i == 0)
                kind = self._token_kind(word, initial, lower_words)
                joined = not run or JOIN.match(text[run[-1][1] : start]) is not None
                if kind == "name" and (joined or not run):
                    run.append((start, end, word))
                elif kind == "name":
                    yield from self._close(text, run, starts)
                    run = [(start, end, word)]
                elif kind == "connector" and run and joined:
                    run.append((start, end, word))
                else:
                    yield from self._close(text, run, starts)
                    run = []
                if possessive:
                    yield from self._close(text, run, starts)
                    run = []
            yield from self._close(text, run, starts)

    def _close(
        self, text: str, run: list[tuple[int, int, str]], starts: set[int]
    ) -> Iterator[Span]:
        while run and run[-1][2].lower() in CONNECTORS:
            run = run[:-1]
        while run and run[0][2].lower().rstrip(".") in TITLES | DIRECTIONS | CONNECTORS:
            run = run[1:]
        if not run:
            return
        start, end = run[0][0], run[-1][1]
        words = [w for _, _, w in run]
        if len(words) == 1 and self._not_a_name(words[0]):
            return
        before = text[max(0, start - 40) : start]
        yield Span(
            start, end, text[start:end], start in starts, PLACE_BEFORE.search(before) is not None
        )

    def _token_kind(self, word: str, initial: bool, lower_words: set[str]) -> str:
        lower = word.lower()
        if lower in CONNECTORS:
            return "connector"
        if word.isdigit() or lower in CALENDAR:
            return "other"
        if is_arabic(word):
            return "name"
        if is_acronym(word) and len(word) >= 2:
            return "other" if lower in STOP_WORDS else "name"  # "THE", "AND": shouting
        if ARTICLE_FORM.match(word) and any(c.isupper() for c in word[2:]):
            return "name"
        if not word[0].isupper() or COMPOUND_ADJECTIVE.search(word):
            return "other"  # "Iran-backed", "Shia-dominated": adjectives
        if lower in STOP_WORDS:
            return "other"
        if initial and lower in lower_words:
            return "other"  # an ordinary word that opens a sentence
        return "name"

    def _not_a_name(self, word: str) -> bool:
        lower = normal_form(word)
        if len(lower) < 2 or lower in GROUP_WORDS or lower in TITLES:
            return True
        return self._demonym(lower)

    def _demonym(self, lower: str) -> bool:
        """Iraqi, Iranian, Americans: an adjective of a state's name, not a name."""
        for suffix in DEMONYM_SUFFIXES:
            if lower.endswith(suffix) and len(lower) - len(suffix) >= 3:
                stem = lower[: -len(suffix)]
                if any(
                    s == stem or (s.startswith(stem) and len(s) - len(stem) <= 1)
                    for s in self._states
                ):
                    return True
        return False

    def _resolve_span(
        self,
        span: Span,
        found: list[FoundMention],
        partial: list[tuple[Span, str]],
        nicknames: dict[str, str],
        leftovers: list[Span],
    ) -> None:
        if " " not in span.text and self._not_a_name(span.text):
            return  # "Iraqi" left over from "Iraqi PMF"
        query, nickname = _without_nickname(span.text)
        hits = self._rank(query) if query else []
        top = hits[0] if hits else None
        clear = top is not None and (len(hits) == 1 or hits[1].score < top.score)
        if top is not None and clear and top.score >= RESOLVE:
            found.append(FoundMention(top.actor.id, span.text, span.start, span.end, "fuzzy"))
            if nickname:
                nicknames[normal_form(nickname)] = top.actor.id
            return
        if top is not None and clear and _part_of_name(query, top.actor, top.matched):
            partial.append((span, top.actor.id))
            return
        first, _, rest = span.text.partition(" ")
        if span.sentence_initial and rest:  # "Later al-Saedi": an ordinary word opened it
            start = span.start + len(first) + 1
            tail = Span(start, span.end, rest, False, span.place)
            before = len(found) + len(partial)
            unresolved: list[Span] = []
            self._resolve_span(tail, found, partial, nicknames, unresolved)
            if len(found) + len(partial) > before:
                return  # else the whole span is the name: "Abu Fadak al-Mohammedawi met"
        leftovers.append(span)


def _outside(span: Span, taken: list[tuple[int, int]], text: str) -> Iterator[Span]:
    """The parts of ``span`` no exact mention covers, each still a run of words."""
    pieces = []
    cursor = span.start  # one sweep: a huge line may hold thousands of mentions
    first = max(0, bisect_left(taken, (span.start, 0)) - 1)  # taken: sorted, none overlapping
    for t_start, t_end in taken[first : bisect_left(taken, (span.end, 0))]:
        if t_end <= span.start or t_start >= span.end:
            continue
        if t_start > cursor:
            pieces.append((cursor, t_start))
        cursor = max(cursor, t_end)
    if span.end > cursor:
        pieces.append((cursor, span.end))
    for start, end in pieces:
        piece = text[start:end]
        stripped = piece.strip(" \u00a0“”\"‘’'-–—(),")
        if not stripped:
            continue
        offset = piece.index(stripped)
        words = stripped.split(" ")
        first, last = 0, len(words)  # indices, not slices: a run may be a huge line's words
        while first < last and (
            words[first][:1].islower() and not ARTICLE_FORM.match(words[first])
        ):
            offset += len(words[first]) + 1
            first += 1
        while first < last and (
            (words[last - 1][:1].islower() and not ARTICLE_FORM.match(words[last - 1]))
            or words[last - 1].lower() in CONNECTORS
        ):
            last -= 1
        words = words[first:last]
        stripped = " ".join(words)
        if not [w for w in words if w.lower() not in CONNECTORS]:
            continue
        yield Span(
            start + offset,
            start + offset + len(stripped),
            stripped,
            span.sentence_initial and start == span.start,
            span.place,
        )


def _without_nickname(text: str) -> tuple[str, str]:
    """``Wissam Mohammed “Abu Bakr” al-Saadi`` → the name without the quoted nickname, and it."""
    m = re.search(r"[“\"‘]([^”\"’]+)[”\"’]", text)
    if m is None:
        return text.strip('“”"‘’ '), ""
    return " ".join((text[: m.start()] + text[m.end() :]).split()), m.group(1)


def _part_of_name(query: str, actor: Actor, matched: str) -> bool:
    """Whether ``query`` is a person's surname or kunya as written in ``matched``.

    "al-Saadi" (the last word) and "Abu Bakr" (a kunya, Abu and a name) may
    stand for a person the document names in full; a given name alone
    ("Mohammed") may not, nor part of a group's name ("Baghdad" in Baghdad
    Police).
    """
    if actor.kind is not ActorKind.PERSON:
        return False
    words = strip_articles(normal_form(query)).split()
    name = strip_articles(normal_form(matched)).split()
    if not words or not name:
        return False
    if words[0] == "abu" and len(words) >= 2:
        return True
    return len(words) == 1 and _similar(words[-1], name[-1])


def _similar(a: str, b: str) -> bool:
    return a == b or word_skeleton(a) == word_skeleton(b)


class _TitleLines:
    """Which lines of a text are written in title case (a headline, a byline).

    Each line is judged once: a huge line may hold thousands of names.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.judged: dict[int, bool] = {}

    def __call__(self, at: int) -> bool:
        """Whether the line around ``at`` is in title case."""
        number = bisect_right(self.starts, at) - 1
        if number not in self.judged:
            start = self.starts[number]
            following = number + 1 < len(self.starts)
            end = self.starts[number + 1] - 1 if following else len(self.text)
            self.judged[number] = _title_case(self.text[start:end])
        return self.judged[number]


def _title_case(line: str) -> bool:
    if line.rstrip().endswith((".", "!", "”", '"')):
        return False  # a sentence, however many names it has
    words = [w for w in re.findall(r"[^\W\d_]+", line) if len(w) > 3]
    if len(words) < 4:
        return False
    return bool(sum(w[0].isupper() for w in words) / len(words) >= 0.6)
