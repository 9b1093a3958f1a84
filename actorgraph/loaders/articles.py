"""Articles from files: ``.txt``/``.md`` with optional YAML front matter, and ``.jsonl``.

A text article may open with a front-matter block::

    ---
    title: US denies Taji strike
    publisher: Al Masdar News
    published: 2020-01-04
    ---
    Body text ...

Without one, the first non-empty line is the title. A ``.jsonl`` file holds
one article per line: the same fields plus ``text``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from actorgraph.errors import InputError
from actorgraph.graph.model import Document, normalise_text
from actorgraph.loaders.yamltext import parse_yaml

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
JSONL_SUFFIXES = frozenset({".jsonl"})
FIELDS = ("title", "publisher", "author", "published", "source", "url")
_FENCE = "---"


def read_text(path: Path) -> str:
    """A file's text, refusing what is not UTF-8 or holds nothing."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})", path=path
        ) from None
    if not text.strip():
        raise InputError("empty file", path=path)
    return text


def read_articles(path: Path) -> list[Document]:
    """Read the articles in one ``.txt``, ``.md`` or ``.jsonl`` file.

    Raises
    ------
    InputError
        Naming the file, and the line where there is one.
    """
    text = read_text(path)
    if path.suffix.lower() in JSONL_SUFFIXES:
        return _read_jsonl(path, text)
    meta, body, body_line = _split_front_matter(path, text)
    return [_document(path, meta, body, line=body_line)]


def _split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str, int]:
    lines = text.splitlines(keepends=True)
    if lines[0].rstrip() != _FENCE:
        return {}, text, 1
    closing = next((i for i, line in enumerate(lines) if i and line.rstrip() == _FENCE), None)
    if closing is None:
        raise InputError("front matter opened with '---' is never closed", path=path, line=1)
    meta = parse_yaml(
        "".join(lines[1:closing]), path, first_line=2, what="front matter is not valid YAML"
    )
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise InputError("front matter must be a mapping of field: value", path=path, line=2)
    return meta, "".join(lines[closing + 1 :]), closing + 2


def _read_jsonl(path: Path, text: str) -> list[Document]:
    documents = []
    # JSON Lines ends lines with \n (or \r\n) alone: JSON leaves U+2028 and the like raw
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", path=path, line=number) from None
        except ValueError:  # an integer of more digits than Python converts (4,300)
            raise InputError("not valid JSON: a number too long", path=path, line=number) from None
        except RecursionError:
            raise InputError("not valid JSON: nested too deep", path=path, line=number) from None
        if not isinstance(record, dict):
            raise InputError("each line must be a JSON object", path=path, line=number)
        body = record.pop("text", None)
        if not isinstance(body, str):
            raise InputError("missing the article's text", path=path, line=number, field="text")
        documents.append(_document(path, record, body, line=number))
    if not documents:
        raise InputError("no articles in the file", path=path)
    return documents


def _document(path: Path, meta: dict[str, Any], body: str, *, line: int) -> Document:
    unknown = sorted(set(meta) - set(FIELDS), key=str)  # YAML keys may be numbers, or null
    if unknown:
        raise InputError(
            f"unknown field {unknown[0]!r} (expected one of {', '.join(FIELDS)})",
            path=path,
            line=line,
            field=str(unknown[0]),
        )
    body = normalise_text(body)
    if not body:
        raise InputError("the article has no text", path=path, line=line)
    title = meta.get("title") or body.splitlines()[0].strip()
    try:
        return Document(**{**meta, "title": title, "text": body})
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(p) for p in error["loc"])
        raise InputError(error["msg"], path=path, line=line, field=field) from None
