"""How every Neo4j read sees each write whole, or not at all.

Neo4j's reads are read-committed: a query running while a transaction commits
can see part of it, and Community gives Cypher no read lock. So every write is
bracketed: just before its transaction commits, a ``(:Committing)`` marker is
committed on its own (:data:`COMMITTING`), through the lock of ``(:Revision
{id: 'gate'})``; once the write has committed (or failed), the marker is
removed and the ``done`` counter of ``(:Revision {id: 'writes'})`` goes up
(:data:`COMMITTED`). A reading scope (:class:`Scope`) looks at both before its
first read and after its last; if a marker was there or the counter moved, a
write may have committed under it, and it runs again
(:func:`~actorgraph.graph.store.read_consistently`). After
:data:`~actorgraph.graph.store.OPTIMISTIC_READS` such tries (writes committing
back to back), it takes the gate's lock, so that no new write can commit,
waits for the writes already past it, and reads. A marker left by a writer
that died is ignored after :data:`STALE_SECONDS`.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

from neo4j import READ_ACCESS, WRITE_ACCESS, Driver, Session, Transaction
from neo4j.exceptions import DriverError, Neo4jError
from typing_extensions import LiteralString

from actorgraph.graph.store import Overlapped

STALE_SECONDS = 10
"""A commit marker older than this belongs to a writer that died: a write commits within
moments of its marker."""

COMMITTING = (  # waits while a reader holds the gate (a changed value takes its lock)
    "MERGE (g:Revision {id: 'gate'}) SET g.passed = coalesce(g.passed, 0) + 1 "
    "CREATE (:Committing {id: $id, since: datetime()})"
)
COMMITTED = (
    "MERGE (r:Revision {id: 'writes'}) SET r.done = coalesce(r.done, 0) + 1 "
    "WITH r OPTIONAL MATCH (m:Committing) "
    "WHERE m.id = $id OR m.since < datetime() - duration({seconds: $stale}) DELETE m"
)
# The writes done and the markers up, read in this order before a query and in the other
# after it: a write that ends between the two looks is then always seen in one of them.
_MARKERS = (
    "CALL () { MATCH (m:Committing) WHERE m.since >= datetime() - duration({seconds: $stale}) "
    "RETURN count(m) AS committing } "
)
_DONE = "OPTIONAL MATCH (r:Revision {id: 'writes'}) "
WRITES_BEFORE = _DONE + "WITH r.done AS done " + _MARKERS + "RETURN done, committing"
WRITES_AFTER = _MARKERS + _DONE + "RETURN r.done AS done, committing"
HOLD_WRITES = (  # the gate's lock, until the read's transaction ends
    "MERGE (g:Revision {id: 'gate'}) SET g.held = coalesce(g.held, 0) + 1"
)


class Joined:
    """A scope opened inside another: the outer one reads, and decides."""

    nested = True
    overlapped = False


class Scope:
    """The transaction of one reading scope, begun at its first read."""

    nested = False

    def __init__(self, driver: Driver, database: str, hold: bool) -> None:
        self.overlapped = False
        self._driver = driver
        self._database = database
        self._hold = hold
        self._session: Session | None = None
        self._tx: Transaction | None = None
        self._done: int | None = None

    def run(self, query: LiteralString, params: dict[str, Any]) -> list[dict[str, Any]]:
        tx = self._tx or self._begin()
        return [record.data() for record in tx.run(query, params)]

    def _begin(self) -> Transaction:
        access = WRITE_ACCESS if self._hold else READ_ACCESS
        self._session = self._driver.session(database=self._database, default_access_mode=access)
        tx = self._tx = self._session.begin_transaction()
        if self._hold:
            tx.run(HOLD_WRITES).consume()
            pause = 0.005
            while tx.run(WRITES_AFTER, stale=STALE_SECONDS).single(strict=True)["committing"]:
                time.sleep(pause)  # writes past the gate commit without it: wait for them
                pause = min(2 * pause, 0.1)
            return tx
        before = tx.run(WRITES_BEFORE, stale=STALE_SECONDS).single(strict=True)
        if before["committing"]:
            raise Overlapped  # a write is committing now: read again once it has
        self._done = before["done"]
        return tx

    def finish(self) -> None:
        """After the scope's last read: whether a write committed while it read."""
        if self._tx is None or self._hold:
            return
        after = self._tx.run(WRITES_AFTER, stale=STALE_SECONDS).single(strict=True)
        self.overlapped = after["committing"] != 0 or after["done"] != self._done

    def close(self) -> None:
        """End the transaction, writing nothing (the held gate's change is rolled back)."""
        with contextlib.suppress(DriverError, Neo4jError, OSError):
            if self._tx is not None:
                self._tx.close()
            if self._session is not None:
                self._session.close()
