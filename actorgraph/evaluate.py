"""Measuring an extractor against a hand-annotated gold standard (``tests/gold/``).

Each gold file names its article and lists the mentions, events and claims
an analyst finds in it (the format and the annotation rules are in
``tests/gold/README.md``). :func:`evaluate` runs the extractor on each
article and counts, per article and in all:

- **mentions**: a found mention is right if it names the same actor as a gold
  mention whose span it overlaps (one to one);
- **events**: right if :func:`~actorgraph.extraction.matching.same_event`
  holds with a gold event (one to one);
- **claims**: right if subject, predicate and object agree with a gold claim,
  events compared through the event matching (a claim with an event the
  matching did not pair is wrong);
- **stance**: of the right claims, the share whose stances (reported, denied)
  are the gold's; **speakers** likewise for who said what.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from actorgraph.errors import InputError
from actorgraph.extraction import Extraction, Extractor, Telling, same_event
from actorgraph.graph.model import DatePrecision, EventKind, Predicate, Slug, Stance
from actorgraph.loaders.articles import read_articles
from actorgraph.loaders.curated import locate


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldMention(_Strict):
    actor: Slug
    text: str = Field(min_length=1)


class GoldEvent(_Strict):
    key: str
    kind: EventKind
    date: dt.date | None = None
    precision: DatePrecision | None = None
    place: str | None = None


class GoldSaid(_Strict):
    speaker: Slug
    stance: Stance
    hedged: bool = False
    quote: str = Field(min_length=1)


class GoldClaim(_Strict):
    subject: Slug
    predicate: Predicate
    object: str
    event: str | None = None
    attestations: list[GoldSaid] = Field(min_length=1)


class Gold(_Strict):
    document: str
    mentions: list[GoldMention] = []
    events: list[GoldEvent] = []
    claims: list[GoldClaim] = []


@dataclass
class Score:
    """Found, gold and right counts; precision, recall and F1 follow."""

    found: int = 0
    gold: int = 0
    right: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.found += other.found
        self.gold += other.gold
        self.right += other.right


@dataclass
class Share:
    """Of ``total`` matched claims, ``right`` had it right."""

    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0

    def add(self, other: Share) -> None:
        self.right += other.right
        self.total += other.total


@dataclass
class Report:
    """The scores of one article, or of all of them."""

    name: str
    mentions: Score = field(default_factory=Score)
    events: Score = field(default_factory=Score)
    claims: Score = field(default_factory=Score)
    stance: Share = field(default_factory=Share)
    speakers: Share = field(default_factory=Share)
    misses: list[str] = field(default_factory=list)

    def add(self, other: Report) -> None:
        self.mentions.add(other.mentions)
        self.events.add(other.events)
        self.claims.add(other.claims)
        self.stance.add(other.stance)
        self.speakers.add(other.speakers)

    def as_dict(self) -> dict[str, Any]:
        def score(s: Score) -> dict[str, Any]:
            return {
                "found": s.found,
                "gold": s.gold,
                "right": s.right,
                "precision": round(s.precision, 3),
                "recall": round(s.recall, 3),
                "f1": round(s.f1, 3),
            }

        return {
            "name": self.name,
            "mentions": score(self.mentions),
            "events": score(self.events),
            "claims": score(self.claims),
            "stance": {"right": self.stance.right, "of": self.stance.total},
            "speakers": {"right": self.speakers.right, "of": self.speakers.total},
        }


def _telling(event: GoldEvent) -> Telling:
    return (event.kind, event.date, event.precision or DatePrecision.DAY, event.place or "")


def read_gold(path: Path) -> Gold:
    """One gold file, validated; errors name the file and field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Gold.model_validate(data)
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", path=path) from None
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise InputError(error["msg"], path=path, field=where) from None


def _article(gold_path: Path, document: str) -> Path:
    """The gold file's article: its path is relative to the repository, above ``tests/gold``."""
    for base in (gold_path.parent, *gold_path.parent.parents):
        candidate = base / document
        if candidate.is_file():
            return candidate
    raise InputError(f"article {document!r} not found", path=gold_path, field="document")


def evaluate(gold_paths: Iterable[Path], extractor: Extractor) -> tuple[Report, list[Report]]:
    """Run ``extractor`` on each gold file's article and score it.

    Returns
    -------
    (Report, list of Report)
        The totals, and one report per article.
    """
    total = Report("all")
    reports = []
    for path in sorted(gold_paths):
        gold = read_gold(path)
        [doc] = read_articles(_article(path, gold.document))
        report = score_one(path.stem, gold, extractor.extract(doc), path)
        total.add(report)
        reports.append(report)
    return total, reports


def score_one(name: str, gold: Gold, found: Extraction, path: Path) -> Report:
    """The scores of one extraction against its gold."""
    report = Report(name)
    text = found.document.text

    spans: list[tuple[str, int, int]] = []
    at = 0
    for number, gm in enumerate(gold.mentions):
        where = locate(gm.text, text[at:])
        if where is None:
            raise InputError(
                f"mention {gm.text!r} not found after offset {at}",
                path=path,
                field=f"mentions.{number}",
            )
        spans.append((gm.actor, at + where[0], at + where[1]))
        at += where[0] + 1
    report.mentions = Score(len(found.mentions), len(spans))
    free = list(spans)
    for m in found.mentions:
        hit = next((g for g in free if g[0] == m.actor and g[1] < m.end and m.start < g[2]), None)
        if hit is not None:
            free.remove(hit)
            report.mentions.right += 1
        else:
            report.misses.append(f"mention? {m.text!r} → {m.actor}")
    report.misses += [f"mention missed: {text[s:e]!r} ({a})" for a, s, e in free]

    pairs: dict[str, str] = {}  # found event id -> gold key
    report.events = Score(len(found.events), len(gold.events))
    unpaired = list(gold.events)
    for event in found.events:
        telling = (event.kind, event.date, event.precision, event.place)
        fits = [g for g in unpaired if same_event(telling, _telling(g))]
        # the closest telling: places named on both sides first, then the nearest date
        match = min(
            fits,
            key=lambda g: (
                not (g.place and event.place),
                abs((g.date - event.date).days) if g.date and event.date else 99,
            ),
            default=None,
        )
        if match is not None:
            unpaired.remove(match)
            pairs[event.id] = match.key
            report.events.right += 1
        else:
            report.misses.append(f"event? {event.id}")
    report.misses += [f"event missed: {g.key}" for g in unpaired]

    report.claims = Score(len(found.claims), len(gold.claims))
    left = list(gold.claims)
    for claim in found.claims:
        c = claim.claim
        about_event = c.predicate.about_event
        obj = pairs.get(c.object, f"?{c.object}") if about_event else c.object
        told = c.object if about_event else c.event  # its object
        in_event = None if told is None else pairs.get(told, f"?{told}")
        same = next(
            (
                g
                for g in left
                if (g.subject, g.predicate, g.object) == (c.subject, c.predicate, obj)
                and (g.event is None or g.event == in_event)
            ),
            None,
        )
        if same is None:
            report.misses.append(f"claim? {c.subject} {c.predicate.value} {obj} [{in_event}]")
            continue
        left.remove(same)
        report.claims.right += 1
        report.stance.total += 1
        report.speakers.total += 1
        if {s.stance for s in claim.said} == {s.stance for s in same.attestations}:
            report.stance.right += 1
        else:
            report.misses.append(f"stance: {c.subject} {c.predicate.value} {obj}")
        if {(s.speaker, s.stance) for s in claim.said} == {
            (s.speaker, s.stance) for s in same.attestations
        }:
            report.speakers.right += 1
    report.misses += [
        f"claim missed: {g.subject} {g.predicate.value} {g.object} [{g.event}]" for g in left
    ]
    return report
