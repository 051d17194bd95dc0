"""The outlook backtest as the exploration notebook shows it: the published maps read, tables labelled."""

import pandas as pd
from support import county_series

from epianalysis.explore import outlook_backtest as X


def test_published_levels_are_read_from_the_real_file(real_data_dir):
    levels = X.published_levels(real_data_dir)
    assert levels["date"].dt.strftime("%Y-%m-%d").value_counts().to_dict() == {
        "2020-02-27": 90,
        "2020-02-12": 14,
        "2020-02-24": 8,
    }
    on_27 = levels[levels["date"] == "2020-02-27"].set_index("region_code")["level"]
    assert sorted(on_27[on_27 == "blue"].index) == ["330122", "330203"]  # 桐庐, 海曙


def test_published_table_and_reading_in_both_languages(real_data_dir):
    table = X.published(real_data_dir)
    en = X.published_table(table, "en")
    assert en["Counties on both maps"].tolist() == ["3", "14", "8"]
    assert en["Due but not at the lowest level"].tolist() == ["3", "1", "0"]
    cases = pd.concat(
        [
            county_series("330782", "2020-02-01", [0] * 3 + [10] * 22),
            county_series("330783", "2020-02-01", [0] * 3 + [10] * 6 + [11] * 16),
        ]
    )
    results = X.scenario_backtests(cases, "2020-02-25", "2020-02-05", rulesets=["national-2020"])
    totals = X.totals_table(results, "zh")
    assert totals.columns.tolist()[:3] == ["规则集", "预测（如无新增）", "预测数"]
    text = X.reading(results, table, "en").splitlines()
    assert text[0].startswith("national-2020: of ")
    assert "in 12 comparisons" in text[1] and "it was there in 8 and not in 4" in text[1]
    assert "not evidence" in text[-1]
