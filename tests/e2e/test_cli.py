"""The CLI end to end on the embedded store, with the founding corpus."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from actorgraph.cli import app
from actorgraph.graph import STORE_FILE
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.loaders.articles import read_articles
from tests.conftest import ARTICLES, DATA, TLB_2020
from tests.servers import clean_env, free_port

runner = CliRunner()


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def loaded(data_dir: Path) -> SQLiteStore:
    run("demo", "--no-serve")
    return SQLiteStore(data_dir / STORE_FILE)


def test_demo_loads_the_founding_corpus_and_prints_counts(data_dir: Path) -> None:
    output = run("demo", "--no-serve")
    assert "6 of 6 files loaded into the embedded store" in output
    assert "64 actors, 10 events, 2 documents, 20 claims, 46 attestations" in output
    assert 'actorgraph show "Abu Mahdi al-Muhandis"' in output
    stats = SQLiteStore(data_dir / STORE_FILE).stats()
    assert stats.statuses == {"confirmed": 5, "contested": 3, "reported": 12}


def test_show_al_muhandis_lists_his_death_and_his_command_with_sources(loaded: SQLiteStore) -> None:
    output = run("show", "Abu Mahdi al-Muhandis")
    lines = output.splitlines()
    killed = next(
        i
        for i, line in enumerate(lines)
        if "was killed in" in line and line.startswith("Abu Mahdi")
    )
    assert "2020-01-03" in lines[killed] and "Baghdad International Airport" in lines[killed]
    block = "\n".join(lines[killed : killed + 12])
    assert "same event: Qassem Soleimani was killed in the strike of 2020-01-03" in block
    assert TLB_2020 in block
    assert "Abu Mahdi al-Muhandis commands Popular Mobilization Forces" in output
    assert "their deputy leader, Abu Mahdi al-Muhandis" in output


def test_show_resolves_aliases(loaded: SQLiteStore) -> None:
    for name in ("Hashd al-Shaabi", "PMU", "الحشد الشعبي", "pmf"):
        assert run("show", name).startswith("Popular Mobilization Forces  (armed_group, id pmf)")


def test_show_an_unknown_name_suggests_close_ones(loaded: SQLiteStore) -> None:
    # "al-Muhandiss", this test's name before names were resolved as the API resolves
    # them, is al-Muhandis respelt: it resolves now (below). "Abu" could be two people.
    output = run("show", "Abu", code=2)
    assert "no actor named 'Abu'" in output and "(abu-mahdi-al-muhandis)" in output


def test_show_takes_any_spelling_and_refuses_an_ambiguous_name(loaded: SQLiteStore) -> None:
    assert run("show", "al-Muhandiss").startswith("Abu Mahdi al-Muhandis  (person")
    assert run("show", "Kata'ib Hizbollah").startswith("Kataib Hezbollah  (armed_group")
    refused = run("show", "Kataib", code=2)
    assert "no actor named 'Kataib'" in refused
    assert "(kataib-imam-ali)" in refused and "(kataib-hezbollah)" in refused


def test_contested_claims_show_both_sides(loaded: SQLiteStore) -> None:
    output = run("show", "Shibl al-Zaidi")
    assert "Shibl al-Zaidi was killed in the strike of 2020-01-04" in output
    assert "[contested]" in output
    assert "Shibl al-Zaidi denied" in output and "ZeroHedge reported (hedged)" in output


def test_actors_search_any_spelling(loaded: SQLiteStore) -> None:
    output = run("actors", "--q", "hizbollah")
    assert "kataib-hezbollah" in output and "1 actor(s)" not in output
    assert "pmf" not in run("actors", "--q", "hizbollah")


def test_stats_names_the_store(loaded: SQLiteStore, data_dir: Path) -> None:
    output = run("stats")
    assert f"store: embedded ({data_dir / STORE_FILE})" in output
    assert "claims by status: confirmed 5, contested 3, reported 12" in output


def test_loading_the_same_folders_twice_leaves_the_store_identical(data_dir: Path) -> None:
    run("load", str(DATA), str(ARTICLES))
    path = data_dir / STORE_FILE
    first, stats = path.read_bytes(), SQLiteStore(path).stats()
    claim_ids = sorted(c.claim.id for c in SQLiteStore(path).claims())
    output = run("load", str(ARTICLES), str(DATA))  # order given does not matter either
    assert "already there" in output and "added" not in output
    assert path.read_bytes() == first
    again = SQLiteStore(path)
    assert again.stats() == stats
    assert sorted(c.claim.id for c in again.claims()) == claim_ids


def test_bad_files_fail_alone_with_one_line_each(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(ARTICLES / "2020-01-04-round-two-taji-strikes.md", folder / "good.md")
    (folder / "broken.md").write_text("---\ntitle: [x\n---\nThe US denied it.", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Caf\xe9".encode("latin-1"))
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    (folder / "more.txt").write_text(
        "Second article\n\nReuters reported a strike.", encoding="utf-8"
    )
    result = runner.invoke(app, ["load", str(folder)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("✗")]
    assert len(errors) == 4
    for name, problem in [
        ("broken.md", "front matter is not valid YAML"),
        ("empty.txt", "empty file"),
        ("latin1.txt", "not UTF-8"),
        ("scan.pdf", "unknown extension '.pdf'"),
    ]:
        assert any(name in e and problem in e for e in errors), (name, errors)
    assert "4 file(s) failed" in result.output
    store = SQLiteStore(data_dir / STORE_FILE)
    assert store.stats().counts["documents"] == 2
    for good in ("good.md", "more.txt"):
        (doc,) = read_articles(folder / good)
        assert store.document(doc.id) == doc


def test_a_curated_file_with_a_bad_entry_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "actors.yaml"
    bad.write_text(
        "actors:\n"
        "  - {id: us, name: United States, kind: state}\n"
        "  - id: pmf\n"
        "    name: PMF\n"
        "    kind: militia\n",
        encoding="utf-8",
    )
    output = run("load", str(bad), code=1)
    assert f"{bad}:3 [kind]: Input should be" in output
    assert SQLiteStore(data_dir / STORE_FILE).stats().counts["actors"] == 0


def test_a_quote_that_is_not_in_its_document_names_the_line(data_dir: Path, tmp_path: Path) -> None:
    claims = tmp_path / "claims.yaml"
    claims.write_text(
        "claims:\n"
        "  - subject: united-states\n"
        "    predicate: struck\n"
        "    object: pmf\n"
        "    attestations:\n"
        "      - speaker: reuters\n"
        "        stance: reported\n"
        f"        document: {TLB_2020}\n"
        "        quote: words nobody wrote\n",
        encoding="utf-8",
    )
    run("load", str(DATA / "actors.yaml"), str(ARTICLES))
    before = SQLiteStore(data_dir / STORE_FILE).stats().counts
    output = run("load", str(claims), code=1)
    assert f"{claims}:6 [quote]: quote not found" in output
    assert SQLiteStore(data_dir / STORE_FILE).stats().counts == before


def test_a_large_load_shows_totals_and_still_reports_each_bad_file(
    data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(25):
        (folder / f"{i:02}.txt").write_text(f"Article {i}\n\nThe PMF said {i}.", encoding="utf-8")
    (folder / "zz.txt").write_bytes(b"\xff\xfe")
    result = runner.invoke(app, ["load", str(folder)])
    assert result.exit_code == 1
    assert "added 25 documents" in result.output
    assert f"✗ {folder / 'zz.txt'}: not UTF-8 text" in result.output
    assert "25 of 26 files loaded" in result.output


def test_demo_starts_the_api_and_prints_where_to_open_it(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "actorgraph", "demo", "--port", str(port)],
        env=clean_env(ACTORGRAPH_DATA=str(tmp_path)),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        printed = []
        for line in process.stdout:
            printed.append(line)
            if "Press Ctrl-C" in line:
                break
        urls = [w for line in printed for w in line.split() if w.startswith("http://")]
        assert f"http://127.0.0.1:{port}/docs" in urls
        contested = next(u for u in urls if u.endswith("/claims/contested"))
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(contested, timeout=10)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the demo's API never answered"
                time.sleep(0.2)
        assert response.status_code == 200
        assert response.json()["count"] == 3
        for url in urls:
            assert httpx.get(url, timeout=10).status_code == 200, url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_viz_writes_a_page_of_the_neighbourhood(loaded: SQLiteStore, tmp_path: Path) -> None:
    page = tmp_path / "kh.html"
    output = run("viz", "Kata'ib Hizbollah", "--hops", "2", "-o", str(page))
    assert f"wrote {page}" in output.replace("\n", "")
    html = page.read_text(encoding="utf-8")
    assert "Kataib Hezbollah, 2 hops around" in html
    assert "new vis.Network(" in html


def test_viz_map_writes_the_events_on_a_map(loaded: SQLiteStore, tmp_path: Path) -> None:
    page = tmp_path / "map.html"
    output = run("viz", "--map", "--near", "Camp Taji", "-o", str(page))
    assert f"wrote {page}" in output.replace("\n", "")
    html = page.read_text(encoding="utf-8")
    assert "L.circleMarker(" in html and '"id": "taji-convoy-strike-2020"' in html
    assert '"id": "baghdad-airport-strike-2020"' not in html  # 30 km away, not near
    assert "name an actor" in run("viz", "-o", str(page), code=2)


def test_viz_map_draws_over_the_tiles_the_user_set_and_names_a_bad_setting(
    loaded: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "map.html"
    run("viz", "--map", "-o", str(page))
    assert '"tile.example.org' not in page.read_text(encoding="utf-8")  # offline by default
    monkeypatch.setenv("ACTORGRAPH_TILE_URL", "https://tile.example.org/{z}/{x}/{y}.png")
    run("viz", "--map", "-o", str(page))
    assert '"https://tile.example.org/{z}/{x}/{y}.png"' in page.read_text(encoding="utf-8")
    monkeypatch.setenv("ACTORGRAPH_TILE_URL", "tile.example.org")
    said = run("viz", "--map", "-o", str(page), code=2)
    assert "ACTORGRAPH_TILE_URL: not an http(s) URL" in said and "Traceback" not in said


def test_viz_of_an_unknown_actor_or_to_an_unwritable_place_says_why(
    loaded: SQLiteStore, tmp_path: Path
) -> None:
    assert "nobody" in run("viz", "nobody at all", "-o", str(tmp_path / "x.html"), code=2)
    missing = tmp_path / "no" / "such" / "folder" / "x.html"
    assert str(missing) in run("viz", "pmf", "-o", str(missing), code=2).replace("\n", "")
