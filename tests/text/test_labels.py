"""Chart labels: every key in both languages, dates and numbers written per language."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from epianalysis.text import labels
from epianalysis.text.labels import (
    LANGUAGES,
    format_count,
    format_date,
    format_percent,
    label,
    load_labels,
    placeholders,
)


def test_every_label_has_exactly_english_and_chinese():
    table = load_labels()
    assert len(table) > 20
    for key, entry in table.items():
        assert set(entry) == set(LANGUAGES), key
        for lang in LANGUAGES:
            value = entry[lang]
            assert value, (key, lang)
            if isinstance(value, str):
                assert value.strip() == value or key == "separator", (key, lang)


def test_placeholders_match_between_languages():
    for key, entry in load_labels().items():
        if isinstance(entry["en"], str):
            assert placeholders(entry["en"]) == placeholders(entry["zh"]), key


def test_chinese_labels_contain_chinese():
    # Texts that must be translated (not copied from English) in the zh column.
    for key in (
        "synthetic",
        "source",
        "recovery.epidemic_curve_title",
        "recovery.discharge_rate_title",
        "recovery.local_cases",
        "recovery.imported_cases",
        "recovery.revision",
        "risk_red",
        "risk_unknown",
    ):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in label(key, "zh", source="x")), key


def test_source_and_synthetic_labels():
    assert label("synthetic", "en") == "synthetic scenario"
    assert label("synthetic", "zh") == "合成情景数据"
    assert label("source", "en", source="JHU CSSE") == "Source: JHU CSSE"
    assert label("source", "zh", source="浙江省卫健委") == "来源：浙江省卫健委"


@pytest.mark.parametrize(
    ("value", "lang", "style", "expected"),
    [
        (dt.date(2020, 3, 1), "en", "long", "1 Mar 2020"),
        (dt.date(2020, 3, 1), "zh", "long", "2020年3月1日"),
        ("2020-02-17", "en", "day_month", "17 Feb"),
        ("2020-02-17", "zh", "day_month", "2月17日"),
        (pd.Timestamp("2020-12-01"), "en", "month_year", "Dec 2020"),
        (pd.Timestamp("2020-12-01"), "zh", "month_year", "2020年12月"),
        (dt.datetime(2020, 1, 5, 13, 0), "zh", "month", "1月"),
    ],
)
def test_format_date(value, lang, style, expected):
    assert format_date(value, lang, style) == expected


def test_format_percent_uses_published_ratios():
    # 943 / 1205 = 0.78257 and 1050 / 1205 = 0.87137 (press conferences of 28 Feb and 2 Mar 2020);
    # 170 / 169 = 1.00592 (Hangzhou, 2 Mar 2020).
    assert format_percent(943 / 1205, "en") == "78.3%"
    assert format_percent(1050 / 1205, "zh") == "87.1%"
    assert format_percent(170 / 169, "en") == "100.6%"
    assert format_percent(float("nan"), "en") == "–"


def test_format_count_has_thousands_separator_and_true_minus():
    assert format_count(12345) == "12,345"
    assert format_count(-7) == "\u22127"
    assert format_count(0) == "0"


def test_unknown_key_and_language_are_errors():
    with pytest.raises(KeyError, match="no_such_label"):
        label("no_such_label", "en")
    with pytest.raises(ValueError, match="fr"):
        label("synthetic", "fr")
    with pytest.raises(KeyError, match="needs a value for source"):
        label("source", "en")


def test_each_topic_names_its_labels_by_its_folder():
    files = labels.label_files()
    assert files[""] == labels.LABELS_FILE and labels.LABELS_FILE.parent.name == "text"
    for namespace, path in files.items():
        if namespace:
            assert path.parent.name == namespace and path.name == "labels.toml"
    keys = labels.load_labels()
    assert "capacity.firms" in keys and "cap_firms" not in keys  # one name per topic, no private prefixes
    assert all(key.count(".") <= 1 for key in keys)


def test_percent_rounds_half_up_like_the_paragraph():
    from epianalysis.text.templates import format_number, load_templates

    # 0.0015 is written as 0.15 %: half-up gives 0.2 % (binary rounding of 0.15 would give 0.1 %)
    assert format_percent(0.0015, "en") == "0.2%"
    for fraction in [0.0015, 0.00025, 943 / 1205, 0.12345]:
        assert format_percent(fraction, "en") == format_number(fraction, "en", load_templates(), 1, 100) + "%"
