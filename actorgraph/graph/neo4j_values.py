"""What crosses the Neo4j driver: Cypher with schema names spliced in, records as models,
driver values as plain Python."""

from __future__ import annotations

from typing import Any, TypeVar

from neo4j.time import Date
from pydantic import BaseModel
from typing_extensions import LiteralString

from actorgraph.graph.model import Actor, Claim, Document, Event, Place
from actorgraph.graph.store import Label

NODE_KINDS: dict[str, tuple[Label, type[BaseModel]]] = {
    "places": ("Place", Place),
    "actors": ("Actor", Actor),
    "events": ("Event", Event),
    "documents": ("Document", Document),
    "claims": ("Claim", Claim),
}
_M = TypeVar("_M", bound=BaseModel)


def spliced(template: str, **names: str) -> LiteralString:
    """A query constant with schema names spliced in (names come from the closed enums only)."""
    return template.format(**names)  # mypy treats LiteralString as str


def as_properties(record: BaseModel) -> dict[str, Any]:
    """A record as Neo4j properties: enums as values, tuples as lists, no nulls."""
    data = record.model_dump(mode="python")
    return {
        k: (v.value if hasattr(v, "value") else list(v) if isinstance(v, tuple) else v)
        for k, v in data.items()
        if v is not None
    }


INDEXED = frozenset({"location"})
"""Properties kept only for an index (a place's ``point``), derived from the record's own."""


def from_properties(model: type[_M], props: dict[str, Any]) -> _M:
    """Properties back into a model: Neo4j dates become Python dates."""
    native = {
        k: (v.to_native() if isinstance(v, Date) else v)
        for k, v in props.items()
        if k not in INDEXED
    }
    return model.model_validate(native)


def native(value: Any) -> Any:
    """A driver value as plain Python: Neo4j dates as dates, no null properties."""
    if isinstance(value, Date):
        return value.to_native()
    if isinstance(value, dict):
        return {k: native(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [native(v) for v in value]
    return value
