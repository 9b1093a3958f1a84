"""The rule-based :class:`~actorgraph.extraction.results.Extractor`, built from general rules
of news English, not from the articles it is measured on (``actorgraph evaluate``).

It reads a document in four passes, each a module of this package (and names places
with :mod:`~actorgraph.extraction.places`):

1. **Mentions** (:mod:`~actorgraph.extraction.mentions`): known actors in any
   spelling, and candidates -- names that resolve to no one;
2. **Events** (:mod:`~actorgraph.extraction.events`): strikes and attacks
   with their date and place, one event per real one;
3. **Claims** (:mod:`~actorgraph.extraction.claims`): ``commands``,
   ``part_of``, ``struck``, ``killed_in``; and each sentence's casualty figures
   (:mod:`~actorgraph.extraction.casualties`);
4. **Speakers and stance** (:mod:`~actorgraph.extraction.speakers`): who
   says each, whether they deny it, whether it is hedged.
"""

from __future__ import annotations

from collections.abc import Iterable

from actorgraph.extraction.claims import Claims
from actorgraph.extraction.events import Events
from actorgraph.extraction.mentions import Mentions
from actorgraph.extraction.places import Gazetteer
from actorgraph.extraction.results import Candidate, Extraction
from actorgraph.extraction.spans import ByStart
from actorgraph.extraction.text import sentences
from actorgraph.graph.model import Actor, Document, Event, Place


class RuleExtractor:
    """The rule-based :class:`~actorgraph.extraction.results.Extractor`.

    Parameters
    ----------
    actors
        The known actors, with their aliases: what mentions resolve to.
    events
        Events already known (in the store): a document telling of one of
        them again gets its id instead of a new event.
    places
        The curated places: what place names, and the places of new events, resolve to.

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

    def __init__(
        self, actors: Iterable[Actor], events: Iterable[Event] = (), places: Iterable[Place] = ()
    ) -> None:
        self.actors = {a.id: a for a in actors}
        self._mentions = Mentions(self.actors)
        self._places = Gazetteer(places)
        self._events = Events(events, self._places)

    def remember(self, events: Iterable[Event]) -> None:
        self._events.remember(events)

    def extract(self, document: Document) -> Extraction:
        text = document.text
        sents = sentences(text)
        mentions, candidates, place_spans = self._mentions.find(text, sents)
        speakers: list[Actor] = []
        publisher = self._mentions.publisher(document, speakers)
        events, told = self._events.find(document, sents, mentions, place_spans)
        reading = Claims(self.actors, document, sents, mentions, events, told, publisher)
        claims = reading.run()
        places = self._places.mentioned(text, mentions)
        placed, named = ByStart(places), ByStart(mentions)
        unplaced = [
            Candidate(s.text, s.start, s.end)
            for s in place_spans
            if not placed.overlapping(s.start, s.end) and not named.overlapping(s.start, s.end)
        ]
        # a place is no candidate actor: "al-Tanf"
        candidates = [c for c in candidates if not placed.overlapping(c.start, c.end)]
        return Extraction(
            document,
            mentions,
            candidates,
            events,
            claims,
            speakers,
            places,
            unplaced,
            reading.casualties,
        )
