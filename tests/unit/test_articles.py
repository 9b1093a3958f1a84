from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from actorgraph.errors import InputError
from actorgraph.loaders.articles import read_articles
from tests.conftest import ARTICLES, TLB_2020, ZH_2024


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_the_founding_articles_read_with_their_front_matter() -> None:
    docs = {d.id: d for p in sorted(ARTICLES.glob("*.md")) for d in read_articles(p)}
    assert set(docs) == {TLB_2020, ZH_2024}
    tlb = docs[TLB_2020]
    assert tlb.publisher == "The Liberty Beacon"
    assert tlb.author == "Pam Barker"
    assert tlb.published == dt.date(2020, 1, 4)
    assert tlb.text.startswith("Round Two? US Drone Airstrikes")
    assert "seed 000_f4043a610c7428e4.txt" in (tlb.source or "")


def test_without_front_matter_the_first_line_is_the_title(tmp_path: Path) -> None:
    (doc,) = read_articles(write(tmp_path / "a.txt", "\n\nUS denies strike\n\nThe US denied it.\n"))
    assert doc.title == "US denies strike"
    assert doc.text == "US denies strike\n\nThe US denied it."
    assert doc.published is None


def test_the_same_text_is_the_same_document_whatever_the_file(tmp_path: Path) -> None:
    (a,) = read_articles(write(tmp_path / "a.txt", "Title\n\nBody."))
    (b,) = read_articles(write(tmp_path / "b.md", "---\ntitle: Other\n---\nTitle\r\n\r\nBody.\n"))
    assert a.id == b.id


def test_jsonl_holds_one_article_a_line(tmp_path: Path) -> None:
    lines = [
        {"title": "One", "text": "First body.", "published": "2020-01-04", "publisher": "Reuters"},
        {"text": "Second title\nSecond body."},
    ]
    path = write(tmp_path / "batch.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n\n")
    docs = read_articles(path)
    assert [d.title for d in docs] == ["One", "Second title"]
    assert docs[0].published == dt.date(2020, 1, 4)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bad.md",
            "---\ntitle: [unclosed\n---\nBody",
            r"bad\.md:\d+: front matter is not valid YAML",
        ),
        (
            "open.md",
            "---\ntitle: x\nBody without a closing fence",
            r"open\.md:1: front matter .* never closed",
        ),
        ("list.md", "---\n- a\n- b\n---\nBody", r"list\.md:2: front matter must be a mapping"),
        ("field.md", "---\ntitel: x\n---\nBody", r"field\.md:4 \[titel\]: unknown field 'titel'"),
        ("date.md", "---\npublished: yesterday\n---\nBody", r"date\.md:4 \[published\]: .*date"),
        ("nobody.md", "---\ntitle: x\n---\n\n  \n", r"nobody\.md:4: the article has no text"),
        ("empty.txt", "  \n\n", r"empty\.txt: empty file"),
        (
            "latin1.txt",
            "Caf\xe9 strike".encode("latin-1"),
            r"latin1\.txt: not UTF-8 text \(byte 0xe9 at offset 3\)",
        ),
        ("rows.jsonl", '{"text": "ok"}\n{"text": \n', r"rows\.jsonl:2: not valid JSON"),
        (
            "notext.jsonl",
            '{"title": "t"}\n',
            r"notext\.jsonl:1 \[text\]: missing the article's text",
        ),
    ],
)
def test_bad_files_name_the_file_the_line_and_the_problem(
    tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        read_articles(write(tmp_path / name, content))


def test_a_yaml_error_points_at_the_line_in_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.md", "---\ntitle: ok\nauthor: [unclosed\n---\nBody")
    with pytest.raises(InputError) as caught:
        read_articles(path)
    assert caught.value.line in (3, 4)  # the open bracket's line, or where YAML gave up
