"""Interactive network pages (pyvis, vis-network) of what the query catalogue returns.

A page is one HTML file that needs nothing from the network: vis-network's
script and styles are inlined from the copy pyvis ships, and the template is
our own (pyvis's loads Bootstrap from a CDN). Every text shown comes from
the data as JSON, and vis-network shows a string tooltip as text, never as
HTML: a quote carrying ``<script>`` is shown, not run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import networkx as nx
from jinja2 import Environment, PackageLoader, select_autoescape
from pyvis.network import Network

from actorgraph.graph.model import Actor, Predicate
from actorgraph.graph.store import GraphStore, read_consistently
from actorgraph.graph.vocabulary import ACTOR_KINDS, NODES, STATUSES
from actorgraph.queries import catalogue as q
from actorgraph.queries.shapes import ClaimView, Edge, Node, Paths, Subgraph

# -- styles ------------------------------------------------------------------------

# Shapes, colours and lines come from the vocabulary (graph/vocabulary.yaml).
KIND_STYLE = {**ACTOR_KINDS, "event": NODES["event"]}
"""Each kind of node (an actor's kind, or ``event``) and how it is drawn."""

# -- size: pyvis defaults stall beyond a few hundred nodes --------------------------

IMPROVED_LAYOUT_MAX = 150
"""Above this, vis-network's improvedLayout (quadratic clustering) is turned off."""
EDGES_MAX = 300
"""Above this many claims drawn, curved edges and the long stabilisation go too."""
PHYSICS_MAX = 500
"""Above this, positions are computed here (rings by hops) and physics stays off."""
NODE_CAP = 2500
"""The most nodes a page draws; the query's own ``limit`` keeps the most relevant."""
ALIASES_SHOWN = 12
"""Aliases listed in an actor's tooltip (the rest are counted)."""
CLAIM_CAP = 2000
"""The most claims a claim-set page draws (the first, in the query's order)."""


@dataclass
class View:
    """What a page shows: nodes, edges, the claims behind the edges, and what was left out."""

    title: str
    nodes: list[Node]
    edges: list[Edge]
    claims: dict[str, ClaimView] = field(default_factory=dict)
    omitted: int = 0
    centre: str | None = None
    actors: dict[str, Actor] = field(default_factory=dict)
    """The drawn actors' records, for their aliases."""
    as_of: dt.date | None = None
    """The date the claims' statuses are as of, for :func:`with_tips`."""


def subgraph_view(title: str, graph: Subgraph) -> View:
    """A neighbourhood or command chain, centred on its depth-0 node."""
    centre = next((n.id for n in graph.nodes if n.depth == 0), None)
    return View(title, graph.nodes, graph.edges, omitted=graph.omitted, centre=centre)


def paths_view(title: str, found: Paths) -> View:
    """The shortest paths between two actors."""
    edges = list({e.claim: e for p in found.paths for e in p.edges}.values())
    return View(title, found.nodes, edges, centre=found.source.id)


def claims_view(title: str, claims: list[ClaimView]) -> View:
    """A set of claims (contested ones, say), each drawn between its subject and object."""
    nodes: dict[str, Node] = {}
    edges = []
    for claim in claims:
        for ref in (claim.subject, claim.object):
            nodes.setdefault(ref.id, Node(id=ref.id, name=ref.name, kind=ref.kind, depth=1))
        edges.append(
            Edge(
                claim=claim.id,
                source=claim.subject.id,
                target=claim.object.id,
                predicate=claim.predicate,
                status=claim.status,
                attestations=len(claim.attestations),
            )
        )
    return View(title, list(nodes.values()), edges, {c.id: c for c in claims})


# -- rendering ------------------------------------------------------------------------


def render(view: View) -> str:
    """The page: a network with a legend, tooltips and a note on what was left out."""
    nodes = view.nodes[:NODE_CAP]
    omitted = view.omitted + len(view.nodes) - len(nodes)
    shown = {n.id for n in nodes}
    edges = [e for e in view.edges if e.source in shown and e.target in shown]
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    positions = _rings(nodes, edges, view.centre) if len(nodes) > PHYSICS_MAX else {}
    for node in nodes:
        style = KIND_STYLE.get(node.kind, NODES["other"])
        shape, colour = style.shape, style.colour
        extra: dict[str, Any] = {}
        if node.id in positions:
            extra["x"], extra["y"] = positions[node.id]
        net.add_node(
            node.id,
            label=node.name,
            title=_node_tip(node, view.actors.get(node.id)),
            shape=shape,
            color=colour,
            size=28 if node.id == view.centre else 16,
            kind=node.kind,
            **extra,
        )
    labelled = len(nodes) <= PHYSICS_MAX  # thousands of labels hide the picture
    for edge in edges:
        line = STATUSES[edge.status.value]
        dashes, width = line.dashes, line.width
        net.add_edge(
            edge.source,
            edge.target,
            id=edge.claim,
            label=edge.predicate.value if labelled else "",
            title=_edge_tip(edge, view.claims.get(edge.claim)),
            color=edge.predicate.terms.colour,
            dashes=dashes,
            width=width,
            status=edge.status.value,
        )
    data_nodes, data_edges, *_ = net.get_network_data()
    page: str = _template().render(
        title=view.title,
        nodes=data_nodes,
        edges=data_edges,
        options=_options(len(nodes), len(edges), bool(positions)),
        physics=not positions,
        omitted=omitted,
        legend_kinds=[(k, v.shape, v.colour) for k, v in KIND_STYLE.items()],
        legend_predicates=[(p.value, p.terms.colour) for p in Predicate],
        legend_statuses=[(s, v.dashes, v.width) for s, v in STATUSES.items()],
        vis_js=_vis("vis-network.min.js"),
        vis_css=_vis("vis-network.css"),
    )
    return page


def _node_tip(node: Node, actor: Actor | None) -> str:
    lines = [node.name, f"{node.kind.replace('_', ' ')} · {node.id}"]
    if actor is not None and actor.aliases:
        shown = ", ".join(actor.aliases[:ALIASES_SHOWN])
        more = len(actor.aliases) - ALIASES_SHOWN
        lines.append(f"also: {shown}" + (f" and {more} more" if more > 0 else ""))
    if actor is not None and actor.description:
        lines.append(actor.description)
    return "\n".join(lines)


def _edge_tip(edge: Edge, claim: ClaimView | None) -> str:
    head = f"{edge.predicate.value} · {edge.status.value} · {edge.attestations} attestation(s)"
    if claim is None:
        return head
    lines = [f"{claim.subject.name} {claim.predicate.value} {claim.object.name}", head]
    for said in claim.attestations:
        hedge = ", hedged" if said.hedged else ""
        when = said.date.isoformat() if said.date else "undated"
        lines.append(
            f"— {said.speaker.name} ({said.stance.value}{hedge}), {when}, {said.document.title}:"
        )
        lines.append(f"  “{said.quote}”")
    return "\n".join(lines)


def _options(size: int, claims: int, placed: bool) -> dict[str, Any]:
    """vis-network options by size: see IMPROVED_LAYOUT_MAX, EDGES_MAX and PHYSICS_MAX."""
    light = size <= IMPROVED_LAYOUT_MAX and claims <= EDGES_MAX
    return {
        "layout": {"improvedLayout": light, "randomSeed": 7},
        "physics": {
            "enabled": not placed,
            "solver": "barnesHut",
            "stabilization": {"enabled": True, "iterations": 200 if light else 100},
            "barnesHut": {"gravitationalConstant": -8000, "springLength": 160},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "font": {"size": 10, "align": "middle"},
            "smooth": light,
        },
        "nodes": {"font": {"size": 13}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": not light},
    }


def _rings(
    nodes: list[Node], edges: list[Edge], centre: str | None
) -> dict[str, tuple[float, float]]:
    """Positions for a large graph: each hop a ring around the centre (linear time)."""
    by_depth: dict[int, list[str]] = {}
    for node in nodes:
        by_depth.setdefault(abs(node.depth) if centre else 0, []).append(node.id)
    shells = [by_depth[d] for d in sorted(by_depth)]
    graph = nx.DiGraph()
    graph.add_nodes_from(n.id for n in nodes)
    graph.add_edges_from((e.source, e.target) for e in edges)
    scale = 300 * max(1, len(shells))
    pos = nx.shell_layout(graph, nlist=shells, scale=scale)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def _vis(name: str) -> str:
    return (files("pyvis") / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


ENV = Environment(
    loader=PackageLoader("actorgraph.viz", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


def _template() -> Any:
    return ENV.get_template("network.html")


# -- pages of the catalogue's queries --------------------------------------------------


def neighbourhood(store: GraphStore, actor_id: str, params: q.NeighbourhoodParams) -> View:
    """An actor's neighbourhood, ready to draw."""
    graph = q.neighbourhood(store, actor_id, params)
    centre = next(n.name for n in graph.nodes if n.depth == 0)
    hops = f"{params.hops} hop{'s' if params.hops > 1 else ''}"
    view = subgraph_view(f"{centre}, {hops} around", graph)
    view.as_of = params.as_of
    return view


def chain(store: GraphStore, actor_id: str, params: q.ChainParams) -> View:
    """An actor's command chain, ready to draw."""
    graph = q.chain(store, actor_id, params)
    centre = next(n.name for n in graph.nodes if n.depth == 0)
    view = subgraph_view(f"Command chain of {centre}", graph)
    view.as_of = params.as_of
    return view


def paths(store: GraphStore, params: q.PathParams) -> View:
    """The shortest paths between two actors, ready to draw."""
    found = q.paths(store, params)
    ends = f"{found.source.name} to {found.target.name}"
    title = f"From {ends}" if found.paths else f"No path from {ends} within {params.max_hops} hops"
    view = paths_view(title, found)
    view.as_of = params.as_of
    return view


def claims(store: GraphStore, params: q.ClaimParams) -> View:
    """Claims by status (contested, say), ready to draw; at most CLAIM_CAP of them."""
    statuses = ", ".join(s.value for s in params.status) or "all"
    found = q.claims(store, params)
    view = claim_set(store, found[:CLAIM_CAP], f"Claims: {statuses}")
    everyone = {x for c in found for x in (c.subject.id, c.object.id)}
    view.omitted = len(everyone) - len(view.nodes)
    return view


def claim_set(store: GraphStore, found: list[ClaimView], title: str) -> View:
    """Claims already read, ready to draw."""
    view = claims_view(title, found)
    view.actors = q.actors_by_id(store, (n.id for n in view.nodes[:NODE_CAP]))
    return view


def with_tips(store: GraphStore, view: View) -> View:
    """The view with what its tooltips show: who said what of each claim, each actor's aliases.

    The neighbourhood, chain and paths views are drawn from edges alone;
    this reads every attestation behind them, which costs more than the
    traversal, so only what is rendered (or asked for) pays for it.
    """
    view.claims = {c.id: c for c in q.claim_views(store, (e.claim for e in view.edges), view.as_of)}
    view.actors = q.actors_by_id(store, (n.id for n in view.nodes[:NODE_CAP]))
    return view


def neighbourhood_page(store: GraphStore, actor_id: str, params: q.NeighbourhoodParams) -> str:
    """``GET /viz/actors/{id}``, ``actorgraph viz``: read in one scope, then drawn."""
    view = read_consistently(
        store, lambda: with_tips(store, neighbourhood(store, actor_id, params))
    )
    return render(view)


def paths_page(store: GraphStore, params: q.PathParams) -> str:
    """``GET /viz/paths``."""
    return render(read_consistently(store, lambda: with_tips(store, paths(store, params))))


def claims_page(store: GraphStore, params: q.ClaimParams) -> str:
    """``GET /viz/claims``."""
    return render(read_consistently(store, lambda: claims(store, params)))


def explorer_page() -> str:
    """The API's home page: plain HTML and a little script, no build step."""
    return ENV.get_template("explorer.html").render()
