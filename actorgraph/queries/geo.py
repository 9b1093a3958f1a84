"""Where: places, what contains them, what lies near them, and the events at them.

Places form a tree of containment (a base in a town, the town in a
governorate, the governorate in a country), ``(:Place)-[:IN]->(:Place)`` on
Neo4j; an event stands at one place, ``(:Event)-[:AT]->(:Place)``. "Near"
is a distance between places' points, measured as Neo4j measures it
(:func:`~actorgraph.graph.model.distance_m`), so both stores find the same places.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from actorgraph.errors import NotFoundError
from actorgraph.graph.model import Event, Place, distance_m
from actorgraph.graph.sqlite import Snapshot
from actorgraph.graph.store import GraphStore, Read, Row
from actorgraph.names.normalise import normal_form
from actorgraph.queries.params import PlaceListParams, lat_lon
from actorgraph.queries.registry import named
from actorgraph.queries.shapes import PlaceDetail, Slice

_DEPTH = 64
"""Deeper than any containment: a bound for the embedded store's recursive reads."""


# A place's record, without the point Neo4j keeps for its index (a null property is no
# property: the store drops it from the row).


def _props(rows: Iterable[tuple[str]]) -> list[Row]:
    return [{"props": json.loads(data)} for (data,) in rows]


# -- reads -----------------------------------------------------------------------------

_OF_KIND = "FROM places WHERE ?1 IS NULL OR json_extract(data, '$.kind') = ?1 "


def _place_page(snap: Snapshot, kind: str | None, skip: int, limit: int) -> list[Row]:
    return _props(
        snap.rows(f"SELECT data {_OF_KIND}ORDER BY id LIMIT ?2 OFFSET ?3", kind, limit, skip)
    )


PLACE_PAGE = Read(
    "place_page",
    "MATCH (p:Place) WHERE $kind IS NULL OR p.kind = $kind "
    "RETURN p {.*, location: null} AS props ORDER BY p.id SKIP $skip LIMIT $limit",
    _place_page,
)


def _count_places(snap: Snapshot, kind: str | None) -> list[Row]:
    return [{"n": snap.rows(f"SELECT count(*) {_OF_KIND}", kind)[0][0]}]


COUNT_PLACES = Read(
    "count_places",
    "MATCH (p:Place) WHERE $kind IS NULL OR p.kind = $kind RETURN count(p) AS n",
    _count_places,
)


def _places_by_id(snap: Snapshot, ids: Iterable[str]) -> list[Row]:
    sql = "SELECT data FROM places WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id"
    return _props(snap.rows(sql, sorted(set(ids))))


PLACES_BY_ID = Read(
    "places_by_id",
    "UNWIND $ids AS id MATCH (p:Place {id: id}) WITH DISTINCT p "
    "RETURN p {.*, location: null} AS props ORDER BY p.id",
    _places_by_id,
)


def _containing(snap: Snapshot, id: str) -> list[Row]:
    sql = (
        "WITH RECURSIVE up(id, depth) AS ("
        " SELECT json_extract(data, '$.parent'), 1 FROM places WHERE id = ?1"
        " UNION ALL SELECT json_extract(p.data, '$.parent'), up.depth + 1"
        " FROM places p JOIN up ON p.id = up.id WHERE up.depth < ?2) "
        "SELECT p.data FROM up JOIN places p ON p.id = up.id ORDER BY up.depth"
    )
    return _props(snap.rows(sql, id, _DEPTH))


CONTAINING = Read(
    "containing",
    "MATCH path = (:Place {id: $id})-[:IN*1..]->(up:Place) "
    "RETURN up {.*, location: null} AS props ORDER BY length(path)",
    _containing,
)
"""The places that contain the place ``id``, the nearest first."""


def _within(snap: Snapshot, id: str) -> list[Row]:
    sql = "SELECT data FROM places WHERE json_extract(data, '$.parent') = ? ORDER BY id"
    return _props(snap.rows(sql, id))


WITHIN = Read(
    "within",
    "MATCH (p:Place)-[:IN]->(:Place {id: $id}) "
    "RETURN p {.*, location: null} AS props ORDER BY p.id",
    _within,
)
"""The places directly inside the place ``id``."""


def _below(snap: Snapshot, id: str) -> list[Row]:
    sql = (
        "WITH RECURSIVE down(id, depth) AS (SELECT id, 0 FROM places WHERE id = ?1"
        " UNION ALL SELECT p.id, down.depth + 1 FROM places p"
        " JOIN down ON json_extract(p.data, '$.parent') = down.id WHERE down.depth < ?2) "
        "SELECT DISTINCT id FROM down ORDER BY id"
    )
    return [{"id": place_id} for (place_id,) in snap.rows(sql, id, _DEPTH)]


PLACES_BELOW = Read(
    "places_below",
    "MATCH (p:Place)-[:IN*0..]->(:Place {id: $id}) RETURN DISTINCT p.id AS id ORDER BY id",
    _below,
)
"""The place ``id`` and every place inside it, at any depth."""


def _places_near(snap: Snapshot, lat: float, lon: float, metres: float) -> list[Row]:
    found = []
    for (data,) in snap.rows("SELECT data FROM places"):
        place = json.loads(data)
        away = distance_m(lat, lon, place["lat"], place["lon"])
        if away <= metres:
            found.append({"id": place["id"], "metres": away})
    return sorted(found, key=lambda r: (r["metres"], r["id"]))


PLACES_NEAR = Read(
    "places_near",
    "MATCH (p:Place) "
    "WITH p, point.distance(p.location, point({latitude: $lat, longitude: $lon})) AS metres "
    "WHERE metres <= $metres RETURN p.id AS id, metres ORDER BY metres, id",
    _places_near,
)
"""The places within ``metres`` of a point, the nearest first, with their distance."""


def _events_at(snap: Snapshot, ids: Iterable[str]) -> list[Row]:
    sql = (
        "SELECT data FROM events WHERE json_extract(data, '$.at') IN "
        "(SELECT value FROM json_each(?)) ORDER BY id"
    )
    return _props(snap.rows(sql, sorted(set(ids))))


EVENTS_AT = Read(
    "events_at",
    "UNWIND $ids AS id MATCH (e:Event)-[:AT]->(:Place {id: id}) WITH DISTINCT e "
    "RETURN properties(e) AS props ORDER BY e.id",
    _events_at,
)
"""The events at any of the places ``ids``."""

READS = (
    PLACE_PAGE,
    COUNT_PLACES,
    PLACES_BY_ID,
    CONTAINING,
    WITHIN,
    PLACES_BELOW,
    PLACES_NEAR,
    EVENTS_AT,
)


def places_of(rows: Iterable[Row]) -> list[Place]:
    return [Place.model_validate(r["props"]) for r in rows]


def events_of(rows: Iterable[Row]) -> list[Event]:
    return [Event.model_validate(r["props"]) for r in rows]


# -- named queries ----------------------------------------------------------------------


@named(PLACE_PAGE, COUNT_PLACES, params=PlaceListParams)
def places(
    store: GraphStore, params: PlaceListParams, offset: int = 0, limit: int = 100
) -> Slice[Place]:
    """Places, by id: countries, governorates, cities, districts, bases and the like."""
    kind = None if params.kind is None else params.kind.value
    page = store.query(PLACE_PAGE, kind=kind, skip=offset, limit=limit)
    (total,) = store.query(COUNT_PLACES, kind=kind)
    return Slice(places_of(page), total["n"])


@named(PLACES_BY_ID, CONTAINING, WITHIN, PLACES_BELOW, EVENTS_AT, ids=("place_id",))
def place(store: GraphStore, place_id: str) -> PlaceDetail:
    """A place, the places that contain it and those inside it, and the events there."""
    found = resolve_place(store, place_id)
    below = [r["id"] for r in store.query(PLACES_BELOW, id=found.id)]
    return PlaceDetail(
        place=found,
        containing=places_of(store.query(CONTAINING, id=found.id)),
        within=places_of(store.query(WITHIN, id=found.id)),
        events=by_date(events_of(store.query(EVENTS_AT, ids=below))),
    )


def by_date(events: Iterable[Event]) -> list[Event]:
    """Events by date, undated ones last."""
    return sorted(events, key=lambda e: (e.date is None, e.date, e.id))


def events_near(store: GraphStore, where: str, within_km: float) -> list[Event]:
    """The events at places within ``within_km`` of a place (any name of it) or ``lat,lon``."""
    point = lat_lon(where)
    if point is not None:
        lat, lon = point
    else:
        found = resolve_place(store, where)
        lat, lon = found.lat, found.lon
    near = store.query(PLACES_NEAR, lat=lat, lon=lon, metres=within_km * 1000)
    return events_of(store.query(EVENTS_AT, ids=[r["id"] for r in near]))


def events_in(store: GraphStore, where: str) -> list[Event]:
    """The events at a place or anywhere inside it."""
    found = resolve_place(store, where)
    below = [r["id"] for r in store.query(PLACES_BELOW, id=found.id)]
    return events_of(store.query(EVENTS_AT, ids=below))


def resolve_place(store: GraphStore, name: str) -> Place:
    """The one place ``name`` names: its id, its name or an alias, in any case or script.

    Raises
    ------
    NotFoundError
        If no place has that id or name, or several share the name.
    """
    by_id = places_of(store.query(PLACES_BY_ID, ids=[name]))
    if by_id:
        return by_id[0]
    wanted = normal_form(name)
    named_so = [p for p in store.places() if wanted in {normal_form(n) for n in p.names}]
    if len(named_so) == 1:
        return named_so[0]
    if named_so:
        listed = ", ".join(f"{p.name!r} ({p.id})" for p in named_so)
        raise NotFoundError(f"{name!r} names several places: {listed}; give an id")
    raise NotFoundError(f"no place with id or name {name!r}")
