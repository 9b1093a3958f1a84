"""The corpus of our own writing (tests/gold/corpus): every gold file holds to its article.

Gold that points at words its article does not have, at an actor or a place
nobody defined, or that calls two different things by one name, would
measure nothing. This checks the annotation against the text and the
registries, never against the extractor.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from actorgraph.loaders.articles import read_articles
from actorgraph.loaders.curated import locate, read_curated
from tests.conftest import DATA, GOLD, REPO

CORPUS = GOLD / "corpus"
FILES = sorted((CORPUS / "dev").glob("*.yaml")) + sorted((CORPUS / "blind").glob("*.yaml"))
ACTORS = {a.id for a in read_curated(DATA / "actors.yaml").actors}
PLACES = {p.id for p in read_curated(DATA / "places.yaml").places}


def _gold(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _body(gold: dict[str, Any]) -> str:
    (document,) = read_articles(REPO / gold["document"])
    return document.text


def test_the_corpus_is_big_enough_and_keeps_a_blind_split() -> None:
    blind = [f for f in FILES if f.parent.name == "blind"]
    assert len(FILES) >= 30 and len(blind) >= 10
    for path in FILES:
        assert (path.parent / "articles" / f"{path.stem}.md").is_file(), path


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_gold_file_holds_to_its_article(path: Path) -> None:
    gold = _gold(path)
    text = _body(gold)
    (document,) = read_articles(REPO / gold["document"])
    assert document.source, "the front matter names the coverage the facts come from"
    defined = ACTORS | {a["id"] for a in gold.get("new_actors") or []}
    at = 0
    for mention in gold.get("mentions") or []:
        assert mention["actor"] in defined, mention
        found = text.find(mention["text"], at)
        assert found >= 0, f"mention {mention['text']!r} not found after offset {at}"
        at = found + len(mention["text"])
    at = 0
    for place in gold.get("places") or []:
        assert place["place"] is None or place["place"] in PLACES, place
        found = text.find(place["text"], at)
        assert found >= 0, f"place {place['text']!r} not found after offset {at}"
        at = found + len(place["text"])
    keys = {e["key"] for e in gold.get("events") or []}
    for event in gold.get("events") or []:
        assert event.get("place") is None or event["place"] in PLACES, event["key"]
        assert event.get("geo_precision") in (None, 1, 2, 3), event["key"]
        for said in event.get("casualties") or []:
            assert said["speaker"] in defined, said
            assert locate(said["quote"], text) is not None, said["quote"]
            assert said["text"] in said["quote"] or locate(said["text"], text), said["text"]
            for figure in (said.get("killed"), said.get("injured")):
                if figure is not None:
                    low, high = figure.get("low"), figure.get("high")
                    assert (low, high) != (None, None), said
                    assert low is None or high is None or low <= high, said
    for claim in gold.get("claims") or []:
        assert claim["subject"] in defined, claim
        assert claim["object"] in defined | keys, claim
        assert claim.get("event") is None or claim["event"] in keys, claim
        for said in claim["attestations"]:
            assert said["speaker"] in defined, said
            assert all(v in defined for v in said.get("via") or []), said
            assert locate(said["quote"], text) is not None, said["quote"]


def test_one_real_event_is_one_kind_on_one_date_in_every_file() -> None:
    told: dict[str, set[tuple[str, dt.date | None]]] = {}
    for path in FILES:
        for event in _gold(path).get("events") or []:
            if event.get("precision") == "day":
                told.setdefault(event["same_as"], set()).add((event["kind"], event["date"]))
    assert len(told) >= 15
    differing = {same_as: tellings for same_as, tellings in told.items() if len(tellings) > 1}
    assert differing == {}
