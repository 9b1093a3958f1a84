"""Concurrency: several writers loading the same documents at once, readers meanwhile.

On each store, four ``actorgraph load`` processes load the curated actors and
events and the same seven articles, each in its own order, while three
clients read the API. What must hold: every writer succeeds, no reader gets
an error, the store ends exactly as one load alone leaves it (no duplicate),
and every document a reader sees is whole (all its mentions and
attestations). The embedded store reads one snapshot; Neo4j's reads run
again when a write committed under them (``test_neo4j.py`` shows that gate
against the bare driver).
"""

from __future__ import annotations

import random
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest

from actorgraph.graph import STORE_FILE
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.graph.store import GraphBatch
from actorgraph.loaders.pipeline import load_paths
from tests.conftest import ARTICLES, DATA, GOLD_ARTICLES, Served
from tests.servers import api_server, clean_env

WRITERS, READERS = 4, 3
REFERENCE = [DATA / "places.yaml", DATA / "actors.yaml", DATA / "events.yaml"]
TEXTS = sorted(ARTICLES.glob("*.md")) + sorted(GOLD_ARTICLES.glob("*.md"))


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> GraphBatch:
    """What one load alone leaves."""
    store = SQLiteStore(tmp_path_factory.mktemp("alone") / STORE_FILE)
    assert all(o.error is None for o in load_paths(store, [*REFERENCE, *TEXTS]))
    return store.dump()


@dataclass
class Reader:
    """A client reading documents and claims until told to stop, checking each is whole."""

    base: str
    mentions: Counter[str]
    said: Counter[str]
    stop: threading.Event
    reads: int = 0
    documents_seen: int = 0
    errors: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=60) as client:
            while not self.stop.is_set():
                try:
                    self._round(client)
                except httpx.HTTPError as exc:
                    self.errors.append(f"{type(exc).__name__}: {exc}")

    def _get(self, client: httpx.Client, url: str) -> dict | None:  # type: ignore[type-arg]
        self.reads += 1
        response = client.get(url)
        if response.status_code != 200:
            self.errors.append(f"GET {url}: {response.status_code} {response.text[:200]}")
            return None
        body: dict = response.json()  # type: ignore[type-arg]
        return body

    def _round(self, client: httpx.Client) -> None:
        page = self._get(client, "/documents?limit=500")
        for ref in page["data"] if page else []:
            doc = self._get(client, f"/documents/{ref['id']}")
            if doc is None:
                continue
            self.documents_seen += 1
            if len(doc["mentions"]) != self.mentions[ref["id"]]:
                self.partial.append(
                    f"{ref['id']}: {len(doc['mentions'])} of {self.mentions[ref['id']]} mentions"
                )
        claims = self._get(client, "/claims?limit=500")
        said = Counter(
            a["document"]["id"] for c in (claims or {}).get("data", []) for a in c["attestations"]
        )
        for doc_id, n in said.items():
            if n != self.said[doc_id]:
                self.partial.append(f"{doc_id}: {n} of {self.said[doc_id]} attestations")


def test_writers_and_readers_at_once(
    served: Served, alone: GraphBatch, figures: dict[str, object]
) -> None:
    assert len(alone.claims) < 500  # each reader's page holds them all
    mentions = Counter(m.document for m in alone.mentions)
    said = Counter(a.document for a in alone.attestations)
    with api_server(served.env) as base:
        stop = threading.Event()
        readers = [Reader(base, mentions, said, stop) for _ in range(READERS)]
        threads = [threading.Thread(target=r.run) for r in readers]
        for thread in threads:
            thread.start()
        writers = []
        for seed in range(WRITERS):
            order = TEXTS[:]
            random.Random(seed).shuffle(order)
            writers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "actorgraph", "load", *map(str, REFERENCE + order)],
                    env=clean_env(**served.env),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        outputs = [w.communicate(timeout=600) for w in writers]
        stop.set()
        for thread in threads:
            thread.join(timeout=120)

    for writer, (_, stderr) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, stderr
    errors = [e for r in readers for e in r.errors]
    assert errors == [], errors[:10]
    assert all(r.documents_seen > 0 for r in readers)
    assert served.store.dump() == alone
    partial = [p for r in readers for p in r.partial]
    figures.update(
        writers=WRITERS,
        readers=READERS,
        reads=sum(r.reads for r in readers),
        errors=len(errors),
        partial_documents_seen=len(partial),
    )
    assert partial == [], partial[:10]
