"""Who may reach the server by which name, and what a browser may do with its answers.

Two ASGI middlewares, outermost first:

- :class:`SecurityHeaders` puts on every response ``X-Content-Type-Options:
  nosniff``, ``Referrer-Policy: no-referrer``,
  ``Cross-Origin-Resource-Policy: same-origin`` and a Content-Security-Policy:
  for JSON and files, nothing may load and nothing may frame them; for an
  HTML page, scripts only from this origin or inline ones the page itself
  ships (each allowed by its SHA-256), connections and frames to this origin
  only, and only this origin may frame it (the explorer frames the views).
- :class:`TrustedHosts` answers 400 to a ``Host`` that is not a loopback name
  or one of ``ACTORGRAPH_ALLOWED_HOSTS``. A page on another site that makes
  its own name resolve to 127.0.0.1 (DNS rebinding) then reaches nothing,
  and the ``next`` links of lists are built from a name the server trusts.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from actorgraph.api.access import is_loopback

COMMON_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
"""The policy of every response that is not an HTML page: JSON, files, errors."""
PAGE_POLICY = (
    "default-src 'none'; script-src 'self' {scripts}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:{images}; font-src 'self'; connect-src 'self'; frame-src 'self'; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'self'"
)
"""An HTML page's policy. Styles may be inline: the network views' library and the API
page set them at run time; scripts may not, but for the page's own."""

_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.S | re.I)


def page_policy(html: bytes, image_origins: Iterable[str] = ()) -> str:
    """The Content-Security-Policy of ``html``: its inline scripts allowed by their hashes,
    images from ``image_origins`` too (the map's tile server, when one is set).

    Examples
    --------
    >>> policy = page_policy(b"<p>hi</p><script>go()</script><script src='/a.js'></script>")
    >>> policy.split("; ")[1]
    "script-src 'self' 'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='"
    """
    hashes = dict.fromkeys(
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    )
    images = "".join(f" {origin}" for origin in image_origins)
    return PAGE_POLICY.format(scripts=" ".join(hashes) or "", images=images)


class SecurityHeaders:
    """ASGI middleware putting the security headers on every response (see the module)."""

    def __init__(self, app: ASGIApp, image_origins: Iterable[str] = ()) -> None:
        self.app = app
        self.image_origins = tuple(image_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        page: list[bytes] = []

        async def secured(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", ()) if k not in _OURS]
                if _is_html(headers):  # its policy needs its body: hold the start until then
                    start = {**message, "headers": headers}
                    return
                await send({**message, "headers": [*headers, *_headers(DATA_POLICY)]})
                return
            if start is None:
                await send(message)
                return
            page.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(page)
            headers = [(k, v) for k, v in start["headers"] if k != b"content-length"]
            policy = page_policy(body, self.image_origins)
            headers += [(b"content-length", str(len(body)).encode()), *_headers(policy)]
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, secured)


_OURS = frozenset(name for name, _ in COMMON_HEADERS) | {b"content-security-policy"}


def _headers(policy: str) -> list[tuple[bytes, bytes]]:
    return [*COMMON_HEADERS, (b"content-security-policy", policy.encode())]


def _is_html(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    return any(k == b"content-type" and v.startswith(b"text/html") for k, v in headers)


class TrustedHosts:
    """ASGI middleware answering 400 to a ``Host`` header that names no trusted host.

    Parameters
    ----------
    app
        What it guards.
    allowed
        Host names beside the loopback ones (``localhost``, ``127.0.0.1``,
        ``[::1]``...), lower-case, without ports.
    """

    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(allowed)

    def trusts(self, host: str) -> bool:
        """Whether ``host`` (a ``Host`` header's value, port and all) names this server.

        Examples
        --------
        >>> guard = TrustedHosts(None, ["graph.example.org"])  # type: ignore[arg-type]
        >>> hosts = ("127.0.0.1:8000", "[::1]", "Graph.Example.org", "evil.example", "")
        >>> [guard.trusts(host) for host in hosts]
        [True, True, True, False, False]
        """
        name = _host_name(host)
        return bool(name) and (is_loopback(name) or name in self.allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
        if self.trusts(host):
            await self.app(scope, receive, send)
            return
        detail = (
            f"the Host header {host[:100]!r} names no host this server answers to: "
            "it answers to its loopback names and to ACTORGRAPH_ALLOWED_HOSTS"
        )
        body = json.dumps({"detail": detail, "type": "invalid", "field": "Host"}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 400,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _host_name(host: str) -> str:
    """The name in a ``Host`` header, without its port: ``[::1]:8000`` -> ``[::1]``."""
    name = host.strip().lower()
    if name.startswith("["):
        return name.split("]", 1)[0] + "]"
    return name.rsplit(":", 1)[0] if name.count(":") == 1 else name
