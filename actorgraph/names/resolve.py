"""The one way a name given by a user, or found in a text, becomes an actor.

:func:`resolve_actor` takes an id, a name, an alias or a spelling of one, in
Latin or Arabic script, and answers the one actor it names, or refuses,
naming the candidates: the CLI, the HTTP API and the Python API all resolve
through it.
"""

from __future__ import annotations

import re
import weakref

from actorgraph.errors import InputError, NotFoundError
from actorgraph.graph.model import Actor
from actorgraph.graph.store import GraphStore, read_consistently
from actorgraph.names.search import Hit, SearchIndex

RESOLVE = 80.0
"""The search score at which a name resolves to an actor by itself.

On :class:`~actorgraph.names.search.SearchIndex`'s scale a whole name with one
word respelt scores 83-87 ("Hamad al-Jazairi" for Hamid al-Jazairi), a
skeleton match 95, while one exact word of a longer name scores 60-78
("Baghdad" in Baghdad Police 76.2, "al-Zaidi" in Shibl al-Zaidi 75): those
are left to context.
"""

SUGGESTED = 3
"""Candidates a refusal names."""
_ID_LIKE = re.compile(r"[a-z0-9-]*")

_INDEXES: weakref.WeakKeyDictionary[GraphStore, tuple[str, SearchIndex]] = (
    weakref.WeakKeyDictionary()
)


def search_index(store: GraphStore) -> SearchIndex:
    """The search index over the store's actors, built again only once they have changed.

    Building it reads every actor (seconds at 100,000); a search is then milliseconds.
    """

    def current() -> SearchIndex:
        revision = store.actors_revision()
        cached = _INDEXES.get(store)
        if cached is None or cached[0] != revision:
            cached = (revision, SearchIndex(store.actors()))
            _INDEXES[store] = cached
        return cached[1]

    return read_consistently(store, current)  # the revision and the actors of one state


def resolve_actor(store: GraphStore, name: str) -> Actor:
    """The one actor ``name`` names: an id, a name, an alias, or a spelling of one.

    An id is taken as it is. Otherwise the name is searched for
    (:class:`~actorgraph.names.search.SearchIndex`, any spelling or script),
    and the best actor taken when it is clear: it scores :data:`RESOLVE` or
    more and no other as much (the rule by which extraction resolves a whole
    name), or it is the only actor the search finds at all ("al-Saadi", when
    one actor has that name).

    Raises
    ------
    NotFoundError
        If no actor is found, or several and none clearly: the message names
        the closest candidates, so that the caller can give an id.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from actorgraph.graph.sqlite import SQLiteStore
    >>> from actorgraph.graph.store import GraphBatch
    >>> store = SQLiteStore(pathlib.Path(tempfile.mkdtemp()) / "graph.sqlite")
    >>> _ = store.write(GraphBatch(actors=[
    ...     Actor(id="kataib-hezbollah", name="Kataib Hezbollah", kind="armed_group"),
    ...     Actor(id="kataib-imam-ali", name="Kataib Imam Ali", kind="armed_group")]))
    >>> resolve_actor(store, "Kata'ib Hizbollah").id
    'kataib-hezbollah'
    >>> resolve_actor(store, "Kataib")
    Traceback (most recent call last):
    ...
    actorgraph.errors.NotFoundError: no actor named 'Kataib'; did you mean 'Kataib Imam Ali' \
(kataib-imam-ali), 'Kataib Hezbollah' (kataib-hezbollah)?
    """
    actor = store.actor(name)
    if actor is not None:
        return actor
    try:
        hits = search_index(store).rank(name, limit=SUGGESTED, typeahead=False)
    except InputError:  # nothing to search for in it (no letters or digits)
        hits = []
    if len(hits) == 1:
        return hits[0].actor
    if hits and hits[0].score >= RESOLVE:
        tied = [h for h in hits if h.score == hits[0].score]
        if len(tied) == 1:
            return hits[0].actor
        raise NotFoundError(f"{name!r} names several actors: {_listed(tied)}; give an id")
    what = "with id" if _ID_LIKE.fullmatch(name) else "named"
    hint = f"; did you mean {_listed(hits)}?" if hits else ""
    raise NotFoundError(f"no actor {what} {name!r}{hint}")


def _listed(hits: list[Hit]) -> str:
    return ", ".join(f"{h.matched!r} ({h.actor.id})" for h in hits)
