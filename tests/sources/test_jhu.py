"""Import of the JHU CSSE wide time series (epianalysis.sources.jhu)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from epianalysis.data.store import DataStore, load
from epianalysis.errors import DataError
from epianalysis.sources.jhu import import_jhu

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "jhu"


def files(folder: Path) -> tuple[Path, Path, Path]:
    return tuple(folder / f"time_series_covid19_{k}_global.csv" for k in ("confirmed", "recovered", "deaths"))


def series(df: pd.DataFrame, column: str) -> list:
    return [None if pd.isna(v) else int(v) for v in df[column]]


def test_fixture_picks_the_province_row_and_shifts_each_series_by_its_convention(tmp_path):
    report = import_jhu(*files(FIXTURES), region="Zhejiang", out=tmp_path)
    df = load(tmp_path, "cases")
    # confirmed: columns 1/22/20 .. 1/25/20 -> store dates 2020-01-21 .. 2020-01-24 (shift -1);
    # recovered 1/22 .. 1/27 and deaths 1/22 .. 1/26 stay at their column dates (shift 0).
    assert df["date"].dt.strftime("%m-%d").tolist() == ["01-21", "01-22", "01-23", "01-24", "01-25", "01-26", "01-27"]
    assert set(df["region_code"]) == {"330000"}
    assert series(df, "confirmed") == [10, 27, 43, 62, None, None, None]
    assert series(df, "discharged") == [None, 0, 0, 1, 1, 1, 1]
    assert series(df, "deaths") == [None, 0, 0, 0, 0, 0, None]
    assert report.rows == 7 and report.regions == 1
    assert (report.first_date, report.last_date) == (date(2020, 1, 21), date(2020, 1, 27))
    meta = DataStore(tmp_path).metadata()
    assert meta["source"] == "JHU CSSE COVID-19 Data"
    assert "date_shift_days" not in meta  # the series do not share one shift
    shifts = {k: v["shift_days"] for k, v in meta["series_conventions"].items()}
    assert shifts == {"confirmed": -1, "discharged": 0, "deaths": 0}
    assert "CC BY 4.0" in meta["citation"]


def test_other_province_and_unknown_rows(tmp_path):
    with pytest.raises(DataError) as err:  # Anhui's row exists but Anhui is no region of ours
        import_jhu(*files(FIXTURES), region="Anhui", out=tmp_path / "a")
    assert err.value.violations[0].rule == "known_region"
    with pytest.raises(DataError) as err:  # no Zhejiang row for Italy
        import_jhu(*files(FIXTURES), region="Zhejiang", country="Italy", out=tmp_path / "b")
    assert [(v.file, v.rule) for v in err.value.violations] == [
        ("time_series_covid19_confirmed_global.csv", "region_row_present"),
        ("time_series_covid19_recovered_global.csv", "region_row_present"),
        ("time_series_covid19_deaths_global.csv", "region_row_present"),
    ]
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_bad_cells_are_errors_and_nothing_is_written(tmp_path):
    _, recovered, deaths = files(FIXTURES)
    with pytest.raises(DataError) as err:
        import_jhu(FIXTURES / "confirmed_bad.csv", recovered, deaths, region="Zhejiang", out=tmp_path / "o")
    assert [(v.row, v.column, v.rule, v.value) for v in err.value.violations] == [
        (2, "1/23/20", "dtype('Int64')", "abc"),
        (2, "1/24/20", "in_range(0, inf)", "-4"),
    ]
    assert not (tmp_path / "o").exists()


def test_real_jhu_zhejiang_row(real_data_dir, tmp_path):
    report = import_jhu(*files(real_data_dir / "jhu_csse_format"), region="Zhejiang", out=tmp_path)
    df = load(tmp_path, "cases").set_index("date")
    # JHU column 3/2/20 holds confirmed 1206 = 1205 local + 1 imported as of 1 Mar 24:00.
    assert df.at[pd.Timestamp("2020-03-01"), "confirmed"] == 1206
    assert df.at[pd.Timestamp("2020-01-21"), "confirmed"] == 10  # column 1/22/20
    # Confirmed ends at column 5/2/20; recovered at 7/9/20; deaths at 7/10/20.
    assert df["confirmed"].last_valid_index() == pd.Timestamp("2020-05-01")
    assert df["discharged"].last_valid_index() == pd.Timestamp("2020-07-09")  # not shifted
    assert df["deaths"].last_valid_index() == pd.Timestamp("2020-07-10")
    assert df.loc["2020-05-02":, "confirmed"].isna().all()
    assert df.at[pd.Timestamp("2020-07-10"), "deaths"] == 1
    assert df.at[pd.Timestamp("2020-02-20"), "deaths"] == 1 and df.at[pd.Timestamp("2020-02-19"), "deaths"] == 0
    assert report.last_date == date(2020, 7, 10)
    # The README checks the series never fall.
    assert [f for f in report.flags if f.rule == "cumulative_decrease"] == []


def _bulletins(real_data_dir) -> pd.DataFrame:
    b = pd.read_csv(real_data_dir / "zhejiang_official_bulletins.csv", parse_dates=["as_of_date"])
    return b[b["level"] == "province"].drop_duplicates("as_of_date").set_index("as_of_date")


def test_real_jhu_series_against_the_official_bulletins(real_data_dir, tmp_path):
    # docs/data.md#per-series-date-conventions: confirmed shifted by -1 day equals 21 of the 25
    # bulletins (listed below); recovered unshifted is
    # never above the bulletin, shifted by -1 it would run ahead of every bulletin from 17 February.
    import_jhu(*files(real_data_dir / "jhu_csse_format"), region="Zhejiang", out=tmp_path)
    df = load(tmp_path, "cases").set_index("date")
    b = _bulletins(real_data_dir)
    shared = b.index.intersection(df.index)
    confirmed = df.loc[shared, "confirmed"].astype(int) - b.loc[shared, "confirmed"]
    differences = {d.date().isoformat(): int(v) for d, v in confirmed.items() if v}
    # first two days: JHU is a day ahead of the bulletins' own transcription; 30 Jan: one case that the
    # aggregator counted in the evening (538); 1 March: the imported case
    assert differences == {"2020-01-21": 5, "2020-01-22": 17, "2020-01-30": 1, "2020-03-01": 1}
    assert len(shared) == 25
    given = shared[b.loc[shared, "discharged"].notna().to_numpy()]
    lag = b.loc[given, "discharged"] - df.loc[given, "discharged"].astype(int)
    assert (lag >= 0).all() and int(lag.max()) == 17  # 2020-03-02: 1086 official, JHU 1069
    ahead = df["discharged"].shift(-1).loc[given].astype(int) - b.loc[given, "discharged"]
    assert (ahead.loc["2020-02-17":"2020-03-02"] > 0).all() and int(ahead.loc["2020-03-01"]) == 19
    assert int(ahead.loc["2020-04-02"]) == 0
