"""Loading files into a store: one atomic write per file, bad files reported and skipped.

Files load in dependency order, whatever order they are given in: curated
actors and events first (so articles can resolve names against them), then
articles, then curated claims (whose quotes are located in the articles).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from actorgraph.errors import ActorGraphError, InputError
from actorgraph.graph.model import Document, Mention
from actorgraph.graph.store import GraphBatch, GraphStore, WriteResult
from actorgraph.loaders.articles import JSONL_SUFFIXES, TEXT_SUFFIXES, read_articles
from actorgraph.loaders.curated import YAML_SUFFIXES, CuratedFile, read_curated
from actorgraph.loaders.resolve import AliasIndex

SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | YAML_SUFFIXES


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
    """
    reference: list[tuple[Path, CuratedFile]] = []
    articles: list[Path] = []
    annotations: list[tuple[Path, CuratedFile]] = []
    outcomes: list[FileOutcome] = []

    def done(outcome: FileOutcome) -> None:
        outcomes.append(outcome)
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

    for path, curated in reference:
        done(_write(store, path, partial(curated.batch, store.document)))
    index = AliasIndex(store.actors())
    for path in articles:
        done(_write(store, path, partial(_article_batch, path, index)))
    for path, curated in annotations:
        done(_write(store, path, partial(curated.batch, store.document)))
    return outcomes


def _article_batch(path: Path, index: AliasIndex) -> GraphBatch:
    return article_batch(read_articles(path), index)


def article_batch(documents: list[Document], index: AliasIndex) -> GraphBatch:
    """Documents with the mentions of known actors found in their text."""
    batch = GraphBatch(documents=documents)
    for doc in documents:
        batch.mentions += [
            Mention(
                document=doc.id,
                actor=m.actor,
                text=doc.text[m.start : m.end],
                start=m.start,
                end=m.end,
            )
            for m in index.find(doc.text)
        ]
    return batch


def load_documents(store: GraphStore, documents: list[Document]) -> tuple[GraphBatch, WriteResult]:
    """Write articles given as documents (as ``POST /documents`` does) in one batch.

    Returns the batch written, with the mentions found, and what the write did.
    """
    batch = article_batch(documents, AliasIndex(store.actors()))
    return batch, store.write(batch)


def _write(store: GraphStore, path: Path, make: Callable[[], GraphBatch]) -> FileOutcome:
    try:
        return FileOutcome(path, result=store.write(make()))
    except InputError as exc:
        return FileOutcome(path, error=exc)
    except ActorGraphError as exc:
        return FileOutcome(path, error=InputError(str(exc), path=path))
