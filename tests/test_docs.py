"""The documentation in ``docs/`` holds what the code cites (docs/README.md#epianalysis-documentation).

- every ``docs/<file>.md#<anchor>`` reference in the package, tests, scripts, benchmarks, notebooks and
  README.md names an existing page and heading (anchors as GitHub makes them: lower case, spaces to
  ``-``, punctuation dropped), and so does every relative link between the pages;
- nothing cites the design document that used to live outside the repository;
- the topic table of ``docs/topics.md`` is the one generated from ``epianalysis.topics.TOPICS``;
- the contract tables and the shipped rule sets each have their section.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path

import pytest

from epianalysis.data.contracts import CONTRACTS
from epianalysis.rulesets import available_rulesets
from epianalysis.topics import TOPICS, topic_names

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CITING = ("epianalysis", "tests", "scripts", "benchmarks", "notebooks")
CITING_SUFFIXES = {".py", ".toml", ".json", ".md", ".ipynb", ".txt"}
SKIPPED_DIRS = {"data", "reports", "__pycache__", "node_modules"}

REFERENCE = re.compile(r"docs/((?:[\w-]+/)*[\w-]+\.md)(?:#([\w-]+))?")
LINK = re.compile(r"\]\(([\w./-]*\.md)?(?:#([\w-]+))?\)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
# Citations of the external design document: the word design followed by a section sign, its file
# name, the phrase "design notes" before a section number, or the Chinese word for a design document
# with a section sign. The pattern is written so that this file itself does not match.
FORMER_NOTES = re.compile(r"design\W{0,3}§|design\.md|design notes,? section|设计文档\s*§", re.IGNORECASE)


def slug(heading: str) -> str:
    """The GitHub anchor of a heading: lower case, punctuation dropped, spaces to ``-``."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@cache
def anchors(page: Path) -> frozenset[str]:
    """Every heading anchor of a Markdown page (headings inside code fences are not headings;
    a repeated anchor gets ``-1``, ``-2``... as on GitHub)."""
    found: list[str] = []
    fenced = False
    for line in page.read_text("utf-8").splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else HEADING.match(line)
        if match:
            base = slug(match.group(2))
            n = sum(1 for a in found if a == base or re.fullmatch(re.escape(base) + r"-\d+", a))
            found.append(base if n == 0 else f"{base}-{n}")
    return frozenset(found)


def _walk(folder: Path):
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name in SKIPPED_DIRS or path.name.endswith(".egg-info"):
            continue
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            yield path


def _text(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except (UnicodeDecodeError, OSError):
        return None


def citing_files() -> list[Path]:
    files = [ROOT / "README.md"]
    for name in CITING:
        if (ROOT / name).is_dir():
            files += [p for p in _walk(ROOT / name) if p.suffix in CITING_SUFFIXES]
    return files


def references() -> list[tuple[str, str, str | None]]:
    """``(where, page, anchor)`` of every ``docs/...md`` reference outside ``docs/``."""
    found = []
    for path in citing_files():
        text = _text(path)
        if text is None:
            continue
        for n, line in enumerate(text.splitlines(), start=1):
            for match in REFERENCE.finditer(line):
                found.append((f"{path.relative_to(ROOT)}:{n}", match.group(1), match.group(2)))
    return found


def _check(page: Path, anchor: str | None) -> str | None:
    """What is wrong with a reference to ``page#anchor`` (``None`` when it is fine)."""
    if not page.is_file():
        return f"no page {page.relative_to(ROOT)}"
    if anchor is not None and anchor not in anchors(page):
        return f"no heading #{anchor} in {page.relative_to(ROOT)}"
    return None


def test_docs_exist_and_have_headings():
    pages = sorted(DOCS.glob("*.md"))
    assert DOCS / "README.md" in pages
    for page in pages:
        assert anchors(page), f"{page.name} has no heading"


def test_the_package_cites_the_docs():
    assert len(references()) >= 40, "the code should cite the docs where it implements what they describe"


def test_every_docs_reference_names_an_existing_page_and_heading():
    problems = [
        f"{where}: docs/{page}#{anchor}: {why}"
        for where, page, anchor in references()
        if (why := _check(DOCS / page, anchor))
    ]
    assert not problems, "\n".join(problems)


def test_links_between_the_pages_resolve():
    problems = []
    for page in sorted(DOCS.glob("*.md")):
        for n, line in enumerate(page.read_text("utf-8").splitlines(), start=1):
            for match in LINK.finditer(line):
                target = DOCS / match.group(1) if match.group(1) else page
                why = _check(target, match.group(2))
                if why:
                    problems.append(f"docs/{page.name}:{n}: {match.group(0)}: {why}")
    assert not problems, "\n".join(problems)


def test_every_page_is_listed_in_the_index():
    index = (DOCS / "README.md").read_text("utf-8")
    missing = [p.name for p in sorted(DOCS.glob("*.md")) if p.name != "README.md" and f"({p.name})" not in index]
    assert not missing, f"docs/README.md does not link {missing}"


def test_no_citation_of_the_external_design_document_is_left():
    found = []
    for path in _walk(ROOT):
        text = _text(path)
        if text is None:
            continue
        for n, line in enumerate(text.splitlines(), start=1):
            if FORMER_NOTES.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:120]}")
    assert not found, "cite docs/<page>.md#<heading> instead:\n" + "\n".join(found)


def _topic_table_script():
    spec = importlib.util.spec_from_file_location("topic_table", ROOT / "scripts" / "topic_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_topic_table_lists_the_registry():
    script = _topic_table_script()
    table = script.current_table((DOCS / "topics.md").read_text("utf-8"))
    rows = [line for line in table.splitlines()[2:] if line.startswith("|")]
    names = [row.split("|")[1].strip().strip("`") for row in rows]
    assert names == topic_names(), "docs/topics.md lists other topics than epianalysis.topics.TOPICS"
    for topic, row in zip(TOPICS, rows, strict=True):
        assert f"`notebooks/{topic.notebook}`" in row and f"`{topic.section}`" in row and topic.applies in row
    assert table == script.render_table(), "docs/topics.md is out of date: run python scripts/topic_table.py"


def test_every_topic_has_its_section():
    assert {topic.name for topic in TOPICS} <= anchors(DOCS / "topics.md")


def _section(page: Path, heading: str) -> str:
    text = page.read_text("utf-8")
    match = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#+ |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"no section {heading!r} in {page.name}"
    return match.group(1)


@pytest.mark.parametrize("table", sorted(CONTRACTS))
def test_every_contract_column_is_documented(table):
    section = _section(DOCS / "data.md", table)
    missing = [name for name in CONTRACTS[table].names if f"`{name}`" not in section]
    assert not missing, f"docs/data.md#{table} does not describe {missing}"


def test_every_shipped_rule_set_has_its_section():
    assert set(available_rulesets()) <= anchors(DOCS / "rulesets.md")
