"""The endpoints: each runs the named query of the same name (``GET /queries`` lists them)."""

from __future__ import annotations

import io
import pathlib
import tempfile
import zipfile
from collections.abc import Sequence
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute

from actorgraph.api.access import write_access
from actorgraph.api.schemas import (
    ActorPage,
    ClaimPage,
    ContestedPage,
    CypherIn,
    CypherOut,
    DocumentAdded,
    DocumentIn,
    DocumentOut,
    Health,
    MentionOut,
    Page,
    PageParams,
    PlacePage,
    Problem,
    QueryInfo,
    QueryParam,
    SourcesPage,
    StrikePage,
    TimelinePage,
)
from actorgraph.errors import ActorGraphError
from actorgraph.exports import Format, export
from actorgraph.graph.model import Actor, Document, Place
from actorgraph.graph.store import GraphStore
from actorgraph.loaders.pipeline import load_documents
from actorgraph.queries import catalogue as q
from actorgraph.queries.shapes import (
    ActorDetail,
    ClaimView,
    DocumentRef,
    EventDetail,
    GraphStatistics,
    Paths,
    PlaceDetail,
    SearchHit,
    Subgraph,
)
from actorgraph.settings import Settings
from actorgraph.viz import network as viz
from actorgraph.viz.maps import map_page

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "Unknown id; close names are suggested."},
    422: {"model": Problem, "description": "Invalid parameters, each named."},
    503: {"model": Problem, "description": "Neo4j is unreachable."},
}
BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The body cannot be read: it is not UTF-8."},
    413: {"model": Problem, "description": "The body is over ACTORGRAPH_MAX_BODY_BYTES."},
}
router = APIRouter(responses=ERRORS)
service = APIRouter(tags=["service"])
"""Always open, even when reads need the key: monitors and healthchecks call it."""
_HEALTH_THREADS = anyio.CapacityLimiter(2)
"""``/health``'s own threads, apart from the pool every other endpoint shares."""
T = TypeVar("T")


def _store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


Store = Annotated[GraphStore, Depends(_store)]
ActorId = Annotated[str, Path(max_length=200, examples=["kataib-hezbollah"])]


def _page(request: Request, items: Sequence[T], count: int, page: PageParams) -> Page[T]:
    end = page.offset + page.limit
    following = str(request.url.include_query_params(offset=end)) if end < count else None
    return Page[T](data=list(items), count=count, next=following)


def _slice(request: Request, items: Sequence[T], page: PageParams) -> Page[T]:
    return _page(request, items[page.offset : page.offset + page.limit], len(items), page)


def _only(params: q.Params, model: type[q.Params]) -> Any:
    """The query's own parameters out of a model that also carries paging."""
    return model.model_validate(params.model_dump(include=set(model.model_fields)))


@service.get("/health", responses={503: {"model": Health}})
async def health(store: Store, response: Response) -> Health:
    """The store in use (``embedded`` or ``neo4j``) and whether a read succeeds (503 if not)."""
    try:
        # One cheap read (stats would count the whole graph), in threads of its own: a
        # health check never waits behind the requests that fill the shared pool.
        await anyio.to_thread.run_sync(store.actors_revision, limiter=_HEALTH_THREADS)
    except ActorGraphError as exc:
        response.status_code = 503
        return Health(store=store.name, location=store.location, ok=False, detail=str(exc))
    return Health(store=store.name, location=store.location, ok=True)


@router.get("/queries", tags=["service"])
def queries() -> list[QueryInfo]:
    """The named query catalogue: each query's endpoint, parameters and Cypher."""
    endpoints = {
        route.name: f"{'|'.join(sorted(route.methods or ()))} {route.path}"
        for route in router.routes
        if isinstance(route, APIRoute)
    }
    return [
        QueryInfo(
            name=named.name,
            summary=named.summary,
            endpoint=endpoints.get(named.name),
            parameters=[
                QueryParam(name=i, type="string", required=True, description="An id.")
                for i in named.ids
            ]
            + _parameters(named.params),
            cypher={read.name: read.cypher for read in named.reads},
        )
        for named in q.CATALOGUE.values()
    ]


def _parameters(model: type[q.Params] | None) -> list[QueryParam]:
    if model is None:
        return []
    schema = model.model_json_schema()
    required = set(schema.get("required", ()))
    return [
        QueryParam(
            name=name,
            type=_type(prop, schema.get("$defs", {})),
            required=name in required,
            default=prop.get("default"),
            description=prop.get("description"),
        )
        for name, prop in schema["properties"].items()
    ]


def _type(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if "anyOf" in prop:
        return " | ".join(_type(p, defs) for p in prop["anyOf"] if p.get("type") != "null")
    if "$ref" in prop:
        target = defs[prop["$ref"].rsplit("/", 1)[-1]]
        return (
            "one of " + ", ".join(map(str, target.get("enum", ())))
            if "enum" in target
            else "object"
        )
    if prop.get("type") == "array":
        return f"list of {_type(prop.get('items', {}), defs)}"
    if "enum" in prop:
        return "one of " + ", ".join(map(str, prop["enum"]))
    return str(prop.get("format") or prop.get("type", "any"))


# -- actors -------------------------------------------------------------------


@router.get("/search", tags=["actors"])
def search(store: Store, params: Annotated[q.SearchParams, Query()]) -> list[SearchHit]:
    """Actors by name or alias, in any spelling or script (Latin or Arabic), best first."""
    return q.search(store, params)


@router.get("/actors", tags=["actors"])
def actors(request: Request, store: Store, params: Annotated[ActorPage, Query()]) -> Page[Actor]:
    """All actors by id, optionally of one kind."""
    found, total = q.actors(store, _only(params, q.ActorListParams), params.offset, params.limit)
    return _page(request, found, total, params)


@router.get("/actors/{actor_id}", tags=["actors"])
def actor(store: Store, actor_id: ActorId, params: Annotated[q.AsOf, Query()]) -> ActorDetail:
    """An actor, how many documents name it, and its claims by status and predicate."""
    return q.actor(store, actor_id, params)


@router.get("/actors/{actor_id}/neighbourhood", tags=["graph"])
def neighbourhood(
    store: Store, actor_id: ActorId, params: Annotated[q.NeighbourhoodParams, Query()]
) -> Subgraph:
    """Actors and events within 1-3 hops, with the claims between them (capped: `truncated`)."""
    return q.neighbourhood(store, actor_id, params)


@router.get("/actors/{actor_id}/chain", tags=["graph"])
def chain(store: Store, actor_id: ActorId, params: Annotated[q.ChainParams, Query()]) -> Subgraph:
    """Who commands the actor and what it is part of (up, depth > 0), and below it (depth < 0)."""
    return q.chain(store, actor_id, params)


@router.get("/actors/{actor_id}/strikes", tags=["claims"])
def strikes(
    request: Request, store: Store, actor_id: ActorId, params: Annotated[StrikePage, Query()]
) -> Page[ClaimView]:
    """Strikes by or against the actor, by event date, with who said what about each."""
    return _slice(request, q.strikes(store, actor_id, _only(params, q.StrikeParams)), params)


@router.get("/paths", tags=["graph"])
def paths(store: Store, params: Annotated[q.PathParams, Query()]) -> Paths:
    """The shortest paths between two actors, each step with the claim it rests on."""
    return q.paths(store, params)


# -- claims and events -----------------------------------------------------------


@router.get("/claims", tags=["claims"])
def claims(
    request: Request, store: Store, params: Annotated[ClaimPage, Query()]
) -> Page[ClaimView]:
    """Claims (all, or about one actor) by status and predicate, with who said what."""
    found = q.claims(store, _only(params, q.ClaimParams), params.offset, params.limit)
    return _page(request, found, found.total, params)


@router.get("/claims/contested", tags=["claims"])
def contested(
    request: Request, store: Store, params: Annotated[ContestedPage, Query()]
) -> Page[ClaimView]:
    """Claims some speaker reports and another denies, with both sides' words."""
    found = q.contested(store, _only(params, q.ContestedParams), params.offset, params.limit)
    return _page(request, found, found.total, params)


@router.get("/claims/{claim_id}", tags=["claims"])
def who_said(
    store: Store,
    claim_id: Annotated[str, Path(max_length=200)],
    params: Annotated[q.AsOf, Query()],
) -> ClaimView:
    """One claim: each speaker, stance, document, quote and date."""
    return q.who_said(store, claim_id, params)


@router.get("/sources", tags=["claims"])
def sources(
    request: Request, store: Store, params: Annotated[SourcesPage, Query()]
) -> Page[ClaimView]:
    """The sources of a relation (subject, predicate, object) in every event it is claimed in."""
    return _slice(request, q.sources(store, _only(params, q.SourcesParams)), params)


@router.get("/events", tags=["events"])
def timeline(
    request: Request, store: Store, params: Annotated[TimelinePage, Query()]
) -> Page[EventDetail]:
    """Events in date order, for an actor and/or a period, each with the claims about it."""
    found = q.timeline(store, _only(params, q.TimelineParams), params.offset, params.limit)
    return _page(request, found, found.total, params)


@router.get("/events/{event_id}", tags=["events"])
def event(
    store: Store,
    event_id: Annotated[str, Path(max_length=200)],
    params: Annotated[q.AsOf, Query()],
) -> EventDetail:
    """An event with every claim about it and who said what."""
    return q.event(store, event_id, params)


# -- places -----------------------------------------------------------------------


@router.get("/places", tags=["places"])
def places(request: Request, store: Store, params: Annotated[PlacePage, Query()]) -> Page[Place]:
    """All places by id, optionally of one kind: countries, governorates, cities, bases..."""
    found = q.places(store, _only(params, q.PlaceListParams), params.offset, params.limit)
    return _page(request, found, found.total, params)


@router.get("/places/{place_id}", tags=["places"])
def place(
    store: Store, place_id: Annotated[str, Path(max_length=200, examples=["camp-taji"])]
) -> PlaceDetail:
    """A place (by id or name), the places that contain it and those inside it, and the
    events there."""
    return q.place(store, place_id)


# -- documents --------------------------------------------------------------------


@router.get("/documents", tags=["documents"])
def documents(
    request: Request, store: Store, params: Annotated[PageParams, Query()]
) -> Page[DocumentRef]:
    """Documents, newest first, without their text."""
    found, total = q.documents(store, params.offset, params.limit)
    return _page(request, found, total, params)


@router.get("/documents/{document_id}", tags=["documents"])
def document(store: Store, document_id: Annotated[str, Path(max_length=200)]) -> DocumentOut:
    """A document with its text, and where it names known actors."""
    found, mentions = q.document(store, document_id)
    return DocumentOut(
        document=DocumentRef.model_validate(found.model_dump(exclude={"text"})),
        text=found.text,
        mentions=[
            MentionOut(actor=m.actor, text=m.text, start=m.start, end=m.end) for m in mentions
        ],
    )


@router.post(
    "/documents",
    tags=["documents"],
    status_code=201,
    dependencies=[Depends(write_access)],
    responses={
        200: {"description": "Already there: nothing changed.", "model": DocumentAdded},
        401: {"model": Problem, "description": "The API key is missing or wrong."},
        **BODY_ERRORS,
    },
)
def add_document(store: Store, body: DocumentIn, response: Response) -> DocumentAdded:
    """Add an article: its text and metadata, with the mentions, events, claims and
    who said what that extraction finds; returns what was added and the actors it names.

    The document's id is derived from its text, so sending it again changes
    nothing (200 instead of 201).
    """
    batch, result = load_documents(store, [Document(**body.model_dump())])
    (doc,) = batch.documents
    if not result.added["documents"]:
        response.status_code = 200
    return DocumentAdded(
        document=DocumentRef.model_validate(doc.model_dump(exclude={"text"})),
        added=dict(+result.added),
        updated=dict(+result.updated),
        unchanged=dict(+result.unchanged),
        mentions=[
            MentionOut(actor=m.actor, text=m.text, start=m.start, end=m.end) for m in batch.mentions
        ],
    )


# -- views ------------------------------------------------------------------------------

_PAGE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}}, "description": "A page that works offline."},
    # An error stays a JSON problem; with a `model` FastAPI would declare it as HTML, like the page.
    **{
        status: {
            "description": error["description"],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status, error in ERRORS.items()
    },
}


@router.get("/viz/actors/{actor_id}", tags=["views"], response_class=HTMLResponse, responses=_PAGE)
def viz_neighbourhood(
    store: Store, actor_id: ActorId, params: Annotated[q.NeighbourhoodParams, Query()]
) -> HTMLResponse:
    """An actor's neighbourhood drawn as an interactive network."""
    return HTMLResponse(viz.neighbourhood_page(store, actor_id, params))


@router.get("/viz/paths", tags=["views"], response_class=HTMLResponse, responses=_PAGE)
def viz_paths(store: Store, params: Annotated[q.PathParams, Query()]) -> HTMLResponse:
    """The shortest paths between two actors drawn as an interactive network."""
    return HTMLResponse(viz.paths_page(store, params))


@router.get("/viz/claims", tags=["views"], response_class=HTMLResponse, responses=_PAGE)
def viz_claims(store: Store, params: Annotated[q.ClaimParams, Query()]) -> HTMLResponse:
    """Claims (by status, predicate or actor) drawn as an interactive network."""
    return HTMLResponse(viz.claims_page(store, params))


@router.get("/viz/map", tags=["views"], response_class=HTMLResponse, responses=_PAGE)
def viz_map(
    store: Store, request: Request, params: Annotated[q.TimelineParams, Query()]
) -> HTMLResponse:
    """The events (filtered as `GET /events` filters them) on a map that works offline;
    over a tile server's tiles when `ACTORGRAPH_TILE_URL` is set."""
    return HTMLResponse(map_page(store, params, settings=request.app.state.settings))


_EXPORT_TYPES = {
    Format.GRAPHML: ("application/graphml+xml", "graphml"),
    Format.GEXF: ("application/gexf+xml", "gexf"),
    Format.JSON: ("application/json", "json"),
    Format.GEOJSON: ("application/geo+json", "geojson"),
    Format.STIX: ("application/stix+json", "stix.json"),
    Format.CSV: ("application/zip", "csv.zip"),
}


@router.get(
    "/export",
    tags=["graph"],
    response_class=Response,
    responses={
        200: {
            "description": "The graph as a file (`Content-Disposition: attachment`).",
            "content": {
                media: {"schema": {"type": "object"} if media.endswith("json") else {}}
                for media, _ in _EXPORT_TYPES.values()
            },
        }
    },
)
def export_graph(
    store: Store,
    fmt: Annotated[
        Format,
        Query(
            alias="format",
            description="graphml, gexf, json (node-link), csv (a zip of nodes.csv and "
            "edges.csv), geojson (the placed events as points) or stix (a STIX 2.1 bundle).",
        ),
    ],
) -> Response:
    """The whole graph as a file for other tools."""
    media, suffix = _EXPORT_TYPES[fmt]
    with tempfile.TemporaryDirectory() as folder:
        written = export(store.dump(), fmt, pathlib.Path(folder) / f"actorgraph.{suffix}")
        buffer = io.BytesIO()
        if fmt is Format.CSV:
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in written:
                    archive.write(path, path.name)
        else:
            buffer.write(written[0].read_bytes())
        body = buffer.getvalue()
    disposition = f'attachment; filename="actorgraph.{suffix}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


@service.get("/", response_class=HTMLResponse, include_in_schema=False)
async def home() -> HTMLResponse:
    """A small explorer: search an actor, pick a view, see it."""
    return HTMLResponse(viz.explorer_page())


# -- everything else ------------------------------------------------------------------


@router.post(
    "/cypher",
    tags=["service"],
    responses={
        403: {"model": Problem, "description": "Not a read-only query: the reason is named."},
        429: {
            "model": Problem,
            "description": "As many raw queries are running as the server allows "
            "(ACTORGRAPH_CYPHER_CONCURRENCY): try again after `Retry-After` seconds.",
            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        },
        501: {"model": Problem, "description": "The embedded store runs no Cypher."},
        **BODY_ERRORS,
    },
)
def cypher(request: Request, store: Store, body: CypherIn) -> CypherOut:
    """Run your own read-only Cypher on Neo4j (501 on the embedded store).

    The query is checked with `EXPLAIN` first and refused (403, naming why)
    unless it only reads: no writes, no `LOAD CSV`, no procedures outside a
    small allowlist, no other database, no computation Neo4j could not stop
    at the timeout. It runs in a read transaction, terminated on the server
    at the timeout, with caps on rows and bytes; a few run at once (429
    beyond). Pass values as `parameters`, never in the text.
    """
    settings: Settings = request.app.state.settings
    timeout = min(body.timeout or settings.cypher_timeout, settings.cypher_timeout)
    result = q.cypher(
        store,
        body.query,
        body.parameters,
        timeout=timeout,
        max_rows=settings.cypher_max_rows,
        max_bytes=settings.cypher_max_bytes,
    )
    return CypherOut(columns=result.columns, rows=result.rows, truncated=result.truncated)


@router.get("/stats", tags=["service"])
def stats(store: Store) -> GraphStatistics:
    """What the store holds: records of each kind, and claims by status."""
    return q.stats(store)
