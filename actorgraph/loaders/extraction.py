"""From article text to mentions, candidates, events, claims and who said what.

:class:`Extractor` is the interface: a document in, an :class:`Extraction`
out, nothing written. :class:`RuleExtractor` is its first implementation,
built from general rules of news English, not from the articles it is
measured on (``actorgraph evaluate``, ``tests/gold/``). A statistical or
LLM extractor can take its place behind the same interface.

The rule-based extractor works in four passes over the text:

1. **Mentions.** Exact names and aliases first (:class:`AliasIndex`); then
   every capitalised run of words that looks like a name is resolved with the
   spelling-tolerant search (:class:`SearchIndex`: transliteration
   skeletons, Levenshtein per word, Arabic script through
   :func:`anyascii.anyascii`). A whole name scoring :data:`RESOLVE` or more
   resolves; part of a person's name (a surname, "al-Saadi"; a kunya, "Abu
   Bakr") resolves only to someone the same document names in full. What
   resolves to nobody becomes a **candidate**, never a guess.
2. **Events.** A sentence with a strike or attack word and a date
   (:mod:`~actorgraph.loaders.dates`: relative dates resolved against the
   publication date) or a place is an event; sentences that speak of "the
   strike" without either refer to the latest one. Events told by several
   documents meet through :func:`same_event`.
3. **Claims.** ``commands``, ``part_of``, ``struck`` and ``killed_in`` from
   the words between two mentions ("X, the deputy leader of Y", "Y’s 40th
   Brigade", "US air strikes targeting Y") and around a kill word.
4. **Speakers and stance.** Who a sentence attributes its content to
   ("according to X", "X said", "X is reporting:" carried into the quote that
   follows), else the publisher; ``denied`` for denials ("X denied", "X
   confirmed he was alive", a retraction), ``hedged`` for "unconfirmed",
   "reportedly", "allegedly", "said to be".
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, Generic, Protocol, TypeVar

from spacy.lang.en.stop_words import STOP_WORDS

from actorgraph.graph.model import (
    Actor,
    ActorKind,
    Attestation,
    Claim,
    DatePrecision,
    Document,
    Event,
    EventKind,
    Mention,
    Predicate,
    Stance,
    derive_status,
)
from actorgraph.graph.store import GraphBatch
from actorgraph.loaders.dates import DateMention, find_dates
from actorgraph.loaders.resolve import AliasIndex, is_acronym, is_arabic, normal_form
from actorgraph.loaders.search import Hit, SearchIndex, strip_articles, word_skeleton
from actorgraph.loaders.text import Sentence, sentences

RESOLVE = 80.0
"""The search score at which a name-like span resolves to an actor by itself.

On :class:`SearchIndex`'s scale a whole name with one word respelt scores
83-87 ("Hamad al-Jazairi" for Hamid al-Jazairi), a skeleton match 95, while
one exact word of a longer name scores 60-78 ("Baghdad" in Baghdad Police
76.2, "al-Zaidi" in Shibl al-Zaidi 75): those are left to the document's
context.
"""

# -- what is not a name -----------------------------------------------------------

_CONNECTORS = frozenset({"al", "el", "ad", "as", "an", "ash", "at", "bin", "ibn", "bint", "of"})
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "general",
        "major",
        "maj",
        "lt",
        "lieutenant",
        "col",
        "colonel",
        "brig",
        "brigadier",
        "capt",
        "captain",
        "sheikh",
        "shaykh",
        "president",
        "prime",
        "minister",
        "secretary",
        "sayyed",
        "sayyid",
        "commander",
        "deputy",
        "leader",
        "chief",
        "senior",
        "top",
        "spokesman",
    ]
)
_DIRECTIONS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
    ]
)
_CALENDAR = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "utc",
        "gmt",
    ]
)
_GROUP_WORDS = frozenset(
    [
        "shia",
        "shiite",
        "shi’ite",
        "shi'ite",
        "sunni",
        "sunnis",
        "kurdish",
        "kurds",
        "arab",
        "arabs",
        "muslim",
        "muslims",
    ]
)
_DEMONYM_SUFFIXES = ("ians", "ian", "ans", "an", "is", "i", "ns", "n", "s")

_TOKEN = re.compile(r"[^\W\d_][\w’'‘]*(?:[-‐‑–—][\w’'‘]+)*|\d+")
_ARTICLE_FORM = re.compile(r"^(?:al|el|ad|as|an|ash|at|ar|az)[-‐‑–—]\w", re.IGNORECASE)
_COMPOUND_ADJECTIVE = re.compile(r"[-‐‑–—][a-z][\w’']*$")
_POSSESSIVE = re.compile(r"[’']s$")
_JOIN = re.compile(r"^[ \u00a0]+[“\"‘]?$|^[”\"’][ \u00a0]+$|^[ \u00a0]*[“\"‘][ \u00a0]*$")
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|outside|across|around|(?:north|south|east|west|northeast|northwest|"
    r"southeast|southwest)(?:ern)?\s+of)\s+(?:the\s+)?(?:(?:eastern|western|northern|southern|"
    r"central|capital|city\s+of|camp|base|town\s+of|village\s+of)\s+)?)$",
    re.IGNORECASE,
)

# -- events -------------------------------------------------------------------------

_NAME_WORDS = r"[A-Z][\w’'-]*(?:\s+(?:al-)?[A-Z][\w’'-]*)*"
_PLACE_POSSESSIVE = re.compile(
    rf"^[’']s\s+((?:eastern\s+|western\s+|northern\s+|southern\s+)?{_NAME_WORDS})"
)
_DIRECTION_OF = re.compile(
    r"\b(?:near|outside|around|(?:north|south|east|west|northeast|northwest|southeast|"
    r"southwest)(?:ern)?\s+of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_PLACE_MORE = re.compile(
    rf"^,?\s+(?i:(?:north|south|east|west|northeast|northwest|southeast|southwest)\s+of\s+)"
    rf"(?:the\s+)?{_NAME_WORDS}"
)

_STRIKE = re.compile(
    r"\b(?:air\s*strikes?|airstrikes?|drone\s+strikes?|missile\s+strikes?|strikes?|struck|"
    r"bomb(?:ed|ing|ings|s)?|shelling|shelled|drones?)\b",
    re.IGNORECASE,
)
_ATTACK = re.compile(
    r"\b(?:attacks?|attacked|assassinations?|assassinated|ambush(?:ed)?|raids?)\b", re.IGNORECASE
)
_TRIGGER = re.compile(rf"{_STRIKE.pattern}|{_ATTACK.pattern}|\b(?:killed|killing)\b", re.IGNORECASE)
# a comma that does not set off a name: "killed the leader, Qasem Soleimani, | resulting in"
_NOT_A_NAME_COMMA = re.compile(r",(?!\s*[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3}\s*,)")
_NEARBY_EVENTS = 50
_ANAPHORA = re.compile(r"\b(?:this|that|these|those|the)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_EARLIER = re.compile(
    r"\b(?:\d+\s*(?:hrs?|hours?)|(?:a|one|\d+)\s+days?)\s+(?:after|ago)\b", re.IGNORECASE
)
_CLAUSE = re.compile(
    r";|\s[—–]\s|,\s+which\b|\bwhich\s+led\s+to\b|,\s+(?:the\s+)?(?:US|we)\s+have\b"
)
_HYPOTHETICAL = re.compile(
    r"\b(?:would|could|will|might|if|any|threat(?:en|ens)?|vow(?:ed|s)?|warn(?:ed|s)?)\b",
    re.IGNORECASE,
)

# -- claims ---------------------------------------------------------------------------

_ROLE = (
    r"(?:deputy\s+|top\s+|senior\s+|former\s+|military\s+|chief\s+|overall\s+|field\s+)*"
    r"(?:leader|commander|head|chief|secretary[- ]general|founder|second[- ]in[- ]command)"
)
_X_ROLE_OF_Y = re.compile(
    rf"^\s*(?:\(|,|—|–)?\s*(?:who\s+(?:is|was)\s+|is\s+|was\s+)?(?:the\s+|a\s+|an\s+)?"
    rf"(?:[\w’'-]+\s+){{0,2}}?{_ROLE}s?\s+(?:in\s+charge\s+)?(?:of|for|in|within)\s+(?:the\s+)?"
    rf"(?:[\w-]+[’']s\s+)?$",
    re.IGNORECASE,
)
_Y_ROLE_X = re.compile(rf"^(?:[’']s)?\s+{_ROLE}s?\s*,?\s*$", re.IGNORECASE)
_ROLE_OF_BEFORE = re.compile(rf"\b{_ROLE}\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_PRONOUN_ROLE_X = re.compile(rf"\b(?:their|its)\s+{_ROLE}s?\s*,?\s*$", re.IGNORECASE)
_X_LEADS_Y = re.compile(
    r"^\s*,?\s*(?:who\s+)?(?:leads|led|commands|commanded|heads|headed|founded)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_X_PART_OF_Y = re.compile(
    r"^\s*(?:\(|,|—|–)?\s*(?:which\s+(?:is|are)\s+|is\s+|are\s+|was\s+)?(?:a\s+|an\s+|the\s+|one\s+of\s+the\s+)?"
    r"(?:[\w’'-]+\s+){0,2}?(?:part|brigades?|units?|members?|factions?|wings?|militias?|"
    r"affiliates?|components?|groups?)\s+(?:of|in|within)\s+(?:the\s+)?(?:[\w-]+[’']s\s+)?$",
    re.IGNORECASE,
)
_X_INTEGRATED_INTO_Y = re.compile(
    r"^\s*(?:[\w’'-]+\s+){0,4}?(?:is|are|was|were)\s+(?:\w+ly\s+)?(?:integrated|incorporated|"
    r"organi[sz]ed)\s+(?:into|in|within)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_X_OF_Y = re.compile(r"^\s+of\s+(?:the\s+)?(?:[\w-]+[’']s\s+)?$", re.IGNORECASE)
_X_IS_A_Y = re.compile(r"^\s*(?:is|are|was)\s+(?:a|an|one)\s+(?:[\w’'-]+\s+)?$", re.IGNORECASE)
_Y_GROUP_AFTER = re.compile(r"^\s*(?:militia|faction|group|brigade|unit|member)s?\b", re.IGNORECASE)
_STATES_PASSED = 3
"""How many countries in a row a relation may be read across ("of Iraq’s PMU": one)."""
_Y_NTH_BRIGADE = re.compile(
    r"^(?:[’']s)?\s+\d+(?:st|nd|rd|th)\s+(?:brigade|division|regiment)", re.IGNORECASE
)
_STRIKE_VERB = re.compile(
    r"\b(?:air\s*strikes?|airstrikes?|drone\s+strikes?|strikes?|struck|hit|hits|targeted|"
    r"targeting|targets|bombed|bombing|attacked|attacks?|attacking|raided)\b",
    re.IGNORECASE,
)
_STRIKER_WORD = re.compile(
    rf"{_STRIKE.pattern}|{_ATTACK.pattern}|\b(?:killed|kills|assassinated)\b", re.IGNORECASE
)
_BY = re.compile(
    r"\s+(?:(?:was|were)\s+)?(?:(?:carried\s+out|conducted|launched)\s+by|attributed\s+to|by)"
    r"\s+(?:the\s+|an?\s+)?"
)
_KILL_ACTIVE = re.compile(r"\b(?:kill|kills|killed|killing)\b", re.IGNORECASE)
_MEMBERS_OF = re.compile(
    r"\s+(?:a|an|the|two|three|four|five|six|several|many|\d+)?\s*"
    r"(?:senior\s+|top\s+|high[- ]ranking\s+|prominent\s+)?",
    re.IGNORECASE,
)
_MEMBERS = re.compile(
    r"\s*(?:commanders?|leaders?|members?|fighters?|officials?|operatives?)\b", re.IGNORECASE
)
_STRIKE_NOUN = re.compile(
    r"(?:air\s*strikes?|airstrikes?|drone\s+strikes?|strikes?|attacks?|bombing)", re.IGNORECASE
)
_ON_TARGET = re.compile(r"\b(?:on|against|targeting|targeted|at)\b", re.IGNORECASE)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_OBJECT_BEFORE = re.compile(r"\b(?:on|against|targeting|at)\s+(?:the\s+)?$", re.IGNORECASE)
_KILL = re.compile(
    r"\b(?:killed|killing|kills|kill|dead|died|assassinated|assassination\s+of|martyred|"
    r"among\s+(?:the|those)\s+(?:dead|killed))\b",
    re.IGNORECASE,
)
_DEAD_OR_ALIVE = re.compile(r"\b(?:dead\s+or\s+alive|alive\s+or\s+dead)\b", re.IGNORECASE)
_ALIVE = re.compile(r"\b(?:is|was|be|being|still|remains?)\s+alive\b", re.IGNORECASE)
_KILLED_LINK = re.compile(
    r"^(?:\s*,)?\s*(?:(?:who\s+)?(?:was|were|is|are|has\s+been|have\s+been|had\s+been)\s+)?"
    r"(?:also\s+|reportedly\s+|both\s+|allegedly\s+|among\s+)*$",
    re.IGNORECASE,
)

# -- speakers and stance -------------------------------------------------------------

_SAY = (
    r"(?:said|says|say|told|tells|reported|reports|reporting|is\s+reporting|are\s+reporting|"
    r"confirmed|confirms|announced|announces|claimed|claims|stated|states|tweeted|wrote|writes|"
    r"indicated|added|acknowledged|admitted|owned\s+up|insisted|denied|denies|deny|denying|"
    r"rejected|dismissed|retracted|mourned)"
)
_SPEAKER_AFTER = re.compile(
    rf"^(?:[’']s)?\s*(?:\([^)]*\)\s*)?(?:(?:and\s+)?(?:[\w’'-]+\s+){{0,6}}?)?(?:(?:has|have|had|was|were|is|are|later|also|has\s+since|since|initially|quickly)\s+)*{_SAY}\b",
    re.IGNORECASE,
)
_SPEAKER_STATEMENT = re.compile(
    r"^(?:[’']s)?\s+(?:statement|spokesman|spokesperson|spokeswoman|source|sources|official|"
    r"officials|denials?|account)\b",
    re.IGNORECASE,
)
_ACCORDING_TO = re.compile(
    r"\baccording\s+to\s+(?:an?\s+|the\s+)?(?:[\w’'-]+\s+){0,3}?$", re.IGNORECASE
)
_SAID_BEFORE = re.compile(rf"\b{_SAY}\s+(?:by\s+)?(?:the\s+|an?\s+)?$", re.IGNORECASE)
_DENY = re.compile(
    r"\b(?:den(?:y|ies|ied|ying|ial|ials)|rejected|refuted|dismissed|retract(?:ed|s|ion)?|"
    r"withdr[ae]w|walked\s+back|not\s+true|false\s+reports?)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:unconfirmed|reportedly|allegedly|alleged|said\s+to\s+be|possibly|possible|apparently|"
    r"unverified|purportedly|believed\s+to|may\s+have|might\s+have|claimed\s+to|initially\s+identified|"
    r"it\s+is\s+not\s+known|rumou?rs?)\b",
    re.IGNORECASE,
)
_RESPONSIBILITY = re.compile(r"\b(?:responsib\w+|involvement|carrying\s+out|behind)\b", re.I)

_ATTACKER_KINDS = frozenset(
    {ActorKind.STATE, ActorKind.MILITARY_COMMAND, ActorKind.ARMED_GROUP, ActorKind.GOVERNMENT_BODY}
)
_TARGET_KINDS = frozenset({ActorKind.ARMED_GROUP, ActorKind.MILITARY_COMMAND})
_GROUP_KINDS = frozenset({ActorKind.ARMED_GROUP, ActorKind.MILITARY_COMMAND})


# -- results ------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundMention:
    """An actor named at ``text[start:end]``; ``how``: ``alias``, ``fuzzy`` or ``context``."""

    actor: str
    text: str
    start: int
    end: int
    how: str = "alias"


@dataclass(frozen=True)
class Candidate:
    """A name that resolves to no known actor, at ``start:end``."""

    text: str
    start: int
    end: int


@dataclass
class FoundEvent:
    """An event the document tells of; ``known`` when it is one the store already holds."""

    id: str
    kind: EventKind
    date: dt.date | None
    precision: DatePrecision
    place: str
    start: int
    end: int
    known: bool = False

    def record(self) -> Event:
        return Event(
            id=self.id,
            kind=self.kind,
            date=self.date,
            date_precision=self.precision,
            place=self.place,
        )


@dataclass(frozen=True)
class Said:
    """One speaker's stance on a claim, in one sentence of the document."""

    speaker: str
    stance: Stance
    hedged: bool
    quote: str
    start: int
    end: int


@dataclass
class FoundClaim:
    claim: Claim
    said: list[Said] = field(default_factory=list)

    @property
    def status(self) -> str:
        atts = [Attestation(claim=self.claim.id, document="d", **s.__dict__) for s in self.said]
        return derive_status(self.claim.subject, atts).value


@dataclass
class Extraction:
    """What one document says, ready to be written or printed."""

    document: Document
    mentions: list[FoundMention]
    candidates: list[Candidate]
    events: list[FoundEvent]
    claims: list[FoundClaim]
    speakers: list[Actor] = field(default_factory=list)
    """Actors the extraction introduces: an outlet named only as the publisher."""

    def mention_records(self) -> list[Mention]:
        """Where the document names known actors, as records to write."""
        doc = self.document.id
        return [
            Mention(document=doc, actor=m.actor, text=m.text, start=m.start, end=m.end)
            for m in self.mentions
        ]

    def batch(self) -> GraphBatch:
        """The records to write: the document, its mentions, new events, claims and sayings."""
        doc = self.document
        batch = GraphBatch(documents=[doc], actors=list(self.speakers))
        batch.mentions = self.mention_records()
        batch.events = [e.record() for e in self.events if not e.known]
        for found in self.claims:
            batch.claims.append(found.claim)
            batch.attestations += [
                Attestation(
                    claim=found.claim.id,
                    document=doc.id,
                    date=doc.published,
                    **s.__dict__,
                )
                for s in found.said
            ]
        return batch

    def as_json(self, names: dict[str, str]) -> dict[str, Any]:
        """The shape ``actorgraph extract --json`` prints; ``names`` maps actor ids to names."""
        doc = self.document
        return {
            "document": {
                "id": doc.id,
                "title": doc.title,
                "publisher": doc.publisher,
                "published": doc.published.isoformat() if doc.published else None,
                "url": doc.url,
                "length": len(doc.text),
            },
            "mentions": [
                {
                    "actor_id": m.actor,
                    "actor_name": names.get(m.actor, m.actor),
                    "text": m.text,
                    "start": m.start,
                    "end": m.end,
                }
                for m in self.mentions
            ],
            "candidates": [
                {"text": c.text, "start": c.start, "end": c.end} for c in self.candidates
            ],
            "events": [
                {
                    "id": e.id,
                    "kind": e.kind.value,
                    "date": e.date.isoformat() if e.date else None,
                    "precision": e.precision.value,
                    "place": e.place,
                    "known": e.known,
                    "start": e.start,
                    "end": e.end,
                }
                for e in self.events
            ],
            "claims": [
                {
                    "id": c.claim.id,
                    "subject": c.claim.subject,
                    "predicate": c.claim.predicate.value,
                    "object": c.claim.object,
                    "event": c.claim.event,
                    "status": c.status,
                    "attestations": [
                        {
                            "speaker": s.speaker,
                            "stance": s.stance.value,
                            "hedged": s.hedged,
                            "quote": s.quote,
                            "start": s.start,
                            "end": s.end,
                        }
                        for s in c.said
                    ],
                }
                for c in self.claims
            ],
        }


class Extractor(Protocol):
    """Turns a document into an :class:`Extraction`, writing nothing."""

    def extract(self, document: Document) -> Extraction: ...

    def remember(self, events: Iterable[Event]) -> None:
        """Events later documents may tell of again (the store's, a batch's earlier ones)."""
        ...


# -- events across documents -------------------------------------------------------------


def place_words(place: str) -> set[str]:
    """The words of a place name that can tell it apart: normalised, without the article."""
    return {w for w in strip_articles(normal_form(place)).split() if len(w) > 2} - {
        "camp",
        "base",
        "eastern",
        "western",
        "northern",
        "southern",
        "central",
        "the",
    }


_REFERENCE = re.compile(
    r"\b(?:near|outside|around|(?:north|south|east|west|northeast|northwest|southeast|"
    r"southwest)(?:ern)?\s+of)\s+",
    re.IGNORECASE,
)


def _where(place: str) -> tuple[set[str], set[str], set[str]]:
    """A place as ``(name, within, near)``: "Camp Taji, north of Baghdad" is
    ``({taji}, {taji}, {baghdad})``, "Nineveh, Iraq" ``({nineveh}, {nineveh, iraq}, {})``,
    "near Baghdad" ``({}, {}, {baghdad})``: a place north of Baghdad is not in Baghdad."""
    name: set[str] = set()
    within: set[str] = set()
    near: set[str] = set()
    for number, part in enumerate(place.split(",")):
        inside, *references = _REFERENCE.split(part)
        for reference in references:
            near |= place_words(reference)
        if number == 0:
            name = place_words(inside)
        within |= place_words(inside)
    return name, within, near


def same_place(a: str, b: str) -> bool:
    """Whether two place descriptions can name one place: one's name lies within the other.

    A place told only by what it is near ("north of Baghdad") is vague, and
    contradicts no named place.

    Examples
    --------
    >>> same_place("Camp Taji, north of Baghdad", "Taji"), same_place("Taji", "Nineveh")
    (True, False)
    >>> same_place("Camp Taji north of Baghdad", "Baghdad")
    False
    >>> same_place("near Baghdad", "Camp Taji, north of Baghdad")
    True
    """
    name_a, within_a, _ = _where(a)
    name_b, within_b, _ = _where(b)
    if not name_a or not name_b:
        return True
    return name_a <= within_b or name_b <= within_a


def _agree(a: str, b: str) -> bool:
    """Whether two places say the same, not merely do not contradict."""
    name_a, _, near_a = _where(a)
    name_b, _, near_b = _where(b)
    if name_a and name_b:
        return same_place(a, b)
    return bool((name_a | near_a) & (name_b | near_b))


Telling = tuple[EventKind, "dt.date | None", DatePrecision, str]
"""An event as one document tells it: kind, date, the date's precision, place."""


def _compatible(
    a: dt.date | None, a_precision: DatePrecision, b: dt.date | None, b_precision: DatePrecision
) -> bool:
    """Whether two dates can be one day's: within a day, at the coarser of their precisions."""
    if a is None or b is None:
        return True
    coarse = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}
    precision = max(a_precision, b_precision, key=coarse.__getitem__)
    if precision is DatePrecision.YEAR:
        return a.year == b.year
    if precision is DatePrecision.MONTH:
        return (a.year, a.month) == (b.year, b.month)
    return abs((a - b).days) <= 1


_ATTACK_OR_STRIKE = {EventKind.ATTACK, EventKind.STRIKE}


def same_event(a: Telling, b: Telling) -> bool:
    """The rule by which two tellings are one event: same kind, dates within a day, same place.

    An attack and a strike are of one kind: outlets call one strike "the attack".

    Dates compare at the coarser precision ("in 2020" can be 3 January
    2020). An unknown date or place does not contradict, but something must
    agree: two undated, unplaced tellings are not assumed to be one.

    Examples
    --------
    >>> day = DatePrecision.DAY
    >>> same_event((EventKind.STRIKE, dt.date(2020, 1, 3), day, "Camp Taji, north of Baghdad"),
    ...            (EventKind.STRIKE, dt.date(2020, 1, 4), day, "Taji"))
    True
    """
    _, date_a, _, place_a = a
    _, date_b, _, place_b = b
    return _fits(a, b) and ((date_a is not None and date_b is not None) or _agree(place_a, place_b))


def _fits(a: Telling, b: Telling) -> bool:
    """Whether nothing in two tellings says they are different events."""
    kind_a, date_a, precision_a, place_a = a
    kind_b, date_b, precision_b, place_b = b
    kinds = {kind_a, kind_b}
    if len(kinds) > 1 and kinds != _ATTACK_OR_STRIKE:  # "the attack" may be the strike
        return False
    return _compatible(date_a, precision_a, date_b, precision_b) and same_place(place_a, place_b)


def slug(text: str) -> str:
    """A lowercase ASCII id made of ``text``'s first words: ``al-masdar-news``."""
    words = re.findall(r"[a-z0-9]+", normal_form(text).encode("ascii", "ignore").decode())
    return "-".join(words[:4])


def event_id(kind: EventKind, date: dt.date | None, place: str) -> str:
    """A readable, deterministic event id: ``strike-2020-01-04-taji``."""
    # "Camp Taji north of Baghdad": camp-taji; "near Taji": taji
    where = next(filter(None, map(slug, _REFERENCE.split(place.split(",")[0]))), "")
    parts = [kind.value, date.isoformat() if date else "undated", where or "unplaced"]
    return "-".join(parts)


# -- the rule-based extractor -----------------------------------------------------------


@dataclass
class _Span:
    start: int
    end: int
    text: str
    sentence_initial: bool
    place: bool = False


class RuleExtractor:
    """The rule-based :class:`Extractor`.

    Parameters
    ----------
    actors
        The known actors, with their aliases: what mentions resolve to.
    events
        Events already known (in the store): a document telling of one of
        them again gets its id instead of a new event.

    Examples
    --------
    >>> actors = [Actor(id="united-states", name="United States", kind="state", aliases=["US"]),
    ...           Actor(id="pmf", name="Popular Mobilization Forces", kind="armed_group",
    ...                 aliases=["PMF"]),
    ...           Actor(id="reuters", name="Reuters", kind="media_outlet")]
    >>> doc = Document(title="t", published="2020-01-04", publisher="Reuters",
    ...                text="US air strikes targeting the PMF near Taji killed six, "
    ...                     "an Iraqi army source said late on Friday.")
    >>> found = RuleExtractor(actors).extract(doc)
    >>> [(e.id, e.place) for e in found.events]
    [('strike-2020-01-03-taji', 'near Taji')]
    >>> [(c.claim.subject, c.claim.predicate.value, c.claim.object) for c in found.claims]
    [('united-states', 'struck', 'pmf')]
    """

    def __init__(self, actors: Iterable[Actor], events: Iterable[Event] = ()) -> None:
        self.actors = {a.id: a for a in actors}
        self._aliases = AliasIndex(self.actors.values())
        self._search = SearchIndex(self.actors.values())
        self._known: list[Event] = []
        self._ranked: dict[str, list[Hit]] = {}
        self._states = {
            normal_form(name)
            for a in self.actors.values()
            if a.kind is ActorKind.STATE
            for name in a.names
            if " " not in normal_form(name)
        }
        self.remember(events)

    def _rank(self, query: str) -> list[Hit]:
        """The two best actors for a name: cached, as documents repeat names."""
        hits = self._ranked.get(query)
        if hits is None:
            if len(self._ranked) > 100_000:
                self._ranked.clear()
            hits = self._ranked[query] = self._search.rank(query, limit=2, typeahead=False)
        return hits

    def remember(self, events: Iterable[Event]) -> None:
        self._known.extend(events)

    # -- the passes ------------------------------------------------------------------

    def extract(self, document: Document) -> Extraction:
        text = document.text
        sents = sentences(text)
        mentions, candidates, place_spans = self._mentions(text, sents)
        speakers: list[Actor] = []
        publisher = self._publisher(document, speakers)
        events, told = self._events(document, sents, mentions, place_spans)
        claims = _Claims(self, document, sents, mentions, events, told, publisher).run()
        return Extraction(document, mentions, candidates, events, claims, speakers)

    def _publisher(self, document: Document, speakers: list[Actor]) -> str | None:
        if not document.publisher or not normal_form(document.publisher):
            return None  # no letters or digits ("'", "--"): it names no one, nor can search
        actor = self._aliases.resolve(document.publisher)
        if actor is not None:
            return actor.id
        hits = self._search.rank(document.publisher, limit=1, typeahead=False)
        if hits and hits[0].score >= RESOLVE:
            return hits[0].actor.id
        outlet_id = slug(document.publisher)
        if not outlet_id:
            return None
        if outlet_id in self.actors:  # "PMF!": a known actor's name past the aliases; a new
            return outlet_id  # outlet under its id would replace it, aliases and all
        outlet = Actor(id=outlet_id, name=document.publisher.strip(), kind=ActorKind.MEDIA_OUTLET)
        speakers.append(outlet)
        return outlet.id

    # -- mentions and candidates -----------------------------------------------------------

    def _mentions(
        self, text: str, sents: list[Sentence]
    ) -> tuple[list[FoundMention], list[Candidate], list[_Span]]:
        exact = [
            FoundMention(m.actor, text[m.start : m.end], m.start, m.end, "alias")
            for m in self._aliases.find(text)
        ]
        lower_words = {w for w in re.findall(r"\b[a-z][a-z’'-]+\b", text)}
        spans = list(self._name_spans(text, sents, lower_words))
        places = [s for s in spans if s.place]
        taken = sorted((m.start, m.end) for m in exact)
        found: list[FoundMention] = list(exact)
        partial: list[tuple[_Span, str]] = []
        nicknames: dict[str, str] = {}
        leftovers: list[_Span] = []
        for span in spans:
            for piece in _outside(span, taken, text):
                self._resolve_span(piece, found, partial, nicknames, leftovers)
        named = {m.actor for m in found}
        candidates: list[Candidate] = []
        for span, actor in partial:
            if actor in named:
                found.append(FoundMention(actor, span.text, span.start, span.end, "context"))
            else:
                leftovers.append(span)
        title_line = _TitleLines(text)
        for span in leftovers:
            nick = nicknames.get(normal_form(span.text))
            if nick is not None:
                found.append(FoundMention(nick, span.text, span.start, span.end, "context"))
            elif self._candidate(span, title_line, lower_words):
                candidates.append(Candidate(span.text, span.start, span.end))
        found.sort(key=lambda m: m.start)
        candidates.sort(key=lambda c: c.start)
        return found, candidates, places

    def _candidate(
        self, span: _Span, title_line: Callable[[int], bool], lower_words: set[str]
    ) -> bool:
        """Whether an unresolved span is worth an analyst's look as a new actor.

        Not places ("in Nineveh"), headlines, a single capitalised word that
        opens a sentence ("According"), or one the text also writes in lower
        case ("Brigade", "brigades").
        """
        if span.place or title_line(span.start):
            return False
        if " " in span.text.strip() or is_arabic(span.text):
            return True
        lower = span.text.lower()
        common = (
            lower in lower_words or lower + "s" in lower_words or lower.rstrip("s") in lower_words
        )
        return not span.sentence_initial and not common

    def _name_spans(
        self, text: str, sents: list[Sentence], lower_words: set[str]
    ) -> Iterator[_Span]:
        """Runs of capitalised words (with al-, bin, of inside), Arabic-script runs apart."""
        starts = {s.start for s in sents}
        for sent in sents:
            tokens = [
                (m.start() + sent.start, m.end() + sent.start, m.group(0))
                for m in _TOKEN.finditer(sent.text)
            ]
            run: list[tuple[int, int, str]] = []
            for i, token in enumerate(tokens):
                start, end, word = token
                possessive = _POSSESSIVE.search(word)
                if possessive:
                    end -= len(possessive.group(0))
                    word = word[: -len(possessive.group(0))]
                initial = start in starts or (i == 0)
                kind = self._token_kind(word, initial, lower_words)
                joined = not run or _JOIN.match(text[run[-1][1] : start]) is not None
                if kind == "name" and (joined or not run):
                    run.append((start, end, word))
                elif kind == "name":
                    yield from self._close(text, run, starts)
                    run = [(start, end, word)]
                elif kind == "connector" and run and joined:
                    run.append((start, end, word))
                else:
                    yield from self._close(text, run, starts)
                    run = []
                if possessive:
                    yield from self._close(text, run, starts)
                    run = []
            yield from self._close(text, run, starts)

    def _close(
        self, text: str, run: list[tuple[int, int, str]], starts: set[int]
    ) -> Iterator[_Span]:
        while run and run[-1][2].lower() in _CONNECTORS:
            run = run[:-1]
        while run and run[0][2].lower().rstrip(".") in _TITLES | _DIRECTIONS | _CONNECTORS:
            run = run[1:]
        if not run:
            return
        start, end = run[0][0], run[-1][1]
        words = [w for _, _, w in run]
        if len(words) == 1 and self._not_a_name(words[0]):
            return
        before = text[max(0, start - 40) : start]
        yield _Span(
            start, end, text[start:end], start in starts, _PLACE_BEFORE.search(before) is not None
        )

    def _token_kind(self, word: str, initial: bool, lower_words: set[str]) -> str:
        lower = word.lower()
        if lower in _CONNECTORS:
            return "connector"
        if word.isdigit() or lower in _CALENDAR:
            return "other"
        if is_arabic(word):
            return "name"
        if is_acronym(word) and len(word) >= 2:
            return "other" if lower in STOP_WORDS else "name"  # "THE", "AND": shouting
        if _ARTICLE_FORM.match(word) and any(c.isupper() for c in word[2:]):
            return "name"
        if not word[0].isupper() or _COMPOUND_ADJECTIVE.search(word):
            return "other"  # "Iran-backed", "Shia-dominated": adjectives
        if lower in STOP_WORDS:
            return "other"
        if initial and lower in lower_words:
            return "other"  # an ordinary word that opens a sentence
        return "name"

    def _not_a_name(self, word: str) -> bool:
        lower = normal_form(word)
        if len(lower) < 2 or lower in _GROUP_WORDS or lower in _TITLES:
            return True
        return self._demonym(lower)

    def _demonym(self, lower: str) -> bool:
        """Iraqi, Iranian, Americans: an adjective of a state's name, not a name."""
        for suffix in _DEMONYM_SUFFIXES:
            if lower.endswith(suffix) and len(lower) - len(suffix) >= 3:
                stem = lower[: -len(suffix)]
                if any(
                    s == stem or (s.startswith(stem) and len(s) - len(stem) <= 1)
                    for s in self._states
                ):
                    return True
        return False

    def _resolve_span(
        self,
        span: _Span,
        found: list[FoundMention],
        partial: list[tuple[_Span, str]],
        nicknames: dict[str, str],
        leftovers: list[_Span],
    ) -> None:
        if " " not in span.text and self._not_a_name(span.text):
            return  # "Iraqi" left over from "Iraqi PMF"
        query, nickname = _without_nickname(span.text)
        hits = self._rank(query) if query else []
        top = hits[0] if hits else None
        clear = top is not None and (len(hits) == 1 or hits[1].score < top.score)
        if top is not None and clear and top.score >= RESOLVE:
            found.append(FoundMention(top.actor.id, span.text, span.start, span.end, "fuzzy"))
            if nickname:
                nicknames[normal_form(nickname)] = top.actor.id
            return
        if top is not None and clear and _part_of_name(query, top.actor, top.matched):
            partial.append((span, top.actor.id))
            return
        first, _, rest = span.text.partition(" ")
        if span.sentence_initial and rest:  # "Later al-Saedi": an ordinary word opened it
            start = span.start + len(first) + 1
            tail = _Span(start, span.end, rest, False, span.place)
            before = len(found) + len(partial)
            unresolved: list[_Span] = []
            self._resolve_span(tail, found, partial, nicknames, unresolved)
            if len(found) + len(partial) > before:
                return  # else the whole span is the name: "Abu Fadak al-Mohammedawi met"
        leftovers.append(span)

    # -- events ----------------------------------------------------------------------------

    def _events(
        self,
        document: Document,
        sents: list[Sentence],
        mentions: list[FoundMention],
        place_spans: list[_Span],
    ) -> tuple[list[FoundEvent], list[tuple[int, int, FoundEvent]]]:
        """The document's events, and the clauses that speak of each: ``(start, end, event)``.

        Clauses, not sentences: "the December 29 strike on Kirkuk, which led
        to the US attack on targets in Anbar" tells of two events.
        """
        events: list[FoundEvent] = []
        told: list[tuple[int, int, FoundEvent]] = []
        named = _ByStart(mentions)
        places = _ByStart(place_spans)
        current: FoundEvent | None = None
        for sent in sents:
            for start, end in _clauses(sent):
                clause = Sentence(start, end, sent.paragraph, document.text[start:end])
                event = self._clause_event(document, clause, named, places, current, events)
                if event is None:
                    continue
                told.append((start, end, event))
                # background events ("24 hours after", last year's) do not become current
                if _recent(event, document.published) and not _EARLIER.search(clause.text):
                    current = event
        events, told = _merge(events, told)
        for event in events:  # named once the document has told all it tells of it
            event.id = event_id(event.kind, event.date, event.place)
            self._meet(event)
        return events, told

    def _meet(self, event: FoundEvent) -> None:
        """Give ``event`` the id of a known event it is (its own id first: idempotent loads)."""
        telling = (event.kind, event.date, event.precision, event.place)
        same = [
            k
            for k in self._known
            if k.id == event.id or same_event(telling, (k.kind, k.date, k.date_precision, k.place))
        ]
        if not same:
            return
        known = min(same, key=lambda k: (k.id != event.id, k.id))
        event.id, event.known = known.id, True
        event.kind, event.date, event.precision, event.place = (
            known.kind,
            known.date,
            known.date_precision,
            known.place,
        )

    def _clause_event(
        self,
        document: Document,
        clause: Sentence,
        named: _ByStart[FoundMention],
        places: _ByStart[_Span],
        current: FoundEvent | None,
        events: list[FoundEvent],
    ) -> FoundEvent | None:
        trigger = _STRIKE.search(clause.text) or _ATTACK.search(clause.text)
        earlier = _EARLIER.search(clause.text)
        if trigger is None and earlier is not None:  # "both killed 24hrs ago"
            trigger = _KILL.search(clause.text)
        if trigger is None:
            return None
        kind = EventKind.STRIKE if _STRIKE.search(clause.text) else EventKind.ATTACK
        dates = find_dates(clause.text, document.published)
        date = dates[0] if dates else None
        if earlier is not None and current is not None and current.date is not None:
            # "24 hours after a US drone killed X": an earlier event than the current one
            day = current.date - dt.timedelta(days=1)
            for event in events:
                if event.date == day and event is not current:
                    return event
            rest = Sentence(
                clause.start + earlier.end(),
                clause.end,
                clause.paragraph,
                clause.text[earlier.end() :],
            )
            place = self._place(document.text, rest, named, places)
            event = FoundEvent("", kind, day, DatePrecision.DAY, place, clause.start, clause.end)
            events.append(event)
            return event
        place = self._place(document.text, clause, named, places)
        anaphora = _ANAPHORA.search(clause.text[: trigger.start()]) is not None
        if current is not None and (anaphora or (date is None and not place)):
            told = date.date if date else None
            precision = date.precision if date else DatePrecision.DAY
            if _compatible(told, precision, current.date, current.precision) and same_place(
                place, current.place
            ):  # "this attack", "the strikes": the one just told of
                if current.date is None and told is not None:
                    current.date, current.precision = told, precision
                return current
        if date is None and not place:
            return None
        if date is None and _HYPOTHETICAL.search(clause.text[: trigger.start()]):
            return None
        return self._event_for(kind, date, place, clause, events)

    def _event_for(
        self,
        kind: EventKind,
        date: DateMention | None,
        place: str,
        sent: Sentence,
        events: list[FoundEvent],
    ) -> FoundEvent:
        day = date.date if date else None
        precision = date.precision if date else DatePrecision.DAY
        # one document may call one event a strike, then "the attack"; it tells of
        # an event near where it told of it before: the latest few are enough
        for event in reversed(events[-_NEARBY_EVENTS:]):
            if not same_event(
                (kind, day, precision, place),
                (kind, event.date, event.precision, event.place),
            ):
                continue
            if kind is EventKind.STRIKE:
                event.kind = kind
            if len(place_words(place)) > len(place_words(event.place)):
                event.place = place  # the fuller telling: "Taji, north of Baghdad"
            if event.date is None and day is not None:
                event.date, event.precision = day, precision
            return event
        event = FoundEvent(
            event_id(kind, day, place), kind, day, precision, place, sent.start, sent.end
        )
        events.append(event)
        return event

    def _place(
        self, text: str, sent: Sentence, named: _ByStart[FoundMention], places: _ByStart[_Span]
    ) -> str:
        for span in places.within(sent.start, sent.end):
            after = text[span.end : span.end + 60]
            inner = _PLACE_POSSESSIVE.match(after)
            if inner is not None:  # "Iraq’s Nineveh governorate"
                return f"{inner.group(1).strip()}, {span.text}"
            if named.covering(span.start):
                continue  # an actor, or a whole country: too coarse to tell events apart
            more = _PLACE_MORE.match(after)
            direction = _DIRECTION_OF.search(text[max(0, span.start - 30) : span.start])
            return (
                (direction.group(0) if direction else "")
                + span.text
                + (more.group(0).rstrip() if more else "")
            )
        return ""


def _merge(
    events: list[FoundEvent], told: list[tuple[int, int, FoundEvent]]
) -> tuple[list[FoundEvent], list[tuple[int, int, FoundEvent]]]:
    """One event for the tellings a whole document shows to be one.

    While reading, a telling can lack the date the document gives later
    ("airstrikes near Camp Taji", then "in the early hours of Saturday").
    Once all is read, a dated event joins the first one of its day it is, and
    an undated one the first dated one told after it; an undated opening needs
    only to fit it: a headline's "airstrike near Baghdad" is the strike the
    article then dates.
    """
    into: dict[int, FoundEvent] = {}
    kept: list[FoundEvent] = []
    for event in events:
        telling = (event.kind, event.date, event.precision, event.place)
        dated = [e for e in events if e.date is not None and id(e) not in into and e is not event]
        if event.date is None:
            fits = [e for e in dated if e.start > event.start]
        else:
            # one document keeps its own dates: "24 hours after" is another day's event
            fits = [e for e in kept if e.date == event.date]
        # an undated opening (the headline) needs only to fit: its event is the story's
        opening = event.date is None and all(e.start > event.start for e in dated)
        match = _fits if opening else same_event
        same = next(
            (e for e in fits if match(telling, (e.kind, e.date, e.precision, e.place))),
            None,
        )
        if same is None:
            kept.append(event)
            continue
        into[id(event)] = same
        if event.kind is EventKind.STRIKE:
            same.kind = event.kind
        if len(place_words(event.place)) > len(place_words(same.place)):
            same.place = event.place
    return kept, [(start, end, into.get(id(e), e)) for start, end, e in told]


_S = TypeVar("_S", FoundMention, _Span)


class _ByStart(Generic[_S]):
    """Spans of text sorted by where they start, for finding those in a range by bisection."""

    def __init__(self, items: list[_S]) -> None:
        self.items: list[_S] = sorted(items, key=lambda item: item.start)
        self.starts = [item.start for item in self.items]

    def within(self, start: int, end: int) -> list[_S]:
        """Those starting in ``[start, end)``."""
        return self.items[bisect_left(self.starts, start) : bisect_left(self.starts, end)]

    def covering(self, at: int) -> bool:
        """Whether one of them (none overlapping) covers offset ``at``."""
        last = bisect_right(self.starts, at) - 1
        return last >= 0 and self.items[last].end > at


def _clauses(sent: Sentence) -> list[tuple[int, int]]:
    """Where a sentence's clauses start and end, cut at ";", dashes and ", which",
    and after an earlier event's telling: "Less than 24 hours after a US drone
    killed Soleimani, | the US has gone for round two"."""
    cuts = [sent.start + m.start() for m in _CLAUSE.finditer(sent.text)]
    for earlier in _EARLIER.finditer(sent.text):
        trigger = _TRIGGER.search(sent.text, earlier.end())
        comma = _NOT_A_NAME_COMMA.search(sent.text, trigger.end()) if trigger else None
        if comma is not None:
            cuts.append(sent.start + comma.start())
    bounds = [sent.start, *sorted(cuts), sent.end]
    return [(a, b) for a, b in pairwise(bounds) if b > a]


def _recent(event: FoundEvent, published: dt.date | None) -> bool:
    """Whether an event can be what a news story is about: undated, or within a month."""
    if event.date is None or published is None:
        return True
    return abs((published - event.date).days) <= 31


def _outside(span: _Span, taken: list[tuple[int, int]], text: str) -> Iterator[_Span]:
    """The parts of ``span`` no exact mention covers, each still a run of words."""
    pieces = []
    cursor = span.start  # one sweep: a huge line may hold thousands of mentions
    first = max(0, bisect_left(taken, (span.start, 0)) - 1)  # taken: sorted, none overlapping
    for t_start, t_end in taken[first : bisect_left(taken, (span.end, 0))]:
        if t_end <= span.start or t_start >= span.end:
            continue
        if t_start > cursor:
            pieces.append((cursor, t_start))
        cursor = max(cursor, t_end)
    if span.end > cursor:
        pieces.append((cursor, span.end))
    for start, end in pieces:
        piece = text[start:end]
        stripped = piece.strip(" \u00a0“”\"‘’'-–—(),")
        if not stripped:
            continue
        offset = piece.index(stripped)
        words = stripped.split(" ")
        first, last = 0, len(words)  # indices, not slices: a run may be a huge line's words
        while first < last and (
            words[first][:1].islower() and not _ARTICLE_FORM.match(words[first])
        ):
            offset += len(words[first]) + 1
            first += 1
        while first < last and (
            (words[last - 1][:1].islower() and not _ARTICLE_FORM.match(words[last - 1]))
            or words[last - 1].lower() in _CONNECTORS
        ):
            last -= 1
        words = words[first:last]
        stripped = " ".join(words)
        if not [w for w in words if w.lower() not in _CONNECTORS]:
            continue
        yield _Span(
            start + offset,
            start + offset + len(stripped),
            stripped,
            span.sentence_initial and start == span.start,
            span.place,
        )


def _without_nickname(text: str) -> tuple[str, str]:
    """``Wissam Mohammed “Abu Bakr” al-Saadi`` → the name without the quoted nickname, and it."""
    m = re.search(r"[“\"‘]([^”\"’]+)[”\"’]", text)
    if m is None:
        return text.strip('“”"‘’ '), ""
    return " ".join((text[: m.start()] + text[m.end() :]).split()), m.group(1)


def _part_of_name(query: str, actor: Actor, matched: str) -> bool:
    """Whether ``query`` is a person's surname or kunya as written in ``matched``.

    "al-Saadi" (the last word) and "Abu Bakr" (a kunya, Abu and a name) may
    stand for a person the document names in full; a given name alone
    ("Mohammed") may not, nor part of a group's name ("Baghdad" in Baghdad
    Police).
    """
    if actor.kind is not ActorKind.PERSON:
        return False
    words = strip_articles(normal_form(query)).split()
    name = strip_articles(normal_form(matched)).split()
    if not words or not name:
        return False
    if words[0] == "abu" and len(words) >= 2:
        return True
    return len(words) == 1 and _similar(words[-1], name[-1])


def _similar(a: str, b: str) -> bool:
    return a == b or word_skeleton(a) == word_skeleton(b)


class _TitleLines:
    """Which lines of a text are written in title case (a headline, a byline).

    Each line is judged once: a huge line may hold thousands of names.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.judged: dict[int, bool] = {}

    def __call__(self, at: int) -> bool:
        """Whether the line around ``at`` is in title case."""
        number = bisect_right(self.starts, at) - 1
        if number not in self.judged:
            start = self.starts[number]
            following = number + 1 < len(self.starts)
            end = self.starts[number + 1] - 1 if following else len(self.text)
            self.judged[number] = _title_case(self.text[start:end])
        return self.judged[number]


def _title_case(line: str) -> bool:
    if line.rstrip().endswith((".", "!", "”", '"')):
        return False  # a sentence, however many names it has
    words = [w for w in re.findall(r"[^\W\d_]+", line) if len(w) > 3]
    if len(words) < 4:
        return False
    return bool(sum(w[0].isupper() for w in words) / len(words) >= 0.6)


# -- claims, speakers and stance --------------------------------------------------------


@dataclass(frozen=True)
class _Voice:
    """Who a sentence speaks for, and how."""

    speaker: str | None
    denies: bool


class _Claims:
    """The claims of one document, sentence by sentence."""

    def __init__(
        self,
        extractor: RuleExtractor,
        document: Document,
        sents: list[Sentence],
        mentions: list[FoundMention],
        events: list[FoundEvent],
        told: list[tuple[int, int, FoundEvent]],
        publisher: str | None,
    ) -> None:
        self.actors = extractor.actors
        self.text = document.text
        self.published = document.published
        self.sents = sents
        self.events = events
        self.told = told
        self.told_starts = [start for start, _, _ in told]
        self.named = _ByStart(mentions)
        self.publisher = publisher
        self.found: dict[str, FoundClaim] = {}
        self.responsibility_denials: list[tuple[str, FoundEvent | None, Sentence, bool]] = []

    def kind(self, m: FoundMention) -> ActorKind:
        return self.actors[m.actor].kind

    def event_at(self, start: int, end: int | None = None) -> FoundEvent | None:
        """The event a place in the text speaks of.

        The event of the clause at ``start`` (or, for a sentence, the last
        of its clauses), else the latest recent event told before it.
        """
        told = self.told
        upto = bisect_right(self.told_starts, start if end is None else end - 1)
        if end is not None and upto and told[upto - 1][0] >= start:
            return told[upto - 1][2]  # the sentence's last clause that tells of one
        if end is None and upto and told[upto - 1][1] > start:
            return told[upto - 1][2]
        for s_start, _, event in reversed(told[:upto]):
            if s_start < start and _recent(event, self.published):
                return event
        return None

    def run(self) -> list[FoundClaim]:
        carried: tuple[str, int] | None = None  # a speaker introducing the next paragraph
        for sent in self.sents:
            ms = self.named.within(sent.start, sent.end)
            voice = self._voice(sent, ms)
            speaker = voice.speaker
            if (
                speaker is None
                and carried is not None
                and carried[1]
                in (
                    sent.paragraph,
                    sent.paragraph - 1,
                )
            ):
                speaker = carried[0]
            speaker = speaker or self.publisher
            if voice.speaker is not None and _introduces(sent.text):
                carried = (voice.speaker, sent.paragraph)
            elif carried is not None and sent.paragraph > carried[1] + 1:
                carried = None
            event = self.event_at(sent.start, sent.end)
            hedged = _HEDGE.search(sent.text) is not None
            stance = Stance.DENIED if voice.denies else Stance.REPORTED
            said = []
            if speaker is not None:
                said = self._claims(sent, ms, event, speaker)
                for subject, predicate, obj, claim_event in said:
                    self._add(subject, predicate, obj, claim_event, speaker, stance, hedged, sent)
            self._alive(sent, ms, event, hedged)
            denial = _RESPONSIBILITY.search(sent.text) or _ATTACK.search(sent.text)
            if voice.denies and voice.speaker is not None and not said and denial:
                self.responsibility_denials.append((voice.speaker, event, sent, hedged))
        for denier, event, sent, hedged in self.responsibility_denials:
            for found in list(self.found.values()):
                claim = found.claim
                if (
                    claim.predicate is Predicate.STRUCK
                    and claim.subject == denier
                    and (event is None or claim.event == event.id)
                ):
                    self._add(
                        claim.subject,
                        claim.predicate,
                        claim.object,
                        claim.event,
                        denier,
                        Stance.DENIED,
                        hedged,
                        sent,
                    )
        return list(self.found.values())

    def _add(
        self,
        subject: str,
        predicate: Predicate,
        obj: str,
        event: str | None,
        speaker: str,
        stance: Stance,
        hedged: bool,
        sent: Sentence,
    ) -> None:
        if subject == obj:
            return
        claim = Claim(subject=subject, predicate=predicate, object=obj, event=event)
        found = self.found.setdefault(claim.id, FoundClaim(claim))
        said = Said(speaker, stance, hedged, sent.text, sent.start, sent.end)
        if not any(s.speaker == speaker and s.start == sent.start for s in found.said):
            found.said.append(said)

    # -- who speaks ---------------------------------------------------------------------

    def _voice(self, sent: Sentence, ms: list[FoundMention]) -> _Voice:
        """The sentence's speaker, by the strongest cue: a denial, "according to", "X said"."""
        text = self.text
        found: list[tuple[int, str, bool]] = []
        for m in ms:
            after = text[m.end : min(sent.end, m.end + 80)]
            before = text[max(sent.start, m.start - 60) : m.start]
            if _PLACE_BEFORE.search(before):
                continue  # "officials with militias in Iraq said": a place, not a speaker
            said = _SPEAKER_AFTER.match(after)
            if said is not None and not _mention_between(ms, m.end, m.end + said.end()):
                denies = _DENY.search(said.group(0)) is not None
                found.append((0 if denies else 3, m.actor, denies))
            elif _ACCORDING_TO.search(before):
                found.append((1, m.actor, False))
            elif _SPEAKER_STATEMENT.match(after):
                denies = re.match(r"^(?:[’']s)?\s+denials?", after, re.IGNORECASE) is not None
                found.append((0 if denies else 2, m.actor, denies))
            elif _SAID_BEFORE.search(before):
                found.append((4, m.actor, _DENY.search(before) is not None))
        if not found:
            return _Voice(None, False)
        _, speaker, denies = min(found, key=lambda f: f[0])
        return _Voice(speaker, denies)

    # -- what is claimed -------------------------------------------------------------

    def _claims(
        self, sent: Sentence, ms: list[FoundMention], event: FoundEvent | None, speaker: str
    ) -> list[tuple[str, Predicate, str, str | None]]:
        out: list[tuple[str, Predicate, str, str | None]] = []
        text = self.text
        for a, b in self._pairs(ms):
            gap = text[a.end : b.start]
            ka, kb = self.kind(a), self.kind(b)
            role = _X_ROLE_OF_Y.match(gap) or _X_LEADS_Y.match(gap)
            if ka is ActorKind.PERSON and kb in _GROUP_KINDS and role:
                out.append((a.actor, Predicate.COMMANDS, b.actor, None))
                both = ms.index(a)  # "A and B, both commanders within C"
                if both and re.match(r"\s*,?\s*both\b", gap) is not None:
                    other = ms[both - 1]
                    if self.kind(other) is ActorKind.PERSON and re.fullmatch(
                        r"\s*(?:,\s*)?and\s*", text[other.end : a.start]
                    ):
                        out.append((other.actor, Predicate.COMMANDS, b.actor, None))
            if ka in _GROUP_KINDS and kb is ActorKind.PERSON and _Y_ROLE_X.match(gap):
                out.append((b.actor, Predicate.COMMANDS, a.actor, None))
            if ka in _GROUP_KINDS and kb in _GROUP_KINDS:
                after = text[b.end : b.end + 40]
                if (
                    _X_PART_OF_Y.match(gap)
                    or _X_INTEGRATED_INTO_Y.match(gap)
                    or _X_OF_Y.match(gap)
                    or (_X_IS_A_Y.match(gap) and _Y_GROUP_AFTER.match(after))
                ):
                    out.append((a.actor, Predicate.PART_OF, b.actor, None))
        for a, b in pairwise(ms):
            # "the leader of the Imam Ali Brigades, Shubul al-Zaidi"
            if (
                self.kind(a) in _GROUP_KINDS
                and self.kind(b) is ActorKind.PERSON
                and _ROLE_OF_BEFORE.search(text[max(sent.start, a.start - 50) : a.start])
                and re.fullmatch(r"\s*,\s*", text[a.end : b.start])
            ):
                out.append((b.actor, Predicate.COMMANDS, a.actor, None))
        for i, m in enumerate(ms):
            k = self.kind(m)
            if k is ActorKind.PERSON and _PRONOUN_ROLE_X.search(text[sent.start : m.start]):
                group = next((g for g in reversed(ms[:i]) if self.kind(g) in _GROUP_KINDS), None)
                if group is not None:
                    out.append((m.actor, Predicate.COMMANDS, group.actor, None))
            if k in _GROUP_KINDS and _Y_NTH_BRIGADE.match(text[m.end : m.end + 40]):
                unit = next((g for g in reversed(ms[:i]) if self.kind(g) in _GROUP_KINDS), None)
                if unit is not None and m.start - unit.end < 120:
                    out.append((unit.actor, Predicate.PART_OF, m.actor, None))
        out += self._strikes(sent, ms, event)
        out += self._members_killed(sent, ms, event)
        killed = self._killed(sent, ms, event, speaker)
        out += killed
        striker = self._striker(sent, ms)
        if striker is not None:  # "killed in US airstrikes": the US struck them
            out += [
                (striker, Predicate.STRUCK, person, event_id) for person, _, event_id, _ in killed
            ]
        return list(dict.fromkeys(out))

    def _striker(self, sent: Sentence, ms: list[FoundMention]) -> str | None:
        """Who the sentence names as striking or killing.

        "US airstrikes", "a US drone shockingly killed", "the US killed",
        "the attack carried out by US helicopters", "a strike attributed to the US".
        """
        attackers = [m for m in ms if self.kind(m) in _ATTACKER_KINDS]
        for word in _STRIKER_WORD.finditer(sent.text):
            at, end = sent.start + word.start(), sent.start + word.end()
            before = [m for m in attackers if m.end <= at]
            passive = _PASSIVE.search(self.text[sent.start : at]) is not None
            if before and _words(self.text[before[-1].end : at]) <= 2 and not passive:
                return before[-1].actor
            by = _BY.match(self.text, end, sent.end)
            if by is not None:
                after = next((m for m in attackers if m.start == by.end()), None)
                if after is not None:
                    return after.actor
        return None

    def _pairs(self, ms: list[FoundMention]) -> Iterator[tuple[FoundMention, FoundMention]]:
        """Each mention with the next, and with the next past a country ("of Iraq’s PMU").

        Past a few countries at most: a sentence naming thousands of them in a row
        would otherwise pair each with all the rest.
        """
        for i, a in enumerate(ms):
            for b in ms[i + 1 : i + 2 + _STATES_PASSED]:
                yield a, b
                if self.kind(b) is not ActorKind.STATE:
                    break

    def _strikes(
        self, sent: Sentence, ms: list[FoundMention], event: FoundEvent | None
    ) -> list[tuple[str, Predicate, str, str | None]]:
        out = []
        text = self.text
        for verb in _STRIKE_VERB.finditer(sent.text):
            at, end = sent.start + verb.start(), sent.start + verb.end()
            if any(m.start <= at < m.end for m in ms):
                continue
            if _PASSIVE.search(text[sent.start : at]):  # "the convoy was hit by US drones"
                by = re.match(r"\s+by\s+(?:the\s+)?", text[end : sent.end])
                attacker = next(
                    (
                        m
                        for m in ms
                        if by and m.start == end + by.end() and self.kind(m) in _ATTACKER_KINDS
                    ),
                    None,
                )
                target = next(
                    (
                        m
                        for m in reversed(ms)
                        if m.end <= at
                        and self.kind(m) in _TARGET_KINDS
                        and _words(text[m.end : at]) <= 8
                    ),
                    None,
                )
                if attacker is not None and target is not None:
                    told = self.event_at(at) or event
                    out.append((attacker.actor, Predicate.STRUCK, target.actor, _id(told)))
                continue
            attacker = next(
                (
                    m
                    for m in reversed(ms)
                    if m.end <= at and _words(text[m.end : at]) <= 6 and self._attacks(m, at, sent)
                ),
                None,
            )
            if attacker is None:
                continue
            clause_end = _clause_end(text, end, sent.end)
            noun = _STRIKE_NOUN.fullmatch(verb.group(0)) is not None
            target = next(
                (
                    m
                    for m in ms
                    if end <= m.start < clause_end
                    and m.actor != attacker.actor
                    and self.kind(m) in _TARGET_KINDS | {ActorKind.PERSON}
                    and _words(text[end : m.start]) <= 20
                    # "a US drone attack ordered by Trump": a strike's target follows "on"
                    and (not noun or _ON_TARGET.search(text[end : m.start]) is not None)
                ),
                None,
            )
            if target is not None:
                told = self.event_at(at) or event
                out.append((attacker.actor, Predicate.STRUCK, target.actor, _id(told)))
        return out

    def _members_killed(
        self, sent: Sentence, ms: list[FoundMention], event: FoundEvent | None
    ) -> list[tuple[str, Predicate, str, str | None]]:
        """ "A strike killing a Kataib Hezbollah commander": the striker struck the group."""
        out = []
        text = self.text
        for kill in _KILL_ACTIVE.finditer(sent.text):
            at, end = sent.start + kill.start(), sent.start + kill.end()
            if _PASSIVE.search(text[sent.start : at]):
                continue
            group = next((m for m in ms if m.start >= end), None)
            if (
                group is None
                or self.kind(group) not in _TARGET_KINDS
                or not _MEMBERS_OF.fullmatch(text[end : group.start])
                or not _MEMBERS.match(text, group.end)
            ):
                continue
            attacker = next(
                (m for m in reversed(ms) if m.end <= at and self._attacks(m, at, sent)), None
            )
            if attacker is not None:
                told = self.event_at(at) or event
                out.append((attacker.actor, Predicate.STRUCK, group.actor, _id(told)))
        return out

    def _attacks(self, m: FoundMention, at: int, sent: Sentence) -> bool:
        """Whether ``m`` can be who acts at ``at``: an attacker, not an object, place or speaker."""
        text = self.text
        return (
            self.kind(m) in _ATTACKER_KINDS
            and not _PLACE_BEFORE.search(text[max(sent.start, m.start - 30) : m.start])
            and not _OBJECT_BEFORE.search(text[max(sent.start, m.start - 15) : m.start])
            and not re.search(rf"\b{_SAY}\b", text[m.end : at], re.IGNORECASE)
        )

    def _killed(
        self, sent: Sentence, ms: list[FoundMention], event: FoundEvent | None, speaker: str
    ) -> list[tuple[str, Predicate, str, str | None]]:
        if _DEAD_OR_ALIVE.search(sent.text):
            return []
        text = self.text
        people = [m for m in ms if self.kind(m) is ActorKind.PERSON and m.actor != speaker]
        killed: dict[str, FoundEvent] = {}
        for kill in _KILL.finditer(sent.text):
            at, end = sent.start + kill.start(), sent.start + kill.end()
            event = self.event_at(at) or event  # the clause's: "24 hours after X killed Y, ..."
            if event is None:
                continue
            clause_end = _clause_end(text, end, sent.end)
            after = [m for m in people if end <= m.start < clause_end]
            # "a US drone attack ordered by Trump killed Soleimani": the one
            # named before an active "killed" did not die
            active = bool(after) and _words(text[end : after[0].start]) <= 4
            if after and _words(text[end : after[0].start]) <= 12:
                killed[after[0].actor] = event
                chain = after[0]
                for other in after[1:]:
                    if re.fullmatch(r"\s*(?:,|&|and|,\s*and)\s*", text[chain.end : other.start]):
                        killed[other.actor] = event
                        chain = other
            before = [m for m in people if m.end <= at]
            if before:
                last = before[-1]
                gap = _without_appositions(text[last.end : at])
                if (_KILLED_LINK.match(gap) and not (active and _words(gap) == 0)) or re.search(
                    r"\b(?:is|was|were|are)\s+(?:also\s+|reportedly\s+|allegedly\s+)*among\b",
                    gap,
                    re.I,
                ):
                    killed[last.actor] = event
                    chain = last
                    for other in reversed(before[:-1]):
                        if re.fullmatch(
                            r"\s*(?:,|&|and|,\s*and)\s*",
                            _without_appositions(text[other.end : chain.start]),
                        ):
                            killed[other.actor] = event
                            chain = other
                else:
                    first = before[0]
                    if re.search(
                        r"\b(?:is|was|were|are)\s+(?:also\s+|reportedly\s+|allegedly\s+)*among\b",
                        text[first.end : at],
                        re.I,
                    ):
                        killed[first.actor] = event
        return [(p, Predicate.KILLED_IN, e.id, None) for p, e in sorted(killed.items())]

    def _alive(
        self, sent: Sentence, ms: list[FoundMention], event: FoundEvent | None, hedged: bool
    ) -> None:
        """ "X ... confirmed he was alive": X denies that X was killed."""
        alive = _ALIVE.search(sent.text)
        if alive is None or _DEAD_OR_ALIVE.search(sent.text):
            return
        at = sent.start + alive.start()
        person = next(
            (m for m in reversed(ms) if m.end <= at and self.kind(m) is ActorKind.PERSON), None
        )
        if person is None:
            return
        reported = [
            f.claim
            for f in self.found.values()
            if f.claim.subject == person.actor and f.claim.predicate is Predicate.KILLED_IN
        ]
        targets = [c.object for c in reported] or ([event.id] if event is not None else [])
        for obj in targets:
            self._add(
                person.actor,
                Predicate.KILLED_IN,
                obj,
                None,
                person.actor,
                Stance.DENIED,
                hedged,
                sent,
            )


_APPOSITION = re.compile(
    r",\s*(?:and\s+)?(?:a|an|the|both|his|her|their|its|one|two|three|four|five|six|several|"
    r"some|\d+)\s[^,;:.!?“”\"]*?(?=,)",
    re.IGNORECASE,
)


def _without_appositions(text: str) -> str:
    """The text between a name and its verb without what is set between commas.

    ", the deputy leader of Saraya al-Khorasani, was" -> ", was"
    """
    return _APPOSITION.sub("", text)


def _id(event: FoundEvent | None) -> str | None:
    return None if event is None else event.id


def _words(text: str) -> int:
    return len(re.findall(r"[\w’'-]+", text))


def _clause_end(text: str, start: int, limit: int) -> int:
    stop = re.compile(r";|\.\s|—|\bsaid\b|\bwhile\b|\bwhereas\b")
    m = stop.search(text, start, limit)
    return m.start() if m else limit


def _mention_between(ms: list[FoundMention], start: int, end: int) -> bool:
    return any(start <= m.start < end for m in ms)


def _introduces(sentence: str) -> bool:
    """Whether a sentence hands over to what follows: "Israeli media is reporting:"."""
    return (
        sentence.rstrip().endswith(":")
        or re.search(r"\b(?:statement|following)\s*[.:]?$", sentence.rstrip(), re.IGNORECASE)
        is not None
    )
