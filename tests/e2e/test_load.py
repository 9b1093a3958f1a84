"""Load: 50 concurrent clients for 60 seconds on the read endpoints, on each store.

The clients run in a process of their own (``bench.load_client``), against
``actorgraph serve`` holding the curated data and the eight articles. Every
request must succeed; the figures (requests, requests per second, p50, p99)
go to RELIABILITY.md. Nothing here is timed: a slow machine only makes
fewer requests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from actorgraph.graph.store import GraphStore
from actorgraph.loaders.pipeline import load_paths
from tests.conftest import ARTICLES, DATA, GOLD_ARTICLES, Served
from tests.servers import api_server, clean_env

CLIENTS, SECONDS = 50, 60
TEMPLATES = (
    "/actors/{id}",
    "/actors/{id}/neighbourhood?hops=2",
    "/actors/{id}/chain",
    "/claims?actor={id}",
    "/events?actor={id}",
    "/search?q={id}",
    "/claims/contested",
    "/documents",
)


def _loaded(store: GraphStore) -> list[str]:
    outcomes = load_paths(store, [DATA, ARTICLES, GOLD_ARTICLES])
    assert all(o.error is None for o in outcomes)
    return [a.id for a in store.actors()]


def test_fifty_clients_for_a_minute_get_no_error(
    served: Served, tmp_path: Path, figures: dict[str, object]
) -> None:
    ids = _loaded(served.store)
    ids_file = tmp_path / "ids.txt"
    ids_file.write_text("\n".join(ids))
    with api_server(served.env) as base:
        done = subprocess.run(
            [sys.executable, "-m", "bench.load_client", str(ids_file), str(CLIENTS), str(SECONDS)]
            + [base + t for t in TEMPLATES],
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=SECONDS + 300,
        )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    figures.update(
        clients=CLIENTS,
        seconds=SECONDS,
        **{k: result[k] for k in ("requests", "errors", "rps", "p50", "p99")},
    )
    assert result["errors"] == 0, result["first_errors"]
    assert all(r["requests"] > 0 for r in result["by_template"].values())
