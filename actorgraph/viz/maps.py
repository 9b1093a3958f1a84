"""The events on a map: one offline HTML page (Leaflet) of what ``GET /events`` answers.

Leaflet and the basemap (the outlines of the region's countries and of the
governorates of Iraq, Syria and Jordan, from Natural Earth) are inlined from
``vendor/`` (``scripts/basemap`` built them), so the page asks nothing of the
network. Each event that stands at a curated place is a circle at that
place, coloured by the status of what is claimed of it and sized by the
highest number of dead any source gives; its popup gives each source's
casualty figure and who said what. Every text reaches the
page as JSON and is set as text, never as HTML: a ``<script>`` in a place's
name or a quote is shown, not run.
"""

from __future__ import annotations

import html
import json
from importlib.resources import files
from typing import Any

from actorgraph.graph.model import Predicate, Status
from actorgraph.graph.store import GraphStore
from actorgraph.graph.vocabulary import STATUSES
from actorgraph.queries import catalogue as q
from actorgraph.queries import reads
from actorgraph.queries.reads import ACTORS_BY_ID
from actorgraph.queries.shapes import CasualtyRange, EventDetail
from actorgraph.settings import Settings
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


def marker(detail: EventDetail, names: dict[str, str]) -> dict[str, Any] | None:
    """An event as the page draws it; None for an event at no curated place. ``names``:
    the names of the speakers of its casualty figures, by id."""
    place = detail.place
    if place is None:
        return None
    struck = [c for c in detail.claims if c.predicate is Predicate.STRUCK] or detail.claims
    statuses = {c.status for c in struck}
    status = next((s for s in _WEAKEST if s in statuses), None)
    toll = detail.casualties
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
        "killed": _range(toll.killed),
        "injured": _range(toll.injured),
        "radius_by": toll.killed.high if toll.killed else 0,
        "figures": [
            {
                "speaker": names.get(f.speaker, f.speaker),
                "date": f.date.isoformat() if f.date else None,
                "words": f.text,
                "quote": f.quote,
            }
            for f in toll.figures
        ],
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


def _range(count: CasualtyRange | None) -> str | None:
    """ "6", "5-7", "at least 25": a count across sources, as the popup says it."""
    if count is None:
        return None
    if count.low == count.high:
        return f"{count.low}"
    return f"{count.low}–{count.high}"


def map_page(
    store: GraphStore,
    params: q.TimelineParams,
    title: str | None = None,
    settings: Settings | None = None,
) -> str:
    """The events ``params`` selects, on a map that works offline; over the tiles of
    ``settings.tile_url`` when one is set."""
    found = q.timeline(store, params)
    speakers = sorted({f.speaker for d in found for f in d.casualties.figures})
    names = {a.id: a.name for a in reads.actors(store.query(ACTORS_BY_ID, ids=speakers)).values()}
    markers = [m for d in found if (m := marker(d, names)) is not None]
    return ENV.get_template("map.html").render(
        title=title or "Events on the map",
        markers=markers,
        unplaced=len(found) - len(markers),
        legend=[(s.value, STATUS_COLOURS[s], STATUSES[s.value].terminal) for s in _WEAKEST],
        basemap=_BASEMAP,
        leaflet_js=_vendor("leaflet.js"),
        leaflet_css=_vendor("leaflet.css"),
        tiles=settings.tile_url if settings else None,
        # Leaflet sets an attribution as HTML: escaped, it shows as text
        tile_attribution=html.escape(settings.tile_attribution) if settings else "",
    )
