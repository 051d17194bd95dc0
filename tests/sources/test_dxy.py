"""Import of the DXY crawler archive (epianalysis.sources.dxy), on a hand-made file and on the real sample."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from epianalysis.cli import main
from epianalysis.data.store import DataStore, load
from epianalysis.errors import DataError
from epianalysis.sources.dxy import choose_updates, import_dxy

HEADER = (
    "provinceName,provinceEnglishName,province_zipCode,cityName,cityEnglishName,city_zipCode,"
    "province_confirmedCount,province_suspectedCount,province_curedCount,province_deadCount,"
    "city_confirmedCount,city_suspectedCount,city_curedCount,city_deadCount,updateTime"
)


def _row(city, code, p, c, time, province="浙江省"):
    return f"{province},Zhejiang,330000,{city},X,{code},{p[0]},0,{p[1]},0,{c[0]},0,{c[1]},0,{time}"


def _write(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "DXYArea.csv"
    path.write_text("\ufeff" + "\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_the_day_after_gives_the_counts_of_the_day_and_each_row_keeps_its_update(tmp_path):
    # 2 Feb 07:00 still repeats 1 Feb's count (10): not taken; 09:30 is the first update above every
    # earlier count (12) and stands for 1 Feb 24:00; 3 Feb has no count above 12 after 09:00, so its
    # last update stands for 2 Feb.
    path = _write(
        tmp_path,
        [
            _row("杭州", "330100.0", (10, 1), (4, 1), "2020-02-01 20:00:00.0"),
            _row("杭州", "330100.0", (10, 1), (4, 1), "2020-02-02 07:00:00.0"),
            _row("杭州", "330100.0", (12, 2), (5, 2), "2020-02-02 09:30:00.0"),
            _row("待明确地区", "0.0", (12, 2), (1, 0), "2020-02-02 09:30:00.0"),
            _row("杭州", "330100.0", (12, 3), (5, 3), "2020-02-02 18:00:00.0"),
            _row("杭州", "330100.0", (12, 4), (5, 4), "2020-02-03 08:00:00.0"),
            _row("杭州", "330100.0", (12, 5), (5, 5), "2020-02-03 12:00:00.0"),
        ],
    )
    report = import_dxy(path, tmp_path / "out")
    df = load(tmp_path / "out", "cases").set_index(["date", "region_code"])
    assert df.loc[(pd.Timestamp("2020-02-01"), "330000"), ["confirmed", "discharged"]].tolist() == [12, 2]
    assert df.loc[(pd.Timestamp("2020-02-01"), "330100"), ["confirmed", "discharged"]].tolist() == [5, 2]
    assert df.loc[(pd.Timestamp("2020-02-02"), "330000"), "discharged"] == 5
    assert df.loc[(pd.Timestamp("2020-01-31"), "330000"), "confirmed"] == 10  # 1 Feb 20:00, the only update
    assert df.loc[(pd.Timestamp("2020-02-01"), "330000"), "source_update"] == "2020-02-02 09:30:00.0"
    unplaced = load(tmp_path / "out", "cases_unplaced")
    assert unplaced["confirmed"].tolist() == [1] and unplaced["unit_zh"].tolist() == ["待明确地区"]
    assert [f.rule for f in report.flags] == ["unplaced"]
    meta = DataStore(tmp_path / "out").metadata()
    assert meta["date_shift_days"] == -1 and "MIT" in meta["citation"]
    assert meta["series_conventions"]["discharged"]["shift_days"] == -1


def test_choose_updates_skips_an_early_update_that_repeats_the_day_before():
    times = pd.to_datetime(["2020-02-04 20:48", "2020-02-05 09:24", "2020-02-05 09:25", "2020-02-05 23:05"])
    chosen = choose_updates(pd.DataFrame({"time": times, "confirmed": [829, 829, 895, 895]}))
    assert chosen["time"].tolist()[-1] == pd.Timestamp("2020-02-05 09:25")
    assert chosen["date"].dt.strftime("%Y-%m-%d").tolist() == ["2020-02-03", "2020-02-04"]


def test_missing_columns_and_two_provinces_are_errors_and_nothing_is_written(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("provinceName,cityName\n浙江省,杭州\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        import_dxy(path, tmp_path / "a")
    assert {v.column for v in err.value.violations} >= {"updateTime", "province_confirmedCount"}
    two = _write(
        tmp_path,
        [
            _row("杭州", "330100.0", (1, 0), (1, 0), "2020-02-01 10:00:00.0"),
            _row("武汉", "420100.0", (1, 0), (1, 0), "2020-02-01 10:00:00.0", province="湖北省"),
        ],
    )
    with pytest.raises(DataError) as err:
        import_dxy(two, tmp_path / "b")
    assert [v.rule for v in err.value.violations] == ["one_province"]
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


# ----------------------------------------------------------------------------- the real sample

#: Official discharged minus DXY discharged on the dates they share (official bulletins as of D 24:00,
#: zhejiang_official_bulletins.csv; DXY: the update chosen on D+1). Typed from the two files.
DISCHARGED_LAG = {"2020-02-06": 98 - 94}


@pytest.fixture(scope="module")
def dxy_cases(real_data_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("dxy")
    import_dxy(real_data_dir / "dxy" / "DXYArea_zhejiang_until_20200217.csv", out)
    return load(out, "cases")


@pytest.fixture(scope="module")
def bulletins(real_data_dir):
    b = pd.read_csv(real_data_dir / "zhejiang_official_bulletins.csv", parse_dates=["as_of_date"])
    return b[b["level"] == "province"].drop_duplicates("as_of_date").set_index("as_of_date")


def test_real_dxy_confirmed_equals_the_bulletin_on_every_shared_date(dxy_cases, bulletins):
    province = dxy_cases[dxy_cases["region_code"] == "330000"].set_index("date")
    shared = province.index.intersection(bulletins.index)
    assert len(shared) == 15  # 2020-01-23 .. 2020-02-06
    assert (province.loc[shared, "confirmed"].astype(int) == bulletins.loc[shared, "confirmed"]).all()
    assert province.at[pd.Timestamp("2020-01-30"), "confirmed"] == 537


def test_real_dxy_discharged_differences_are_listed(dxy_cases, bulletins):
    province = dxy_cases[dxy_cases["region_code"] == "330000"].set_index("date")
    shared = province.index.intersection(bulletins.index[bulletins["discharged"].notna()])
    lag = bulletins.loc[shared, "discharged"] - province.loc[shared, "discharged"].astype(int)
    found = {d.date().isoformat(): int(v) for d, v in lag.items() if v != 0}
    assert found == DISCHARGED_LAG
    assert (lag >= 0).all()  # the morning figure never runs ahead of the bulletin


def test_real_dxy_city_rows_and_provenance(dxy_cases):
    day = dxy_cases[dxy_cases["date"] == pd.Timestamp("2020-02-06")].set_index("region_code")
    assert day.at["330300", "confirmed"] == 421  # 温州, bulletin as of 2020-02-06 24:00
    assert day.at["330000", "confirmed"] == 1006
    assert day["source_update"].nunique() == 1 and day["source_update"].iloc[0].startswith("2020-02-07 09:16")
    assert day.drop("330000")["confirmed"].sum() == 1006  # the 11 cities add up to the province


# ----------------------------------------------------------------------------- the count rule, deliveries


def test_count_cells_of_every_update_follow_the_rule_of_every_csv_cell(tmp_path, capsys):
    # the header is line 1; +12 (line 2) is in an update that is not chosen and still an error;
    # 1,204 and 12.5 are no whole numbers, -3 is below 0; the empty city count (line 5) is missing.
    path = _write(
        tmp_path,
        [
            _row("杭州", "330100.0", ("+12", 1), (4, 1), "2020-02-01 20:00:00.0"),
            _row("杭州", "330100.0", (12, 2), ('"1,204"', 2), "2020-02-02 09:30:00.0"),
            _row("杭州", "330100.0", (12, "12.5"), (5, 2), "2020-02-02 18:00:00.0"),
            _row("杭州", "330100.0", (12, 3), ("", "-3"), "2020-02-03 12:00:00.0"),
        ],
    )
    with pytest.raises(DataError) as err:
        import_dxy(path, tmp_path / "out")
    assert sorted((v.row, v.column, v.rule, v.value) for v in err.value.violations) == [
        (2, "province_confirmedCount", "whole_number", "+12"),
        (3, "city_confirmedCount", "whole_number", "1,204"),
        (4, "province_curedCount", "whole_number", "12.5"),
        (5, "city_curedCount", "in_range(0, inf)", "-3"),
    ]
    assert main(["import", "dxy", str(path), "--out", str(tmp_path / "out")]) == 1
    assert "DXYArea.csv line 2, column 'province_confirmedCount', value '+12': not a whole number" in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "out").exists()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_later_file_adds_a_vintage_and_fewer_rows_are_refused_without_changing_anything(tmp_path, capsys):
    day1 = [_row("杭州", "330100.0", (10, 1), (4, 1), "2020-02-01 10:00:00.0")]
    day2 = [
        _row("杭州", "330100.0", (12, 2), (5, 2), "2020-02-02 10:00:00.0"),
        _row("待明确地区", "0.0", (12, 2), (1, 0), "2020-02-02 10:00:00.0"),
    ]
    day3 = [_row("杭州", "330100.0", (15, 2), (6, 2), "2020-02-03 10:00:00.0")]
    out = tmp_path / "out"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "c").mkdir()
    # updates of 1 and 2 Feb stand for 31 Jan and 1 Feb: province + 杭州 rows, 4 rows to 2020-02-01
    import_dxy(_write(tmp_path / "a", day1 + day2), out)
    first = _snapshot(out)
    import_dxy(_write(tmp_path / "b", day1 + day2 + day3), out)  # one day more: 6 rows to 2020-02-02
    moved = out / "vintages" / "2020-02-01"
    assert (moved / "cases.csv").read_bytes() == first["cases.csv"]
    assert (moved / "cases_unplaced.csv").read_bytes() == first["cases_unplaced.csv"]
    assert (out / "vintages" / "2020-02-02" / "cases.csv").read_text("utf-8").count("\n") - 1 == 6
    before = _snapshot(out)
    fewer = _write(tmp_path / "c", day2 + day3)  # to 2020-02-02 again, with 4 rows
    assert main(["import", "dxy", str(fewer), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "[fewer_rows]" in err and "--replace" in err
    assert "vintages/2020-02-02/cases.csv holds 6 rows with data to 2020-02-02" in err
    assert _snapshot(out) == before
    header_only = tmp_path / "c" / "DXYArea.csv"
    header_only.write_text("\ufeff" + HEADER + "\n", encoding="utf-8")
    assert main(["import", "dxy", str(header_only), "--out", str(out), "--replace"]) == 1
    assert "[has_rows]" in capsys.readouterr().err
    assert _snapshot(out) == before
