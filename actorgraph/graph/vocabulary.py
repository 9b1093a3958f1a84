"""The graph's vocabulary, as data: ``vocabulary.yaml`` read once, into one registry.

Each predicate's relationship type, object label, phrase, colour, chain
direction and STIX name; each actor kind's label, shape and colour; each
status's line; each stance's relationship type, and the other links' (a
document naming an actor, a place inside a place, an event at its place). Keyed by the values of
the model's enums (:mod:`actorgraph.graph.model` checks that every member
has its terms), so that this module needs nothing else of the project.

Examples
--------
>>> PREDICATES["killed_in"].phrase, PREDICATES["killed_in"].object
('was killed in', 'Event')
>>> ACTOR_KINDS["armed_group"].label
'ArmedGroup'
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from typing import Any, Literal

import yaml


@dataclass(frozen=True)
class PredicateTerms:
    relationship: str
    object: Literal["Actor", "Event"]
    phrase: str
    colour: str
    stix: str
    chain: Literal["up", "down"] | None = None


@dataclass(frozen=True)
class NodeStyle:
    shape: str
    colour: str
    label: str = ""
    """The Neo4j label, for a kind of actor."""


@dataclass(frozen=True)
class LineStyle:
    dashes: bool | list[int]
    width: int
    terminal: str
    """The colour the CLI prints the status in."""


@dataclass(frozen=True)
class StanceTerms:
    """A relationship that is no claim: a stance, or one of the links."""

    relationship: str


_DATA: dict[str, Any] = yaml.safe_load(
    files("actorgraph.graph").joinpath("vocabulary.yaml").read_text(encoding="utf-8")
)

PREDICATES = {name: PredicateTerms(**terms) for name, terms in _DATA["predicates"].items()}
ACTOR_KINDS = {name: NodeStyle(**terms) for name, terms in _DATA["kinds"].items()}
NODES = {name: NodeStyle(**terms) for name, terms in _DATA["nodes"].items()}
STATUSES = {name: LineStyle(**terms) for name, terms in _DATA["statuses"].items()}
STANCES = {name: StanceTerms(**terms) for name, terms in _DATA["stances"].items()}
LINKS = {name: StanceTerms(**terms) for name, terms in _DATA["links"].items()}
