"""Synthetic conflict graphs with the shape of real reporting, for tests and benchmarks.

:func:`generate` builds a deterministic :class:`~actorgraph.graph.store.GraphBatch`
that is not the founding corpus but looks like it: Arabic-style names spelled
several ways, armed groups with acronyms, umbrella groups, commands, states,
outlets that report and deny, strikes spread over years, a few prominent actors
holding most of the claims, and claims whose derived status is ``reported``,
``confirmed``, ``contested`` or ``denied`` in plausible proportions.

Every name is made up from syllable and word pools; only the places are real.
The generator uses nothing but ``random.Random(seed)``: the same arguments give
an equal batch in any process.

Timing on this project's shared 2-vCPU machines (CPython 3.11): 300 actors /
2,000 claims in 0.15-0.2 s; 10,000 actors / 100,000 claims (about 40,000
events, 77,000 documents, 231,000 attestations) in 8-10 s. The bulk
records are built without re-validation (:func:`_trusted`, checked by the
tests), which halves that.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import itertools
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, TypeVar

from pydantic import BaseModel

from actorgraph.graph.model import (
    Actor,
    ActorKind,
    Attestation,
    Claim,
    DatePrecision,
    Document,
    Event,
    EventKind,
    Predicate,
    Stance,
    content_id,
    normalise_text,
)
from actorgraph.graph.store import GraphBatch

__all__ = ["generate"]

START = dt.date(2017, 1, 1)
"""The first day an event can fall on."""
END = dt.date(2024, 12, 31)
"""The last day an event can fall on (reports and retractions may come later)."""
_CRISES = 24  # escalations of 1-4 weeks that gather most events, as real reporting does
_IN_CRISIS = 0.6  # of events (and of hierarchy claims' first reports)

_KIND_SHARES: dict[ActorKind, float] = {
    ActorKind.PERSON: 0.52,
    ActorKind.ARMED_GROUP: 0.22,
    ActorKind.MILITARY_COMMAND: 0.06,
    ActorKind.STATE: 0.03,
    ActorKind.GOVERNMENT_BODY: 0.05,
    ActorKind.MEDIA_OUTLET: 0.06,
    ActorKind.CHANNEL: 0.04,
    ActorKind.ORGANISATION: 0.02,
}
_UMBRELLA_SHARE = 0.1  # of armed groups

_PREDICATE_WEIGHTS: dict[Predicate, float] = {
    Predicate.COMMANDS: 0.18,
    Predicate.PART_OF: 0.12,
    Predicate.STRUCK: 0.40,
    Predicate.KILLED_IN: 0.30,
}

# A story is how a claim was told; each yields a status through derive_status.
_STORIES: dict[str, float] = {
    "single": 0.27,  # one speaker reports it (sometimes hedged): reported
    "corroborated": 0.30,  # 2-5 speakers report it: confirmed, or reported if hedged
    "admitted": 0.06,  # its subject says so: confirmed
    "contested": 0.17,  # reported by some, denied by another or by its subject
    "denied": 0.08,  # only denials
    "retracted": 0.12,  # a reporter later takes it back: denied or contested
}
_HEDGE = 0.15
_DATELESS = 0.03  # of documents: no publication date
_DOC_SIZES = (1, 2, 3, 3, 4, 4, 5, 6, 7, 8)  # most attestations a document holds
_DOC_SPREAD = 14  # days of statements one document may gather
_RETRACTION_DELAY = (30, 365)  # days; longer than _DOC_SPREAD, so always a later document
_REPORT_LAG = {DatePrecision.DAY: 3, DatePrecision.MONTH: 27, DatePrecision.YEAR: 360}
"""Days after an event's (known part of its) date that its first reports may come."""


# -- names ---------------------------------------------------------------------


class _Syllable(NamedTuple):
    latin: tuple[str, ...]  # transliteration variants
    arabic: str


def _syllables(spec: str) -> tuple[_Syllable, ...]:
    """Parse ``"sa|sai:سا ka|qa:قا"``: space-separated syllables, Latin variants, Arabic."""
    out = []
    for item in spec.split():
        latin, arabic = item.split(":")
        out.append(_Syllable(tuple(latin.split("|")), arabic))
    return tuple(out)


_HEADS = _syllables(
    "sa|sai:سا ka|qa:قا ha:حا za:زا ja:جا na:نا ba:با ra:را ta:تا da|dha:ذا sha:شا "
    "kha:خا fa:فا ma:ما mu|mo:مو a|aa:عا su|so:سو hu|ho:هو ku|qu:قو ya:يا"
)
_MIDS = _syllables(
    "han|hen:هن mid|meed:ميد ri:ر bi|bee:بي dal:دال lim|leem:ليم zan:زان ad|aad:عد "
    "mir|meer:مير war:وار far:فار tar:طار jab:جاب sal:سال kar|qar:قار fid|feed:فيد "
    "nab:ناب ram:رام hab:حاب mal|maal:مال"
)
_TAILS = _syllables(
    "di|dee:دي ri:ري ni:ني dis:دس wi|wee:وي mi:مي zi:زي bi:بي ji:جي li:لي ki|qi:قي "
    "si:سي ti:تي fi:في ani|aani:اني awi|aawi:اوي"
)
_GIVEN = _syllables(
    "Hassan|Hasan:حسن Mohammed|Muhammad|Mohamed:محمد Ali:علي Qassem|Qasim|Kassem:قاسم "
    "Mahdi|Mehdi:مهدي Hadi:هادي Abbas:عباس Jafar|Jaafar|Ja'far:جعفر "
    "Hussein|Husayn|Hussain:حسين Kadhim|Kazim|Kazem:كاظم Hamid|Hameed:حميد Akram:أكرم "
    "Faleh|Falih:فالح Qais|Qays|Kais:قيس Ahmed|Ahmad:أحمد Karim|Kareem:كريم "
    "Mustafa|Mostafa:مصطفى Yusuf|Yousef|Youssef:يوسف Haidar|Haider|Hayder:حيدر "
    "Jamal:جمال Nouri|Nuri:نوري Salim|Saleem:سليم Rida|Ridha|Reza:رضا "
    "Ibrahim|Ebrahim:إبراهيم Khalil:خليل Omar|Umar:عمر Tariq|Tarek:طارق Walid|Waleed:وليد "
    "Zaid|Zayd:زيد Samir|Sameer:سمير Nasser|Nasir:ناصر Bakr:بكر Fadhil|Fadil:فاضل "
    "Muqtada:مقتدى Hashem|Hashim:هاشم Adnan:عدنان Sadiq|Sadeq:صادق Imad|Emad:عماد"
)
_GROUP_PREFIXES = _syllables(
    "Kataib|Kata'ib|Kataeb:كتائب Saraya:سرايا Asaib|Asa'ib:عصائب Harakat:حركة Liwa:لواء "
    "Jaish|Jaysh:جيش Ansar:أنصار Faylaq:فيلق Quwat:قوات Jabhat:جبهة"
)
_GROUP_PREFIX_ENGLISH = {
    "كتائب": "Brigades",
    "سرايا": "Companies",
    "عصائب": "League",
    "حركة": "Movement",
    "لواء": "Brigade",
    "جيش": "Army",
    "أنصار": "Supporters",
    "فيلق": "Corps",
    "قوات": "Forces",
    "جبهة": "Front",
}
_GROUP_OBJECTS = (
    _Syllable(("Hezbollah", "Hizbollah", "Hizballah"), "حزب الله"),
    _Syllable(("al-Nujaba", "al-Nujabaa"), "النجباء"),
    _Syllable(("Sayyid al-Shuhada", "Sayed al-Shuhada"), "سيد الشهداء"),
    _Syllable(("al-Imam Ali", "al-Imam Aly"), "الإمام علي"),
    _Syllable(("al-Khorasani", "al-Khurasani"), "الخراساني"),
    _Syllable(("al-Salam", "al-Salaam"), "السلام"),
    _Syllable(("al-Abbas",), "العباس"),
    _Syllable(("al-Tufuf", "al-Taff"), "الطفوف"),
    _Syllable(("Ahl al-Haq", "Ahl al-Haqq"), "أهل الحق"),
    _Syllable(("al-Ashtar",), "الأشتر"),
    _Syllable(("al-Mukhtar", "al-Mokhtar"), "المختار"),
    _Syllable(("al-Awfiya", "al-Awfiyaa"), "الأوفياء"),
    _Syllable(("al-Thar", "al-Tha'r"), "الثأر"),
    _Syllable(("al-Jihad",), "الجهاد"),
)
_UMBRELLA_A = ("Popular", "National", "Islamic", "United", "Revolutionary", "Patriotic")
_UMBRELLA_B = (
    (("Mobilization", "Mobilisation"), "al-Hashd"),
    (("Resistance",), "al-Muqawama"),
    (("Defence", "Defense"), "al-Difa"),
    (("Liberation",), "al-Tahrir"),
    (("Salvation",), "al-Inqadh"),
    (("Security",), "al-Amn"),
)
_UMBRELLA_C = (
    ("Forces", "Quwat"),
    ("Front", "Jabhat"),
    ("Units", "Wahdat"),
    ("Council", "Majlis"),
    ("Coalition", "Tahaluf"),
    ("Committees", "Lijan"),
)
_REGIONS = (
    "Mesopotamia",
    "the Levant",
    "the Jazira",
    "the North",
    "the South",
    "Anbar",
    "Nineveh",
    "Diyala",
    "the Euphrates Valley",
    "the Gulf",
    "Kurdistan",
    "the Badia",
)
_STATE_SUFFIXES = ("ia", "an", "istan", "ar", "iya")
_STATE_FORMS = (
    "Republic of {}",
    "Kingdom of {}",
    "{} Arab Republic",
    "Islamic Republic of {}",
    "State of {}",
    "Federal Republic of {}",
    "Sultanate of {}",
)
_MINISTRIES = (
    ("Ministry of Defence", "Defence Ministry", "Ministry of Defense", "MoD"),
    ("Ministry of Interior", "Interior Ministry", "Ministry of the Interior", "MoI"),
    ("Ministry of Foreign Affairs", "Foreign Ministry", "Foreign Affairs Ministry", "MFA"),
    ("Ministry of Justice", "Justice Ministry", "Ministry of Justice", "MoJ"),
    ("Ministry of Information", "Information Ministry", "Ministry of Information", "MoInfo"),
    ("General Intelligence Directorate", "Intelligence Directorate", "Intelligence", "GID"),
    ("National Security Council", "Security Council", "National Security Council", "NSC"),
    ("Prime Minister's Office", "Office of the Prime Minister", "PM's Office", "PMO"),
    ("Presidency", "Presidential Office", "Office of the President", "Presidency"),
    ("Parliament", "Council of Representatives", "National Assembly", "Parliament"),
    ("Counter-Terrorism Service", "Counter Terrorism Service", "Counterterrorism Service", "CTS"),
    ("Border Guard Command", "Border Guards", "Border Forces", "BGC"),
)
_DIRECTIONS = ("Central", "Northern", "Southern", "Western", "Eastern", "Joint", "Air", "Naval")
_PLACES = (
    "Baghdad International Airport",
    "Camp Taji",
    "Jurf al-Sakhar",
    "Al-Qa'im",
    "Albu Kamal",
    "Deir ez-Zor",
    "Ain al-Asad air base",
    "Erbil",
    "Kirkuk",
    "Mosul",
    "Tikrit",
    "Samarra",
    "Fallujah",
    "Ramadi",
    "Baqubah",
    "Karbala",
    "Najaf",
    "Basra",
    "Sinjar",
    "Tal Afar",
    "Al-Tanf",
    "Mayadin",
    "Palmyra",
    "Homs",
    "Aleppo",
    "Sayyida Zaynab",
    "Raqqa",
    "Hasakah",
    "Qamishli",
    "Idlib",
    "Baalbek",
    "Nabatieh",
    "Tyre",
    "Sidon",
    "Hodeidah",
    "Sanaa",
    "Marib",
    "Saada",
    "Aden",
    "Taiz",
    "Al Mashtal",
    "Al-Rutba",
)
_CITIES = (
    "Baghdad",
    "Erbil",
    "Basra",
    "Mosul",
    "Damascus",
    "Beirut",
    "Amman",
    "Sanaa",
    "Aden",
    "Doha",
)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class _Spelling(NamedTuple):
    """One made-up word: how it is usually spelled, another spelling, and in Arabic."""

    canonical: str
    variant: str
    arabic: str


def _spell(rng: random.Random, parts: Sequence[_Syllable]) -> _Spelling:
    canonical, variant = [], []
    for part in parts:
        pick = rng.randrange(len(part.latin))
        canonical.append(part.latin[pick])
        variant.append(part.latin[(pick + 1) % len(part.latin)])
    return _Spelling("".join(canonical), "".join(variant), "".join(p.arabic for p in parts))


def _made_up(rng: random.Random) -> _Spelling:
    """A family-name-like word from the syllable pools: ``Saadi``, ``Muhandis``."""
    parts = [rng.choice(_HEADS)]
    if rng.random() < 0.6:
        parts.append(rng.choice(_MIDS))
    parts.append(rng.choice(_TAILS))
    word = _spell(rng, parts)
    return word._replace(canonical=_tidy(word.canonical), variant=_tidy(word.variant))


def _tidy(word: str) -> str:
    """Capitalised, with no letter three times in a row (``Faaadlia`` → ``Faadlia``)."""
    return re.sub(r"(.)\1\1+", r"\1\1", word).capitalize()


def _acronym(name: str) -> str:
    """``Asaib Ahl al-Haq`` → ``AAH``; ``Popular Mobilization Forces in Anbar`` → ``PMFA``."""
    words = re.split(r"[\s-]+", name)
    return "".join(w[0].upper() for w in words if w and w.lower() not in {"al", "of", "in", "the"})


def _slug(name: str) -> str:
    """``Kata'ib Hizbollah`` → ``kataib-hizbollah``."""
    return re.sub(r"[^a-z0-9]+", "-", re.sub(r"['’]", "", name.lower())).strip("-")


_PLACE_SLUGS = {place: _slug(place) for place in _PLACES}
_Named = tuple[str, list[str]]
"""A candidate canonical name and its aliases."""
_Maker = Callable[[random.Random], _Named]


def _person(rng: random.Random) -> _Named:
    given = _spell(rng, [rng.choice(_GIVEN)])
    family = _made_up(rng)
    al = rng.random() < 0.85
    style = rng.random()
    if style < 0.1:  # known by a kunya: Abu Mahdi al-Muhandis
        first = _Spelling(f"Abu {given.canonical}", f"Abu {given.variant}", f"أبو {given.arabic}")
    elif style < 0.3:
        father = _spell(rng, [rng.choice(_GIVEN)])
        first = _Spelling(
            f"{given.canonical} {father.canonical}",
            f"{given.variant} {father.variant}",
            f"{given.arabic} {father.arabic}",
        )
    else:
        first = given
    article = "al-" if al else ""
    name = f"{first.canonical} {article}{family.canonical}"
    aliases = [
        f"{first.variant} {article}{family.variant}",
        f"{first.canonical} {family.canonical}" if al else "",
        f"{first.variant} Al {family.variant}" if al else "",
        f"{first.arabic} {'ال' if al else ''}{family.arabic}",
    ]
    if rng.random() < 0.4:
        aliases.append(f"Abu {rng.choice(_GIVEN).latin[0]}")
    return name, aliases


def _group(rng: random.Random) -> _Named:
    prefix = _spell(rng, [rng.choice(_GROUP_PREFIXES)])
    if rng.random() < 0.3:
        obj = _spell(rng, [rng.choice(_GROUP_OBJECTS)])
    else:
        word = _made_up(rng)
        obj = _Spelling(f"al-{word.canonical}", f"al-{word.variant}", f"ال{word.arabic}")
    name = f"{prefix.canonical} {obj.canonical}"
    bare = obj.canonical.removeprefix("al-")
    aliases = [
        f"{prefix.variant} {obj.variant}",
        f"{prefix.canonical} {bare}",
        _acronym(name),
        f"{bare} {_GROUP_PREFIX_ENGLISH[prefix.arabic]}",
        f"{prefix.arabic} {obj.arabic}",
    ]
    return name, aliases


def _umbrella(rng: random.Random) -> _Named:
    a = rng.choice(_UMBRELLA_A)
    (b_spellings, b_arabic) = rng.choice(_UMBRELLA_B)
    (c, c_arabic) = rng.choice(_UMBRELLA_C)
    where = f" in {rng.choice(_REGIONS)}" if rng.random() < 0.6 else ""
    name = f"{a} {b_spellings[0]} {c}{where}"
    aliases = [
        f"{a} {b_spellings[-1]} {c}{where}",
        _acronym(name),
        f"{c_arabic} {b_arabic} al-{_made_up(rng).canonical}",
    ]
    return name, aliases


def _state(rng: random.Random) -> _Named:
    word = _made_up(rng)
    suffix = rng.choice(_STATE_SUFFIXES)
    short = word.canonical.rstrip("aeiou") + suffix
    official = rng.choice(_STATE_FORMS).format(short)
    return short, [official, word.variant.rstrip("aeiou") + suffix, word.arabic]


def _with_state(states: Sequence[str], make: Callable[[random.Random, str], _Named]) -> _Maker:
    def maker(rng: random.Random) -> _Named:
        return make(rng, rng.choice(states))

    return maker


def _government_body(rng: random.Random, state: str) -> _Named:
    name, short, variant, acronym = rng.choice(_MINISTRIES)
    return f"{state} {name}", [f"{state} {short}", f"{variant} of {state}", f"{state} {acronym}"]


def _command(rng: random.Random, state: str) -> _Named:
    if rng.random() < 0.5:
        city = rng.choice(_PLACES)
        name = f"{city} Operations Command"
        return name, [_acronym(name), f"Qiyadat Amaliyat {city}", f"{city} Ops Command"]
    name = f"{state} {rng.choice(_DIRECTIONS)} Command"
    return name, [_acronym(name), name.replace(" Command", " Forces Command")]


def _outlet(rng: random.Random) -> _Named:
    word = _made_up(rng)
    form = rng.randrange(5)
    if form == 0:
        name = f"Al-{word.canonical} TV"
        return name, [f"Al {word.variant}", f"{word.canonical} TV", f"قناة ال{word.arabic}"]
    if form == 1:
        name = f"{word.canonical} News Agency"
        return name, [_acronym(name), f"{word.variant} Agency"]
    if form == 2:
        name = f"The {rng.choice(_CITIES)} {rng.choice(('Post', 'Observer', 'Times', 'Herald'))}"
        return name, [name.removeprefix("The ")]
    if form == 3:
        name = f"{word.canonical} Press"
        return name, [f"{word.variant} Press", f"{word.canonical} Press Agency"]
    name = f"Al-{word.canonical} Daily"
    return name, [f"Al-{word.variant}", f"{word.canonical} Daily", f"صحيفة ال{word.arabic}"]


def _channel(rng: random.Random) -> _Named:
    word = _made_up(rng)
    kind = rng.choice(("News", "Media", "Channel", "Front News", "Military Media"))
    name = f"{word.canonical} {kind}"
    return name, [f"@{_slug(name).replace('-', '_')}", f"{word.variant} {kind}"]


def _organisation(rng: random.Random) -> _Named:
    form = rng.randrange(4)
    if form == 0:
        name = f"Observatory for Human Rights in {rng.choice(_REGIONS)}"
    elif form == 1:
        name = f"{_made_up(rng).canonical} Monitoring Group"
    elif form == 2:
        name = f"{rng.choice(_CITIES)} Center for Strategic Studies"
    else:
        name = f"{_made_up(rng).canonical} Relief Mission"
    return name, [_acronym(name)]


@dataclass
class _Registry:
    """Unique actor ids and names, in the order they were made."""

    actors: list[Actor]
    ids: set[str]
    names: set[str]

    def add(self, rng: random.Random, kind: ActorKind, make: _Maker, description: str) -> str:
        for _ in range(30):
            name, aliases = make(rng)
            actor_id = _slug(name)
            if actor_id not in self.ids and name.lower() not in self.names:
                break
        else:  # the pools are exhausted for this kind: number the last candidate
            base, base_id = name, actor_id
            for n in itertools.count(2):
                name, actor_id = f"{base} {n}", f"{base_id}-{n}"
                if actor_id not in self.ids and name.lower() not in self.names:
                    break
        self.ids.add(actor_id)
        self.names.add(name.lower())
        unique = tuple(dict.fromkeys(a for a in aliases if a and a != name))
        self.actors.append(
            Actor(id=actor_id, name=name, kind=kind, aliases=unique, description=description)
        )
        return actor_id


def _kind_counts(total: int) -> dict[ActorKind, int]:
    counts = {kind: max(1, int(total * share)) for kind, share in _KIND_SHARES.items()}
    counts[ActorKind.PERSON] += total - sum(counts.values())
    while counts[ActorKind.PERSON] < 1:  # tiny graphs: take from the largest other kind
        largest = max((k for k in counts if k is not ActorKind.PERSON), key=counts.__getitem__)
        counts[largest] -= 1
        counts[ActorKind.PERSON] += 1
    return counts


# -- weighted draws ------------------------------------------------------------


_K = TypeVar("_K")


class _Choice(Generic[_K]):
    """A fixed weighted choice, drawn by bisection (``random.choices`` re-sums every call)."""

    def __init__(self, weights: dict[_K, float]) -> None:
        self.keys = list(weights)
        self.cum = list(itertools.accumulate(weights.values()))

    def __bool__(self) -> bool:
        return bool(self.keys)

    def pick(self, rng: random.Random) -> _K:
        return self.keys[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


class _Pool(_Choice[str]):
    """Actor ids with Zipf weights: a few prominent ones, a long tail."""

    @classmethod
    def of(cls, *parts: tuple[Sequence[str], float, float]) -> _Pool:
        """Each part is ``(ids by prominence, Zipf exponent, share of the draws)``."""
        weights: dict[str, float] = {}
        for members, exponent, share in parts:
            if not members:
                continue
            raw = [1.0 / (rank + 1) ** exponent for rank in range(len(members))]
            scale = share / sum(raw)
            weights.update((m, w * scale) for m, w in zip(members, raw, strict=True))
        return cls(weights)

    def distinct(self, rng: random.Random, k: int, exclude: Sequence[str]) -> list[str]:
        """``k`` different ids, none in ``exclude`` (fewer only if the pool has fewer)."""
        chosen: list[str] = []
        for _ in range(20 * k):
            if len(chosen) == k:
                return chosen
            candidate = self.pick(rng)
            if candidate not in chosen and candidate not in exclude:
                chosen.append(candidate)
        for candidate in self.keys:  # unlucky draws from a tiny pool: take the next in line
            if len(chosen) == k:
                break
            if candidate not in chosen and candidate not in exclude:
                chosen.append(candidate)
        return chosen


_PREDICATES = _Choice(_PREDICATE_WEIGHTS)
_STORY = _Choice(_STORIES)

# -- statements ------------------------------------------------------------------

_TEMPLATES: dict[Predicate, dict[str, tuple[str, ...]]] = {
    Predicate.COMMANDS: {
        "report": (
            "{sp} reported that {s} commands {o}.",
            "{s} is the commander of {o}, {sp} said.",
            "According to {sp}, {s} leads {o}.",
        ),
        "hedged": (
            "{sp} said {s} is believed to command {o}.",
            "Unconfirmed reports cited by {sp} say {s} heads {o}.",
        ),
        "deny": (
            "{sp} denied that {s} commands {o}.",
            "{sp} dismissed reports that {s} leads {o}.",
        ),
        "self_deny": ("{s} denied any command role in {o}.",),
        "admit": ("{s} confirmed leading {o} in a televised statement.",),
        "retract": ("{sp} withdrew its earlier report that {s} commands {o}.",),
    },
    Predicate.PART_OF: {
        "report": (
            "{sp} reported that {s} is part of {o}.",
            "{s} operates as a unit of {o}, {sp} said.",
            "According to {sp}, {s} is a member faction of {o}.",
        ),
        "hedged": (
            "{sp} said {s} is allegedly part of {o}.",
            "{sp} cited unconfirmed reports that {s} has joined {o}.",
        ),
        "deny": ("{sp} denied that {s} belongs to {o}.",),
        "self_deny": ("{s} denied being part of {o}.",),
        "admit": ("{s} announced that it operates within {o}.",),
        "retract": ("{sp} retracted its report that {s} is part of {o}.",),
    },
    Predicate.STRUCK: {
        "report": (
            "{sp} reported that {s} struck {o} at {place} {when}.",
            "{s} carried out the {kind} on {o} at {place} {when}, {sp} said.",
            "According to {sp}, {s} was behind the {kind} on {o} at {place}.",
        ),
        "hedged": (
            "{sp} cited unconfirmed reports that {s} struck {o} at {place} {when}.",
            "{sp} said {s} allegedly struck {o} near {place}.",
        ),
        "deny": ("{sp} denied that {s} was behind the {kind} on {o} at {place}.",),
        "self_deny": ("{s} denied carrying out the {kind} on {o} at {place} {when}.",),
        "admit": ("{s} said it carried out the {kind} on {o} at {place} {when}.",),
        "retract": (
            "{sp} corrected its earlier report and said {s} did not strike {o} at {place}.",
        ),
    },
    Predicate.KILLED_IN: {
        "report": (
            "{sp} reported that {s} was killed in the {kind} at {place} {when}.",
            "{s} was among those killed in the {kind} at {place} {when}, {sp} said.",
        ),
        "hedged": (
            "{sp} said {s} was reportedly killed in the {kind} at {place}.",
            "Unconfirmed reports relayed by {sp} said {s} died in the {kind} at {place}.",
        ),
        "deny": ("{sp} denied that {s} was killed in the {kind} at {place}.",),
        "self_deny": (
            "{s} appeared in a video saying he was alive, denying reports he was killed "
            "in the {kind} at {place}.",
        ),
        "admit": (),  # the dead do not confirm their death
        "retract": ("{sp} retracted its report that {s} had been killed at {place}.",),
    },
}


def _when(day: dt.date | None, precision: DatePrecision) -> str:
    if day is None:
        return ""
    if precision is DatePrecision.DAY:
        return f"on {day.day} {_MONTHS[day.month - 1]} {day.year}"
    if precision is DatePrecision.MONTH:
        return f"in {_MONTHS[day.month - 1]} {day.year}"
    return f"in {day.year}"


class _Statement(NamedTuple):
    """One attestation before it has a document."""

    day: int  # the proleptic ordinal of the day it was made
    seq: int  # generation order
    claim: str
    speaker: str
    stance: Stance
    hedged: bool
    sentence: str
    retraction: bool


_DENYING = frozenset({"deny", "self_deny", "retract"})
_OUTLETS = frozenset({ActorKind.MEDIA_OUTLET, ActorKind.CHANNEL})
_FIRST = (START - dt.timedelta(days=1)).toordinal()
_PERIOD = (END - START).days + 1


def _long_date(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


# -- records -------------------------------------------------------------------

_M = TypeVar("_M", bound=BaseModel)


def _trusted(model: type[_M], fields: dict[str, Any]) -> _M:
    """A record from fields the generator made valid, without validating them again.

    This is what ``model.model_construct(**fields)`` does, less its loop over
    aliases and defaults: ``fields`` holds every field, in the model's order.
    Validation is most of the cost at 100,000 claims; ``tests/unit/test_synthetic.py``
    re-validates every record of a generated batch and finds it equal, ids
    included: they are hashed here with ``content_id`` from the same parts as
    the models' validators hash them.
    """
    record = model.__new__(model)
    object.__setattr__(record, "__dict__", fields)
    object.__setattr__(record, "__pydantic_fields_set__", set(fields))
    object.__setattr__(record, "__pydantic_extra__", None)
    object.__setattr__(record, "__pydantic_private__", None)
    return record


# -- the generator ---------------------------------------------------------------


class _Generator:
    """The state of one generation; every draw comes from ``rng``, in a fixed order."""

    def __init__(self, rng: random.Random, actors: int) -> None:
        self.rng = rng
        self.random = rng.random
        self.registry = _Registry([], set(), set())
        self.events: list[Event] = []
        self.event_ids: dict[str, int] = {}
        self.claims: list[Claim] = []
        self.statements: list[_Statement] = []
        self.crises = [
            (_FIRST + 1 + self.below(_PERIOD - 28), 7 + self.below(22)) for _ in range(_CRISES)
        ]
        self._make_actors(actors)
        self.slugs = {a.name: _slug(a.name) for a in self.registry.actors}

    def below(self, n: int) -> int:
        """A number in ``range(n)`` (``randrange`` costs ten times as much)."""
        return int(self.random() * n)

    def one(self, items: Sequence[_K]) -> _K:
        return items[int(self.random() * len(items))]

    # actors -----------------------------------------------------------------

    def _make_actors(self, total: int) -> None:
        rng, reg = self.rng, self.registry
        counts = _kind_counts(total)
        add = reg.add
        n_umbrella = max(1, round(counts[ActorKind.ARMED_GROUP] * _UMBRELLA_SHARE))
        if counts[ActorKind.ARMED_GROUP] == 1:
            n_umbrella = 0
        states = [
            add(rng, ActorKind.STATE, _state, "A state (synthetic).")
            for _ in range(counts[ActorKind.STATE])
        ]
        state_names = [a.name for a in reg.actors]
        by_kind: dict[ActorKind, list[str]] = {ActorKind.STATE: states}
        makers: dict[ActorKind, tuple[_Maker, str]] = {
            ActorKind.GOVERNMENT_BODY: (
                _with_state(state_names, _government_body),
                "A government body (synthetic).",
            ),
            ActorKind.MILITARY_COMMAND: (
                _with_state(state_names, _command),
                "A military command (synthetic).",
            ),
            ActorKind.MEDIA_OUTLET: (_outlet, "A media outlet (synthetic)."),
            ActorKind.CHANNEL: (_channel, "A messaging-app channel (synthetic)."),
            ActorKind.ORGANISATION: (_organisation, "A monitoring or research body (synthetic)."),
            ActorKind.PERSON: (_person, "A person (synthetic)."),
        }
        for kind, (make, description) in makers.items():
            by_kind[kind] = [add(rng, kind, make, description) for _ in range(counts[kind])]
        self.umbrellas = [
            add(rng, ActorKind.ARMED_GROUP, _umbrella, "An umbrella of armed groups (synthetic).")
            for _ in range(n_umbrella)
        ]
        self.groups = [
            add(rng, ActorKind.ARMED_GROUP, _group, "An armed group (synthetic).")
            for _ in range(counts[ActorKind.ARMED_GROUP] - n_umbrella)
        ]
        by_kind[ActorKind.ARMED_GROUP] = self.groups + self.umbrellas
        # Prominence is random, not the order of making.
        for members in (*by_kind.values(), self.groups, self.umbrellas):
            rng.shuffle(members)
        self.kind = {a.id: a.kind for a in reg.actors}
        self.name = {a.id: a.name for a in reg.actors}
        self.spellings = {
            a.id: [n for n in a.names if n.isascii() and not n.startswith("@")] or [a.name]
            for a in reg.actors
        }
        k = by_kind
        persons = k[ActorKind.PERSON]
        commands = k[ActorKind.MILITARY_COMMAND]
        self.commanders = _Pool.of((persons, 0.7, 1.0))
        self.commanded = _Pool.of(
            (k[ActorKind.ARMED_GROUP], 0.8, 0.7),
            (commands, 0.8, 0.2),
            (k[ActorKind.GOVERNMENT_BODY], 0.8, 0.1),
        )
        self.members = _Pool.of((self.groups, 0.5, 0.85), (commands, 0.5, 0.15))
        self.wholes = _Pool.of((self.umbrellas, 1.0, 1.0))
        self.command_wholes = _Pool.of((k[ActorKind.GOVERNMENT_BODY], 1.0, 0.6), (states, 1.0, 0.4))
        self.strikers = _Pool.of(
            (states, 1.1, 0.35), (commands, 1.0, 0.25), (by_kind[ActorKind.ARMED_GROUP], 1.0, 0.4)
        )
        self.targets = _Pool.of(
            (by_kind[ActorKind.ARMED_GROUP], 1.0, 0.7), (commands, 1.0, 0.15), (states, 1.0, 0.15)
        )
        self.victims = _Pool.of((persons, 0.6, 1.0))
        self.speakers = _Pool.of(
            (k[ActorKind.MEDIA_OUTLET], 1.2, 0.4),
            (k[ActorKind.CHANNEL], 1.2, 0.12),
            (states, 1.0, 0.18),
            (commands, 1.0, 0.12),
            (k[ActorKind.GOVERNMENT_BODY], 1.0, 0.12),
            (k[ActorKind.ORGANISATION], 1.0, 0.06),
        )
        self.publishers = _Pool.of(
            (k[ActorKind.MEDIA_OUTLET], 1.2, 0.8), (k[ActorKind.CHANNEL], 1.2, 0.2)
        )

    def spelled(self, actor_id: str) -> str:
        """How a text names an actor: usually its name, sometimes another spelling."""
        names = self.spellings[actor_id]
        return names[0] if self.random() < 0.7 else self.one(names)

    # events -----------------------------------------------------------------

    def some_day(self) -> int:
        """The ordinal of a day in the period, most often within one of the crises."""
        if self.random() < _IN_CRISIS:
            first, length = self.one(self.crises)
            return first + self.below(length)
        return _FIRST + 1 + self.below(_PERIOD)

    def new_event(self, kind: EventKind) -> Event:
        day = dt.date.fromordinal(self.some_day())
        roll = self.random()
        if roll < 0.85:
            precision, stem = DatePrecision.DAY, day.isoformat()
        elif roll < 0.95:
            precision, day = DatePrecision.MONTH, day.replace(day=1)
            stem = day.isoformat()[:7]
        else:
            precision, day = DatePrecision.YEAR, day.replace(month=1, day=1)
            stem = str(day.year)
        place = self.one(_PLACES)
        base = f"{kind.value}-{_PLACE_SLUGS[place]}-{stem}"
        event_id = base
        while event_id in self.event_ids or event_id in self.registry.ids:
            self.event_ids[base] = self.event_ids.get(base, 1) + 1
            event_id = f"{base}-{self.event_ids[base]}"
        self.event_ids[event_id] = 1
        event = _trusted(
            Event,
            {
                "id": event_id,
                "kind": kind,
                "date": day,
                "date_precision": precision,
                "place": place,
                "at": None,
                "geo_precision": None,
                "description": f"{kind.value.capitalize()} at {place} (synthetic).",
                "sources": (),
            },
        )
        self.events.append(event)
        return event

    def some_event(self, p_new: float, kind: EventKind) -> Event:
        if not self.events or self.random() < p_new:
            return self.new_event(kind)
        return self.one(self.events)

    # claims -----------------------------------------------------------------

    def candidate(self, predicate: Predicate) -> tuple[str, str, Event | None] | None:
        rng = self.rng
        if predicate is Predicate.COMMANDS:
            if not self.commanders or not self.commanded:
                return None
            return self.commanders.pick(rng), self.commanded.pick(rng), None
        if predicate is Predicate.PART_OF:
            if self.members and self.wholes and self.random() < 0.85:
                return self.members.pick(rng), self.wholes.pick(rng), None
            if not self.members or not self.command_wholes:
                return None
            member = self.members.pick(rng)
            whole = self.command_wholes.pick(rng)
            return (member, whole, None) if self.kind[member] is not ActorKind.ARMED_GROUP else None
        if predicate is Predicate.STRUCK:
            subject, target = self.strikers.pick(rng), self.targets.pick(rng)
            if subject == target:
                return None
            armed = self.kind[subject] is ActorKind.ARMED_GROUP
            kind = EventKind.ATTACK if armed and self.random() < 0.8 else EventKind.STRIKE
            return subject, target, self.some_event(0.75, kind)
        kind = EventKind.STRIKE if self.random() < 0.6 else EventKind.ATTACK
        return self.victims.pick(rng), "", self.some_event(0.3, kind)

    def make_claims(self, total: int) -> None:
        rng = self.rng
        seen: set[tuple[str, Predicate, str, str | None]] = set()
        for _ in range(total):
            for _attempt in range(20):
                predicate = _PREDICATES.pick(rng)
                found = self.candidate(predicate)
                if found is None:
                    continue
                subject, obj, event = found
                if predicate is Predicate.KILLED_IN:
                    assert event is not None
                    obj = event.id
                key = (subject, predicate, obj, event.id if event else None)
                if key not in seen:
                    break
            else:  # saturated: a death in a new event is always a new claim
                predicate = Predicate.KILLED_IN
                event = self.new_event(EventKind.STRIKE)
                subject, obj = self.victims.pick(rng), event.id
                key = (subject, predicate, obj, event.id)
            seen.add(key)
            within = event.id if event and predicate is not Predicate.KILLED_IN else None
            claim = _trusted(
                Claim,
                {
                    "id": content_id("claim", subject, predicate.value, obj, within),
                    "subject": subject,
                    "predicate": predicate,
                    "object": obj,
                    "event": within,
                },
            )
            self.claims.append(claim)
            self.tell(claim, event)

    # who said what ------------------------------------------------------------

    def tell(self, claim: Claim, event: Event | None) -> None:
        """Make the statements about one claim, following a story picked at random."""
        rng, r, below = self.rng, self.random, self.below
        story = _STORY.pick(rng)
        if story == "admitted" and claim.predicate is Predicate.KILLED_IN:
            story = "corroborated"
        if event is not None and event.date is not None:
            base = event.date.toordinal() + below(_REPORT_LAG[event.date_precision] + 1)
            fields = {
                "kind": event.kind.value,
                "place": event.place,
                "when": _when(event.date, event.date_precision),
            }
        else:
            base = self.some_day()
            fields = {}
        subject, claim_id = claim.subject, claim.id
        fields["s"] = self.spelled(subject)
        if claim.object in self.kind:
            fields["o"] = self.spelled(claim.object)
        templates = _TEMPLATES[claim.predicate]
        out = self.statements

        def say(speaker: str, role: str, days: int, *, retraction: bool = False) -> None:
            hedged = role == "report" and r() < _HEDGE
            options = templates["hedged" if hedged else role]
            sentence = options[int(r() * len(options))].format(sp=self.spelled(speaker), **fields)
            stance = Stance.DENIED if role in _DENYING else Stance.REPORTED
            out.append(
                _Statement(
                    base + days, len(out), claim_id, speaker, stance, hedged, sentence, retraction
                )
            )

        speakers = self.speakers
        if story == "single":
            (reporter,) = speakers.distinct(rng, 1, [subject])
            say(reporter, "report", 0)
        elif story == "corroborated":
            for reporter in speakers.distinct(rng, self.one((2, 2, 2, 3, 3, 4, 5)), [subject]):
                say(reporter, "report", below(4))
        elif story == "admitted":
            say(subject, "admit", 0)
            for reporter in speakers.distinct(rng, below(3), [subject]):
                say(reporter, "report", below(4))
        elif story in {"contested", "denied"}:
            n_reporters = 1 + below(3) if story == "contested" else 0
            n_deniers = 2 if r() < 0.2 else 1
            self_denial = r() < (0.6 if claim.predicate is Predicate.STRUCK else 0.4)
            others = speakers.distinct(rng, n_reporters + n_deniers, [subject])
            reporters, deniers = others[:n_reporters], others[n_reporters:]
            for reporter in reporters:
                say(reporter, "report", below(4))
            if self_denial:
                say(subject, "self_deny", below(8))
                deniers = deniers[1:]
            for denier in deniers:
                say(denier, "deny", below(8))
            if not reporters and not deniers and not self_denial:
                say(subject, "self_deny", 0)  # a speaker pool too small to deny
        else:  # retracted: the first reporter takes it back, in a later document
            reporters = speakers.distinct(rng, 1 + below(3), [subject])
            for reporter in reporters:
                say(reporter, "report", below(4))
            low, high = _RETRACTION_DELAY
            say(reporters[0], "retract", low + below(high - low + 1), retraction=True)

    # documents ----------------------------------------------------------------

    def publisher(self, speaker: str) -> str:
        """Outlets publish their own statements; others are carried by an outlet."""
        if self.kind[speaker] in _OUTLETS:
            return self.name[speaker]
        return self.name[self.publishers.pick(self.rng)]

    def make_documents(self) -> tuple[list[Document], list[Attestation]]:
        """Gather each outlet's statements, in date order, into articles of a few each.

        A document spans at most ``_DOC_SPREAD`` days of statements and is dated by
        its latest one; a retraction comes at least ``_RETRACTION_DELAY[0]`` days
        after the report it takes back, so always in a later document.
        """
        by_publisher: dict[str, list[_Statement]] = {}
        for said in self.statements:
            by_publisher.setdefault(self.publisher(said.speaker), []).append(said)
        documents: list[Document] = []
        attestations: list[Attestation] = []
        seen: set[str] = set()
        for publisher, statements in by_publisher.items():
            statements.sort(key=_by_day)  # stable: same-day statements stay in order made
            chunk: list[_Statement] = []
            size, first = self.one(_DOC_SIZES), 0
            for statement in statements:
                if chunk and (len(chunk) >= size or statement.day - first > _DOC_SPREAD):
                    self.write_document(publisher, chunk, seen, documents, attestations)
                    chunk, size = [], self.one(_DOC_SIZES)
                if not chunk:
                    first = statement.day
                chunk.append(statement)
            if chunk:
                self.write_document(publisher, chunk, seen, documents, attestations)
        return documents, attestations

    def write_document(
        self,
        publisher: str,
        chunk: list[_Statement],
        seen: set[str],
        documents: list[Document],
        attestations: list[Attestation],
    ) -> None:
        dateless = self.random() < _DATELESS and not any(s.retraction for s in chunk)
        published = None if dateless else dt.date.fromordinal(chunk[-1].day)
        city = self.one(_CITIES)
        if published is None:
            header = f"{city} ({publisher})."
        else:
            header = f"{city}, {_long_date(published)} ({publisher})."
        body = " ".join([s.sentence for s in chunk])
        title = chunk[0].sentence
        if len(title) > 90:
            title = title[: title.rfind(" ", 0, 87)] + "..."
        day = published.isoformat() if published else "undated"
        url = f"https://{self.slugs[publisher]}.example/{day}/{len(documents) + 1}"
        for n in itertools.count(2):
            text = f"{header} {body}"
            doc_id = content_id("doc", text)
            if doc_id not in seen:  # the same text twice would be one document
                break
            header = f"{header.removesuffix('.')}, update {n}."
        assert normalise_text(text) == text, "synthetic text must already be normalised"
        seen.add(doc_id)
        documents.append(
            _trusted(
                Document,
                {
                    "id": doc_id,
                    "title": title,
                    "text": text,
                    "publisher": publisher,
                    "author": None,
                    "url": url,
                    "published": published,
                    "source": "synthetic",
                },
            )
        )
        offset = len(header) + 1
        for s in chunk:
            end = offset + len(s.sentence)
            attestations.append(
                _trusted(
                    Attestation,
                    {
                        "id": content_id(
                            "att", s.claim, s.speaker, s.stance.value, doc_id, offset, end
                        ),
                        "claim": s.claim,
                        "speaker": s.speaker,
                        "stance": s.stance,
                        "document": doc_id,
                        "quote": s.sentence,
                        "start": offset,
                        "end": end,
                        "hedged": s.hedged,
                        "date": published,
                    },
                )
            )
            offset = end + 1


def _by_day(statement: _Statement) -> int:
    return statement.day


def generate(*, actors: int, claims: int, seed: int = 0) -> GraphBatch:
    """A synthetic conflict graph: ``actors`` actors, ``claims`` claims, and who said them.

    The batch holds actors of every :class:`~actorgraph.graph.model.ActorKind`
    (Arabic-style made-up names with transliteration variants, ``al-`` and
    no-``al-`` forms, Arabic script and group acronyms as aliases); strikes and
    attacks from 2014 to 2024, dated to the day, month or year, at real places;
    ``commands``, ``part_of``, ``struck`` and ``killed_in`` claims whose
    endpoints are drawn with Zipf weights, so a few actors hold many claims;
    1 to 5 attestations per claim from distinct speakers (outlets, channels,
    states, commands, government bodies, organisations, or the claim's own
    subject), some hedged, some denials, some reports retracted later by
    their own speaker; and documents of a few attestations each, from the
    outlets, whose text holds every quote at its offsets. About 3% of the
    documents are undated, and their attestations carry no date.

    The derived statuses come out at about 31% reported, 32% confirmed, 25%
    contested and 12% denied. No mentions are generated.

    Every list in the batch is sorted by id, as a store's ``dump`` returns it,
    and the batch passes :func:`~actorgraph.graph.store.check_batch` on an empty
    store. 10,000 actors and 100,000 claims take about 3 seconds.

    Parameters
    ----------
    actors
        How many actors, at least one per kind (8).
    claims
        How many distinct claims (0 or more).
    seed
        The seed of the only random source, ``random.Random(seed)``: the same
        arguments always give an equal batch.

    Returns
    -------
    GraphBatch
        Actors, events, documents, claims and attestations; no mentions.

    Raises
    ------
    ValueError
        If ``actors`` is below the number of actor kinds or ``claims`` is negative.

    Examples
    --------
    >>> batch = generate(actors=40, claims=100, seed=7)
    >>> len(batch.actors), len(batch.claims)
    (40, 100)
    >>> batch == generate(actors=40, claims=100, seed=7)
    True
    >>> sorted({a.kind.value for a in batch.actors})  # doctest: +NORMALIZE_WHITESPACE
    ['armed_group', 'channel', 'government_body', 'media_outlet', 'military_command',
     'organisation', 'person', 'state']
    """
    if actors < len(ActorKind):
        raise ValueError(f"actors must be at least {len(ActorKind)} (one per kind), not {actors}")
    if claims < 0:
        raise ValueError(f"claims must not be negative, not {claims}")
    collecting = gc.isenabled()
    gc.disable()  # half a million new objects and no cycles: the collector would only cost
    try:
        gen = _Generator(random.Random(seed), actors)  # noqa: S311 (test data, not secrets)
        gen.make_claims(claims)
        documents, attestations = gen.make_documents()
    finally:
        if collecting:
            gc.enable()

    def by_id(record: Actor | Event | Document | Claim | Attestation) -> str:
        return record.id

    return GraphBatch(
        actors=sorted(gen.registry.actors, key=by_id),
        events=sorted(gen.events, key=by_id),
        documents=sorted(documents, key=by_id),
        claims=sorted(gen.claims, key=by_id),
        attestations=sorted(attestations, key=by_id),
        mentions=[],
    )
