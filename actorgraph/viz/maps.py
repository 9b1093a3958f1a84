"""The events on a map: one offline HTML page (Leaflet) of what ``GET /events`` answers.

Leaflet and the basemap (the outlines of the region's countries and of the
governorates of Iraq, Syria and Jordan, from Natural Earth) are inlined from
``vendor/`` (``scripts/basemap`` built them), so the page asks nothing of the
network. Each event that stands at a curated place is a circle at that
place, coloured by the status of what is claimed of it and sized by how many
speakers tell of it; its popup says who said what. Every text reaches the
page as JSON and is set as text, never as HTML: a ``<script>`` in a place's
name or a quote is shown, not run.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from actorgraph.graph.model import Predicate, Status
from actorgraph.graph.store import GraphStore
from actorgraph.graph.vocabulary import STATUSES
from actorgraph.queries import catalogue as q
from actorgraph.queries.shapes import EventDetail
from actorgraph.viz.network import ENV

STATUS_COLOURS = {
    Status.CONFIRMED: "#2ca02c",
    Status.REPORTED: "#1f77b4",
    Status.CONTESTED: "#ff7f0e",
    Status.DENIED: "#d62728",
}
"""A marker's colour by the status of what is claimed of its event."""
_WEAKEST = (Status.DENIED, Status.CONTESTED, Status.REPORTED, Status.CONFIRMED)
"""The status a marker shows when its claims differ: the least settled."""


def _vendor(name: str) -> str:
    return (files("actorgraph.viz") / "vendor" / name).read_text(encoding="utf-8")


_BASEMAP = json.loads(_vendor("basemap.geojson"))


def marker(detail: EventDetail) -> dict[str, Any] | None:
    """An event as the page draws it; None for an event at no curated place."""
    place = detail.place
    if place is None:
        return None
    struck = [c for c in detail.claims if c.predicate is Predicate.STRUCK] or detail.claims
    statuses = {c.status for c in struck}
    status = next((s for s in _WEAKEST if s in statuses), None)
    speakers = {s.speaker.id for c in detail.claims for s in c.attestations}
    e = detail.event
    return {
        "id": e.id,
        "label": e.label,
        "date": e.date.isoformat() if e.date else None,
        "lat": place.lat,
        "lon": place.lon,
        "place": place.name,
        "precision": place.precision.value if place.precision else None,
        "status": status.value if status else None,
        "colour": STATUS_COLOURS[status] if status else "#777777",
        "speakers": len(speakers),
        "claims": [
            {
                "claim": f"{c.subject.name} {c.predicate.terms.phrase} {c.object.name}",
                "status": c.status.value,
                "said": [
                    {
                        "speaker": s.speaker.name,
                        "stance": s.stance.value,
                        "hedged": s.hedged,
                        "date": s.date.isoformat() if s.date else None,
                        "quote": s.quote,
                    }
                    for s in c.attestations
                ],
            }
            for c in detail.claims
        ],
    }


def map_page(store: GraphStore, params: q.TimelineParams, title: str | None = None) -> str:
    """The events ``params`` selects, on a map that works offline."""
    found = q.timeline(store, params)
    markers = [m for d in found if (m := marker(d)) is not None]
    return ENV.get_template("map.html").render(
        title=title or "Events on the map",
        markers=markers,
        unplaced=len(found) - len(markers),
        legend=[(s.value, STATUS_COLOURS[s], STATUSES[s.value].terminal) for s in _WEAKEST],
        basemap=_BASEMAP,
        leaflet_js=_vendor("leaflet.js"),
        leaflet_css=_vendor("leaflet.css"),
    )
