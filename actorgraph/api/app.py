"""The FastAPI application: one store per process, opened at start-up, closed at shutdown.

``create_app`` reads the settings once: the API key, CORS origins, trusted
hosts and the body limit are fixed for the life of the server. The API page
(``/docs``) is served with its scripts from the package (fastapi-offline),
never from a CDN.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from fastapi_offline import FastAPIOffline
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from actorgraph import __version__
from actorgraph.api.access import BodyLimit, read_access
from actorgraph.api.routes import router, service
from actorgraph.api.schemas import Problem
from actorgraph.api.security import SecurityHeaders, TrustedHosts
from actorgraph.errors import (
    ActorGraphError,
    BusyError,
    InputError,
    IntegrityError,
    NotFoundError,
    QueryMemoryError,
    QueryRefusedError,
    QueryTimeoutError,
    UnavailableError,
    UnsupportedError,
)
from actorgraph.graph import open_store
from actorgraph.settings import Settings

ERROR_STATUS: tuple[tuple[type[ActorGraphError], int, str], ...] = (
    (NotFoundError, 404, "not_found"),
    (InputError, 422, "invalid"),
    (IntegrityError, 409, "conflict"),
    (QueryRefusedError, 403, "refused"),
    (QueryTimeoutError, 422, "timeout"),
    (QueryMemoryError, 422, "memory"),
    (BusyError, 429, "busy"),
    (UnsupportedError, 501, "unsupported"),
    (UnavailableError, 503, "unavailable"),
    (ActorGraphError, 500, "error"),
)
"""Each error kind and its HTTP status, most specific first: the one place they are mapped."""

HTTP_ERROR_TYPES = {
    400: "invalid",
    401: "unauthorized",
    404: "not_found",
    405: "not_allowed",
    413: "too_large",
}
"""The ``type`` of the errors the HTTP layer raises itself (a key missing, an unknown URL...)."""

_LOCATIONS = {"path", "query", "header", "cookie", "body"}

DESCRIPTION = """
An actor knowledge graph that keeps **who claimed what, and who denied it**.

Every endpoint runs a named query from the catalogue (`GET /queries` lists
them with their parameters and Cypher). Claims carry a status derived from
what each speaker said: `reported`, `confirmed`, `contested` or `denied`;
`as_of=YYYY-MM-DD` shows what was known on that day. Lists are paged:
`{data, count, next}`.

Writes (`POST /documents`) need `Authorization: Bearer <ACTORGRAPH_API_KEY>`
when a key is configured.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API over the store ``settings`` name (from the environment by default)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = open_store(settings)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPIOffline(
        title="actorgraph",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        redoc_url=None,
    )
    app.state.settings = settings
    app.include_router(service)
    # Reads depend on the key only when they need it, so the OpenAPI asks for it only then.
    reads = [Depends(read_access)] if settings.protect_reads else []
    app.include_router(router, dependencies=reads)
    if settings.allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.allowed_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(TrustedHosts, allowed=settings.allowed_hosts)
    tiles = [settings.tile_origin] if settings.tile_origin else []
    # the outermost: on every answer, a 400 for a host too
    app.add_middleware(SecurityHeaders, image_origins=tiles)

    @app.exception_handler(ActorGraphError)
    async def actorgraph_error(request: Request, exc: ActorGraphError) -> Response:
        status, kind = next((s, k) for cls, s, k in ERROR_STATUS if isinstance(exc, cls))
        field = exc.field if isinstance(exc, InputError) else None
        wait = {"Retry-After": str(exc.retry_after)} if isinstance(exc, BusyError) else None
        return _problem(status, kind, str(exc), field, headers=wait)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # FastAPI answers a body it cannot parse with a bare 400: say what is wrong with it
        reason = _unparseable(exc.__cause__) if exc.status_code == 400 else None
        if reason is not None:
            return _problem(400, "invalid", reason, "body")
        kind = HTTP_ERROR_TYPES.get(exc.status_code, "error")
        return _problem(exc.status_code, kind, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        return _invalid(exc.errors())

    @app.exception_handler(ValidationError)
    async def validation_error(request: Request, exc: ValidationError) -> Response:
        # A model built inside a handler from valid-looking input (a document's text
        # that normalises to nothing, say): the client's input, so a 422 naming it.
        return _invalid(exc.errors(include_url=False))

    return app


def _problem(
    status: int,
    kind: str,
    detail: str,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    problem = Problem(detail=detail, type=kind, field=field)
    # ASCII-escaped: a detail may quote the input, and JSON can carry a lone surrogate
    # ("\ud800") that UTF-8 cannot encode.
    content = json.dumps(problem.model_dump(), ensure_ascii=True)
    return Response(content, status_code=status, headers=headers, media_type="application/json")


def _invalid(errors: Sequence[Any]) -> Response:
    """A 422 in the one error shape: ``detail`` names each invalid value, ``field`` the first."""
    named: list[tuple[list[str], str]] = []
    for error in errors:
        where = [str(part) for part in error["loc"]]
        if len(where) > 1 and where[0] in _LOCATIONS and isinstance(error["loc"][1], str):
            where = where[1:]  # "as_of", not "query.as_of"; but a body's JSON error stays "body"
        message = error["msg"]
        if error["type"] == "json_invalid":
            message = f"not valid JSON: {error['ctx']['error']} at character {where[-1]}"
            where = where[:1]
        named.append((where, message))
    detail = "; ".join(f"{'.'.join(where)}: {message}" for where, message in named)
    return _problem(422, "invalid", detail, named[0][0][0] if named else None)


def _unparseable(cause: BaseException | None) -> str | None:
    """Why a request body could not be read as JSON, if that is what ``cause`` says."""
    if isinstance(cause, UnicodeDecodeError):
        byte = cause.object[cause.start]
        return f"the body is not UTF-8 (byte 0x{byte:02x} at offset {cause.start})"
    if isinstance(cause, RecursionError):
        return "the body's JSON is nested too deep"
    if isinstance(cause, ValueError):  # json's only other: an integer of over 4,300 digits
        return "the body's JSON holds a number too long"
    return None
