from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from actorgraph.api.app import app
from actorgraph.graph import STORE_FILE


def test_health_names_the_store_and_says_it_answers(data_dir: Path) -> None:
    with TestClient(app) as client:
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "store": "embedded",
        "location": str(data_dir / STORE_FILE),
        "ok": True,
        "detail": None,
    }
