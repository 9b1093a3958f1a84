"""Real servers for the HTTP tests: ``actorgraph serve`` in a subprocess, and a TCP proxy."""

from __future__ import annotations

import os
import selectors
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext, suppress
from typing import IO

import httpx

from actorgraph.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def neo4j_env(settings: Settings, uri: str | None = None) -> dict[str, str]:
    return {
        "NEO4J_URI": uri or settings.neo4j_uri or "",
        "NEO4J_USERNAME": settings.neo4j_username,
        "NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "NEO4J_DATABASE": settings.neo4j_database,
    }


def clean_env(**env: str) -> dict[str, str]:
    """This process's environment without any store or API setting, plus ``env``."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "ACTORGRAPH_"))}
    return {**kept, **env}


@contextmanager
def api_server(
    env: Mapping[str, str], startup: float = 60, log: IO[str] | None = None
) -> Iterator[str]:
    """``actorgraph serve`` on a free loopback port with ``env``; yields its base URL.

    ``startup`` is how many seconds it may take to answer ``/health``; ``log``,
    when given, receives the server's output (a test may read it afterwards).
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # Its log goes to a file: a pipe nobody reads fills up, and the server then
    # blocks writing its access log (after about 64 KiB, some hundreds of requests).
    with nullcontext(log) if log else tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "actorgraph", "serve", "--port", str(port)],
            env=clean_env(**env),
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + startup
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    output = log.read()
                    raise RuntimeError(f"actorgraph serve exited {process.returncode}:\n{output}")
                with suppress(httpx.TransportError):
                    if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"actorgraph serve did not answer /health in {startup} s")
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Proxy:
    """A TCP proxy to ``upstream`` that can be cut and restored, to play a Neo4j outage."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def start(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Close the listener and every open connection: Neo4j is gone."""
        with self._lock:
            if self._listener is not None:
                with suppress(OSError):  # wakes the thread blocked in accept()
                    self._listener.shutdown(socket.SHUT_RDWR)
                self._listener.close()
                self._listener = None
            for conn in self._connections:
                with suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self._connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._connections += [client, server]
            threading.Thread(target=self._pipe, args=(client, server), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        selector = selectors.DefaultSelector()
        selector.register(a, selectors.EVENT_READ, b)
        selector.register(b, selectors.EVENT_READ, a)
        try:
            while True:
                for key, _ in selector.select():
                    source = key.fileobj
                    assert isinstance(source, socket.socket)
                    data = source.recv(65536)
                    if not data:
                        return
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            selector.close()
            a.close()
            b.close()
