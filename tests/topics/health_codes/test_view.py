"""The health-code briefing's summary section, on a small hand-made log."""

import datetime as dt

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from epianalysis import summary
from epianalysis.data.store import DataStore
from epianalysis.topics.health_codes import view as hb


def _log(tmp_path):
    start = dt.date(2020, 2, 14)
    rows = []
    for d in range(16):  # 2020-02-14 .. 2020-02-29
        day = start + dt.timedelta(days=d)
        rows.append((1, "330102", day, "red" if 1 <= d <= 14 else "green"))  # red 02-15 .. 02-28
        rows.append((2, "330102", day, "yellow" if 1 <= d <= 7 else "green"))  # yellow 02-15 .. 02-21
        rows.append((3, "330102", day, "green"))
    frame = pd.DataFrame(rows, columns=["person_id", "region_code", "date", "colour"]).assign(reason=None)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp_path / "health_code_log.parquet")
    return DataStore(tmp_path)


def test_summary_by_hand(tmp_path):
    view = hb.health_code_briefing(_log(tmp_path), dt.date(2020, 2, 29))
    s = hb.summary(view)
    assert (s["holders"], s["green"], s["yellow"], s["red"]) == (3, 3, 0, 0)
    assert s["share_green"] == 1.0
    assert s["to_green"] == 1  # person 1 turned green on 02-29
    assert s["cum_to_green"] == 2  # person 2 on 02-22, person 1 on 02-29
    assert s["median_days_to_green"] == {"red": 14.0, "yellow": 7.0, "all": 10.5}


def test_data_date_cuts_the_log(tmp_path):
    view = hb.health_code_briefing(_log(tmp_path), dt.date(2020, 2, 20))
    s = hb.summary(view)
    # on 02-20 person 3 is green, 1 red, 2 yellow: 1 green of 3 holders, stored unrounded
    assert (s["yellow"], s["red"], s["share_green"]) == (1, 1, pytest.approx(1 / 3, abs=1e-15))
    assert s["median_days_to_green"]["red"] is None  # still red on the data date: not finished
    assert s["episodes_finished"] == {"red": 0, "yellow": 0, "all": 0}


def test_a_log_with_an_unknown_colour_is_refused_not_undercounted(tmp_path):
    frame = pd.DataFrame(
        {
            "person_id": [1, 2],
            "region_code": ["330102", "330102"],
            "date": [dt.date(2020, 2, 14)] * 2,
            "colour": ["green", "purple"],
            "reason": [None, None],
        }
    )
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp_path / "health_code_log.parquet")
    from epianalysis.errors import DataError

    with pytest.raises(DataError) as refused:
        hb.health_code_briefing(DataStore(tmp_path), dt.date(2020, 2, 14))
    (violation,) = refused.value.violations
    assert (violation.file, violation.row, violation.column, violation.value) == (
        "health_code_log.parquet",
        2,
        "colour",
        "purple",
    )


def test_a_data_folder_named_with_a_quote_a_semicolon_and_sql_is_briefed(tmp_path):
    folder = tmp_path / "data'; DROP TABLE health_code_log; --"
    folder.mkdir()
    s = hb.summary(hb.health_code_briefing(_log(folder), dt.date(2020, 2, 29)))
    assert (s["holders"], s["green"], s["cum_to_green"]) == (3, 3, 2)


def test_the_published_reference_is_the_press_conference_figure():
    # docs/methods.md#colour-rules: by 2020-02-17, 14.989 M codes issued, 94.7 % green; press conference of 2020-02-18
    ref = hb.reference()
    assert (ref["date"], ref["press_date"]) == ("2020-02-17", "2020-02-18")
    assert (ref["share_green"], ref["codes"]) == (0.947, 14_989_000)
    assert "press conference" in ref["source"]


def test_the_reference_is_shown_from_its_press_date_on(tmp_path):
    data = _log(tmp_path)
    before = hb.health_code_briefing(data, dt.date(2020, 2, 16))  # briefing of 17 February
    on = hb.health_code_briefing(data, dt.date(2020, 2, 17))  # briefing of 18 February
    assert hb.summary(before)["published_reference"] is None and before.reference is None
    assert hb.summary(on)["published_reference"]["share_green"] == 0.947
    assert "94.7%" not in hb.headline_table(before, "en").to_string()
    assert "94.7%" in hb.headline_table(on, "en").to_string()
    late = hb.health_code_briefing(data, dt.date(2020, 2, 17), press_date=dt.date(2020, 2, 17))
    assert late.reference is None  # data of 17 February briefed on 17 February: not yet published


def _sampled(tmp_path, fraction):
    data = _log(tmp_path)
    (tmp_path / "source.toml").write_text(f"[sampling.health_code_log]\nfraction = {fraction}\n", "utf-8")
    return data


def test_a_sampled_log_gives_estimates(tmp_path):
    # the log is a 1 % sample (source.toml): each count is shown as count / 0.01; the shares are the sample's
    view = hb.health_code_briefing(_sampled(tmp_path, 0.01), dt.date(2020, 2, 20))
    s = hb.summary(view)
    assert (s["estimated"], s["sampling_fraction"]) == (True, 0.01)
    # on 02-20: 3 holders, 1 green, 1 yellow, 1 red in the log -> 300, 100, 100, 100 in the province
    assert (s["holders"], s["green"], s["yellow"], s["red"]) == (300.0, 100.0, 100.0, 100.0)
    assert s["sample"]["holders"] == 3 and s["sample"]["episodes_finished"] == {"red": 0, "yellow": 0, "all": 0}
    assert s["share_green"] == pytest.approx(1 / 3, abs=1e-15)
    summary.check_section("health_codes", s)  # the declared output allows estimates
    table = hb.headline_table(view, "en")
    values = dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))
    assert values["Residents holding a code"] == "about 300"
    assert values["Yellow codes"] == "about 100"
    assert hb.headline_table(view, "zh").iloc[0, 1] == "约300"
    series = hb.province_series(view)  # what the charts draw
    assert series.attrs == {"estimated": True, "sampling_fraction": 0.01}
    assert series.loc[series["date"] == "2020-02-20", "holders"].iloc[0] == 300.0


def test_complete_counts_are_not_estimates(tmp_path):
    view = hb.health_code_briefing(_log(tmp_path), dt.date(2020, 2, 20))  # no source.toml: every resident
    s = hb.summary(view)
    assert (s["estimated"], s["sampling_fraction"], s["sample"], s["holders"]) == (False, None, None, 3)
    summary.check_section("health_codes", s)
    assert hb.headline_table(view, "en").iloc[0, 1] == "3"
