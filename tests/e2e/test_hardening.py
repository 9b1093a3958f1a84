"""The server as an attacker finds it: runaway raw Cypher, floods, foreign hosts, headers.

Against ``actorgraph serve`` on a real Neo4j holding the founding corpus:
each raw query that once outlived its timeout, exhausted Neo4j's heap,
answered 169 MB or a 500 is refused or stopped within its timeout and a
second, leaves no transaction running in Neo4j, no ``OutOfMemoryError`` in
its log, and the server's memory bounded; fifty slow queries at once leave
``/health`` and ``/`` answering within a second. In-process: a ``Host`` the
server does not trust is a 400 on every route, and every answer carries the
security headers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from neo4j import GraphDatabase

from actorgraph.api.app import create_app
from actorgraph.graph import STORE_FILE
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.loaders.pipeline import load_paths
from actorgraph.settings import Settings
from tests.conftest import ARTICLES, DATA, wipe
from tests.helpers import open_neo4j
from tests.servers import api_process, neo4j_env, neo4j_logs, peak_memory

MEMORY_BOUND = 256 * 1024 * 1024
"""What the server may grow by, at most, over all the runaway queries."""


@dataclass
class Neo4jServer:
    base: str
    pid: int
    settings: Settings
    started_with: int  # the server's peak memory once it answered, before any raw query


@pytest.fixture(scope="module")
def neo4j_api(neo4j_settings: Settings) -> Iterator[Neo4jServer]:
    """``actorgraph serve`` on Neo4j holding the founding corpus."""
    if not neo4j_logs().is_dir():  # the log tells whether Neo4j ran out of memory
        message = f"no Neo4j log at {neo4j_logs()}: these tests need the suite's own Neo4j"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    store = open_neo4j(neo4j_settings)
    wipe(store)
    assert all(o.error is None for o in load_paths(store, [DATA, ARTICLES]))
    store.close()
    with api_process(neo4j_env(neo4j_settings)) as (base, process):
        yield Neo4jServer(base, process.pid, neo4j_settings, peak_memory(process.pid))


def _running(settings: Settings) -> list[dict[str, Any]]:
    """The raw queries' transactions still in Neo4j (each carries actorgraph's token)."""
    auth = (settings.neo4j_username, settings.neo4j_password.get_secret_value())
    with GraphDatabase.driver(settings.neo4j_uri or "", auth=auth) as driver:
        records, _, _ = driver.execute_query(
            "SHOW TRANSACTIONS YIELD transactionId, currentQuery, metaData, elapsedTime "
            "WHERE metaData.actorgraph IS NOT NULL RETURN transactionId, currentQuery",
            database_=settings.neo4j_database,
        )
    return [r.data() for r in records]


def _out_of_memory() -> int:
    """``OutOfMemoryError`` lines in the suite's Neo4j's logs so far."""
    logs = neo4j_logs()
    return sum(
        log.read_text(encoding="utf-8", errors="replace").count("OutOfMemoryError")
        for log in logs.glob("*.log")
    )


NESTED: list[Any] = json.loads("[" * 900 + "]" * 900)

RUNAWAY = [  # (query, parameters, timeout, status, type): the attacks that once got through
    pytest.param(
        "RETURN size(reduce(s = '', x IN range(1, 120000) | s + 'aaaaaaaaaaaaaaaaaaaa')) AS s",
        {},
        1,
        403,
        "refused",
        id="cpu-past-the-timeout",
    ),
    pytest.param(
        "RETURN size(reduce(s = '', x IN range(1, 3000000) | s + 'aaaaaaaaaaaaaaaaaaaa')) AS s",
        {},
        1,
        403,
        "refused",
        id="cpu-for-hours",
    ),
    pytest.param(
        "RETURN size([x IN range(1, 50000000) | x]) AS c", {}, 2, 403, "refused", id="heap"
    ),
    pytest.param(
        "UNWIND range(1, 1000) AS i RETURN range(1, 30000) AS xs",
        {},
        10,
        403,
        "refused",
        id="169-MB-answer",
    ),
    pytest.param(
        "UNWIND range(1, 1000) AS i RETURN range(1, 5000) AS xs",
        {},
        10,
        200,
        None,
        id="answer-over-the-byte-cap",
    ),
    pytest.param("RETURN date({year: 10000}) AS x", {}, 10, 422, "invalid", id="date-year-10000"),
    pytest.param(
        "RETURN datetime({epochMillis: 9223372036854775807}) AS x",
        {},
        10,
        422,
        "invalid",
        id="datetime-at-the-end-of-time",
    ),
    pytest.param(
        "RETURN reduce(a = [], x IN range(1, 2000) | [a]) AS x",
        {},
        10,
        422,
        "invalid",
        id="answer-2000-lists-deep",
    ),
    pytest.param(
        "RETURN $p AS x", {"p": NESTED}, 10, 422, "invalid", id="parameter-900-lists-deep"
    ),
    pytest.param("RETURN substring('abc', -1) AS x", {}, 10, 422, "invalid", id="execution-failed"),
    pytest.param(
        "CYPHER debug=printCostComparisons MATCH (n) RETURN n",
        {},
        10,
        403,
        "refused",
        id="planner-debug-option",
    ),
    pytest.param(  # counted by Neo4j's memory tracking: stopped at db.memory.transaction.max
        "UNWIND range(1, 100000000) AS x RETURN collect(x) AS xs",
        {},
        10,
        422,
        "memory",
        id="collecting-past-the-memory-limit",
    ),
    pytest.param(  # passes every check: stopped by the wall clock, terminated in Neo4j
        "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b RETURN count(*)",
        {},
        1,
        422,
        "timeout",
        id="ten-billion-rows",
    ),
]


@pytest.mark.parametrize(("query", "parameters", "timeout", "status", "kind"), RUNAWAY)
def test_a_runaway_query_is_refused_or_stopped_within_its_timeout_and_leaves_nothing(
    neo4j_api: Neo4jServer,
    figures: dict[str, object],
    query: str,
    parameters: dict[str, Any],
    timeout: int,
    status: int,
    kind: str | None,
) -> None:
    memory_errors = _out_of_memory()
    body = {"query": query, "parameters": parameters, "timeout": timeout}
    started = time.monotonic()
    response = httpx.post(f"{neo4j_api.base}/cypher", json=body, timeout=timeout + 30)
    answered = time.monotonic() - started
    assert response.status_code == status, response.text
    if kind is None:
        assert response.json()["truncated"] is True
        assert 0 < len(response.content) <= neo4j_api.settings.cypher_max_bytes
    else:
        problem = response.json()
        assert problem["type"] == kind, problem
        assert problem["detail"]
        if kind == "invalid":
            assert problem["field"] == ("parameters" if parameters else "query"), problem
    assert answered <= timeout + 1, answered
    # A second after its answer (or its timeout, if that came first), nothing of it runs.
    time.sleep(max(0.0, started + min(answered, timeout) + 1 - time.monotonic()))
    assert _running(neo4j_api.settings) == []
    assert _out_of_memory() == memory_errors
    figures.update(status=response.status_code, seconds=round(answered, 2), timeout=timeout)


def test_the_server_stays_within_its_memory_through_every_runaway_query(
    neo4j_api: Neo4jServer, figures: dict[str, object]
) -> None:
    for param in RUNAWAY:
        query, parameters, timeout, _, _ = param.values
        body = {"query": query, "parameters": parameters, "timeout": timeout}
        httpx.post(f"{neo4j_api.base}/cypher", json=body, timeout=60)
    after = peak_memory(neo4j_api.pid)
    figures.update(peak_at_start_mib=neo4j_api.started_with // 2**20, peak_after_mib=after // 2**20)
    assert after - neo4j_api.started_with < MEMORY_BOUND


SLOW = "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b RETURN count(*)"
FLOOD = 50


def test_fifty_slow_raw_queries_leave_health_and_pages_answering_within_a_second(
    neo4j_api: Neo4jServer, figures: dict[str, object]
) -> None:
    latencies: dict[str, list[float]] = {"/health": [], "/": []}
    flooding = threading.Event()

    def probe() -> None:
        with httpx.Client(base_url=neo4j_api.base, timeout=30) as client:
            while flooding.is_set():
                for path, times in latencies.items():
                    started = time.monotonic()
                    assert client.get(path).status_code == 200
                    times.append(time.monotonic() - started)
                time.sleep(0.05)

    flooding.set()
    prober = threading.Thread(target=probe)
    prober.start()
    try:
        body = json.dumps({"query": SLOW, "timeout": 3})
        flood = subprocess.run(
            [sys.executable, "-m", "tests.flood", neo4j_api.base, str(FLOOD), body],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    finally:
        flooding.clear()
        prober.join()
    answers = json.loads(flood.stdout)
    outcomes = Counter(f"{status} {kind}" for status, kind, _ in answers)
    assert sum(outcomes.values()) == FLOOD, outcomes
    assert set(outcomes) <= {"422 timeout", "429 busy"}, outcomes
    assert outcomes["422 timeout"] == neo4j_api.settings.cypher_concurrency, outcomes
    assert all(int(wait) >= 1 for status, _, wait in answers if status == 429)
    for path, times in latencies.items():
        assert len(times) >= 10, (path, times)
        assert max(times) < 1.0, (path, max(times))
        figures[path] = {
            "probes": len(times),
            "p50_ms": round(statistics.median(times) * 1000),
            "max_ms": round(max(times) * 1000),
        }
    figures["raw queries"] = dict(outcomes)
    assert _running(neo4j_api.settings) == []


# -- in-process: hosts and headers -------------------------------------------------------


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """The app over the founding corpus on the embedded store, and an id of each kind."""
    folder = tmp_path_factory.mktemp("store")
    store = SQLiteStore(folder / STORE_FILE)
    assert all(o.error is None for o in load_paths(store, [DATA, ARTICLES]))
    everything = store.dump()
    ids = {
        "actor_id": "kataib-hezbollah",
        "claim_id": everything.claims[0].id,
        "event_id": everything.events[0].id,
        "document_id": everything.documents[0].id,
        "place_id": everything.places[0].id,
    }
    settings = Settings().model_copy(update={"data_dir": folder, "neo4j_uri": None})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client, ids


REQUIRED = {
    "source": "centcom",
    "target": "wissam-al-saadi",
    "q": "pmf",
    "format": "json",
    "subject": "united-states",
    "predicate": "struck",
    "object": "pmf",
}
"""A value for each query parameter an operation requires."""


def _routes(client: TestClient, ids: dict[str, str]) -> list[tuple[str, str]]:
    """(method, URL) of every operation in the OpenAPI, its path filled with real ids and
    its required parameters given, and of the pages and files outside it."""
    schema = client.get("/openapi.json", headers={"Host": "127.0.0.1"}).json()
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            required = [
                p["name"]
                for p in operation.get("parameters", [])
                if p["in"] == "query" and p.get("required")
            ]
            query = "&".join(f"{name}={REQUIRED[name]}" for name in required)
            url = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)
            found.append((method.upper(), url + (f"?{query}" if query else "")))
    return [
        *found,
        ("GET", "/"),
        ("GET", "/docs"),
        ("GET", "/openapi.json"),
        ("GET", "/static-offline-docs/swagger-ui.css"),
        ("GET", "/no/such/route"),
    ]


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example"])
def test_a_host_the_server_does_not_trust_is_refused_on_every_route(
    app: tuple[TestClient, dict[str, str]], host: str
) -> None:
    client, ids = app
    routes = _routes(client, ids)
    assert len(routes) > 25
    for method, url in routes:
        response = client.request(method, url, headers={"Host": host}, json={})
        assert response.status_code == 400, (method, url, response.status_code)
        problem = response.json()
        assert (problem["type"], problem["field"]) == ("invalid", "Host")
        assert "ACTORGRAPH_ALLOWED_HOSTS" in problem["detail"]
        assert response.headers["x-content-type-options"] == "nosniff"


def test_next_links_name_only_a_trusted_host(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / STORE_FILE)
    assert all(o.error is None for o in load_paths(store, [DATA, ARTICLES]))
    settings = Settings().model_copy(
        update={"data_dir": tmp_path, "neo4j_uri": None, "allowed_hosts_text": "graph.example"}
    )
    with TestClient(create_app(settings)) as client:
        for host in ("graph.example", "127.0.0.1:8000", "localhost"):
            page = client.get("/actors?limit=1", headers={"Host": host}).json()
            assert page["next"].startswith(f"http://{host}/actors?"), page["next"]
        assert client.get("/actors?limit=1", headers={"Host": "evil.example"}).status_code == 400


def _inline_scripts(html: bytes) -> list[bytes]:
    return re.findall(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)


def test_every_answer_carries_the_security_headers(
    app: tuple[TestClient, dict[str, str]], figures: dict[str, object]
) -> None:
    client, ids = app
    statuses: Counter[int] = Counter()
    pages = 0
    for method, url in _routes(client, ids):
        response = client.request(method, url, headers={"Host": "127.0.0.1"}, json={})
        statuses[response.status_code] += 1
        headers = response.headers
        assert headers["x-content-type-options"] == "nosniff", url
        assert headers["referrer-policy"] == "no-referrer", url
        assert headers["cross-origin-resource-policy"] == "same-origin", url
        policy = dict(
            part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";")
        )
        if headers["content-type"].startswith("text/html"):
            pages += 1
            assert policy["frame-ancestors"] == "'self'", url
            assert policy["default-src"] == "'none'", url
            allowed = set(policy["script-src"].split())
            assert "'unsafe-inline'" not in allowed and "'unsafe-eval'" not in allowed, url
            for script in _inline_scripts(response.content):
                digest = hashlib.sha256(script).digest()
                assert f"'sha256-{base64.b64encode(digest).decode()}'" in allowed, url
        else:
            assert policy == {
                "default-src": "'none'",
                "frame-ancestors": "'none'",
                "base-uri": "'none'",
                "form-action": "'none'",
            }, url
    assert pages >= 4  # the explorer, the API page, the views
    assert {200, 404} <= set(statuses), statuses
    too_large = client.post(
        "/documents", content=b"x" * (3 * 1024 * 1024), headers={"Host": "127.0.0.1"}
    )
    assert too_large.status_code == 413
    assert too_large.headers["x-content-type-options"] == "nosniff"
    figures.update(responses=sum(statuses.values()), pages=pages, statuses=dict(statuses))


def test_the_api_page_needs_nothing_from_a_cdn(app: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = app
    page = client.get("/docs", headers={"Host": "127.0.0.1"})
    assert page.status_code == 200
    sources = re.findall(r"""(?:src|href)=["']([^"']+)""", page.text)
    assert sources and all(s.startswith("/") for s in sources), sources
    for source in sources:
        assert client.get(source, headers={"Host": "127.0.0.1"}).status_code == 200, source
