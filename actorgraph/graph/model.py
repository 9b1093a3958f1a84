"""The graph's model: actors, events, documents, claims and who said what.

Every id is deterministic. Actors and events carry curated slugs; documents,
claims, attestations and mentions take ids hashed from what they are, so the
same article loaded twice is one document, and the same claim told by two
articles is one claim with two attestations.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable
from enum import Enum
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from actorgraph.graph.vocabulary import (
    ACTOR_KINDS,
    PREDICATES,
    STANCES,
    STATUSES,
    PredicateTerms,
)

_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(value: Any) -> Any:
    """Refuse a lone surrogate, which JSON's escapes can carry in and nothing can write out."""
    ascii_only = not isinstance(value, str) or value.isascii()  # isascii takes no time
    found = None if ascii_only else _SURROGATE.search(value)
    if found is not None:
        raise ValueError(f"a lone surrogate ({found[0]!r}) at character {found.start()}")
    return value


Text = Annotated[str, BeforeValidator(_encodable)]
"""Text from outside: an article, a name, a description."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=120)]
"""A curated id: lowercase ASCII words joined by single hyphens (``kataib-hezbollah``)."""


class ActorKind(str, Enum):
    """What an actor is; each kind is also a Neo4j label."""

    PERSON = "person"
    ARMED_GROUP = "armed_group"
    MILITARY_COMMAND = "military_command"
    STATE = "state"
    GOVERNMENT_BODY = "government_body"
    MEDIA_OUTLET = "media_outlet"
    CHANNEL = "channel"
    ORGANISATION = "organisation"


class EventKind(str, Enum):
    STRIKE = "strike"
    ATTACK = "attack"
    STATEMENT = "statement"


class PlaceKind(str, Enum):
    """What a place is, from the largest to the smallest."""

    COUNTRY = "country"
    GOVERNORATE = "governorate"
    CITY = "city"
    DISTRICT = "district"
    BASE = "base"
    AIRPORT = "airport"
    CROSSING = "crossing"
    LANDMARK = "landmark"


class GeoPrecision(int, Enum):
    """How closely a telling places an event, as ACLED codes it."""

    AT = 1
    """At the place itself: "in Mashtal", "at Camp Taji"."""
    NEAR = 2
    """Near it, or in a part of it the telling does not name: "near Camp Taji"."""
    REGION = 3
    """Only the region: "in western Iraq"."""


class Whom(str, Enum):
    """Whom a casualty figure counts, as its words say."""

    CIVILIANS = "civilians"
    COMBATANTS = "combatants"
    UNKNOWN = "unknown"


class DatePrecision(str, Enum):
    """How much of an event's date is known: ``month`` means only year and month count."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class Predicate(str, Enum):
    """What a claim says of its subject.

    ``commands``: a person leads (or is deputy leader of, or heads) an actor.
    ``part_of``: a group is a unit or member of a larger one.
    ``struck``: an actor struck a target actor (in the claim's event).
    ``killed_in``: a person was killed in an event.
    """

    COMMANDS = "commands"
    PART_OF = "part_of"
    STRUCK = "struck"
    KILLED_IN = "killed_in"

    @property
    def terms(self) -> PredicateTerms:
        """Its terms in the vocabulary: relationship type, object label, phrase, colour..."""
        return PREDICATES[self.value]

    @property
    def rel_type(self) -> str:
        """The Neo4j relationship type: ``COMMANDS``, ``PART_OF``, ..."""
        return self.terms.relationship

    @property
    def about_event(self) -> bool:
        """Whether the claim's object is an event (``killed_in``), not an actor."""
        return self.terms.object == "Event"


class Stance(str, Enum):
    REPORTED = "reported"
    DENIED = "denied"

    @property
    def rel_type(self) -> str:
        """The relationship type from speaker to claim: ``REPORTED`` or ``DENIED``."""
        return STANCES[self.value].relationship


ATTESTATION_TYPES = frozenset(s.rel_type for s in Stance)
TRAVERSAL_TYPES = frozenset(p.rel_type for p in Predicate)


class Status(str, Enum):
    """A claim's status, derived from its attestations by :func:`derive_status`."""

    REPORTED = "reported"
    CONFIRMED = "confirmed"
    CONTESTED = "contested"
    DENIED = "denied"


def _check_vocabulary() -> None:
    """Every member of the vocabulary's enums has its terms in ``vocabulary.yaml``, no more."""
    registry: tuple[tuple[type[Enum], dict[str, Any]], ...] = (
        (Predicate, PREDICATES),
        (ActorKind, ACTOR_KINDS),
        (Status, STATUSES),
        (Stance, STANCES),
    )
    for enum, terms in registry:
        members = {m.value for m in enum}
        if members != set(terms):
            raise RuntimeError(
                f"graph/vocabulary.yaml and {enum.__name__} disagree: "
                f"{sorted(members ^ set(terms))}"
            )


_check_vocabulary()


def content_id(prefix: str, *parts: object) -> str:
    """A short stable id hashed from ``parts``.

    Examples
    --------
    >>> content_id("claim", "a", "commands", "b") == content_id("claim", "a", "commands", "b")
    True
    >>> content_id("claim", "a", "b") != content_id("claim", "ab")
    True
    """
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    # surrogatepass: hash a lone surrogate too, and let validation refuse it, naming the field
    digest = hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{prefix}-{digest[:16]}"


def normalise_text(text: str) -> str:
    """The canonical form of an article body: NFC, ``\\n`` line ends, no outer blank space."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class _Derived(_Model):
    """A model whose ``id`` is hashed from its identity fields.

    A given ``id`` must equal the derived one, so a stored record cannot be
    silently re-keyed.
    """

    id: str = ""
    id_prefix: ClassVar[str]
    identity: ClassVar[tuple[str, ...]]
    """The fields the id is hashed from."""

    @classmethod
    def _identity(cls, data: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(data.get(name) for name in cls.identity)

    @model_validator(mode="before")
    @classmethod
    def _derive_id(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        parts = cls._identity(data)
        derived = content_id(cls.id_prefix, *(_plain(p) for p in parts))
        given = data.get("id")
        if given and given != derived:
            raise ValueError(f"id {given!r} does not match its content (expected {derived!r})")
        return {**data, "id": derived}


def _plain(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


class Actor(_Model):
    """A person, group, command, state, body or outlet.

    Examples
    --------
    >>> Actor(id="pmf", name="Popular Mobilization Forces", kind="armed_group",
    ...       aliases=["PMF", "Hashd al-Shaabi"]).names
    ('Popular Mobilization Forces', 'PMF', 'Hashd al-Shaabi')
    """

    id: Slug
    name: Text = Field(min_length=1)
    kind: ActorKind
    aliases: tuple[Text, ...] = ()
    description: Text = ""
    sources: tuple[Text, ...] = Field(
        default=(), description="Documents or references for the facts."
    )

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class Place(_Model):
    """A place events happen at: a point, and the place that contains it.

    Examples
    --------
    >>> Place(id="camp-taji", name="Camp Taji", kind="base", lat=33.53, lon=44.26,
    ...       parent="taji").names
    ('Camp Taji',)
    """

    id: Slug
    name: Text = Field(min_length=1)
    kind: PlaceKind
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    parent: Slug | None = Field(default=None, description="The place that contains it.")
    aliases: tuple[Text, ...] = ()
    geonames: int | None = Field(default=None, gt=0, description="Its GeoNames id.")
    sources: tuple[Text, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @model_validator(mode="after")
    def _not_its_own_parent(self) -> Place:
        if self.parent == self.id:
            raise ValueError(f"place {self.id!r} cannot contain itself")
        return self


EARTH_RADIUS_M = 6_378_137.0
"""The sphere Neo4j's ``point.distance`` measures WGS-84 points on (haversine, equatorial
radius); the embedded store measures on the same one, so that both agree."""


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The distance between two points in metres, on Neo4j's sphere.

    Examples
    --------
    >>> round(distance_m(33.2625, 44.2346, 33.5297, 44.2564) / 1000)  # airport to Camp Taji
    30
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


class Event(_Model):
    """A strike, attack or statement, dated with the precision the sources give.

    ``place`` is the place as the sources say it; ``at`` the curated place it
    resolves to, with ``geo_precision`` saying how closely.
    """

    id: Slug
    kind: EventKind
    date: dt.date | None = None
    date_precision: DatePrecision = DatePrecision.DAY
    place: Text = ""
    at: Slug | None = None
    geo_precision: GeoPrecision | None = None
    description: Text = ""
    sources: tuple[Text, ...] = ()

    @model_validator(mode="after")
    def _placed_when_precise(self) -> Event:
        if self.geo_precision is not None and self.at is None:
            raise ValueError("geo_precision says how closely `at` places the event: give `at`")
        return self

    @property
    def label(self) -> str:
        """A short human label: ``strike of 2020-01-03 at Baghdad airport``."""
        when = _format_date(self.date, self.date_precision)
        return (
            self.kind.value
            + (f" of {when}" if when else "")
            + (f" at {self.place}" if self.place else "")
        )


def _format_date(day: dt.date | None, precision: DatePrecision) -> str:
    if day is None:
        return ""
    return {
        DatePrecision.DAY: day.isoformat(),
        DatePrecision.MONTH: day.strftime("%Y-%m"),
        DatePrecision.YEAR: str(day.year),
    }[precision]


class Document(_Derived):
    """One article. Its id is hashed from its normalised text alone."""

    title: Text = Field(min_length=1)
    text: Text = Field(min_length=1)
    publisher: Text | None = None
    author: Text | None = None
    url: Text | None = None
    published: dt.date | None = None
    source: Text | None = Field(default=None, description="Where the article came from.")

    id_prefix = "doc"
    identity = ("text",)

    @classmethod
    def _identity(cls, data: dict[str, Any]) -> tuple[Any, ...]:
        return (normalise_text(str(data.get("text", ""))),)

    @field_validator("text", mode="before")
    @classmethod
    def _normalise(cls, text: Any) -> Any:
        return normalise_text(text) if isinstance(text, str) else text


class Claim(_Derived):
    """``subject predicate object``, optionally within an event (``struck``; a
    ``killed_in`` claim's object is its event).

    The id is hashed from the four parts, so two articles telling the same
    thing meet on one claim.
    """

    subject: Slug
    predicate: Predicate
    object: Slug
    event: Slug | None = None

    id_prefix = "claim"
    identity = ("subject", "predicate", "object", "event")

    @model_validator(mode="after")
    def _one_event(self) -> Claim:
        # one way to say it, so two tellings of one death meet on one claim
        if self.predicate.about_event and self.event is not None:
            raise ValueError("killed_in names its event as the object: leave event empty")
        return self


class Attestation(_Derived):
    """A speaker reported or denied a claim, in a document, in these words.

    ``start`` and ``end`` are character offsets of ``quote`` in the
    document's text; ``date`` is the document's publication date, which
    orders a speaker's statements; ``hedged`` marks "unconfirmed reports",
    "allegedly" and the like.
    """

    claim: str
    speaker: Slug
    stance: Stance
    document: str
    quote: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    hedged: bool = False
    date: dt.date | None = None

    id_prefix = "att"
    identity = ("claim", "speaker", "stance", "document", "start", "end")

    @model_validator(mode="after")
    def _span_matches_quote(self) -> Attestation:
        if self.end - self.start != len(self.quote):
            raise ValueError("end - start must equal the quote's length")
        return self


class Telling(_Derived):
    """How one document tells of an event: the date and place as it says them, where that
    place resolves to, and the document's date (which ``as_of`` compares).

    The event holds one date and place (its first telling's); each document keeps its own
    here: "late on Monday" in Tuesday's paper, "in Baghdad" where another says Camp Taji.
    """

    event: Slug
    document: str
    date: dt.date | None = None
    date_precision: DatePrecision = DatePrecision.DAY
    place: Text = ""
    at: Slug | None = None
    geo_precision: GeoPrecision | None = None
    published: dt.date | None = None

    id_prefix = "telling"
    identity = ("event", "document")


class CasualtyFigure(_Derived):
    """How many a speaker says an event killed and injured, in one sentence of a document.

    Each count is a range, as the words allow it (``actorgraph.extraction.casualties``
    gives the rule): "six" is 6-6, "at least six" 6-None, "up to 30" None-30; a count the
    sentence does not give is None-None. ``text`` holds the words that give the figure,
    ``quote`` the sentence at ``start:end``; ``date`` is the document's publication date.
    """

    event: Slug
    document: str
    speaker: Slug
    killed_low: int | None = Field(default=None, ge=0)
    killed_high: int | None = Field(default=None, ge=0)
    injured_low: int | None = Field(default=None, ge=0)
    injured_high: int | None = Field(default=None, ge=0)
    whom: Whom = Whom.UNKNOWN
    text: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    date: dt.date | None = None

    id_prefix = "toll"
    identity = ("event", "document", "speaker", "start", "end", "text")

    @model_validator(mode="after")
    def _a_figure(self) -> CasualtyFigure:
        if self.end - self.start != len(self.quote):
            raise ValueError("end - start must equal the quote's length")
        counts = (self.killed_low, self.killed_high, self.injured_low, self.injured_high)
        if all(c is None for c in counts):
            raise ValueError("give a number killed or injured")
        for low, high in (
            (self.killed_low, self.killed_high),
            (self.injured_low, self.injured_high),
        ):
            if low is not None and high is not None and low > high:
                raise ValueError("a count's low is above its high")
        return self


class Mention(_Derived):
    """A place in a document where an actor is named, in the document's own spelling."""

    document: str
    actor: Slug
    text: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    id_prefix = "mention"
    identity = ("document", "actor", "start", "end")


def chronological(att: Attestation) -> tuple[dt.date, str, int]:
    """Sort key putting statements in the order they were made: by date, then in the text."""
    return (att.date or dt.date.min, att.document, att.start)


def derive_status(subject: str, attestations: Iterable[Attestation]) -> Status:
    """Derive a claim's status from who said what.

    Each speaker counts once, by its latest statement (ordered by the
    document's date, then its position in the document), so a speaker who
    reported a claim and later retracted it counts as denying it. Then:

    - ``denied``: at least one speaker denies it and none reports it;
    - ``contested``: at least one speaker reports it and another denies it;
    - ``confirmed``: nobody denies it, and either its own subject reports it
      without a hedge (an admission: CENTCOM says CENTCOM struck) or at least
      two distinct speakers report it without a hedge, in two sentences;
    - ``reported``: nobody denies it, but it is not confirmed.

    Parameters
    ----------
    subject
        The claim's subject actor id.
    attestations
        The claim's attestations (at least one).

    Raises
    ------
    ValueError
        If there are no attestations: a claim nobody made has no status.

    Examples
    --------
    >>> a = dict(claim="c", document="d", quote="q", start=0, end=1)
    >>> derive_status("x", [Attestation(speaker="reuters", stance="reported", **a),
    ...                     Attestation(speaker="centcom", stance="denied", **a)]).value
    'contested'
    """
    latest: dict[str, Attestation] = {}
    ordered = sorted(attestations, key=chronological)
    if not ordered:
        raise ValueError("a claim without attestations has no status")
    for att in ordered:
        latest[att.speaker] = att
    reporting = [a for a in latest.values() if a.stance is Stance.REPORTED]
    denying = [a for a in latest.values() if a.stance is Stance.DENIED]
    if denying:
        return Status.CONTESTED if reporting else Status.DENIED
    firm = [a for a in reporting if not a.hedged]
    speakers = {a.speaker for a in firm}
    # one sentence read as two speakers' (an outlet and whom it quotes) is one statement
    statements = {
        (a.document, a.start)
        for a in ordered
        if a.speaker in speakers and a.stance is Stance.REPORTED and not a.hedged
    }
    if subject in speakers or (len(speakers) >= 2 and len(statements) >= 2):
        return Status.CONFIRMED
    return Status.REPORTED
