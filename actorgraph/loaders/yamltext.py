"""YAML read from a user's file: whatever is wrong with it is an InputError naming the line.

PyYAML lets more than :class:`yaml.YAMLError` escape. A date like
``2020-02-30`` raises a ``ValueError``, as does an integer of more than 4,300
digits; deep nesting a ``RecursionError`` from the pure-Python loader, and
from libyaml's composer, which recurses in C, a crash of the whole process
(past about 25,000 levels). The loaders here turn the values into YAML errors
with their place, and :func:`parse_yaml` refuses deep nesting before either
composer sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from actorgraph.errors import InputError

MAX_DEPTH = 100
"""Collections nested deeper than this are refused. Curated data nests five deep; the
pure-Python composer recurses a few frames a level, well within Python's limit."""

_Construct = Callable[[Any, Any], Any]


def _checked(construct: _Construct) -> _Construct:
    def checked(loader: Any, node: yaml.Node) -> Any:
        try:
            return construct(loader, node)
        except ValueError as exc:
            kind = node.tag.rpartition(":")[2]
            value = str(node.value)
            shown = value if len(value) <= 40 else value[:40] + "..."
            raise ConstructorError(
                None, None, f"invalid {kind} {shown!r}: {str(exc).split(':')[0]}", node.start_mark
            ) from None

    return checked


class SafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader, its invalid values YAML errors."""


class CSafeLoader(yaml.CSafeLoader):
    """libyaml's safe loader (about 5x faster on large files), its invalid values YAML errors."""


for _loader in (SafeLoader, CSafeLoader):
    for _tag, _construct in (
        ("tag:yaml.org,2002:int", SafeConstructor.construct_yaml_int),
        ("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_timestamp),
    ):
        _loader.add_constructor(_tag, _checked(_construct))


def parse_yaml(
    text: str,
    path: Path,
    *,
    loader: type[SafeLoader | CSafeLoader] = SafeLoader,
    first_line: int = 1,
    what: str = "not valid YAML",
) -> Any:
    """The data in ``text``, read from ``path`` at ``first_line``.

    Raises
    ------
    InputError
        ``what``, the reason, and the line where there is one.

    Examples
    --------
    >>> try:
    ...     parse_yaml("day: 2020-02-30", Path("a.yaml"))
    ... except InputError as exc:
    ...     print(exc.line, exc.problem)
    1 not valid YAML: invalid timestamp '2020-02-30': day is out of range for month
    """
    line: int | None
    try:
        _refuse_deep(text, path, first_line)
        return yaml.load(text, Loader=loader)  # noqa: S506 - both loaders are safe loaders
    except yaml.reader.ReaderError as exc:
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        line = text.count("\n", 0, max(text.find(char), 0)) + first_line
        reason = f"{exc.reason}: {char!r}"
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + first_line
        reason = exc.problem or exc.context or "invalid YAML"
    raise InputError(f"{what}: {reason}", path=path, line=line)


def _refuse_deep(text: str, path: Path, first_line: int) -> None:
    # Each level opens with one of these characters: with few of them, no need to look.
    if sum(text.count(c) for c in "[{-:?") <= MAX_DEPTH:
        return
    depth = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):  # events come flat, no recursion
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                line = None if mark is None else mark.line + first_line
                raise InputError(f"nested more than {MAX_DEPTH} levels deep", path=path, line=line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
