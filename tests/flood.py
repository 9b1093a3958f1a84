"""Many raw queries at once, from a process of their own (so the prober is not slowed).

``python -m tests.flood BASE_URL COUNT BODY_JSON``: sends COUNT ``POST
/cypher`` requests with the JSON body BODY_JSON at once, and prints one JSON
list, an entry per answer: its status, its problem ``type`` (``rows`` for a
result) and its ``Retry-After`` header.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import httpx


async def main(base: str, count: int, body: dict[str, Any]) -> list[list[Any]]:
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:

        async def one() -> list[Any]:
            answer = await client.post("/cypher", json=body)
            kind = answer.json().get("type", "rows")
            return [answer.status_code, kind, answer.headers.get("retry-after")]

        return list(await asyncio.gather(*(one() for _ in range(count))))


if __name__ == "__main__":
    base, count, body = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
    print(json.dumps(asyncio.run(main(base, count, body))))
