"""Faults: Neo4j killed in the middle of a large load, under a running API.

The test runs a Neo4j of its own (``PrivateNeo4j``) so that killing it leaves
the suite's alone. What must hold: the files committed before the kill stay,
the one in flight leaves nothing, ``actorgraph load`` exits non-zero saying
what happened and what to do, the API answers 503 while Neo4j is down and
serves again once it is back (no restart), and running the same load again
finishes it with the counts of an uninterrupted load.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from actorgraph.graph.neo4j import Neo4jStore
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.loaders.pipeline import load_paths
from actorgraph.settings import Settings
from bench.generate import article, line, write_files
from bench.synthetic import generate
from tests.servers import PrivateNeo4j, api_server, clean_env, neo4j_env

ARTICLE_FILES = 40


def _corpus(folder: Path) -> tuple[list[Path], Path]:
    """Curated actors and events, and a folder of many article files (one transaction each)."""
    batch = generate(actors=80, claims=600, seed=11)
    write_files(batch, folder / "reference")
    reference = [folder / "reference" / name for name in ("actors.yaml", "events.yaml")]
    articles = folder / "articles"
    articles.mkdir()
    for i in range(ARTICLE_FILES):
        chunk = batch.documents[i::ARTICLE_FILES]
        (articles / f"part-{i:03}.jsonl").write_text("".join(line(article(d)) for d in chunk))
    return reference, articles


def _load(env: dict[str, str], *paths: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "actorgraph", "load", *map(str, paths)],
        env=clean_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _per_document(store: Neo4jStore) -> dict[str, tuple[int, int]]:
    """Each stored document's mentions and attestations."""
    rows = store.read(
        "MATCH (d:Document) "
        "RETURN d.id AS id, COUNT { (d)-[:MENTIONS]->() } AS mentions, "
        "COUNT { (:Claim)<-[a:REPORTED|DENIED]-() WHERE a.document = d.id } AS said"
    )
    return {r["id"]: (r["mentions"], r["said"]) for r in rows}


def _open(settings: Settings) -> Neo4jStore:
    return Neo4jStore(
        settings.neo4j_uri or "",
        (settings.neo4j_username, settings.neo4j_password.get_secret_value()),
    )


@pytest.mark.usefixtures("neo4j_settings")  # in CI, the suite's Neo4j (and its jars) must be there
def test_neo4j_killed_in_the_middle_of_a_load(tmp_path: Path, figures: dict[str, object]) -> None:
    reference_files, articles = _corpus(tmp_path)
    # What an uninterrupted load gives, document by document.
    expected_store = SQLiteStore(tmp_path / "expected.sqlite")
    assert all(o.error is None for o in load_paths(expected_store, [*reference_files, articles]))
    expected = expected_store.dump()
    mentions = Counter(m.document for m in expected.mentions)
    said = Counter(a.document for a in expected.attestations)
    whole = {d.id: (mentions[d.id], said[d.id]) for d in expected.documents}

    neo4j = PrivateNeo4j(tmp_path / "neo4j")
    neo4j.start()
    try:
        settings = neo4j.settings()
        env = neo4j_env(settings)
        done = subprocess.run(
            [sys.executable, "-m", "actorgraph", "load", *map(str, reference_files)],
            env=clean_env(**env),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        with api_server(env) as base:
            assert httpx.get(f"{base}/actors", timeout=30).status_code == 200
            loading = _load(env, articles)
            watcher = _open(settings)
            committed: set[str] = set()
            while len(committed) < len(whole) // 3:
                assert loading.poll() is None, "the load ended before Neo4j could be killed"
                committed = set(_per_document(watcher))
                time.sleep(0.1)
            watcher.close()
            neo4j.kill()
            _, stderr = loading.communicate(timeout=300)
            down = httpx.get(f"{base}/actors", timeout=60)
            health = httpx.get(f"{base}/health", timeout=60)
            neo4j.start()
            back = httpx.get(f"{base}/actors", timeout=60)

        assert loading.returncode != 0
        assert "unreachable" in stderr and "run the same load again" in stderr, stderr
        assert "Traceback" not in stderr
        assert down.status_code == 503 and down.json()["type"] == "unavailable"
        assert health.status_code == 503
        assert back.status_code == 200

        store = _open(settings)
        survived = _per_document(store)
        assert committed <= set(survived), "a document committed before the kill was lost"
        assert set(survived) < set(whole), "the load should have stopped part-way"
        for doc_id, counts in survived.items():
            assert counts == whole[doc_id], f"document {doc_id} is not whole"
        figures.update(
            files=ARTICLE_FILES,
            documents=len(whole),
            seen_committed_before_the_kill=len(committed),
            there_after_the_restart=len(survived),
            lost=len(committed - set(survived)),
            partial=sum(counts != whole[d] for d, counts in survived.items()),
        )

        again = _load(env, articles)
        _, stderr = again.communicate(timeout=600)
        assert again.returncode == 0, stderr
        assert store.stats().counts == expected_store.stats().counts
        assert store.stats().statuses == expected_store.stats().statuses
        assert _per_document(store) == whole
        store.close()
    finally:
        if (neo4j.home / "neo4j.pid").exists():
            neo4j.stop()
