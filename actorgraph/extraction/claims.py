"""The third and fourth passes: what each sentence claims, who says it, and how.

``commands``, ``part_of``, ``struck`` and ``killed_in`` from the words between
two mentions ("X, the deputy leader of Y", "Y’s 40th Brigade", "US air
strikes targeting Y") and around a kill word; each said by the sentence's
speaker (:mod:`~actorgraph.extraction.speakers`), ``denied`` for a denial or
"X confirmed he was alive", ``hedged`` for "unconfirmed", "reportedly",
"allegedly", "said to be".
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from itertools import pairwise

from actorgraph.extraction.casualties import figures
from actorgraph.extraction.events import Told, recent
from actorgraph.extraction.lexicon import (
    ALIVE,
    ATTACK,
    ATTACKER_KINDS,
    BY,
    DEAD_OR_ALIVE,
    GROUP_KINDS,
    HEDGE,
    KILL,
    KILL_ACTIVE,
    KILLED_LINK,
    MEMBERS,
    MEMBERS_OF,
    OBJECT_BEFORE,
    ON_TARGET,
    PASSIVE,
    PLACE_BEFORE,
    PRONOUN_ROLE_X,
    RESPONSIBILITY,
    ROLE_OF_BEFORE,
    SAY,
    STRIKE_NOUN,
    STRIKE_VERB,
    STRIKER_WORD,
    TARGET_KINDS,
    X_INTEGRATED_INTO_Y,
    X_IS_A_Y,
    X_LEADS_Y,
    X_OF_Y,
    X_PART_OF_Y,
    X_ROLE_OF_Y,
    Y_GROUP_AFTER,
    Y_NTH_BRIGADE,
    Y_ROLE_X,
)
from actorgraph.extraction.results import FoundClaim, FoundEvent, FoundFigure, FoundMention, Said
from actorgraph.extraction.spans import ByStart
from actorgraph.extraction.speakers import introduces, voice
from actorgraph.extraction.text import Sentence
from actorgraph.graph.model import Actor, ActorKind, Claim, Document, Predicate, Stance

_STATES_PASSED = 3
"""How many countries in a row a relation may be read across ("of Iraq’s PMU": one)."""


class Claims:
    """The claims of one document, sentence by sentence."""

    def __init__(
        self,
        actors: Mapping[str, Actor],
        document: Document,
        sents: list[Sentence],
        mentions: list[FoundMention],
        events: list[FoundEvent],
        told: list[Told],
        publisher: str | None,
    ) -> None:
        self.actors = actors
        self.text = document.text
        self.published = document.published
        self.sents = sents
        self.events = events
        self.told = told
        self.told_starts = [start for start, _, _ in told]
        self.named = ByStart(mentions)
        self.publisher = publisher
        self.found: dict[str, FoundClaim] = {}
        self.responsibility_denials: list[tuple[str, FoundEvent | None, Sentence, bool]] = []
        self.casualties: list[FoundFigure] = []
        """The casualty figures each sentence's speaker gives, on the event each tells of."""

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
            if s_start < start and recent(event, self.published):
                return event
        return None

    def run(self) -> list[FoundClaim]:
        carried: tuple[str, int] | None = None  # a speaker introducing the next paragraph
        for sent in self.sents:
            ms = self.named.within(sent.start, sent.end)
            said_by = voice(self.text, sent, ms)
            speaker = said_by.speaker
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
            if said_by.speaker is not None and introduces(sent.text):
                carried = (said_by.speaker, sent.paragraph)
            elif carried is not None and sent.paragraph > carried[1] + 1:
                carried = None
            event = self.event_at(sent.start, sent.end)
            hedged = HEDGE.search(sent.text) is not None
            stance = Stance.DENIED if said_by.denies else Stance.REPORTED
            said = []
            if speaker is not None:
                said = self._claims(sent, ms, event, speaker)
                for subject, predicate, obj, claim_event in said:
                    self._add(subject, predicate, obj, claim_event, speaker, stance, hedged, sent)
            self._alive(sent, ms, event, hedged)
            if speaker is not None:
                self._figures(sent, speaker)
            denial = RESPONSIBILITY.search(sent.text) or ATTACK.search(sent.text)
            if said_by.denies and said_by.speaker is not None and not said and denial:
                self.responsibility_denials.append((said_by.speaker, event, sent, hedged))
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

    def _figures(self, sent: Sentence, speaker: str) -> None:
        for figure in figures(sent.text):
            event = self.event_at(sent.start + figure.start)  # its clause's event
            if event is not None:
                found = FoundFigure(event, speaker, figure, sent.text, sent.start, sent.end)
                self.casualties.append(found)

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

    # -- what is claimed -------------------------------------------------------------

    def _claims(
        self, sent: Sentence, ms: list[FoundMention], event: FoundEvent | None, speaker: str
    ) -> list[tuple[str, Predicate, str, str | None]]:
        out: list[tuple[str, Predicate, str, str | None]] = []
        text = self.text
        for a, b in self._pairs(ms):
            gap = text[a.end : b.start]
            ka, kb = self.kind(a), self.kind(b)
            role = X_ROLE_OF_Y.match(gap) or X_LEADS_Y.match(gap)
            if ka is ActorKind.PERSON and kb in GROUP_KINDS and role:
                out.append((a.actor, Predicate.COMMANDS, b.actor, None))
                both = ms.index(a)  # "A and B, both commanders within C"
                if both and re.match(r"\s*,?\s*both\b", gap) is not None:
                    other = ms[both - 1]
                    if self.kind(other) is ActorKind.PERSON and re.fullmatch(
                        r"\s*(?:,\s*)?and\s*", text[other.end : a.start]
                    ):
                        out.append((other.actor, Predicate.COMMANDS, b.actor, None))
            if ka in GROUP_KINDS and kb is ActorKind.PERSON and Y_ROLE_X.match(gap):
                out.append((b.actor, Predicate.COMMANDS, a.actor, None))
            if ka in GROUP_KINDS and kb in GROUP_KINDS:
                after = text[b.end : b.end + 40]
                if (
                    X_PART_OF_Y.match(gap)
                    or X_INTEGRATED_INTO_Y.match(gap)
                    or X_OF_Y.match(gap)
                    or (X_IS_A_Y.match(gap) and Y_GROUP_AFTER.match(after))
                ):
                    out.append((a.actor, Predicate.PART_OF, b.actor, None))
        for a, b in pairwise(ms):
            # "the leader of the Imam Ali Brigades, Shubul al-Zaidi"
            if (
                self.kind(a) in GROUP_KINDS
                and self.kind(b) is ActorKind.PERSON
                and ROLE_OF_BEFORE.search(text[max(sent.start, a.start - 50) : a.start])
                and re.fullmatch(r"\s*,\s*", text[a.end : b.start])
            ):
                out.append((b.actor, Predicate.COMMANDS, a.actor, None))
        for i, m in enumerate(ms):
            k = self.kind(m)
            if k is ActorKind.PERSON and PRONOUN_ROLE_X.search(text[sent.start : m.start]):
                group = next((g for g in reversed(ms[:i]) if self.kind(g) in GROUP_KINDS), None)
                if group is not None:
                    out.append((m.actor, Predicate.COMMANDS, group.actor, None))
            if k in GROUP_KINDS and Y_NTH_BRIGADE.match(text[m.end : m.end + 40]):
                unit = next((g for g in reversed(ms[:i]) if self.kind(g) in GROUP_KINDS), None)
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
        attackers = [m for m in ms if self.kind(m) in ATTACKER_KINDS]
        for word in STRIKER_WORD.finditer(sent.text):
            at, end = sent.start + word.start(), sent.start + word.end()
            before = [m for m in attackers if m.end <= at]
            passive = PASSIVE.search(self.text[sent.start : at]) is not None
            if before and _words(self.text[before[-1].end : at]) <= 2 and not passive:
                return before[-1].actor
            by = BY.match(self.text, end, sent.end)
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
        for verb in STRIKE_VERB.finditer(sent.text):
            at, end = sent.start + verb.start(), sent.start + verb.end()
            if any(m.start <= at < m.end for m in ms):
                continue
            if PASSIVE.search(text[sent.start : at]):  # "the convoy was hit by US drones"
                by = re.match(r"\s+by\s+(?:the\s+)?", text[end : sent.end])
                attacker = next(
                    (
                        m
                        for m in ms
                        if by and m.start == end + by.end() and self.kind(m) in ATTACKER_KINDS
                    ),
                    None,
                )
                target = next(
                    (
                        m
                        for m in reversed(ms)
                        if m.end <= at
                        and self.kind(m) in TARGET_KINDS
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
            noun = STRIKE_NOUN.fullmatch(verb.group(0)) is not None
            target = next(
                (
                    m
                    for m in ms
                    if end <= m.start < clause_end
                    and m.actor != attacker.actor
                    and self.kind(m) in TARGET_KINDS | {ActorKind.PERSON}
                    and _words(text[end : m.start]) <= 20
                    # "a US drone attack ordered by Trump": a strike's target follows "on"
                    and (not noun or ON_TARGET.search(text[end : m.start]) is not None)
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
        for kill in KILL_ACTIVE.finditer(sent.text):
            at, end = sent.start + kill.start(), sent.start + kill.end()
            if PASSIVE.search(text[sent.start : at]):
                continue
            group = next((m for m in ms if m.start >= end), None)
            if (
                group is None
                or self.kind(group) not in TARGET_KINDS
                or not MEMBERS_OF.fullmatch(text[end : group.start])
                or not MEMBERS.match(text, group.end)
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
            self.kind(m) in ATTACKER_KINDS
            and not PLACE_BEFORE.search(text[max(sent.start, m.start - 30) : m.start])
            and not OBJECT_BEFORE.search(text[max(sent.start, m.start - 15) : m.start])
            and not re.search(rf"\b{SAY}\b", text[m.end : at], re.IGNORECASE)
        )

    def _killed(
        self, sent: Sentence, ms: list[FoundMention], event: FoundEvent | None, speaker: str
    ) -> list[tuple[str, Predicate, str, str | None]]:
        if DEAD_OR_ALIVE.search(sent.text):
            return []
        text = self.text
        people = [m for m in ms if self.kind(m) is ActorKind.PERSON and m.actor != speaker]
        killed: dict[str, FoundEvent] = {}
        for kill in KILL.finditer(sent.text):
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
                if (KILLED_LINK.match(gap) and not (active and _words(gap) == 0)) or re.search(
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
        alive = ALIVE.search(sent.text)
        if alive is None or DEAD_OR_ALIVE.search(sent.text):
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
