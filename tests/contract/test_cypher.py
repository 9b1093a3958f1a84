"""Read-only Cypher on the real Neo4j: what runs, what is refused, and that nothing changes."""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from actorgraph.errors import InputError, QueryRefusedError, QueryTimeoutError
from actorgraph.graph.cypher import ALLOWED_PROCEDURES
from actorgraph.graph.model import ActorKind
from actorgraph.graph.neo4j import Neo4jStore
from actorgraph.graph.store import CypherResult
from actorgraph.loaders.pipeline import load_paths
from tests.conftest import ARTICLES, DATA


@pytest.fixture
def corpus(neo4j_store: Neo4jStore) -> Neo4jStore:
    """Neo4j holding the curated data and the founding corpus."""
    load_paths(neo4j_store, [DATA, ARTICLES])
    return neo4j_store


def ask(store: Neo4jStore, query: str, max_rows: int = 1000, **params: object) -> CypherResult:
    return store.read_only(query, params, timeout=10, max_rows=max_rows)


REFUSED = [
    pytest.param("CREATE (n:Actor {id: 'x'}) RETURN n", r"writes \(CREATE\)", id="create"),
    pytest.param("MERGE (n:Actor {id: 'new'}) RETURN n", r"writes \(MERGE\)", id="merge"),
    pytest.param("MATCH (n:Event) DELETE n", r"writes \(DELETE\)", id="delete"),
    pytest.param("MATCH (n) DETACH DELETE n", r"writes \(DETACH DELETE\)", id="detach-delete"),
    pytest.param("MATCH (n:Actor) SET n.name = 'x'", r"writes \(SET\)", id="set"),
    pytest.param("MATCH (n:Actor) SET n:Other", r"writes \(SET\)", id="set-label"),
    pytest.param("MATCH (n:Actor) REMOVE n.name", r"writes \(SET\)", id="remove-property"),
    pytest.param("MATCH (n:Actor) REMOVE n:Actor", r"writes \(REMOVE\)", id="remove-label"),
    pytest.param(
        "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
        r"^refused: LOAD CSV reads files$",
        id="load-csv",
    ),
    pytest.param(
        "CALL dbms.listConfig()",
        r"^refused: procedure dbms\.listConfig is not on the allowlist \(allowed: db\.labels, ",
        id="dbms-procedure",
    ),
    pytest.param(
        "CALL db.labels() YIELD label CALL dbms.showCurrentUser() YIELD username "
        "RETURN label, username",
        r"procedure dbms\.showCurrentUser is not on the allowlist",
        id="procedure-after-an-allowed-one",
    ),
    pytest.param("CALL db.ping()", r"procedure db\.ping is not on the allowlist", id="db-ping"),
    pytest.param(
        "MATCH (a:Actor) CALL (a) { CREATE (:Actor {id: a.id + '-copy'}) } RETURN count(*)",
        r"writes \(CREATE\)",
        id="create-in-call-subquery",
    ),
    pytest.param(
        "MATCH (a:Actor) CALL { WITH a SET a.name = 'x' } RETURN count(*)",
        r"writes \(SET\)",
        id="set-in-call-subquery",
    ),
    pytest.param(
        "MATCH (a:Actor) WITH collect(a) AS xs FOREACH (x IN xs | SET x.name = 'x')",
        r"writes \(FOREACH\)",
        id="set-in-foreach",
    ),
    pytest.param(
        "FOREACH (i IN range(1, 3) | CREATE (:Actor {id: 'x' + i}))",
        r"writes \(FOREACH\)",
        id="create-in-foreach",
    ),
    pytest.param(
        "SHOW USERS",
        r"^refused: administration and SHOW commands are not allowed \(AdministrationCommand\)$",
        id="show-users",
    ),
    pytest.param("SHOW PROCEDURES", r"SHOW commands .*\(ShowProcedures\)", id="show-procedures"),
    pytest.param("SHOW SETTINGS", r"SHOW commands .*\(ShowSettings\)", id="show-settings"),
    pytest.param(
        "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
        r"SHOW commands .*\(TerminateTransactions\)",
        id="terminate-transactions",
    ),
    pytest.param(
        "CREATE INDEX sneaky IF NOT EXISTS FOR (n:Actor) ON (n.name)",
        r"^refused: schema and administration commands are not allowed \(CreateIndex\)$",
        id="create-index",
    ),
    pytest.param(
        "USE system CALL db.labels()",
        r"^refused: the query targets database 'system', only 'neo4j' is allowed$",
        id="use-system-procedure",
    ),
    pytest.param("USE system MATCH (n) RETURN n", r"another database \(USE\)", id="use-system"),
    pytest.param("USE system SHOW USERS", r"another database \(USE\)", id="use-system-show"),
    pytest.param(
        "CALL { USE system RETURN 1 AS x } RETURN x", r"another database \(USE\)", id="use-in-call"
    ),
    pytest.param("USE other MATCH (n) RETURN n", r"another database \(USE\)", id="use-other"),
    pytest.param(
        "MATCH (n) RETURN count(n); MATCH (n) DETACH DELETE n",
        r"^refused: more than one statement \(separated by ';'\)$",
        id="two-statements",
    ),
    pytest.param(
        "RETURN 1;\nCREATE (:Actor {id: ';'})", r"more than one statement", id="two-lines"
    ),
    pytest.param(
        "UNWIND [1, 2] AS x CALL (x) { RETURN x AS y } IN TRANSACTIONS RETURN y",
        r"IN TRANSACTIONS",
        id="in-transactions",
    ),
]


@pytest.mark.parametrize(("query", "reason"), REFUSED)
def test_a_query_that_is_not_a_plain_read_is_refused_naming_why(
    neo4j_store: Neo4jStore, query: str, reason: str
) -> None:
    with pytest.raises(QueryRefusedError, match=reason) as caught:
        ask(neo4j_store, query)
    assert "\n" not in str(caught.value)


def fingerprint(store: Neo4jStore) -> dict[str, object]:
    """Everything a refused query could have touched: data, schema, counts, a checksum."""

    def rows(query: str) -> list[dict[str, object]]:
        records, _, _ = store._driver.execute_query(query, database_=store.database)
        return [r.data() for r in records]

    nodes = rows(
        "MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props "
        "ORDER BY id"
    )
    rels = rows(
        "MATCH (a)-[r]->(b) RETURN elementId(r) AS id, type(r) AS type, elementId(a) AS a, "
        "elementId(b) AS b, properties(r) AS props ORDER BY id"
    )
    return {
        "per_label": rows(
            "MATCH (n) UNWIND labels(n) AS label "
            "RETURN label, count(*) AS n, sum(size(keys(n))) AS keys ORDER BY label"
        ),
        "per_type": rows("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type"),
        "offsets": rows("MATCH ()-[m:MENTIONS]->() RETURN sum(m.start) AS s, sum(m.end) AS e"),
        "checksum": hashlib.sha256(
            json.dumps([nodes, rels], sort_keys=True, default=str).encode()
        ).hexdigest(),
        "schema": rows("SHOW INDEXES YIELD name RETURN name ORDER BY name"),
    }


def test_no_refused_query_changes_anything(corpus: Neo4jStore) -> None:
    before = fingerprint(corpus)
    assert {"label": "Actor", "n": 64} in [
        {k: row[k] for k in ("label", "n")}
        for row in before["per_label"]  # type: ignore[attr-defined]
    ]
    for param in REFUSED:
        query = str(param.values[0])
        with pytest.raises(QueryRefusedError):
            ask(corpus, query)
    assert fingerprint(corpus) == before


def test_a_read_returns_its_rows_with_nodes_as_json(corpus: Neo4jStore) -> None:
    result = ask(
        corpus, "MATCH (a:Actor {kind: $kind}) RETURN a, a.id AS id ORDER BY id", kind="armed_group"
    )
    expected = sorted(a.id for a in corpus.actors() if a.kind is ActorKind.ARMED_GROUP)
    assert "kataib-hezbollah" in expected
    assert result.columns == ["a", "id"]
    assert [row["id"] for row in result.rows] == expected
    assert not result.truncated
    node = result.rows[0]["a"]
    assert set(node) == {"element_id", "labels", "properties"}
    assert node["labels"] == ["Actor", "ArmedGroup"]
    assert node["properties"]["id"] == expected[0]
    assert isinstance(node["properties"]["aliases"], list)
    json.dumps(result.rows, allow_nan=False)


def test_relationships_and_paths_become_json(corpus: Neo4jStore) -> None:
    result = ask(
        corpus,
        "MATCH p = (s:Actor)-[r:STRUCK]->(o:Actor {id: 'pmf'}) "
        "RETURN p, r, s ORDER BY s.id LIMIT 1",
    )
    (row,) = result.rows
    rel, subject = row["r"], row["s"]
    assert rel["type"] == "STRUCK"
    assert rel["start"] == subject["element_id"]
    assert rel["properties"]["status"] in {"reported", "confirmed", "contested", "denied"}
    assert [n["properties"]["id"] for n in row["p"]["nodes"]] == [
        subject["properties"]["id"],
        "pmf",
    ]
    assert row["p"]["relationships"] == [rel]
    assert rel["end"] == row["p"]["nodes"][1]["element_id"]
    json.dumps(result.rows, allow_nan=False)


def test_temporal_spatial_and_other_values_become_json(neo4j_store: Neo4jStore) -> None:
    result = ask(
        neo4j_store,
        "RETURN date('2020-01-03') AS d, datetime('2020-01-03T01:02:03Z') AS dt, "
        "datetime({year: 2020, month: 1, day: 3, timezone: 'Asia/Baghdad'}) AS zoned, "
        "localtime('12:30') AS t, duration('P1DT2H') AS du, point({x: 1, y: 2}) AS p, "
        "point({longitude: 44.4, latitude: 33.3}) AS g, $b AS b, 0.0 / 0.0 AS nan, "
        "{xs: [1, 2.5, null, true]} AS m",
        b=b"\x00\xff",
    )
    (row,) = result.rows
    assert row["d"] == "2020-01-03"
    assert row["dt"].startswith("2020-01-03T01:02:03")
    assert row["zoned"] == "2020-01-03T00:00:00.000000000+03:00[Asia/Baghdad]"
    assert row["t"].startswith("12:30:00")
    assert row["du"] == "P1DT2H"
    assert row["p"] == {"crs": "cartesian", "srid": 7203, "x": 1.0, "y": 2.0}
    assert row["g"] == {"crs": "wgs-84", "srid": 4326, "x": 44.4, "y": 33.3}
    assert row["b"] == "AP8="
    assert row["nan"] == "NaN"
    assert row["m"] == {"xs": [1, 2.5, None, True]}
    json.dumps(result.rows, allow_nan=False)


def test_a_parameter_holding_cypher_is_only_data(corpus: Neo4jStore) -> None:
    before = fingerprint(corpus)
    evil = "x' OR 1=1 WITH 1 AS x MATCH (n) DETACH DELETE n //"
    result = ask(
        corpus,
        "MATCH (a:Actor) WHERE a.name = $name RETURN a.id AS id UNION RETURN $name AS id",
        name=evil,
    )
    assert result.rows == [{"id": evil}]
    assert fingerprint(corpus) == before


def test_rows_beyond_max_rows_are_cut_and_flagged(corpus: Neo4jStore) -> None:
    query = "MATCH (a:Actor) RETURN a.id AS id ORDER BY id"
    everything = ask(corpus, query, max_rows=64)
    assert len(everything.rows) == 64
    assert not everything.truncated
    cut = ask(corpus, query, max_rows=5)
    assert cut.rows == everything.rows[:5]
    assert cut.truncated
    assert ask(corpus, query, max_rows=63).truncated
    huge = ask(corpus, "UNWIND range(1, 100000000) AS x RETURN x", max_rows=3)
    assert huge.rows == [{"x": 1}, {"x": 2}, {"x": 3}]
    assert huge.truncated


@pytest.mark.parametrize("query", ["CALL db.labels()", "CALL db.labels() YIELD label RETURN *"])
def test_an_allowlisted_procedure_runs(corpus: Neo4jStore, query: str) -> None:
    result = ask(corpus, query)
    assert result.columns == ["label"]
    labels = {row["label"] for row in result.rows}
    assert {"Actor", "ArmedGroup", "Claim", "Document", "Event"} <= labels


@pytest.mark.parametrize("name", ALLOWED_PROCEDURES)
def test_every_allowlisted_procedure_exists_and_is_allowed(
    neo4j_store: Neo4jStore, name: str
) -> None:
    assert ask(neo4j_store, f"CALL {name}()").columns


def test_a_long_query_is_stopped_at_the_timeout(neo4j_store: Neo4jStore) -> None:
    query = "UNWIND range(1, 1000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x)"
    started = time.monotonic()
    with pytest.raises(
        QueryTimeoutError, match=r"^the query ran past the 1 s limit and was stopped$"
    ):
        neo4j_store.read_only(query, {}, timeout=1, max_rows=10)
    assert time.monotonic() - started < 5
    assert ask(neo4j_store, "RETURN 1 AS one").rows == [{"one": 1}]


def test_a_syntax_error_names_the_query_and_its_own_position(neo4j_store: Neo4jStore) -> None:
    with pytest.raises(InputError) as caught:
        ask(neo4j_store, "MATCH (n) RETURN n +")
    assert caught.value.field == "query"
    assert "(line 1, column 21 (offset: 20))" in str(caught.value)
    assert "EXPLAIN" not in str(caught.value)
    for query in ("RETURN 1 / 0 AS x", "  // nothing but a comment\n", ""):
        with pytest.raises(InputError) as caught:
            ask(neo4j_store, query)
        assert caught.value.field == "query"


@pytest.mark.parametrize(
    ("query", "params"),
    [
        pytest.param("RETURN $p AS p", {}, id="missing"),
        pytest.param("RETURN $p AS p", {"p": object()}, id="unsendable-type"),
        pytest.param("RETURN $p AS p", {"p": {1, 2}}, id="set"),
        pytest.param("RETURN range(1, $p) AS p", {"p": "three"}, id="wrong-type"),
        pytest.param("RETURN $p AS p", {"p": 2**63}, id="beyond-64-bits"),  # found by fuzzing
    ],
)
def test_a_bad_parameter_names_the_parameters(
    neo4j_store: Neo4jStore, query: str, params: dict[str, object]
) -> None:
    with pytest.raises(InputError) as caught:
        neo4j_store.read_only(query, params, timeout=5, max_rows=10)
    assert caught.value.field == "parameters"
    assert ask(neo4j_store, "RETURN 1 AS one").rows == [{"one": 1}]
