"""One real strike is one event across documents, and two strikes stay two: the rule of
:func:`~actorgraph.extraction.matching.strike_rank`, through the extractor, and measured on
the development set of the corpus."""

from __future__ import annotations

import datetime as dt

from actorgraph.evaluate import coreference
from actorgraph.extraction import RuleExtractor
from actorgraph.extraction.matching import placed_telling, strike_rank
from actorgraph.graph.model import Document, Event, EventKind, GeoPrecision
from actorgraph.loaders.curated import read_curated
from tests.conftest import DATA, GOLD

ACTORS = read_curated(DATA / "actors.yaml").actors
PLACES = read_curated(DATA / "places.yaml").places
BY_ID = {p.id: p for p in PLACES}
REGION = GeoPrecision.REGION


def _event(event_id: str, day: int, at: str, precision: GeoPrecision, place: str) -> Event:
    return Event(
        id=event_id,
        kind=EventKind.STRIKE,
        date=dt.date(2020, 1, day),
        at=at,
        geo_precision=precision,
        place=place,
    )


AIRPORT = _event("airport-strike", 3, "baghdad", REGION, "Baghdad")
TAJI = _event("taji-strike", 4, "baghdad", REGION, "Baghdad")


def _extract(extractor: RuleExtractor, published: str, text: str) -> list[str]:
    doc = Document(title="t", published=published, publisher="Wire desk", text=text)
    found = extractor.extract(doc)
    extractor.remember(e.record() for e in found.events if not e.known)
    return [e.id for e in found.events]


def test_two_strikes_both_in_baghdad_at_region_precision_a_day_apart_stay_two() -> None:
    assert strike_rank(placed_telling(AIRPORT), placed_telling(TAJI), BY_ID) is None
    extractor = RuleExtractor(ACTORS, events=[AIRPORT, TAJI], places=PLACES)
    # a third telling "in Baghdad" on the 4th is the strike of the 4th, not of the 3rd
    assert _extract(
        extractor, "2020-01-05", "A US air strike in Baghdad on Saturday hit a PMF convoy."
    ) == ["taji-strike"]
    assert _extract(
        extractor, "2020-01-04", "A US drone strike in Baghdad on Friday killed Soleimani."
    ) == ["airport-strike"]


def test_a_strike_in_baghdad_is_not_the_airport_strike_of_the_day_before() -> None:
    extractor = RuleExtractor(ACTORS, places=PLACES)
    [airport] = _extract(
        extractor,
        "2020-01-03",
        "A US drone strike at Baghdad International Airport on Friday killed Soleimani.",
    )
    [later] = _extract(
        extractor, "2020-01-04", "An air strike in Baghdad on Saturday hit a PMF convoy."
    )
    assert airport != later


def test_one_strike_told_by_two_outlets_in_other_words_is_one_event() -> None:
    extractor = RuleExtractor(ACTORS, places=PLACES)
    [first] = _extract(
        extractor,
        "2020-01-04",
        "An air strike near Camp Taji, north of Baghdad, on Saturday hit a PMF convoy.",
    )
    [second] = _extract(
        extractor,
        "2020-01-05",
        "Air strikes targeted the PMF near Taji late on Friday, an Iraqi army source said.",
    )
    assert first == second  # a base and its town, a day apart: one strike


def test_an_unplaced_telling_that_fits_two_strikes_alike_stays_apart() -> None:
    nineveh = _event("nineveh-strike", 4, "nineveh", REGION, "Nineveh")
    taji = _event("taji-strike", 4, "camp-taji", GeoPrecision.NEAR, "near Camp Taji")
    extractor = RuleExtractor(ACTORS, events=[nineveh, taji], places=PLACES)
    [found] = _extract(extractor, "2020-01-05", "An air strike on Saturday hit a PMF convoy.")
    assert found not in {"nineveh-strike", "taji-strike"}


def test_a_telling_of_last_year_dated_to_the_year_meets_its_strike_at_its_place() -> None:
    airport = _event("airport-strike", 3, "baghdad-international-airport", GeoPrecision.AT, "")
    extractor = RuleExtractor(ACTORS, events=[airport], places=PLACES)
    text = "It recalls the 2020 drone strike on Soleimani's convoy outside Baghdad's airport."
    assert _extract(extractor, "2024-02-08", text) == ["airport-strike"]
    undated = "The drone strike in Mashtal killed a commander."  # no date, another place
    assert _extract(extractor, "2020-01-04", undated) != ["airport-strike"]


def test_each_real_strike_is_one_event_across_the_development_set() -> None:
    across = coreference(
        sorted((GOLD / "corpus" / "dev").glob("*.yaml")),
        lambda new: RuleExtractor([*ACTORS, *new], places=PLACES),
    )
    assert across.pairs.gold >= 15
    assert across.pairs.f1 >= 0.90
    assert across.merged == 0
