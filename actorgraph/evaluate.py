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
  are the gold's; **speakers** likewise for who said what;
- **casualty figures** (corpus gold): a found figure is right if a gold figure of
  its sentence gives the same killed and injured ranges (one to one); of the right
  ones, the shares on the gold's event, with its speaker and with its ``whom``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rich.table import Table

from actorgraph.errors import InputError
from actorgraph.extraction import Extraction, Extractor, Telling, same_event
from actorgraph.graph.model import (
    Actor,
    DatePrecision,
    EventKind,
    GeoPrecision,
    Predicate,
    Slug,
    Stance,
    Whom,
)
from actorgraph.loaders.articles import read_articles
from actorgraph.loaders.curated import locate


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldMention(_Strict):
    actor: Slug
    text: str = Field(min_length=1)


class GoldPlace(_Strict):
    place: Slug | None = Field(description="A curated place's id; null for one not curated.")
    name: str | None = None
    text: str = Field(min_length=1)


class GoldCount(_Strict):
    low: int | None = Field(None, ge=0)
    high: int | None = Field(None, ge=0)


class GoldFigure(_Strict):
    speaker: Slug
    killed: GoldCount | None = None
    injured: GoldCount | None = None
    whom: Whom
    text: str = Field(min_length=1)
    quote: str = Field(min_length=1)


class GoldEvent(_Strict):
    key: str
    kind: EventKind
    date: dt.date | None = None
    precision: DatePrecision | None = None
    place: str | None = Field(
        None, description="The place as said; in the corpus format, a curated place's id."
    )
    same_as: str | None = Field(None, description="The real event, across the corpus.")
    place_name: str | None = None
    geo_precision: GeoPrecision | None = None
    place_text: str | None = Field(None, description="The place as said (corpus format).")
    casualties: list[GoldFigure] = []


class GoldSaid(_Strict):
    speaker: Slug
    stance: Stance
    hedged: bool = False
    via: list[Slug] = []
    quote: str = Field(min_length=1)


class GoldClaim(_Strict):
    subject: Slug
    predicate: Predicate
    object: str
    event: str | None = None
    attestations: list[GoldSaid] = Field(min_length=1)


class Gold(_Strict):
    document: str
    new_actors: list[Actor] = Field(
        [], description="Actors the article names that data/actors.yaml lacks (corpus format)."
    )
    mentions: list[GoldMention] = []
    places: list[GoldPlace] = []
    events: list[GoldEvent] = []
    claims: list[GoldClaim] = []

    @property
    def placed(self) -> bool:
        """Whether the file is in the corpus format, whose events' places are curated ids."""
        return bool(self.places) or any(e.place_text is not None for e in self.events)


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
    places: Score = field(default_factory=Score)
    events: Score = field(default_factory=Score)
    event_places: Share = field(default_factory=Share)
    """Of the matched events gold places at a curated place: those placed there, as closely."""
    claims: Score = field(default_factory=Score)
    stance: Share = field(default_factory=Share)
    speakers: Share = field(default_factory=Share)
    casualties: Score = field(default_factory=Score)
    casualty_events: Share = field(default_factory=Share)
    """Of the right casualty figures: those on the gold's event (through the event matching)."""
    casualty_speakers: Share = field(default_factory=Share)
    whom: Share = field(default_factory=Share)
    misses: list[str] = field(default_factory=list)
    tellings: list[tuple[str, str]] = field(default_factory=list)
    """Each matched event as ``(the real event it tells of, the event found)``: corpus gold."""

    def add(self, other: Report) -> None:
        self.mentions.add(other.mentions)
        self.places.add(other.places)
        self.events.add(other.events)
        self.event_places.add(other.event_places)
        self.claims.add(other.claims)
        self.stance.add(other.stance)
        self.speakers.add(other.speakers)
        self.casualties.add(other.casualties)
        self.casualty_events.add(other.casualty_events)
        self.casualty_speakers.add(other.casualty_speakers)
        self.whom.add(other.whom)

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
            "places": score(self.places),
            "events": score(self.events),
            "event_places": {"right": self.event_places.right, "of": self.event_places.total},
            "claims": score(self.claims),
            "stance": {"right": self.stance.right, "of": self.stance.total},
            "speakers": {"right": self.speakers.right, "of": self.speakers.total},
            "casualties": score(self.casualties),
            **{
                name: {"right": share.right, "of": share.total}
                for name, share in (
                    ("casualty_events", self.casualty_events),
                    ("casualty_speakers", self.casualty_speakers),
                    ("whom", self.whom),
                )
            },
        }


def _telling(event: GoldEvent, placed: bool) -> Telling:
    said = event.place_text if placed else event.place
    return (event.kind, event.date, event.precision or DatePrecision.DAY, said or "")


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


def evaluate(
    gold_paths: Iterable[Path], extractor: Callable[[list[Actor]], Extractor]
) -> tuple[Report, list[Report]]:
    """Run an extractor on each gold file's article and score it.

    Parameters
    ----------
    gold_paths
        The gold files.
    extractor
        The extractor for one article, given the actors its gold file adds to the
        registry (``new_actors``): extraction is measured with a registry that knows
        every actor the article names, as the founding gold's registry did.

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
        report = score_one(path.stem, gold, extractor(gold.new_actors).extract(doc), path)
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

    if gold.placed:
        report.places = _score_places(gold, found, path, report.misses)

    pairs: dict[str, str] = {}  # found event id -> gold key
    report.events = Score(len(found.events), len(gold.events))
    unpaired = list(gold.events)
    for event in found.events:
        telling = (event.kind, event.date, event.precision, event.place)
        fits = [g for g in unpaired if same_event(telling, _telling(g, gold.placed))]
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
            if match.same_as is not None:
                report.tellings.append((match.same_as, event.id))
            if gold.placed and match.place is not None:
                report.event_places.total += 1
                placed_at = (event.at, event.geo_precision)
                if placed_at == (match.place, match.geo_precision):
                    report.event_places.right += 1
                else:
                    gold_at = (match.place, match.geo_precision)
                    report.misses.append(f"event place: {event.id} at {placed_at}, not {gold_at}")
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
    if gold.placed:
        _score_casualties(report, gold, found, pairs, path)
    return report


def _count(count: GoldCount | None) -> tuple[int | None, int | None] | None:
    return None if count is None else (count.low, count.high)


def _score_casualties(
    report: Report, gold: Gold, found: Extraction, pairs: dict[str, str], path: Path
) -> None:
    text = found.document.text
    free: list[tuple[str, GoldFigure, int, int]] = []
    for number, event in enumerate(gold.events):
        for figure in event.casualties:
            start = text.find(figure.quote)
            if start < 0:
                raise InputError(
                    f"casualty quote {figure.quote[:40]!r} not found",
                    path=path,
                    field=f"events.{number}.casualties",
                )
            free.append((event.key, figure, start, start + len(figure.quote)))
    report.casualties = Score(len(found.casualties), len(free))
    for f in found.casualties:
        counts = (f.figure.killed, f.figure.injured)
        hit = next(
            (
                g
                for g in free
                if g[2] < f.end
                and f.start < g[3]
                and (_count(g[1].killed), _count(g[1].injured)) == counts
            ),
            None,
        )
        if hit is None:
            report.misses.append(
                f"casualties? {f.words!r}: killed {counts[0]}, injured {counts[1]}"
            )
            continue
        free.remove(hit)
        key, figure = hit[0], hit[1]
        report.casualties.right += 1
        for share, right in (
            (report.casualty_events, pairs.get(f.event.id) == key),
            (report.casualty_speakers, f.speaker == figure.speaker),
            (report.whom, f.figure.whom is figure.whom),
        ):
            share.total += 1
            share.right += right
    report.misses += [f"casualties missed: {g[1].text!r} ({g[0]})" for g in free]


def _score_places(gold: Gold, found: Extraction, path: Path, misses: list[str]) -> Score:
    """Place mentions: right if a found one names the curated place of a gold one it
    overlaps (one to one). A gold place not curated (``place: null``) is a place candidate:
    not counted."""
    text = found.document.text
    spans: list[tuple[str, int, int]] = []
    at = 0
    for number, gp in enumerate(gold.places):
        # a whole word: the place "Iraq" is never the start of "Iraqi"
        hit = re.compile(rf"(?<!\w){re.escape(gp.text)}(?!\w)").search(text, at)
        if hit is None:
            raise InputError(
                f"place {gp.text!r} not found after offset {at}",
                path=path,
                field=f"places.{number}",
            )
        if gp.place is not None:
            spans.append((gp.place, hit.start(), hit.end()))
        at = hit.end()
    score = Score(len(found.places), len(spans))
    free = list(spans)
    for p in found.places:
        hit_span = next(
            (g for g in free if g[0] == p.place.id and g[1] < p.end and p.start < g[2]), None
        )
        if hit_span is not None:
            free.remove(hit_span)
            score.right += 1
        else:
            misses.append(f"place? {p.text!r} → {p.place.id}")
    misses += [f"place missed: {text[s:e]!r} ({pid})" for pid, s, e in free]
    return score


def scores_table(reports: list[Report], total: Report) -> Table:
    """The scores of each article and of all, as ``actorgraph evaluate`` prints them; the
    place columns only for gold in the corpus format."""
    placed = _placed(total)
    where = ("places P/R/F1", "event places") if placed else ()
    table = Table(
        "article",
        "mentions P/R/F1",
        *where[:1],
        "events P/R/F1",
        *where[1:],
        "claims P/R/F1",
        "stance",
        "speakers",
        *(("casualties P/R/F1",) if placed else ()),
        box=None,
        header_style="bold",
    )
    for report in (*reports, total):
        columns = [_prf(report.places), _share(report.event_places)] if placed else []
        table.add_row(
            report.name,
            _prf(report.mentions),
            *columns[:1],
            _prf(report.events),
            *columns[1:],
            _prf(report.claims),
            _share(report.stance),
            _share(report.speakers),
            *((_prf(report.casualties),) if placed else ()),
        )
    return table


def summary(total: Report, across: Coreference | None) -> list[str]:
    """The totals, a line each, as ``actorgraph evaluate`` prints them below the table."""
    lines = [
        f"{name}: P/R/F1 {_prf(score)}"
        for name, score in (
            ("mentions", total.mentions),
            ("places", total.places),
            ("events", total.events),
            ("claims", total.claims),
            ("casualty figures", total.casualties),
        )
        if score.gold or score.found
    ]
    lines.append(f"stance {_share(total.stance)}, speakers {_share(total.speakers)}")
    if _placed(total):
        lines.append(
            f"event places {_share(total.event_places)}; of the right casualty figures: on "
            f"their event {_share(total.casualty_events)}, speaker "
            f"{_share(total.casualty_speakers)}, whom {_share(total.whom)}"
        )
    if across is not None:
        p = across.pairs
        lines.append(
            f"events across documents ({across.tellings} tellings matched): pairs of one real "
            f"event P {p.precision:.2f} R {p.recall:.2f} F1 {p.f1:.2f} "
            f"({p.right}/{p.found}/{p.gold}); {across.merged} pairs merged that gold keeps "
            f"apart; {across.part_and_whole} pairs of a wave of strikes and one of its sites"
        )
    return [*lines, "(right/found/gold)"]


def _placed(total: Report) -> bool:
    return total.places.gold > 0 or total.event_places.total > 0


def _prf(s: Score) -> str:
    return f"{s.precision:.2f} {s.recall:.2f} {s.f1:.2f}  ({s.right}/{s.found}/{s.gold})"


def _share(s: Share) -> str:
    return f"{s.value:.2f} ({s.right}/{s.total})"


@dataclass
class Coreference:
    """Event coreference across documents, counted over pairs of tellings.

    Two tellings are one real event in gold when they share ``same_as``, and one
    event found when extraction gave them one id. ``merged`` counts the pairs
    extraction made one that gold keeps apart. A wave of strikes and one of its sites
    (``2019-12-29-kh-strikes`` and ``2019-12-29-kh-strikes-al-qaim``) are a whole and
    its part, neither one event nor two: such pairs count in neither, only in
    ``part_and_whole``.
    """

    pairs: Score = field(default_factory=Score)
    merged: int = 0
    tellings: int = 0
    part_and_whole: int = 0

    def as_dict(self) -> dict[str, Any]:
        p = self.pairs
        return {
            "tellings": self.tellings,
            "pairs": {"found": p.found, "gold": p.gold, "right": p.right},
            "precision": round(p.precision, 3),
            "recall": round(p.recall, 3),
            "f1": round(p.f1, 3),
            "merged_apart": self.merged,
            "part_and_whole": self.part_and_whole,
        }


def coreference(
    gold_paths: Iterable[Path], extractor: Callable[[list[Actor]], Extractor]
) -> Coreference:
    """Load each gold file's article in turn into one extractor, as ``actorgraph load``
    does (each remembers the events of those before it), and count whether the tellings of
    one real event meet on one event."""
    golds = [(path, read_gold(path)) for path in sorted(gold_paths)]
    actors = {a.id: a for _, gold in golds for a in gold.new_actors}
    one = extractor(list(actors.values()))
    tellings: list[tuple[str, str, str]] = []  # (document, real event, event found)
    for path, gold in sorted(golds, key=lambda g: (_published(g[0], g[1]), g[0].name)):
        [doc] = read_articles(_article(path, gold.document))
        found = one.extract(doc)
        one.remember(e.record() for e in found.events if not e.known)
        report = score_one(path.stem, gold, found, path)
        tellings += [(path.stem, real, event) for real, event in report.tellings]
    result = Coreference(tellings=len(tellings))
    for (doc_a, real_a, found_a), (doc_b, real_b, found_b) in itertools.combinations(tellings, 2):
        if doc_a == doc_b:
            continue  # across documents: within one, the event matching decides
        if real_a.startswith(f"{real_b}-") or real_b.startswith(f"{real_a}-"):
            result.part_and_whole += 1
            continue
        same_gold, same_found = real_a == real_b, found_a == found_b
        result.pairs.gold += same_gold
        result.pairs.found += same_found
        result.pairs.right += same_gold and same_found
        result.merged += same_found and not same_gold
    return result


def _published(path: Path, gold: Gold) -> dt.date:
    [doc] = read_articles(_article(path, gold.document))
    return doc.published or dt.date.min
