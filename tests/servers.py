"""Real servers for the HTTP tests: ``actorgraph serve`` in a subprocess, and a TCP proxy."""

from __future__ import annotations

import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path
from typing import IO

import httpx

from actorgraph.settings import Settings

REPO = Path(__file__).resolve().parent.parent
NEO4J_HOME = Path(os.environ.get("ACTORGRAPH_NEO4J_HOME", REPO / ".cache" / "neo4j"))
"""Where ``scripts/neo4j`` keeps the suite's Neo4j: its jars, data and logs."""
CHROMIUM_FLAGS = [  # the house's flags for Chromium on these machines
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK = "http://127.0.0.1"
"""The base URL of an app tested in-process: a Host the API trusts, as a local server sees."""


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
    with api_process(env, startup, log) as (base, _):
        yield base


@contextmanager
def api_process(
    env: Mapping[str, str], startup: float = 60, log: IO[str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """:func:`api_server`, yielding its process too (to read its memory, say)."""
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
            yield base, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def neo4j_logs() -> Path:
    """The log folder of the suite's Neo4j (absent when ``NEO4J_URI`` names another)."""
    return NEO4J_HOME / "logs"


def peak_memory(pid: int) -> int:
    """The most memory (resident set, bytes) process ``pid`` has held since it started."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kib) * 1024


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


class PrivateNeo4j:
    """A Neo4j of a test's own, in ``home``, to kill and restart without touching the suite's.

    It runs the jars of the suite's Neo4j (``scripts/neo4j``'s home) on free ports.
    """

    def __init__(self, home: Path) -> None:
        shared = NEO4J_HOME
        home.mkdir(parents=True, exist_ok=True)
        for folder in ("lib", "plugins"):
            (home / folder).symlink_to(shared / folder, target_is_directory=True)
        self.home = home
        self.bolt, http = free_port(), free_port()
        self._env = {
            **os.environ,
            "ACTORGRAPH_NEO4J_HOME": str(home),
            "ACTORGRAPH_NEO4J_BOLT_PORT": str(self.bolt),
            "ACTORGRAPH_NEO4J_HTTP_PORT": str(http),
        }

    def _script(self, command: str) -> str:
        done = subprocess.run(
            [sys.executable, str(REPO / "scripts" / "neo4j"), command],
            env=self._env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(f"scripts/neo4j {command} failed:\n{done.stderr}")
        return done.stdout

    def start(self) -> None:
        self._script("start")

    def stop(self) -> None:
        self._script("stop")

    def kill(self) -> None:
        """SIGKILL the server, as a crash or an OOM killer would: no shutdown, no flush."""
        pid = int((self.home / "neo4j.pid").read_text(encoding="utf-8"))
        os.killpg(pid, signal.SIGKILL)
        with suppress(ChildProcessError):
            os.waitpid(pid, 0)

    def settings(self) -> Settings:
        password = (self.home / "password").read_text(encoding="utf-8").strip()
        uri = f"bolt://127.0.0.1:{self.bolt}"
        return Settings(NEO4J_URI=uri, NEO4J_USERNAME="neo4j", NEO4J_PASSWORD=password)
