"""Places on both stores: containment, distance and the events at them, with equal answers.

Both stores hold the curated places (``data/places.yaml``) and the founding
corpus, whose curated events stand at places (``data/events.yaml``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from actorgraph.errors import NotFoundError
from actorgraph.loaders.pipeline import load_paths
from actorgraph.queries import catalogue as q
from actorgraph.queries import geo
from tests.conftest import ARTICLES, DATA
from tests.helpers import Pair, same, store_pair

TAJI_STRIKE = "taji-convoy-strike-2020"
AIRPORT_STRIKE = "baghdad-airport-strike-2020"


@pytest.fixture(scope="module")
def placed(tmp_path_factory: pytest.TempPathFactory, neo4j_settings: Any) -> Iterator[Pair]:
    def fill(store: Any) -> None:
        assert all(o.error is None for o in load_paths(store, [DATA, ARTICLES]))

    yield from store_pair(tmp_path_factory.mktemp("placed"), neo4j_settings, fill)


def _timeline(store: Any, params: dict[str, Any]) -> list[str]:
    """The ids of the events ``GET /events`` lists with ``params``."""
    return [d.event.id for d in q.timeline(store, q.TimelineParams(**params))]


def test_events_near_camp_taji_are_the_taji_strike_and_not_the_airport_strike(
    placed: Pair,
) -> None:
    near = same(placed, _timeline, {"near": "camp-taji", "within_km": 15})
    assert near == [TAJI_STRIKE]
    farther = same(placed, _timeline, {"near": "camp-taji", "within_km": 35})
    assert {TAJI_STRIKE, AIRPORT_STRIKE} <= set(farther)  # about 30 km apart


def test_a_point_a_name_and_an_id_find_the_same_place(placed: Pair) -> None:
    by_id = same(placed, _timeline, {"near": "camp-taji", "within_km": 15})
    assert same(placed, _timeline, {"near": "Camp Taji", "within_km": 15}) == by_id
    assert same(placed, _timeline, {"near": "33.53,44.27", "within_km": 15}) == by_id


def test_events_in_a_place_are_those_at_it_or_anywhere_inside_it(placed: Pair) -> None:
    in_iraq = same(placed, _timeline, {"in": "iraq"})
    in_baghdad = same(placed, _timeline, {"in": "baghdad"})
    assert set(in_baghdad) < set(in_iraq)
    assert "baghdad-mashtal-strike-2024" in in_baghdad  # at Al-Mashtal, a district of Baghdad
    assert TAJI_STRIKE in in_iraq and TAJI_STRIKE not in in_baghdad


def test_a_place_knows_what_contains_it_what_it_holds_and_what_happened_there(
    placed: Pair,
) -> None:
    taji = same(placed, q.place, "camp-taji")
    assert [p.id for p in taji.containing] == ["taji", "baghdad-governorate", "iraq"]
    assert [e.id for e in taji.events] == [TAJI_STRIKE]
    iraq = same(placed, q.place, "iraq")
    assert iraq.containing == []
    assert "baghdad-governorate" in {p.id for p in iraq.within}
    assert all(p.parent == "iraq" for p in iraq.within)
    assert {TAJI_STRIKE, AIRPORT_STRIKE} <= {e.id for e in iraq.events}


def test_each_event_carries_its_place_and_how_closely(placed: Pair) -> None:
    detail = same(placed, q.event, TAJI_STRIKE, q.AsOf())
    assert detail.place is not None
    assert (detail.place.id, detail.place.precision) == ("camp-taji", 2)
    unplaced = same(placed, q.timeline, q.TimelineParams())
    assert any(d.place is None for d in unplaced)  # what articles tell is not placed yet


def test_both_stores_measure_the_same_distances(placed: Pair) -> None:
    rows = [
        store.query(geo.PLACES_NEAR, lat=33.2625, lon=44.2346, metres=600_000.0) for store in placed
    ]
    embedded, neo4j = rows
    assert [r["id"] for r in embedded] == [r["id"] for r in neo4j]
    assert len(embedded) > 20
    for a, b in zip(embedded, neo4j, strict=True):
        assert a["metres"] == pytest.approx(b["metres"], abs=0.5)


def test_places_page_and_count_alike(placed: Pair) -> None:
    def page(store: Any, kind: str | None, offset: int) -> tuple[list[tuple[str, str]], int]:
        found = q.places(store, q.PlaceListParams(kind=kind), offset, 5)
        return [(p.id, p.kind.value) for p in found], found.total

    first, total = same(placed, page, None, 0)
    second, _ = same(placed, page, None, 5)
    assert total == 64 and len(first) == len(second) == 5
    assert [i for i, _ in first + second] == sorted(i for i, _ in first + second)
    bases, count = same(placed, page, "base", 0)
    assert {kind for _, kind in bases} == {"base"} and count >= 10


def test_an_unknown_place_is_refused_alike_naming_it(placed: Pair) -> None:
    for store in placed:
        with pytest.raises(NotFoundError, match="'Atlantis'"):
            q.place(store, "Atlantis")
