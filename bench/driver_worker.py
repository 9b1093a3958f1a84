"""Driver-bound work in a process of its own, with or without neo4j-rust-ext.

``python -m bench.driver_worker load ACTORS CLAIMS`` loads a generated graph
with actorgraph's batched writes; ``read`` reads (up to) 10,000 attestation records.
With ``ACTORGRAPH_BENCH_PURE=1`` the driver's Rust extension is hidden before
the driver is imported, so it falls back to its pure-Python packstream: the
same code, the same server, only the codec differs. Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import sys

if os.environ.get("ACTORGRAPH_BENCH_PURE") == "1":
    sys.modules["neo4j._rust"] = None  # type: ignore[assignment]  # the import fails: pure Python

from neo4j._codec.packstream import v1

from bench.common import driver, neo4j_auth, sample, timed, wipe

READ = "MATCH ()-[a:REPORTED|DENIED]->() RETURN properties(a) AS a LIMIT 10000"


def load(actors: int, claims: int) -> dict[str, float]:
    from actorgraph.graph.neo4j import Neo4jStore
    from bench.ingest import slices
    from bench.synthetic import generate

    batch = generate(actors=actors, claims=claims, seed=1)
    uri, auth = neo4j_auth()
    store = Neo4jStore(uri, auth)
    try:
        for _ in range(2):  # the first run warms Neo4j (query plans, JIT); the second counts
            with driver() as db:
                wipe(db)
            seconds = timed(lambda: [store.write(part) for part in slices(batch)])
    finally:
        store.close()
    return {"seconds": seconds, "claims": claims}


def read() -> dict[str, float]:
    with driver() as db:
        records = len(db.execute_query(READ).records)
        stats = sample(lambda _: db.execute_query(READ), range(7), warmup=2)
    return {"median": stats.median, "p99": stats.p99, "records": records}


def main() -> None:
    mode, *args = sys.argv[1:]
    result = load(*map(int, args)) if mode == "load" else read()
    print(json.dumps({**result, "rust": getattr(v1, "_rust_unpack", None) is not None}))


if __name__ == "__main__":
    main()
