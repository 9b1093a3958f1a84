"""notebooks/explore.ipynb runs top to bottom on each store; its outputs are never committed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from actorgraph.graph.neo4j import Neo4jStore
from actorgraph.settings import Settings
from tests.conftest import REPO, wipe
from tests.servers import neo4j_env

NOTEBOOK = REPO / "notebooks" / "explore.ipynb"


def test_the_committed_notebook_carries_no_outputs() -> None:
    nb = _read()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def _read() -> Any:
    return nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]


def _run(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> Any:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    nb = _read()
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # a cell that raises fails here, naming it
    return nb


def _text(nb: Any) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(str(out.get("text", "")))
            parts.append(str(out.get("data", {}).get("text/plain", "")))
            parts.append(str(out.get("data", {}).get("text/html", "")))
    return "\n".join(parts)


def test_the_notebook_runs_on_the_embedded_store(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    out = _text(_run(monkeypatch, {"ACTORGRAPH_DATA": str(data_dir)}))
    assert "Popular Mobilization Forces" in out
    assert "new vis.Network(" in out  # the views drew themselves inline
    assert "Raw Cypher needs Neo4j" in out


def test_the_notebook_runs_on_neo4j(
    monkeypatch: pytest.MonkeyPatch, neo4j_settings: Settings, neo4j_store: Neo4jStore
) -> None:
    wipe(neo4j_store)
    out = _text(_run(monkeypatch, neo4j_env(neo4j_settings)))
    assert "Popular Mobilization Forces" in out
    assert "striker" in out  # the raw Cypher cell ran
