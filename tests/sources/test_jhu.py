"""Import of the JHU CSSE wide time series (epianalysis.sources.jhu)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from epianalysis.cli import main
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
    # Zhejiang is line 3 of the file (header line 1, Anhui line 2)
    assert [(v.row, v.column, v.rule, v.value) for v in err.value.violations] == [
        (3, "1/23/20", "whole_number", "abc"),
        (3, "1/24/20", "in_range(0, inf)", "-4"),
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


# ----------------------------------------------------------------------------- the count rule of every cell

WIDE = "Province/State,Country/Region,Lat,Long"


def wide(folder: Path, confirmed: list[str], first: int = 22) -> tuple[Path, Path, Path]:
    """Three tiny JHU files, one column per day from 1/``first``/20: Hubei on line 2, Zhejiang on line 3
    with the cells ``confirmed`` in the confirmed file and zeros in the recovered and deaths files."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in ("confirmed", "recovered", "deaths"):
        row = confirmed if kind == "confirmed" else ["0"] * len(confirmed)
        header = ",".join([WIDE, *(f"1/{first + i}/20" for i in range(len(row)))])
        hubei = ",".join(["Hubei,China,30.9756,112.2707", *(["1"] * len(row))])
        path = folder / f"time_series_covid19_{kind}_global.csv"
        path.write_text("\n".join([header, hubei, ",".join(["Zhejiang,China,29.1832,120.0934", *row])]) + "\n")
        paths.append(path)
    return tuple(paths)


def test_count_cells_follow_the_rule_of_every_csv_cell(tmp_path, capsys):
    # +12, 1,204 and 12.5 are not written as a whole number; -3 is one, below 0; the empty cell is
    # missing (no error); 10 and 20 are counts. All on line 3 (Zhejiang's row).
    files3 = wide(tmp_path / "in", ["10", "+12", '"1,204"', "12.5", "-3", "", "20"])
    with pytest.raises(DataError) as err:
        import_jhu(*files3, region="Zhejiang", out=tmp_path / "o")
    assert [(v.row, v.column, v.rule, v.value) for v in err.value.violations] == [
        (3, "1/23/20", "whole_number", "+12"),
        (3, "1/24/20", "whole_number", "1,204"),
        (3, "1/25/20", "whole_number", "12.5"),
        (3, "1/26/20", "in_range(0, inf)", "-3"),
    ]
    assert not (tmp_path / "o").exists()
    args = ["--confirmed", str(files3[0]), "--recovered", str(files3[1]), "--deaths", str(files3[2])]
    assert main(["import", "jhu", *args, "--region", "Zhejiang", "--out", str(tmp_path / "o")]) == 1
    err_text = capsys.readouterr().err
    assert (
        "time_series_covid19_confirmed_global.csv line 3, column '1/23/20', value '+12': not a whole number" in err_text
    )
    assert "column '1/26/20', value '-3': below 0" in err_text
    assert not (tmp_path / "o").exists()


def test_12_point_0_is_a_count_and_an_empty_cell_stays_missing(tmp_path):
    files3 = wide(tmp_path / "in", ["10", "12.0", "", "43"])
    import_jhu(*files3, region="Zhejiang", out=tmp_path / "o")
    df = load(tmp_path / "o", "cases")
    # confirmed shifted by -1 day: columns 1/22 .. 1/25 -> 2020-01-21 .. 2020-01-24; recovered and
    # deaths (zeros) stay at 1/22 .. 1/25.
    assert series(df, "confirmed") == [10, 12, None, 43, None]
    assert series(df, "deaths") == [None, 0, 0, 0, 0]


# ----------------------------------------------------------------------------- deliveries (docs/data.md#vintages)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_second_import_with_an_extra_day_adds_a_vintage_and_keeps_the_first(tmp_path):
    out = tmp_path / "o"
    # 1/22 .. 1/24: confirmed at 01-21 .. 01-23, recovered and deaths at 01-22 .. 01-24 -> 4 rows to 01-24
    import_jhu(*wide(tmp_path / "a", ["10", "27", "43"]), region="Zhejiang", out=out)
    first = (out / "cases.csv").read_bytes()
    # one more day, 1/25: 5 rows to 01-25
    report = import_jhu(*wide(tmp_path / "b", ["10", "27", "43", "62"]), region="Zhejiang", out=out)
    assert not (out / "cases.csv").exists()
    assert (out / "vintages" / "2020-01-24" / "cases.csv").read_bytes() == first
    assert rows(out / "vintages" / "2020-01-25") == 5
    assert any("vintages/2020-01-25" in note for note in report.notes)
    assert len(load(out, "cases", as_of="2020-01-24")) == 4


def test_fewer_rows_into_an_occupied_slot_are_refused_and_change_nothing(tmp_path, capsys):
    out = tmp_path / "o"
    import_jhu(*wide(tmp_path / "a", ["10", "27", "43", "62"]), region="Zhejiang", out=out)
    before = snapshot(out)
    # 1/22 .. 1/25 held 5 rows (confirmed 01-21 .. 01-24, the others 01-22 .. 01-25); 1/24 .. 1/25 end on
    # the same data date, 01-25, with 3 rows (01-23 .. 01-25)
    fewer = wide(tmp_path / "b", ["43", "62"], first=24)
    args = ["--confirmed", str(fewer[0]), "--recovered", str(fewer[1]), "--deaths", str(fewer[2])]
    assert main(["import", "jhu", *args, "--region", "Zhejiang", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "[fewer_rows]" in err and "--replace" in err and "cases.csv holds 5 rows with data to 2020-01-25" in err
    assert snapshot(out) == before
    assert main(["import", "jhu", *args, "--region", "Zhejiang", "--out", str(out), "--replace"]) == 0
    assert rows(out) == 3


def rows(folder: Path) -> int:
    return (folder / "cases.csv").read_text("utf-8").count("\n") - 1
