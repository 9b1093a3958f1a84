"""Concurrent clients on one endpoint, from a process of their own.

``python -m bench.load_client URL_TEMPLATE IDS_FILE CLIENTS SECONDS``: each
client (an asyncio task on one httpx connection pool) requests the template
with the next actor id, back to back, for SECONDS. Prints one JSON line:
requests, errors (non-2xx or transport), requests per second, p50 and p99.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time
from pathlib import Path

import httpx


async def main(template: str, ids: list[str], clients: int, seconds: float) -> None:
    cycle = itertools.cycle(ids)
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        end = time.perf_counter() + seconds

        async def one() -> None:
            while time.perf_counter() < end:
                url = template.format(id=next(cycle))
                start = time.perf_counter()
                try:
                    response = await client.get(url)
                    if response.status_code >= 300:
                        errors.append(f"{response.status_code} {url}")
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__} {url}")
                latencies.append(time.perf_counter() - start)

        began = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    print(
        json.dumps(
            {
                "requests": len(latencies),
                "errors": len(errors),
                "first_errors": errors[:3],
                "rps": len(latencies) / elapsed,
                "p50": latencies[len(latencies) // 2],
                "p99": latencies[max(0, -(-99 * len(latencies) // 100) - 1)],
            }
        )
    )


if __name__ == "__main__":
    url, ids_file, clients, seconds = sys.argv[1:]
    ids = Path(ids_file).read_text().split()
    asyncio.run(main(url, ids, int(clients), float(seconds)))
