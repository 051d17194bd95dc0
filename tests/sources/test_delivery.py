"""No import loses data: new vintages named by data date, --replace, fewer rows (epianalysis.sources.delivery)."""

from __future__ import annotations

from datetime import date

import pytest

from epianalysis.briefing.params import BriefingParams
from epianalysis.data.store import DataStore, load
from epianalysis.errors import DataError
from epianalysis.sources.tidy import import_tidy

HEADER = "date,region_code,confirmed,discharged,deaths\n"
UP_TO_1_MARCH = HEADER + "2020-02-28,330000,1205,987,1\n2020-02-29,330000,1205,1027,1\n2020-03-01,330000,1205,1050,1\n"
UP_TO_2_MARCH = HEADER + "2020-03-01,330000,1205,1050,1\n2020-03-02,330000,1213,1086,1\n"


def csv(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows(folder, table="cases.csv"):
    return (folder / table).read_text("utf-8").count("\n") - 1


def test_a_header_only_file_never_replaces_rows(tmp_path):
    out = tmp_path / "out"
    import_tidy(csv(tmp_path, "a.csv", UP_TO_1_MARCH), {}, out)
    for replace in (False, True):
        with pytest.raises(DataError) as err:
            import_tidy(csv(tmp_path, "empty.csv", HEADER), {}, out, replace=replace)
        assert [(v.row, v.rule) for v in err.value.violations] == [(1, "has_rows")]
    assert rows(out) == 3


def test_a_file_with_fewer_rows_is_refused_unless_replace(tmp_path):
    out = tmp_path / "out"
    import_tidy(csv(tmp_path, "a.csv", UP_TO_1_MARCH), {}, out)
    fewer = csv(tmp_path, "b.csv", HEADER + "2020-03-01,330000,1205,1050,1\n")
    with pytest.raises(DataError) as err:
        import_tidy(fewer, {}, out)
    (v,) = err.value.violations
    assert (v.rule, v.value) == ("fewer_rows", "1 rows")
    assert "cases.csv holds 3 rows with data to 2020-03-01" in v.detail
    assert rows(out) == 3
    import_tidy(fewer, {}, out, replace=True)
    assert rows(out) == 1


def test_the_same_rows_again_are_refused_unless_replace(tmp_path):
    out = tmp_path / "out"
    a = csv(tmp_path, "a.csv", UP_TO_1_MARCH)
    import_tidy(a, {}, out, vintage=date(2020, 3, 1))
    with pytest.raises(DataError) as err:
        import_tidy(a, {}, out, vintage=date(2020, 3, 1))
    assert err.value.violations[0].rule == "slot_taken"
    report = import_tidy(a, {}, out, vintage=date(2020, 3, 1), replace=True)
    assert "replaced vintages/2020-03-01/cases.csv (--replace)" in report.notes


def test_a_later_file_adds_a_vintage_named_by_its_data_date_and_keeps_the_earlier(tmp_path):
    out = tmp_path / "out"
    import_tidy(csv(tmp_path, "a.csv", UP_TO_1_MARCH), {}, out)  # at the root
    (out / "cases_unplaced.csv").write_text(HEADER + "2020-03-01,,36,5,0\n", "utf-8")
    report = import_tidy(csv(tmp_path, "b.csv", UP_TO_2_MARCH), {}, out)
    assert DataStore(out).vintages() == [date(2020, 3, 1), date(2020, 3, 2)]
    assert sorted(p.name for p in (out / "vintages" / "2020-03-01").iterdir()) == ["cases.csv", "cases_unplaced.csv"]
    assert any("moved to vintages/2020-03-01" in n for n in report.notes)
    # nothing lost: the first delivery still answers for what was known with the data of 1 March
    early = load(out, "cases", as_of="2020-03-01")
    assert early["discharged"].tolist() == [987, 1027, 1050]
    assert len(load(out, "cases_unplaced", as_of="2020-03-01")) == 1
    assert load(out, "cases")["date"].dt.strftime("%m-%d").tolist() == ["02-28", "02-29", "03-01", "03-02"]


def test_vintage_and_the_default_briefing_agree_on_the_data_date(tmp_path):
    out = tmp_path / "out"
    import_tidy(csv(tmp_path, "a.csv", UP_TO_1_MARCH), {}, out, vintage=date(2020, 3, 1))
    import_tidy(csv(tmp_path, "b.csv", UP_TO_2_MARCH), {}, out, vintage=date(2020, 3, 2))
    # the briefing of press date 2 March reads the data as of 1 March 24:00: vintage 2020-03-01, not later
    params = BriefingParams.resolve("2020-03-02", out)
    assert params.as_of == date(2020, 3, 1)
    cases = load(out, "cases", as_of=params.as_of)
    assert cases.iloc[-1][["confirmed", "discharged"]].tolist() == [1205, 1050]
    assert load(out, "cases", as_of=BriefingParams.resolve("2020-03-03", out).as_of).iloc[-1]["confirmed"] == 1213


def test_a_vintage_cannot_hold_rows_after_its_data_date(tmp_path):
    with pytest.raises(DataError) as err:
        import_tidy(csv(tmp_path, "b.csv", UP_TO_2_MARCH), {}, tmp_path / "out", vintage=date(2020, 3, 1))
    (v,) = err.value.violations
    assert (v.column, v.rule, v.value) == ("date", "vintage_after_data", "2020-03-02")
    assert "--vintage 2020-03-02" in v.detail
    assert not (tmp_path / "out").exists()


def test_replacing_a_delivery_removes_its_stale_unplaced_rows(tmp_path):
    out = tmp_path / "out"
    import_tidy(csv(tmp_path, "a.csv", UP_TO_1_MARCH + "2020-03-01,省十里丰监狱,36,5,0\n"), {}, out)
    assert (out / "cases_unplaced.csv").is_file()
    report = import_tidy(csv(tmp_path, "a2.csv", UP_TO_1_MARCH), {}, out, replace=True)
    assert not (out / "cases_unplaced.csv").exists()
    assert "removed cases_unplaced.csv of the replaced delivery" in report.notes
