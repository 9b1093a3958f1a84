"""Extraction speed: articles per second, by article length.

The example and gold articles are extracted several times each (a fresh
extractor per run, so no cache is carried over); long articles made of the
corpus repeated show how time grows with length.
"""

from __future__ import annotations

from functools import partial

from actorgraph.extraction import RuleExtractor
from actorgraph.graph.model import Document
from actorgraph.loaders.articles import read_articles
from actorgraph.loaders.curated import read_curated
from bench.common import REPO, Section, Stats, timed


def run(quick: bool) -> Section:
    actors = read_curated(REPO / "data" / "actors.yaml").actors
    places = read_curated(REPO / "data" / "places.yaml").places  # as a load passes them
    paths = sorted((REPO / "examples" / "articles").glob("*.md"))
    paths += sorted((REPO / "tests" / "gold" / "articles").glob("*.md"))
    docs = [d for p in paths for d in read_articles(p)]
    RuleExtractor(actors, places=places).extract(docs[0])  # load spaCy once, outside the timing
    runs = 3 if quick else 5

    def all_docs() -> None:
        fresh = RuleExtractor(actors, places=places)
        for doc in docs:
            fresh.extract(doc)

    stats = Stats.of([timed(all_docs) for _ in range(runs)])
    chars = sum(len(d.text) for d in docs)
    section = Section("Extraction")
    rows: list[list[object]] = [
        [
            f"{len(docs)} articles ({chars:,} chars, mean {chars // len(docs):,})",
            f"{stats.median:.3f} s (median of {runs})",
            f"**{len(docs) / stats.median:.0f} articles/s**, {chars / stats.median:,.0f} chars/s",
        ]
    ]
    body = "\n\n".join(d.text for d in docs)
    for size in (100_000,) if quick else (100_000, 1_000_000):
        big = Document(title="big", text=(body + "\n\n") * (size // len(body) + 1))
        took = timed(partial(RuleExtractor(actors, places=places).extract, big))
        rows.append(
            [
                f"one {len(big.text):,}-char article",
                f"{took:.2f} s",
                f"{len(big.text) / took:,.0f} chars/s",
            ]
        )
    section.table(["input", "time", "rate"], rows)
    return section
