"""Real files imported as they come: region names instead of codes, cities without the province row,
the source line (epianalysis.sources.tidy with epianalysis.reference.names and sources.derive)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from epianalysis.briefing.params import BriefingParams
from epianalysis.data.store import DataStore, load
from epianalysis.data.validate import validate_directory
from epianalysis.sources.tidy import import_tidy
from epianalysis.summary import source_name
from epianalysis.topics.recovery.metrics import headline

CODES = {"as_of_date": "date", "unit_code": "region_code"}
NAMES = {"as_of_date": "date", "unit_zh": "region_code"}
CANG = {"city_zh": "region_code", "cured": "discharged", "dead": "deaths"}


def province_rate(data: Path, press_date: str = "2020-03-02") -> tuple[int, int, float]:
    params = BriefingParams.resolve(press_date, data)
    cases = load(data, "cases", as_of=params.as_of)
    h = headline(cases, "330000", params.as_of)
    return h.confirmed, h.discharged, h.discharge_rate


def without_codes(source: Path, target: Path) -> Path:
    """The bulletins with the unit_code column dropped: regions only by name (杭州市, 浙江省...)."""
    with source.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    names = [c for c in rows[0] if c != "unit_code"]
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, names, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return target


@pytest.fixture(scope="module")
def by_codes_and_names(real_data_dir, tmp_path_factory):
    bulletins = real_data_dir / "zhejiang_official_bulletins.csv"
    codes, names = tmp_path_factory.mktemp("codes"), tmp_path_factory.mktemp("names")
    import_tidy(bulletins, CODES, codes)
    named = without_codes(bulletins, tmp_path_factory.mktemp("src") / "bulletins_by_name.csv")
    report = import_tidy(named, NAMES, names)
    return codes, names, report


def test_bulletins_by_name_give_the_same_87_1_percent_as_by_code(by_codes_and_names):
    codes, names, _ = by_codes_and_names
    assert province_rate(codes) == province_rate(names)
    confirmed, discharged, rate = province_rate(names)
    assert (confirmed, discharged) == (1205, 1050)
    assert round(rate * 100, 1) == 87.1


def test_bulletins_by_name_store_the_same_table_as_by_code(by_codes_and_names):
    codes, names, report = by_codes_and_names
    a, b = load(codes, "cases"), load(names, "cases")
    columns = ["date", "region_code", "confirmed", "discharged", "deaths", "severe", "critical"]
    pd.testing.assert_frame_equal(a[columns], b[columns])
    assert load(names, "cases_unplaced")["unit_zh"].unique().tolist() == ["省十里丰监狱"]
    assert any(n.startswith("region names read as codes: 浙江省 -> 330000, 杭州市 -> 330100") for n in report.notes)


def test_cities_without_the_province_are_flagged_at_import_and_by_validate(real_data_dir, tmp_path):
    report = import_tidy(real_data_dir / "zhejiang_city_daily.csv", CANG, tmp_path)
    (flag,) = [f for f in report.flags if f.rule == "no_province_row"]
    assert (flag.row, flag.severity) == (2, "flag")
    assert "101 date(s): 2020-01-21 .. 2020-04-30" in flag.detail and "--derive-province" in flag.detail
    assert "no_province_row" in {v.rule for v in validate_directory(tmp_path)}
    # 境外输入, 未公布来源, 划归外省 and the prison are kept aside by name
    assert set(load(tmp_path, "cases_unplaced")["unit_zh"]) == {"省十里丰监狱", "境外输入", "未公布来源", "划归外省"}


def test_derive_province_adds_cities_and_unplaced_rows_flagged_as_derived(real_data_dir, tmp_path):
    report = import_tidy(real_data_dir / "zhejiang_city_daily.csv", CANG, tmp_path, derive_province=True)
    cases = load(tmp_path, "cases")
    province = cases[cases["region_code"] == "330000"].set_index("date")
    by_source = pd.read_csv(real_data_dir / "zhejiang_province_daily_by_source.csv", parse_dates=["date"])
    city_sum = by_source[by_source["source"] == "canghailan_city_sum"].set_index("date")
    # the source's own sum of its city rows (other units included) is what --derive-province builds
    shared = province.index.intersection(city_sum.index)
    assert len(shared) > 80
    assert (province.loc[shared, "confirmed"].astype(int) == city_sum.loc[shared, "confirmed"]).all()
    assert (province.loc[shared, "discharged"].astype(int) == city_sum.loc[shared, "recovered"]).all()
    assert province.loc[pd.Timestamp("2020-03-01"), ["confirmed", "discharged"]].tolist() == [1205, 1046]
    assert province.loc[pd.Timestamp("2020-03-02"), "derivation"] == "sum of 11 prefectures and 2 unplaced row(s)"
    assert cases.loc[cases["region_code"] != "330000", "derivation"].isna().all()
    rules = {f.rule for f in report.flags}
    assert "province_derived" in rules and "no_province_row" not in rules
    assert "no_province_row" not in {v.rule for v in validate_directory(tmp_path)}


def test_citation_and_source_url_set_the_source_line(tmp_path):
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "tidy_small.csv"
    import_tidy(fixture, CODES, tmp_path / "plain")
    assert source_name(DataStore(tmp_path / "plain").metadata(), tmp_path) == "tidy CSV tidy_small.csv"
    cited = tmp_path / "cited"
    import_tidy(fixture, CODES, cited, citation="浙江省卫健委 bulletins", source_url="https://wsjkw.zj.gov.cn/")
    meta = DataStore(cited).metadata()
    assert source_name(meta, cited) == source_name(meta, cited, "zh") == "浙江省卫健委 bulletins"
    assert meta["citation"] == "浙江省卫健委 bulletins, https://wsjkw.zj.gov.cn/"
    assert meta["source_url"] == "https://wsjkw.zj.gov.cn/"
