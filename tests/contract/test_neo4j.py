"""What only Neo4j can show: transactions, constraints, reachability, copying."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from actorgraph.cli import app
from actorgraph.errors import ActorGraphError
from actorgraph.graph import STORE_FILE, neo4j_writes
from actorgraph.graph.neo4j import Neo4jStore
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.graph.store import GraphBatch
from actorgraph.loaders.articles import read_articles
from actorgraph.loaders.pipeline import load_paths
from actorgraph.settings import Settings
from bench.synthetic import generate
from tests.conftest import ARTICLES, DATA, REPO
from tests.helpers import CORPUS_COUNTS

runner = CliRunner()


def count(store: Neo4jStore, query: str, **params: object) -> int:
    records, _, _ = store._driver.execute_query(query, params, database_=store.database)
    return int(records[0][0])


def test_a_document_failing_half_way_leaves_nothing(
    neo4j_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_paths(neo4j_store, [DATA / "actors.yaml"])
    # The mentions are written after the document itself, in the same
    # transaction; make that statement fail at run time inside Neo4j.
    monkeypatch.setattr(
        neo4j_writes, "MERGE_MENTIONS", "UNWIND $rows AS row WITH row WHERE 1 / 0 = 1 RETURN row"
    )
    path = ARTICLES / "2020-01-04-round-two-taji-strikes.md"
    (outcome,) = load_paths(neo4j_store, [path])
    assert outcome.error is not None
    assert "refused the write" in str(outcome.error)
    (doc,) = read_articles(path)
    assert count(neo4j_store, "MATCH (d:Document {id: $id}) RETURN count(d)", id=doc.id) == 0
    assert count(neo4j_store, "MATCH ()-[m:MENTIONS]->() RETURN count(m)") == 0
    assert neo4j_store.stats().counts["actors"] == 64


def test_the_constraints_exist_before_the_first_write(neo4j_store: Neo4jStore) -> None:
    records, _, _ = neo4j_store._driver.execute_query(
        "SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type RETURN *",
        database_=neo4j_store.database,
    )
    unique = {
        (r["labelsOrTypes"][0], r["properties"][0]) for r in records if "UNIQUENESS" in r["type"]
    }
    assert {
        ("Actor", "id"),
        ("Event", "id"),
        ("Document", "id"),
        ("Claim", "id"),
        ("REPORTED", "id"),
        ("DENIED", "id"),
        ("MENTIONS", "id"),
    } <= unique


def test_actors_carry_their_kind_label_and_claims_their_status(neo4j_store: Neo4jStore) -> None:
    load_paths(neo4j_store, [DATA, ARTICLES])
    assert (
        count(neo4j_store, "MATCH (n:Actor:Person {id: 'qassem-soleimani'}) RETURN count(n)") == 1
    )
    assert count(neo4j_store, "MATCH (n:Actor:ArmedGroup {id: 'pmf'}) RETURN count(n)") == 1
    query = (
        "MATCH (:Actor {id: 'united-states'})-[r:STRUCK]->(:Actor {id: 'pmf'}) "
        "WHERE r.status = 'contested' RETURN count(r)"
    )
    assert count(neo4j_store, query) == 1


def _cli_env(settings: Settings, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ACTORGRAPH_DATA": str(data_dir),
        "NEO4J_URI": settings.neo4j_uri or "",
        "NEO4J_USERNAME": settings.neo4j_username,
        "NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "NEO4J_DATABASE": settings.neo4j_database,
    }


def test_two_cli_loads_at_once_leave_no_duplicate(
    neo4j_store: Neo4jStore, neo4j_settings: Settings, tmp_path: Path
) -> None:
    env = _cli_env(neo4j_settings, tmp_path)
    cmd = [sys.executable, "-m", "actorgraph", "load", str(DATA), str(ARTICLES)]
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, out + err
        assert "Traceback" not in err
    assert neo4j_store.stats().counts == CORPUS_COUNTS


def test_copy_moves_the_embedded_graph_into_neo4j_and_back(
    neo4j_store: Neo4jStore,
    neo4j_settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in _cli_env(neo4j_settings, tmp_path / "a").items():
        monkeypatch.setenv(key, value)
    embedded = SQLiteStore(tmp_path / "a" / STORE_FILE)
    load_paths(embedded, [DATA, ARTICLES])
    result = runner.invoke(app, ["copy", "--to", "neo4j"])
    assert result.exit_code == 0, result.output
    assert "added 64 places, 64 actors, 10 events, 2 documents, 20 claims, 46 attestations" in (
        result.output
    )
    assert neo4j_store.dump() == embedded.dump()
    monkeypatch.setenv("ACTORGRAPH_DATA", str(tmp_path / "b"))
    result = runner.invoke(app, ["copy", "--to", "embedded"])
    assert result.exit_code == 0, result.output
    assert SQLiteStore(tmp_path / "b" / STORE_FILE).dump() == embedded.dump()


def test_show_prints_the_same_from_both_stores(
    neo4j_store: Neo4jStore, neo4j_settings: Settings, tmp_path: Path
) -> None:
    outputs = []
    for env in (
        _cli_env(neo4j_settings, tmp_path / "unused"),
        {**_cli_env(neo4j_settings, tmp_path / "embedded"), "NEO4J_URI": ""},
    ):
        for args in (["load", str(DATA), str(ARTICLES)], ["show", "al-Muhandis"]):
            proc = subprocess.run(
                [sys.executable, "-m", "actorgraph", *args],
                env=env,
                capture_output=True,
                text=True,
                check=True,
                cwd=REPO,
            )
        outputs.append(proc.stdout)
    assert "was killed in the strike of 2020-01-03" in outputs[0]
    assert outputs[0] == outputs[1]


def test_an_unreachable_neo4j_is_one_line_and_a_non_zero_exit(data_dir: Path) -> None:
    env = {**os.environ, "NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "x"}
    proc = subprocess.run(
        [sys.executable, "-m", "actorgraph", "stats"], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: Neo4j at bolt://127.0.0.1:9 is unreachable")
    assert "Traceback" not in proc.stderr + proc.stdout


def test_a_bad_uri_is_refused_clearly() -> None:
    with pytest.raises(ActorGraphError, match="not usable"):
        Neo4jStore("http://127.0.0.1:9", ("neo4j", "x"))


CLAIMS_THEN_ATTESTATIONS = (
    # Two looks at the claims some milliseconds apart, as a multi-step read makes.
    "MATCH (c:Claim) WITH collect(c.id) AS first "
    "CALL () { UNWIND range(1, 1000000) AS i RETURN count(i) AS pause } "
    "CALL () { MATCH (c:Claim) OPTIONAL MATCH ()-[a:REPORTED|DENIED]->(c) "
    "WITH c.id AS id, count(a) AS n RETURN collect({id: id, n: n}) AS second } "
    "RETURN first, second"
)


def test_a_read_sees_each_write_whole_or_not_at_all(
    neo4j_store: Neo4jStore, figures: dict[str, object]
) -> None:
    """Two writers commit batches of claims while a reader reads them, through the store and bare.

    A read is whole when each batch's claims are all there or none, each
    with all its attestations, the same in both looks. The store's reads must
    all be whole; the same query on the bare driver (Neo4j's read-committed
    isolation) is counted too, to show what the store guards against.
    """
    graph = generate(actors=300, claims=3_000, seed=3)
    neo4j_store.write(GraphBatch(actors=graph.actors, events=graph.events))
    attested = Counter(a.claim for a in graph.attestations)
    documents = {d.id: d for d in graph.documents}
    batches = []
    for start in range(0, len(graph.claims), 50):
        claims = graph.claims[start : start + 50]
        ids = {c.id for c in claims}
        atts = [a for a in graph.attestations if a.claim in ids]
        docs = sorted({a.document for a in atts})
        batches.append(
            GraphBatch(documents=[documents[d] for d in docs], claims=claims, attestations=atts)
        )
    batch_of = {c.id: i for i, b in enumerate(batches) for c in b.claims}

    def whole(row: dict[str, Any]) -> bool:
        second = {r["id"]: r["n"] for r in row["second"]}
        seen = Counter(batch_of[claim] for claim in row["first"])
        return (
            set(row["first"]) == second.keys()
            and all(seen[i] == len(batches[i].claims) for i in seen)
            and all(n == attested[claim] for claim, n in second.items())
        )

    def write(share: list[GraphBatch]) -> None:
        for batch in share:
            neo4j_store.write(batch)

    writers = [threading.Thread(target=write, args=(batches[i::2],)) for i in range(2)]
    for writer in writers:
        writer.start()
    reads = partial = bare_reads = bare_partial = 0
    while any(w.is_alive() for w in writers):
        (row,) = neo4j_store.read(CLAIMS_THEN_ATTESTATIONS)
        reads += 1
        partial += not whole(row)
        records, _, _ = neo4j_store._driver.execute_query(
            CLAIMS_THEN_ATTESTATIONS, database_=neo4j_store.database, routing_="r"
        )
        bare_reads += 1
        bare_partial += not whole(records[0].data())
    for writer in writers:
        writer.join()
    figures.update(
        writes=len(batches),
        reads=reads,
        partial_reads=partial,
        bare_reads=bare_reads,
        bare_partial_reads=bare_partial,
    )
    (row,) = neo4j_store.read(CLAIMS_THEN_ATTESTATIONS)
    assert whole(row) and len(row["first"]) == len(graph.claims)
    assert partial == 0
