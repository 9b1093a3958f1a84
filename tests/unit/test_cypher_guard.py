"""The text check of an analyst's Cypher: what it must refuse, and what it must let through.

Each refused query is a shape Neo4j cannot stop at its timeout (a computation
inside one expression); each allowed one is an ordinary analyst's query that
looks like it. No Neo4j here: what the allowed ones do there is in
``test_hardening.py``.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actorgraph.errors import ActorGraphError, InputError, QueryRefusedError
from actorgraph.graph.cypher_guard import RANGE_MAX, WORK_MAX, check_text, names_a_database

ALLOWED = [
    pytest.param("MATCH (a:Actor {kind: $kind}) RETURN a.name", {"kind": "x"}, id="plain-read"),
    pytest.param("UNWIND range(1, 1000000000) AS x RETURN count(x)", {}, id="unwound-range"),
    pytest.param("UNWIND range(1, $n) AS x RETURN x", {"n": 10**9}, id="unwound-parameter"),
    pytest.param("RETURN range(1, 10000) AS xs, range(10, 1, -1) AS down", {}, id="small-ranges"),
    pytest.param("RETURN range(1, $n) AS xs", {"n": 50}, id="range-of-a-parameter"),
    pytest.param("RETURN [x IN range(1, 10000) | x * 2] AS xs", {}, id="comprehension-over-range"),
    pytest.param(
        "RETURN reduce(s = '', x IN range(1, 800) | s + 'aaaaaaaaaaaaaaaaaaaa') AS s",
        {},
        id="reduce-within-the-work-bound",
    ),
    pytest.param("RETURN reduce(t = 0, x IN [1, 2, 3] | t + x) AS t", {}, id="reduce-over-literal"),
    pytest.param(
        "MATCH p = (a)-[*..3]->(b) RETURN reduce(w = 0, r IN relationships(p) | w + r.weight)",
        {},
        id="reduce-over-a-path",
    ),
    pytest.param(
        "MATCH p = (a)-->(b) RETURN [n IN nodes(p) | n.name], all(x IN nodes(p) WHERE x.id > '')",
        {},
        id="comprehension-and-quantifier-over-a-path",
    ),
    pytest.param(
        "MATCH (a:Actor) RETURN a {.name, aliases: [x IN a.aliases WHERE x <> '' | toUpper(x)]}",
        {},
        id="comprehension-in-a-map-projection",
    ),
    pytest.param("MATCH (a) RETURN [(a)-->(b) | b.name] AS xs", {}, id="pattern-comprehension"),
    pytest.param("MATCH (a) RETURN COUNT { (a)-->() } AS n", {}, id="count-subquery"),
    pytest.param("RETURN [1, 2, (3)] AS xs, [x IN [1, 2] | x] AS ys", {}, id="list-literals"),
    pytest.param("CYPHER 5 runtime=slotted planner=cost RETURN 1", {}, id="allowed-options"),
    pytest.param("RETURN ';' AS a; // done", {}, id="trailing-semicolon"),
    pytest.param("RETURN 'range(1, 99999999)' AS s // range(1, 99999999)", {}, id="in-a-string"),
    pytest.param("MATCH (n) WHERE n.range = 5 RETURN n.reduce", {}, id="property-names"),
    pytest.param("RETURN all(x), reduce(s), [x IN ] + ((( ]]", {}, id="broken: Neo4j's to say"),
]


@pytest.mark.parametrize(("query", "parameters"), ALLOWED)
def test_an_ordinary_query_passes(query: str, parameters: dict[str, object]) -> None:
    check_text(query, parameters)


REFUSED = [
    pytest.param(
        "RETURN size(reduce(s = '', x IN range(1, 120000) | s + 'aaaaaaaaaaaaaaaaaaaa')) AS s",
        r"^refused: range\(1, 120000\) spans 120,000 values, and a range inside an expression "
        r"may span 10,000 at most",
        id="long-range-in-reduce",
    ),
    pytest.param(
        "RETURN size([x IN range(1, 50000000) | x]) AS c",
        r"range\(1, 50000000\) spans 50,000,000 values",
        id="long-range-in-comprehension",
    ),
    pytest.param(
        "UNWIND range(1, 1000) AS i RETURN range(1, 30000) AS xs",
        r"range\(1, 30000\) spans 30,000 values",
        id="long-range-in-rows",
    ),
    pytest.param(
        "MATCH (a) RETURN range(1, a.n) AS xs",
        r"range\(1, a\.n\) inside an expression needs integer literals or parameters as bounds",
        id="range-of-a-property",
    ),
    pytest.param(
        "RETURN range(0, 100000000, 1000) AS xs", r"spans 100,001 values", id="long-range-by-step"
    ),
    pytest.param(
        "RETURN [x IN range(1, 10) | [y IN range(1, 10) | x * y]] AS xs",
        r"a list comprehension over range\(\) inside a list comprehension over range\(\): "
        r"their work multiplies",
        id="comprehension-in-comprehension",
    ),
    pytest.param(
        "MATCH (a) WITH collect(a) AS xs RETURN [x IN xs | [(x)-->(b) | b]]",
        r"a pattern comprehension inside a list comprehension",
        id="pattern-comprehension-in-comprehension",
    ),
    pytest.param(
        "MATCH (a) WITH collect(a) AS xs RETURN [x IN xs | COUNT { (x)-->() }]",
        r"a COUNT \{\.\.\.\} subquery inside a list comprehension",
        id="subquery-in-comprehension",
    ),
    pytest.param(
        "MATCH (a) WITH collect(a) AS xs RETURN [x IN xs | range(1, 10)]",
        r"range\(1, 10\) inside a list comprehension",
        id="range-in-comprehension",
    ),
    pytest.param(
        "MATCH (a) WITH collect(a) AS xs RETURN any(x IN xs WHERE all(y IN xs WHERE x = y))",
        r"all\(\) inside any\(\)",
        id="quantifier-in-quantifier",
    ),
    pytest.param(
        "RETURN reduce(s = 'a', x IN range(1, 64) | s + s) AS s",
        r"reduce\(\) uses its accumulator s 2 times in one step: it could double",
        id="doubling-accumulator",
    ),
    pytest.param(
        "RETURN reduce(s = 'a', x IN range(1, 64) | replace(s, 'a', 'aa')) AS s",
        r"reduce\(\) passes its accumulator s to replace\(\)",
        id="replaced-accumulator",
    ),
    pytest.param(
        "MATCH (a) WITH collect(a.name) AS xs RETURN reduce(s = '', x IN xs | s + x)",
        r"reduce\(\) over xs: reduce\(\) iterates only over a list literal, a range\(\) or a "
        r"path's nodes\(\) or relationships\(\)",
        id="reduce-over-collected-data",
    ),
    pytest.param(
        "RETURN reduce(s = '', x IN range(1, 10000) | s + 'aaaaaaaaaaaaaaaaaaaa') AS s",
        r"reduce\(\) over range\(\) takes 10,000 steps of a 26-character body, about "
        r"1,350,000,000 units of work",
        id="reduce-beyond-the-work-bound",
    ),
    pytest.param(
        "RETURN [x IN range(1, 1000) | '" + "a" * 19_000 + "'] AS xs",
        r"a list comprehension over range\(\) takes 1,000 steps of a 19,002-character body",
        id="long-body",
    ),
    pytest.param(
        "MATCH (d:Document) RETURN [x IN range(1, 10000) | d.text] AS copies",
        r"a list comprehension over range\(\) refers to d: what iterates over a list the query "
        r"makes may use only its own variables",
        id="copying-a-stored-value",
    ),
    pytest.param(
        "RETURN [x IN [1, 2, 3] | $text] AS copies",
        r"over a list literal refers to \$text",
        id="copying-a-parameter",
    ),
    pytest.param(
        "CYPHER debug=printCostComparisons MATCH (n) RETURN n",
        r"^refused: the CYPHER option debug tunes Neo4j itself; only runtime and planner",
        id="debug-option",
    ),
    pytest.param(
        "EXPLAIN CYPHER expressionEngine=interpreted RETURN 1",
        r"the CYPHER option expressionEngine",
        id="engine-option",
    ),
    pytest.param("RETURN 1; RETURN 2", r"more than one statement", id="two-statements"),
]


@pytest.mark.parametrize(("query", "reason"), REFUSED)
def test_a_query_neo4j_could_not_stop_is_refused_naming_why(query: str, reason: str) -> None:
    with pytest.raises(QueryRefusedError, match=reason) as caught:
        check_text(query, {"text": "x"})
    assert "\n" not in str(caught.value)


def test_the_bounds_are_what_the_messages_say() -> None:
    check_text(f"RETURN range(1, {RANGE_MAX}) AS xs", {})
    with pytest.raises(QueryRefusedError):
        check_text(f"RETURN range(0, {RANGE_MAX}) AS xs", {})
    steps = WORK_MAX // len("x * 2 ")  # the body's text and one
    check_text(f"RETURN [x IN range(1, {min(steps, RANGE_MAX)}) | x * 2] AS xs", {})


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        pytest.param(
            {"n": "three"}, r"range\(1, \$n\) needs an integer, and \$n is 'three'", id="str"
        ),
        pytest.param({"n": True}, r"needs an integer, and \$n is True", id="bool"),
        pytest.param({}, r"range\(1, \$n\) needs \$n, which is not given", id="missing"),
    ],
)
def test_a_range_bound_that_is_not_an_integer_names_the_parameters(
    parameters: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError, match=message) as caught:
        check_text("RETURN range(1, $n) AS xs", parameters)
    assert caught.value.field == "parameters"


@pytest.mark.parametrize("query", ["", "   ", "// only a comment", "/* and this */"])
def test_no_statement_at_all_is_an_input_error(query: str) -> None:
    with pytest.raises(InputError, match="the query is empty"):
        check_text(query, {})


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("USE system MATCH (n) RETURN n", True),
        ("CALL { USE other RETURN 1 AS x } RETURN x", True),
        ("RETURN 1 AS x UNION ALL USE other RETURN 2 AS x", True),
        ("MATCH (n {use: 'USE x'}) RETURN n.use // USE system", False),
    ],
)
def test_a_use_clause_is_recognised_wherever_it_may_stand(query: str, named: bool) -> None:
    assert names_a_database(query) is named


PIECES = [
    *("range", "reduce", "all", "any", "COUNT", "UNWIND", "AS", "IN", "WHERE", "CYPHER"),
    *("MATCH", "RETURN", "USE", "x", "s", "$p", "1", "-", "10000000", "'a'", "`q`", "="),
    *("(", ")", "[", "]", "{", "}", ",", "|", ".", ":", ";", "//", "/*", "*/", " ", "\n"),
]


@settings(max_examples=2000, derandomize=True, database=None, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.sampled_from([{}, {"p": 5}, {"p": "x"}]))
def test_no_text_trips_the_check_itself(pieces: list[str], parameters: dict[str, object]) -> None:
    """Whatever the text, the check passes it or refuses it naming why: never a crash."""
    with contextlib.suppress(ActorGraphError):
        check_text(" ".join(pieces), parameters)
