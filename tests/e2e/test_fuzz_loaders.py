"""Loader fuzzing: random, broken and huge input into ``load`` and ``POST /documents``.

Articles are generated in every format the loaders read (front-matter
Markdown, plain text, JSONL, curated YAML) from random Unicode (right-to-left
scripts, combining marks, NUL, BOMs, CRLF, line separators, lone surrogates
where JSON can carry them), sentences of the founding corpus and huge lines,
then often broken. For every input:

- nothing crashes: no exception escapes, no 5xx, no traceback from the CLI;
- it is loaded, or refused with an error that names the file and the line
  (or the field) at fault;
- a refused input leaves the store exactly as it was; an accepted one is whole:
  its documents, mentions, claims and attestations all stored, nothing else,
  the same when read again; and loading it again changes nothing (unless the
  first load made its publisher a new outlet, which its text may name).

Every bug these found is kept below as an explicit ``@example`` or case.

The file-loading properties run on the embedded store; ``POST /documents``
runs on both stores. Runs are derandomized, so CI sees the same inputs every
time; ``pytest --hypothesis-show-statistics`` counts them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import (
    HealthCheck,
    Phase,
    currently_in_test_context,
    event,
    example,
    given,
    settings,
)
from hypothesis import strategies as st
from pydantic import SecretStr
from typer.testing import CliRunner

from actorgraph.api.app import create_app
from actorgraph.cli import app as cli
from actorgraph.errors import ActorGraphError, InputError
from actorgraph.extraction.text import sentences
from actorgraph.graph import STORE_FILE
from actorgraph.graph.model import ActorKind, EventKind, Predicate, Stance, normalise_text
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.graph.store import KINDS, GraphBatch, GraphStore
from actorgraph.loaders.articles import read_articles
from actorgraph.loaders.curated import read_curated
from actorgraph.loaders.pipeline import article_batch, extractor_for, load_paths
from actorgraph.settings import Settings
from tests.conftest import ARTICLES, DATA, wipe
from tests.helpers import open_neo4j
from tests.servers import LOOPBACK, clean_env

KEY = "fuzz-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
BODY_LIMIT = 256 * 1024  # small, so that bodies over it are cheap to make


def fuzz(examples: int) -> settings:
    """``examples`` inputs, the same on every run (CI is reproducible), with no time limit."""
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],  # explain traces: far too slow
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,  # `figures` counts across all the inputs
        ],
    )


def tally(figures: dict[str, object], outcome: str) -> None:
    """Count one input tried, and what came of it, in the test's figures."""
    for key in ("inputs", outcome):
        figures[key] = int(figures.get(key, 0)) + 1  # type: ignore[call-overload]


# -- what articles are made of -----------------------------------------------------------

CORPUS = [doc for path in sorted(ARTICLES.glob("*.md")) for doc in read_articles(path)]
SENTENCES = sorted({s.text for doc in CORPUS for s in sentences(doc.text)})
NAMES = sorted({name for a in read_curated(DATA / "actors.yaml").actors for name in a.names})
ACTOR_IDS = sorted(a.id for a in read_curated(DATA / "actors.yaml").actors)
EVENT_IDS = sorted(e.id for e in read_curated(DATA / "events.yaml").events)
ODD = [
    "\x00",  # NUL
    "\ufeff",  # BOM (also mid-text)
    "\r\n",
    "\r",
    "\n\n",
    "\t",
    "\u2028",  # line and paragraph separators, NEL: line breaks to some, not to others
    "\u2029",
    "\x85",
    "\x0b\x0c\x1c\x1d\x1e",
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\u200d",  # zero-width joiner
    "e\u0301",  # combining acute: NFC folds it
    "\u0627\u064b\u0651",  # alef with tanween and shadda
    "كتائب حزب الله",
    "الحشد الشعبي",
    "أبو مهدي المهندس",
    "ש״ס פתח באש",
    "\U0001f4a5",
    "---",
    "\n---\n",
]
SURROGATES = ["\ud800", "\udfff", "\udc80x"]
"""Lone surrogates: only JSON (and YAML) escapes can carry them into a string."""

piece = st.one_of(
    st.sampled_from(SENTENCES),
    st.sampled_from(NAMES),
    st.sampled_from(ODD),
    st.text(max_size=40),
)
prose = st.lists(piece, max_size=10).map(" ".join)
short = st.lists(piece, min_size=1, max_size=3).map(" ".join)


@st.composite
def huge_line(draw: st.DrawFn) -> str:
    """One line of 10,000 to 50,000 characters, repeating a sentence, a name or junk."""
    unit = draw(st.one_of(st.sampled_from(SENTENCES + NAMES + ODD), st.text(min_size=1))) + " "
    size = draw(st.integers(10_000, 50_000))
    return (unit * (size // len(unit) + 1))[:size].replace("\n", " ").replace("\r", " ")


story = st.builds("{} {}".format, st.sampled_from(SENTENCES + NAMES), prose)
"""Never blank: a sentence or a name of the corpus, then anything."""
body = st.one_of(*[story] * 6, *[prose] * 3, huge_line())
metadata = st.fixed_dictionaries(
    {},
    optional={
        "title": st.one_of(short, st.just("")),
        "publisher": st.one_of(st.sampled_from(["Reuters", "ZeroHedge", "Al Masdar News"]), short),
        "author": short,
        "published": st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
        "url": st.text(max_size=60),
        "source": short,
    },
)


@dataclass
class Article:
    meta: dict[str, Any]
    body: str


articles = st.builds(Article, metadata, body)

JUNK = [
    "\x00",
    "\ufeff",
    "\r",
    "\n",
    "\n\n",
    "---\n",
    "\n---\n",
    ": ",
    "[",
    "{",
    "}",
    '"',
    "'",
    "\\",
    "\\ud800",
    '"\\udc80"',
    "\t",
    "1: x\n",
    "null: x\n",
    "- a\n",
    "? [a, b]\n: c\n",
    "title: &a x\nauthor: *a\n",
    "title: *nowhere\n",
    "!!python/object/apply:os.system [echo]\n",
    "published: 2020-13-45\n",
    "published: 2020-02-30\n",
    "date: 2021-02-29\n",
    'published: "yesterday"\n',
    'title: "\\ud800"\n',
    '"published": "2020-02-30", ',
    '"title": 1, ',
    '"text": null, ',
    '"text": "\\udfff", ',
    ', "extra": true',
    "NaN",
    "1" * 5000,  # an integer Python refuses to convert
    "[" * 20_000,  # nesting deeper than any parser recurses
    "{" * 20_000,
    "- " * 20_000,
    "\u2028",
    "\x85",
    "\x0c",
]


@st.composite
def broken(draw: st.DrawFn, text: str) -> bytes:
    """``text`` damaged by one to three edits, then encoded (not always as UTF-8)."""
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "insert", "cut", "delete", "lines", "breaks"]))
        if edit == "insert":
            junk = draw(st.one_of(st.sampled_from(JUNK), st.text(max_size=8)))
            text = text[:where] + junk + text[where:]
        elif edit == "cut":
            text = text[:where]
        elif edit == "delete":
            text = text[:where] + text[where + draw(st.integers(1, 20)) :]
        elif edit == "lines":
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i : i + 1] = draw(st.sampled_from([[], [lines[i]] * 2, [lines[i][::-1]]]))
            text = "\n".join(lines)
        else:
            text = text.replace("\n", draw(st.sampled_from(["\r\n", "\r", "\n\n", "\u2028"])))
    encoding = draw(st.sampled_from(["utf-8"] * 6 + ["utf-8-sig", "utf-16", "latin-1"]))
    data = text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")
    if draw(st.integers(0, 4)) == 0:  # bytes that are no UTF-8: stray, cut, CESU surrogate
        raw = draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"]))
        where = draw(st.integers(0, len(data)))
        data = data[:where] + raw + data[where:]
    return data


# -- the formats ------------------------------------------------------------------------


def front_matter(article: Article) -> str:
    if not article.meta:
        return article.body
    return "---\n" + yaml.safe_dump(article.meta, allow_unicode=True) + "---\n" + article.body


def jsonl(records: list[Article], ascii_only: bool, newline: str) -> str:
    lines = [
        json.dumps(
            {**{k: str(v) for k, v in a.meta.items()}, "text": a.body}, ensure_ascii=ascii_only
        )
        for a in records
    ]
    return newline.join(lines) + newline


@dataclass
class Expected:
    """What a well-formed file must load as: each document's text and metadata."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    refused: bool = False
    """Whether the file must be refused (an article with no text)."""


def expect(records: list[Article]) -> Expected:
    """One document per distinct text (the last article with it wins), or a refusal."""
    expected = Expected()
    by_text: dict[str, dict[str, Any]] = {}
    for a in records:
        text = normalise_text(a.body)
        if not text:
            expected.refused = True
            continue
        title = a.meta.get("title") or text.splitlines()[0].strip()
        by_text[text] = {**a.meta, "title": title, "text": text}
    expected.documents = list(by_text.values())
    return expected


EXPECT_BLANK_PUBLISHER = expect([Article({"publisher": "\r\n"}, "Body")])
EXPECT_SEPARATOR = expect([Article({}, "a\u2028b")])


def slug(prefix: str) -> st.SearchStrategy[str]:
    return st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True).map(
        lambda s: f"{prefix}-{s}"
    )


curated_actor = st.fixed_dictionaries(
    {"id": slug("fz"), "name": short, "kind": st.sampled_from([k.value for k in ActorKind])},
    optional={"aliases": st.lists(short, max_size=3), "description": prose},
)
curated_event = st.fixed_dictionaries(
    {"id": slug("fz-event"), "kind": st.sampled_from([k.value for k in EventKind])},
    optional={"date": st.dates(), "place": short, "description": prose},
)


@st.composite
def curated_claim(draw: st.DrawFn) -> dict[str, Any]:
    predicate = draw(st.sampled_from(list(Predicate)))
    killed = predicate is Predicate.KILLED_IN
    claim: dict[str, Any] = {
        "subject": draw(st.sampled_from(ACTOR_IDS)),
        "predicate": predicate.value,
        "object": draw(st.sampled_from(EVENT_IDS if killed else ACTOR_IDS)),
    }
    if predicate is Predicate.STRUCK and draw(st.booleans()):
        claim["event"] = draw(st.sampled_from(EVENT_IDS))
    doc = draw(st.sampled_from(CORPUS))
    quotes = [s.text for s in sentences(doc.text)]
    claim["attestations"] = [
        {
            "speaker": draw(st.sampled_from(ACTOR_IDS)),
            "stance": draw(st.sampled_from([s.value for s in Stance])),
            "document": doc.id,
            "quote": draw(st.sampled_from(quotes)),
        }
        for _ in range(draw(st.integers(1, 2)))
    ]
    return claim


curated = st.fixed_dictionaries(
    {},
    optional={
        "actors": st.lists(curated_actor, max_size=4, unique_by=lambda a: a["id"]),
        "events": st.lists(curated_event, max_size=3, unique_by=lambda e: e["id"]),
        "claims": st.lists(curated_claim(), max_size=3),
    },
)

# -- the checks -------------------------------------------------------------------------

WHOLE_FILE = re.compile(
    r"^(empty file|not UTF-8 text \(byte 0x[0-9a-f]{2} at offset \d+\)|no articles in the file"
    r"|.* refers to unknown .*|.* clashes with .*|.* is both an actor and an event.*)$"
)
"""Problems of a whole file, which no one line or field is to blame for."""


def assert_clear(error: ActorGraphError | None, path: Path, data: bytes) -> None:
    """A refusal names the file, and the line or field at fault when there is one."""
    assert isinstance(error, InputError), f"{type(error).__name__}: {error}"
    assert error.path == path
    assert str(error).startswith(f"{path}")
    assert error.problem.strip()
    if error.line is not None:
        lines = max(data.count(b"\n"), len(data.decode("utf-8", "replace").splitlines()))
        assert 1 <= error.line <= lines + 1, f"line {error.line} of {lines}: {error}"
    assert error.line is not None or error.field or WHOLE_FILE.match(error.problem), str(error)


def records(batch: GraphBatch) -> dict[str, dict[str, Any]]:
    return {kind: {r.id: r for r in getattr(batch, kind)} for kind in KINDS}


def assert_whole(store: GraphStore, before: dict[str, dict[str, Any]], batch: GraphBatch) -> None:
    """The store holds what it held, updated by every record of ``batch``, and nothing else."""
    after = records(store.dump())
    added = records(batch)
    for kind in KINDS:
        assert after[kind] == {**before[kind], **added[kind]}, kind


def expected_batch(store: GraphStore, path: Path) -> GraphBatch | None:
    """What loading ``path`` should add, read and extracted as the loader does; None if bad."""
    try:
        if path.suffix == ".yaml":
            return read_curated(path).batch(store.document)
        return article_batch(read_articles(path), extractor_for(store))
    except InputError:
        return None


def load_one(store: SQLiteStore, path: Path, data: bytes, expected: Expected | None) -> str:
    """Load ``path`` and check the three properties; ``expected`` when it is well-formed.

    Returns whether it was ``loaded`` or ``refused``.
    """
    path.write_bytes(data)
    before = records(store.dump())
    batch = expected_batch(store, path)
    (outcome,) = load_paths(store, [path])
    event("refused" if outcome.error is not None else "loaded")
    event(f"input of {'over' if len(data) > 10_000 else 'under'} 10 kB")
    if outcome.error is not None:
        assert_clear(outcome.error, path, data)
        assert records(store.dump()) == before, "a refused file changed the store"
        assert expected is None or expected.refused, f"well-formed, refused: {outcome.error}"
        return "refused"
    assert batch is not None
    assert expected is None or not expected.refused, "a file with an empty article loaded"
    assert_whole(store, before, batch)
    for doc in {d.id: d for d in batch.documents}.values():
        assert store.document(doc.id) == doc
        mentions = {m.id: m for m in batch.mentions if m.document == doc.id}
        assert {m.id: m for m in store.mentions(doc.id)} == mentions
    if expected is not None:  # and the text and metadata are the ones written in the file
        stored = [store.document(d.id) for d in batch.documents]
        written = {d.text: d.model_dump(exclude_none=True, exclude={"id"}) for d in stored if d}
        assert written == {d["text"]: d for d in expected.documents}
    dump = records(store.dump())
    assert records(SQLiteStore(store.path).dump()) == dump, "read again, the store differs"
    (again,) = load_paths(store, [path])
    assert again.error is None, f"loaded once, refused the second time: {again.error}"
    if not batch.actors:  # a new outlet (its publisher) may be named in the text: now known
        assert records(store.dump()) == dump, "loading it twice changed the store"
    return "loaded"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store file with the curated actors and events and the founding corpus."""
    path = tmp_path_factory.mktemp("seed") / STORE_FILE
    store = SQLiteStore(path)
    outcomes = load_paths(
        store, [DATA / "places.yaml", DATA / "actors.yaml", DATA / "events.yaml", ARTICLES]
    )
    assert all(o.error is None for o in outcomes)
    store.close()
    return path


@pytest.fixture(scope="module")
def fresh(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[], SQLiteStore]:
    """A new copy of the seeded store for each example: examples never see each other."""
    made = iter(range(10**9))

    def new() -> SQLiteStore:
        folder = tmp_path_factory.mktemp(f"example{next(made)}", numbered=False)
        shutil.copy(seeded, folder / STORE_FILE)
        return SQLiteStore(folder / STORE_FILE)

    return new


@dataclass
class FileCase:
    name: str
    data: bytes
    expected: Expected | None

    def __repr__(self) -> str:  # a failing example stays readable when its data is huge
        shown = self.data if len(self.data) <= 300 else self.data[:300] + b"..."
        expected = "None" if self.expected is None else "Expected(...)"
        return f"FileCase({self.name!r}, {shown!r} ({len(self.data)} bytes), {expected})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # what hypothesis prints
        printer.text(repr(self))


@st.composite
def article_files(draw: st.DrawFn) -> FileCase:
    """A Markdown or text article, with or without front matter, often broken."""
    article = draw(articles)
    suffix = draw(st.sampled_from([".md", ".txt", ".markdown"]))
    text = front_matter(article)
    first_line = (text.removeprefix("\ufeff").splitlines() or [""])[0]  # as the loader reads
    if not article.meta and first_line.rstrip() == "---":
        article.meta = {"title": "x"}  # a plain body that opens like front matter
        text = front_matter(article)
    if draw(st.integers(0, 2)) == 0:
        return FileCase(f"article{suffix}", draw(broken(text)), None)
    body = article.body.removeprefix("\ufeff") if not article.meta else article.body
    expected = expect([Article(article.meta, body)])
    return FileCase(f"article{suffix}", text.encode(), expected)


@st.composite
def jsonl_files(draw: st.DrawFn) -> FileCase:
    """A JSONL file of articles, often broken."""
    bodies = st.one_of(story, story, story, prose)
    batch = draw(st.lists(st.builds(Article, metadata, bodies), min_size=1, max_size=4))
    surrogate = draw(st.integers(0, 9)) == 0
    if surrogate:  # JSON's escapes carry lone surrogates: put one in
        draw(st.sampled_from(batch)).body += draw(st.sampled_from(SURROGATES))
    escaped = surrogate or draw(st.booleans())
    text = jsonl(batch, escaped, draw(st.sampled_from(["\n", "\r\n"])))
    if surrogate:
        return FileCase("articles.jsonl", text.encode(), None)
    if draw(st.integers(0, 2)) == 0:
        return FileCase("articles.jsonl", draw(broken(text)), None)
    return FileCase("articles.jsonl", text.encode(), expect(batch))


@st.composite
def curated_files(draw: st.DrawFn) -> FileCase:
    """A curated YAML file of actors, events and claims quoting the founding corpus."""
    text = yaml.safe_dump(draw(curated), allow_unicode=True, sort_keys=False)
    data = draw(broken(text)) if draw(st.integers(0, 2)) == 0 else text.encode()
    return FileCase("curated.yaml", data, None)


# -- loading files ----------------------------------------------------------------------


@fuzz(60)
@given(case=article_files())
@example(case=FileCase("date.md", b"---\npublished: 2020-13-45\n---\nBody", None))
@example(case=FileCase("keys.md", b"---\n1: a\nb: c\n---\nBody", None))
@example(case=FileCase("nul.md", b"---\ntitle: a\x00b\n---\nBody", None))
@example(case=FileCase("deep.md", b"---\ntitle: " + b"[" * 20_000 + b"\n---\nBody", None))
@example(  # a blank publisher was searched for, and the error named no file
    case=FileCase("blank.md", b'---\npublisher: "\\r\\n"\n---\nBody', EXPECT_BLANK_PUBLISHER)
)
@example(case=FileCase("iran.txt", b"Iran " * 10_000, None))  # took minutes: pairs, per line
def test_article_files_load_whole_or_are_refused_clearly(
    fresh: Callable[[], SQLiteStore], case: FileCase, figures: dict[str, object]
) -> None:
    store = fresh()
    tally(figures, load_one(store, store.path.parent / case.name, case.data, case.expected))


@fuzz(50)
@given(case=jsonl_files())
@example(case=FileCase("big-int.jsonl", b'{"text": ' + b"1" * 5000 + b"}\n", None))
@example(case=FileCase("deep.jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n", None))
@example(case=FileCase("surrogate.jsonl", b'{"text": "\\ud800 strike"}\n', None))
@example(  # a raw U+2028 is allowed inside a JSON string, and the line was split there
    case=FileCase("separator.jsonl", '{"text": "a\u2028b"}\n'.encode(), EXPECT_SEPARATOR)
)
@example(case=FileCase("publisher.jsonl", b'{"text": "x", "publisher": "\\udc80"}\n', None))
def test_jsonl_files_load_whole_or_are_refused_clearly(
    fresh: Callable[[], SQLiteStore], case: FileCase, figures: dict[str, object]
) -> None:
    store = fresh()
    tally(figures, load_one(store, store.path.parent / case.name, case.data, case.expected))


@fuzz(100)
@given(case=curated_files())
@example(
    case=FileCase("bad-date.yaml", b"events:\n  - {id: x, kind: strike, date: 2020-02-30}\n", None)
)
@example(case=FileCase("keys.yaml", b"1: x\nactors: []\n", None))
@example(case=FileCase("item.yaml", b"actors:\n  - just a name\n", None))
@example(case=FileCase("deep.yaml", b"actors: " + b"[" * 100_000 + b"\n", None))  # segfault
def test_curated_files_load_whole_or_are_refused_clearly(
    fresh: Callable[[], SQLiteStore], case: FileCase, figures: dict[str, object]
) -> None:
    store = fresh()
    tally(figures, load_one(store, store.path.parent / case.name, case.data, case.expected))


# -- the CLI ----------------------------------------------------------------------------

runner = CliRunner()


@fuzz(10)
@given(case=st.one_of(article_files(), jsonl_files(), curated_files()))
def test_the_cli_loads_or_names_the_file_and_exits_1(
    fresh: Callable[[], SQLiteStore], case: FileCase, figures: dict[str, object]
) -> None:
    store = fresh()
    store.close()
    path = store.path.parent / case.name
    path.write_bytes(case.data)
    before = records(SQLiteStore(store.path).dump())
    env = {"ACTORGRAPH_DATA": str(store.path.parent), "NEO4J_URI": None}
    result = runner.invoke(cli, ["load", str(path)], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert "1 of 1 files loaded" in result.output
        tally(figures, "loaded")
        return
    tally(figures, "refused")
    assert result.exit_code == 1, result.output
    assert f"✗ {path}" in result.output and "1 file(s) failed" in result.output
    assert records(SQLiteStore(store.path).dump()) == before


def test_the_cli_in_a_real_process_refuses_bad_files_without_a_traceback(
    fresh: Callable[[], SQLiteStore],
) -> None:
    store = fresh()
    store.close()
    folder = store.path.parent
    bad = {
        "date.md": b"---\npublished: 2020-13-45\n---\nBody",
        "keys.md": b"---\n1: a\nb: c\n---\nBody",
        "deep.jsonl": b"[" * 100_000 + b"\n",
        "surrogate.jsonl": b'{"text": "\\ud800 strike"}\n',
        "bad-date.yaml": b"events:\n  - {id: x, kind: strike, date: 2020-02-30}\n",
        "deep.yaml": b"actors: " + b"[" * 100_000 + b"\n",  # libyaml's composer: a segfault
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    (folder / "good.txt").write_text("Reuters reported that Kataib Hezbollah denied it.\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "actorgraph",
            "load",
            *(str(folder / n) for n in [*bad, "good.txt"]),
        ],
        env=clean_env(ACTORGRAPH_DATA=str(folder)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    for name in bad:
        assert f"✗ {folder / name}:" in done.stderr
    assert "1 of 7 files loaded" in done.stdout


# -- POST /documents --------------------------------------------------------------------

FIELDS = ("title", "text", "publisher", "author", "url", "published", "source")


@st.composite
def document_bodies(draw: st.DrawFn) -> bytes:
    """A ``POST /documents`` body: well-formed, ill-typed, or not even JSON."""
    value = st.one_of(short, prose)
    doc: dict[str, Any] = {"title": draw(value), "text": draw(body)}
    for name in ("publisher", "author", "url", "source"):
        if draw(st.booleans()):
            doc[name] = draw(st.one_of(st.none(), value))
    if draw(st.booleans()):
        bad = st.sampled_from(["2020-02-30", "yesterday", ""])
        doc["published"] = draw(st.one_of(st.dates().map(str), st.dates().map(str), bad))
    kind = draw(st.sampled_from(["good"] * 6 + ["surrogate", "typed", "fields", "broken", "deep"]))
    if kind == "surrogate":  # JSON's escapes can carry a lone surrogate into any string
        name = draw(st.sampled_from(sorted(k for k in doc if isinstance(doc[k], str))))
        doc[name] += draw(st.sampled_from(SURROGATES))
    elif kind == "typed":
        name = draw(st.sampled_from(FIELDS))
        doc[name] = draw(st.one_of(st.integers(), st.booleans(), st.lists(st.integers())))
    elif kind == "fields":
        if draw(st.booleans()):
            doc.pop(draw(st.sampled_from(["title", "text"])))
        else:
            doc[draw(st.sampled_from(["id", "extra", ""]))] = "x"
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    if kind == "broken":
        return draw(broken(text))
    if kind == "deep":
        return b'{"title": "t", "text": ' + b"[" * 50_000 + b"}"
    return text.encode("utf-8", "surrogatepass")


@dataclass
class Api:
    client: TestClient
    store: GraphStore


def _api(settings_: Settings) -> Iterator[Api]:
    app = create_app(
        settings_.model_copy(update={"api_key": SecretStr(KEY), "max_body_bytes": BODY_LIMIT})
    )
    with TestClient(app, base_url=LOOPBACK) as client:
        yield Api(client, app.state.store)


def _seeded(store: GraphStore) -> None:
    seed = [DATA / "places.yaml", DATA / "actors.yaml", DATA / "events.yaml", ARTICLES]
    assert all(o.error is None for o in load_paths(store, seed))
    store.close()


@pytest.fixture(scope="module")
def embedded_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """The app in-process on an embedded store seeded like the file tests' one."""
    folder = tmp_path_factory.mktemp("api")
    _seeded(SQLiteStore(folder / STORE_FILE))
    yield from _api(Settings(data_dir=folder, NEO4J_URI=None))


@pytest.fixture(scope="module")
def neo4j_api(neo4j_settings: Settings) -> Iterator[Api]:
    """The app in-process on an emptied Neo4j, seeded the same way."""
    store = open_neo4j(neo4j_settings)
    wipe(store)
    _seeded(store)
    yield from _api(neo4j_settings)


ADDED = (200, 201)
SENT = [  # bodies once answered wrongly, and what they must get
    (b'{"title": "t", "text": "\\ud800 strike"}', (422,)),  # a 500: its 422 echoed the surrogate
    (b'{"title": "\\udfff", "text": "Kataib Hezbollah"}', (422,)),
    (b'{"title": "t", "text": "x", "url": "' + b"\\ud800" * 2001 + b'"}', (422,)),
    (b'{"title": NaN, "text": "Kataib Hezbollah"}', (422,)),  # a 500: NaN in the 422
    (b'{"title": "t", "text": "x", "publisher": "\\udc80"}', (422,)),  # a 500: the write failed
    (b'{"title": "t", "text": "a\\u0000b", "publisher": "\\r\\n"}', ADDED),  # 422 "q: empty"
    (b'{"title": "t", "text": "\xff"}', (400,)),  # 400s that did not say what was wrong
    (b'{"title": "t", "text": ' + b"[" * 50_000 + b"}", (400,)),
]


@fuzz(50)
@given(data=document_bodies())
def test_post_documents_on_the_embedded_store(
    embedded_api: Api, data: bytes, figures: dict[str, object]
) -> None:
    tally(figures, "added" if post_one(embedded_api, data) < 400 else "refused")


@fuzz(25)
@given(data=document_bodies())
def test_post_documents_on_neo4j(neo4j_api: Api, data: bytes, figures: dict[str, object]) -> None:
    tally(figures, "added" if post_one(neo4j_api, data) < 400 else "refused")


@pytest.mark.parametrize("store", ["embedded", "neo4j"])
@pytest.mark.parametrize(("data", "answers"), SENT)
def test_post_documents_regressions(
    request: pytest.FixtureRequest, store: str, data: bytes, answers: tuple[int, ...]
) -> None:
    assert post_one(request.getfixturevalue(f"{store}_api"), data) in answers


def post_one(api: Api, data: bytes) -> int:
    """Send ``data``, check the answer and the store; the status code."""
    before = records(api.store.dump())
    headers = {**AUTH, "Content-Type": "application/json"}
    response = api.client.post("/documents", content=data, headers=headers)
    status: int = response.status_code
    assert status < 500, response.text
    if currently_in_test_context():
        event(f"HTTP {response.status_code}")
    answer = response.json()
    if response.status_code >= 400:
        assert response.status_code in (400, 413, 422), response.text
        assert answer["detail"]
        if response.status_code == 400:  # a body that is not JSON: say why
            assert answer["field"] == "body", answer
        if isinstance(answer["detail"], list):  # request validation: each error's field
            assert all(error["loc"] for error in answer["detail"]), answer
        elif response.status_code == 422:
            assert answer["field"], answer
        assert records(api.store.dump()) == before, "a refused document changed the store"
        return status
    assert response.status_code == 201 or response.status_code == 200
    sent = json.loads(data)
    doc_id = answer["document"]["id"]
    stored = api.store.document(doc_id)
    assert stored is not None and stored.text == normalise_text(sent["text"])
    assert stored.title == sent["title"]
    stored_mentions = {(m.actor, m.text, m.start, m.end) for m in api.store.mentions(doc_id)}
    said = {(m["actor"], m["text"], m["start"], m["end"]) for m in answer["mentions"]}
    # the same text sent before was extracted then, maybe against other actors: writes only add
    assert said == stored_mentions if response.status_code == 201 else said <= stored_mentions
    after = records(api.store.dump())
    for kind in KINDS:
        new = set(after[kind]) - set(before[kind])
        assert len(new) == answer["added"].get(kind, 0), kind
        assert set(before[kind]) <= set(after[kind])
    read = api.client.get(f"/documents/{doc_id}").json()
    assert read["text"] == stored.text
    again = api.client.post("/documents", content=data, headers=headers)
    assert again.status_code == 200, again.text
    if not answer["added"].get("actors"):  # a new outlet (its publisher) may be in the text
        assert records(api.store.dump()) == after, "sending it twice changed the store"
    return status
