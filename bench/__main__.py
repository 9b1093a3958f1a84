"""Run the benchmarks and write their figures into BENCHMARKS.md.

``make bench`` (``python -m bench``) runs everything at full size against the
local Neo4j and the embedded store; ``make bench-quick`` (``--quick``) runs a
small version in under two minutes and prints it instead. The figures replace
what lies between the markers in BENCHMARKS.md; the analysis around them is
written by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from dataclasses import dataclass
from typing import Any

from bench import extraction, ingest, render
from bench.common import REPO, Section, driver, machine, ms, worker

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
BOTH = ("embedded", "neo4j")


@dataclass(frozen=True)
class Plan:
    ingest: tuple[int, int]
    """Actors and claims each loader writes."""
    sizes: tuple[tuple[int, int, int, tuple[str, ...]], ...]
    """Actors, claims, sampled inputs per query, and the stores measured."""
    seconds: float
    """How long the 16 clients run."""


FULL = Plan(
    ingest=(1_000, 5_000),
    sizes=(
        (1_000, 10_000, 100, BOTH),
        (10_000, 100_000, 60, BOTH),
        (100_000, 1_000_000, 20, BOTH),
    ),
    seconds=20.0,
)
QUICK = Plan(ingest=(100, 300), sizes=((200, 2_000, 15, BOTH),), seconds=3.0)
LAYERS = (
    ("embedded", "python"),
    ("embedded", "http"),
    ("neo4j", "bare"),
    ("neo4j", "python"),
    ("neo4j", "http"),
)


def latency(results: list[dict[str, Any]]) -> list[Section]:
    by = {(r["store"], r["claims"]): r for r in results}
    sizes = sorted({r["claims"] for r in results})
    sections = []
    for claims in sizes:
        some = next(r for r in results if r["claims"] == claims)
        section = Section(f"Query latency at {claims:,} claims ({some['actors']:,} actors)")
        rows = []
        for query in some["latency"]:
            cells: list[object] = [query]
            for store, layer in LAYERS:
                run = by.get((store, claims))
                if run is None:
                    cells.append("not run")
                    continue
                p50, p99 = run["latency"][query][layer]
                cells.append(f"{ms(p50)} / {ms(p99)}")
            neo = by.get(("neo4j", claims))
            if neo is not None:
                layers = neo["latency"][query]
                cells.append(f"{layers['http'][0] / layers['bare'][0]:.2f}x")
            rows.append(cells)
        section.table(
            [
                "query (p50 / p99)",
                "embedded Python",
                "embedded HTTP",
                "Neo4j bare Cypher",
                "Neo4j Python",
                "Neo4j HTTP",
                "HTTP / bare (p50)",
            ],
            rows,
        )
        sections.append(section)
    throughput = Section("Throughput: 16 concurrent clients on the 1-hop neighbourhood endpoint")
    throughput.table(
        ["store", "claims", "requests", "requests/s", "p50", "p99", "errors"],
        [
            [
                r["store"],
                f"{r['claims']:,}",
                f"{r['throughput']['requests']:,}",
                f"{r['throughput']['rps']:.0f}",
                ms(r["throughput"]["p50"]),
                ms(r["throughput"]["p99"]),
                r["throughput"]["errors"],
            ]
            for r in results
        ],
    )
    for failed in (r for r in results if r["throughput"]["errors"]):
        first = "; ".join(failed["throughput"]["first_errors"])
        throughput.say(f"First errors, {failed['store']} at {failed['claims']:,} claims: {first}")
    sections.append(throughput)
    loads = Section("Loading each size (actorgraph's batched writes; the embedded store in one)")
    loads.table(
        ["store", "claims", "time", "claims/s"],
        [
            [
                r["store"],
                f"{r['claims']:,}",
                f"{r['load_seconds']:.1f} s",
                f"{r['claims'] / r['load_seconds']:,.0f}",
            ]
            for r in results
        ],
    )
    sections.append(loads)
    embedded = Section("Embedded store: size, memory, load time")
    rows = []
    for claims in sizes:
        r = by.get(("embedded", claims))
        if r is None:
            continue
        rows.append(
            [
                f"{claims:,}",
                f"{r['file_bytes'] / 2**20:,.0f} MiB",
                f"{r['load_seconds']:.1f} s",
                f"{r['open']['seconds']:.1f} s",
                f"{r['open']['rss_bytes'] / 2**20:,.0f} MiB",
                f"**{r['open']['rss_bytes'] / claims / 1024:.2f} KiB**",
            ]
        )
    embedded.table(
        [
            "claims",
            "file",
            "written in",
            "opened in",
            "memory when open",
            "memory per claim",
        ],
        rows,
    )
    two_hop = "neighbourhood, 2 hops"
    faster = [
        c
        for c in sizes
        if ("embedded", c) in by
        and ("neo4j", c) in by
        and by[("neo4j", c)]["latency"][two_hop]["http"][0]
        < by[("embedded", c)]["latency"][two_hop]["http"][0]
    ]
    embedded.say(
        "Memory is what opening the store and counting its records adds to a fresh process: "
        "the traversal graph (a node per actor and event, an edge per claim with its status) "
        "and SQLite's page cache (2 MiB at most). The records themselves, documents' text "
        "included, stay in the file. "
        + (
            f"Neo4j answers the 2-hop neighbourhood faster over HTTP from {faster[0]:,} claims."
            if faster
            else "The embedded store answers the 2-hop neighbourhood faster at every size measured."
        )
    )
    sections.append(embedded)
    return sections


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes; print, do not write")
    parser.add_argument("--skip-render", action="store_true", help="no Chromium")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    began = time.perf_counter()
    with driver() as db:
        header = machine(db)
    sections = [ingest.run(*plan.ingest)]
    results = []
    failures = Section("Runs that failed")
    for actors, claims, samples, stores in plan.sizes:
        for store in stores:
            print(f"latency: {store} at {claims:,} claims", file=sys.stderr)
            argv = (store, str(actors), str(claims), str(samples), str(plan.seconds))
            try:
                results.append(worker("bench.latency", *argv))
            except RuntimeError as exc:  # keep the other figures; say what broke
                failures.say(
                    f"`python -m bench.latency {' '.join(argv)}`:", "```", str(exc)[-1500:], "```"
                )
    sections += latency(results)
    if failures.lines:
        sections.append(failures)
    sections.append(extraction.run(args.quick))
    if not args.skip_render:
        sections.append(render.run(args.quick))
    took = time.perf_counter() - began
    report = "\n".join(
        [
            BEGIN,
            f"_Written by `{'make bench-quick' if args.quick else 'make bench'}` on "
            f"{dt.date.today()} in {took / 60:.1f} minutes._",
            "",
            *header,
            "",
            *(s.markdown() for s in sections),
            END,
        ]
    )
    if args.quick:
        print(report)
        return
    path = REPO / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    path.write_text(head + report + rest.split(END, 1)[1], encoding="utf-8")
    print(f"wrote {path} in {took / 60:.1f} minutes", file=sys.stderr)


if __name__ == "__main__":
    main()
