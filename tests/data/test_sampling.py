"""Sampled tables: the [sampling] tables of source.toml, read through the store (hand-worked values)."""

from __future__ import annotations

import pandas as pd
import pytest

from epianalysis.data.layout import check_source_toml
from epianalysis.data.sampling import Sampling, sampling, sampling_of
from epianalysis.data.store import DataStore, toml_dumps
from epianalysis.errors import DataError

SOURCE = """source = "test"
synthetic = true

[sampling.health_code_log]
fraction = 0.01
note = "1 % of residents"

[sampling.enterprises]
by = "size_class"
fractions = { leading = 0.1, above_scale = 0.1 }
"""


def test_one_fraction_scales_every_count():
    s = sampling({"sampling": {"health_code_log": {"fraction": 0.01}}}, "health_code_log")
    assert s.fraction_of() == 0.01
    assert s.estimate(405_307) == pytest.approx(40_530_700)  # 405,307 code holders in a 1 % sample
    assert s.estimate(None) is None and s.estimate(float("nan")) is None


def test_fractions_by_size_class():
    s = Sampling("enterprises", by="size_class", fractions={"leading": 91 / 905, "above_scale": 4346 / 43465})
    # the scenario's register: 91 of 905 leading and 4,346 of 43,465 other above-scale firms -> 44,370
    assert s.estimate_groups({"leading": 91, "above_scale": 4346}) == pytest.approx(44_370)
    assert s.estimate(91, "leading") == pytest.approx(905)
    # small firms: a sample of unknown fraction -> no estimate for any group holding them
    assert s.fraction_of("small") is None
    assert s.estimate_groups({"leading": 91, "small": 3000}) is None
    assert s.estimate_groups({"leading": 91, "small": 0}) == pytest.approx(905)  # no small firm: no problem


def test_a_table_without_an_entry_holds_complete_counts():
    assert sampling({}, "enterprises") is None
    assert sampling({"sampling": {"health_code_log": {"fraction": 0.01}}}, "enterprises") is None


def test_the_store_reads_the_sampling_of_source_toml(tmp_path):
    (tmp_path / "source.toml").write_text(SOURCE, "utf-8")
    store = DataStore(tmp_path)
    assert store.sampling("health_code_log") == Sampling("health_code_log", fraction=0.01, note="1 % of residents")
    assert store.sampling("enterprises").fractions == {"leading": 0.1, "above_scale": 0.1}
    assert store.sampling("cases") is None
    frame = pd.DataFrame({"size_class": ["leading"]})
    frame.attrs["metadata"] = store.metadata()  # what DataStore.load attaches to every table
    assert sampling_of(frame, "enterprises").by == "size_class"
    assert not check_source_toml(tmp_path) or all(v.severity == "flag" for v in check_source_toml(tmp_path))


@pytest.mark.parametrize(
    ("entry", "where", "rule"),
    [
        ({"fraction": 0}, "sampling.health_code_log.fraction", "in_range(0, 1]"),
        ({"fraction": 1.5}, "sampling.health_code_log.fraction", "in_range(0, 1]"),
        ({"fraction": True}, "sampling.health_code_log.fraction", "in_range(0, 1]"),
        ({}, "sampling.health_code_log", "fraction_or_by"),
        ({"by": "colour_of_car", "fractions": {}}, "sampling.health_code_log.by", "column_of_table"),
        ({"by": "colour", "fractions": {"green": 2}}, "sampling.health_code_log.fractions.green", "in_range(0, 1]"),
    ],
)
def test_bad_sampling_tables_are_refused_naming_the_key(entry, where, rule):
    meta = {"sampling": {"health_code_log": entry}}
    with pytest.raises(DataError) as refused:
        sampling(meta, "health_code_log")
    assert (where, rule) in [(v.column, v.rule) for v in refused.value.violations]


def test_an_unknown_table_is_refused():
    with pytest.raises(DataError) as refused:
        sampling({"sampling": {"people": {"fraction": 0.5}}}, "people")
    assert [(v.column, v.rule) for v in refused.value.violations] == [("sampling.people", "known_table")]


def test_validate_reports_a_bad_sampling_table(tmp_path):
    (tmp_path / "source.toml").write_text("[sampling.enterprises]\nfraction = 2\n", "utf-8")
    rules = [(v.column, v.rule, v.severity) for v in check_source_toml(tmp_path)]
    assert ("sampling.enterprises.fraction", "in_range(0, 1]", "error") in rules


def test_metadata_with_sampling_tables_can_be_written_back(tmp_path):
    (tmp_path / "source.toml").write_text(SOURCE, "utf-8")
    store = DataStore(tmp_path)
    store.write_metadata({"description": "updated"})
    assert store.sampling("health_code_log").fraction == 0.01 and store.metadata()["description"] == "updated"
    assert toml_dumps({"a": 1, "t": {"b": "x"}}) == 'a = 1\n\n[t]\nb = "x"\n'
