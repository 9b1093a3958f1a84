"""The parameters of the named queries: what an analyst can set, each validated and described.

The API serves them as query parameters, with these descriptions in its OpenAPI.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from actorgraph.graph.model import ActorKind, PlaceKind, Predicate, Status

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LAT_LON = re.compile(r"\s*([-+]?\d+(?:\.\d+)?)\s*,\s*([-+]?\d+(?:\.\d+)?)\s*")


def lat_lon(text: str) -> tuple[float, float] | None:
    """``"33.53,44.26"`` as a latitude and a longitude; None when ``text`` is no such pair.

    Raises
    ------
    ValueError
        If it is a pair, but not a point on the Earth.
    """
    pair = _LAT_LON.fullmatch(text)
    if pair is None:
        return None
    lat, lon = float(pair[1]), float(pair[2])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"{text!r} is no point: latitude -90..90, longitude -180..180")
    return lat, lon


def _iso_day(value: object) -> object:
    # pydantic alone reads a number as a Unix time: `as_of=0` would be 1970-01-01.
    if isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
        return value
    raise ValueError("expected a day as YYYY-MM-DD")


Day = Annotated[dt.date, BeforeValidator(_iso_day)]
"""A day as its OpenAPI ``format: date`` says: ``YYYY-MM-DD``, never a number or a time."""


class Params(BaseModel):
    """Parameters of a query; unknown names are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class AsOf(Params):
    as_of: Day | None = Field(
        None,
        description="Count only what was published on or before this day (YYYY-MM-DD); "
        "statuses are derived from that alone.",
        examples=["2020-01-04"],
    )


class ActorListParams(Params):
    kind: ActorKind | None = Field(None, description="Only actors of this kind.")


class SearchParams(Params):
    q: str = Field(
        min_length=1,
        max_length=200,
        description="A name, alias or spelling, in Latin or Arabic script.",
        examples=["Kata'ib Hizbollah"],
    )
    kind: ActorKind | None = Field(None, description="Only actors of this kind.")
    limit: int = Field(20, ge=1, le=100)


class ClaimFilter(AsOf):
    status: list[Status] = Field(
        default_factory=list, description="Only claims with these statuses (all when empty)."
    )
    predicate: list[Predicate] = Field(
        default_factory=list, description="Only these predicates (all when empty)."
    )


class NeighbourhoodParams(ClaimFilter):
    hops: int = Field(1, ge=1, le=3, description="How far to go from the actor.")
    limit: int = Field(200, ge=1, le=5000, description="At most this many nodes.")


class ChainParams(AsOf):
    direction: Literal["up", "down", "both"] = Field(
        "both",
        description="`up`: who commands the actor and what it is part of, and so on; "
        "`down`: whom it commands and what is part of it.",
    )
    depth: int = Field(3, ge=1, le=6, description="Levels to follow each way.")
    status: list[Status] = Field(default_factory=list)
    limit: int = Field(500, ge=1, le=5000, description="At most this many nodes.")


class PathParams(ClaimFilter):
    source: str = Field(description="Actor id.", examples=["centcom"])
    target: str = Field(description="Actor id.", examples=["wissam-al-saadi"])
    max_hops: int = Field(4, ge=1, le=6)
    limit: int = Field(10, ge=1, le=100, description="At most this many paths.")


class StrikeParams(AsOf):
    role: Literal["by", "against", "any"] = Field(
        "any", description="`by`: strikes the actor carried out; `against`: strikes on it."
    )
    status: list[Status] = Field(default_factory=list)


class ClaimParams(ClaimFilter):
    actor: str | None = Field(None, description="Only claims whose subject or object it is.")


class ContestedParams(AsOf):
    actor: str | None = Field(None, description="Only claims whose subject or object it is.")
    predicate: list[Predicate] = Field(default_factory=list)


class PlaceListParams(Params):
    kind: PlaceKind | None = Field(None, description="Only places of this kind.")


class TimelineParams(AsOf):
    actor: str | None = Field(None, description="Only events the actor took part in.")
    since: Day | None = None
    until: Day | None = None
    near: str | None = Field(
        None,
        max_length=200,
        description="Only events at places within `within_km` of this place (an id or a "
        "name) or point (`lat,lon`).",
        examples=["camp-taji", "33.53,44.26"],
    )
    within_km: float = Field(25.0, gt=0, le=20_000, description="How far `near` reaches.")
    within: str | None = Field(
        None,
        max_length=200,
        alias="in",
        description="Only events at this place (an id or a name) or anywhere inside it.",
        examples=["baghdad"],
    )

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _period(self) -> TimelineParams:
        if self.since and self.until and self.since > self.until:
            raise ValueError("since must not be after until")
        return self

    @field_validator("near")
    @classmethod
    def _a_point_on_earth(cls, near: str | None) -> str | None:
        if near is not None:
            lat_lon(near)  # a pair that is no point is refused here, naming the field
        return near


class SourcesParams(AsOf):
    subject: str = Field(description="Actor id.", examples=["united-states"])
    predicate: Predicate
    object: str = Field(description="Actor or event id.", examples=["kataib-hezbollah"])
