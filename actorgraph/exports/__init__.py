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
import json
from enum import Enum
from pathlib import Path
from typing import Any

import networkx as nx

from actorgraph.exports.stix import attestations_by_claim, stix_bundle
from actorgraph.graph.model import Attestation, derive_status
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
    said = attestations_by_claim(graph)
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


__all__ = ["Format", "attestations_by_claim", "export", "stix_bundle", "to_networkx"]


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
