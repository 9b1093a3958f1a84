"""The rule-based extractor's lexicon: word lists (``lexicon.yaml``) and the patterns of
news English that the passes match, each named for what it finds.

A pattern's name says where it looks: ``X_ROLE_OF_Y`` is matched on the words
between a mention X and the next mention Y ("X, the deputy leader of Y");
``_BEFORE`` patterns end where the text before a mention ends, ``_AFTER``
ones start where it starts.
"""

from __future__ import annotations

import re
from importlib.resources import files

import yaml

from actorgraph.graph.model import ActorKind
from actorgraph.names.normalise import LATIN_ARTICLES

_WORDS: dict[str, list[str]] = yaml.safe_load(
    files("actorgraph.extraction").joinpath("lexicon.yaml").read_text(encoding="utf-8")
)

CONNECTORS = LATIN_ARTICLES | frozenset(_WORDS["connectors"])
TITLES = frozenset(_WORDS["titles"])
DIRECTIONS = frozenset(_WORDS["directions"])
CALENDAR = frozenset(_WORDS["calendar"])
GROUP_WORDS = frozenset(_WORDS["group_words"])
DEMONYM_SUFFIXES = tuple(_WORDS["demonym_suffixes"])
GENERIC_PLACE_WORDS = frozenset(_WORDS["generic_place_words"])
PLACE_NOUNS = frozenset(_WORDS["place_nouns"])
LANDMARK_NOUNS = frozenset(_WORDS["landmark_nouns"])

# -- names --------------------------------------------------------------------------

TOKEN = re.compile(r"[^\W\d_][\w’'‘]*(?:[-‐‑–—][\w’'‘]+)*|\d+")
ARTICLE_FORM = re.compile(rf"^(?:{'|'.join(sorted(LATIN_ARTICLES))})[-‐‑–—]\w", re.IGNORECASE)
COMPOUND_ADJECTIVE = re.compile(r"[-‐‑–—][a-z][\w’']*$")
POSSESSIVE = re.compile(r"[’']s$")
JOIN = re.compile(r"^[ \u00a0]+[“\"‘]?$|^[”\"’][ \u00a0]+$|^[ \u00a0]*[“\"‘][ \u00a0]*$")
PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|outside|across|around|(?:north|south|east|west|northeast|northwest|"
    r"southeast|southwest)(?:ern)?\s+of)\s+(?:the\s+)?(?:(?:eastern|western|northern|southern|"
    r"central|capital|city\s+of|camp|base|town\s+of|village\s+of)\s+)?)$",
    re.IGNORECASE,
)

# -- events -------------------------------------------------------------------------

NAME_WORDS = r"[A-Z][\w’'-]*(?:\s+(?:al-)?[A-Z][\w’'-]*)*"
PLACE_POSSESSIVE = re.compile(
    rf"^[’']s\s+((?:eastern\s+|western\s+|northern\s+|southern\s+)?{NAME_WORDS})"
)
DIRECTION_OF = re.compile(
    r"\b(?:near|outside|around|(?:north|south|east|west|northeast|northwest|southeast|"
    r"southwest)(?:ern)?\s+of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
PLACE_MORE = re.compile(
    rf"^,?\s+(?i:(?:north|south|east|west|northeast|northwest|southeast|southwest)\s+of\s+)"
    rf"(?:the\s+)?{NAME_WORDS}"
)

STRIKE = re.compile(
    r"\b(?:air\s*strikes?|airstrikes?|drone\s+strikes?|missile\s+strikes?|strikes?|struck|"
    r"bomb(?:ed|ing|ings|s)?|shelling|shelled|drones?)\b",
    re.IGNORECASE,
)
ATTACK = re.compile(
    r"\b(?:attacks?|attacked|assassinations?|assassinated|ambush(?:ed)?|raids?)\b", re.IGNORECASE
)
TRIGGER = re.compile(rf"{STRIKE.pattern}|{ATTACK.pattern}|\b(?:killed|killing)\b", re.IGNORECASE)
# a comma that does not set off a name: "killed the leader, Qasem Soleimani, | resulting in"
NOT_A_NAME_COMMA = re.compile(r",(?!\s*[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3}\s*,)")
_NEARBY_EVENTS = 50
ANAPHORA = re.compile(r"\b(?:this|that|these|those|the)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
EARLIER = re.compile(
    r"\b(?:\d+\s*(?:hrs?|hours?)|(?:a|one|\d+)\s+days?)\s+(?:after|ago)\b", re.IGNORECASE
)
CLAUSE = re.compile(
    r";|\s[—–]\s|,\s+which\b|\bwhich\s+led\s+to\b|,\s+(?:the\s+)?(?:US|we)\s+have\b"
)
HYPOTHETICAL = re.compile(
    r"\b(?:would|could|will|might|if|any|threat(?:en|ens)?|vow(?:ed|s)?|warn(?:ed|s)?)\b",
    re.IGNORECASE,
)

# -- claims ---------------------------------------------------------------------------

ROLE = (
    r"(?:deputy\s+|top\s+|senior\s+|former\s+|military\s+|chief\s+|overall\s+|field\s+)*"
    r"(?:leader|commander|head|chief|secretary[- ]general|founder|second[- ]in[- ]command)"
)
X_ROLE_OF_Y = re.compile(
    rf"^\s*(?:\(|,|—|–)?\s*(?:who\s+(?:is|was)\s+|is\s+|was\s+)?(?:the\s+|a\s+|an\s+)?"
    rf"(?:[\w’'-]+\s+){{0,2}}?{ROLE}s?\s+(?:in\s+charge\s+)?(?:of|for|in|within)\s+(?:the\s+)?"
    rf"(?:[\w-]+[’']s\s+)?$",
    re.IGNORECASE,
)
Y_ROLE_X = re.compile(rf"^(?:[’']s)?\s+{ROLE}s?\s*,?\s*$", re.IGNORECASE)
ROLE_OF_BEFORE = re.compile(rf"\b{ROLE}\s+of\s+(?:the\s+)?$", re.IGNORECASE)
PRONOUN_ROLE_X = re.compile(rf"\b(?:their|its)\s+{ROLE}s?\s*,?\s*$", re.IGNORECASE)
X_LEADS_Y = re.compile(
    r"^\s*,?\s*(?:who\s+)?(?:leads|led|commands|commanded|heads|headed|founded)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
X_PART_OF_Y = re.compile(
    r"^\s*(?:\(|,|—|–)?\s*(?:which\s+(?:is|are)\s+|is\s+|are\s+|was\s+)?(?:a\s+|an\s+|the\s+|one\s+of\s+the\s+)?"
    r"(?:[\w’'-]+\s+){0,2}?(?:part|brigades?|units?|members?|factions?|wings?|militias?|"
    r"affiliates?|components?|groups?)\s+(?:of|in|within)\s+(?:the\s+)?(?:[\w-]+[’']s\s+)?$",
    re.IGNORECASE,
)
X_INTEGRATED_INTO_Y = re.compile(
    r"^\s*(?:[\w’'-]+\s+){0,4}?(?:is|are|was|were)\s+(?:\w+ly\s+)?(?:integrated|incorporated|"
    r"organi[sz]ed)\s+(?:into|in|within)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
X_OF_Y = re.compile(r"^\s+of\s+(?:the\s+)?(?:[\w-]+[’']s\s+)?$", re.IGNORECASE)
X_IS_A_Y = re.compile(r"^\s*(?:is|are|was)\s+(?:a|an|one)\s+(?:[\w’'-]+\s+)?$", re.IGNORECASE)
Y_GROUP_AFTER = re.compile(r"^\s*(?:militia|faction|group|brigade|unit|member)s?\b", re.IGNORECASE)
_STATES_PASSED = 3
"""How many countries in a row a relation may be read across ("of Iraq’s PMU": one)."""
Y_NTH_BRIGADE = re.compile(
    r"^(?:[’']s)?\s+\d+(?:st|nd|rd|th)\s+(?:brigade|division|regiment)", re.IGNORECASE
)
STRIKE_VERB = re.compile(
    r"\b(?:air\s*strikes?|airstrikes?|drone\s+strikes?|strikes?|struck|hit|hits|targeted|"
    r"targeting|targets|bombed|bombing|attacked|attacks?|attacking|raided)\b",
    re.IGNORECASE,
)
STRIKER_WORD = re.compile(
    rf"{STRIKE.pattern}|{ATTACK.pattern}|\b(?:killed|kills|assassinated)\b", re.IGNORECASE
)
BY = re.compile(
    r"\s+(?:(?:was|were)\s+)?(?:(?:carried\s+out|conducted|launched)\s+by|attributed\s+to|by)"
    r"\s+(?:the\s+|an?\s+)?"
)
KILL_ACTIVE = re.compile(r"\b(?:kill|kills|killed|killing)\b", re.IGNORECASE)
MEMBERS_OF = re.compile(
    r"\s+(?:a|an|the|two|three|four|five|six|several|many|\d+)?\s*"
    r"(?:senior\s+|top\s+|high[- ]ranking\s+|prominent\s+)?",
    re.IGNORECASE,
)
MEMBERS = re.compile(
    r"\s*(?:commanders?|leaders?|members?|fighters?|officials?|operatives?)\b", re.IGNORECASE
)
STRIKE_NOUN = re.compile(
    r"(?:air\s*strikes?|airstrikes?|drone\s+strikes?|strikes?|attacks?|bombing)", re.IGNORECASE
)
ON_TARGET = re.compile(r"\b(?:on|against|targeting|targeted|at)\b", re.IGNORECASE)
PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
OBJECT_BEFORE = re.compile(r"\b(?:on|against|targeting|at)\s+(?:the\s+)?$", re.IGNORECASE)
KILL = re.compile(
    r"\b(?:killed|killing|kills|kill|dead|died|assassinated|assassination\s+of|martyred|"
    r"among\s+(?:the|those)\s+(?:dead|killed))\b",
    re.IGNORECASE,
)
DEAD_OR_ALIVE = re.compile(r"\b(?:dead\s+or\s+alive|alive\s+or\s+dead)\b", re.IGNORECASE)
ALIVE = re.compile(r"\b(?:is|was|be|being|still|remains?)\s+alive\b", re.IGNORECASE)
KILLED_LINK = re.compile(
    r"^(?:\s*,)?\s*(?:(?:who\s+)?(?:was|were|is|are|has\s+been|have\s+been|had\s+been)\s+)?"
    r"(?:also\s+|reportedly\s+|both\s+|allegedly\s+|among\s+)*$",
    re.IGNORECASE,
)

# -- speakers and stance -------------------------------------------------------------

SAY = (
    r"(?:said|says|say|told|tells|reported|reports|reporting|is\s+reporting|are\s+reporting|"
    r"confirmed|confirms|announced|announces|claimed|claims|stated|states|tweeted|wrote|writes|"
    r"indicated|added|acknowledged|admitted|owned\s+up|insisted|denied|denies|deny|denying|"
    r"rejected|dismissed|retracted|mourned)"
)
SPEAKER_AFTER = re.compile(
    rf"^(?:[’']s)?\s*(?:\([^)]*\)\s*)?(?:(?:and\s+)?(?:[\w’'-]+\s+){{0,6}}?)?(?:(?:has|have|had|was|were|is|are|later|also|has\s+since|since|initially|quickly)\s+)*{SAY}\b",
    re.IGNORECASE,
)
SPEAKER_STATEMENT = re.compile(
    r"^(?:[’']s)?\s+(?:statement|spokesman|spokesperson|spokeswoman|source|sources|official|"
    r"officials|denials?|account)\b",
    re.IGNORECASE,
)
ACCORDING_TO = re.compile(
    r"\baccording\s+to\s+(?:an?\s+|the\s+)?(?:[\w’'-]+\s+){0,3}?$", re.IGNORECASE
)
SAID_BEFORE = re.compile(rf"\b{SAY}\s+(?:by\s+)?(?:the\s+|an?\s+)?$", re.IGNORECASE)
DENY = re.compile(
    r"\b(?:den(?:y|ies|ied|ying|ial|ials)|rejected|refuted|dismissed|retract(?:ed|s|ion)?|"
    r"withdr[ae]w|walked\s+back|not\s+true|false\s+reports?)\b",
    re.IGNORECASE,
)
HEDGE = re.compile(
    r"\b(?:unconfirmed|reportedly|allegedly|alleged|said\s+to\s+be|possibly|possible|apparently|"
    r"unverified|purportedly|believed\s+to|may\s+have|might\s+have|claimed\s+to|initially\s+identified|"
    r"it\s+is\s+not\s+known|rumou?rs?)\b",
    re.IGNORECASE,
)
RESPONSIBILITY = re.compile(r"\b(?:responsib\w+|involvement|carrying\s+out|behind)\b", re.I)

ATTACKER_KINDS = frozenset(
    {ActorKind.STATE, ActorKind.MILITARY_COMMAND, ActorKind.ARMED_GROUP, ActorKind.GOVERNMENT_BODY}
)
TARGET_KINDS = frozenset({ActorKind.ARMED_GROUP, ActorKind.MILITARY_COMMAND})
GROUP_KINDS = frozenset({ActorKind.ARMED_GROUP, ActorKind.MILITARY_COMMAND})

# -- places -------------------------------------------------------------------------

# Where a name stands for a place, not for the state or body of that name ("in Iraq", "north
# of Baghdad", not "Iraq said"): after one of these, allowing an article and an adjective.
LOCATIVE = re.compile(
    r"\b(?:in|at|near|across|into|inside|outside|around|(?<!according\s)to|throughout|"
    r"within|towards?|via|over|between|borders?\s+with|"
    r"(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of|"
    r"outskirts\s+of|(?:city|town|province|governorate|capital)\s+of)"
    r"\s+(?:the\s+)?(?:(?:central|neighbouring|neighboring|(?:north|south|east|west)"
    r"(?:-?(?:east|west))?(?:ern)?)\s+)?$",
    re.IGNORECASE,
)
# Before a place, what puts an event near it rather than at it ("near Camp Taji", "north of
# Baghdad", "on the outskirts of Mosul").
NEAR_PLACE = re.compile(
    r"^\s*(?:the\s+)?(?:near|outside|around|close\s+to|just\s+(?:outside|off)|off|on\s+the\s+"
    r"(?:outskirts|edge|road|highway)\s+(?:of|to)|(?:(?:north|south|east|west|northeast|"
    r"northwest|southeast|southwest)(?:ern)?|miles|kilometres|kilometers|km)\s+(?:\w+\s+)?of)\b",
    re.IGNORECASE,
)
PLACE_LIST = re.compile(r"\s*(?:,|,?\s+and|,?\s+or)\s+")
"""Between two places of one list: "in Iraq and Syria"."""
LANDMARK_AFTER = re.compile(rf"^\s+(?:{'|'.join(sorted(LANDMARK_NOUNS))})s?\b")

# -- casualty figures ---------------------------------------------------------------
# How a sentence says how many died or were hurt (the rule: extraction/casualties.py).

NUMBER_UNITS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand"
)
NUMBER_WORDS = rf"(?:{NUMBER_UNITS})(?:[\s-]+(?:{NUMBER_UNITS}))*"
VAGUE_COUNTS = {
    "several": (3, None),
    "dozens": (24, None),
    "dozens of": (24, None),
    "scores": (40, None),
    "scores of": (40, None),
    "hundreds": (200, None),
    "hundreds of": (200, None),
    "a dozen": (12, 12),
    "both": (2, 2),
    "a single": (1, 1),
    "another": (1, 1),
}
QUANTITY = re.compile(
    r"(?<![\w:.,-])(?:(?P<mod>at\s+least|more\s+than|over|up\s+to|nearly|almost|about|around|"
    r"some|roughly|fewer\s+than|as\s+many\s+as|(?P<between>between))\s+)?"
    rf"(?:all\s+)?(?P<n>\d[\d,]*|{NUMBER_WORDS}|several|dozens(?:\s+of)?|"
    r"scores(?:\s+of)?|hundreds(?:\s+of)?|a\s+dozen|both|a\s+single|another)"
    rf"(?(between)\s+and\s+(?P<upper>\d[\d,]*|{NUMBER_WORDS}))"
    r"(?![\w:-]|[.,]\d)",
    re.IGNORECASE,
)
NOT_A_COUNT_AFTER = re.compile(
    r"^\s+(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|km|kilomet|mile|metre|meter|"
    r"hours?|days?|weeks?|months?|years?|minutes?|p\.?m|a\.?m|per\s*cent)(?![\w])|^\s*%",
    re.IGNORECASE,
)
MONTH_BEFORE = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\s+$",
    re.IGNORECASE,
)
DEATH_WORDS = (
    r"killed|killing|kills|dead|deaths?|died|die|dies|martyrs?|martyred|martyrdom|"
    r"lost\s+their\s+lives|bodies|corpses"
)
INJURY_WORDS = r"wounded|wounding|injured|injuring|injur(?:y|ies)|hurt|wounds"
DEATH_OR_INJURY = re.compile(
    rf"\b(?:(?P<death>{DEATH_WORDS})|(?P<injury>{INJURY_WORDS}))\b", re.IGNORECASE
)
DIED_OF_WOUNDS = re.compile(r"\bdied\s+(?:later\s+)?of\s+(?:their|his|her)\s+wounds\b", re.I)
COUNT_VERB_BEFORE = re.compile(
    r"\b(?:(?P<death>killed|killing|kills|martyred|toll\s+(?:at|of|to|rose\s+to|stood\s+at)"
    r"|figure\s+at|number\s+of\s+(?:dead|deaths|victims)\s+(?:at|to)|(?:death|casualty)\s+toll\s+of)"
    r"|(?P<injury>wounded|wounding|injured|injuring))\s+(?:at\s+least\s+|more\s+than\s+)?$",
    re.IGNORECASE,
)
SHARE_AFTER = re.compile(
    r"^\s+of\s+(?:them|whom|those|the\s+(?:dead|wounded|injured|killed))\b", re.IGNORECASE
)
THINGS_AFTER = re.compile(
    r"^(?:\s+[\w’'.-]+){0,3}?\s+(?:vehicles?|cars?|SUVs?|trucks?|convoys?|sites?|targets?|"
    r"facilities|facility|locations?|depots?|bases?|buildings?|rockets?|missiles?|drones?|"
    r"bombs?|shells?|strikes?|raids?|aircraft|planes?|times)\b",
    re.IGNORECASE,
)
AMONG_BEFORE = re.compile(r"\bamong\s+(?:the\s+)?$", re.IGNORECASE)
COUNTS_JOINED = re.compile(r"^[^,;:]*?\s(?:and|plus)\s*$", re.IGNORECASE)
COUNT_STOP = re.compile(r"[;:]|\s[—–]\s")
PERSONS = re.compile(
    r"\b(?:people|persons?|men|women|children|others|individuals|civilians?|contractors?|"
    r"fighters?|militiamen|militants?|members?|soldiers?|troops|service\s*(?:wo)?m[ae]n|"
    r"commanders?|leaders?|officers?|officials?|advisers?|advisors?|guards?|brothers|"
    r"reservists?|policemen|personnel|guests?|figures|iranians|iraqis|americans|"
    r"martyrs?|dead|wounded|injured|killed)\b",
    re.IGNORECASE,
)
CIVILIANS = re.compile(r"\b(?:civilians?|contractors?)\b", re.IGNORECASE)
COMBATANTS = re.compile(
    r"\b(?:fighters?|militiamen|militants?|members?|soldiers?|troops|service\s*(?:wo)?m[ae]n|"
    r"commanders?|leaders?|officers?|advisers?|advisors?|guards?|brothers|reservists?|"
    r"policemen|personnel|martyrs?|martyred)\b",
    re.IGNORECASE,
)
UNKNOWN_WHOM = re.compile(r"\b(?:people|persons?|others|individuals|guests?)\b", re.I)
NO_ONE = re.compile(
    r"\b(?P<none>no|nobody|no\s+one|none)\b"
    r"(?:\s+(?:sign|signs|indications?|reports?)\s+(?:at\s+present\s+)?of)?"
    r"(?:\s+collateral\s+damage\s+or)?"
    r"(?P<civilians>\s+civilians?)?\s+"
    r"(?:(?P<casualties>casualties)"
    r"|(?:was|were|had\s+been|has\s+been|have\s+been)\s+(?:\w+\s+)?"
    r"(?:(?P<harmed>harmed|hurt)|(?P<killed>killed|among\s+(?:them|the\s+dead))"
    r"|(?P<injured>injured|wounded)))\b",
    re.IGNORECASE,
)
