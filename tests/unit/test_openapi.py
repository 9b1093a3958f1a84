"""The API keeps its published shape: the OpenAPI document equals the committed copy.

``docs/openapi.json`` is the API's contract with its clients. A change to it is
a change to the API: make it on purpose, and write the new document with

    .venv/bin/python -m tests.unit.test_openapi
"""

from __future__ import annotations

import json
from typing import Any

from actorgraph.api.app import create_app
from actorgraph.settings import Settings
from tests.conftest import REPO

COMMITTED = REPO / "docs" / "openapi.json"


def document() -> dict[str, Any]:
    """The OpenAPI document the API serves with the default settings."""
    settings = Settings().model_copy(update={"neo4j_uri": None, "protect_reads": False})
    schema: dict[str, Any] = create_app(settings).openapi()
    return schema


def test_the_openapi_document_is_the_committed_one() -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert document() == committed, f"the API changed: if on purpose, see {__doc__}"


if __name__ == "__main__":
    text = json.dumps(document(), indent=1, sort_keys=True, ensure_ascii=False)
    COMMITTED.write_text(text + "\n", encoding="utf-8")
