"""Shared fixtures: every test gets its own empty embedded store."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from neo4j import Session

from actorgraph.graph import STORE_FILE
from actorgraph.graph.neo4j import Neo4jStore
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.graph.store import GraphStore
from actorgraph.settings import Settings
from tests.servers import neo4j_env

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "examples" / "articles"
DATA = REPO / "data"
GOLD = REPO / "tests" / "gold"
GOLD_ARTICLES = GOLD / "articles"
TLB_2020 = "doc-1308386b8c00cbd8"
NEO4J = Settings()  # read before any test's monkeypatching hides NEO4J_URI
FIGURES_FILE = REPO / "tests" / "artefacts" / "figures.json"
_FIGURES: dict[str, dict[str, object]] = {}
ZH_2024 = "doc-ae222896fa0acd38"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty ``ACTORGRAPH_DATA`` folder: the embedded store, for the code under test."""
    folder = tmp_path / "store"
    monkeypatch.setenv("ACTORGRAPH_DATA", str(folder))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    return folder


@pytest.fixture
def store(data_dir: Path) -> SQLiteStore:
    return SQLiteStore(data_dir / STORE_FILE)


@pytest.fixture(scope="session")
def neo4j_settings() -> Settings:
    """The Neo4j the test command started (``NEO4J_URI``): required in CI, else may skip."""
    settings = NEO4J
    if not settings.neo4j_uri:
        message = "NEO4J_URI is not set: `make test` starts a local Neo4j (scripts/neo4j)"
        if os.environ.get("CI"):
            pytest.fail(f"CI needs Neo4j: {message}")
        pytest.skip(message)
    return settings


WIPE = (  # relationships first: a hub's would not fit in one transaction with it
    "MATCH ()-[r]->() WITH r LIMIT 10000 DELETE r RETURN count(*) AS n",
    "MATCH (n) WITH n LIMIT 10000 DELETE n RETURN count(*) AS n",
)


def empty(session: Session) -> None:
    """Empty the database 10,000 records per transaction, however large it is.

    (``CALL {...} IN TRANSACTIONS`` runs inside one outer transaction, which the
    server's 120 s transaction timeout stopped at a million claims.)
    """
    for statement in WIPE:
        while session.run(statement).single(strict=True)["n"]:
            pass


@pytest.fixture
def neo4j_store(neo4j_settings: Settings) -> Iterator[Neo4jStore]:
    """A Neo4j store on an emptied database."""
    auth = (neo4j_settings.neo4j_username, neo4j_settings.neo4j_password.get_secret_value())
    store = Neo4jStore(neo4j_settings.neo4j_uri or "", auth, neo4j_settings.neo4j_database)
    wipe(store)
    yield store
    store.close()


def wipe(store: Neo4jStore) -> None:
    """Empty the database in batches: a benchmark may leave more than one transaction holds."""
    with store._driver.session(database=store.database) as session:
        empty(session)


@pytest.fixture(params=["embedded", "neo4j"])
def any_store(request: pytest.FixtureRequest, data_dir: Path) -> GraphStore:
    """Each store in turn: the contract suite runs unchanged on both."""
    if request.param == "embedded":
        return SQLiteStore(data_dir / STORE_FILE)
    store: Neo4jStore = request.getfixturevalue("neo4j_store")
    return store


@dataclass
class Served:
    """A store, and the environment a process (``actorgraph serve``, ``load``) opens it with."""

    store: GraphStore
    env: dict[str, str]


@pytest.fixture(params=["embedded", "neo4j"])
def served(request: pytest.FixtureRequest, data_dir: Path) -> Served:
    """Each store in turn, empty, for tests that start servers or commands on it."""
    if request.param == "embedded":
        env = {"ACTORGRAPH_DATA": str(data_dir)}
        return Served(SQLiteStore(data_dir / STORE_FILE), env)
    settings: Settings = request.getfixturevalue("neo4j_settings")
    return Served(request.getfixturevalue("neo4j_store"), neo4j_env(settings))


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> dict[str, object]:
    """Figures a test measures (RELIABILITY.md quotes them), kept by test id in FIGURES_FILE."""
    return _FIGURES.setdefault(request.node.nodeid, {})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by what it needs: ``neo4j`` (directly, or as a store parameter) and
    ``browser``; the e2e tier is ``slow`` besides."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        if fixtures & NEO4J_FIXTURES or "neo4j" in params.values():
            item.add_marker(pytest.mark.neo4j)
        if "browser" in fixtures:
            item.add_marker(pytest.mark.browser)
        if Path(str(item.fspath)).parent.name == "e2e":
            item.add_marker(pytest.mark.slow)


NEO4J_FIXTURES = {"neo4j_settings", "neo4j_store"}


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Add this run's figures to FIGURES_FILE, beside those of tests not run this time."""
    if not _FIGURES:
        return
    kept = json.loads(FIGURES_FILE.read_text()) if FIGURES_FILE.exists() else {}
    kept.update(_FIGURES)
    FIGURES_FILE.parent.mkdir(parents=True, exist_ok=True)
    FIGURES_FILE.write_text(json.dumps(kept, indent=1, sort_keys=True, default=str))
