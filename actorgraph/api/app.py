"""The FastAPI application: one store per process, opened at start-up, closed at shutdown."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from pydantic import BaseModel

from actorgraph import __version__
from actorgraph.errors import ActorGraphError
from actorgraph.graph import open_store
from actorgraph.graph.store import GraphStore


class Health(BaseModel):
    """Which store the API uses, and whether it answers."""

    store: str
    location: str
    ok: bool
    detail: str | None = None


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.store = open_store()
    try:
        yield
    finally:
        app.state.store.close()


app = FastAPI(title="actorgraph", version=__version__, lifespan=lifespan)


@app.get("/health")
def health(request: Request) -> Health:
    """The store in use (``embedded`` or ``neo4j``) and whether a read succeeds."""
    store: GraphStore = request.app.state.store
    try:
        store.stats()
    except ActorGraphError as exc:
        return Health(store=store.name, location=store.location, ok=False, detail=str(exc))
    return Health(store=store.name, location=store.location, ok=True)
