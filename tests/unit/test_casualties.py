"""Casualty figures: the rule by which words become ranges, case by case, and the figures
measured on the development set of the corpus."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from actorgraph.evaluate import evaluate
from actorgraph.extraction import RuleExtractor
from actorgraph.extraction.casualties import figures
from actorgraph.graph.model import CasualtyFigure, Whom
from actorgraph.loaders.curated import read_curated
from tests.conftest import DATA, GOLD

CASES = [
    # (sentence, [(killed, injured, whom)])
    ("The strike killed six people.", [((6, 6), None, Whom.UNKNOWN)]),
    ("At least six fighters were killed.", [((6, None), None, Whom.COMBATANTS)]),
    ("Officials said up to 30 were injured.", [(None, (None, 30), Whom.UNKNOWN)]),
    ("Between five and seven people died.", [((5, 7), None, Whom.UNKNOWN)]),
    ("Several US service members were wounded.", [(None, (3, None), Whom.COMBATANTS)]),
    ("Dozens of civilians were hurt.", [(None, (24, None), Whom.CIVILIANS)]),
    ("More than 50 were wounded.", [(None, (51, None), Whom.UNKNOWN)]),
    ("A source counted six burned corpses.", [((6, 6), None, Whom.UNKNOWN)]),
    ("It killed 6 members of a medical team.", [((6, 6), None, Whom.COMBATANTS)]),
    # numbers joined by "and" before one word of death add up
    (
        "Two US service members and one UK service member were killed.",
        [((3, 3), None, Whom.COMBATANTS)],
    ),
    ("Drones hit the cars, killing both men and ten others.", [((12, 12), None, Whom.UNKNOWN)]),
    # a killed and an injured count make one figure
    (
        "Three soldiers have been killed and 25 injured.",
        [((3, 3), (25, 25), Whom.COMBATANTS)],
    ),
    ("The raid killed six people and critically wounded three.", [((6, 6), (3, 3), Whom.UNKNOWN)]),
    ("A PMF official gave 24 dead, with 51 wounded.", [((24, 24), (51, 51), Whom.UNKNOWN)]),
    ("Both advisers had died of their wounds.", [((2, 2), None, Whom.COMBATANTS)]),
    ("The agency put the toll at five.", [((5, 5), None, Whom.UNKNOWN)]),
    # no one
    ("There were no civilian casualties.", [((0, 0), None, Whom.CIVILIANS)]),
    ("No civilians were harmed, he said.", [((0, 0), (0, 0), Whom.CIVILIANS)]),
    (
        "There were no indications of collateral damage or civilian casualties.",
        [((0, 0), None, Whom.CIVILIANS)],
    ),
    # no figure
    ("Four commanders were among the dead.", []),
    ("23 fighters were killed, 13 of them in Mayadin.", [((23, 23), None, Whom.COMBATANTS)]),
    ("Rockets hit the base on 28 January, 15 kilometres away.", []),
    ("The attack set two vehicles ablaze.", []),
    ("A drone strike killed a Kataib Hezbollah commander.", []),
    ("The war of 2003 killed many.", []),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_words_become_ranges_by_the_documented_rule(
    sentence: str, expected: list[tuple[object, object, Whom]]
) -> None:
    assert [(f.killed, f.injured, f.whom) for f in figures(sentence)] == expected


def test_figures_reach_the_bar_on_the_development_set() -> None:
    actors = read_curated(DATA / "actors.yaml").actors
    places = read_curated(DATA / "places.yaml").places
    total, _ = evaluate(
        sorted((GOLD / "corpus" / "dev").glob("*.yaml")),
        lambda new: RuleExtractor([*actors, *new], places=places),
    )
    assert total.casualties.gold >= 80
    assert total.casualties.precision >= 0.90
    assert total.casualties.recall >= 0.80


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"killed_low": 7, "killed_high": 6}, "low is above its high"),
        ({"killed_low": None, "killed_high": None}, "give a number killed or injured"),
        ({"killed_low": -1}, "killed_low"),
    ],
)
def test_a_figure_that_cannot_be_is_refused(change: dict[str, object], named: str) -> None:
    quote = "The strike killed six people."
    fields = dict(
        event="e",
        document="d",
        speaker="s",
        killed_low=6,
        killed_high=6,
        text="killed six people",
        quote=quote,
        start=0,
        end=len(quote),
    )
    with pytest.raises(ValidationError, match=named):
        CasualtyFigure(**{**fields, **change})
