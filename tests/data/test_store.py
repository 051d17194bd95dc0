"""The vintage store (epianalysis.data.store): as_of semantics, revisions, atomic deterministic writes."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from epianalysis.data.store import DataStore, load, toml_dumps
from epianalysis.errors import DataError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
QUZHOU = "330800"


@pytest.fixture
def quzhou(tmp_path) -> Path:
    """Two deliveries: 2020-02-20 (confirmed 21) and 2020-02-21 (19 Feb revised to 14, down by 7)."""
    data = tmp_path / "quzhou"
    shutil.copytree(FIXTURES / "vintages_quzhou", data)
    return data


def value(df: pd.DataFrame, day: str, column: str = "confirmed"):
    row = df[(df["region_code"] == QUZHOU) & (df["date"] == pd.Timestamp(day))]
    assert len(row) == 1
    return row[column].iloc[0]


def test_vintages_tables_and_metadata(quzhou):
    store = DataStore(quzhou)
    assert store.vintages() == [date(2020, 2, 20), date(2020, 2, 21)]
    assert store.tables() == ["cases"]
    assert store.metadata()["date_shift_days"] == 0
    assert store.metadata()["synthetic"] is True


def test_as_of_before_the_revision_gives_the_old_value(quzhou):
    df = load(quzhou, "cases", as_of=date(2020, 2, 20))
    assert value(df, "2020-02-19") == 21
    assert df["date"].max() == pd.Timestamp("2020-02-19")  # the 20th is only delivered on the 21st
    assert "revised" not in df.columns  # no flag applies, no flag column
    assert df.attrs["as_of"] == date(2020, 2, 20)
    assert df.attrs["source"] == "hand-made vintage fixture"


def test_as_of_after_the_revision_gives_the_new_value_flagged(quzhou):
    df = load(quzhou, "cases", as_of="2020-02-21")
    assert value(df, "2020-02-19") == 14
    assert bool(value(df, "2020-02-19", "revised")) is True
    assert value(df, "2020-02-19", "confirmed_before_revision") == 21
    assert bool(value(df, "2020-02-18", "revised")) is False  # kept from the first delivery
    assert value(df, "2020-02-18") == 21
    assert value(df, "2020-02-20") == 14
    # 21 on the 18th, 14 on the 19th: the revision also shows as a fall of the cumulative count.
    assert bool(value(df, "2020-02-19", "cumulative_decrease")) is True
    rules = {(f.file, f.row, f.rule, f.value) for f in df.attrs["flags"]}
    assert ("vintages/2020-02-21/cases.csv", 2, "revised", "21 -> 14") in rules  # line 2 of the file
    assert len(df) == 4


def test_as_of_filters_dates_without_vintages(tmp_path):
    store = DataStore(tmp_path)
    store.write(
        "cases",
        pd.DataFrame(
            {
                "date": ["2020-02-27", "2020-03-01", "2020-03-02"],
                "region_code": ["330000"] * 3,
                "confirmed": [1205, 1205, 1213],
                "discharged": [943, 1050, 1086],
                "deaths": [1, 1, 1],
            }
        ),
    )
    assert store.vintages() == []
    df = store.load("cases", as_of="2020-03-01")
    assert df["date"].dt.strftime("%Y-%m-%d").tolist() == ["2020-02-27", "2020-03-01"]
    assert df["discharged"].tolist() == [943, 1050]
    assert df.attrs["source"] is None


def test_write_is_deterministic_complete_and_leaves_no_temporary_file(tmp_path):
    frame = pd.DataFrame(
        {
            "date": ["2020-03-02", "2020-03-01"],
            "region_code": ["330100", "330100"],
            "confirmed": [169, 169],
            "discharged": [170, 165],
            "deaths": [0, 0],
            "note": ["b", "a"],
        }
    )
    a, b = DataStore(tmp_path / "a"), DataStore(tmp_path / "b")
    path_a = a.write("cases", frame, metadata={"source": "x", "synthetic": False})
    b.write("cases", frame.iloc[::-1], metadata={"source": "x", "synthetic": False})
    text = path_a.read_text("utf-8")
    assert text == (tmp_path / "b" / "cases.csv").read_text("utf-8")
    assert text.splitlines() == [
        "date,region_code,confirmed,confirmed_local,confirmed_imported,discharged,deaths,severe,"
        "critical,clusters_new,note",
        "2020-03-01,330100,169,,,165,0,,,,a",
        "2020-03-02,330100,169,,,170,0,,,,b",
    ]
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["cases.csv", "source.toml"]


def test_write_refuses_bad_data_and_writes_nothing(tmp_path):
    bad = pd.DataFrame(
        {"date": ["2020-03-01"], "region_code": ["339999"], "confirmed": ["abc"], "discharged": [1], "deaths": [0]}
    )
    with pytest.raises(DataError) as err:
        DataStore(tmp_path / "s").write("cases", bad)
    assert {v.rule for v in err.value.violations} == {"known_region_code", "whole_number"}
    assert not (tmp_path / "s").exists()


def test_loading_a_bad_file_raises_with_all_errors(tmp_path):
    shutil.copy(FIXTURES / "cases_bad.csv", tmp_path / "cases.csv")
    with pytest.raises(DataError) as err:
        load(tmp_path, "cases")
    assert [(v.row, v.rule) for v in err.value.violations] == [
        (None, "column_present"),
        (3, "whole_number"),  # lines of the file: the header is line 1
        (4, "known_region_code"),
        (6, "unique_key(date, region_code)"),
    ]


def test_missing_table_and_mixed_layout_are_errors(quzhou):
    with pytest.raises(DataError, match="no table 'flow'"):
        load(quzhou, "flow")
    shutil.copy(quzhou / "vintages" / "2020-02-20" / "cases.csv", quzhou / "cases.csv")
    with pytest.raises(DataError) as err:
        load(quzhou, "cases")
    assert err.value.violations[0].rule == "one_layout"


def test_parquet_tables_round_trip(tmp_path):
    store = DataStore(tmp_path)
    daily = pd.DataFrame(
        {
            "date": ["2020-02-25", "2020-02-24"],
            "enterprise_id": ["E1", "E1"],
            "kwh": [120.5, None],
            "employees_on_site": [40, None],
        }
    )
    path = store.write("enterprise_daily", daily)
    assert path.name == "enterprise_daily.parquet"
    df = store.load("enterprise_daily")
    assert df["date"].dt.strftime("%Y-%m-%d").tolist() == ["2020-02-24", "2020-02-25"]
    assert pd.isna(df["kwh"].iloc[0]) and df["kwh"].iloc[1] == 120.5
    assert str(df["employees_on_site"].dtype) == "Int64"


def test_toml_dumps_round_trips_through_tomllib():
    import tomllib

    meta = {"source": 'JHU "CSSE"', "date_shift_days": -1, "synthetic": False, "citation": "a\\b"}
    assert tomllib.loads(toml_dumps(meta)) == meta


def test_large_parquet_log_is_checked_before_loading(tmp_path):
    log = pd.DataFrame(
        {
            "person_id": [1, 1],
            "region_code": ["330782", "330782"],
            "date": pd.to_datetime(["2020-02-17", "2020-02-18"]),
            "colour": ["red", "yellow"],
            "reason": ["contact", "checkin"],
        }
    )
    DataStore(tmp_path / "ok").write("health_code_log", log)
    df = load(tmp_path / "ok", "health_code_log")
    assert df["colour"].tolist() == ["red", "yellow"]
    assert str(df["person_id"].dtype) == "int64"
    bad = log.assign(colour=["red", "purple"])
    (tmp_path / "bad").mkdir()
    bad.to_parquet(tmp_path / "bad" / "health_code_log.parquet", index=False)
    with pytest.raises(DataError) as err:
        load(tmp_path / "bad", "health_code_log")
    assert [(v.row, v.column, v.value) for v in err.value.violations] == [(2, "colour", "purple")]


def test_as_of_keeps_a_table_without_dates_whole(tmp_path):
    (tmp_path / "enterprises.csv").write_text(
        "enterprise_id,region_code,sector,size_class,employees\nE1,330782,manufacturing,above_scale,120\n",
        encoding="utf-8",
    )
    frame = load(tmp_path, "enterprises", as_of="2020-03-01")
    assert frame["enterprise_id"].tolist() == ["E1"]


# --- large logs as checked Parquet files (DataStore.log) ----------------------------------------------


def write_log(folder: Path, colours: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(
        {
            "person_id": pd.array(range(1, len(colours) + 1), dtype="int64"),
            "region_code": ["330782"] * len(colours),
            "date": [date(2020, 2, 17)] * len(colours),
            "colour": colours,
            "reason": ["checkin"] * len(colours),
        }
    )
    path = folder / "health_code_log.parquet"
    frame.to_parquet(path, index=False)
    return path


def test_log_with_a_bad_colour_is_refused_with_file_row_column_and_rule(tmp_path):
    write_log(tmp_path / "vintages" / "2020-02-25", ["green", "purple", "red"])
    with pytest.raises(DataError) as refused:
        DataStore(tmp_path).log("health_code_log", "2020-02-25")
    assert [(v.file, v.row, v.column, v.rule, v.value) for v in refused.value.violations] == [
        ("vintages/2020-02-25/health_code_log.parquet", 2, "colour", "isin(['green', 'yellow', 'red'])", "purple")
    ]


def test_log_delivered_after_as_of_is_not_used(tmp_path):
    first = write_log(tmp_path / "vintages" / "2020-02-20", ["green", "yellow"])
    write_log(tmp_path / "vintages" / "2020-02-25", ["green", "purple"])
    store = DataStore(tmp_path)
    assert store.log("health_code_log", "2020-02-24") == first  # the bad 02-25 delivery is not known yet
    assert store.log("health_code_log", date(2020, 2, 20)) == first
    with pytest.raises(DataError) as none_yet:
        store.log("health_code_log", "2020-02-19")
    assert [v.rule for v in none_yet.value.violations] == ["table_present"]
    with pytest.raises(DataError):
        store.log("health_code_log")  # no as_of: the latest delivery, which is bad


def test_log_in_a_folder_named_with_a_quote_a_semicolon_and_sql(tmp_path):
    data = tmp_path / "data'; DROP TABLE health_code_log; --"
    path = write_log(data, ["green", "red"])
    assert DataStore(data).log("health_code_log", "2020-02-17") == path
    write_log(data, ["green", "blue"])
    with pytest.raises(DataError) as refused:
        DataStore(data).log("health_code_log", "2020-02-17")
    assert [(v.file, v.row, v.value) for v in refused.value.violations] == [("health_code_log.parquet", 2, "blue")]


def test_log_is_for_large_tables_only(tmp_path):
    with pytest.raises(ValueError):
        DataStore(tmp_path).log("cases")
