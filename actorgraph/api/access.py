"""Who may call what, and how much they may send.

With ``ACTORGRAPH_API_KEY`` set, writes need ``Authorization: Bearer <key>``
(and reads too with ``ACTORGRAPH_PROTECT_READS``); the key is compared in
constant time. ``actorgraph serve`` refuses to listen beyond loopback
without a key. Request bodies over ``ACTORGRAPH_MAX_BODY_BYTES`` get 413
before they are read whole.
"""

from __future__ import annotations

import ipaddress
import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from actorgraph.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="The server's ACTORGRAPH_API_KEY.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine.

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _check(settings: Settings, credentials: HTTPAuthorizationCredentials | None) -> None:
    if settings.api_key is None:
        return
    expected = settings.api_key.get_secret_value().encode()
    # Starlette decodes header bytes as latin-1: encoding back gives the bytes the client
    # sent, so a non-ASCII key sent as UTF-8 matches (and never reaches compare_digest as str).
    given = credentials.credentials.encode("latin-1") if credentials is not None else b""
    if not secrets.compare_digest(given, expected):
        raise HTTPException(
            status_code=401,
            detail="this needs the API key: send Authorization: Bearer <ACTORGRAPH_API_KEY>",
            headers={"WWW-Authenticate": "Bearer"},
        )


def write_access(request: Request, credentials: Credentials) -> None:
    """Writes need the key whenever one is configured."""
    _check(request.app.state.settings, credentials)


def read_access(request: Request, credentials: Credentials) -> None:
    """Reads need the key too: the app adds this only with ``ACTORGRAPH_PROTECT_READS``."""
    _check(request.app.state.settings, credentials)


class BodyLimit:
    """ASGI middleware answering 413 to a body over ``max_bytes``, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.detail = (
            f"the request body is over the {max_bytes}-byte limit (ACTORGRAPH_MAX_BODY_BYTES)"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            response = JSONResponse({"detail": self.detail, "type": "too_large"}, status_code=413)
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                # FastAPI passes an HTTPException raised while reading a body through.
                raise HTTPException(status_code=413, detail=self.detail)
            return message

        await self.app(scope, counting_receive, send)
