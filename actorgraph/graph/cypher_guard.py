"""What the text of an analyst's Cypher may hold, checked before Neo4j sees it.

Neo4j stops a query (at its timeout, or when told to) only between rows. A
computation inside one expression -- a list comprehension over a long
``range()``, a ``reduce()`` that doubles a string at every step -- runs to
its end whatever the timeout says, and its values are not counted against
the transaction's memory limit. So the shapes that compute without bound
from little input are refused here, each naming its reason:

1. ``range()`` inside an expression spans at most :data:`RANGE_MAX` values,
   with integer literals or parameters as bounds (``UNWIND range(...)``
   makes rows, which Neo4j can stop, so it may be as long as you like);
2. no iteration inside another: a list or pattern comprehension, a
   ``reduce()``, a quantifier (``all``, ``any``, ``none``, ``single``), a
   ``COUNT``/``COLLECT``/``EXISTS`` subquery or a ``range()`` in the list or
   body of a comprehension, ``reduce()`` or quantifier -- their work
   multiplies; ``UNWIND`` the outer list instead;
3. ``reduce()`` iterates over a list the query makes (a ``range()`` or a list
   literal) or a path's ``nodes()`` or ``relationships()``, and its step uses
   its accumulator once and not inside ``replace()``, which could double it
   at every step;
4. what iterates over a list the query makes refers to no variable or
   parameter but its own (and the accumulator), so it cannot copy a value of
   the graph thousands of times; and its steps times the length of its body
   (steps squared for ``reduce()``, whose accumulator may grow at each)
   stay within :data:`WORK_MAX`.

Also refused: more than one statement, and ``CYPHER`` options other than
``runtime`` and ``planner`` (``debug=...`` writes planner output into
Neo4j's log).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from actorgraph.errors import InputError, QueryRefusedError

RANGE_MAX = 10_000
"""Values a ``range()`` inside an expression may span: a list Neo4j builds at once."""
WORK_MAX = 10_000_000
"""Steps times the length of the body, for an iteration over ``range()`` (steps squared for
``reduce()``, whose accumulator may grow at each one): what Neo4j gets through in well
under a second."""
ALLOWED_OPTIONS = ("runtime", "planner")
"""``CYPHER`` options an analyst may set; the others tune or debug Neo4j itself."""

_TOKEN = re.compile(
    r"""
    (?P<space>\s+|//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
  | (?P<quoted>`(?:[^`]|``)*(?:`|\Z))
  | (?P<param>\$(?:\w+|`(?:[^`]|``)*`))
  | (?P<number>(?:0x[0-9a-f_]+|0o[0-7_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:e[+-]?\d+)?)\w*)
  | (?P<name>[^\W\d]\w*)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL | re.IGNORECASE,
)
_OPEN = {"(": ")", "[": "]", "{": "}"}
_ITERATORS = {"all", "any", "none", "single"}
_SUBQUERIES = {"count", "collect", "exists"}
_PATH_LISTS = {"nodes", "relationships"}
_KEYWORDS = {  # words that are not variables
    *("and", "or", "xor", "not", "in", "is", "null", "true", "false", "case", "when", "then"),
    *("else", "end", "starts", "ends", "with", "contains", "distinct", "as", "where"),
}


@dataclass(frozen=True)
class Token:
    kind: str  # string, quoted, param, number, name, punct
    text: str
    start: int

    def word(self) -> str:
        """The token as a keyword or function name compares: case-folded names only."""
        return self.text.casefold() if self.kind == "name" else ""


@dataclass
class Group:
    """A bracketed part of the query: its opening bracket and what it holds."""

    bracket: str
    items: list[Token | Group]
    start: int


Item = Token | Group


def tokens(query: str) -> list[Token]:
    """The query's tokens, without blanks and comments.

    Examples
    --------
    >>> [t.text for t in tokens("MATCH (n) // who\\nRETURN n.name AS `the name`")]
    ['MATCH', '(', 'n', ')', 'RETURN', 'n', '.', 'name', 'AS', '`the name`']
    """
    found = []
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "punct"
        if kind != "space":
            found.append(Token(kind, match.group(), match.start()))
    return found


def check_text(query: str, parameters: Mapping[str, Any]) -> None:
    """Refuse a query whose text Neo4j could not stop, or should not run.

    Parameters
    ----------
    query
        The analyst's Cypher.
    parameters
        Its ``$parameters`` (a ``range()`` bound may be one).

    Raises
    ------
    InputError
        If there is no statement at all (field ``query``), or a ``range()``
        bound is a parameter that is not an integer (field ``parameters``).
    QueryRefusedError
        Naming the first reason found (see the module's docstring).

    Examples
    --------
    >>> check_text("UNWIND range(1, 1000000000) AS x RETURN count(x)", {})
    >>> check_text("RETURN [x IN range(1, $n) | x * 2] AS xs", {"n": 100})
    >>> check_text("RETURN size([x IN range(1, 50000000) | x]) AS c", {})
    Traceback (most recent call last):
    ...
    actorgraph.errors.QueryRefusedError: refused: range(1, 50000000) spans 50,000,000 values, \
and a range inside an expression may span 10,000 at most: Neo4j builds it at once and cannot \
stop there (UNWIND range(...) AS x makes rows, which it can stop)
    """
    found = tokens(query)
    if not found:
        raise InputError("the query is empty", field="query")
    for i, token in enumerate(found):
        if token.text == ";" and i + 1 < len(found):
            raise QueryRefusedError("refused: more than one statement (separated by ';')")
    _check_options(found)
    _Checker(query, parameters).walk(_grouped(found), ())


def _check_options(found: Sequence[Token]) -> None:
    """``CYPHER [version] option=value ...`` before the statement: runtime and planner only."""
    i = 0
    while i < len(found) and found[i].word() in ("cypher", "explain", "profile"):
        i += 1
        if found[i - 1].word() != "cypher":
            continue
        if i < len(found) and found[i].kind == "number":
            i += 1  # the language version, "CYPHER 5"
        while i + 1 < len(found) and found[i].kind == "name" and found[i + 1].text == "=":
            option = found[i].text
            if option.casefold() not in ALLOWED_OPTIONS:
                raise QueryRefusedError(
                    f"refused: the CYPHER option {option} tunes Neo4j itself; "
                    f"only {' and '.join(ALLOWED_OPTIONS)} may be set"
                )
            i += 3


def _grouped(found: Sequence[Token]) -> list[Item]:
    """Tokens nested by their brackets (an unclosed bracket closes at the end)."""
    root = Group("", [], 0)
    stack = [root]
    for token in found:
        if token.text in _OPEN:
            group = Group(token.text, [], token.start)
            stack[-1].items.append(group)
            stack.append(group)
        elif len(stack) > 1 and token.text == _OPEN[stack[-1].bracket]:
            stack.pop()
        else:
            stack[-1].items.append(token)
    return root.items


def _split(items: Sequence[Item], separator: str) -> list[list[Item]]:
    """``items`` cut at each top-level token ``separator``."""
    parts: list[list[Item]] = [[]]
    for item in items:
        if isinstance(item, Token) and item.text == separator:
            parts.append([])
        else:
            parts[-1].append(item)
    return parts


def _has(items: Sequence[Item], text: str) -> bool:
    return any(isinstance(item, Token) and item.text == text for item in items)


def _partition(items: Sequence[Item], separators: set[str]) -> tuple[list[Item], list[Item]]:
    """``items`` before and after the first top-level token among ``separators``."""
    for i, item in enumerate(items):
        if isinstance(item, Token) and (item.word() in separators or item.text in separators):
            return list(items[:i]), list(items[i + 1 :])
    return list(items), []


def _call_at(items: Sequence[Item], i: int) -> tuple[str, Group] | None:
    """The function name and argument group of a call starting at ``items[i]``, if one does."""
    name, args = items[i], items[i + 1] if i + 1 < len(items) else None
    if not (isinstance(name, Token) and name.kind == "name"):
        return None
    if not (isinstance(args, Group) and args.bracket == "("):
        return None
    before = items[i - 1] if i else None
    if isinstance(before, Token) and before.text == ".":
        return None  # a namespaced function, apoc.coll.range(...): not ours to judge
    return name.word(), args


def _is_word(item: Item | None, word: str) -> bool:
    return isinstance(item, Token) and item.word() == word


@dataclass(frozen=True)
class _Iteration:
    """A construct that iterates inside an expression: what it is, its variables, list, body."""

    what: str
    variables: tuple[str, ...]  # the element's, and for reduce() the accumulator's
    source: list[Item]
    body: list[Item]
    made: int | None = None  # steps, when it iterates over a list the query makes itself

    @property
    def reduces(self) -> bool:
        """Whether it is a ``reduce()``, whose second variable accumulates."""
        return len(self.variables) == 2


class _Checker:
    """Walks the bracket tree once, refusing at the first shape Neo4j could not stop."""

    def __init__(self, query: str, parameters: Mapping[str, Any]) -> None:
        self.query = query
        self.parameters = parameters

    def walk(self, items: Sequence[Item], inside: tuple[_Iteration, ...]) -> None:
        """Check ``items``; ``inside`` holds the iterations they are part of, innermost last."""
        i = 0
        while i < len(items):
            item = items[i]
            if isinstance(item, Group):
                iteration = self.comprehension(item)
                if iteration is not None:
                    self.iterate(iteration, inside)
                else:
                    self.walk(item.items, inside)
                i += 1
                continue
            call = _call_at(items, i)
            if call is not None:
                word, args = call
                iteration = self.iteration_call(item.text, word, args)
                if iteration is not None:
                    self.iterate(iteration, inside)
                    i += 2
                    continue
                if word == "range":
                    if inside:
                        self.nested(f"range({self.shown(args.items)})", inside)
                    unwound = _is_word(items[i - 1] if i else None, "unwind") and _is_word(
                        items[i + 2] if i + 2 < len(items) else None, "as"
                    )
                    if not unwound:
                        self.range_size(args)
            following = items[i + 1] if i + 1 < len(items) else None
            subquery = isinstance(following, Group) and following.bracket == "{"
            if inside and subquery and item.word() in _SUBQUERIES:
                self.nested(f"a {item.text.upper()} {{...}} subquery", inside)
            i += 1

    # -- recognising iterations ---------------------------------------------------------

    def comprehension(self, group: Group) -> _Iteration | None:
        """A list comprehension ``[x IN xs WHERE p | e]``, or a pattern comprehension."""
        items = group.items
        if group.bracket != "[" or not items or _has(items, ","):
            return None  # a list literal
        if len(items) > 2 and isinstance(items[0], Token) and _is_word(items[1], "in"):
            source, body = _partition(items[2:], {"where", "|"})
            return self.over(_Iteration("a list comprehension", (items[0].text,), source, body))
        starts_with_pattern = (isinstance(items[0], Group) and items[0].bracket == "(") or (
            len(items) > 2 and isinstance(items[1], Token) and items[1].text == "="
        )
        if starts_with_pattern and _has(items, "|"):
            return _Iteration("a pattern comprehension", (), [], list(items))
        return None

    def iteration_call(self, name: str, word: str, args: Group) -> _Iteration | None:
        """A quantifier ``all(x IN xs WHERE p)`` or ``reduce(acc = init, x IN xs | step)``."""
        items = args.items
        variable = items[0] if len(items) > 2 else None
        if word in _ITERATORS and isinstance(variable, Token) and _is_word(items[1], "in"):
            source, body = _partition(items[2:], {"where"})
            return self.over(_Iteration(f"{name}()", (variable.text,), source, body))
        if word != "reduce":
            return None
        init, rest = _partition(items, {","})
        if len(init) < 3 or len(rest) < 3 or not _is_word(rest[1], "in"):
            return None  # not reduce's shape: Neo4j will say what is wrong with it
        accumulator, variable = init[0], rest[0]
        if not isinstance(accumulator, Token) or not isinstance(variable, Token):
            return None
        self.walk(init[2:], ())
        source, step = _partition(rest[2:], {"|"})
        iteration = self.over(
            _Iteration("reduce()", (variable.text, accumulator.text), source, step)
        )
        self.reduced(iteration)
        return iteration

    def over(self, iteration: _Iteration) -> _Iteration:
        """``iteration``, with its steps when its list is made by the query itself:
        exactly a ``range(...)``, or a list literal."""
        source = iteration.source
        if len(source) == 2 and _call_at(source, 0) is not None and _is_word(source[0], "range"):
            assert isinstance(source[1], Group)
            made, what = self.range_size(source[1]), "range()"
        elif len(source) == 1 and isinstance(source[0], Group) and source[0].bracket == "[":
            self.walk(source[0].items, ())
            made, what = len(_split(source[0].items, ",")), "a list literal"
        else:
            return iteration
        return _Iteration(
            f"{iteration.what} over {what}", iteration.variables, source, iteration.body, made
        )

    # -- the rules --------------------------------------------------------------------

    def iterate(self, iteration: _Iteration, inside: tuple[_Iteration, ...]) -> None:
        if inside:
            self.nested(iteration.what, inside)
        within = (iteration,)
        if iteration.made is None:
            self.walk(iteration.source, within)
            self.walk(iteration.body, within)
            return
        self.walk(iteration.body, within)
        for name in _variables(iteration.body):
            if name not in iteration.variables:
                raise QueryRefusedError(
                    f"refused: {iteration.what} refers to {name}: what iterates over a list "
                    "the query makes may use only its own variables, so that it cannot copy "
                    "a value thousands of times where Neo4j cannot stop it"
                )
        # Each step evaluates the body; reduce()'s accumulator may grow by as much each time.
        steps, body = iteration.made, len(self.text(iteration.body)) + 1
        work = steps * steps * body // 2 if iteration.reduces else steps * body
        if work > WORK_MAX:
            raise QueryRefusedError(
                f"refused: {iteration.what} takes {steps:,} steps of a {body - 1:,}-character "
                f"body, about {work:,} units of work where Neo4j cannot stop it; at most "
                f"{WORK_MAX:,} finish within a second (take fewer steps)"
            )

    def nested(self, what: str, inside: tuple[_Iteration, ...]) -> None:
        raise QueryRefusedError(
            f"refused: {what} inside {inside[-1].what}: their work multiplies, and Neo4j "
            "cannot stop it before it ends (UNWIND the outer list, and iterate in each row)"
        )

    def reduced(self, iteration: _Iteration) -> None:
        """Refuse a ``reduce()`` whose work or accumulator could grow without bound."""
        _, accumulator = iteration.variables
        source = iteration.source
        call = _call_at(source, 0) if len(source) == 2 else None
        path = call is not None and call[0] in _PATH_LISTS
        if iteration.made is None and not path:
            raise QueryRefusedError(
                f"refused: reduce() over {self.shown(source)}: reduce() iterates only over a "
                "list literal, a range() or a path's nodes() or relationships(), where its work "
                "is bounded (UNWIND other lists and aggregate: Neo4j can stop that)"
            )
        flat = list(_flat(iteration.body))
        used = [
            i
            for i, t in enumerate(flat)
            if t.kind in ("name", "quoted") and t.text == accumulator and flat[i - 1 : i] != [DOT]
        ]
        if len(used) > 1:
            raise QueryRefusedError(
                f"refused: reduce() uses its accumulator {accumulator} {len(used)} times in one "
                "step: it could double at every step, where Neo4j cannot stop it"
            )
        if used and _inside_call(iteration.body, flat[used[0]], "replace"):
            raise QueryRefusedError(
                f"refused: reduce() passes its accumulator {accumulator} to replace(): it could "
                "double at every step, where Neo4j cannot stop it"
            )

    def range_size(self, args: Group) -> int:
        """How many values ``range(args)`` makes; refused unless known, and small."""
        shown = f"range({self.shown(args.items)})"
        values = [self.integer(part, shown) for part in _split(args.items, ",")]
        if len(values) not in (2, 3) or None in values:
            raise QueryRefusedError(
                f"refused: {shown} inside an expression needs integer literals or parameters "
                "as bounds, so that its size is known before it runs "
                "(UNWIND range(...) AS x makes rows, which Neo4j can stop)"
            )
        start, end, step = (*values, 1)[:3]
        assert start is not None and end is not None and step is not None
        size = 0 if step == 0 else max(0, (end - start) // step + 1)
        if size > RANGE_MAX:
            raise QueryRefusedError(
                f"refused: {shown} spans {size:,} values, and a range inside an expression "
                f"may span {RANGE_MAX:,} at most: Neo4j builds it at once and cannot stop "
                "there (UNWIND range(...) AS x makes rows, which it can stop)"
            )
        return size

    def integer(self, part: Sequence[Item], shown: str) -> int | None:
        """A bound: an integer literal, or a parameter holding an integer, maybe negated."""
        sign = 1
        if len(part) == 2 and isinstance(part[0], Token) and part[0].text in ("+", "-"):
            sign, part = (-1 if part[0].text == "-" else 1), part[1:]
        token = part[0] if len(part) == 1 else None
        if not isinstance(token, Token):
            return None
        if token.kind == "number":
            try:
                return sign * int(token.text.replace("_", ""), 0)
            except ValueError:
                return None  # a float: Neo4j says range() takes integers
        if token.kind != "param":
            return None
        name = token.text[1:].strip("`")
        if name not in self.parameters:
            raise InputError(f"{shown} needs ${name}, which is not given", field="parameters")
        value = self.parameters[name]
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(
                f"{shown} needs an integer, and ${name} is {value!r:.40}", field="parameters"
            )
        return sign * value

    def text(self, items: Sequence[Item]) -> str:
        """The query's own text for ``items``, closing the brackets it leaves open."""
        flat = list(_flat(items))
        if not flat:
            return ""
        last = flat[-1]
        text = self.query[flat[0].start : last.start + len(last.text)]
        return text + "".join(_OPEN[g.bracket] for g in _unclosed(items))

    def shown(self, items: Sequence[Item]) -> str:
        """:meth:`text` on one line, shortened, for a message."""
        text = " ".join(self.text(items).split())
        return text if len(text) <= 60 else text[:57] + "..."


DOT = Token("punct", ".", -1)


def _flat(items: Sequence[Item]) -> Iterator[Token]:
    """Every token of ``items`` in order, the opening bracket of each group included."""
    for item in items:
        if isinstance(item, Group):
            yield Token("punct", item.bracket, item.start)
            yield from _flat(item.items)
        else:
            yield item


def _unclosed(items: Sequence[Item]) -> list[Group]:
    """The groups the last token of ``items`` is inside of, innermost first."""
    found: list[Group] = []
    last = items[-1] if items else None
    while isinstance(last, Group):
        found.insert(0, last)
        last = last.items[-1] if last.items else None
    return found


def _variables(items: Sequence[Item]) -> Iterator[str]:
    """Names in ``items`` that refer to variables or parameters, not keys, labels or functions."""
    flat = list(_flat(items))
    for i, token in enumerate(flat):
        before = flat[i - 1].text if i else ""
        after = flat[i + 1].text if i + 1 < len(flat) else ""
        named = token.kind == "quoted" or (token.kind == "name" and token.word() not in _KEYWORDS)
        referred = named and before not in (".", ":") and after not in ("(", ":")
        if token.kind == "param" or referred:
            yield token.text


def _inside_call(items: Sequence[Item], token: Token, function: str) -> bool:
    """Whether ``token`` is somewhere in the arguments of a call to ``function``."""
    for i, item in enumerate(items):
        if isinstance(item, Group) and token in _flat(item.items):
            called = i > 0 and _is_word(items[i - 1], function)
            return called or _inside_call(item.items, token, function)
    return False


def names_a_database(query: str) -> bool:
    """Whether the query has a ``USE`` clause: at its start, in a subquery, after ``UNION``.

    Examples
    --------
    >>> names_a_database("CALL { USE system RETURN 1 AS x } RETURN x")
    True
    >>> names_a_database("MATCH (n {use: 'USE x'}) RETURN n.use")
    False
    """
    found = tokens(query)
    for i, token in enumerate(found):
        after = found[i + 1] if i + 1 < len(found) else None
        if token.word() != "use" or after is None or after.kind not in ("name", "quoted"):
            continue  # a key, ``{use: 1}``, is not the clause
        before = [t.word() or t.text for t in found[max(i - 2, 0) : i]]
        if not before or before[-1] in ("{", "union") or before[-2:-1] == ["union"]:
            return True
    return False
