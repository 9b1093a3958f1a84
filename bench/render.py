"""Rendering: page size and time to a still, usable network in Chromium, by node count.

Run: ``.venv/bin/python bench/render.py`` (needs Debian's ``chromium``:
``scripts/chromium``). A synthetic graph (3,000 actors, 12,000 claims) is
served by the API; the busiest actor's 2-hop neighbourhood is drawn at 100,
500 and 2,000 nodes (the ``limit`` keeps the nearest). "Stable" is the
page's own mark: physics stabilised and switched off, or, above 500 nodes,
the first drawing of the precomputed rings. Figures go into BENCHMARKS.md
by hand.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from actorgraph.graph import STORE_FILE  # noqa: E402
from actorgraph.graph.memory import MemoryStore  # noqa: E402
from actorgraph.synthetic import generate  # noqa: E402
from tests.servers import api_server  # noqa: E402
from tests.test_browser import FLAGS  # noqa: E402

RUNS = 3
SIZES = (100, 500, 2000)


def main() -> None:
    batch = generate(actors=3000, claims=12_000, seed=1)
    hub = Counter(x for c in batch.claims for x in (c.subject, c.object)).most_common(1)[0][0]
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        MemoryStore(Path(folder) / STORE_FILE).write(batch)
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        print(f"| nodes | claims drawn | page | served in | stable after (median of {RUNS}) |")
        print("| --- | --- | --- | --- | --- |")
        with api_server({"ACTORGRAPH_DATA": folder}) as base:
            for size in SIZES:
                url = f"{base}/viz/actors/{hub}?hops=2&limit={size}"
                served, stable, edges, nodes, length = [], [], 0, 0, 0
                for _ in range(RUNS):
                    start = time.perf_counter()
                    length = len(httpx.get(url, timeout=120).content)
                    served.append(time.perf_counter() - start)
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    page.goto(url)
                    page.wait_for_selector("body[data-stable=true]", timeout=300_000)
                    stable.append(page.evaluate("() => window.actorgraph.stableMs") / 1000)
                    nodes = page.evaluate("() => window.actorgraph.nodes.length")
                    edges = page.evaluate("() => window.actorgraph.edges.length")
                    page.close()
                print(
                    f"| {nodes:,} | {edges:,} | {length / 1e6:.1f} MB "
                    f"| {statistics.median(served):.2f} s | {statistics.median(stable):.2f} s |"
                )
        browser.close()


if __name__ == "__main__":
    main()
