"""What every benchmark shares: timing statistics, the machine, Neo4j, report sections."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from neo4j import Driver, GraphDatabase  # noqa: E402

from tests.conftest import empty  # noqa: E402  (the tests empty Neo4j the same way)


@dataclass(frozen=True)
class Stats:
    """Latencies in seconds: median, 99th percentile, how many."""

    median: float
    p99: float
    n: int

    @classmethod
    def of(cls, samples: Sequence[float]) -> Stats:
        ordered = sorted(samples)
        # Nearest rank: with fewer than 100 samples the p99 is the slowest one.
        rank = max(0, -(-99 * len(ordered) // 100) - 1)
        return cls(statistics.median(ordered), ordered[rank], len(ordered))


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def sample(call: Callable[[Any], object], inputs: Iterable[Any], warmup: int = 3) -> Stats:
    """Time ``call`` once per input, after ``warmup`` untimed calls on the first inputs."""
    inputs = list(inputs)
    for item in inputs[:warmup]:
        call(item)
    samples = []
    for item in inputs:
        start = time.perf_counter()
        call(item)
        samples.append(time.perf_counter() - start)
    return Stats.of(samples)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b else "n/a"


@dataclass
class Section:
    """One part of the report: a title, lines of Markdown, and figures for the summary."""

    title: str
    lines: list[str] = field(default_factory=list)

    def table(self, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        self.lines += [
            "| " + " | ".join(header) + " |",
            "|" + " --- |" * len(header),
            *("| " + " | ".join(str(c) for c in row) + " |" for row in rows),
            "",
        ]

    def say(self, *text: str) -> None:
        self.lines += [*text, ""]

    def markdown(self) -> str:
        return "\n".join([f"### {self.title}", "", *self.lines])


def neo4j_auth() -> tuple[str, tuple[str, str]]:
    """NEO4J_URI and credentials from the environment (``scripts/with-neo4j`` sets them)."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        raise SystemExit("the benchmarks need Neo4j: run them with scripts/with-neo4j (make bench)")
    return uri, (os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))


def driver() -> Driver:
    uri, auth = neo4j_auth()
    return GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF")


def wipe(db: Driver) -> None:
    """Empty the Neo4j database, in batches."""
    with db.session() as session:
        empty(session)


def worker(module: str, *args: str, env: dict[str, str] | None = None) -> Any:
    """Run ``python -m module args`` in a fresh process; its last stdout line is JSON."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine(db: Driver) -> list[str]:
    """What the figures were measured on."""
    import neo4j

    import actorgraph

    (record,) = db.execute_query(
        "CALL dbms.components() YIELD name, versions, edition "
        "RETURN name + ' ' + versions[0] + ' ' + edition AS server"
    ).records
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        int(line.split()[1]) // 1024**2
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return [
        f"- machine: {os.cpu_count()} vCPU ({cpu}), {memory} GiB, shared with other work",
        f"- {platform.python_implementation()} {platform.python_version()}, "
        f"actorgraph {actorgraph.__version__}, neo4j driver {neo4j.__version__}",
        f"- {record['server']} (scripts/neo4j: heap 1 GiB, page cache 512 MiB), same machine",
    ]
