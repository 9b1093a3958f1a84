"""Read-only Cypher from an analyst: how it runs, what may run, errors, JSON values.

:class:`RawCypher` runs an analyst's query for
:meth:`actorgraph.graph.neo4j.Neo4jStore.read_only`: its text is checked
first (:mod:`actorgraph.graph.cypher_guard`), then Neo4j's own ``EXPLAIN``
plan (:func:`check_plan`); it runs in a read transaction under a wall clock
of actorgraph's own, which terminates the transaction on the server when
time is up, and its answer is converted to JSON within a byte budget.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import math
import re
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from neo4j import READ_ACCESS, Driver, ResultSummary, RoutingControl
from neo4j.exceptions import (
    BrokenRecordError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time

from actorgraph.errors import (
    ActorGraphError,
    BusyError,
    InputError,
    QueryMemoryError,
    QueryRefusedError,
    QueryTimeoutError,
    UnavailableError,
)
from actorgraph.graph.cypher_guard import check_text, names_a_database
from actorgraph.graph.store import CypherResult

log = logging.getLogger(__name__)

UNREACHABLE = (ServiceUnavailable, SessionExpired, OSError)
"""What the driver raises when Neo4j is down or the connection broke: worth a retry later."""

ALLOWED_PROCEDURES = (
    "db.labels",
    "db.propertyKeys",
    "db.relationshipTypes",
    "db.schema.nodeTypeProperties",
    "db.schema.relTypeProperties",
    "db.schema.visualization",
)
"""Introspection procedures an analyst may call: they read the schema, nothing else."""

_WRITE_CLAUSES = (
    ("DetachDelete", "DETACH DELETE"),
    ("Delete", "DELETE"),
    ("Create", "CREATE"),
    ("Merge", "MERGE"),
    ("LockingMerge", "MERGE"),
    ("Set", "SET"),
    ("Remove", "REMOVE"),
    ("Foreach", "FOREACH"),
)
"""Plan operator prefix -> the clause it comes from (``REMOVE n.p`` plans as ``SetProperty``)."""
_COMMAND_PREFIXES = ("AdministrationCommand", "Show", "Terminate")
_IN_TRANSACTIONS = ("TransactionForeach", "TransactionApply")
_SRID_CRS = {7203: "cartesian", 9157: "cartesian-3d", 4326: "wgs-84", 4979: "wgs-84-3d"}

_POSITION = re.compile(r"\(line (\d+), column (\d+) \(offset: (\d+)\)\)")


def _operators(plan: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """Every operator of a plan tree as (operator, database, arguments)."""
    operator, _, database = str(plan.get("operatorType", "")).partition("@")
    yield operator, database, plan.get("args", {})
    for child in plan.get("children", []):
        yield from _operators(child)


def check_plan(summary: ResultSummary, database: str) -> None:
    """Refuse a query unless its ``EXPLAIN`` summary shows a plain read of ``database``.

    Raises
    ------
    QueryRefusedError
        Naming the first reason found: an administration or SHOW command,
        another database, a schema command, LOAD CSV, a procedure off
        :data:`ALLOWED_PROCEDURES`, a write, ``CALL { ... } IN TRANSACTIONS``.
    """
    if not summary.plan:
        raise QueryRefusedError("refused: Neo4j returned no plan to check")
    ops = list(_operators(summary.plan))
    for op, _, _ in ops:
        if op.startswith(_COMMAND_PREFIXES):
            raise QueryRefusedError(
                f"refused: administration and SHOW commands are not allowed ({op})"
            )
    targets = {db for _, db, _ in ops if db} | {summary.database or database}
    for target in sorted(targets):
        if target.casefold() != database.casefold():
            raise QueryRefusedError(
                f"refused: the query targets database {target!r}, only {database!r} is allowed"
            )
    for op, _, args in ops:
        if args.get("planner") == "ADMINISTRATION":
            raise QueryRefusedError(
                f"refused: schema and administration commands are not allowed ({op})"
            )
    for op, _, args in ops:
        if op == "LoadCSV":
            raise QueryRefusedError("refused: LOAD CSV reads files")
        if op == "ProcedureCall":
            name = str(args.get("Details", "?")).split("(", 1)[0].replace("`", "").strip()
            if name not in ALLOWED_PROCEDURES:
                raise QueryRefusedError(
                    f"refused: procedure {name} is not on the allowlist "
                    f"(allowed: {', '.join(ALLOWED_PROCEDURES)})"
                )
    if summary.query_type != "r":
        clauses = dict.fromkeys(
            clause for op, _, _ in ops for prefix, clause in _WRITE_CLAUSES if op.startswith(prefix)
        )
        if summary.query_type in ("w", "rw"):
            raise QueryRefusedError(
                f"refused: the query writes ({', '.join(clauses) or summary.query_type})"
            )
        raise QueryRefusedError(
            f"refused: the query is not read-only (Neo4j query type {summary.query_type!r})"
        )
    for op, _, _ in ops:
        if op in _IN_TRANSACTIONS:
            raise QueryRefusedError(
                "refused: CALL { ... } IN TRANSACTIONS needs transactions of its own"
            )


def _first_line(message: str, shift: int) -> str:
    """The server's first line, with positions moved back by ``shift`` characters."""

    def moved(m: re.Match[str]) -> str:
        line, column, offset = (int(g) for g in m.groups())
        column -= shift if line == 1 else 0
        return f"(line {line}, column {max(column, 1)} (offset: {max(offset - shift, 0)}))"

    first = (message.strip().splitlines() or ["(no message)"])[0]
    return _POSITION.sub(moved, first) if shift else first


def query_error(exc: Neo4jError, query: str, *, timeout: float, shift: int = 0) -> ActorGraphError:
    """The actorgraph error for a server error on an analyst's query: always a 4xx kind.

    The query is the caller's input, so whatever Neo4j says went wrong with
    it -- a syntax error, a function given a bad value (``substring('abc',
    -1)``, which Neo4j calls a database error), the memory limit -- is the
    caller's to fix.

    Parameters
    ----------
    exc
        What the driver raised.
    query
        The analyst's text (to recognise a ``USE`` clause in it).
    timeout
        The limit the query ran under, in seconds.
    shift
        Characters the server saw before ``query`` (``len("EXPLAIN ")``).
    """
    code = exc.code or ""
    message = _first_line(exc.message or str(exc), shift)
    if "TransactionTimedOut" in code or code.endswith("Transaction.Terminated"):
        return QueryTimeoutError(f"the query ran past the {timeout:g} s limit and was stopped")
    if "MemoryPoolOutOfMemoryError" in code or code.endswith("General.OutOfMemoryError"):
        return QueryMemoryError(
            f"the query needed more memory than Neo4j allows one transaction, and was "
            f"stopped (db.memory.transaction.max): {message}"
        )
    if code.endswith("DatabaseNotFound") or names_a_database(query):
        return QueryRefusedError(f"refused: the query targets another database (USE): {message}")
    if "conflicting values for execution mode" in message:  # our EXPLAIN, their PROFILE
        return QueryRefusedError(
            "refused: PROFILE runs the query to measure it; send the query without PROFILE"
        )
    if code.endswith("Statement.AccessMode"):
        return QueryRefusedError(f"refused: the query writes ({message})")
    if code.startswith("Neo.ClientError.Security."):
        return QueryRefusedError(f"refused: Neo4j does not allow it: {message}")
    if code.endswith("ParameterMissing") or "for parameter" in message:
        return InputError(message, field="parameters")
    return InputError(f"Neo4j could not run the query: {message}", field="query")


MAX_DEPTH = 64
"""Levels of lists and maps an answer or a parameter may nest."""
EXPLAIN = "EXPLAIN "
OWN_TRANSACTION = (
    "SHOW TRANSACTIONS YIELD transactionId, metaData "
    "WHERE metaData.actorgraph = $token RETURN transactionId"
)
TERMINATE = "TERMINATE TRANSACTIONS $id"
FETCH_SIZE = 100
"""Records pulled from Neo4j at a time: the server holds at most this many rows at once."""


class _FullError(Exception):
    """The answer reached its byte budget."""


@dataclass
class _Budget:
    """What is left of an answer's bytes, about as its JSON would take them."""

    left: float

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise _FullError


def to_json(value: Any, budget: _Budget | None = None, depth: int = 0) -> Any:
    """A driver value as a JSON value, within ``budget`` bytes and :data:`MAX_DEPTH` levels.

    Nodes, relationships and paths become dicts (relationship ends as element
    ids), temporal values ISO strings, points dicts, bytes base64, non-finite
    floats the strings ``"NaN"``, ``"Infinity"``, ``"-Infinity"``.

    Raises
    ------
    InputError
        If the value nests lists and maps deeper than :data:`MAX_DEPTH`.

    Examples
    --------
    >>> to_json({"when": Date(2020, 1, 3), "xs": (1, float("nan"), b"hi")})
    {'when': '2020-01-03', 'xs': [1, 'NaN', 'aGk=']}
    """
    budget = budget or _Budget(math.inf)
    if depth > MAX_DEPTH:
        raise InputError(
            f"the answer nests lists and maps deeper than {MAX_DEPTH} levels", field="query"
        )
    if value is None or isinstance(value, (bool, int)):
        budget.spend(8)
        return value
    if isinstance(value, str):
        budget.spend(len(value) + 2)
        return value
    if isinstance(value, float):
        budget.spend(8)
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, (bytes, bytearray)):
        budget.spend(len(value) * 4 // 3 + 4)
        return base64.b64encode(value).decode("ascii")
    inner = depth + 1
    if isinstance(value, Node):
        return {
            "element_id": to_json(value.element_id, budget),
            "labels": to_json(sorted(value.labels), budget, inner),
            "properties": to_json(dict(value), budget, inner),
        }
    if isinstance(value, Relationship):
        start, end = value.start_node, value.end_node
        return {
            "element_id": to_json(value.element_id, budget),
            "type": to_json(value.type, budget),
            "start": to_json(start.element_id if start is not None else None, budget),
            "end": to_json(end.element_id if end is not None else None, budget),
            "properties": to_json(dict(value), budget, inner),
        }
    if isinstance(value, Path):
        return {
            "nodes": [to_json(n, budget, inner) for n in value.nodes],
            "relationships": [to_json(r, budget, inner) for r in value.relationships],
        }
    if isinstance(value, DateTime):
        zone = getattr(value.tzinfo, "zone", None) or getattr(value.tzinfo, "key", None)
        return to_json(value.iso_format() + (f"[{zone}]" if zone and zone != "UTC" else ""), budget)
    if isinstance(value, (Date, Time, Duration)):
        return to_json(value.iso_format(), budget)
    if isinstance(value, (dt.date, dt.time)):
        return to_json(value.isoformat(), budget)
    if isinstance(value, Point):
        axes = ("x", "y", "z")
        budget.spend(48)
        return {
            "crs": _SRID_CRS.get(value.srid or 0, "unknown"),
            "srid": value.srid,
            **{axis: float(v) for axis, v in zip(axes, value, strict=False)},
        }
    if isinstance(value, Mapping):
        budget.spend(2)
        return {to_json(str(k), budget): to_json(v, budget, inner) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        budget.spend(2 + len(value))
        return [to_json(v, budget, inner) for v in value]
    return to_json(str(value), budget)


def check_parameters(parameters: Mapping[str, Any]) -> None:
    """Refuse parameters nested deeper than :data:`MAX_DEPTH` (the driver packs them by recursion).

    Examples
    --------
    >>> check_parameters({"xs": [[1, 2], {"a": [3]}]})
    >>> deep: list[object] = []
    >>> for _ in range(100):
    ...     deep = [deep]
    >>> check_parameters({"deep": deep})
    Traceback (most recent call last):
    ...
    actorgraph.errors.InputError: parameters: nested deeper than 64 levels (deep)
    """
    stack = [(name, value, 1) for name, value in parameters.items()]
    while stack:
        name, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError(f"nested deeper than {MAX_DEPTH} levels ({name})", field="parameters")
        if isinstance(value, Mapping):
            stack.extend((name, v, depth + 1) for v in value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend((name, v, depth + 1) for v in value)


@dataclass
class _Run:
    """One analyst's query on its way through Neo4j, watched by the caller's clock."""

    query: str
    parameters: dict[str, Any]
    timeout: float
    max_rows: int
    max_bytes: int
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    started: float = field(default_factory=time.monotonic)
    transaction: str | None = None  # Neo4j's id for it, once known
    abandoned: bool = False  # the caller's time ran out
    result: CypherResult | None = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


class RawCypher:
    """Runs analysts' queries on Neo4j: a few at a time, each under a wall clock.

    Neo4j enforces a transaction's timeout only where it checks for it, and
    a query whose client has stopped waiting goes on; so each query runs in
    a thread of its own, tagged with a token in its transaction's metadata,
    while the caller waits on a clock. When time is up the caller stops
    waiting and terminates the transaction on the server (it learnt the
    transaction's id from ``SHOW TRANSACTIONS``, inside that transaction,
    before the query ran). A slot is held until the query's thread is done,
    so a query that outlives its termination still counts against
    ``concurrency``.

    Parameters
    ----------
    driver
        The store's driver.
    database
        The one database queries may read.
    location
        Where Neo4j is, for messages.
    concurrency
        Queries that may run at once; the next gets :class:`BusyError`.
    """

    def __init__(self, driver: Driver, database: str, location: str, concurrency: int) -> None:
        self._driver = driver
        self._database = database
        self._location = location
        self._concurrency = concurrency
        self._slots = threading.BoundedSemaphore(concurrency)

    def run(
        self,
        query: str,
        parameters: Mapping[str, Any],
        *,
        timeout: float,
        max_rows: int,
        max_bytes: int,
    ) -> CypherResult:
        """Check ``query``, run it, and return its answer or the error that stopped it.

        Raises
        ------
        QueryRefusedError
            If the query could write, reach beyond the graph, or compute where
            Neo4j cannot stop it; names why.
        InputError
            On a syntax error or a value Neo4j refused (field ``query``), or a
            bad parameter (``parameters``).
        QueryTimeoutError
            If ``timeout`` seconds passed first: its transaction was terminated.
        QueryMemoryError
            If it needed more than Neo4j's memory limit for one transaction.
        BusyError
            If ``concurrency`` queries are running already.
        UnavailableError
            If Neo4j cannot be reached.
        """
        check_text(query, parameters)
        check_parameters(parameters)
        if not self._slots.acquire(blocking=False):
            raise BusyError(
                f"{self._concurrency} raw queries are running, as many as this server allows "
                "at once (ACTORGRAPH_CYPHER_CONCURRENCY); try again shortly",
                retry_after=max(1, math.ceil(timeout)),
            )
        run = _Run(query, dict(parameters), timeout, max_rows, max_bytes)
        threading.Thread(target=self._work, args=(run,), name="raw-cypher", daemon=True).start()
        if not run.done.wait(timeout):
            self._abandon(run)
            raise QueryTimeoutError(f"the query ran past the {timeout:g} s limit and was stopped")
        if run.error is not None:
            raise run.error
        assert run.result is not None
        return run.result

    def _abandon(self, run: _Run) -> None:
        """Stop waiting for ``run``, and terminate its transaction if it has one yet."""
        with run.lock:
            run.abandoned = True
            transaction = run.transaction
        if transaction is None:
            return  # the query's thread sees ``abandoned`` before it runs anything
        try:
            self._driver.execute_query(
                TERMINATE, id=transaction, database_=self._database, routing_=RoutingControl.READ
            )
        except (DriverError, Neo4jError, OSError) as exc:
            log.warning("could not terminate transaction %s: %s", transaction, exc)

    def _work(self, run: _Run) -> None:
        """The query's thread: its transaction from start to end, then its slot back."""
        shift = len(EXPLAIN)  # positions in EXPLAIN's errors count the prefix
        try:
            with (
                self._driver.session(
                    database=self._database, default_access_mode=READ_ACCESS, fetch_size=FETCH_SIZE
                ) as session,
                session.begin_transaction(
                    timeout=run.timeout, metadata={"actorgraph": run.token}
                ) as tx,
            ):
                # The plan first: Neo4j refuses an administration command after a read.
                check_plan(tx.run(EXPLAIN + run.query, run.parameters).consume(), self._database)
                shift = 0
                own = tx.run(OWN_TRANSACTION, token=run.token).single(strict=True)
                with run.lock:
                    if run.abandoned:
                        return
                    run.transaction = own["transactionId"]
                run.result = _answer(tx.run(run.query, run.parameters), run)  # by design
        except (ActorGraphError, DriverError, Neo4jError, OSError, RecursionError) as exc:
            run.error = self._error(exc, run, shift)
        except (TypeError, ValueError, OverflowError) as exc:  # the driver cannot send a value
            run.error = InputError(" ".join(str(exc).split()), field="parameters")
        finally:
            late = time.monotonic() - run.started - run.timeout
            if run.abandoned and late > 1:
                log.warning(
                    "raw query %s ran %.1f s past its timeout, where Neo4j could not stop it: %s",
                    run.transaction,
                    late,
                    " ".join(run.query.split())[:200],
                )
            self._slots.release()
            run.done.set()

    def _error(self, exc: BaseException, run: _Run, shift: int) -> ActorGraphError:
        if isinstance(exc, ActorGraphError):
            return exc
        if isinstance(exc, Neo4jError):
            return query_error(exc, run.query, timeout=run.timeout, shift=shift)
        if isinstance(exc, BrokenRecordError):
            cause = " ".join(str(exc.__cause__ or "").split())
            return InputError(
                f"Neo4j answered a value the driver cannot read ({exc}): {cause}", field="query"
            )
        if isinstance(exc, RecursionError):
            return InputError(
                f"the answer nests lists and maps deeper than {MAX_DEPTH} levels", field="query"
            )
        message = " ".join(str(exc).split())
        if isinstance(exc, UNREACHABLE):
            return UnavailableError(f"Neo4j at {self._location} is unreachable: {message}")
        return ActorGraphError(f"Neo4j at {self._location} failed the query: {message}")


def _answer(result: Any, run: _Run) -> CypherResult:
    """The rows of ``result`` as JSON, at most ``max_rows`` of them and ``max_bytes`` in all."""
    columns = list(result.keys())
    budget = _Budget(run.max_bytes)
    rows: list[dict[str, Any]] = []
    for record in result:
        if len(rows) == run.max_rows or run.abandoned:
            return CypherResult(columns, rows, truncated=True)
        try:
            rows.append(
                {c: to_json(v, budget, 1) for c, v in zip(columns, record.values(), strict=True)}
            )
        except _FullError:
            return CypherResult(columns, rows, truncated=True)
    return CypherResult(columns, rows, truncated=False)
