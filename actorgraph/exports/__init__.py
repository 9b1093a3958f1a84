"""The graph in the formats other tools read: GraphML and GEXF (Gephi), JSON
(node-link), CSV (nodes and edges), GeoJSON (the events on a map) and a STIX 2.1 bundle.

Every format but GeoJSON and STIX starts from one networkx graph
(:func:`to_networkx`): actors and events are nodes, claims are edges keyed by
claim id, with their status and every attestation; an event placed at a
curated place carries its place's id, name, ``lat``, ``lon`` and the
telling's ``geo_precision``. Formats that carry only scalars (GraphML, GEXF, CSV) hold
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
from actorgraph.graph.model import Attestation, Event, Place, derive_status
from actorgraph.graph.store import GraphBatch


class Format(str, Enum):
    GRAPHML = "graphml"
    GEXF = "gexf"
    JSON = "json"
    CSV = "csv"
    GEOJSON = "geojson"
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
    places = {p.id: p for p in graph.places}
    for event in graph.events:
        g.add_node(
            event.id,
            type="event",
            name=event.label,
            kind=event.kind.value,
            date=event.date.isoformat() if event.date else "",
            place=event.place or "",
            **_where(event, places),
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


def _where(event: Event, places: dict[str, Place]) -> dict[str, Any]:
    """An event's curated place as node attributes (none when it has none)."""
    place = places.get(event.at or "")
    if place is None:
        return {}
    return {
        "at": place.id,
        "at_name": place.name,
        "lat": place.lat,
        "lon": place.lon,
        "geo_precision": event.geo_precision.value if event.geo_precision else 0,
    }


def geojson(graph: GraphBatch) -> dict[str, Any]:
    """The events that stand at a curated place, as a GeoJSON FeatureCollection of points,
    each with its claims and their status."""
    places = {p.id: p for p in graph.places}
    said = attestations_by_claim(graph)
    about: dict[str, list[dict[str, Any]]] = {}
    for claim in graph.claims:
        event = claim.object if claim.predicate.about_event else claim.event
        if event is not None:
            atts = said[claim.id]
            about.setdefault(event, []).append(
                {
                    "claim": claim.id,
                    "subject": claim.subject,
                    "predicate": claim.predicate.value,
                    "object": claim.object,
                    "status": derive_status(claim.subject, atts).value if atts else None,
                }
            )
    features = [
        {
            "type": "Feature",
            "id": event.id,
            "geometry": {"type": "Point", "coordinates": [where["lon"], where["lat"]]},
            "properties": {
                "id": event.id,
                "name": event.label,
                "kind": event.kind.value,
                "date": event.date.isoformat() if event.date else None,
                "date_precision": event.date_precision.value,
                "place": event.place,
                **where,
                "claims": about.get(event.id, []),
            },
        }
        for event in graph.events
        if (where := _where(event, places))
    ]
    return {"type": "FeatureCollection", "features": features}


def export(graph: GraphBatch, fmt: Format, path: Path) -> list[Path]:
    """Write ``graph`` as ``fmt`` at ``path`` (for CSV, a folder); returns the files written."""
    if fmt is Format.CSV:
        return _csv(to_networkx(graph), path)
    if fmt is Format.STIX:
        path.write_text(stix_bundle(graph).serialize(pretty=True), encoding="utf-8")
    elif fmt is Format.GEOJSON:
        path.write_text(json.dumps(geojson(graph), ensure_ascii=False, indent=1), encoding="utf-8")
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
    node_fields += ["at", "at_name", "lat", "lon", "geo_precision"]
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


__all__ = ["Format", "attestations_by_claim", "export", "geojson", "stix_bundle", "to_networkx"]


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
