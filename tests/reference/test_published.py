"""Published figures read from a topic's reference.toml (epianalysis.reference.published)."""

from __future__ import annotations

import datetime as dt

import pytest

from epianalysis.errors import DataError
from epianalysis.reference.published import known_on, press_date_of, published_by, published_figure, reference_text
from epianalysis.topics import TOPICS_DIR


def write(tmp_path, text: str):
    path = tmp_path / "reference.toml"
    path.write_text(text, "utf-8")
    return path


def test_a_figure_comes_back_with_iso_dates_in_file_order(tmp_path):
    path = write(
        tmp_path,
        '[average]\ndate = 2020-03-01\npress_date = 2020-03-02\nvalue = 96.87\nsource = "press conference"\n',
    )
    assert published_figure(path, "average") == {
        "date": "2020-03-01",
        "press_date": "2020-03-02",
        "value": 96.87,
        "source": "press conference",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[average]\ndate = 2020-03-01\nvalue = 1.0\nsource = "s"\n', ("average.press_date", "key_present")),
        (
            '[average]\ndate = 2020-03-02\npress_date = 2020-03-01\nsource = "s"\n',
            ("average.press_date", "not_before_date"),
        ),
        ('[average]\ndate = "1 March"\npress_date = 2020-03-02\nsource = "s"\n', ("average.date", "type(date)")),
        ('[average]\ndate = 2020-03-01\npress_date = 2020-03-02\nsource = " "\n', ("average.source", "source_given")),
        ("[other]\nvalue = 1\n", ("average", "figure_present")),
    ],
)
def test_an_incomplete_figure_is_refused_naming_file_and_key(tmp_path, text, expected):
    with pytest.raises(DataError) as refused:
        published_figure(write(tmp_path, text), "average")
    assert [(v.file, v.column, v.rule) for v in refused.value.violations] == [("reference.toml", *expected)]


FIGURE = """[average]
date = 2020-03-01
press_date = 2020-03-02
value = 96.87
source = "Zhejiang provincial press conference"
source_zh = "浙江省疫情防控新闻发布会"
"""


def test_a_figure_is_known_from_its_press_date_on(tmp_path):
    path = write(tmp_path, FIGURE)
    assert published_by(path, "average", "2020-03-01") is None  # the briefing of 1 March
    assert published_by(path, "average", "2020-03-02")["value"] == 96.87  # the press conference itself
    assert published_by(path, "average", dt.date(2020, 3, 9))["value"] == 96.87
    assert known_on(published_figure(path, "average"), "2020-03-02")


def test_the_press_date_of_a_briefing():
    # the bulletin convention: data as of D 24:00 are read out on D+1; a given press date wins
    assert press_date_of("2020-03-01") == dt.date(2020, 3, 2)
    assert press_date_of(dt.date(2020, 2, 29)) == dt.date(2020, 3, 1)
    assert press_date_of("2020-03-01", "2020-03-01") == dt.date(2020, 3, 1)


def test_where_and_when_in_both_languages(tmp_path):
    figure = published_figure(write(tmp_path, FIGURE), "average")
    assert reference_text(figure, "en") == "Zhejiang provincial press conference, 2 Mar 2020 (data as of 1 Mar, 24:00)"
    assert reference_text(figure, "zh") == "浙江省疫情防控新闻发布会（2020年3月2日；数据截至3月1日24时）"


@pytest.mark.parametrize(
    ("module", "name", "date", "press_date"),
    [
        ("recovery", "discharge_rate", "2020-03-01", "2020-03-02"),  # 87.1 %
        ("zoning", "low_risk", "2020-03-01", "2020-03-02"),  # all 90 counties low-risk
        ("control_index", "province_average", "2020-03-01", "2020-03-02"),  # 96.87
        ("capacity", "resumption", "2020-02-25", "2020-02-26"),  # 99.8 % / 60.1 %
        ("capacity", "capacity_recovery_index", "2020-02-29", "2020-03-02"),  # 76.75, end of February
        ("health_codes", "share_green", "2020-02-17", "2020-02-18"),  # 94.7 % of 14.989 M
    ],
)
def test_the_topics_published_figures_and_their_press_dates(module, name, date, press_date):
    figure = published_figure(TOPICS_DIR / module / "reference.toml", name)
    assert (figure["date"], figure["press_date"]) == (date, press_date)
    assert figure["source"] and figure["source_zh"]
