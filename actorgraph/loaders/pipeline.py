"""Loading files into a store: one atomic write per file, bad files reported and skipped.

Files load in dependency order, whatever order they are given in: curated
places, then actors and events (so articles can resolve names against them), then
articles, then curated claims (whose quotes are located in the articles).

Every article goes through one extractor (:func:`extractor_for`), whether it
comes from a file or from ``POST /documents``: its mentions, events, claims
and who said what are written with it, in the same transaction.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from actorgraph.errors import ActorGraphError, InputError, NotFoundError, UnavailableError
from actorgraph.extraction import Extractor, RuleExtractor
from actorgraph.graph.model import Actor, ActorKind, Document
from actorgraph.graph.store import GraphBatch, GraphStore, WriteResult
from actorgraph.loaders.articles import JSONL_SUFFIXES, TEXT_SUFFIXES, read_articles
from actorgraph.loaders.curated import YAML_SUFFIXES, CuratedFile, read_curated
from actorgraph.names.normalise import normal_form, slug

SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | YAML_SUFFIXES

log = logging.getLogger(__name__)


@dataclass
class FileOutcome:
    """What loading one file did: its write result, or the error that stopped it."""

    path: Path
    result: WriteResult = field(default_factory=WriteResult)
    error: ActorGraphError | None = None


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, and the files inside folders named (recursively, sorted, no dot-files)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            yield path


def load_paths(
    store: GraphStore,
    paths: Iterable[Path],
    on_file: Callable[[FileOutcome], None] | None = None,
) -> list[FileOutcome]:
    """Load files and folders into ``store``, each file whole or not at all.

    Parameters
    ----------
    store
        Where to write.
    paths
        Files and folders: ``.txt``/``.md``/``.jsonl`` articles and ``.yaml`` curated data.
    on_file
        Called after each file, e.g. to advance a progress bar.

    Returns
    -------
    list of FileOutcome
        One per file, in the order they were loaded.

    Raises
    ------
    UnavailableError
        If the store goes away: the load stops at the file in flight, which
        is not written; the files before it stay. Loading the same paths
        again finishes the load (what is there already is left unchanged).
    """
    reference: list[tuple[Path, CuratedFile]] = []
    articles: list[Path] = []
    annotations: list[tuple[Path, CuratedFile]] = []
    outcomes: list[FileOutcome] = []

    def done(outcome: FileOutcome) -> None:
        outcomes.append(outcome)
        if outcome.error is not None:
            log.info("refused %s: %s", outcome.path, outcome.error)
        elif outcome.result is not None and not outcome.result.changed:
            log.info("skipped %s: everything in it is stored already", outcome.path)
        else:
            log.info("loaded %s", outcome.path)
        if on_file is not None:
            on_file(outcome)

    for path in dict.fromkeys(expand(paths)):
        suffix = path.suffix.lower()
        try:
            if not path.is_file():
                raise InputError("no such file or folder", path=path)
            if suffix not in SUFFIXES:
                raise InputError(
                    f"unknown extension {suffix or '(none)'!r} "
                    f"(expected one of {', '.join(sorted(SUFFIXES))})",
                    path=path,
                )
            if suffix in YAML_SUFFIXES:
                curated = read_curated(path)
                (annotations if curated.claims else reference).append((path, curated))
            else:
                articles.append(path)
        except ActorGraphError as exc:
            done(FileOutcome(path, error=exc))

    reference.sort(key=lambda item: not item[1].places)  # places first: events stand at them
    for path, curated in reference:
        done(_write(store, path, partial(curated.batch, store.document, store.places)))
    extractor = extractor_for(store) if articles else None
    for path in articles:
        assert extractor is not None
        outcome = _write(store, path, partial(_article_batch, path, extractor))
        if outcome.error is not None:  # forget the events of a file not written
            extractor = extractor_for(store)
        done(outcome)
    for path, curated in annotations:
        done(_write(store, path, partial(curated.batch, store.document, store.places)))
    return outcomes


def extractor_for(store: GraphStore) -> Extractor:
    """The extractor articles go through: the rule-based one, over the store's actors, events
    and places."""
    return RuleExtractor(store.actors(), store.events(), store.places())


def _article_batch(path: Path, extractor: Extractor) -> GraphBatch:
    return article_batch(read_articles(path), extractor)


def article_batch(documents: list[Document], extractor: Extractor) -> GraphBatch:
    """Documents with what ``extractor`` finds in them, as one batch: mentions,
    events, claims and who said what."""
    batch = GraphBatch()
    for doc in documents:
        found = extractor.extract(doc).batch()
        extractor.remember(found.events)  # the next document may tell of them again
        batch.extend(found)
    return batch


def load_documents(store: GraphStore, documents: list[Document]) -> tuple[GraphBatch, WriteResult]:
    """Write articles given as documents (as ``POST /documents`` does) in one batch.

    Returns the batch written, with what was extracted, and what the write did.
    """
    batch = article_batch(documents, extractor_for(store))
    return batch, store.write(batch)


def _write(store: GraphStore, path: Path, make: Callable[[], GraphBatch]) -> FileOutcome:
    try:
        return FileOutcome(path, result=store.write(make()))
    except InputError as exc:
        if exc.path is None:  # raised below the file's reading: still name the file
            exc = InputError(exc.problem, path=path, line=exc.line, field=exc.field)
        return FileOutcome(path, error=exc)
    except UnavailableError as exc:  # the store's fault, not the file's: stop here
        raise UnavailableError(f"{exc}; {path} was not loaded") from exc
    except ActorGraphError as exc:
        return FileOutcome(path, error=InputError(str(exc), path=path))


@dataclass
class CandidateName:
    """A name the stored documents use that resolves to no actor, with where it stands."""

    name: str
    """Its most frequent spelling."""
    spellings: Counter[str] = field(default_factory=Counter)
    places: list[tuple[str, int, int]] = field(default_factory=list)
    """``(document id, start, end)`` of each mention."""

    @property
    def documents(self) -> int:
        return len({doc for doc, _, _ in self.places})


def candidates(store: GraphStore) -> list[CandidateName]:
    """Every name in the stored documents that resolves to no actor, most mentioned first.

    Extraction runs again over the documents, so the list always reflects the
    actors as they are now: a promoted name is gone from it.
    """
    extractor = extractor_for(store)
    found: dict[str, CandidateName] = {}
    for doc in store.dump().documents:
        for c in extractor.extract(doc).candidates:
            entry = found.setdefault(normal_form(c.text), CandidateName(c.text))
            entry.spellings[c.text] += 1
            entry.places.append((doc.id, c.start, c.end))
    for entry in found.values():
        entry.name = entry.spellings.most_common(1)[0][0]
    return sorted(found.values(), key=lambda e: (-len(e.places), e.name))


def promote(
    store: GraphStore,
    name: str,
    *,
    kind: ActorKind | None = None,
    actor_id: str | None = None,
    alias_of: str | None = None,
) -> tuple[Actor, WriteResult]:
    """Make a candidate name an actor of ``kind``, or an alias of actor ``alias_of``.

    Then every stored document that uses the name is extracted again, so its
    mentions and claims are written: the same pipeline as ``load``.

    Raises
    ------
    InputError
        If neither or both of ``kind`` and ``alias_of`` are given, or the id is taken.
    NotFoundError
        If ``alias_of`` names no actor.
    """
    name = " ".join(name.split())
    if not name or (kind is None) == (alias_of is None):
        raise InputError("give either a kind for a new actor, or the actor it is an alias of")
    if alias_of is not None:
        existing = store.actor(alias_of)
        if existing is None:
            raise NotFoundError(f"no actor with id {alias_of!r}")
        actor = existing.model_copy(update={"aliases": (*existing.aliases, name)})
    else:
        new_id = actor_id or slug(name)
        if not new_id or store.actor(new_id) is not None:
            raise InputError(f"actor id {new_id!r} is empty or taken: give another", field="id")
        actor = Actor.model_validate({"id": new_id, "name": name, "kind": kind})
    result = store.write(GraphBatch(actors=[actor]))
    needle = normal_form(name)
    extractor = extractor_for(store)
    for doc in store.dump().documents:
        if needle in normal_form(doc.text):
            result.merge(store.write(article_batch([doc], extractor)))
    return actor, result
