"""Ingestion into Neo4j: actorgraph's batched writes against what an analyst would write.

The same generated graph (actors, events, documents, claims, attestations)
goes into an emptied Neo4j three ways, each timed from the first write to the
last commit:

- **actorgraph**: ``Neo4jStore.write`` of batches of 5,000 claims (``UNWIND``
  in chunks, one transaction per batch, statuses derived), as ``load`` does;
- **naive loop**: one auto-committed ``MERGE`` per row on the driver;
- **py2neo**: its idiomatic ``Graph.merge`` of one ``Subgraph`` (in its own
  environment, ``bench/py2neo``: py2neo is end-of-life and not ours to ship).

actorgraph's load runs twice more in fresh processes, with and without
neo4j-rust-ext, as does reading 10,000 records.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from actorgraph.graph.model import Attestation, Predicate
from actorgraph.graph.neo4j_values import as_properties as _row
from actorgraph.graph.neo4j_writes import KIND_LABEL
from actorgraph.graph.store import GraphBatch
from bench.common import REPO, Section, driver, ms, ratio, timed, wipe, worker
from bench.synthetic import generate

PER_BATCH = 5000
"""Claims per write: a large file's worth."""

NAIVE = {
    "actors": "MERGE (n:Actor {{id: $id}}) SET n = $props, n:{label}",
    "nodes": "MERGE (n:{label} {{id: $id}}) SET n = $props",
    "claims": "MATCH (s:Actor {{id: $subject}}) MATCH (o:{object} {{id: $object}}) "
    "MERGE (s)-[r:{type} {{claim: $id}}]->(o)",
    "attestations": "MATCH (s:Actor {{id: $speaker}}) MATCH (c:Claim {{id: $claim}}) "
    "MERGE (s)-[r:{type} {{id: $id}}]->(c) SET r = $props",
}


NODES_PER_BATCH = 20_000
"""Actors or events per write: 500,000 at once outgrow what a 1 GiB heap gives a transaction."""


def slices(batch: GraphBatch, per: int = PER_BATCH) -> Iterator[GraphBatch]:
    """Actors, then events, then ``per`` claims at a time with their attestations and documents."""
    for start in range(0, len(batch.actors), NODES_PER_BATCH):
        yield GraphBatch(actors=batch.actors[start : start + NODES_PER_BATCH])
    for start in range(0, len(batch.events), NODES_PER_BATCH):
        yield GraphBatch(events=batch.events[start : start + NODES_PER_BATCH])
    documents = {d.id: d for d in batch.documents}
    said: dict[str, list[Attestation]] = defaultdict(list)
    for att in batch.attestations:
        said[att.claim].append(att)
    written: set[str] = set()
    for start in range(0, len(batch.claims), per):
        claims = batch.claims[start : start + per]
        atts = [a for c in claims for a in said[c.id]]
        new = sorted({a.document for a in atts} - written)
        written.update(new)
        yield GraphBatch(documents=[documents[d] for d in new], claims=claims, attestations=atts)


def naive(batch: GraphBatch) -> float:
    """Seconds to write ``batch`` one auto-committed MERGE per row."""
    with driver() as db, db.session() as session:

        def load() -> None:
            for actor in batch.actors:
                query = NAIVE["actors"].format(label=KIND_LABEL[actor.kind])
                session.run(query, id=actor.id, props=_row(actor)).consume()
            for kind, label in (
                ("events", "Event"),
                ("documents", "Document"),
                ("claims", "Claim"),
            ):
                for record in getattr(batch, kind):
                    query = NAIVE["nodes"].format(label=label)
                    session.run(query, id=record.id, props=_row(record)).consume()
            for claim in batch.claims:
                killed = claim.predicate is Predicate.KILLED_IN
                query = NAIVE["claims"].format(
                    object="Event" if killed else "Actor", type=claim.predicate.rel_type
                )
                session.run(
                    query, id=claim.id, subject=claim.subject, object=claim.object
                ).consume()
            for att in batch.attestations:
                query = NAIVE["attestations"].format(type=att.stance.rel_type)
                session.run(
                    query, id=att.id, speaker=att.speaker, claim=att.claim, props=_row(att)
                ).consume()

        return timed(load)


def py2neo(batch: GraphBatch) -> dict[str, Any]:
    """py2neo's ``Graph.merge`` of the whole batch as one subgraph, in its own environment."""
    rows = {
        kind: [_row(r) for r in getattr(batch, kind)]
        for kind in ("actors", "events", "documents", "claims", "attestations")
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(rows, handle, default=str)
    try:
        done = subprocess.run(
            [
                str(REPO / ".tools/bin/uv"),
                "run",
                "--quiet",
                "--project",
                "bench/py2neo",
                "--locked",
                "python",
                "bench/py2neo/load.py",
                handle.name,
            ],
            cwd=REPO,
            env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        Path(handle.name).unlink()
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def counts() -> tuple[int, int]:
    """Nodes and relationships in Neo4j, to check every loader wrote the same graph."""
    with driver() as db:
        # Not actorgraph's one Revision node: the other loaders have no search index to renew.
        (nodes,) = db.execute_query("MATCH (n) WHERE NOT n:Revision RETURN count(n) AS n").records
        (rels,) = db.execute_query("MATCH ()-[r]->() RETURN count(r) AS n").records
    return nodes["n"], rels["n"]


def run(actors: int, claims: int) -> Section:
    section = Section(f"Ingestion into Neo4j ({claims:,} claims, {actors:,} actors)")
    batch = generate(actors=actors, claims=claims, seed=1)
    section.say(
        f"The generated graph: {len(batch.actors):,} actors, {len(batch.events):,} events, "
        f"{len(batch.documents):,} documents, {claims:,} claims, "
        f"{len(batch.attestations):,} attestations. Each loader starts from an empty database; "
        "each must leave the same number of nodes and relationships (checked)."
    )
    rust = worker("bench.driver_worker", "load", str(actors), str(claims))
    expected = counts()
    pure = worker(
        "bench.driver_worker", "load", str(actors), str(claims), env={"ACTORGRAPH_BENCH_PURE": "1"}
    )
    fast_read = worker("bench.driver_worker", "read")
    slow_read = worker("bench.driver_worker", "read", env={"ACTORGRAPH_BENCH_PURE": "1"})
    with driver() as db:
        wipe(db)
    naive_seconds = naive(batch)
    if counts()[0] != expected[0]:
        raise RuntimeError(
            f"the naive loop wrote {counts()} nodes and relationships, not {expected}"
        )
    with driver() as db:
        wipe(db)
    other = py2neo(batch)
    merged = counts()
    if "error" not in other and merged[0] != expected[0]:
        raise RuntimeError(f"py2neo wrote {merged[0]} nodes, not {expected[0]}")
    with driver() as db:
        wipe(db)

    fast = claims / rust["seconds"]
    rows: list[list[object]] = [
        ["actorgraph batched (neo4j-rust-ext)", f"{rust['seconds']:.2f} s", f"{fast:,.0f}", "1.0x"],
        [
            "actorgraph batched (pure-Python driver)",
            f"{pure['seconds']:.2f} s",
            f"{claims / pure['seconds']:,.0f}",
            ratio(rust["seconds"], pure["seconds"]),
        ],
        [
            "naive loop: one MERGE per row",
            f"{naive_seconds:.2f} s",
            f"{claims / naive_seconds:,.0f}",
            ratio(rust["seconds"], naive_seconds),
        ],
    ]
    if "error" in other:
        rows.append(["py2neo `Graph.merge`", "failed", "—", other["error"]])
    else:
        rows.append(
            [
                f"py2neo {other.get('py2neo', '')} `Graph.merge`",
                f"{other['seconds']:.2f} s",
                f"{claims / other['seconds']:,.0f}",
                ratio(rust["seconds"], other["seconds"]),
            ]
        )
    section.table(["loader", "time", "claims/s", "speed relative to actorgraph"], rows)
    section.say(
        f"actorgraph's batched load is **{naive_seconds / rust['seconds']:.0f}x** the naive loop"
        + (
            f" and **{other['seconds'] / rust['seconds']:.1f}x** py2neo"
            if "error" not in other
            else ""
        )
        + " in claims per second (targets: 50x and 10x)."
    )
    if "error" not in other and merged[1] != expected[1]:
        section.say(
            f"py2neo left {expected[1] - merged[1]:,} of {expected[1]:,} relationships out: "
            "`Graph.merge` merges a relationship on its type and ends alone, so two claims "
            "of the same predicate between the same actors (a second strike) become one."
        )
    section.table(
        [f"reading {fast_read['records']:,} attestation records", "median of 7", "p99"],
        [
            ["with neo4j-rust-ext", ms(fast_read["median"]), ms(fast_read["p99"])],
            ["pure-Python driver", ms(slow_read["median"]), ms(slow_read["p99"])],
        ],
    )
    speedup = slow_read["median"] / fast_read["median"]
    section.say(
        f"neo4j-rust-ext reads {fast_read['records']:,} records **{speedup:.2f}x** "
        f"as fast as the pure-Python driver, and speeds the batched load "
        f"{pure['seconds'] / rust['seconds']:.2f}x."
    )
    return section
