"""The FastAPI application: one store per process, opened at start-up, closed at shutdown.

``create_app`` reads the settings once: the API key, CORS origins and the
body limit are fixed for the life of the server.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError

from actorgraph import __version__
from actorgraph.api.access import BodyLimit, read_access
from actorgraph.api.routes import router, service
from actorgraph.api.schemas import Problem
from actorgraph.errors import (
    ActorGraphError,
    InputError,
    IntegrityError,
    NotFoundError,
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
    (UnsupportedError, 501, "unsupported"),
    (UnavailableError, 503, "unavailable"),
    (ActorGraphError, 500, "error"),
)
"""Each error kind and its HTTP status, most specific first: the one place they are mapped."""

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

    app = FastAPI(
        title="actorgraph",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.include_router(service)
    app.include_router(router, dependencies=[Depends(read_access)])
    if settings.allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.allowed_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)

    @app.exception_handler(ActorGraphError)
    async def actorgraph_error(request: Request, exc: ActorGraphError) -> JSONResponse:
        status, kind = next((s, k) for cls, s, k in ERROR_STATUS if isinstance(exc, cls))
        field = exc.field if isinstance(exc, InputError) else None
        problem = Problem(detail=str(exc), type=kind, field=field)
        return JSONResponse(problem.model_dump(), status_code=status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        # FastAPI's own 422, with non-ASCII escaped: the errors echo the input, and JSON
        # can carry a lone surrogate ("\ud800") that UTF-8 cannot encode.
        content = json.dumps({"detail": jsonable_encoder(exc.errors())}, ensure_ascii=True)
        return Response(content, status_code=422, media_type="application/json")

    @app.exception_handler(ValidationError)
    async def validation_error(request: Request, exc: ValidationError) -> Response:
        # A model built inside a handler from valid-looking input (a document's text
        # that normalises to nothing, say): the client's input, so a 422 naming it.
        return await invalid_request(request, RequestValidationError(exc.errors(include_url=False)))

    return app
