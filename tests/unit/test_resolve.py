from __future__ import annotations

import random
from pathlib import Path

import pytest

from actorgraph.graph.model import Actor
from actorgraph.loaders.curated import read_curated
from actorgraph.names.aliases import AliasIndex
from actorgraph.names.normalise import normal_form, normalise
from tests.conftest import DATA


@pytest.fixture(scope="module")
def index() -> AliasIndex:
    return AliasIndex(read_curated(DATA / "actors.yaml").actors)


@pytest.mark.parametrize(
    ("name", "actor"),
    [
        ("Hashd al-Shaabi", "pmf"),
        ("HASHD AL SHAABI", "pmf"),
        ("Popular Mobilization Units", "pmf"),
        ("Kata'ib Hizbollah", "kataib-hezbollah"),
        ("Kata’ib Hizbollah", "kataib-hezbollah"),
        ("Kataeb Hezbollah", "kataib-hezbollah"),
        ("كتائب حزب الله", "kataib-hezbollah"),
        ("Abu Mahdi al-Mohandis", "abu-mahdi-al-muhandis"),
        ("Abu Mahdi al Muhandis", "abu-mahdi-al-muhandis"),
        ("Wissam Mohammed Al Saiedi", "wissam-al-saadi"),
        ("Qasem Soleimani", "qassem-soleimani"),
        ("Qāsem Soleimānī", "qassem-soleimani"),
        ("kataib-hezbollah", "kataib-hezbollah"),
    ],
)
def test_spellings_resolve_to_one_actor(index: AliasIndex, name: str, actor: str) -> None:
    found = index.resolve(name)
    assert found is not None and found.id == actor


def test_unknown_names_resolve_to_nothing(index: AliasIndex) -> None:
    assert index.resolve("Muqtada al-Sadr") is None


def test_normalise_maps_back_to_the_original_text() -> None:
    text = "the Kata’ib Hizbollah—al-Saadi"
    norm, where = normalise(text)
    assert norm == "the kataib hizbollah al saadi"
    assert len(where) == len(norm)
    assert text[where[norm.index("al saadi")]] == "a"


def test_normal_form_is_normalise_without_the_offsets() -> None:
    rng = random.Random(0)
    letters = "aZé ß-–_'’`\t\n\u00a0\u00a8\u0301أإآىةـ\u064e\ufdfa\x00."
    texts = [
        "",
        " Kata’ib  Hizbollah—al-Saadi ",
        *("".join(rng.choices(letters, k=9)) for _ in range(3000)),
    ]
    for text in texts:
        for fold in (True, False):
            assert normal_form(text, fold=fold) == normalise(text, fold=fold)[0], repr(text)


def test_mentions_keep_the_documents_own_spelling(index: AliasIndex) -> None:
    text = (
        "A strike on five Kata’ib Hizbollah targets; Hizbollah in Lebanon; the PMU’s 40th Brigade."
    )
    found = [(m.actor, text[m.start : m.end]) for m in index.find(text)]
    assert found == [
        ("kataib-hezbollah", "Kata’ib Hizbollah"),
        ("hezbollah", "Hizbollah"),
        ("kataib-imam-ali", "PMU’s 40th Brigade"),  # its alias "PMU 40th Brigade"
    ]


def test_acronyms_match_only_in_capitals(index: AliasIndex) -> None:
    found = [m.actor for m in index.find("Tell us what the US said; pmf or PMF.")]
    assert found == ["united-states", "pmf"]


def test_names_inside_words_are_not_mentions(index: AliasIndex) -> None:
    assert [m.actor for m in index.find("USAID and Iranian Iraqis")] == []


def test_an_alias_shared_by_two_actors_is_ambiguous() -> None:
    actors = [
        Actor(id="a", name="Alpha Brigade", kind="armed_group", aliases=["The Brigade"]),
        Actor(id="b", name="Beta Brigade", kind="armed_group", aliases=["The Brigade"]),
    ]
    index = AliasIndex(actors)
    assert index.resolve("the brigade") is None
    assert [a.id for a in index.candidates("the brigade")] == ["a", "b"]
    assert index.find("the Brigade moved") == []


def test_arabic_script_mentions_are_found(index: AliasIndex, tmp_path: Path) -> None:
    text = "قالت كتائب حزب الله إن أبو مهدي المهندس"
    assert [m.actor for m in index.find(text)] == ["kataib-hezbollah", "abu-mahdi-al-muhandis"]
