"""Write a synthetic conflict graph as files ``actorgraph load`` reads, for benchmarks.

Run: ``.venv/bin/python bench/generate.py --actors 1000 --claims 10000 --seed 0 -o OUT
[--embedded PATH]``. The graph is :func:`bench.synthetic.generate`'s; this
only writes it out, in the loader formats:

``OUT/actors.yaml``, ``OUT/events.yaml``
    Curated reference data (:mod:`actorgraph.loaders.curated`): ``actors:`` and
    ``events:`` lists of the records' fields, defaults left out.
``OUT/articles.jsonl``
    One document per line (:mod:`actorgraph.loaders.articles`): ``title``,
    ``publisher``, ``author``, ``published``, ``source``, ``url`` (absent when
    empty) and ``text``. A document's id is hashed from its text alone, which
    the generator already gives in normal form, so the loader derives the very
    ids the claims below refer to.
``OUT/claims.yaml``
    ``claims:``, each with its ``attestations``: ``speaker``, ``stance``,
    ``document``, ``quote`` and ``hedged`` when true. The curated format has no
    offsets and no date: the loader finds the quote in its document (the first
    match, which for generated text is always the quote's own place) and dates
    the attestation by the document, as the generator does, so the loaded
    attestations equal the generated ones.

The YAML files hold one record per line in flow style, written as JSON (which
YAML reads as is): ``yaml.dump``, even with libyaml's ``CSafeDumper``
(representing stays in Python), took 47 s over the files of 100,000 claims;
this takes 7 s. Every file is written a record at a time.

``actorgraph load OUT`` loads the folder (actors and events, then articles, then
claims); loading the articles also runs extraction over them, which may add
mentions, events and claims of its own. ``--embedded PATH`` writes the batch
itself into a new embedded store file, with no extraction: what the benchmarks
load from.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from actorgraph.graph.model import Actor, Attestation, Document, Event, chronological
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.graph.store import GraphBatch
from bench.synthetic import generate

# Characters json leaves raw with ensure_ascii=False that would break a line of YAML:
# YAML splits lines at U+0085/U+2028/U+2029 and refuses the other C1 controls and
# U+FFFE/U+FFFF. They can only stand inside a JSON string, where the \uXXXX escape means
# the same to JSON and YAML. The generator makes none: this is a guard.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def line(row: dict[str, Any]) -> str:
    """``row`` as one line of JSON, which is also a line of YAML."""
    text = json.dumps(row, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text) + "\n"


def write_section(path: Path, name: str, rows: Iterable[dict[str, Any]]) -> None:
    """Write the YAML mapping ``{name: rows}``, a list item per line (none: ``name:`` null)."""
    with path.open("w", encoding="utf-8") as out:
        out.write(f"{name}:\n")
        # a block list may sit at the indentation of its key: "claims:\n- {...}"
        out.writelines(f"- {line(row)}" for row in rows)


def article(doc: Document) -> dict[str, Any]:
    """The document's fields the article reader accepts, text last."""
    row = doc.model_dump(mode="json", exclude={"id", "text"}, exclude_none=True)
    return {**row, "text": doc.text}


def claim_rows(batch: GraphBatch) -> Iterator[dict[str, Any]]:
    """Each claim as the curated format writes it, its attestations in the order said."""
    said: dict[str, list[Attestation]] = defaultdict(list)
    for att in batch.attestations:
        said[att.claim].append(att)
    for claim in batch.claims:
        row = claim.model_dump(mode="json", exclude={"id"}, exclude_none=True)
        row["attestations"] = [
            {
                "speaker": att.speaker,
                "stance": att.stance.value,
                "document": att.document,
                "quote": att.quote,
                **({"hedged": True} if att.hedged else {}),
            }
            for att in sorted(said[claim.id], key=chronological)
        ]
        yield row


def write_files(batch: GraphBatch, out: Path) -> list[Path]:
    """Write the batch into ``out`` in the loader formats; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    actors, events, articles, claims = (
        out / name for name in ("actors.yaml", "events.yaml", "articles.jsonl", "claims.yaml")
    )
    write_section(actors, "actors", map(_fields, batch.actors))
    write_section(events, "events", map(_fields, batch.events))
    if batch.documents:
        with articles.open("w", encoding="utf-8") as handle:
            handle.writelines(line(article(doc)) for doc in batch.documents)
    else:  # no claims, no documents: an empty .jsonl would fail to load, so write none
        articles.unlink(missing_ok=True)
    write_section(claims, "claims", claim_rows(batch))
    return [p for p in (actors, events, articles, claims) if p.exists()]


def _fields(record: Actor | Event) -> dict[str, Any]:
    return record.model_dump(mode="json", exclude_defaults=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=1000, help="how many actors (default 1000)")
    parser.add_argument("--claims", type=int, default=10000, help="how many claims (default 10000)")
    parser.add_argument("--seed", type=int, default=0, help="the generator's seed (default 0)")
    parser.add_argument("-o", "--out", type=Path, required=True, help="the folder to write into")
    parser.add_argument(
        "--embedded", type=Path, metavar="PATH", help="also write a new embedded store file here"
    )
    args = parser.parse_args(argv)
    if args.embedded is not None and args.embedded.exists():
        parser.error(f"{args.embedded} exists: the embedded store must be new, remove it first")

    start = time.perf_counter()
    batch = generate(actors=args.actors, claims=args.claims, seed=args.seed)
    counts = ", ".join(
        f"{len(getattr(batch, k)):,} {k}"
        for k in ("actors", "events", "documents", "claims", "attestations")
    )
    print(f"generated {counts} in {time.perf_counter() - start:.1f} s")

    lap = time.perf_counter()
    for path in write_files(batch, args.out):
        print(f"  {path}  {path.stat().st_size:,} bytes")
    print(f"wrote the files in {time.perf_counter() - lap:.1f} s")

    if args.embedded is not None:
        lap = time.perf_counter()
        SQLiteStore(args.embedded).write(batch)
        size = args.embedded.stat().st_size
        print(f"wrote {args.embedded}  {size:,} bytes in {time.perf_counter() - lap:.1f} s")
    print(f"total {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
