"""From article text to mentions, candidates, places, events, claims and who said what.

:class:`~actorgraph.extraction.results.Extractor` is the interface: a document
in, an :class:`~actorgraph.extraction.results.Extraction` out, nothing
written. :class:`~actorgraph.extraction.rules.RuleExtractor` is its first
implementation; a statistical or LLM extractor can take its place behind the
same interface.
"""

from actorgraph.extraction.matching import Telling, event_id, same_event
from actorgraph.extraction.results import (
    Candidate,
    Extraction,
    Extractor,
    FoundClaim,
    FoundEvent,
    FoundMention,
    FoundPlace,
    Said,
)
from actorgraph.extraction.rules import RuleExtractor

__all__ = [
    "Candidate",
    "Extraction",
    "Extractor",
    "FoundClaim",
    "FoundEvent",
    "FoundMention",
    "FoundPlace",
    "RuleExtractor",
    "Said",
    "Telling",
    "event_id",
    "same_event",
]
