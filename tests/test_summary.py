"""The declared output: summary.json has a JSON Schema (the top level and one section per topic), every
section is written through it, and the narrative's paths are checked against it."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from epianalysis import summary
from epianalysis.errors import DataError
from epianalysis.text import fields
from epianalysis.text.templates import TEMPLATES_FILE, load_templates
from epianalysis.topics import TOPICS


def test_the_schema_is_valid_json_schema_with_one_section_per_topic():
    schema = summary.summary_schema()
    Draft202012Validator.check_schema(schema)
    assert {t.section for t in TOPICS} <= set(schema["properties"])
    assert schema["additionalProperties"] is False  # a section no topic declares is refused


def test_the_examples_are_valid_summaries():
    summary.check_summary(summary.example())


@pytest.mark.parametrize(
    ("path", "value", "rule"),
    [
        ("recovery.confirmed", -1, "minimum"),  # a count is never negative
        ("recovery.discharge_rate", "87.1%", "type"),  # a rate is a number, not a text
        ("date", "2 March 2020", "format"),  # dates are ISO dates
        ("zoning.unexpected", 1, "additionalProperties"),  # no undeclared keys
    ],
)
def test_a_value_that_breaks_the_schema_is_named(path, value, rule):
    s = summary.example()
    *parents, last = path.split(".")
    node = s
    for step in parents:
        node = node[step]
    node[last] = value
    with pytest.raises(DataError) as raised:
        summary.check_summary(s)
    problem = raised.value.violations[0]
    column = path if rule != "additionalProperties" else path.rsplit(".", 1)[0]
    assert problem.column == column and problem.rule.startswith(rule)


def test_a_missing_required_key_is_named():
    s = summary.example()
    del s["recovery"]["confirmed"]
    with pytest.raises(DataError, match="confirmed"):
        summary.check_summary(s)


def test_write_section_refuses_a_bad_section_and_writes_nothing(tmp_path):
    base = {k: summary.example()[k] for k in ("date", "data_as_of", "languages", "source", "synthetic")}
    with pytest.raises(DataError, match="recovery"):
        summary.write_section(tmp_path, base, "recovery", {"confirmed": 1205})
    assert not (tmp_path / "summary.json").exists()
    summary.write_section(tmp_path, base, "recovery", summary.example()["recovery"])
    written = json.loads((tmp_path / "summary.json").read_text("utf-8"))
    assert written["recovery"]["confirmed"] == summary.example()["recovery"]["confirmed"]
    assert written["date"] == base["date"]


def test_finish_writes_the_schema_beside_the_report(tmp_path):
    (tmp_path / "summary.json").write_text(json.dumps(summary.example()), encoding="utf-8")
    summary.finish(tmp_path)
    written = json.loads((tmp_path / "summary.schema.json").read_text("utf-8"))
    assert written == summary.summary_schema()
    # anyone can check our output with any JSON Schema tool: here the plain jsonschema validator
    Draft202012Validator(written).validate(summary.example())
    (tmp_path / "summary.json").write_text(json.dumps({"date": "2020-03-02"}), encoding="utf-8")
    with pytest.raises(DataError, match="schema"):
        summary.finish(tmp_path)


def test_schema_at_walks_sections_lists_and_languages():
    assert summary.schema_at("recovery.confirmed")["type"] == ["integer", "null"]
    assert summary.schema_at("control_index.best.0.name_{lang}") is not None
    assert summary.schema_at("zoning.counts.green") is not None  # a map of level -> count
    assert summary.schema_at("recovery.nothing") is None
    assert summary.schema_at("confirmed") is None  # the headline numbers are the recovery section


def test_every_path_the_narrative_reads_is_declared():
    raw = tomllib.loads(TEMPLATES_FILE.read_text("utf-8"))
    for name, spec in raw["fields"].items():
        assert summary.schema_at(spec["path"]) is not None, name
    source = Path(fields.__file__).read_text("utf-8")
    for path in re.findall(r'lookup\(summary, "([^"]+)"\)', source):
        assert summary.schema_at(path) is not None, path


def test_templates_reading_an_undeclared_path_do_not_load(tmp_path):
    text = TEMPLATES_FILE.read_text("utf-8").replace('path = "recovery.confirmed"', 'path = "confirmed"')
    custom = tmp_path / "narrative.toml"
    custom.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as raised:
        load_templates(custom)
    assert [v.rule for v in raised.value.violations] == ["not_in_summary_schema"]
    assert raised.value.violations[0].value == "confirmed"
