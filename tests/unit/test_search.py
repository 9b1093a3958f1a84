"""Actor search over the curated actors: spellings found first, other names not found at all.

The tables here are the evidence :data:`actorgraph.names.search.THRESHOLD`
was chosen on; none of their strings is special-cased in the code.
"""

from __future__ import annotations

import random
import re

import pytest

from actorgraph.errors import InputError
from actorgraph.graph.model import Actor, ActorKind
from actorgraph.loaders.curated import read_curated
from actorgraph.names.normalise import normal_form
from actorgraph.names.search import THRESHOLD, Hit, SearchIndex, rank
from tests.conftest import DATA

ACTORS = read_curated(DATA / "actors.yaml").actors
ALIASES = {normal_form(n) for a in ACTORS for n in (*a.names, a.id)}

# Spellings that are in the YAML (normalised): the exact tiers.
LITERAL = [
    ("Hashd al-Shaabi", "pmf"),
    ("Popular Mobilisation Forces", "pmf"),
    ("الحشد الشعبي", "pmf"),
    ("al-Hashd al-Sha'abi", "pmf"),
    ("PMU", "pmf"),
    ("Kata'ib Hizbollah", "kataib-hezbollah"),
    ("KH", "kataib-hezbollah"),
    ("Asaib Ahl al Haq", "asaib-ahl-al-haq"),
    ("عصائب اهل الحق", "asaib-ahl-al-haq"),
    ("Saraya al-Khurasani", "saraya-al-khorasani"),
    ("Imam Ali Brigades", "kataib-imam-ali"),
    ("Hizbollah", "hezbollah"),
    ("حزب الله", "hezbollah"),
    ("Daesh", "isis"),
    ("داعش", "isis"),
    ("Al Qa'eda", "al-qaeda"),
    ("CENTCOM", "centcom"),
    ("Central Command", "centcom"),
    ("Sepah", "irgc"),
    ("US", "united-states"),
    ("United States", "united-states"),
    ("الولايات المتحدة", "united-states"),
    ("Iraq", "iraq"),
    ("Syria", "syria"),
    ("Zerohedge", "zerohedge"),
    ("Liberty Beacon", "the-liberty-beacon"),
    ("Trump", "donald-trump"),
    ("Telegram", "telegram"),
    ("Iraqi parliament", "iraqi-parliament"),
]

# Spellings that are NOT in the YAML: article dropped, transliterated, misspelt, partial.
VARIANTS = [
    ("Hashd Shaabi", "pmf"),
    ("Hashd", "pmf"),
    ("الحشد", "pmf"),
    ("Popular Mobilization", "pmf"),
    ("Popular Mobilisation Unit", "pmf"),
    ("Kataeb Hizbullah", "kataib-hezbollah"),
    ("Kataib Hizbullah", "kataib-hezbollah"),
    ("Kata'ib Hezbullah", "kataib-hezbollah"),
    ("Kataib Hezballah", "kataib-hezbollah"),
    ("kataib hezbolla", "kataib-hezbollah"),
    ("Kataibhezbollah", "kataib-hezbollah"),
    ("kataib hez", "kataib-hezbollah"),
    ("Abu Mahdi al Mohandes", "abu-mahdi-al-muhandis"),
    ("Abou Mahdi al-Mouhandis", "abu-mahdi-al-muhandis"),
    ("Abu Mehdi Muhandis", "abu-mahdi-al-muhandis"),
    ("Mohandis", "abu-mahdi-al-muhandis"),
    ("Muhandis", "abu-mahdi-al-muhandis"),
    ("al-Mohandes", "abu-mahdi-al-muhandis"),
    ("Abu Mahdi", "abu-mahdi-al-muhandis"),
    ("Jamal Jafar Ibrahim", "abu-mahdi-al-muhandis"),
    ("المهندس", "abu-mahdi-al-muhandis"),
    ("Soleimany", "qassem-soleimani"),
    ("Suleimani", "qassem-soleimani"),
    ("Sulaymani", "qassem-soleimani"),
    ("Qassim Sulaimani", "qassem-soleimani"),
    ("Kassem Soleimani", "qassem-soleimani"),
    ("Ghasem Soleimani", "qassem-soleimani"),
    ("سليماني", "qassem-soleimani"),
    ("al Saedi", "wissam-al-saadi"),
    ("Saadi", "wissam-al-saadi"),
    ("Wissam al-Saidi", "wissam-al-saadi"),
    ("Wisam Saadi", "wissam-al-saadi"),
    ("Abu Baqir al-Saedi", "wissam-al-saadi"),
    ("Qays Khazali", "qais-al-khazali"),
    ("Qais al-Khazaali", "qais-al-khazali"),
    ("Khazali", "qais-al-khazali"),
    ("Asa'ib Ahl al-Haqq", "asaib-ahl-al-haq"),
    ("Asaeb Ahl al-Haq", "asaib-ahl-al-haq"),
    ("Shebl al-Zaidi", "shibl-al-zaidi"),
    ("Hamid al-Jazaeri", "hamid-al-jazairi"),
    ("Saraya Khourasani", "saraya-al-khorasani"),
    ("Kataeb al-Imam Ali", "kataib-imam-ali"),
    ("Hezballah", "hezbollah"),
    ("Lebanese Hizbullah", "hezbollah"),
    ("Daish", "isis"),
    ("Qaeda", "al-qaeda"),
    ("Jabhat al Nosra", "al-nusra-front"),
    ("Revolutionary Guard", "irgc"),
    ("Suriya", "syria"),
    ("Al-Masdar", "al-masdar-news"),
    ("Interior Ministry", "iraqi-ministry-of-interior"),
]

# Names and words that are no curated actor's: no tier reaches them, at any score.
NOT_FOUND = [
    "banana",
    "xyz",
    "weather",
    "militia",
    "attack",
    "drone",
    "airport",
    "Oran",
    "France",
    "Beirut",
    "Lebanon",
    "Kurdistan",
    "Sulaymaniyah",
    "Muqtada al-Sadr",
    "Moqtada Sadr",
    "Hamas",
    "Houthis",
    "Ansar Allah",
    "Badr Organization",
    "Nouri al-Maliki",
    "Hadi al-Amiri",
    "Falih al-Fayyadh",
    "Ali Khamenei",
    "Hassan Nasrallah",
    "Ali al-Sistani",
    "Abu Bakr al-Baghdadi",
    "Hayat Tahrir al-Sham",
    "Saraya al-Salam",
    "Kataib Sayyid al-Shuhada",
    "Harakat Hezbollah al-Nujaba",
    "Imam Hussein Brigades",
    "Popular Front",
    "Baghdad airport",
    "us army",
    "Wagner",
    "Taliban",
    "Mossad",
    "al-Shabaab",
    "Peshmerga",
    "Hussein",
    "Sadr",
    "Said",
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(ACTORS)


def ids(hits: list[Hit]) -> list[str]:
    return [h.actor.id for h in hits]


@pytest.mark.parametrize(("q", "actor"), LITERAL + VARIANTS)
def test_spellings_find_their_actor_first(index: SearchIndex, q: str, actor: str) -> None:
    hits = index.rank(q)
    assert hits and hits[0].actor.id == actor, [(h.actor.id, h.score) for h in hits]
    assert hits[0].score > THRESHOLD


def test_the_variants_are_not_aliases_in_the_data() -> None:
    assert [q for q, _ in VARIANTS if normal_form(q) in ALIASES] == []
    assert [q for q, _ in LITERAL if normal_form(q) not in ALIASES] == []


@pytest.mark.parametrize("q", NOT_FOUND)
def test_other_names_and_words_find_nothing(index: SearchIndex, q: str) -> None:
    assert index.candidates(q) == []


def test_the_threshold_sits_below_every_right_answer(index: SearchIndex) -> None:
    lowest = min(index.rank(q)[0].score for q, _ in LITERAL + VARIANTS)
    assert THRESHOLD < lowest == 67.7  # "al Saedi": one respelt word of a three-word name


def test_exact_names_score_100_and_variants_by_tier(index: SearchIndex) -> None:
    assert index.rank("Kata'ib Hizbollah")[0].score == 100
    assert index.rank("Hashd Shaabi")[0].score == 98  # article dropped
    assert index.rank("Kataeb Hizbullah")[0].score == 95  # same skeleton
    assert index.rank("kataib hez")[0].score < 90  # type-ahead


def test_an_exact_name_ranks_above_names_containing_it(index: SearchIndex) -> None:
    hits = index.rank("hezbollah")
    assert ids(hits)[:2] == ["hezbollah", "kataib-hezbollah"]
    assert hits[0].score == 100 > hits[1].score > THRESHOLD
    assert ids(index.rank("حزب الله"))[:2] == ["hezbollah", "kataib-hezbollah"]


def test_a_single_word_finds_the_names_it_is_a_word_of(index: SearchIndex) -> None:
    assert ids(index.rank("Mohammed")) == ["wissam-al-saadi"]
    assert ids(index.rank("Zaydi")) == ["shibl-al-zaidi"]
    # Syriac Press: Syria is the start of a word; Islamic State of Iraq and Syria
    assert ids(index.rank("Syria")) == ["syria", "syriac-press", "isis"]


def test_the_threshold_drops_a_respelt_word_of_a_long_name(index: SearchIndex) -> None:
    found = {h.actor.id: h.score for h in index.candidates("Syrian")}
    assert found["syria"] > THRESHOLD > found["isis"]
    assert ids(index.rank("Syrian")) == ["syria", "syriac-press"]  # Syriac: one letter apart


def test_us_is_the_united_states_and_names_with_the_word_us(index: SearchIndex) -> None:
    hits = index.rank("US")
    assert hits[0].actor.id == "united-states" and hits[0].score == 100
    for hit in hits:  # never "us" inside a word: Nusra, Khorasani, Mobilisation...
        assert any(re.search(r"\bus\b", normal_form(n)) for n in hit.actor.names), hit


def test_acronyms_match_only_as_the_whole_query(index: SearchIndex) -> None:
    assert [(h.actor.id, h.score) for h in index.rank("PMF")] == [("pmf", 100.0)]
    assert [(h.actor.id, h.score) for h in index.rank("pmf")] == [("pmf", 90.0)]
    assert index.rank("us")[0].score == 90
    assert index.candidates("PM") == []  # not a prefix of PMF
    assert index.candidates("PMFF") == []  # nor a typo of it
    assert [(h.actor.id, h.score) for h in index.candidates("kh")] == [("kataib-hezbollah", 90.0)]


def test_arabic_script_matches_arabic_aliases_with_or_without_the_article(
    index: SearchIndex,
) -> None:
    assert [(h.actor.id, h.matched) for h in index.rank("حشد شعبي")] == [("pmf", "الحشد الشعبي")]
    assert ids(index.rank("كتائب حزب الله"))[0] == "kataib-hezbollah"


def test_matched_is_the_curated_spelling(index: SearchIndex) -> None:
    assert index.rank("Mohandis")[0].matched == "al-Mohandis"
    assert index.rank("Abu Mahdi al Mohandes")[0].matched == "Abu Mahdi al-Muhandis"
    assert index.rank("Soleimany")[0].matched == "Soleimani"


def test_kind_filters_the_hits(index: SearchIndex) -> None:
    assert ids(index.rank("Kataib Hezbollah", kind=ActorKind.CHANNEL)) == [
        "kataib-hezbollah-telegram"
    ]
    assert ids(index.rank("Trump", kind=ActorKind.GOVERNMENT_BODY)) == ["trump-administration"]
    assert index.rank("hezbollah", kind=ActorKind.PERSON) == []
    assert all(h.actor.kind is ActorKind.STATE for h in index.rank("Iraq", kind=ActorKind.STATE))


def test_limit_keeps_the_best(index: SearchIndex) -> None:
    assert index.rank("hezbollah", limit=1) == index.rank("hezbollah")[:1]
    with pytest.raises(InputError) as caught:
        index.rank("hezbollah", limit=0)
    assert caught.value.field == "limit"


def test_order_is_score_then_name_then_id_whatever_the_input_order() -> None:
    actors = [
        Actor(id="b", name="Beta Brigade", kind="armed_group", aliases=["The Brigade"]),
        Actor(id="a2", name="Alpha Brigade", kind="armed_group", aliases=["The Brigade"]),
        Actor(id="a1", name="Alpha Brigade", kind="armed_group", aliases=["The Brigade"]),
        Actor(id="c", name="The Brigade", kind="armed_group"),
    ]
    for seed in range(5):
        shuffled = random.Random(seed).sample(actors, len(actors))
        hits = rank(shuffled, "the brigade")
        assert [(h.actor.id, h.score, h.matched) for h in hits] == [
            ("a1", 100.0, "The Brigade"),
            ("a2", 100.0, "The Brigade"),
            ("b", 100.0, "The Brigade"),
            ("c", 100.0, "The Brigade"),
        ]
    assert [rank(ACTORS, "Kataib")] == [rank(list(reversed(ACTORS)), "Kataib")]


def test_rank_is_search_index_rank(index: SearchIndex) -> None:
    for q in ("Hezbollah", "al Saedi", "US"):
        assert rank(ACTORS, q, limit=3) == index.rank(q, limit=3)


@pytest.mark.parametrize("q", ["", "   ", "\t\n", "'’", "--"])
def test_a_blank_query_is_an_input_error_naming_q(q: str) -> None:
    with pytest.raises(InputError) as caught:
        rank(ACTORS, q)
    assert caught.value.field == "q"
