"""actorgraph from Python and Jupyter: the query catalogue as methods, results as
DataFrames, networkx graphs and inline network views.

.. code-block:: python

    import actorgraph
    ag = actorgraph.open()      # embedded store, or Neo4j when NEO4J_URI is set
    ag.load("data", "examples/articles")
    ag.claims(status="contested").to_df()
    ag.neighbourhood("Kataib Hezbollah", hops=2)    # shows itself in Jupyter

Every method resolves an actor given by id, name or any alias, and runs the
same named query as the HTTP API, on either store.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx
import pandas as pd

from actorgraph.exports import Format, export, to_networkx
from actorgraph.graph import open_store
from actorgraph.graph.model import Predicate, Status
from actorgraph.graph.store import CypherResult, GraphStore, read_consistently
from actorgraph.loaders.pipeline import FileOutcome, load_paths
from actorgraph.names.resolve import resolve_actor
from actorgraph.queries import catalogue as q
from actorgraph.queries.shapes import ClaimView, EventDetail, Said, SearchHit
from actorgraph.settings import Settings
from actorgraph.viz import network as viz
from actorgraph.viz.maps import map_page

_T = TypeVar("_T")


def open(settings: Settings | None = None) -> Graph:
    """The configured store as a :class:`Graph`: embedded, or Neo4j when ``NEO4J_URI`` is set."""
    settings = settings or Settings()
    return Graph(open_store(settings), settings)


class Graph:
    """The query catalogue over one store. Close it (or use ``with``) when done."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def __repr__(self) -> str:
        return f"<actorgraph {self.store.name} store at {self.store.location}>"

    # -- writing -----------------------------------------------------------------------

    def load(self, *paths: str | Path) -> list[FileOutcome]:
        """Load files and folders (articles, curated YAML); each file whole or not at all."""
        return load_paths(self.store, [Path(p) for p in paths])

    # -- actors ----------------------------------------------------------------------

    def search(self, text: str, limit: int = 10) -> Table:
        """Actors by any name, alias or spelling (Latin or Arabic script), best first."""
        hits = q.search(self.store, q.SearchParams(q=text, limit=limit))
        return Table("search", [_hit(h) for h in hits])

    def actor_id(self, name: str) -> str:
        """The id of the actor ``name`` names: an id, a name, an alias or a spelling of one.

        Raises
        ------
        NotFoundError
            If it names no one actor; the message names the closest.
        """
        return resolve_actor(self.store, name).id

    def _read(self, call: Callable[[], _T]) -> _T:
        """``call()`` in one reading scope: every read of one method sees one state."""
        return read_consistently(self.store, call)

    def actor(self, name: str) -> dict[str, Any]:
        """An actor with how many documents name it and its claims by status and predicate."""
        return self._read(lambda: q.actor(self.store, self.actor_id(name), q.AsOf())).model_dump(
            mode="json"
        )

    # -- networks ----------------------------------------------------------------------

    def neighbourhood(
        self,
        name: str,
        hops: int = 1,
        status: Iterable[str] = (),
        predicate: Iterable[str] = (),
        limit: int = 200,
        as_of: dt.date | None = None,
    ) -> Network:
        """Actors and events within ``hops`` of an actor, and the claims between them."""
        params = q.NeighbourhoodParams(
            hops=hops,
            status=[Status(s) for s in status],
            predicate=[Predicate(p) for p in predicate],
            limit=limit,
            as_of=as_of,
        )
        view = self._read(lambda: viz.neighbourhood(self.store, self.actor_id(name), params))
        return Network(view, self.store)

    def chain(self, name: str, direction: str = "both", depth: int = 3) -> Network:
        """Who commands the actor and what it is part of (up), and what is below it (down)."""
        params = q.ChainParams.model_validate({"direction": direction, "depth": depth})
        view = self._read(lambda: viz.chain(self.store, self.actor_id(name), params))
        return Network(view, self.store)

    def paths(self, source: str, target: str, max_hops: int = 4) -> Network:
        """The shortest paths between two actors, each step with the claim it rests on."""
        params = q.PathParams(source=source, target=target, max_hops=max_hops)
        return Network(viz.paths(self.store, params), self.store)

    # -- claims and events ---------------------------------------------------------------

    def claims(
        self,
        actor: str | None = None,
        status: str | Iterable[str] = (),
        predicate: str | Iterable[str] = (),
        as_of: dt.date | None = None,
    ) -> Claims:
        """Claims with their status and every attestation; ``status="contested"`` and so on."""
        params = q.ClaimParams(
            actor=actor or None,
            status=[Status(s) for s in _many(status)],
            predicate=[Predicate(p) for p in _many(predicate)],
            as_of=as_of,
        )
        return Claims(q.claims(self.store, params), self.store)

    def who_said(self, claim_id: str) -> Claims:
        """One claim: each speaker who reported or denied it, with document, quote and date."""
        return Claims([q.who_said(self.store, claim_id, q.AsOf())], self.store)

    def timeline(
        self,
        actor: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        *,
        near: str | None = None,
        within_km: float = 25.0,
        within: str | None = None,
    ) -> Table:
        """Events in date order, each with its place, its claims and how many speakers told
        of it; ``near`` a place (id, name or ``"lat,lon"``) within ``within_km``, or
        ``within`` a place (at it or anywhere inside it)."""
        params = q.TimelineParams(
            actor=actor or None,
            since=since,
            until=until,
            near=near,
            within_km=within_km,
            within=within,
        )
        return Table("timeline", [_event(e) for e in q.timeline(self.store, params)])

    def map(
        self,
        actor: str | None = None,
        *,
        near: str | None = None,
        within_km: float = 25.0,
        within: str | None = None,
    ) -> ViewHTML:
        """The events (an actor's; near or within a place) on a map: shown in Jupyter."""
        params = q.TimelineParams(actor=actor, near=near, within_km=within_km, within=within)
        return ViewHTML(map_page(self.store, params, settings=self.settings))

    def places(self, kind: str | None = None) -> Table:
        """The curated places, by id: kind, coordinates and the place that contains each."""
        params = q.PlaceListParams.model_validate({"kind": kind})
        found = q.places(self.store, params, 0, 10**6)
        return Table("places", [p.model_dump(include=_PLACE_COLUMNS) for p in found])

    def place(self, name: str) -> dict[str, Any]:
        """A place (id or name): what contains it, what it holds, and the events there."""
        return q.place(self.store, name).model_dump(mode="json")

    def cypher(self, query: str, **parameters: Any) -> Table:
        """Your own read-only Cypher (Neo4j only), with the API's timeout and caps."""
        result: CypherResult = q.cypher(
            self.store,
            query,
            parameters,
            timeout=self.settings.cypher_timeout,
            max_rows=self.settings.cypher_max_rows,
            max_bytes=self.settings.cypher_max_bytes,
        )
        return Table("cypher", result.rows)

    # -- the whole graph -------------------------------------------------------------------

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph: actors and events as nodes, claims as edges with who said what."""
        return to_networkx(self.store.dump())

    def export(self, fmt: str, path: str | Path) -> list[Path]:
        """Write the graph as graphml, gexf, json, csv (a folder) or stix."""
        return export(self.store.dump(), Format(fmt), Path(path))


# -- results ------------------------------------------------------------------------------


@dataclass
class Table:
    """Rows of a result: ``to_df()`` for pandas; shows itself as a table in Jupyter."""

    name: str
    rows: list[dict[str, Any]]

    def to_df(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def _repr_html_(self) -> str:
        return str(self.to_df().to_html(max_rows=30, index=False))


class Claims(Table):
    """Claims: a row per attestation in ``to_df()``, a graph in ``to_networkx()``, ``show()``."""

    def __init__(self, views: list[ClaimView], store: GraphStore) -> None:
        super().__init__("claims", [_attestation_row(c, s) for c in views for s in c.attestations])
        self.views = views
        self._store = store

    def __len__(self) -> int:
        return len(self.views)

    def summary(self) -> pd.DataFrame:
        """A row per claim: subject, predicate, object, event, status, speakers for and against."""
        return pd.DataFrame([_claim_row(c) for c in self.views])

    def to_networkx(self) -> nx.MultiDiGraph:
        view = viz.claims_view("claims", self.views)
        return _graph(view)

    def show(self) -> ViewHTML:
        return ViewHTML(viz.render(viz.claim_set(self._store, self.views, "Claims")))

    def _repr_html_(self) -> str:
        return str(self.summary().to_html(max_rows=30, index=False))


class Network:
    """Nodes and claims: ``to_networkx()``, ``to_df()`` (edges), and a network view in Jupyter."""

    def __init__(self, view: viz.View, store: GraphStore) -> None:
        self.view = view
        self._store = store
        self._tipped = False

    @property
    def claims(self) -> Claims:
        """The claims behind the edges, with every attestation (read on first use)."""
        return Claims(list(self._tips().claims.values()), self._store)

    def _tips(self) -> viz.View:
        if not self._tipped:
            viz.with_tips(self._store, self.view)
            self._tipped = True
        return self.view

    @property
    def nodes(self) -> pd.DataFrame:
        return pd.DataFrame([n.model_dump() for n in self.view.nodes])

    def to_df(self) -> pd.DataFrame:
        """The edges: one row per claim with its status and number of attestations."""
        return pd.DataFrame([e.model_dump(mode="json") for e in self.view.edges])

    def to_networkx(self) -> nx.MultiDiGraph:
        return _graph(self.view)

    def html(self) -> str:
        """The same page as ``GET /viz/...``: works offline."""
        return viz.render(self._tips())

    def _repr_html_(self) -> str:
        return ViewHTML(self.html())._repr_html_() + str(
            self.to_df().to_html(max_rows=15, index=False)
        )


@dataclass
class ViewHTML:
    """A network page shown inline in Jupyter (in an iframe, so its script runs there)."""

    page: str
    height: int = 620

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.page, quote=True)}" '
            f'style="width: 100%; height: {self.height}px; border: 0"></iframe>'
        )


def _graph(view: viz.View) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for node in view.nodes:
        g.add_node(node.id, name=node.name, kind=node.kind, depth=node.depth)
    for edge in view.edges:
        g.add_edge(
            edge.source,
            edge.target,
            key=edge.claim,
            predicate=edge.predicate.value,
            status=edge.status.value,
            attestations=edge.attestations,
        )
    return g


_PLACE_COLUMNS = {"id", "name", "kind", "lat", "lon", "parent", "geonames"}


def _many(value: str | Iterable[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _hit(hit: SearchHit) -> dict[str, Any]:
    a = hit.actor
    return {
        "id": a.id,
        "name": a.name,
        "kind": a.kind.value,
        "score": hit.score,
        "matched": hit.matched,
    }


def _event(detail: EventDetail) -> dict[str, Any]:
    e = detail.event
    speakers = {s.speaker.id for c in detail.claims for s in c.attestations}
    at = detail.place
    return {
        "id": e.id,
        "date": e.date,
        "kind": e.kind.value,
        "place": e.place,
        "at": at.id if at else None,
        "lat": at.lat if at else None,
        "lon": at.lon if at else None,
        "geo precision": at.precision.value if at and at.precision else None,
        "claims": len(detail.claims),
        "speakers": len(speakers),
    }


def _claim_row(c: ClaimView) -> dict[str, Any]:
    def stance(which: str) -> list[str]:
        return sorted({a.speaker.name for a in c.attestations if a.stance.value == which})

    return {
        "subject": c.subject.name,
        "predicate": c.predicate.value,
        "object": c.object.name,
        "event": c.event.name if c.event else None,
        "status": c.status.value,
        "reported by": ", ".join(stance("reported")),
        "denied by": ", ".join(stance("denied")),
        "claim": c.id,
    }


def _attestation_row(c: ClaimView, s: Said) -> dict[str, Any]:
    return {
        "claim": c.id,
        "subject": c.subject.name,
        "predicate": c.predicate.value,
        "object": c.object.name,
        "status": c.status.value,
        "speaker": s.speaker.name,
        "stance": s.stance.value,
        "hedged": s.hedged,
        "date": s.date,
        "document": s.document.title,
        "quote": s.quote,
    }
