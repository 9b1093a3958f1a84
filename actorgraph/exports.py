"""The graph in the formats other tools read: GraphML and GEXF (Gephi), JSON
(node-link), CSV (nodes and edges) and a STIX 2.1 bundle.

Every format starts from one networkx graph (:func:`to_networkx`): actors and
events are nodes, claims are edges keyed by claim id, with their status and
every attestation. Formats that carry only scalars (GraphML, GEXF, CSV) hold
the attestations as a JSON string; JSON keeps them as a list. In STIX, actors
are identities, events incidents, claims relationships, documents reports;
each report's words become a note, and each denial an opinion that strongly
disagrees with the relationship.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import uuid
from collections import defaultdict
from enum import Enum
from pathlib import Path
from typing import Any

import networkx as nx
import stix2

from actorgraph.graph.model import ActorKind, Attestation, Stance, chronological, derive_status
from actorgraph.graph.store import GraphBatch


class Format(str, Enum):
    GRAPHML = "graphml"
    GEXF = "gexf"
    JSON = "json"
    CSV = "csv"
    STIX = "stix"


def to_networkx(graph: GraphBatch) -> nx.MultiDiGraph:
    """Actors and events as nodes, claims as edges (keyed by claim id) with who said what."""
    g = nx.MultiDiGraph()
    for actor in graph.actors:
        g.add_node(
            actor.id,
            type="actor",
            name=actor.name,
            kind=actor.kind.value,
            aliases=json.dumps(list(actor.aliases), ensure_ascii=False),
        )
    for event in graph.events:
        g.add_node(
            event.id,
            type="event",
            name=event.label,
            kind=event.kind.value,
            date=event.date.isoformat() if event.date else "",
            place=event.place or "",
        )
    said = _attestations(graph)
    for claim in graph.claims:
        atts = said[claim.id]
        g.add_edge(
            claim.subject,
            claim.object,
            key=claim.id,
            predicate=claim.predicate.value,
            event=claim.event or "",
            status=derive_status(claim.subject, atts).value if atts else "",
            attestations=json.dumps([_said(a) for a in atts], ensure_ascii=False),
        )
    return g


def export(graph: GraphBatch, fmt: Format, path: Path) -> list[Path]:
    """Write ``graph`` as ``fmt`` at ``path`` (for CSV, a folder); returns the files written."""
    if fmt is Format.CSV:
        return _csv(to_networkx(graph), path)
    if fmt is Format.STIX:
        path.write_text(stix_bundle(graph).serialize(pretty=True), encoding="utf-8")
    elif fmt is Format.JSON:
        data = nx.node_link_data(to_networkx(graph), edges="edges")
        for edge in data["edges"]:
            edge["attestations"] = json.loads(edge["attestations"])
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    elif fmt is Format.GRAPHML:
        nx.write_graphml(to_networkx(graph), path)
    else:
        nx.write_gexf(to_networkx(graph), path)
    return [path]


def _csv(g: nx.MultiDiGraph, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    nodes, edges = folder / "nodes.csv", folder / "edges.csv"
    node_fields = ["id", "type", "name", "kind", "aliases", "date", "place"]
    with nodes.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, node_fields, restval="")
        writer.writeheader()
        writer.writerows({"id": n, **attrs} for n, attrs in g.nodes(data=True))
    edge_fields = ["claim", "source", "target", "predicate", "event", "status", "attestations"]
    with edges.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, edge_fields)
        writer.writeheader()
        writer.writerows(
            {"claim": k, "source": u, "target": v, **attrs}
            for u, v, k, attrs in g.edges(keys=True, data=True)
        )
    return [nodes, edges]


# -- STIX 2.1 ----------------------------------------------------------------------

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
    events = {e.id for e in graph.events}

    def ref(node: str) -> str:
        return _stix_id("incident" if node in events else "identity", node)

    said = _attestations(graph)
    relationship: dict[str, str] = {}
    for claim in graph.claims:
        status = derive_status(claim.subject, said[claim.id]).value if said[claim.id] else ""
        rel = stix2.Relationship(
            id=_stix_id("relationship", claim.id),
            relationship_type=claim.predicate.value.replace("_", "-"),
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


def _attestations(graph: GraphBatch) -> dict[str, list[Attestation]]:
    said: dict[str, list[Attestation]] = defaultdict(list)
    for att in sorted(graph.attestations, key=chronological):
        said[att.claim].append(att)
    return said


def _said(att: Attestation) -> dict[str, Any]:
    return {
        "speaker": att.speaker,
        "stance": att.stance.value,
        "hedged": att.hedged,
        "document": att.document,
        "date": att.date.isoformat() if att.date else None,
        "quote": att.quote,
        "start": att.start,
        "end": att.end,
    }
