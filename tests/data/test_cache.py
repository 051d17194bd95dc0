"""Validated tables kept on disk (epianalysis.data.cache): a hit equals a fresh load, and any change of
what a load reads gives another key."""

from __future__ import annotations

import os
import shutil
import threading
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from support import damage_kept

from epianalysis.data import cache, store
from epianalysis.data.store import DataStore
from epianalysis.errors import DataError
from epianalysis.paths import cache_dir

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
QUZHOU = "330800"
FEB21 = date(2020, 2, 21)


@pytest.fixture
def quzhou(tmp_path, monkeypatch) -> Path:
    """The two deliveries of 衢州 (confirmed 21 on the 19th, revised to 14 on the 21st), with an empty
    cache folder of this test."""
    monkeypatch.setenv("EPIANALYSIS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    data = tmp_path / "quzhou"
    shutil.copytree(FIXTURES / "vintages_quzhou", data)
    return data


def confirmed(df: pd.DataFrame, day: str) -> int:
    row = df[(df["region_code"] == QUZHOU) & (df["date"] == pd.Timestamp(day))]
    assert len(row) == 1
    return int(row["confirmed"].iloc[0])


def kept_files() -> list[Path]:
    folder = cache_dir() / cache.TABLES_DIR
    return sorted(folder.iterdir()) if folder.is_dir() else []


def fresh(data: Path, table: str, as_of) -> pd.DataFrame:
    """The load without the cache (the method the cache wraps)."""
    return DataStore.load.__wrapped__(DataStore(data), table, as_of)


def no_validation(monkeypatch) -> None:
    """Make every load from the files fail: what still loads came from the cache."""

    def refuse(*args, **kwargs):
        raise AssertionError("the table was read and validated again")

    monkeypatch.setattr(store, "check_frame", refuse)


def test_a_hit_returns_the_same_frame_and_attrs_without_reading_the_files(quzhou, monkeypatch):
    first = DataStore(quzhou).load("cases", as_of="2020-02-21")
    files = kept_files()
    assert [p.suffix for p in files] == [".attrs", ".parquet"]
    assert all(p.parent == cache_dir() / "tables" for p in files)
    no_validation(monkeypatch)
    hit = DataStore(quzhou).load("cases", as_of=FEB21)
    assert hit is not first
    pd.testing.assert_frame_equal(hit, first, check_dtype=True, check_exact=True, check_column_type=True)
    assert list(hit.columns) == list(first.columns)
    assert hit.attrs == first.attrs
    # What the fixture holds, by hand: 21 on the 18th, revised from 21 to 14 on the 19th, 14 on the 20th.
    assert (confirmed(hit, "2020-02-18"), confirmed(hit, "2020-02-19"), confirmed(hit, "2020-02-20")) == (21, 14, 14)
    assert hit["revised"].dtype == bool and hit["revised"].tolist() == [False, False, True, False]
    assert str(hit["confirmed"].dtype) == "Int64" and str(hit["confirmed_before_revision"].dtype) == "Int64"
    assert str(hit["date"].dtype).startswith("datetime64")
    assert hit.attrs["as_of"] == FEB21 and hit.attrs["source"] == "hand-made vintage fixture"
    revised = [f for f in hit.attrs["flags"] if f.rule == "revised"]
    assert [(f.file, f.row, f.column, f.value) for f in revised] == [
        ("vintages/2020-02-21/cases.csv", 2, "confirmed", "21 -> 14")
    ]


def test_a_same_size_edit_keeping_the_modification_time_changes_the_key(quzhou):
    data = DataStore(quzhou)
    assert confirmed(data.load("cases", FEB21), "2020-02-19") == 14
    key = cache.table_key(data, "cases", FEB21)
    delivery = quzhou / "vintages" / "2020-02-21" / "cases.csv"
    before = delivery.stat()
    text = delivery.read_text("utf-8")
    assert "2020-02-19,330800,14," in text
    delivery.write_text(text.replace("2020-02-19,330800,14,", "2020-02-19,330800,15,"), "utf-8")
    os.utime(delivery, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = delivery.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert cache.table_key(data, "cases", FEB21) != key
    assert confirmed(data.load("cases", FEB21), "2020-02-19") == 15


def test_a_new_vintage_changes_the_key_of_the_dates_it_is_known_on(quzhou):
    data = DataStore(quzhou)
    assert data.load("cases")["date"].max() == pd.Timestamp("2020-02-20")
    key_all, key_21 = cache.table_key(data, "cases", None), cache.table_key(data, "cases", FEB21)
    later = quzhou / "vintages" / "2020-02-22"
    later.mkdir()
    (later / "cases.csv").write_text("date,region_code,confirmed,discharged,deaths\n2020-02-21,330800,16,11,0\n")
    assert cache.table_key(data, "cases", None) != key_all
    assert cache.table_key(data, "cases", FEB21) == key_21  # not delivered yet on the 21st: not read
    assert confirmed(data.load("cases"), "2020-02-21") == 16
    assert data.load("cases", FEB21)["date"].max() == pd.Timestamp("2020-02-20")


def test_source_toml_and_the_code_are_part_of_the_key(quzhou, monkeypatch):
    data = DataStore(quzhou)
    key = cache.table_key(data, "cases", FEB21)
    source = quzhou / "source.toml"
    source.write_text(source.read_text("utf-8").replace("hand-made", "hand-kept"), "utf-8")
    assert cache.table_key(data, "cases", FEB21) != key
    assert data.load("cases", FEB21).attrs["source"] == "hand-kept vintage fixture"
    changed = cache.table_key(data, "cases", FEB21)
    monkeypatch.setattr(cache, "code_digest", lambda: "other code")
    assert cache.table_key(data, "cases", FEB21) != changed


def test_each_as_of_date_has_its_own_entry(quzhou):
    data = DataStore(quzhou)
    assert confirmed(data.load("cases", "2020-02-20"), "2020-02-19") == 21
    assert confirmed(data.load("cases", FEB21), "2020-02-19") == 14
    assert len(kept_files()) == 4  # two entries of two files
    assert confirmed(data.load("cases", "2020-02-20"), "2020-02-19") == 21  # hits, each its own
    assert confirmed(data.load("cases", FEB21), "2020-02-19") == 14


def test_a_failing_load_is_not_kept_and_fails_every_time_the_same_way(tmp_path, monkeypatch):
    monkeypatch.setenv("EPIANALYSIS_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "cases_bad.csv", data / "cases.csv")
    raised = []
    for _ in range(2):
        with pytest.raises(DataError) as err:
            DataStore(data).load("cases")
        raised.append((err.value.message, [(v.row, v.rule) for v in err.value.violations]))
    assert raised[0] == raised[1]
    assert (3, "whole_number") in raised[0][1]
    assert kept_files() == []
    with pytest.raises(DataError, match="no table 'flow'"):
        DataStore(data).load("flow")
    assert kept_files() == []


@pytest.mark.parametrize("damage", ["truncate", "flip", "junk", "remove_sidecar"])
def test_a_damaged_cache_file_is_a_miss_and_is_replaced(quzhou, damage):
    data = DataStore(quzhou)
    first = data.load("cases", FEB21)
    parquet, sidecar = cache.cache_files("cases", cache.table_key(data, "cases", FEB21))
    good = parquet.read_bytes()
    damage_kept(parquet, sidecar, damage)
    assert cache.read_kept("cases", cache.table_key(data, "cases", FEB21)) is None
    again = data.load("cases", FEB21)
    pd.testing.assert_frame_equal(again, first, check_exact=True)
    assert again.attrs == first.attrs
    assert parquet.read_bytes() == good  # written again, whole
    assert cache.read_kept("cases", cache.table_key(data, "cases", FEB21)) is not None


def test_no_cache_reads_the_files_every_time(quzhou, monkeypatch):
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    first = DataStore(quzhou).load("cases", FEB21)
    assert kept_files() == []
    with monkeypatch.context() as patch:
        no_validation(patch)
        with pytest.raises(AssertionError, match="read and validated again"):
            DataStore(quzhou).load("cases", FEB21)
    monkeypatch.setenv(cache.NO_CACHE_ENV, "0")
    cached = DataStore(quzhou).load("cases", FEB21)
    pd.testing.assert_frame_equal(cached, first, check_exact=True)
    assert len(kept_files()) == 2


def test_a_miss_and_a_hit_equal_the_load_without_the_cache(quzhou):
    without = fresh(quzhou, "cases", FEB21)
    for _ in range(2):  # a miss, then a hit
        df = DataStore(quzhou).load("cases", FEB21)
        assert cache.identical(without, df)


def test_the_cache_writes_only_in_its_folder(quzhou):
    before = sorted(p.relative_to(quzhou) for p in quzhou.rglob("*"))
    DataStore(quzhou).load("cases", FEB21)
    assert sorted(p.relative_to(quzhou) for p in quzhou.rglob("*")) == before
    assert all(cache_dir() in p.parents for p in kept_files()) and kept_files()


def test_large_tables_are_not_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("EPIANALYSIS_CACHE_DIR", str(tmp_path / "cache"))
    data = DataStore(tmp_path / "data")
    daily = pd.DataFrame({"date": ["2020-02-24"], "enterprise_id": ["E1"], "kwh": [120.5], "employees_on_site": [40]})
    data.write("enterprise_daily", daily)
    assert data.load("enterprise_daily")["kwh"].tolist() == [120.5]
    # no copy of the frame: only the marker of its clean contract check (cache.log_errors)
    assert [p.suffix for p in kept_files()] == [".clean"]


def test_dtypes_survive_the_round_trip_and_object_columns_are_not_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("EPIANALYSIS_CACHE_DIR", str(tmp_path))
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-02-19", "2020-02-20"]).astype("datetime64[ns]"),
            "region_code": pd.array(["330800", None], dtype="str"),
            "confirmed": pd.array([14, None], dtype="Int64"),
            "revised": [True, False],
            "colour": pd.Categorical(["green", "red"], categories=["green", "yellow", "red"]),
            "known": pd.array([True, None], dtype="boolean"),
            "rate": [0.5, float("nan")],
        }
    )
    frame.attrs = {"as_of": FEB21, "flags": [], "metadata": {"province_days": [{"date": date(2020, 1, 17)}]}}
    assert cache.keep("t", "k", frame)
    back = cache.read_kept("t", "k")
    assert back.dtypes.to_dict() == frame.dtypes.to_dict()
    assert back["colour"].cat.categories.tolist() == ["green", "yellow", "red"]
    assert back.attrs == frame.attrs and cache.identical(frame, back)
    assert cache.read_kept("t", "another key") is None
    assert not cache.identical(frame, back.astype({"rate": "Float64"}))
    assert not cache.identical(frame, back.assign(rate=[0.5, 0.0]))  # a value where a gap was
    assert not cache.identical(frame, back[["region_code", "date", *frame.columns[2:]]])
    back.attrs = {**back.attrs, "as_of": date(2020, 2, 20)}
    assert not cache.identical(frame, back)
    with_object = frame.assign(note=pd.Series(["a", None], dtype=object))
    assert not cache.keep("t", "k2", with_object)
    assert not cache.cache_files("t", "k2")[0].exists()


def test_writers_of_the_same_key_at_once_leave_one_whole_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("EPIANALYSIS_CACHE_DIR", str(tmp_path))
    frame = pd.DataFrame({"confirmed": pd.array(range(1000), dtype="Int64")})
    frame.attrs = {"flags": []}
    threads = [threading.Thread(target=cache.keep, args=("t", "k", frame)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.identical(frame, cache.read_kept("t", "k"))
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == ["t-k.attrs", "t-k.parquet"]  # no temp file


def _log(path: Path, colours: list[str]) -> None:
    pd.DataFrame(
        {
            "person_id": pd.array(range(1, len(colours) + 1), dtype="int64"),
            "region_code": ["330782"] * len(colours),
            "date": [date(2020, 2, 17)] * len(colours),
            "colour": colours,
            "reason": ["checkin"] * len(colours),
        }
    ).to_parquet(path, index=False)


def test_a_clean_log_is_checked_once_per_content(tmp_path, monkeypatch):
    from epianalysis.data import parquet

    monkeypatch.setenv("EPIANALYSIS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    log = tmp_path / "health_code_log.parquet"
    _log(log, ["green", "red", "yellow"])
    calls = []
    real = parquet.check_parquet
    monkeypatch.setattr(parquet, "check_parquet", lambda *a: calls.append(a) or real(*a))
    assert cache.log_errors(log, "health_code_log", log.name) == []
    assert cache.log_errors(log, "health_code_log", log.name) == []
    assert len(calls) == 1  # the second time, the marker of the clean check
    # the same size, the same modification time, one colour changed: checked again, and refused
    stat = log.stat()
    _log(log, ["green", "red", "purpl"])
    os.utime(log, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    found = cache.log_errors(log, "health_code_log", log.name)
    assert [(v.row, v.rule, v.value) for v in found] == [(3, "isin(['green', 'yellow', 'red'])", "purpl")]
    assert cache.log_errors(log, "health_code_log", log.name) == found and len(calls) == 3  # never marked
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    _log(log, ["green", "red", "yellow"])
    cache.log_errors(log, "health_code_log", log.name)
    cache.log_errors(log, "health_code_log", log.name)
    assert len(calls) == 5
