"""actorgraph: an actor knowledge graph of conflict reporting that keeps who said what."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from actorgraph.analysis import Graph
    from actorgraph.settings import Settings

__version__ = "0.1.0"


def open(settings: Settings | None = None) -> Graph:
    """The configured store for Python and Jupyter (see :mod:`actorgraph.analysis`)."""
    from actorgraph.analysis import open as open_graph  # pandas and pyvis only when asked for

    return open_graph(settings)
