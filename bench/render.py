"""Rendering: page size and time to a still, usable network in Chromium, by node count.

A synthetic graph (3,000 actors, 12,000 claims) is served by the API; the
busiest actor's 2-hop neighbourhood is drawn at 100, 500 and 2,000 nodes (the
``limit`` keeps the nearest). "Stable" is the page's own mark: physics
stabilised and switched off, or, above 500 nodes, the first drawing of the
precomputed rings. Needs Debian's ``chromium`` (``scripts/chromium``).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from actorgraph.graph import STORE_FILE
from actorgraph.graph.sqlite import SQLiteStore
from bench.common import Section, Stats
from bench.synthetic import generate
from tests.servers import CHROMIUM_FLAGS as FLAGS
from tests.servers import api_server


def run(quick: bool) -> Section:
    runs, sizes = (1, (100,)) if quick else (3, (100, 500, 2000))
    batch = generate(actors=3000, claims=12_000, seed=1)
    hub = Counter(x for c in batch.claims for x in (c.subject, c.object)).most_common(1)[0][0]
    rows = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        SQLiteStore(Path(folder) / STORE_FILE).write(batch)
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        with api_server({"ACTORGRAPH_DATA": folder}) as base:
            for size in sizes:
                url = f"{base}/viz/actors/{hub}?hops=2&limit={size}"
                served, stable, edges, nodes, length = [], [], 0, 0, 0
                for _ in range(runs):
                    start = time.perf_counter()
                    length = len(httpx.get(url, timeout=300).content)
                    served.append(time.perf_counter() - start)
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    page.goto(url)
                    page.wait_for_selector("body[data-stable=true]", timeout=300_000)
                    stable.append(page.evaluate("() => window.actorgraph.stableMs") / 1000)
                    nodes = page.evaluate("() => window.actorgraph.nodes.length")
                    edges = page.evaluate("() => window.actorgraph.edges.length")
                    page.close()
                rows.append(
                    [
                        f"{nodes:,}",
                        f"{edges:,}",
                        f"{length / 1e6:.1f} MB",
                        f"{Stats.of(served).median:.2f} s",
                        f"{Stats.of(stable).median:.2f} s",
                    ]
                )
        browser.close()
    section = Section(f"Rendering (Chromium headless, median of {runs})")
    section.table(["nodes", "claims drawn", "page", "served in", "stable after"], rows)
    return section
