"""Who may write, how much may be sent, from where: against a running server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from actorgraph.api.app import create_app
from actorgraph.cli import app
from actorgraph.settings import Settings
from tests.conftest import wipe
from tests.helpers import open_neo4j
from tests.servers import api_server, neo4j_env

KEY = "s3cret-key-for-tests"
ARTICLE = {"title": "A report", "text": "The PMF said Kataib Hezbollah was not there."}


@pytest.fixture(params=["embedded", "neo4j"])
def keyed(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A server with an API key and a 4 KiB body limit, on each store in turn."""
    env = {"ACTORGRAPH_API_KEY": KEY, "ACTORGRAPH_MAX_BODY_BYTES": "4096"}
    if request.param == "embedded":
        env["ACTORGRAPH_DATA"] = str(tmp_path)
    else:
        settings: Settings = request.getfixturevalue("neo4j_settings")
        store = open_neo4j(settings)
        wipe(store)
        store.close()
        env.update(neo4j_env(settings))
    with api_server(env) as base:
        yield base


def _documents(base: str) -> int:
    count: int = httpx.get(f"{base}/stats").json()["counts"]["documents"]
    return count


def test_a_write_without_the_key_gets_401_and_writes_nothing(keyed: str) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": KEY}):
        response = httpx.post(f"{keyed}/documents", json=ARTICLE, headers=headers)
        assert response.status_code == 401
        assert response.json()["type"] == "unauthorized"
        assert "ACTORGRAPH_API_KEY" in response.json()["detail"]
        assert response.headers["www-authenticate"] == "Bearer"
    assert _documents(keyed) == 0
    ok = httpx.post(f"{keyed}/documents", json=ARTICLE, headers={"Authorization": f"Bearer {KEY}"})
    assert ok.status_code == 201
    assert _documents(keyed) == 1
    assert httpx.get(f"{keyed}/actors").status_code == 200  # reads stay open


def test_a_body_over_the_limit_gets_413_whether_declared_or_streamed(keyed: str) -> None:
    auth = {"Authorization": f"Bearer {KEY}"}
    big = {"title": "big", "text": "word " * 2000}
    declared = httpx.post(f"{keyed}/documents", json=big, headers=auth)
    assert declared.status_code == 413
    assert "ACTORGRAPH_MAX_BODY_BYTES" in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the server must count
        yield b'{"title": "big", "text": "'
        for _ in range(100):
            yield b"word " * 100
        yield b'"}'

    streamed = httpx.post(
        f"{keyed}/documents",
        content=chunks(),
        headers={**auth, "Content-Type": "application/json"},
    )
    assert streamed.status_code == 413
    assert _documents(keyed) == 0


def test_reads_need_the_key_when_protected(tmp_path: Path) -> None:
    env = {"ACTORGRAPH_DATA": str(tmp_path), "ACTORGRAPH_API_KEY": KEY}
    with api_server({**env, "ACTORGRAPH_PROTECT_READS": "true"}) as base:
        assert httpx.get(f"{base}/actors").status_code == 401
        authorised = httpx.get(f"{base}/actors", headers={"Authorization": f"Bearer {KEY}"})
        assert authorised.status_code == 200


@pytest.mark.parametrize("protect_reads", [False, True])
def test_the_openapi_asks_for_the_key_where_it_is_needed(protect_reads: bool) -> None:
    # Found by fuzzing: it asked for it on every read, also when reads were open.
    settings = Settings().model_copy(
        update={"api_key": SecretStr(KEY), "protect_reads": protect_reads}
    )
    paths = create_app(settings).openapi()["paths"]
    assert "security" in paths["/documents"]["post"]
    assert ("security" in paths["/actors"]["get"]) is protect_reads
    assert "security" not in paths["/health"]["get"]


def test_cors_allows_only_the_configured_origins(tmp_path: Path) -> None:
    env = {
        "ACTORGRAPH_DATA": str(tmp_path),
        "ACTORGRAPH_CORS_ORIGINS": "https://analyst.example, https://newsroom.example",
    }
    preflight = {"Access-Control-Request-Method": "GET"}
    with api_server(env) as base:
        allowed = httpx.options(
            f"{base}/actors", headers={**preflight, "Origin": "https://newsroom.example"}
        )
        other = httpx.get(f"{base}/actors", headers={"Origin": "https://elsewhere.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://newsroom.example"
    assert "access-control-allow-origin" not in other.headers


def test_serve_refuses_a_public_address_without_a_key(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACTORGRAPH_API_KEY", raising=False)
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "1"])
    assert result.exit_code == 2
    assert "refusing to listen on 0.0.0.0 without an API key" in result.output


def test_serve_refuses_a_public_address_without_the_names_it_answers_to(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACTORGRAPH_API_KEY", "a-key")
    monkeypatch.delenv("ACTORGRAPH_ALLOWED_HOSTS", raising=False)
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "1"])
    assert result.exit_code == 2
    assert "refusing to listen on 0.0.0.0 without ACTORGRAPH_ALLOWED_HOSTS" in result.output
