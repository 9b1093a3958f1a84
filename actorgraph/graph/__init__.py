"""The model and the stores. Imports nothing from loaders, queries, api, viz or cli."""

from __future__ import annotations

from actorgraph.graph.memory import MemoryStore
from actorgraph.graph.store import GraphStore
from actorgraph.settings import Settings

STORE_FILE = "graph.json"


def open_store(settings: Settings | None = None) -> GraphStore:
    """Open the configured store: the embedded one under ``ACTORGRAPH_DATA``.

    Examples
    --------
    >>> import tempfile
    >>> open_store(Settings(data_dir=tempfile.mkdtemp())).name
    'embedded'
    """
    settings = settings or Settings()
    return MemoryStore(settings.data_dir / STORE_FILE)
