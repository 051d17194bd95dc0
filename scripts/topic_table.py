"""Write the table of briefing topics in ``docs/topics.md`` from the registry ``epianalysis.topics.TOPICS``.

The table sits between the two marker lines :data:`BEGIN` and :data:`END`; everything else in the page
is written by hand. ``tests/test_docs.py`` fails when the table and the registry disagree.

Usage (from the repository root)::

    python scripts/topic_table.py           # rewrite the table
    python scripts/topic_table.py --check   # exit 1 if the table is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "topics.md"
BEGIN = "<!-- topics table: generated from epianalysis.topics.TOPICS by scripts/topic_table.py -->"
END = "<!-- end of topics table -->"
HEADER = ("topic", "title", "notebook", "summary section", "applies", "runs")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_table() -> str:
    """The table (header, rule and one row per topic, in registry order), without the markers."""
    from epianalysis.topics import TOPICS

    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for topic in TOPICS:
        cells = (
            f"`{topic.name}`",
            f"{topic.title_en} · {topic.title_zh}",
            f"`notebooks/{topic.notebook}`",
            f"`{topic.section}`",
            topic.applies,
            "last, after every other topic" if topic.last else "with the other topics",
        )
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def current_table(text: str) -> str:
    """The table between the markers of ``text`` (``ValueError`` when a marker is missing)."""
    try:
        start = text.index(BEGIN) + len(BEGIN)
        stop = text.index(END, start)
    except ValueError:
        raise ValueError(f"docs/topics.md must hold the lines {BEGIN!r} and {END!r}") from None
    return text[start:stop].strip("\n")


def updated_page(text: str) -> str:
    """``text`` with the table between the markers replaced by :func:`render_table`."""
    current_table(text)  # checks the markers
    start = text.index(BEGIN) + len(BEGIN)
    stop = text.index(END, start)
    return text[:start] + "\n" + render_table() + "\n" + text[stop:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when the table is out of date")
    args = parser.parse_args(argv)
    text = PAGE.read_text("utf-8")
    if current_table(text) == render_table():
        return 0
    if args.check:
        print("docs/topics.md: the topics table differs from epianalysis.topics.TOPICS", file=sys.stderr)
        return 1
    PAGE.write_text(updated_page(text), encoding="utf-8")
    print(f"rewrote the topics table of {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
