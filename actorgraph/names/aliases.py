"""Finding known actors in text by their exact names and aliases, after normalisation.

All-capital aliases such as ``US`` or ``PMF`` match case-sensitively, so the
pronoun "us" is not the United States; a name two actors share finds
neither.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from actorgraph.graph.model import Actor
from actorgraph.names.normalise import is_acronym, normalise

_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")  # Iran’s: the name is Iran
_MIN_ALIAS = 2  # a one-letter alias ("X") would match initials everywhere


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
