"""The model and the stores. Imports nothing from loaders, queries, api, viz or cli."""

from __future__ import annotations

from actorgraph.errors import ActorGraphError
from actorgraph.graph.neo4j import Neo4jStore
from actorgraph.graph.sqlite import SQLiteStore, read_legacy
from actorgraph.graph.store import GraphStore
from actorgraph.settings import Settings

STORE_FILE = "graph.sqlite"
LEGACY_FILE = "graph.json"  # actorgraph 0.1's store, imported when first opened


def open_store(settings: Settings | None = None) -> GraphStore:
    """Open the configured store: Neo4j if ``NEO4J_URI`` is set, else the embedded one.

    Raises
    ------
    ActorGraphError
        If Neo4j is configured but unreachable, or the embedded file is unreadable.

    Examples
    --------
    >>> import tempfile
    >>> open_store(Settings(data_dir=tempfile.mkdtemp(), NEO4J_URI=None)).name
    'embedded'
    """
    settings = settings or Settings()
    return open_neo4j(settings) if settings.neo4j_uri else open_embedded(settings)


def open_embedded(settings: Settings) -> SQLiteStore:
    """The embedded store under ``settings.data_dir``, whatever ``NEO4J_URI`` says.

    A folder that holds only actorgraph 0.1's ``graph.json`` has it imported
    (and left in place).
    """
    path, legacy = settings.data_dir / STORE_FILE, settings.data_dir / LEGACY_FILE
    if path.exists() or not legacy.exists():
        return SQLiteStore(path)
    batch = read_legacy(legacy)
    store = SQLiteStore(path)
    store.write(batch)
    return store


def open_neo4j(settings: Settings) -> Neo4jStore:
    """The Neo4j store ``NEO4J_URI`` names.

    Raises
    ------
    ActorGraphError
        If ``NEO4J_URI`` is not set, or the server is unreachable.
    """
    if not settings.neo4j_uri:
        raise ActorGraphError("NEO4J_URI is not set: say which Neo4j to use")
    auth = (settings.neo4j_username, settings.neo4j_password.get_secret_value())
    return Neo4jStore(
        settings.neo4j_uri, auth, settings.neo4j_database, settings.cypher_concurrency
    )
