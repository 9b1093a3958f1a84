"""Curated reference data from YAML: places, actors, events, and claims with their sources.

A curated file holds any of four lists::

    places:
      - {id: camp-taji, name: Camp Taji, kind: base, lat: 33.5297, lon: 44.2564, parent: taji}
    actors:
      - {id: pmf, name: Popular Mobilization Forces, kind: armed_group, aliases: [PMF]}
    events:
      - {id: taji-strike-2020, kind: strike, date: 2020-01-04, at: camp-taji, geo_precision: 2}
    claims:
      - subject: abu-mahdi-al-muhandis
        predicate: commands
        object: pmf
        attestations:
          - speaker: the-liberty-beacon
            stance: reported
            document: doc-1308386b8c00cbd8
            quote: "their deputy leader, Abu Mahdi al-Muhandis"

Every attestation quotes its document (white space may differ); the quote is located in the
stored document, so its offsets are real and the document must be loaded
first (``actorgraph load`` orders this itself). A place's parent and an event's place
must be in the file or stored already, and no place may end up inside itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from actorgraph.errors import InputError
from actorgraph.graph.model import (
    Actor,
    Attestation,
    Claim,
    Document,
    Event,
    Place,
    Predicate,
    Slug,
    Stance,
)
from actorgraph.graph.store import GraphBatch, place_cycles
from actorgraph.loaders.articles import read_text
from actorgraph.loaders.yamltext import CSafeLoader, parse_yaml

YAML_SUFFIXES = frozenset({".yaml", ".yml"})
SECTIONS = ("places", "actors", "events", "claims")
_LINE = "__line__"
_M = TypeVar("_M", bound=BaseModel)


class _LineLoader(CSafeLoader):
    """A safe loader that remembers the line where each mapping starts.

    libyaml's parser (in PyYAML's wheels) reads large files about 5x faster
    than the pure-Python one: 4 s, not 21 s, for 40,000 events.
    """


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


class _CuratedAttestation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line: int = Field(alias=_LINE)
    speaker: Slug
    stance: Stance
    document: str
    quote: str = Field(min_length=1)
    hedged: bool = False


class _CuratedClaim(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line: int = Field(alias=_LINE)
    subject: Slug
    predicate: Predicate
    object: Slug
    event: Slug | None = None
    attestations: list[_CuratedAttestation] = Field(min_length=1)


@dataclass
class CuratedFile:
    """A parsed curated file, its claims not yet anchored in their documents."""

    path: Path
    places: list[Place] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[_CuratedClaim] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    """The line of each place and event, by id."""

    def batch(
        self,
        document: Callable[[str], Document | None],
        stored_places: Callable[[], list[Place]] = list,
    ) -> GraphBatch:
        """The records to write, with each quote located in its stored document, and its
        places and events checked against the places stored (``stored_places``)."""
        if self.places or any(e.at for e in self.events):
            self._check_places({p.id: p for p in stored_places()})
        batch = GraphBatch(
            places=list(self.places), actors=list(self.actors), events=list(self.events)
        )
        cache: dict[str, Document | None] = {}  # one read per document, not per quote
        for spec in self.claims:
            claim = Claim(
                subject=spec.subject, predicate=spec.predicate, object=spec.object, event=spec.event
            )
            batch.claims.append(claim)
            for att in spec.attestations:
                if att.document not in cache:
                    cache[att.document] = document(att.document)
                doc = cache[att.document]
                if doc is None:
                    raise InputError(
                        f"document {att.document!r} is not loaded; load its article first",
                        path=self.path,
                        line=att.line,
                        field="document",
                    )
                span = locate(att.quote, doc.text)
                if span is None:
                    raise InputError(
                        f"quote not found verbatim in {att.document} ({doc.title!r})",
                        path=self.path,
                        line=att.line,
                        field="quote",
                    )
                batch.attestations.append(
                    Attestation(
                        claim=claim.id,
                        speaker=att.speaker,
                        stance=att.stance,
                        document=doc.id,
                        quote=doc.text[span[0] : span[1]],
                        start=span[0],
                        end=span[1],
                        hedged=att.hedged,
                        date=doc.published,
                    )
                )
        return batch

    def _check_places(self, stored: dict[str, Place]) -> None:
        """Refuse, by line, a parent or an event's place that is nowhere, and any cycle."""
        known = {**stored, **{p.id: p for p in self.places}}
        for place in self.places:
            if place.parent is not None and place.parent not in known:
                self._refuse(place.id, f"unknown parent place {place.parent!r}", "parent")
        for event in self.events:
            if event.at is not None and event.at not in known:
                self._refuse(event.id, f"unknown place {event.at!r}", "at")
        for cycle in place_cycles(known.values()):
            first = next(i for i in cycle if i in self.lines)
            self._refuse(first, f"places {' -> '.join(cycle)} contain each other", "parent")

    def _refuse(self, record_id: str, problem: str, field: str) -> NoReturn:
        raise InputError(problem, path=self.path, line=self.lines.get(record_id), field=field)


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Where ``quote`` first stands in ``text``, any run of white space matching any other.

    The same answer as searching for the quote's words joined by ``\\s+``,
    without compiling a pattern per quote (which took most of a large load).

    Examples
    --------
    >>> locate("a  strike", "after a\u00a0strike")
    (6, 14)
    """
    first, *rest = quote.split() or [""]
    start = text.find(first) if first else -1
    while start >= 0:
        end = start + len(first)
        for word in rest:
            gap = _SPACE.match(text, end)
            if gap is None or not text.startswith(word, gap.end()):
                break
            end = gap.end() + len(word)
        else:
            return start, end
        start = text.find(first, start + 1)
    return None


_SPACE = re.compile(r"\s+")


def read_curated(path: Path) -> CuratedFile:
    """Parse a curated YAML file; every error names the file and the line.

    Raises
    ------
    InputError
        On invalid YAML, an unknown section or field, or an invalid value.
    """
    text = read_text(path)
    data = parse_yaml(text, path, loader=_LineLoader)
    if not isinstance(data, dict):
        raise InputError(f"expected a mapping with {', '.join(SECTIONS)}", path=path, line=1)
    data.pop(_LINE)
    unknown = sorted(set(data) - set(SECTIONS), key=str)  # YAML keys may be numbers, or null
    if unknown:
        raise InputError(
            f"unknown section {unknown[0]!r} (expected {', '.join(SECTIONS)})",
            path=path,
            field=str(unknown[0]),
        )
    curated = CuratedFile(path)
    for section in SECTIONS:
        items = data.get(section) or []
        if not isinstance(items, list):
            raise InputError(f"{section!r} must be a list", path=path, field=section)
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise InputError(
                    f"each of {section!r} must be a mapping", path=path, field=f"{section}.{index}"
                )
            line = item[_LINE]
            if section == "places":
                curated.places.append(_validate(Place, _without_line(item), path, line))
                curated.lines[curated.places[-1].id] = line
            elif section == "actors":
                curated.actors.append(_validate(Actor, _without_line(item), path, line))
            elif section == "events":
                curated.events.append(_validate(Event, _without_line(item), path, line))
                curated.lines[curated.events[-1].id] = line
            else:
                curated.claims.append(_validate(_CuratedClaim, item, path, line))
    return curated


def _without_line(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != _LINE}


def _validate(model: type[_M], data: dict[str, Any], path: Path, line: int) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = list(error["loc"])
        if len(loc) >= 2 and loc[0] == "attestations" and isinstance(loc[1], int):
            item = data["attestations"][loc[1]]
            if isinstance(item, dict):
                line = item.get(_LINE, line)  # point at the attestation itself
        field = ".".join(str(p) for p in loc)
        raise InputError(error["msg"], path=path, line=line, field=field) from None
