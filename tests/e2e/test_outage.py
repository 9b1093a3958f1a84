"""Neo4j going away under a running API, and coming back."""

from __future__ import annotations

import httpx

from actorgraph.settings import Settings
from tests.conftest import wipe
from tests.helpers import open_neo4j
from tests.servers import Proxy, api_server, neo4j_env


def test_the_api_answers_503_while_neo4j_is_down_and_recovers_without_restart(
    neo4j_settings: Settings,
) -> None:
    store = open_neo4j(neo4j_settings)
    wipe(store)
    store.close()
    host, port = (neo4j_settings.neo4j_uri or "").split("://", 1)[1].rsplit(":", 1)
    proxy = Proxy((host, int(port)))
    proxy.start()
    with api_server(neo4j_env(neo4j_settings, uri=proxy.uri)) as base:
        assert httpx.get(f"{base}/actors", timeout=30).status_code == 200
        proxy.cut()
        down = httpx.get(f"{base}/actors", timeout=30)
        health = httpx.get(f"{base}/health", timeout=30)
        proxy.start()
        back = httpx.get(f"{base}/actors", timeout=30)
    assert down.status_code == 503
    assert down.json()["type"] == "unavailable"
    assert "unreachable" in down.json()["detail"]
    assert health.status_code == 503 and health.json()["ok"] is False
    assert back.status_code == 200
