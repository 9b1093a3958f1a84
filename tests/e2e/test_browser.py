"""The network pages in a real headless Chromium: drawn, offline, hoverable, and safe."""

from __future__ import annotations

import http.server
import os
import shutil
import struct
import threading
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from actorgraph.graph import STORE_FILE
from actorgraph.graph.model import Document
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.loaders.pipeline import load_documents, load_paths
from bench.synthetic import generate
from tests.conftest import ARTICLES, DATA, REPO
from tests.servers import CHROMIUM_FLAGS as FLAGS
from tests.servers import api_server

ARTEFACTS = REPO / "tests" / "artefacts"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        message = "Chromium is missing: `make test` installs the Debian package chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The API over the founding corpus; yields its base URL."""
    folder = tmp_path_factory.mktemp("store")
    store = SQLiteStore(folder / STORE_FILE)
    assert all(o.error is None for o in load_paths(store, [DATA, ARTICLES]))
    with api_server({"ACTORGRAPH_DATA": str(folder)}) as base:
        yield base


class Visit:
    """A page opened in the browser, with every console error and every request it made."""

    def __init__(self, browser: Browser, url: str) -> None:
        self.page: Page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url)
        self.page.wait_for_selector("body[data-stable=true]", timeout=120_000)

    def state(self, expression: str) -> Any:
        return self.page.evaluate(f"() => {{ const s = window.actorgraph; return {expression}; }}")

    def foreign(self, base: str) -> list[str]:
        host = urlsplit(base).netloc
        return [u for u in self.requests if urlsplit(u).netloc not in (host, "")]


def test_the_kataib_hezbollah_neighbourhood_is_drawn_offline(browser: Browser, corpus: str) -> None:
    subgraph = _get_json(f"{corpus}/actors/kataib-hezbollah/neighbourhood?hops=2")
    visit = Visit(browser, f"{corpus}/viz/actors/kataib-hezbollah?hops=2")
    assert visit.errors == []
    assert visit.foreign(corpus) == []
    assert visit.state("s.nodes.length") == len(subgraph["nodes"])
    assert visit.state("s.edges.length") == len(subgraph["edges"])
    assert "Kata'ib Hizbollah" in visit.state("s.nodes.get('kataib-hezbollah').title")
    drawn = visit.page.evaluate(
        "() => { const c = document.querySelector('#network canvas');"
        " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let ink = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) ink++; return ink; }"
    )
    assert drawn > 10_000  # pixels painted: the canvas holds a network, not a blank
    ARTEFACTS.mkdir(exist_ok=True)
    visit.page.screenshot(path=str(ARTEFACTS / "kataib-hezbollah.png"))


def test_hovering_an_edge_shows_who_said_it_in_which_words(browser: Browser, corpus: str) -> None:
    visit = Visit(browser, f"{corpus}/viz/claims?status=contested")
    edge = visit.state("s.edges.get().find(e => e.label === 'struck' && e.status === 'contested')")
    x, y = visit.page.evaluate(
        """(id) => {
            const s = window.actorgraph, e = s.edges.get(id);
            const p = s.network.getPositions([e.from, e.to]);
            const mid = s.network.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2,
                                               y: (p[e.from].y + p[e.to].y) / 2});
            const box = document.querySelector('#network').getBoundingClientRect();
            return [box.left + mid.x, box.top + mid.y];
        }""",
        edge["id"],
    )
    visit.page.mouse.move(x - 40, y - 40)
    visit.page.mouse.move(x, y, steps=5)
    tooltip = visit.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=10_000)
    text = tooltip.inner_text()
    assert "contested" in text and "denied" in text
    assert "“" in text  # the quote itself


def test_a_script_in_a_quote_is_shown_as_text_and_never_run(
    browser: Browser, tmp_path: Path
) -> None:
    store = SQLiteStore(tmp_path / STORE_FILE)
    assert all(o.error is None for o in load_paths(store, [DATA / "actors.yaml"]))
    payload = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
    article = Document(
        title=f"CENTCOM statement {payload}",
        publisher=f"Wire {payload}",
        published="2024-02-08",
        text=f"CENTCOM struck Kataib Hezbollah in Baghdad on Wednesday, {payload} CENTCOM said.",
    )
    _, result = load_documents(store, [article])
    assert result.added["claims"] >= 1
    with api_server({"ACTORGRAPH_DATA": str(tmp_path)}) as base:
        visit = Visit(browser, f"{base}/viz/actors/kataib-hezbollah?hops=1")
        assert visit.page.evaluate("() => window.pwned") is None
        assert visit.page.query_selector("img[src=x]") is None
        tips = visit.state("s.edges.get().map(e => e.title).join('\\n')")
        assert "<script>window.pwned=1</script>" in tips  # kept, as text
        assert visit.foreign(base) == []


def test_the_map_draws_each_placed_event_offline_with_who_said_what(
    browser: Browser, corpus: str
) -> None:
    events = _get_json(f"{corpus}/events?limit=500")["data"]
    placed = [d for d in events if d["place"]]
    visit = Visit(browser, f"{corpus}/viz/map")
    assert visit.errors == [] and visit.foreign(corpus) == []
    assert visit.state("s.markers.length") == len(placed) > 5
    drawn = visit.page.locator("path.leaflet-interactive")
    assert drawn.count() == len(placed)
    assert visit.page.locator("svg path").count() > drawn.count()  # the outlines too
    taji = next(i for i, d in enumerate(placed) if d["event"]["id"] == "taji-convoy-strike-2020")
    visit.page.evaluate(f"() => window.actorgraph.markers[{taji}].openPopup()")
    text = visit.page.locator(".popup").inner_text()
    assert "Camp Taji" in text and "contested" in text and "denied" in text
    ARTEFACTS.mkdir(exist_ok=True)
    visit.page.screenshot(path=str(ARTEFACTS / "map.png"))
    near = Visit(browser, f"{corpus}/viz/map?near=camp-taji&within_km=15")
    assert near.state("s.markers.length") == 1


def test_a_script_in_a_place_name_or_a_quote_never_runs_on_the_map(
    browser: Browser, tmp_path: Path
) -> None:
    payload = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
    curated = tmp_path / "places.yaml"
    curated.write_text(
        "places:\n"
        f"  - {{id: nowhere, name: '{payload}', kind: city, lat: 33.3, lon: 44.4}}\n"
        "events:\n"
        f"  - {{id: strike-x, kind: strike, date: 2024-02-07, at: nowhere, place: '{payload}'}}\n",
        encoding="utf-8",
    )
    store = SQLiteStore(tmp_path / STORE_FILE)
    assert all(o.error is None for o in load_paths(store, [DATA / "actors.yaml", curated]))
    claims = tmp_path / "claims.yaml"
    article = Document(
        title="t", published="2024-02-08", text=f"CENTCOM struck Kataib Hezbollah. {payload}"
    )
    load_documents(store, [article])
    claims.write_text(
        "claims:\n  - {subject: centcom, predicate: struck, object: kataib-hezbollah, "
        "event: strike-x, attestations: [{speaker: centcom, stance: reported, document: "
        f"{article.id}, quote: '{payload}'}}]}}\n",
        encoding="utf-8",
    )
    assert all(o.error is None for o in load_paths(store, [claims]))
    with api_server({"ACTORGRAPH_DATA": str(tmp_path)}) as base:
        visit = Visit(browser, f"{base}/viz/map")
        visit.page.evaluate("() => window.actorgraph.markers[0].openPopup()")
        popup = visit.page.locator(".popup")
        assert "<script>window.pwned=1</script>" in popup.inner_text()  # kept, as text
        assert visit.page.evaluate("() => window.pwned") is None
        assert visit.page.query_selector("img[src=x]") is None
        assert visit.foreign(base) == []


def _png() -> bytes:
    """One grey pixel, as a PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit grey
    pixels = zlib.compress(b"\x00\xc0")  # filter 0, grey 192
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


_PNG = _png()


class _Tiles(http.server.BaseHTTPRequestHandler):
    """A tile server: a grey pixel for every tile asked."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(_PNG)))
        self.end_headers()
        self.wfile.write(_PNG)

    def log_message(self, *args: object) -> None:
        pass


def test_the_map_asks_the_tile_server_the_user_set_and_no_one_else(
    browser: Browser, tmp_path: Path
) -> None:
    tiles = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    threading.Thread(target=tiles.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{tiles.server_address[1]}"
    store = SQLiteStore(tmp_path / STORE_FILE)
    assert all(o.error is None for o in load_paths(store, [DATA, ARTICLES]))
    env = {
        "ACTORGRAPH_DATA": str(tmp_path),
        "ACTORGRAPH_TILE_URL": f"{origin}/{{z}}/{{x}}/{{y}}.png",
        "ACTORGRAPH_TILE_ATTRIBUTION": "<b>Tiles</b> by us",
    }
    try:
        with api_server(env) as base:
            visit = Visit(browser, f"{base}/viz/map")
            loaded = visit.page.locator("img.leaflet-tile-loaded")
            expect(loaded.first).to_be_attached(timeout=30_000)
            assert visit.errors == []  # no request refused by the page's policy
            asked = visit.foreign(base)
            assert asked and all(u.startswith(f"{origin}/") for u in asked)
            credit = visit.page.locator(".leaflet-control-attribution").inner_text()
            assert "<b>Tiles</b> by us" in credit  # the credit shown as text
    finally:
        tiles.shutdown()


def test_the_home_page_finds_an_actor_and_shows_its_view(browser: Browser, corpus: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{corpus}/")
    page.fill("#actor", "Kata'ib Hizbollah")
    page.click("button[type=submit]")
    frame = page.frame_locator("#frame")  # it showed the contested claims before: wait for KH
    expect(frame.locator("h1")).to_contain_text("Kataib Hezbollah", timeout=60_000)
    frame.locator("body[data-stable=true]").wait_for(timeout=60_000)
    assert errors == []


VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(
    e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "")));
"""


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/", "#frame"),
        ("/viz/actors/kataib-hezbollah?hops=2", "body[data-stable=true]"),
        ("/viz/claims?status=contested", "body[data-stable=true]"),
        ("/viz/map", "body[data-stable=true]"),
        ("/docs", ".opblock-tag"),  # Swagger UI, from the package, has drawn its operations
    ],
)
def test_every_page_keeps_its_content_security_policy_and_works(
    browser: Browser, corpus: str, path: str, ready: str
) -> None:
    page = browser.new_page()
    page.add_init_script(VIOLATIONS)
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    response = page.goto(f"{corpus}{path}")
    assert response is not None
    assert "script-src 'self' 'sha256-" in response.headers["content-security-policy"]
    page.wait_for_selector(ready, timeout=60_000)
    page.wait_for_timeout(500)  # a late violation would be reported by now
    assert page.evaluate("() => window.__violations") == []
    assert errors == []
    host = urlsplit(corpus).netloc
    assert [u for u in requests if urlsplit(u).netloc not in (host, "")] == []


def _get_json(url: str) -> Any:
    return httpx.get(url, timeout=30).json()


def test_a_2000_node_neighbourhood_renders_and_answers_a_click(
    browser: Browser, tmp_path: Path
) -> None:
    batch = generate(actors=3000, claims=12_000, seed=1)
    SQLiteStore(tmp_path / STORE_FILE).write(batch)
    hub = Counter(x for c in batch.claims for x in (c.subject, c.object)).most_common(1)[0][0]
    with api_server({"ACTORGRAPH_DATA": str(tmp_path)}) as base:
        visit = Visit(browser, f"{base}/viz/actors/{hub}?hops=2&limit=2000")
        assert visit.errors == []
        assert visit.state("s.nodes.length") == 2000
        assert "more nodes left out" in visit.page.inner_text("#omitted")
        target = visit.state("s.nodes.get()[1].id")
        x, y = visit.page.evaluate(
            """(id) => {
                const s = window.actorgraph, p = s.network.getPositions([id])[id];
                const at = s.network.canvasToDOM(p);
                const box = document.querySelector('#network').getBoundingClientRect();
                return [box.left + at.x, box.top + at.y];
            }""",
            target,
        )
        visit.page.mouse.click(x, y)
        assert visit.state("s.network.getSelectedNodes()") != []
