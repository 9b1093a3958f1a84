"""Injection and abuse, on both stores, against a running ``actorgraph serve``.

Hostile text in every parameter of every endpoint (read from the OpenAPI
schema, so a new endpoint is covered without a change here), Cypher that
tries to get past the read-only check, file names that try to leave their
folder, bodies over the limit, and the API key. Each attack is judged by what
it left behind: the database counted (records by label and type, and their
contents) before and after, the folders around the server listed before and
after, the server's log and every answer searched for the key.
"""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import re
import secrets
import tempfile
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any, ClassVar
from urllib.parse import quote

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from actorgraph.api import routes
from actorgraph.api.access import write_access
from actorgraph.api.app import create_app
from actorgraph.cli import app as cli
from actorgraph.errors import QueryRefusedError
from actorgraph.graph import STORE_FILE
from actorgraph.graph import cypher as cypher_module
from actorgraph.graph.model import normalise_text
from actorgraph.graph.neo4j import Neo4jStore
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.loaders.pipeline import load_paths
from actorgraph.settings import Settings
from tests.conftest import ARTICLES, DATA, TLB_2020, wipe
from tests.helpers import TAJI, open_neo4j
from tests.servers import LOOPBACK, api_server, free_port, neo4j_env

KEY = "abuse-test-key-0123456789"
MAX_BODY = 65_536
LONG = "x" * 10_000

PAYLOADS: dict[str, str] = {
    "quote": "'",
    "double-quote": '"',
    "backtick": "`",
    "braces": "{}",
    "line-comment": "pmf //",
    "block-comment": "pmf /* */",
    "or-1-1": "' OR 1=1 //",
    "double-or": '" OR ""="',
    "close-map-delete": '"}) DETACH DELETE n //',
    "close-quote-delete": "pmf'}) MATCH (n) DETACH DELETE n //",
    "close-label-delete": "pmf`) DETACH DELETE n //",
    "detach-delete": "MATCH (n) DETACH DELETE n",
    "with-delete": "x' WITH 1 AS x MATCH (n) DETACH DELETE n //",
    "call-dbms": "CALL dbms.killTransactions(['neo4j-transaction-1'])",
    "call-db-write": "' CALL db.createLabel('Pwned') //",
    "parameter": "$param",
    "parameter-id": "$id",
    "semicolon": "pmf; MATCH (n) DETACH DELETE n",
    "sql-drop": "'; DROP TABLE actors; --",
    "sql-or": "x') OR 1=1 --",
    "nul": "\x00",
    "nul-inside": "pmf\x00' DETACH DELETE n //",
    "long": LONG,
    "fullwidth": "ｐｍｆ' ＯＲ 1=1 //",
    "cyrillic-lookalike": "рmf",  # a Cyrillic р
    "zero-width": "pm\u200bf",
    "right-to-left": "\u202epmf' DETACH DELETE n //",
    "combining": "k\u0301ataib-hezbollah",
    "cypher-unicode-escape": "\\u0027 OR 1=1 //",
    "traversal": "../../../../etc/passwd",
    "encoded-traversal": "..%2f..%2fetc%2fpasswd",
    "backslash-traversal": "..\\..\\windows\\win.ini",
}
"""Cypher (and, for the embedded store's SQLite, SQL) injection, and text that breaks parsers."""
TYPED_SAMPLE = {
    k: PAYLOADS[k]
    for k in ("quote", "or-1-1", "close-map-delete", "detach-delete", "nul", "long", "fullwidth")
}
"""For numbers, dates and choices, which validation refuses before any store sees them."""


# -- counting the database -------------------------------------------------------------

Counted = dict[str, dict[str, str]]
"""Records by label or type (or kind, on the embedded store): id -> canonical content."""


def _count_neo4j(settings: Settings) -> Counted:
    store = open_neo4j(settings)
    try:

        def rows(query: str) -> list[dict[str, Any]]:
            records, _, _ = store._driver.execute_query(query, database_=store.database)
            return [r.data() for r in records]

        counted: Counted = defaultdict(dict)
        for n in rows("MATCH (n) RETURN elementId(n) AS id, labels(n) AS l, properties(n) AS p"):
            counted["node:" + ":".join(sorted(n["l"]))][n["id"]] = _canonical(n["p"])
        for r in rows(
            "MATCH (a)-[r]->(b) RETURN elementId(r) AS id, type(r) AS t, "
            "elementId(a) AS a, elementId(b) AS b, properties(r) AS p"
        ):
            counted["rel:" + r["t"]][r["id"]] = _canonical([r["a"], r["b"], r["p"]])
        for s in rows("SHOW INDEXES YIELD name, type, labelsOrTypes, properties"):
            counted["schema"][s["name"]] = _canonical(s)
        for s in rows("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties"):
            counted["constraint"][s["name"]] = _canonical(s)
        return dict(counted)
    finally:
        store.close()


def _count_embedded(path: Path) -> Counted:
    store = SQLiteStore(path)
    try:
        counted: Counted = defaultdict(dict)
        for kind, record in store.dump().records():
            counted[kind][record.id] = record.model_dump_json()
        return dict(counted)
    finally:
        store.close()


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _changes(before: Counted, after: Counted) -> str:
    """What differs, group by group, with the counts: for a failure message."""
    lines = []
    for group in sorted(set(before) | set(after)):
        old, new = before.get(group, {}), after.get(group, {})
        if old != new:
            changed = sum(old[k] != new[k] for k in old.keys() & new.keys())
            lines.append(f"{group}: {len(old)} -> {len(new)} ({changed} changed)")
    return "; ".join(lines) or "nothing"


# -- the servers -------------------------------------------------------------------------


@dataclass
class Server:
    """``actorgraph serve`` on one store, with the founding corpus, an API key and a body limit.

    Its working folder and ``TMPDIR`` are ``folder/cwd`` and ``folder/tmp``, so
    whatever it writes by a relative or temporary name lands where a test looks.
    """

    store: str
    base: str
    folder: Path
    log: IO[str]
    count: Callable[[], Counted]
    client: httpx.Client


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp(f"abuse-{request.param}")
    for sub in ("cwd", "tmp"):
        (folder / sub).mkdir()
    env = {
        "ACTORGRAPH_API_KEY": KEY,
        "ACTORGRAPH_MAX_BODY_BYTES": str(MAX_BODY),
        "TMPDIR": str(folder / "tmp"),
    }
    count: Callable[[], Counted]
    if request.param == "embedded":
        store: SQLiteStore | Neo4jStore = SQLiteStore(folder / "store" / STORE_FILE)
        env["ACTORGRAPH_DATA"] = str(folder / "store")
        count = partial(_count_embedded, folder / "store" / STORE_FILE)
    else:
        settings: Settings = request.getfixturevalue("neo4j_settings")
        store = open_neo4j(settings)
        wipe(store)
        env.update(neo4j_env(settings))
        count = partial(_count_neo4j, settings)
    assert all(o.error is None for o in load_paths(store, [DATA, ARTICLES]))
    store.close()
    with tempfile.TemporaryFile(mode="w+") as log, pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder / "cwd")  # the server's working folder
        with (
            api_server(env, log=log) as base,
            httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client,
        ):
            mp.undo()
            yield Server(request.param, base, folder, log, count, client)


# -- the OpenAPI schema, walked ----------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    params: tuple[dict[str, Any], ...]
    body: dict[str, Any] | None  # the request body's example, when there is a body

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def operations(schema: dict[str, Any]) -> list[Operation]:
    """Every operation of the schema, with its parameters and its body's example."""
    found = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            body = None
            if "requestBody" in op:
                content = op["requestBody"]["content"]["application/json"]["schema"]
                body = dict(_resolve(schema, content)["examples"][0])
            found.append(Operation(method, path, tuple(op.get("parameters", ())), body))
    return found


def _example(schema: dict[str, Any], param: dict[str, Any], known: dict[str, str]) -> str:
    """A valid value for a parameter: a known id, its schema's example, or its first choice."""
    if param["name"] in known:
        return known[param["name"]]
    node = param["schema"]
    if node.get("examples"):
        return str(node["examples"][0])
    return str(_resolve(schema, node)["enum"][0])


def _request(
    client: httpx.Client,
    op: Operation,
    values: dict[str, str],
    *,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """``op`` with ``values`` for its parameters: path ones quoted whole, the rest as a query."""
    path = op.path
    query = {}
    for param in op.params:
        name = param["name"]
        if name not in values:
            continue
        if param["in"] == "path":
            path = path.replace("{" + name + "}", quote(values[name], safe=""))
        else:
            query[name] = values[name]
    return client.request(
        op.method, path, params=query, json=body if body is not None else op.body, headers=headers
    )


def _known_ids(client: httpx.Client) -> dict[str, str]:
    """Real ids for path parameters whose schema gives no example."""
    claim = client.get("/claims", params={"limit": 1}).json()["data"][0]["id"]
    return {"claim_id": claim, "event_id": TAJI, "document_id": TLB_2020}


def _writes() -> set[str]:
    """Every endpoint that needs the key even when reads are open."""
    return {
        f"{method} {route.path}"
        for route in [*routes.router.routes, *routes.service.routes]
        if isinstance(route, APIRoute) and write_access in _calls(route)
        for method in route.methods or ()
    }


def _calls(route: APIRoute) -> set[Callable[..., Any]]:
    """Every dependency a route runs, however deep."""
    found: set[Callable[..., Any]] = set()
    pending = list(route.dependant.dependencies)
    while pending:
        dep = pending.pop()
        if dep.call is not None:
            found.add(dep.call)
        pending += dep.dependencies
    return found


WRITES = _writes()


def _is_text(schema: dict[str, Any], param: dict[str, Any]) -> bool:
    """Whether a parameter takes free text (an id, a name), not a number, date or choice."""
    node = param["schema"]
    return any(
        v.get("type") == "string" and "format" not in v and "enum" not in v
        for v in (_resolve(schema, n) for n in node.get("anyOf", [node]))
    )


ACTOR_PARAMETERS = ("actor_id", "actor", "source", "target", "subject", "object")
"""Parameters that name an actor: each takes any name or spelling (``resolve_actor``)."""


def _fuzzy(op: object, name: str) -> bool:
    """Free text matched by spelling, not an id: a look-alike finding an actor is its job.

    The search's text, and every actor parameter ("pmf //" is a spelling of pmf).
    """
    return (str(op) == "GET /search" and name == "q") or name in ACTOR_PARAMETERS


def _found(response: httpx.Response) -> bool:
    """Whether an answer holds anything: a success that is not an empty page."""
    if not response.is_success:
        return False
    if not response.headers["content-type"].startswith("application/json"):
        return True
    body = response.json()
    return not (isinstance(body, dict) and body.get("data") == [])


def _server_error(response: httpx.Response) -> bool:
    """A 5xx, but for the documented 501 of raw Cypher on the embedded store."""
    unsupported = response.status_code == 501 and response.json().get("type") == "unsupported"
    return response.status_code >= 500 and not unsupported


# -- every parameter of every endpoint ----------------------------------------------------


def test_every_parameter_of_every_endpoint_takes_injection_as_data(
    server: Server, figures: dict[str, object]
) -> None:
    client = server.client
    schema = client.get("/openapi.json").json()
    known = _known_ids(client)
    before = server.count()
    failures, tried = [], 0
    for op in operations(schema):
        required = {
            p["name"]: _example(schema, p, known)
            for p in op.params
            if p.get("required") or p["in"] == "path"
        }
        if op.body is None:  # with a body, see the next tests
            baseline = _request(client, op, required)
            if baseline.status_code != 200:  # else the payloads below prove little
                failures.append(f"{op} with valid values: {baseline.status_code} {baseline.text}")
        for param in op.params:
            text = _is_text(schema, param)
            for name, payload in PAYLOADS.items() if text else TYPED_SAMPLE.items():
                response = _request(client, op, {**required, param["name"]: payload})
                tried += 1
                where = f"{op} {param['name']}={name}: {response.status_code}"
                if _server_error(response):
                    failures.append(where)
                elif str(op) in WRITES and response.status_code != 401:
                    failures.append(f"{where} without the key")
                elif not text and (
                    response.status_code != 422 or param["name"] not in response.text
                ):
                    failures.append(f"{where}, not a 422 naming it")
                elif text and not _fuzzy(op, param["name"]) and _found(response):
                    failures.append(f"{where}: an injected id matched something")
    assert tried > 1000  # every parameter was tried: the schema was walked
    figures.update(requests=tried, payloads=len(PAYLOADS), failures=len(failures))
    assert not failures, "\n".join(failures[:30])
    assert server.count() == before, _changes(before, server.count())


def _fields(body: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The example body with each string field, and each value of an object field, hostile."""
    for field, value in body.items():
        for name, payload in PAYLOADS.items():
            if isinstance(value, str):
                yield f"{field}={name}", {**body, field: payload}
            elif isinstance(value, dict):
                yield f"{field}={name}", {**body, field: dict.fromkeys(value, payload)}


def test_every_body_field_takes_injection_as_data_and_writes_need_the_key(server: Server) -> None:
    client = server.client
    before = server.count()
    failures, tried = [], 0
    for op in operations(client.get("/openapi.json").json()):
        if op.body is None:
            continue
        for what, body in _fields(op.body):
            response = _request(client, op, {}, body=body)  # no key
            tried += 1
            if _server_error(response):
                failures.append(f"{op} {what}: {response.status_code} {response.text[:200]}")
            elif str(op) in WRITES and response.status_code != 401:
                failures.append(f"{op} {what}: {response.status_code} without the key")
    assert tried >= 2 * len(PAYLOADS)
    assert not failures, "\n".join(failures[:30])
    assert server.count() == before, _changes(before, server.count())


def test_a_lone_surrogate_in_any_body_field_is_a_422_naming_it(server: Server) -> None:
    """JSON can escape half a surrogate pair (``"\\ud800"``), which no UTF-8 text holds;
    the 422 that echoes it must still be sendable (it was a 500)."""
    client = server.client
    auth = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    before = server.count()
    tried = 0
    for op in operations(client.get("/openapi.json").json()):
        for field, value in (op.body or {}).items():
            if isinstance(value, str):
                raw = json.dumps({**(op.body or {}), field: "\ud800"}).encode("ascii")
                response = client.request(op.method, op.path, content=raw, headers=auth)
                tried += 1
                assert response.status_code == 422, (str(op), field, response.text)
                assert response.json()["field"] == field
    assert tried >= 2
    assert server.count() == before, _changes(before, server.count())


def test_a_write_with_the_key_stores_hostile_text_verbatim_and_touches_nothing_else(
    server: Server,
) -> None:
    assert {"POST /documents"} == WRITES, "a new write endpoint: read back what it stored here"
    client = server.client
    auth = {"Authorization": f"Bearer {KEY}"}
    schema = client.get("/openapi.json").json()
    example = next(op.body for op in operations(schema) if str(op) == "POST /documents")
    assert example is not None
    before = server.count()
    failures, stored = [], 0
    for i, (what, body) in enumerate(_fields(example)):
        if not what.startswith("text="):  # the id comes from the text: one of its own each
            body["text"] = f"Note {i} names no one."
        response = client.post("/documents", json=body, headers=auth)
        if response.status_code == 422:  # refused: it must name the field
            if what.split("=")[0] not in response.text:
                failures.append(f"{what}: 422 not naming the field: {response.text[:200]}")
            continue
        if response.status_code not in (200, 201):
            failures.append(f"{what}: {response.status_code} {response.text[:200]}")
            continue
        stored += 1
        doc = client.get(f"/documents/{response.json()['document']['id']}").json()
        back = {**doc["document"], "text": doc["text"]}
        sent = {**body, "text": normalise_text(body["text"])}
        if any(back[k] != v for k, v in sent.items()):
            failures.append(f"{what}: stored {back!r}, sent {sent!r}")
    assert stored > len(PAYLOADS)
    assert not failures, "\n".join(failures[:30])
    after = server.count()
    for group, records in before.items():  # every record that was there is there, unchanged
        if group == "node:Revision":  # Neo4j's marker, renewed by design on a write of actors
            continue
        kept = {k: v for k, v in after.get(group, {}).items() if k in records}
        assert kept == records, f"{group} changed: {_changes(before, after)}"


# -- the read-only Cypher endpoint ---------------------------------------------------------

BYPASSES = [  # beyond tests/contract/test_cypher.py::REFUSED and tests/e2e/test_http.py::REFUSED
    ("RETURN '\\'' AS a; CREATE (:Pwned)", 403, r"more than one statement"),
    ("RETURN 1 AS x /* ; */; MATCH (n) DETACH DELETE n", 403, r"more than one statement"),
    ("MATCH (n) /* only reads */ DETACH DELETE n", 403, r"writes \(DETACH DELETE\)"),
    ("RETURN 1 AS x // ;\nUNION MATCH (n) DETACH DELETE n RETURN 1 AS x", 403, r"writes"),
    ("MATCH (n) SET n.pwned = 1 RETURN n // ;", 403, r"writes \(SET\)"),
    ("USE `system` MATCH (n) RETURN n", 403, r"another database"),
    ("use SYSTEM SHOW USERS", 403, r"another database"),
    ("/* hello */ USE system SHOW USERS", 403, r"another database"),
    ("USE graph.byName('system') MATCH (n) RETURN n", 403, r"another database"),
    ("WITH 1 AS x CALL { USE system RETURN 1 AS y } RETURN y", 403, r"another database"),
    ("SHOW DATABASES", 403, r"SHOW commands"),
    ("SHOW CURRENT USER", 403, r"SHOW commands"),
    ("SHOW TRANSACTIONS", 403, r"SHOW commands"),
    ("CREATE USER mallory SET PASSWORD 'secret123456' CHANGE NOT REQUIRED", 403, r"administ"),
    ("ALTER USER neo4j SET PASSWORD 'pwned-password'", 403, r"administration"),
    ("GRANT ROLE admin TO mallory", 422, r"administration command"),  # not in Community
    ("DROP DATABASE neo4j", 422, r"administration command"),  # nor this
    ("DROP INDEX actor_id IF EXISTS", 403, r"schema and administration"),
    ("CALL dbms.components() YIELD name RETURN name", 403, r"dbms\.components is not on"),
    ("CALL dbms.listConnections()", 403, r"dbms\.listConnections is not on"),
    ("CALL dbms.security.createUser('mallory', 'secret', false)", 422, r"dbms\.security"),
    ("OPTIONAL CALL dbms.listConfig()", 403, r"dbms\.listConfig is not on"),
    ("CALL db.createLabel('Pwned')", 403, r"db\.createLabel is not on"),
    ("CALL `db`.`createLabel`('Pwned')", 403, r"db\.createLabel is not on"),
    ("CALL db.clearQueryCaches()", 403, r"db\.clearQueryCaches is not on"),
    ("CALL tx.setMetaData({pwned: true})", 403, r"tx\.setMetaData is not on"),
    ("MATCH (n) RETURN n LIMIT 1 UNION CALL db.createLabel('Q') RETURN null AS n", 403, r"db\."),
    ("CALL apoc.help('x')", 422, r"no procedure with the name `apoc\.help`"),
    ("CALL apoc.cypher.runWrite('MATCH (n) DETACH DELETE n', {})", 422, r"apoc\.cypher"),
    ("RETURN apoc.version() AS v", 422, r"Unknown function 'apoc\.version'"),
    ("CALL { CALL { CREATE (:Pwned) } } RETURN 1 AS x", 403, r"writes \(CREATE\)"),
    ("MATCH (n) RETURN n.id AS x UNION ALL MATCH (n) DETACH DELETE n RETURN 1 AS x", 403, r"writ"),
    ("MATCH (a:Actor) FOREACH (x IN [1] | REMOVE a.name)", 403, r"writes \(FOREACH"),
    ("INSERT (:Pwned)", 403, r"writes \(CREATE\)"),
    ("MERGE (n:Pwned) ON CREATE SET n.a = 1", 403, r"writes \(MERGE"),
    ("LOAD CSV FROM 'file:///../../../etc/passwd' AS row RETURN row", 403, r"LOAD CSV"),
    ("LOAD CSV WITH HEADERS FROM 'https://example.org/x.csv' AS r CREATE (:Pwned)", 403, "LOAD"),
    ("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1 ROWS", 403, r"writes"),
    (
        "USING PERIODIC COMMIT 10 LOAD CSV FROM 'file:///etc/passwd' AS r CREATE (:Pwned)",
        422,
        r"PERIODIC COMMIT query hint is no longer supported",
    ),
    ("EXPLAIN CREATE (:Pwned)", 403, r"writes \(CREATE\)"),
    ("PROFILE MATCH (n) DETACH DELETE n", 403, r"PROFILE"),
    ("PROFILE MATCH (n) RETURN count(n) AS n", 403, r"PROFILE"),
    ("CYPHER runtime=slotted PROFILE CREATE (:Pwned)", 403, r"PROFILE"),
    ("CYPHER 5 MATCH (n) DETACH DELETE n", 403, r"writes \(DETACH DELETE\)"),
    ("\\u0043REATE (:Pwned)", 422, r"Invalid input"),  # Cypher has no escapes in keywords
    ("ＣＲＥＡＴＥ (:Pwned)", 422, r"Invalid input"),  # fullwidth letters are not keywords
]
JSON_ESCAPED = b'{"query": "\\u0043REATE (:Pwned) RETURN 1 AS \\u0078"}'
"""``CREATE`` spelled with a JSON escape: it arrives as CREATE, and is refused as a write."""


def test_cypher_bypasses_are_refused_naming_why_and_change_nothing(
    server: Server, figures: dict[str, object]
) -> None:
    client = server.client
    before = server.count()
    failures = []
    for query, status, reason in BYPASSES:
        response = client.post("/cypher", json={"query": query})
        expected = (
            (501, "raw Cypher needs Neo4j") if server.store == "embedded" else (status, reason)
        )
        if response.status_code != expected[0] or not re.search(expected[1], response.text):
            failures.append(f"{query!r}: {response.status_code} {response.text[:300]}")
    escaped = client.post(
        "/cypher", content=JSON_ESCAPED, headers={"Content-Type": "application/json"}
    )
    if server.store == "neo4j":
        assert escaped.status_code == 403 and "writes (CREATE)" in escaped.json()["detail"]
    else:
        assert escaped.status_code == 501
    figures.update(bypasses=len(BYPASSES) + 1, failures=len(failures))
    assert not failures, "\n".join(failures)
    assert server.count() == before, _changes(before, server.count())


def test_cypher_parameters_with_hostile_values_are_only_data(server: Server) -> None:
    before = server.count()
    query = "MATCH (a:Actor) WHERE a.id = $id RETURN a.id AS id UNION RETURN $id AS id"
    for name, payload in PAYLOADS.items():
        response = server.client.post(
            "/cypher", json={"query": query, "parameters": {"id": payload}}
        )
        if server.store == "embedded":
            assert response.status_code == 501, name
        else:
            assert response.json()["rows"] == [{"id": payload}], name
    # A lone surrogate is valid JSON but no string Neo4j (or UTF-8) can hold.
    for parameters in ({"p": "\ud800"}, {"\ud800": 1}):
        raw = json.dumps({"query": "RETURN $p AS p", "parameters": parameters}).encode("ascii")
        response = server.client.post(
            "/cypher", content=raw, headers={"Content-Type": "application/json"}
        )
        if server.store == "embedded":
            assert response.status_code == 501
        else:
            assert response.status_code == 422, response.text
            assert response.json()["field"] == "parameters"
    assert server.count() == before, _changes(before, server.count())


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers a CSV to anyone, and remembers who asked."""

    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.asked.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"v\n1\n")

    def log_message(self, format: str, *args: Any) -> None:
        return


def test_load_csv_from_a_url_is_refused_before_anything_is_fetched(server: Server) -> None:
    listener = http.server.HTTPServer(("127.0.0.1", free_port()), _Recorder)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{listener.server_port}/rows.csv"
    try:
        assert httpx.get(url).status_code == 200  # it does answer: it could have been fetched
        _Recorder.asked.clear()
        for query in (
            f"LOAD CSV FROM '{url}' AS row RETURN row",
            f"LOAD CSV WITH HEADERS FROM '{url}' AS row CREATE (:Pwned {{v: row.v}})",
            f"CALL {{ LOAD CSV FROM '{url}' AS row RETURN row }} RETURN row",
            "LOAD CSV FROM $url AS row RETURN row",
        ):
            response = server.client.post(
                "/cypher", json={"query": query, "parameters": {"url": url}}
            )
            if server.store == "neo4j":
                assert response.status_code == 403, response.text
                assert response.json()["detail"] == "refused: LOAD CSV reads files"
            else:
                assert response.status_code == 501
    finally:
        listener.shutdown()
        listener.server_close()
    assert _Recorder.asked == []


def test_the_read_transaction_refuses_a_write_the_plan_check_let_through(
    neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: with the plan check switched off, Neo4j's read mode still refuses."""
    monkeypatch.setattr(cypher_module, "check_plan", lambda summary, database: None)
    before = _count_neo4j(neo4j_settings)  # whatever is there: this test wipes nothing
    store = open_neo4j(neo4j_settings)
    try:
        for query in ("CREATE (:Pwned)", "MATCH (n) DETACH DELETE n", "MERGE (n:Pwned) RETURN n"):
            with pytest.raises(QueryRefusedError, match=r"^refused: the query writes"):
                store.read_only(query, {}, timeout=10, max_rows=10)
    finally:
        store.close()
    assert _count_neo4j(neo4j_settings) == before


# -- file names ----------------------------------------------------------------------------

TRAVERSALS = [
    "../escaped",
    "../../escaped.graphml",
    "..\\..\\escaped",
    "%2e%2e%2fescaped",
    "..%2f..%2fescaped",
    "graphml/../../escaped",
    "graphml\x00../escaped",
    "/tmp/escaped.graphml",
    "escaped" * 100,
]


def _files(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative path, with its digest; the store's own folder
    is left out (what is in it is counted through the store)."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "store" not in path.relative_to(folder).parts
    }


def test_an_export_name_comes_from_the_server_and_nothing_is_written_around_it(
    server: Server,
) -> None:
    client = server.client
    files = _files(server.folder)
    for fmt in [*TRAVERSALS, str(server.folder / "escaped.graphml")]:
        response = client.get("/export", params={"format": fmt})
        assert response.status_code == 422, (fmt, response.text)
        assert "format" in response.text
    for fmt, suffix in [
        ("graphml", "graphml"),
        ("gexf", "gexf"),
        ("json", "json"),
        ("csv", "csv.zip"),
        ("stix", "stix.json"),
    ]:
        response = client.get("/export", params={"format": fmt})
        assert response.status_code == 200, response.text
        assert (
            response.headers["content-disposition"] == f'attachment; filename="actorgraph.{suffix}"'
        )
    assert _files(server.folder) == files  # nothing left in TMPDIR, the working folder, or near
    assert not list((server.folder / "tmp").iterdir())


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["export", "--format", "graphml", "-o", "../out/graph.graphml"], id="export"),
        pytest.param(["export", "--format", "csv", "-o", "../out/csv"], id="export-csv"),
        pytest.param(["viz", "pmf", "-o", "../out/pmf.html"], id="viz"),
    ],
)
def test_the_cli_writes_where_its_user_says_and_nowhere_else(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """``-o`` is the user's own choice, ``..`` and all: it is honoured exactly, and only it."""
    store = SQLiteStore(data_dir / STORE_FILE)
    load_paths(store, [DATA, ARTICLES])
    store.close()
    (tmp_path / "work").mkdir()
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    before = _files(tmp_path)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    target = Path(args[-1]).name
    new = set(_files(tmp_path)) - set(before)
    if args[2] == "csv":
        assert new == {f"out/{target}/nodes.csv", f"out/{target}/edges.csv"}
    else:
        assert new == {f"out/{target}"}
    assert {k: v for k, v in _files(tmp_path).items() if k in before} == before


@pytest.mark.parametrize("command", [["export", "--format", "json"], ["viz", "pmf"]])
def test_a_name_too_long_for_the_filesystem_is_one_line_and_writes_nothing(
    data_dir: Path, tmp_path: Path, command: list[str]
) -> None:
    store = SQLiteStore(data_dir / STORE_FILE)
    load_paths(store, [DATA / "actors.yaml"])
    store.close()
    before = _files(tmp_path)
    result = CliRunner().invoke(cli, [*command, "-o", str(tmp_path / ("x" * 300))])
    assert result.exit_code == 2, result.output
    assert "File name too long" in result.output
    assert "Traceback" not in result.output
    assert _files(tmp_path) == before


# -- bodies over the limit ---------------------------------------------------------------------


def test_every_endpoint_that_takes_a_body_refuses_one_over_the_limit(server: Server) -> None:
    """413 whether the size is declared or only streamed, with the key (so it is not a 401)."""
    client = server.client
    auth = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    before = server.count()
    bodies = [op for op in operations(client.get("/openapi.json").json()) if op.body]
    assert {str(op) for op in bodies} >= {"POST /documents", "POST /cypher"}
    for op in bodies:
        field = next(k for k, v in op.body.items() if isinstance(v, str))  # type: ignore[union-attr]
        big = json.dumps({**op.body, field: "x" * MAX_BODY}).encode()  # type: ignore[dict-item]

        def chunks(body: bytes = big) -> Iterator[bytes]:  # no Content-Length: counted
            for start in range(0, len(body), 4096):
                yield body[start : start + 4096]

        declared = client.request(op.method, op.path, content=big, headers=auth)
        streamed = client.request(op.method, op.path, content=chunks(), headers=auth)
        for response in (declared, streamed):
            assert response.status_code == 413, (str(op), response.text)
            assert "ACTORGRAPH_MAX_BODY_BYTES" in response.json()["detail"]
    assert server.count() == before, _changes(before, server.count())


# -- the API key -------------------------------------------------------------------------------


def _protected(schema: dict[str, Any]) -> list[tuple[str, str]]:
    """(method, path) of every operation the schema says needs the key (``security``)."""
    return sorted(
        (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
        if op.get("security")
    )


@pytest.fixture
def keyed_app(tmp_path: Path) -> Iterator[tuple[TestClient, list[tuple[str, str]]]]:
    """The app in-process, every route behind the key, and the routes that check it."""
    settings = Settings(
        ACTORGRAPH_DATA=str(tmp_path), ACTORGRAPH_API_KEY=KEY, ACTORGRAPH_PROTECT_READS=True
    )
    app = create_app(settings)
    with TestClient(app, base_url=LOOPBACK, raise_server_exceptions=False) as client:
        yield client, _protected(app.openapi())


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path)


@dataclass
class Spy:
    """Stands in for ``compare_digest`` everywhere, calls the real one, and remembers."""

    real: Callable[[bytes, bytes], bool]
    calls: list[tuple[object, object]]
    answer: bool | None = None  # when set, what every comparison says instead

    def __call__(self, a: bytes, b: bytes) -> bool:
        self.calls.append((a, b))
        verdict = self.real(a, b)  # raises TypeError on non-ASCII str, as the real one does
        return verdict if self.answer is None else self.answer


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    watcher = Spy(hmac.compare_digest, [])
    monkeypatch.setattr(secrets, "compare_digest", watcher)
    monkeypatch.setattr(hmac, "compare_digest", watcher)
    return watcher


def test_every_protected_route_compares_the_whole_key_as_bytes_with_compare_digest(
    keyed_app: tuple[TestClient, list[tuple[str, str]]], spy: Spy
) -> None:
    client, routes = keyed_app
    assert ("POST", "/documents") in routes and ("GET", "/actors/{actor_id}") in routes
    assert ("GET", "/health") not in routes  # monitors call it without a key
    wrong = {
        "last-character": KEY[:-1] + chr(ord(KEY[-1]) + 1),
        "first-character": chr(ord(KEY[0]) + 1) + KEY[1:],
        "prefix": KEY[:-1],
        "longer": KEY + "0",
        "empty-bearer": "",
    }
    for method, path in routes:
        for name, given in wrong.items():
            spy.calls.clear()
            response = client.request(
                method, _url(path), headers={"Authorization": f"Bearer {given}"}
            )
            assert response.status_code == 401, (method, path, name)
            assert spy.calls, f"{method} {path}: refused without compare_digest"
            (a, b), *_ = spy.calls
            assert type(a) is bytes and type(b) is bytes
            assert b == KEY.encode()  # the whole key, not a prefix
        spy.calls.clear()
        right = client.request(method, _url(path), headers={"Authorization": f"Bearer {KEY}"})
        assert right.status_code != 401, (method, path)
        assert spy.calls and set(spy.calls) == {(KEY.encode(), KEY.encode())}  # read, then write
        spy.answer = False  # the comparison decides, nothing else does
        assert (
            client.request(
                method, _url(path), headers={"Authorization": f"Bearer {KEY}"}
            ).status_code
            == 401
        )
        spy.answer = None


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(b"Bearer \xff\xfe\xfd", id="latin-1"),
        pytest.param("Bearer clé-🔑".encode(), id="utf-8"),
        pytest.param(b"Bearer " + KEY.encode() + "é".encode(), id="key-then-utf-8"),
        pytest.param(b"Bearer \xe2\x80\xae" + KEY.encode(), id="right-to-left-mark"),
        pytest.param(b"Basic " + KEY.encode(), id="other-scheme"),
        pytest.param(KEY.encode(), id="no-scheme"),
    ],
)
def test_a_non_ascii_or_malformed_authorization_is_a_401_never_a_500(
    keyed_app: tuple[TestClient, list[tuple[str, str]]], spy: Spy, header: bytes
) -> None:
    client, routes = keyed_app
    for method, path in routes:
        response = client.request(method, _url(path), headers={"Authorization": header})
        assert response.status_code == 401, (method, path, response.text)
        assert KEY not in response.text


def test_a_non_ascii_key_works_when_sent_as_utf_8(tmp_path: Path, spy: Spy) -> None:
    key = "clé-🔑-0123456789"
    settings = Settings(ACTORGRAPH_DATA=str(tmp_path), ACTORGRAPH_API_KEY=key)
    with TestClient(
        create_app(settings), base_url=LOOPBACK, raise_server_exceptions=False
    ) as client:
        article = {"title": "t", "text": "A note that names no one."}

        def post(header: bytes) -> int:
            response = client.post("/documents", json=article, headers={"Authorization": header})
            status: int = response.status_code
            return status

        assert post(b"Bearer " + key.encode("utf-8")) == 201
        assert post(b"Bearer " + key[:-1].encode("utf-8")) == 401
        assert post(b"Bearer " + key.encode("utf-8", "replace")[:-1] + b"\xff") == 401
    assert all(type(a) is bytes and b == key.encode() for a, b in spy.calls)


def test_the_key_never_appears_in_the_log_or_in_an_answer(server: Server) -> None:
    client = server.client
    sent = [
        client.post("/documents", json={"title": "t"}, headers={"Authorization": f"Bearer {KEY}"}),
        client.post("/documents", json={}, headers={"Authorization": f"Bearer {KEY}x"}),
        client.post("/documents", json={}, headers={"Authorization": KEY}),
        client.post("/documents", content=b"{", headers={"Authorization": f"Bearer {KEY}"}),
        client.post("/cypher", json={"query": "RETURN $k AS", "parameters": {"k": 1}}),
        client.get("/actors/nobody", headers={"Authorization": f"Bearer {KEY}"}),
        client.get("/health"),
        client.get("/stats"),
        client.get("/queries"),
        client.get("/openapi.json"),
    ]
    assert [r.status_code for r in sent[:3]] == [422, 401, 401]
    for response in sent:
        assert KEY not in response.text
        assert KEY not in str(response.headers)
    server.log.seek(0)
    log = server.log.read()
    assert "POST /documents" in log  # the log is the server's, and it logged these requests
    assert KEY not in log
