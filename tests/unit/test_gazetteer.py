"""Places: the curated gazetteer, bad places refused by file and line, and place names in
text resolved to the curated places."""

from __future__ import annotations

from pathlib import Path

import pytest

from actorgraph.extraction import RuleExtractor
from actorgraph.extraction.places import Gazetteer
from actorgraph.graph.model import Actor, Document, Event, GeoPrecision, Place, distance_m
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.loaders.curated import read_curated
from actorgraph.loaders.pipeline import load_paths
from tests.conftest import DATA

PLACES = DATA / "places.yaml"
IRAQ = {"lat": (29.0, 37.5), "lon": (38.7, 48.7)}  # the country's bounding box, with a margin

GOOD = """places:
  - {id: iraq, name: Iraq, kind: country, lat: 33.0, lon: 44.0}
  - {id: baghdad, name: Baghdad, kind: city, lat: 33.3153, lon: 44.3661, parent: iraq}
"""


def test_the_gazetteer_is_a_tree_of_places_with_points_where_they_belong() -> None:
    curated = read_curated(PLACES)
    places = {p.id: p for p in curated.places}
    assert len(places) == len(curated.places) >= 55
    for place in places.values():
        assert (place.parent is None) == (place.kind.value == "country"), place.id
        ancestors, up = [], place.parent
        while up is not None:
            ancestors.append(up)
            up = places[up].parent
        if "iraq" in ancestors:
            assert IRAQ["lat"][0] <= place.lat <= IRAQ["lat"][1], place.id
            assert IRAQ["lon"][0] <= place.lon <= IRAQ["lon"][1], place.id
    named: dict[str, set[str]] = {}
    for place in places.values():
        for name in place.names:
            named.setdefault(name.casefold(), set()).add(place.id)
    assert {n: ids for n, ids in named.items() if len(ids) > 1} == {}, "names of two places"


def test_camp_taji_and_the_airport_are_about_29_km_apart() -> None:
    places = {p.id: p for p in read_curated(PLACES).places}
    taji, airport = places["camp-taji"], places["baghdad-international-airport"]
    assert 25_000 < distance_m(taji.lat, taji.lon, airport.lat, airport.lon) < 35_000


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("  - {id: basra, name: Basra, kind: city, parent: iraq}", "lat"),
        ("  - {id: basra, name: Basra, kind: city, lat: 30.5, lon: 191, parent: iraq}", "lon"),
        ("  - {id: basra, name: Basra, kind: city, lat: -91, lon: 47.8}", "lat"),
        ("  - {id: basra, name: Basra, kind: town, lat: 30.5, lon: 47.8}", "kind"),
        ("  - {id: basra, name: Basra, kind: city, lat: 30.5, lon: 47.8, parent: sumer}", "parent"),
        ("  - {id: basra, name: Basra, kind: city, lat: 30.5, lon: 47.8, parent: basra}", "itself"),
    ],
    ids=[
        "no-coordinates",
        "lon-out-of-range",
        "lat-out-of-range",
        "unknown-kind",
        "unknown-parent",
        "its-own-parent",
    ],
)
def test_a_bad_place_is_refused_by_file_and_line_and_nothing_is_written(
    tmp_path: Path, line: str, problem: str
) -> None:
    path = tmp_path / "places.yaml"
    path.write_text(GOOD + line + "\n", encoding="utf-8")
    store = SQLiteStore(tmp_path / "graph.sqlite")
    (outcome,) = load_paths(store, [path])
    assert outcome.error is not None
    message = str(outcome.error)
    assert f"{path}:4" in message and problem in message, message
    assert store.stats().counts["places"] == 0


def test_a_cycle_of_parents_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    path.write_text(
        "places:\n"
        "  - {id: iraq, name: Iraq, kind: country, lat: 33.0, lon: 44.0}\n"
        "  - {id: a, name: A, kind: district, lat: 33.3, lon: 44.3, parent: b}\n"
        "  - {id: b, name: B, kind: district, lat: 33.3, lon: 44.4, parent: c}\n"
        "  - {id: c, name: C, kind: city, lat: 33.3, lon: 44.5, parent: a}\n",
        encoding="utf-8",
    )
    store = SQLiteStore(tmp_path / "graph.sqlite")
    (outcome,) = load_paths(store, [path])
    assert outcome.error is not None
    assert "a -> b -> c -> a contain each other" in str(outcome.error)
    assert f"{path}:3" in str(outcome.error)
    assert store.stats().counts["places"] == 0


def test_a_cycle_through_stored_places_is_refused_too(tmp_path: Path) -> None:
    first, second = tmp_path / "1.yaml", tmp_path / "2.yaml"
    first.write_text(GOOD, encoding="utf-8")
    second.write_text(  # the country moved inside its own capital
        "places:\n  - {id: iraq, name: Iraq, kind: country, lat: 33.0, lon: 44.0, "
        "parent: baghdad}\n",
        encoding="utf-8",
    )
    store = SQLiteStore(tmp_path / "graph.sqlite")
    assert load_paths(store, [first])[0].error is None
    (outcome,) = load_paths(store, [second])
    assert outcome.error is not None and "contain each other" in str(outcome.error)
    assert {p.id: p.parent for p in store.places()} == {"iraq": None, "baghdad": "iraq"}


def test_an_event_at_an_unknown_place_is_refused_by_line(tmp_path: Path) -> None:
    path = tmp_path / "events.yaml"
    path.write_text(
        GOOD + "events:\n  - {id: strike-x, kind: strike, at: atlantis, geo_precision: 1}\n",
        encoding="utf-8",
    )
    store = SQLiteStore(tmp_path / "graph.sqlite")
    (outcome,) = load_paths(store, [path])
    assert outcome.error is not None
    assert f"{path}:5" in str(outcome.error) and "unknown place 'atlantis'" in str(outcome.error)
    assert store.stats().counts["events"] == store.stats().counts["places"] == 0


def test_a_precision_needs_a_place() -> None:
    with pytest.raises(ValueError, match="give `at`"):
        Event(id="x", kind="strike", geo_precision=2)


def test_place_names_are_its_name_then_its_aliases() -> None:
    place = Place(id="k1", name="K-1 Air Base", kind="base", lat=35.5, lon=44.3, aliases=["K1"])
    assert place.names == ("K-1 Air Base", "K1")


GAZETTEER = Gazetteer(read_curated(PLACES).places)


@pytest.mark.parametrize(
    ("phrase", "place", "precision"),
    [
        ("near Camp Taji", "camp-taji", 2),
        ("Taji, north of Baghdad", "taji", 1),
        ("north of Baghdad", "baghdad", 2),
        ("in the Anbar desert in western Iraq", "anbar", 3),
        ("the eastern Baghdad neighbourhood of Al Mashtal", "al-mashtal", 1),
        ("outside Baghdad's airport", "baghdad-international-airport", 2),
        ("Iraq's Nineveh governorate", "nineveh", 3),
        ("Bagdad International Airport", "baghdad-international-airport", 1),
        ("Albu Kamal", "abu-kamal", 1),
    ],
)
def test_a_phrase_resolves_to_its_most_specific_place_and_how_closely(
    phrase: str, place: str, precision: int
) -> None:
    found = GAZETTEER.resolve(phrase)
    assert found is not None
    assert (found[0].id, found[1].value) == (place, precision)


@pytest.mark.parametrize("phrase", ["Tower", "Gaza", "Saraya al-Khorasani", "the hit squad"])
def test_a_name_of_no_curated_place_resolves_to_nothing(phrase: str) -> None:
    assert GAZETTEER.resolve(phrase) is None


def test_a_document_names_places_not_the_actors_that_share_their_names() -> None:
    iraq = Actor(id="iraq", name="Iraq", kind="state")
    resistance = Actor(id="iri", name="Islamic Resistance in Iraq", kind="armed_group")
    text = (
        "Iraq condemned the strike in Iraq and Syria, which the Islamic Resistance in Iraq "
        "blamed on Iraq's enemies, near the Taji stadium and near Camp Taji."
    )
    doc = Document(title="t", text=text)
    found = RuleExtractor([iraq, resistance], places=read_curated(PLACES).places).extract(doc)
    named = [(p.place.id, p.start) for p in found.places]
    second = text.index("Iraq and")
    assert named == [
        ("iraq", second),
        ("syria", text.index("Syria")),
        ("camp-taji", text.index("Camp Taji")),
    ]


def test_an_extracted_event_stands_at_its_curated_place() -> None:
    doc = Document(
        title="t",
        published="2020-01-04",
        text="An air strike near Camp Taji, north of Baghdad, killed six on Saturday.",
    )
    found = RuleExtractor([], places=read_curated(PLACES).places).extract(doc)
    (event,) = found.events
    assert (event.at, event.geo_precision) == ("camp-taji", GeoPrecision.NEAR)
    assert event.record().at == "camp-taji"


def test_a_place_no_curated_place_names_is_a_place_candidate_and_no_actor_candidate() -> None:
    doc = Document(
        title="t",
        published="2024-01-29",
        text="A drone struck a base near Hasakah on Sunday, and another hit al-Tanf in Syria.",
    )
    found = RuleExtractor([], places=read_curated(PLACES).places).extract(doc)
    assert [c.text for c in found.place_candidates] == ["Hasakah"]
    assert {p.place.id for p in found.places} >= {"al-tanf"}
    assert not {"al-Tanf", "Hasakah"} & {c.text for c in found.candidates}
