"""The house: every topic has one room and one name, no module imports itself in a circle, and no
module grows into two (docs/adding.md#a-new-topic)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from epianalysis.paths import PACKAGE_DIR
from epianalysis.topics import TOPICS

ROOT = PACKAGE_DIR.parent
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE_DIR.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports (anywhere in its body, ``TYPE_CHECKING`` blocks aside).

    ``from a.b import c`` is an edge to ``a.b.c`` when that is a module, else to ``a.b``.
    """
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text("utf-8"))
        skip = _type_checking_lines(tree)
        for node in ast.walk(tree):
            if getattr(node, "lineno", None) in skip:
                continue
            if isinstance(node, ast.Import):
                graph[name] |= {alias.name for alias in node.names if alias.name in modules}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    if target in modules:
                        graph[name].add(target)
                    elif node.module in modules:
                        graph[name].add(node.module)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_the_package():
    assert cycles(import_graph()) == []


@pytest.mark.parametrize("path", sorted(PACKAGE_DIR.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_no_module_holds_two_things(path):
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= MAX_LINES, f"{lines} lines: split it by what it does"


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.name)
def test_a_topic_is_one_folder_one_notebook_one_section(topic):
    assert (topic.folder / "__init__.py").is_file()
    assert (topic.folder / "labels.toml").is_file()
    assert (topic.folder / "summary.schema.json").is_file()
    assert (ROOT / "notebooks" / topic.notebook).is_file()
    assert topic.section == topic.name


def test_shared_layers_do_not_import_topics():
    # the data layer, reference data, the text layer, the engines and the chart primitives serve the
    # topics; none of them reaches into a topic (the engines call a topic's formula, written once)
    graph = import_graph()
    shared = ("epianalysis.data", "epianalysis.reference", "epianalysis.text.labels", "epianalysis.charts")
    for module, imports in graph.items():
        if module.startswith(shared):
            assert not [m for m in imports if m.startswith("epianalysis.topics.")], module
