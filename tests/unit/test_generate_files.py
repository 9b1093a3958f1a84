"""bench/generate.py: a synthetic graph written as files ``actorgraph load`` reads back whole."""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.graph.store import GraphBatch
from actorgraph.loaders.pipeline import load_paths
from bench.synthetic import generate
from tests.conftest import REPO

SCRIPT = REPO / "bench" / "generate.py"
ACTORS, CLAIMS, SEED = 60, 200, 5
FILES = ("actors.yaml", "events.yaml", "articles.jsonl", "claims.yaml")


@dataclass
class Generated:
    folder: Path
    embedded: Path
    output: str


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    folder = tmp_path_factory.mktemp("generated")
    embedded = tmp_path_factory.mktemp("embedded") / "graph.sqlite"  # not in the folder loaded
    done = run(
        *("--actors", str(ACTORS), "--claims", str(CLAIMS), "--seed", str(SEED)),
        *("-o", folder, "--embedded", embedded),
    )
    assert done.returncode == 0, done.stderr
    return Generated(folder, embedded, done.stdout)


@pytest.fixture(scope="module")
def batch() -> GraphBatch:
    return generate(actors=ACTORS, claims=CLAIMS, seed=SEED)


def test_the_files_load_and_hold_every_generated_record(
    generated: Generated, batch: GraphBatch, tmp_path: Path
) -> None:
    assert sorted(p.name for p in generated.folder.glob("*.*")) == sorted(FILES)
    store = SQLiteStore(tmp_path / "g.json")
    outcomes = load_paths(store, [generated.folder])
    assert sorted(o.path.name for o in outcomes) == sorted(FILES)
    assert [o.error for o in outcomes] == [None] * len(FILES)
    loaded = store.dump()
    # Loading the articles also runs the rule extractor over them, which adds
    # mentions, and events, claims and attestations of its own reading (some
    # equal to generated ones, some not): the generated records must all be
    # there, equal field for field (offsets, hedges and dates included), but
    # they need not be all there is.
    for kind in ("actors", "events", "documents", "claims", "attestations"):
        stored = {record.id: record for record in getattr(loaded, kind)}
        for record in getattr(batch, kind):
            assert stored.get(record.id) == record, f"{kind}: {record.id}"


def test_embedded_store_holds_the_batch_itself(generated: Generated, batch: GraphBatch) -> None:
    assert SQLiteStore(generated.embedded).dump() == batch
    assert f"{CLAIMS} claims" in generated.output
    assert f"{len(batch.attestations):,} attestations" in generated.output


def test_an_existing_embedded_store_is_refused(
    generated: Generated, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main = runpy.run_path(str(SCRIPT))["main"]  # in process: a new one imports for seconds
    before = generated.embedded.read_bytes()
    args = ["--actors", "10", "--claims", "5", "-o", str(tmp_path)]
    with pytest.raises(SystemExit) as exited:
        main([*args, "--embedded", str(generated.embedded)])
    assert exited.value.code == 2
    assert "exists" in capsys.readouterr().err
    assert generated.embedded.read_bytes() == before


def test_a_line_is_json_and_yaml_even_with_line_breaks_inside() -> None:
    line = runpy.run_path(str(SCRIPT))["line"]
    row = {"text": 'a\x85b\u2028c\u2029d\x9fe\nf "g" \\ ’ حزب الله'}
    text = line(row)
    assert text.endswith("\n")
    assert text.splitlines() == [text[:-1]]  # one line, as the JSONL reader splits
    assert json.loads(text) == row
    assert yaml.safe_load(f"- {text}") == [row]
