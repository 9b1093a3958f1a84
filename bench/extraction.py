"""Extraction speed: articles per second on one core, by article length.

Run: ``.venv/bin/python bench/extraction.py``. The gold articles are
extracted several times each; a 1 MB article (the corpus repeated) shows how
time grows with length. Figures go into BENCHMARKS.md by hand.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from actorgraph.graph.model import Document
from actorgraph.loaders.articles import read_articles
from actorgraph.loaders.curated import read_curated
from actorgraph.loaders.extraction import RuleExtractor

REPO = Path(__file__).resolve().parent.parent
RUNS = 5


def main() -> None:
    actors = read_curated(REPO / "data" / "actors.yaml").actors
    paths = sorted((REPO / "examples" / "articles").glob("*.md"))
    paths += sorted((REPO / "tests" / "gold" / "articles").glob("*.md"))
    docs = [d for p in paths for d in read_articles(p)]
    extractor = RuleExtractor(actors)
    extractor.extract(docs[0])  # load spaCy once, outside the timing
    per_run = []
    for _ in range(RUNS):
        fresh = RuleExtractor(actors)  # no cache carried between runs
        start = time.perf_counter()
        for doc in docs:
            fresh.extract(doc)
        per_run.append(time.perf_counter() - start)
    median = statistics.median(per_run)
    chars = sum(len(d.text) for d in docs)
    print(f"{len(docs)} articles, {chars:,} chars (mean {chars // len(docs):,}), {RUNS} runs")
    rate = f"{len(docs) / median:.1f} articles/s, {chars / median:,.0f} chars/s"
    print(f"median {median:.3f} s: {rate}")
    body = "\n\n".join(d.text for d in docs)
    for size in (100_000, 1_000_000):
        big = Document(title="big", text=(body + "\n\n") * (size // len(body) + 1))
        start = time.perf_counter()
        RuleExtractor(actors).extract(big)
        took = time.perf_counter() - start
        print(f"{len(big.text):,} chars: {took:.2f} s ({len(big.text) / took:,.0f} chars/s)")


if __name__ == "__main__":
    main()
