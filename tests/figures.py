"""Write the figures of the last test run into RELIABILITY.md.

``python -m tests.figures``: the reliability tests record what they measured
(requests fuzzed, inputs tried, faults injected, clients held, errors) in
``tests/artefacts/figures.json``; this puts them, one row per test, between
the markers in RELIABILITY.md.
"""

from __future__ import annotations

import json

from tests.conftest import FIGURES_FILE, REPO

BEGIN, END = "<!-- figures:begin -->", "<!-- figures:end -->"
SECONDS = ("p50", "p99")  # latencies, shown in milliseconds


def _value(key: str, value: object) -> str:
    if key in SECONDS and isinstance(value, float):
        return f"{key} {value * 1000:,.0f} ms"
    if isinstance(value, float):
        return f"{key} {value:,.1f}"
    if isinstance(value, int):
        return f"{key} {value:,}"
    return f"{key} {value}"


def render(figures: dict[str, dict[str, object]]) -> str:
    """The figures as a Markdown table: the test, then what it measured."""
    lines = ["| test | figures |", "| --- | --- |"]
    for test, measured in sorted(figures.items()):
        shown = ", ".join(_value(k.replace("_", " "), v) for k, v in measured.items())
        lines.append(f"| `{test.removeprefix('tests/')}` | {shown} |")
    return "\n".join(lines)


def main() -> None:
    path = REPO / "RELIABILITY.md"
    text = path.read_text(encoding="utf-8")
    figures = json.loads(FIGURES_FILE.read_text(encoding="utf-8"))
    before, after = text.split(BEGIN)[0], text.split(END)[1]
    path.write_text(f"{before}{BEGIN}\n{render(figures)}\n{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    main()
