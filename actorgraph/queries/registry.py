"""The registry of named queries: what ``GET /queries`` lists, and the reading scope each runs in.

A query module registers its functions with :func:`named`;
:mod:`actorgraph.queries.catalogue` gathers them all.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from actorgraph.graph.store import GraphStore, Read, read_consistently
from actorgraph.queries.params import Params


@dataclass(frozen=True)
class NamedQuery:
    name: str
    summary: str
    ids: tuple[str, ...]
    """The ids the query is about (path parameters in the API)."""
    params: type[Params] | None
    reads: tuple[Read, ...]


CATALOGUE: dict[str, NamedQuery] = {}
_F = TypeVar("_F", bound=Callable[..., Any])


def named(
    *reads_used: Read,
    ids: tuple[str, ...] = (),
    params: type[Params] | None = None,
    scoped: bool = True,
) -> Callable[[_F], _F]:
    """Register a query in the catalogue; unless not ``scoped`` (the analyst's own Cypher,
    which Neo4j runs apart), it runs in one reading scope of its store."""

    def register(function: _F) -> _F:
        summary = (function.__doc__ or "").strip().splitlines()[0]
        CATALOGUE[function.__name__] = NamedQuery(
            function.__name__, summary, ids, params, reads_used
        )

        @functools.wraps(function)
        def in_scope(store: GraphStore, *args: Any, **kwargs: Any) -> Any:
            return read_consistently(store, lambda: function(store, *args, **kwargs))

        return cast(_F, in_scope) if scoped else function

    return register
