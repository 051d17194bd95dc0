"""Published figures read from a topic's reference.toml (epianalysis.reference.published)."""

from __future__ import annotations

import pytest

from epianalysis.errors import DataError
from epianalysis.reference.published import published_figure


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
