"""The FastAPI application: one store per process, opened at start-up, closed at shutdown.

``create_app`` reads the settings once: the API key, CORS origins and the
body limit are fixed for the life of the server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

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

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # FastAPI answers a body it cannot parse with a bare 400: say what is wrong with it
        reason = _unparseable(exc.__cause__) if exc.status_code == 400 else None
        if reason is None:
            return await http_exception_handler(request, exc)
        problem = Problem(detail=reason, type="invalid", field="body")
        return JSONResponse(problem.model_dump(), status_code=400)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _invalid(exc.errors())

    @app.exception_handler(ValidationError)
    async def validation_error(request: Request, exc: ValidationError) -> JSONResponse:
        # A model built inside a handler from valid-looking input (a document's text
        # that normalises to nothing, say): the client's input, so a 422 naming it.
        return _invalid(exc.errors(include_url=False))

    return app


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


def _invalid(errors: Sequence[Any]) -> JSONResponse:
    """422 naming each invalid field, as FastAPI answers, each with the input it was given,
    unless an input cannot be written as JSON: a lone surrogate (JSON's escapes let a client
    send one) or NaN. The response would fail, and the client get a 500."""
    try:
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)
    except ValueError:
        without = [{k: v for k, v in error.items() if k != "input"} for error in errors]
        return JSONResponse({"detail": jsonable_encoder(without)}, status_code=422)
