"""Extraction measured on the gold standard, and its behaviour on hard and odd input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from actorgraph.evaluate import Report, evaluate
from actorgraph.extraction import RuleExtractor
from actorgraph.graph.model import Document
from actorgraph.loaders.curated import read_curated
from tests.conftest import ARTICLES, DATA, GOLD
from tests.servers import clean_env

ACTORS = read_curated(DATA / "actors.yaml").actors


@pytest.fixture(scope="module")
def extractor() -> RuleExtractor:
    return RuleExtractor(ACTORS)


@pytest.fixture(scope="module")
def scores() -> Report:
    total, reports = evaluate(
        sorted(GOLD.glob("*.yaml")), lambda new_actors: RuleExtractor([*ACTORS, *new_actors])
    )
    assert len(reports) >= 5  # the founding two and three or more other outlets
    return total


def test_mentions_reach_the_bar_on_the_gold_standard(scores: Report) -> None:
    assert scores.mentions.gold >= 250
    assert scores.mentions.precision >= 0.95
    assert scores.mentions.recall >= 0.90


def test_claims_hold_their_floor_on_the_gold_standard(scores: Report) -> None:
    # Issue 5's bars (P 0.85, R 0.75) held on copies of other outlets' articles, the text
    # the rules were tuned on; on our own reports of the same facts (issue 20) extraction
    # gives P 0.81, R 0.51. These floors keep that from falling while issue 21 raises it.
    assert scores.claims.gold >= 50
    assert scores.claims.precision >= 0.75
    assert scores.claims.recall >= 0.45


def test_stance_is_right_on_matched_claims(scores: Report) -> None:
    assert scores.stance.total >= 15
    assert scores.stance.value >= 0.90


def _run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "actorgraph", *args],
        capture_output=True,
        text=True,
        env=clean_env(ACTORGRAPH_DATA=str(tmp_path / "store")),
        check=False,
    )


def test_extract_finds_the_contested_claims_of_the_founding_articles(tmp_path: Path) -> None:
    result = _run(
        "extract",
        str(ARTICLES / "2020-01-04-round-two-taji-strikes.md"),
        "--json",
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    expected = {"document", "mentions", "candidates", "places", "place_candidates", "events"}
    assert set(found) == {*expected, "casualties", "claims"}
    assert all(m["actor_name"] for m in found["mentions"])

    def said(claim: dict[str, object]) -> set[tuple[str, str]]:
        return {(a["speaker"], a["stance"]) for a in claim["attestations"]}  # type: ignore[attr-defined]

    struck = [
        c
        for c in found["claims"]
        if (c["subject"], c["predicate"], c["object"]) == ("united-states", "struck", "pmf")
        and c["status"] == "contested"
    ]
    assert any(("united-states", "denied") in said(c) for c in struck)
    zaidi = [
        c
        for c in found["claims"]
        if (c["subject"], c["predicate"]) == ("shibl-al-zaidi", "killed_in")
        and c["status"] == "contested"
    ]
    assert any(("shibl-al-zaidi", "denied") in said(c) for c in zaidi)
    assert re.search(r"documents\s+0\n", _run("stats", tmp_path=tmp_path).stdout)  # none written


def test_arabic_script_resolves_to_the_same_actor_as_latin(extractor: RuleExtractor) -> None:
    doc = Document(
        title="t",
        text="Sources named وسام الساعدي, a commander of كتائب حزب الله, "
        "and later Wissam al-Saadi.",
    )
    found = {(m.text, m.actor) for m in extractor.extract(doc).mentions}
    assert ("وسام الساعدي", "wissam-al-saadi") in found  # no alias: its consonant skeleton
    assert ("كتائب حزب الله", "kataib-hezbollah") in found
    assert ("Wissam al-Saadi", "wissam-al-saadi") in found


def test_spelling_variants_and_short_forms_resolve_in_context(extractor: RuleExtractor) -> None:
    doc = Document(
        title="t",
        text="Wissam Mohammed Al Saedi and Shibl al-Zaydi met. Later al-Saedi left; Zaydi stayed.",
    )
    found = [(m.text, m.actor) for m in extractor.extract(doc).mentions]
    assert found == [
        ("Wissam Mohammed Al Saedi", "wissam-al-saadi"),
        ("Shibl al-Zaydi", "shibl-al-zaidi"),
        ("al-Saedi", "wissam-al-saadi"),
        ("Zaydi", "shibl-al-zaidi"),
    ]


def test_a_surname_alone_waits_for_its_full_name(extractor: RuleExtractor) -> None:
    found = extractor.extract(Document(title="t", text="Later al-Saedi left the city."))
    assert found.mentions == []
    assert [c.text for c in found.candidates] == ["al-Saedi"]


def test_an_article_naming_nobody_known_yields_candidates(extractor: RuleExtractor) -> None:
    doc = Document(
        title="t",
        published="2023-05-02",
        text="Commander Abu Fadak al-Mohammedawi met Harakat al-Nujaba officials "
        "in Basra on Monday.",
    )
    found = extractor.extract(doc)
    assert found.mentions == [] and found.claims == []
    assert {c.text for c in found.candidates} >= {"Abu Fadak al-Mohammedawi", "Harakat al-Nujaba"}


@pytest.mark.parametrize("publisher", ["'", "`", "--"])
def test_a_publisher_with_no_letters_names_no_speaker(
    extractor: RuleExtractor, publisher: str
) -> None:
    # It used to reach the search, which refused it naming a field "q" nobody had sent.
    text = "Reuters reported that Kataib Hezbollah struck the base. Officials denied it."
    found = extractor.extract(Document(title="t", text=text, publisher=publisher))
    assert found.speakers == []
    assert found.mentions


@pytest.mark.parametrize("publisher", ["PMF!", "pm\u200bf", "Reuters\u200b"])
def test_a_publisher_spelling_a_known_actor_never_replaces_it(
    extractor: RuleExtractor, publisher: str
) -> None:
    # It became a new outlet under the known actor's id (pmf, reuters), and writing the
    # document then put that bare outlet in place of the curated actor and its aliases.
    text = "Kataib Hezbollah struck the base, officials said."
    found = extractor.extract(Document(title="t", text=text, publisher=publisher))
    assert found.speakers == []
    assert {a.speaker for c in found.claims for a in c.said} <= set(extractor.actors)


def test_tiny_and_5_mb_articles_are_handled(extractor: RuleExtractor) -> None:
    assert extractor.extract(Document(title="t", text="x")).mentions == []
    body = (ARTICLES / "2024-02-07-baghdad-kataib-hezbollah-strike.md").read_text()
    big = Document(title="big", text=(body + "\n\n") * (5_000_000 // len(body) + 1))
    found = extractor.extract(big)  # its time is measured in bench/, not asserted here
    assert len(found.document.text) >= 5_000_000
    assert len(found.mentions) > 1000


def test_candidates_list_and_promote(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    article.write_text(
        "---\ntitle: t\npublished: 2023-05-02\n---\n"
        "Abu Fadak al-Mohammedawi met the PMF. Abu Fadak al-Mohammedawi spoke.\n"
    )
    assert _run("load", str(DATA / "actors.yaml"), str(article), tmp_path=tmp_path).returncode == 0
    listed = _run("candidates", tmp_path=tmp_path)
    assert "Abu Fadak al-Mohammedawi" in listed.stdout and " 2 " in listed.stdout
    promoted = _run("promote", "Abu Fadak al-Mohammedawi", "--kind", "person", tmp_path=tmp_path)
    assert promoted.returncode == 0, promoted.stderr
    assert "added 1 actor, 2 mentions" in promoted.stdout
    assert "Abu Fadak" not in _run("candidates", tmp_path=tmp_path).stdout
    again = _run("promote", "Abu Fadak al-Mohammedawi", "--kind", "person", tmp_path=tmp_path)
    assert again.returncode == 2 and "taken" in again.stderr


def test_evaluate_prints_precision_recall_and_f1(tmp_path: Path) -> None:
    result = _run("evaluate", "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[-1]["name"] == "all"
    assert set(rows[-1]["claims"]) >= {"precision", "recall", "f1"}
