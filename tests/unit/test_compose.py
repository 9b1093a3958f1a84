"""The Docker set-up, checked as data (no Docker engine runs where the tests run)."""

from __future__ import annotations

from typing import Any

import yaml

from tests.conftest import REPO


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_neo4j_is_the_526_lts_image_with_a_healthcheck_and_a_named_volume() -> None:
    neo4j = compose()["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert "cypher-shell" in neo4j["healthcheck"]["test"]
    assert "neo4j-data:/data" in neo4j["volumes"]
    assert "neo4j-data" in compose()["volumes"]
    assert neo4j["environment"]["NEO4J_server_memory_heap_max__size"] == "1g"
    # The image turns any other NEO4J_* variable into a setting and refuses unknown ones.
    assert not {"NEO4J_USERNAME", "NEO4J_PASSWORD"} & set(neo4j["environment"])


def test_the_api_waits_for_a_healthy_neo4j_and_is_built_here() -> None:
    api = compose()["services"]["api"]
    assert api["build"] == "."
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert api["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"
    # serve refuses 0.0.0.0 without a key: compose passes the one from .env.
    assert api["environment"]["ACTORGRAPH_API_KEY"] == "${ACTORGRAPH_API_KEY:-}"
    assert "ACTORGRAPH_API_KEY=" in (REPO / ".env.example").read_text(encoding="utf-8")
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert "uv sync --locked --no-dev" in dockerfile
    assert 'CMD ["actorgraph", "serve", "--host", "0.0.0.0"' in dockerfile
