"""Each telling of an event on both stores: its date and place as the document says them,
its casualty figures, each event's range across sources, ``as_of`` applied to them as to
attestations, with equal answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from actorgraph.loaders.pipeline import load_paths
from actorgraph.queries import catalogue as q
from tests.conftest import ARTICLES, DATA
from tests.helpers import Pair, same, store_pair

TAJI_STRIKE = "taji-convoy-strike-2020"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, neo4j_settings: Any) -> Iterator[Pair]:
    def fill(store: Any) -> None:
        assert all(o.error is None for o in load_paths(store, [DATA, ARTICLES]))

    yield from store_pair(tmp_path_factory.mktemp("casualties"), neo4j_settings, fill)


def test_an_event_keeps_each_sources_figure_and_their_range(loaded: Pair) -> None:
    detail = same(loaded, q.event, TAJI_STRIKE, q.AsOf())
    toll = detail.casualties
    assert toll.killed is not None and (toll.killed.low, toll.killed.high) == (6, 6)
    assert {"reuters", "pmf"} <= set(toll.killed.low_by)
    assert toll.injured is not None and (toll.injured.low, toll.injured.high) == (3, 3)
    assert toll.injured.low_by == ["reuters"]
    documents = {d.id: d for d in loaded[0].dump().documents}
    for figure in toll.figures:
        assert figure.event == TAJI_STRIKE
        assert documents[figure.document].text[figure.start : figure.end] == figure.quote
        assert figure.text in figure.quote
    assert any(f.text == "six burned corpses" for f in toll.figures)


def test_figures_said_after_as_of_are_not_yet_known(loaded: Pair) -> None:
    before = same(loaded, q.event, TAJI_STRIKE, q.AsOf(as_of=dt.date(2020, 1, 3)))
    assert before.casualties.figures == [] and before.casualties.killed is None
    assert before.tellings == []


def test_an_event_keeps_each_documents_telling_in_its_own_words(loaded: Pair) -> None:
    detail = same(loaded, q.event, TAJI_STRIKE, q.AsOf())
    assert detail.event.place == "Camp Taji, north of Baghdad, Iraq"  # the analyst's
    [told] = detail.tellings  # the founding article's own
    assert (told.place, told.at, told.date) == (
        "Taji, North of Baghdad",
        "taji",
        dt.date(2020, 1, 4),
    )
    assert told.document == "doc-1308386b8c00cbd8" and told.published == dt.date(2020, 1, 4)


def test_every_event_of_the_timeline_carries_its_casualties(loaded: Pair) -> None:
    events = {d.event.id: d for d in same(loaded, q.timeline, q.TimelineParams())}
    assert events[TAJI_STRIKE].casualties == same(loaded, q.event, TAJI_STRIKE, q.AsOf()).casualties
    mashtal = events["baghdad-mashtal-strike-2024"].casualties
    # "no civilian casualties" is a figure, but says nothing of how many died
    assert [(f.killed_high, f.whom.value) for f in mashtal.figures] == [(0, "civilians")]
    assert mashtal.killed is None
