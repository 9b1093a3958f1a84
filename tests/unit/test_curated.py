"""The curated data of the founding corpus: complete, sourced, and anchored in the articles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actorgraph.errors import InputError
from actorgraph.graph.model import ActorKind
from actorgraph.loaders.articles import read_articles
from actorgraph.loaders.curated import locate, read_curated
from tests.conftest import ARTICLES, DATA, GOLD

ARABIC = re.compile(r"[\u0600-\u06FF]")
DOCUMENTS = {d.id: d for p in sorted(ARTICLES.glob("*.md")) for d in read_articles(p)}
GOLD_DOCUMENTS = {d.id for p in sorted(GOLD.glob("articles/*.md")) for d in read_articles(p)}
ACTORS = {a.id: a for a in read_curated(DATA / "actors.yaml").actors}
CLAIMS = read_curated(DATA / "claims.yaml")
EVENTS = {e.id for e in read_curated(DATA / "events.yaml").events}

REQUIRED = {
    "pmf": ActorKind.ARMED_GROUP,
    "kataib-hezbollah": ActorKind.ARMED_GROUP,
    "asaib-ahl-al-haq": ActorKind.ARMED_GROUP,
    "kataib-imam-ali": ActorKind.ARMED_GROUP,
    "saraya-al-khorasani": ActorKind.ARMED_GROUP,
    "centcom": ActorKind.MILITARY_COMMAND,
    "us-led-coalition": ActorKind.MILITARY_COMMAND,
    "united-states": ActorKind.STATE,
    "iran": ActorKind.STATE,
    "iraq": ActorKind.STATE,
    "israel": ActorKind.STATE,
    "irgc": ActorKind.MILITARY_COMMAND,
    "qassem-soleimani": ActorKind.PERSON,
    "abu-mahdi-al-muhandis": ActorKind.PERSON,
    "shibl-al-zaidi": ActorKind.PERSON,
    "wissam-al-saadi": ActorKind.PERSON,
    "qais-al-khazali": ActorKind.PERSON,
    "hamid-al-jazairi": ActorKind.PERSON,
    "reuters": ActorKind.MEDIA_OUTLET,
    "al-masdar-news": ActorKind.MEDIA_OUTLET,
    "zerohedge": ActorKind.MEDIA_OUTLET,
    "moon-of-alabama": ActorKind.MEDIA_OUTLET,
    "kataib-hezbollah-telegram": ActorKind.CHANNEL,
}
ARAB_OR_IRANIAN = [
    "pmf",
    "kataib-hezbollah",
    "asaib-ahl-al-haq",
    "kataib-imam-ali",
    "saraya-al-khorasani",
    "irgc",
    "qassem-soleimani",
    "abu-mahdi-al-muhandis",
    "shibl-al-zaidi",
    "wissam-al-saadi",
    "qais-al-khazali",
    "hamid-al-jazairi",
    "iran",
    "iraq",
]


@pytest.mark.parametrize(("actor_id", "kind"), REQUIRED.items())
def test_every_actor_the_articles_name_is_curated(actor_id: str, kind: ActorKind) -> None:
    assert ACTORS[actor_id].kind is kind


@pytest.mark.parametrize("actor_id", ARAB_OR_IRANIAN)
def test_arab_and_iranian_names_carry_their_own_script(actor_id: str) -> None:
    assert any(ARABIC.search(alias) for alias in ACTORS[actor_id].aliases)


def test_the_spellings_the_articles_use_are_aliases() -> None:
    for actor_id, spelling in [
        ("pmf", "Hashd al-Shaabi"),
        ("pmf", "PMU"),
        ("kataib-hezbollah", "Kata’ib Hizbollah"),
        ("abu-mahdi-al-muhandis", "Abu Mahdi al-Mohandis"),
        ("wissam-al-saadi", "Wissam Mohammed Al Saiedi"),
        ("shibl-al-zaidi", "Shibl Al-Zaida"),
    ]:
        assert spelling in ACTORS[actor_id].aliases


def test_actor_sources_are_corpus_documents() -> None:
    for actor in ACTORS.values():
        assert set(actor.sources) <= set(DOCUMENTS) | set(GOLD_DOCUMENTS), actor.id


def test_every_curated_claim_is_anchored_in_its_article() -> None:
    batch = CLAIMS.batch(DOCUMENTS.get)
    assert len(batch.claims) == 19 and len(batch.attestations) == 32
    for att in batch.attestations:
        assert DOCUMENTS[att.document].text[att.start : att.end] == att.quote
        assert att.speaker in ACTORS
        assert att.date == DOCUMENTS[att.document].published
    for claim in batch.claims:
        for end in (claim.subject, claim.object):
            assert end in ACTORS or end in EVENTS
        assert claim.event is None or claim.event in EVENTS


def test_the_static_relations_the_articles_state() -> None:
    triples = {(c.subject, c.predicate.value, c.object) for c in CLAIMS.claims}
    assert {
        ("abu-mahdi-al-muhandis", "commands", "pmf"),
        ("kataib-hezbollah", "part_of", "pmf"),
        ("kataib-imam-ali", "part_of", "pmf"),
        ("shibl-al-zaidi", "commands", "kataib-imam-ali"),
        ("hamid-al-jazairi", "commands", "saraya-al-khorasani"),
        ("wissam-al-saadi", "commands", "kataib-hezbollah"),
    } <= triples


def test_claims_need_their_documents(tmp_path: Path) -> None:
    with pytest.raises(
        InputError, match=r"claims\.yaml:\d+ \[document\]: document .* is not loaded"
    ):
        CLAIMS.batch(lambda _id: None)


_PIECES = st.sampled_from(["a", "b", "ab", " ", "  ", "\n", "\u00a0", ".", "(", "*"])


@given(st.lists(_PIECES, max_size=8).map("".join), st.lists(_PIECES, max_size=24).map("".join))
def test_locate_finds_what_the_white_space_pattern_finds(quote: str, text: str) -> None:
    """locate is the search for the quote's words joined by \\s+, without a pattern."""
    pattern = r"\s+".join(map(re.escape, quote.split()))
    expected = re.search(pattern, text) if quote.split() else None
    assert locate(quote, text) == (expected.span() if expected else None)
