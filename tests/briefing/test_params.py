"""Briefing parameters: the press-date / data-date convention (docs/data.md#dates)."""

import datetime as dt

import pytest

from epianalysis.briefing.params import BriefingParams
from epianalysis.paths import sample_dir


def test_default_data_date_is_the_day_before_the_press_date():
    params = BriefingParams.resolve("2020-03-02")
    assert params.as_of == dt.date(2020, 3, 1)
    assert params.data_dir == sample_dir()
    assert params.out_dir is None


def test_explicit_as_of_and_output():
    params = BriefingParams.resolve("2020-02-28", "", "2020-02-27", "zh", "out")
    assert params.as_of == dt.date(2020, 2, 27) and params.lang == "zh"
    assert params.out_dir.name == "out"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"date": "2020-3-2"}, "ISO date"),
        ({"date": "2020-03-02", "as_of": "2020-03-05"}, "after the press date"),
        ({"date": "2020-03-02", "lang": "fr"}, "lang must be one of"),
    ],
)
def test_bad_parameters_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        BriefingParams.resolve(**kwargs)


def test_the_engine_reaches_the_notebook_parameters():
    default = BriefingParams.resolve("2020-03-02").notebook_parameters(sample_dir())
    assert (default["engine"], default["spark_master"]) == ("duckdb", "")
    spark = BriefingParams.resolve("2020-03-02", engine="spark", spark_master="spark://host:7077")
    assert spark.notebook_parameters(sample_dir())["engine"] == "spark"
    assert spark.notebook_parameters(sample_dir())["spark_master"] == "spark://host:7077"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"engine": "pandas"}, "engine must be one of"), ({"spark_master": "local[2]"}, "is for engine 'spark'")],
)
def test_a_bad_engine_is_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        BriefingParams.resolve("2020-03-02", **kwargs)


def test_brief_passes_the_engine_options_on(monkeypatch):
    import epianalysis.briefing.batch as batch
    from epianalysis.cli import main

    class Seen(Exception):
        pass

    def run_batch(base, *args, **kwargs):
        raise Seen(base.engine, base.spark_master)

    monkeypatch.setattr(batch, "run_batch", run_batch)
    with pytest.raises(Seen) as seen:
        main(["brief", "--date", "2020-03-02", "--engine", "spark", "--spark-master", "local[2]"])
    assert seen.value.args == ("spark", "local[2]")
