"""The HTTP API (FastAPI): routers and request/response schemas over the query catalogue."""
