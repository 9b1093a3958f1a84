"""Read-only Cypher from an analyst: the checks, the error mapping, the JSON values.

:meth:`actorgraph.graph.neo4j.Neo4jStore.read_only` runs the query; this
module decides, from Neo4j's own ``EXPLAIN`` plan, whether it may run, turns
driver errors into actorgraph errors and driver values into JSON values.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from neo4j import ResultSummary
from neo4j.exceptions import Neo4jError
from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time

from actorgraph.errors import ActorGraphError, InputError, QueryRefusedError, QueryTimeoutError

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

# Strings, backtick names and comments, so that a ';' or 'USE' inside them is not seen.
_OPAQUE = re.compile(
    r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`]|``)*`|//[^\n]*|/\*.*?\*/""", re.DOTALL
)
_USE = re.compile(r"(?:^|[{]|\bUNION(?:\s+ALL|\s+DISTINCT)?)\s*USE\s", re.IGNORECASE)
_POSITION = re.compile(r"\(line (\d+), column (\d+) \(offset: (\d+)\)\)")


@dataclass(frozen=True)
class CypherResult:
    """The answer to an analyst's query.

    Attributes
    ----------
    columns
        Column names, in the query's order.
    rows
        One dict per row, column name to a JSON-serialisable value.
    truncated
        True when the query had more rows than were returned.
    """

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool


def _masked(query: str) -> str:
    """``query`` with string literals, backtick names and comments blanked out."""
    return _OPAQUE.sub(lambda m: " " if m.group().startswith("/") else "x", query)


def check_one_statement(query: str) -> None:
    """Refuse text holding more than one statement (a trailing ``;`` is fine).

    Raises
    ------
    InputError
        If there is no statement at all, only blanks or comments.
    QueryRefusedError
        If a ``;`` outside strings and comments is followed by more text.

    Examples
    --------
    >>> check_one_statement("RETURN ';' AS a; // done")
    >>> check_one_statement("RETURN 1; RETURN 2")
    Traceback (most recent call last):
    ...
    actorgraph.errors.QueryRefusedError: refused: more than one statement (separated by ';')
    """
    if not _masked(query).strip():
        raise InputError("the query is empty", field="query")
    if re.search(r";\s*\S", _masked(query)):
        raise QueryRefusedError("refused: more than one statement (separated by ';')")


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
    """The actorgraph error for a server error on an analyst's query.

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
    if "TransactionTimedOut" in code:
        return QueryTimeoutError(f"the query ran past the {timeout:g} s limit and was stopped")
    if code.endswith("DatabaseNotFound") or _USE.search(_masked(query)):
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
    if code.startswith(("Neo.ClientError.Statement.", "Neo.ClientError.Procedure.")):
        return InputError(message, field="query")
    return ActorGraphError(f"Neo4j failed the query: {message}")


def to_json(value: Any) -> Any:
    """A driver value as a JSON value.

    Nodes, relationships and paths become dicts (relationship ends as element
    ids), temporal values ISO strings, points dicts, bytes base64, non-finite
    floats the strings ``"NaN"``, ``"Infinity"``, ``"-Infinity"``.

    Examples
    --------
    >>> to_json({"when": Date(2020, 1, 3), "xs": (1, float("nan"), b"hi")})
    {'when': '2020-01-03', 'xs': [1, 'NaN', 'aGk=']}
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Node):
        return {
            "element_id": value.element_id,
            "labels": sorted(value.labels),
            "properties": to_json(dict(value)),
        }
    if isinstance(value, Relationship):
        start, end = value.start_node, value.end_node
        return {
            "element_id": value.element_id,
            "type": value.type,
            "start": start.element_id if start is not None else None,
            "end": end.element_id if end is not None else None,
            "properties": to_json(dict(value)),
        }
    if isinstance(value, Path):
        return {
            "nodes": [to_json(n) for n in value.nodes],
            "relationships": [to_json(r) for r in value.relationships],
        }
    if isinstance(value, DateTime):
        zone = getattr(value.tzinfo, "zone", None) or getattr(value.tzinfo, "key", None)
        return value.iso_format() + (f"[{zone}]" if zone and zone != "UTC" else "")
    if isinstance(value, (Date, Time, Duration)):
        return value.iso_format()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, Point):
        axes = ("x", "y", "z")
        return {
            "crs": _SRID_CRS.get(value.srid or 0, "unknown"),
            "srid": value.srid,
            **{axis: float(v) for axis, v in zip(axes, value, strict=False)},
        }
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return str(value)
