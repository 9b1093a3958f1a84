"""The one error root of actorgraph.

Every error a user can cause derives from :class:`ActorGraphError`; the CLI
prints it as one line and the API maps it to a 4xx in one handler.
"""

from __future__ import annotations

from pathlib import Path


class ActorGraphError(Exception):
    """Root of every actorgraph error a user can cause or fix."""


class InputError(ActorGraphError):
    """Bad input: names the file (and line) or the field that is wrong.

    Examples
    --------
    >>> str(InputError("front matter is not valid YAML", path=Path("a.md"), line=3))
    'a.md:3: front matter is not valid YAML'
    """

    def __init__(
        self,
        problem: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.problem = problem
        self.path = path
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = "" if self.path is None else str(self.path)
        if self.line is not None:
            where += f":{self.line}"
        if self.field is not None:
            where += f" [{self.field}]" if where else self.field
        return f"{where}: {self.problem}" if where else self.problem


class NotFoundError(ActorGraphError):
    """A name or id that matches nothing in the graph."""


class IntegrityError(ActorGraphError):
    """A write that would break the graph: a dangling reference or an id clash."""


class UnavailableError(ActorGraphError):
    """The store cannot answer now (Neo4j down or unreachable); the same request may work later."""


class UnsupportedError(ActorGraphError):
    """Something this store cannot do, such as raw Cypher on the embedded store."""


class QueryRefusedError(ActorGraphError):
    """A query the read-only Cypher endpoint will not run (a write, LOAD CSV, a procedure...)."""


class QueryTimeoutError(ActorGraphError):
    """A query that ran past its time limit and was stopped."""


class QueryMemoryError(ActorGraphError):
    """A query that needed more memory than Neo4j allows one transaction, and was stopped."""


class BusyError(ActorGraphError):
    """As many of these requests are running as the server allows: try again shortly.

    Examples
    --------
    >>> BusyError("4 raw queries are running", retry_after=10).retry_after
    10
    """

    def __init__(self, problem: str, *, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(problem)
