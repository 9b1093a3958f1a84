"""The graph as a STIX 2.1 bundle: actors are identities, events incidents (``located-at``
their place, a location), claims relationships, documents reports; each report's words a
note, each denial an opinion that strongly disagrees with the relationship. Ids derive from
actorgraph's, so they are stable.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

import stix2

from actorgraph.graph.model import ActorKind, Attestation, Stance, chronological, derive_status
from actorgraph.graph.store import GraphBatch

_NAMESPACE = uuid.UUID("6f1c1d3e-6b43-5a2e-9a53-7c1d4c0f6a11")  # ids stable across exports
_IDENTITY_CLASS = {ActorKind.PERSON: "individual", ActorKind.ARMED_GROUP: "group"}


def _stix_id(kind: str, our_id: str) -> str:
    return f"{kind}--{uuid.uuid5(_NAMESPACE, our_id)}"


def _timestamp(day: dt.date | None) -> dt.datetime:
    return dt.datetime.combine(day or dt.date(1970, 1, 1), dt.time(), tzinfo=dt.timezone.utc)


def stix_bundle(graph: GraphBatch) -> stix2.Bundle:
    """The graph as a STIX 2.1 bundle; ids derive from actorgraph's, so they are stable."""
    names = {a.id: a.name for a in graph.actors}
    objects: list[Any] = [
        stix2.Identity(
            id=_stix_id("identity", a.id),
            name=a.name,
            identity_class=_IDENTITY_CLASS.get(a.kind, "organization"),
            description=f"{a.kind.value}; also known as: {', '.join(a.aliases) or 'nothing else'}",
        )
        for a in graph.actors
    ]
    objects += [
        stix2.Incident(
            id=_stix_id("incident", e.id),
            name=e.label,
            description=f"{e.kind.value}; date {e.date or 'unknown'}; place {e.place or 'unknown'}",
        )
        for e in graph.events
    ]
    objects += _locations(graph)
    events = {e.id for e in graph.events}

    def ref(node: str) -> str:
        return _stix_id("incident" if node in events else "identity", node)

    said = attestations_by_claim(graph)
    relationship: dict[str, str] = {}
    for claim in graph.claims:
        status = derive_status(claim.subject, said[claim.id]).value if said[claim.id] else ""
        rel = stix2.Relationship(
            id=_stix_id("relationship", claim.id),
            relationship_type=claim.predicate.terms.stix,
            source_ref=ref(claim.subject),
            target_ref=ref(claim.object),
            description=f"status: {status}" + (f"; in {claim.event}" if claim.event else ""),
        )
        relationship[claim.id] = rel.id
        objects.append(rel)
    attested: dict[str, list[Attestation]] = defaultdict(list)
    for att in graph.attestations:
        attested[att.document].append(att)
    named: dict[str, set[str]] = defaultdict(set)
    for mention in graph.mentions:
        named[mention.document].add(ref(mention.actor))
    for doc in graph.documents:
        atts = attested[doc.id]
        # what the report is about: its claims, else the actors it names (STIX needs one)
        refs = sorted({relationship[a.claim] for a in atts if a.claim in relationship})
        refs = refs or sorted(named[doc.id])
        if not refs:
            continue  # a document that names no known actor says nothing STIX can hold
        report = stix2.Report(
            id=_stix_id("report", doc.id),
            name=doc.title,
            published=_timestamp(doc.published),
            report_types=["threat-report"],
            description=f"{doc.publisher or 'unknown publisher'}; actorgraph id {doc.id}",
            object_refs=refs,
            external_references=[{"source_name": doc.publisher or "source", "url": doc.url}]
            if doc.url
            else None,
        )
        objects.append(report)
        for att in atts:
            if att.claim not in relationship:
                continue
            speaker = names.get(att.speaker, att.speaker)
            refs = [relationship[att.claim], report.id]
            hedge = " (hedged)" if att.hedged else ""
            if att.stance is Stance.DENIED:
                objects.append(
                    stix2.Opinion(
                        id=_stix_id("opinion", att.id),
                        opinion="strongly-disagree",
                        explanation=f"{speaker} denied{hedge}: “{att.quote}”",
                        authors=[speaker],
                        object_refs=refs,
                    )
                )
            else:
                objects.append(
                    stix2.Note(
                        id=_stix_id("note", att.id),
                        abstract=f"{speaker} reported{hedge}",
                        content=att.quote,
                        authors=[speaker],
                        object_refs=refs,
                    )
                )
    return stix2.Bundle(objects=objects)


def _locations(graph: GraphBatch) -> list[Any]:
    """A location for each place an event stands at, and a ``located-at`` relationship from
    the incident to it."""
    places = {p.id: p for p in graph.places}
    used = sorted({e.at for e in graph.events if e.at in places})
    found: list[Any] = [
        stix2.Location(
            id=_stix_id("location", place_id),
            name=places[place_id].name,
            latitude=places[place_id].lat,
            longitude=places[place_id].lon,
            description=f"{places[place_id].kind.value}; actorgraph id {place_id}",
        )
        for place_id in used
    ]
    found += [
        stix2.Relationship(
            id=_stix_id("relationship", f"{e.id} located-at {e.at}"),
            relationship_type="located-at",
            source_ref=_stix_id("incident", e.id),
            target_ref=_stix_id("location", e.at),
            description=f"geo precision {e.geo_precision.value if e.geo_precision else 'unknown'}"
            " (1: at the place; 2: near it; 3: the region)",
        )
        for e in graph.events
        if e.at in places
    ]
    return found


def attestations_by_claim(graph: GraphBatch) -> dict[str, list[Attestation]]:
    """Each claim's attestations, in the order they were made."""
    said: dict[str, list[Attestation]] = defaultdict(list)
    for att in sorted(graph.attestations, key=chronological):
        said[att.claim].append(att)
    return said
