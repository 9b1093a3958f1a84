"""Shared fixtures: every test gets its own empty embedded store."""

from __future__ import annotations

from pathlib import Path

import pytest

from actorgraph.graph import STORE_FILE
from actorgraph.graph.memory import MemoryStore

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "examples" / "articles"
DATA = REPO / "data"
TLB_2020 = "doc-1308386b8c00cbd8"
ZH_2024 = "doc-ae222896fa0acd38"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty ``ACTORGRAPH_DATA`` folder, selected for the code under test."""
    folder = tmp_path / "store"
    monkeypatch.setenv("ACTORGRAPH_DATA", str(folder))
    return folder


@pytest.fixture
def store(data_dir: Path) -> MemoryStore:
    return MemoryStore(data_dir / STORE_FILE)
