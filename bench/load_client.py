"""Concurrent clients on one or more endpoints, from a process of their own.

``python -m bench.load_client IDS_FILE CLIENTS SECONDS TEMPLATE [TEMPLATE...]``:
each client (an asyncio task on one httpx connection pool) requests the
templates in turn, each filled with the next actor id, back to back, for
SECONDS. Prints one JSON line: requests, errors (non-2xx or transport),
requests per second, p50 and p99, overall and per template.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx


def _summary(latencies: list[float], errors: list[str], elapsed: float) -> dict[str, Any]:
    latencies = sorted(latencies)
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "first_errors": errors[:3],
        "rps": len(latencies) / elapsed,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[max(0, -(-99 * len(latencies) // 100) - 1)],
    }


async def main(templates: list[str], ids: list[str], clients: int, seconds: float) -> None:
    ids_cycle, templates_cycle = itertools.cycle(ids), itertools.cycle(templates)
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        end = time.perf_counter() + seconds

        async def one() -> None:
            while time.perf_counter() < end:
                template = next(templates_cycle)
                url = template.format(id=next(ids_cycle))
                start = time.perf_counter()
                try:
                    response = await client.get(url)
                    if response.status_code >= 300:
                        errors[template].append(f"{response.status_code} {url}")
                except httpx.HTTPError as exc:
                    errors[template].append(f"{type(exc).__name__} {url}")
                latencies[template].append(time.perf_counter() - start)

        began = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    every = [t for times in latencies.values() for t in times]
    result = _summary(every, [e for found in errors.values() for e in found], elapsed)
    result["by_template"] = {t: _summary(latencies[t], errors[t], elapsed) for t in templates}
    print(json.dumps(result))


if __name__ == "__main__":
    ids_file, clients, seconds, *templates = sys.argv[1:]
    ids = Path(ids_file).read_text().split()
    asyncio.run(main(templates, ids, int(clients), float(seconds)))
