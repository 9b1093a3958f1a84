"""Query latency on one store at one size, through three layers; and 16 clients at once.

``python -m bench.latency STORE ACTORS CLAIMS SAMPLES SECONDS`` (STORE is
``embedded`` or ``neo4j``) generates a graph, loads it, and times each
catalogue query once per sampled actor (or pair of actors):

- **HTTP**: the endpoint, served by ``actorgraph serve`` in another process,
  on one keep-alive connection;
- **Python**: the Python API, ``actorgraph.open()``'s methods, in this process;
- **bare Cypher** (Neo4j only): the one Cypher query an analyst would write for
  the same answer, on the driver, with nothing of actorgraph in between.

Then ``bench.load_client`` holds 16 concurrent clients on the neighbourhood
endpoint for SECONDS. Each measurement runs in its own process so that one
store's memory never weighs on another's figures. ``python -m bench.latency
open PATH`` opens an embedded store file in a fresh process and reports the
time and the memory it took. Prints one JSON line.
"""

from __future__ import annotations

import gc
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from actorgraph.analysis import Graph
from actorgraph.graph import STORE_FILE
from actorgraph.graph.neo4j import Neo4jStore
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.graph.store import GraphStore
from actorgraph.settings import Settings
from bench.common import REPO, driver, neo4j_auth, sample, timed, wipe, worker
from bench.ingest import slices
from bench.synthetic import generate

CLIENTS = 16
TRAVERSAL = "COMMANDS|PART_OF|STRUCK|KILLED_IN"

# What an analyst would write by hand, for the same answer as each endpoint.
BARE: dict[str, str] = {
    "search": (
        "MATCH (a:Actor) WHERE toLower(a.name) CONTAINS toLower($q) "
        "OR any(x IN coalesce(a.aliases, []) WHERE toLower(x) CONTAINS toLower($q)) "
        "RETURN a.id AS id, a.name AS name LIMIT 10"
    ),
    "neighbourhood, 1 hop": (
        f"MATCH (a:Actor {{id: $id}})-[r:{TRAVERSAL}]-(n) "
        "RETURN r.claim AS claim, type(r) AS predicate, r.status AS status, "
        "startNode(r).id AS source, endNode(r).id AS target, n.id AS id, n.name AS name"
    ),
    "neighbourhood, 2 hops": (
        f"MATCH (a:Actor {{id: $id}})-[:{TRAVERSAL}]-(n) "
        "WITH a, collect(DISTINCT n) AS ring UNWIND ring + [a] AS m "
        f"MATCH (m)-[r:{TRAVERSAL}]-(o) WITH DISTINCT r "
        "RETURN r.claim AS claim, type(r) AS predicate, r.status AS status, "
        "startNode(r).id AS source, startNode(r).name AS source_name, "
        "endNode(r).id AS target, endNode(r).name AS target_name"
    ),
    "shortest paths": (
        "MATCH p = allShortestPaths((a:Actor {id: $source})"
        f"-[:{TRAVERSAL}*..4]-(b:Actor {{id: $target}})) "
        "RETURN [n IN nodes(p) | n.name] AS names, [r IN relationships(p) | r.claim] AS claims "
        "LIMIT 10"
    ),
    "command chain": (
        "MATCH p = (a:Actor {id: $id})-[:COMMANDS|PART_OF*1..3]-(n) "
        "RETURN DISTINCT n.id AS id, n.name AS name, length(p) AS depth"
    ),
    "contested claims": (
        f"MATCH (a:Actor {{id: $id}})-[r:{TRAVERSAL} {{status: 'contested'}}]-() "
        "MATCH (c:Claim {id: r.claim})<-[s:REPORTED|DENIED]-(speaker) "
        "RETURN c.id AS claim, collect({speaker: speaker.name, stance: type(s), "
        "quote: s.quote, date: s.date}) AS said"
    ),
}
QUERIES = tuple(BARE)

Inputs = dict[str, list[dict[str, str]]]


def http_request(query: str, p: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The endpoint's path and query parameters (httpx encodes them)."""
    return {
        "search": ("/search", {"q": p.get("q", "")}),
        "neighbourhood, 1 hop": (f"/actors/{p.get('id')}/neighbourhood", {"hops": "1"}),
        "neighbourhood, 2 hops": (f"/actors/{p.get('id')}/neighbourhood", {"hops": "2"}),
        "shortest paths": (
            "/paths",
            {"source": p.get("source", ""), "target": p.get("target", "")},
        ),
        "command chain": (f"/actors/{p.get('id')}/chain", {}),
        "contested claims": ("/claims/contested", {"actor": p.get("id", ""), "limit": "100"}),
    }[query]


def python_call(g: Graph, query: str) -> Callable[[dict[str, str]], object]:
    return {
        "search": lambda p: g.search(p["q"]),
        "neighbourhood, 1 hop": lambda p: g.neighbourhood(p["id"], hops=1),
        "neighbourhood, 2 hops": lambda p: g.neighbourhood(p["id"], hops=2),
        "shortest paths": lambda p: g.paths(p["source"], p["target"]),
        "command chain": lambda p: g.chain(p["id"]),
        "contested claims": lambda p: g.claims(actor=p["id"], status="contested"),
    }[query]


def inputs(actor_ids: list[str], names: list[str], samples: int) -> Inputs:
    """The same seeded sample of actors and pairs for every layer and store."""
    rng = random.Random(7)  # noqa: S311 (a sample, not a secret)
    chosen = rng.sample(range(len(actor_ids)), min(samples, len(actor_ids)))
    ids = [{"id": actor_ids[i]} for i in chosen]
    pairs = [  # each sampled actor to the next one: never itself
        {"source": actor_ids[i], "target": actor_ids[j]}
        for i, j in zip(chosen, chosen[1:] + chosen[:1], strict=True)
    ]
    return {
        q: (
            [{"q": names[i]} for i in chosen]
            if q == "search"
            else pairs
            if q == "shortest paths"
            else ids
        )
        for q in QUERIES
    }


def measure(
    store_name: str, actors: int, claims: int, samples: int, seconds: float
) -> dict[str, Any]:
    batch = generate(actors=actors, claims=claims, seed=1)
    actor_ids = [a.id for a in batch.actors]
    names = [a.name for a in batch.actors]
    folder = Path(tempfile.mkdtemp(prefix="actorgraph-bench-"))
    result: dict[str, Any] = {"store": store_name, "claims": claims, "actors": actors}
    store: GraphStore
    if store_name == "neo4j":
        uri, auth = neo4j_auth()
        with driver() as db:
            wipe(db)
        store = Neo4jStore(uri, auth)
        start = time.perf_counter()
        for part in slices(batch):
            store.write(part)
        result["load_seconds"] = time.perf_counter() - start
        env = {"NEO4J_URI": uri, "NEO4J_USERNAME": auth[0], "NEO4J_PASSWORD": auth[1]}
    else:
        path = folder / STORE_FILE
        start = time.perf_counter()
        SQLiteStore(path).write(batch)
        result["load_seconds"] = time.perf_counter() - start
        result["file_bytes"] = path.stat().st_size
        env = {"ACTORGRAPH_DATA": str(folder)}
    del batch
    gc.collect()
    if store_name == "embedded":
        result["open"] = worker("bench.latency", "open", str(folder / STORE_FILE))
        store = SQLiteStore(folder / STORE_FILE)
    given = inputs(actor_ids, names, samples)
    latency: dict[str, dict[str, list[float]]] = {q: {} for q in QUERIES}
    graph = Graph(store, Settings())
    for query in QUERIES:
        stats = sample(python_call(graph, query), given[query])
        latency[query]["python"] = [stats.median, stats.p99]
    if isinstance(store, Neo4jStore):
        with driver() as db:
            for query in QUERIES:
                cypher = BARE[query]
                stats = sample(partial(db.execute_query, cypher), given[query])
                latency[query]["bare"] = [stats.median, stats.p99]
    graph.close()
    del graph, store
    gc.collect()
    from tests.servers import api_server

    with api_server(env, startup=1800) as base, httpx.Client(base_url=base, timeout=600) as client:
        for query in QUERIES:

            def get(p: dict[str, str], q: str = query) -> None:
                path, params = http_request(q, p)
                client.get(path, params=params).raise_for_status()

            stats = sample(get, given[query])
            latency[query]["http"] = [stats.median, stats.p99]
        ids_file = folder / "ids.txt"
        ids_file.write_text("\n".join(p["id"] for p in given["neighbourhood, 1 hop"]))
        result["throughput"] = worker(
            "bench.load_client",
            str(ids_file),
            str(CLIENTS),
            str(seconds),
            base + "/actors/{id}/neighbourhood?hops=1",
        )
    result["latency"] = latency
    if store_name == "neo4j":
        with driver() as db:
            wipe(db)
    shutil.rmtree(folder)  # the store file: 200 MiB at 100k claims
    return result


def open_store(path: str) -> dict[str, float]:
    """Seconds to open an embedded store file here, and the memory it holds once counted.

    Counting every table fills SQLite's page cache, so the figure includes it.
    """
    gc.collect()
    before = _rss()
    store: list[SQLiteStore] = []
    seconds = timed(lambda: store.append(SQLiteStore(Path(path))))
    store[0].stats()
    gc.collect()
    return {"seconds": seconds, "rss_bytes": _rss() - before}


def _rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def main() -> None:
    if sys.argv[1] == "open":
        print(json.dumps(open_store(sys.argv[2])))
        return
    store_name, actors, claims, samples, seconds = sys.argv[1:]
    out = measure(store_name, int(actors), int(claims), int(samples), float(seconds))
    print(json.dumps(out))


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
