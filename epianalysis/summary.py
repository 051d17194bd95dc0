"""The declared output: ``summary.json`` and its JSON Schema.

A report's ``summary.json`` holds a few top-level keys (``date``, ``data_as_of``, ``languages``, ``source``,
``synthetic``, ``not_applicable``; declared in ``epianalysis/summary.schema.json``) and one
section per briefing topic, named like the topic and declared in
``epianalysis/topics/<topic>/summary.schema.json`` (see ``docs/output.md#summaryjson``). The
assembled schema (:func:`summary_schema`) is written beside every report as ``summary.schema.json``
so that anyone can validate our output with any JSON Schema tool. Every topic writes its section
through :func:`write_section`, which refuses a section that breaks its schema; the runner checks
the whole summary before it publishes a report.
"""

from __future__ import annotations

import copy
import fcntl
import json
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from epianalysis.errors import DataError, Violation
from epianalysis.fileio import atomic_write_text
from epianalysis.topics import TOPICS, get_topic

# jsonschema imports rfc3987_syntax, where installed, to check the "iri" format; that module builds a
# grammar for seconds at import, in every kernel. Our schemas use no such format: jsonschema is told
# the module is absent (unless something imported it already), and checks everything else as before.
sys.modules.setdefault("rfc3987_syntax", None)
from jsonschema import Draft202012Validator  # noqa: E402

if TYPE_CHECKING:  # pragma: no cover
    from epianalysis.briefing.params import BriefingParams

SUMMARY_FILE = "summary.json"
SCHEMA_FILE = "summary.schema.json"
BASE_SCHEMA = Path(__file__).resolve().parent / SCHEMA_FILE
_EMBEDDED_DROP = ("$schema", "$id", "examples")


def source_name(metadata: Mapping[str, Any], data_dir: Path, lang: str = "en") -> str:
    """The data source's name: ``source`` of its ``source.toml`` (``metadata``), in Chinese ``source_zh``
    when the file gives one, else the folder's name."""
    if lang == "zh" and metadata.get("source_zh"):
        return str(metadata["source_zh"])
    return str(metadata.get("source", Path(data_dir).name))


def base(params: BriefingParams, metadata: Mapping[str, Any]) -> dict[str, Any]:
    """The top-level keys of a briefing's ``summary.json``: its dates, the languages it is presented in
    (the numbers are the same in every language), and the data's ``source`` and ``synthetic`` flag
    from their ``source.toml`` (``metadata``)."""
    return {
        "date": params.date.isoformat(),
        "data_as_of": params.as_of.isoformat(),
        "languages": list(params.languages),
        "source": source_name(metadata, params.data_dir),
        "source_zh": source_name(metadata, params.data_dir, "zh"),
        "synthetic": bool(metadata.get("synthetic", False)),
    }


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"))


@cache
def section_schema(topic: str) -> dict[str, Any]:
    """The schema of one topic's section (``topics/<topic>/summary.schema.json``)."""
    return _read(get_topic(topic).folder / SCHEMA_FILE)


@cache
def _summary_schema() -> dict[str, Any]:
    schema = _read(BASE_SCHEMA)
    for topic in TOPICS:
        fragment = {k: v for k, v in section_schema(topic.name).items() if k not in _EMBEDDED_DROP}
        schema["properties"][topic.section] = fragment
    Draft202012Validator.check_schema(schema)
    return schema


def summary_schema() -> dict[str, Any]:
    """The whole schema of ``summary.json``: the top level and every topic's section (a copy)."""
    return copy.deepcopy(_summary_schema())


def example() -> dict[str, Any]:
    """A complete, valid ``summary.json`` made of the examples the schema files carry (for tests and docs)."""
    summary = copy.deepcopy(_read(BASE_SCHEMA)["examples"][0])
    for topic in TOPICS:
        summary[topic.section] = copy.deepcopy(section_schema(topic.name)["examples"][0])
    return summary


def _violations(schema: Mapping[str, Any], instance: Any, where: str) -> list[Violation]:
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    found = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
        path = ".".join(str(step) for step in error.absolute_path)
        column = ".".join(part for part in (where, path) if part) or None
        value = "" if error.validator == "required" else json.dumps(error.instance, ensure_ascii=False)[:80]
        found.append(Violation(SUMMARY_FILE, None, column, f"{error.validator}: {error.message}"[:200], value))
    return found


def check_section(topic: str, values: Mapping[str, Any]) -> None:
    """Raise :class:`~epianalysis.errors.DataError` when ``values`` is not a valid section ``topic``."""
    problems = _violations(section_schema(topic), _plain(values), topic)
    if problems:
        raise DataError(f"summary.json: the {topic!r} section breaks its schema", problems)


def check_summary(summary: Mapping[str, Any]) -> None:
    """Raise :class:`~epianalysis.errors.DataError` when ``summary`` is not a valid ``summary.json``."""
    problems = _violations(_summary_schema(), _plain(summary), "")
    if problems:
        raise DataError("summary.json breaks its schema", problems)


def _plain(values: Any) -> Any:
    """Values as JSON gives them back (tuples become lists), so that what is checked is what is written."""
    return json.loads(json.dumps(values, ensure_ascii=False))


def read_summary(out_dir: Path | None) -> dict[str, Any]:
    """``out_dir/summary.json`` as written so far (empty without one)."""
    if out_dir is None:
        return {}
    path = Path(out_dir) / SUMMARY_FILE
    return json.loads(path.read_text("utf-8")) if path.is_file() else {}


def write_section(
    out_dir: Path | None, base: Mapping[str, Any], section: str | None, values: Mapping[str, Any]
) -> dict[str, Any]:
    """Merge ``base`` (the top-level keys) and ``values`` under ``section`` into ``out_dir/summary.json``.

    ``section`` is a topic's name (``values`` is then checked against its schema first) or ``None``
    for top-level keys. Topic notebooks of one briefing may run at the same time: the file is
    locked while it is read, merged and rewritten (atomically). Returns the merged summary; with
    ``out_dir`` empty nothing is written and ``base`` plus the section is returned.
    """
    if section is not None:
        check_section(section, values)
    update = dict(values) if section is None else {section: _plain(values)}
    if out_dir is None:
        return {**base, **update}
    path = Path(out_dir) / SUMMARY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f".{SUMMARY_FILE}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        summary = read_summary(out_dir)
        summary.update(base)
        summary.update(update)
        atomic_write_text(path, json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return summary


def finish(report_dir: Path) -> dict[str, Any]:
    """Check a report's whole ``summary.json`` and write ``summary.schema.json`` beside it.

    Raises
    ------
    DataError
        No summary, or one that breaks the schema (the report must not be published).
    """
    path = Path(report_dir) / SUMMARY_FILE
    if not path.is_file():
        raise DataError("the briefing wrote no summary.json", [Violation(SUMMARY_FILE, None, None, "file_present")])
    summary = json.loads(path.read_text("utf-8"))
    check_summary(summary)
    atomic_write_text(Path(report_dir) / SCHEMA_FILE, json.dumps(summary_schema(), ensure_ascii=False, indent=2) + "\n")
    (Path(report_dir) / f".{SUMMARY_FILE}.lock").unlink(missing_ok=True)
    return summary


def schema_at(path: str) -> dict[str, Any] | None:
    """The schema of the value at dotted ``path`` of ``summary.json`` (``None`` when no value can be there).

    ``path`` is written as the narrative templates write it: ``"recovery.confirmed"``,
    ``"control_index.best.0.name_{lang}"`` (list items by index; ``{lang}`` stands for ``en`` and ``zh``,
    and both must exist).
    """
    if "{lang}" in path:
        found = [schema_at(path.replace("{lang}", lang)) for lang in ("en", "zh")]
        return found[0] if all(found) else None
    node: dict[str, Any] | None = _summary_schema()
    for step in path.split("."):
        if node is None:
            return None
        if step.isdigit():
            node = node.get("items")
        else:
            properties = node.get("properties", {})
            extra = node.get("additionalProperties")
            node = properties.get(step, extra if isinstance(extra, dict) else None)
    return node
