"""Rule sets side by side, as the exploration notebook ``notebooks/explore/rule_sets.ipynb`` shows them.

Maps of each rule set's levels on the same data (its own palette), a continuous map of new cases per
100 k in the past 7 days, and the backtest comparison (:func:`epianalysis.rulesets.compare`) labelled
and read out in the briefing language. Levels and backtests are computed by :mod:`epianalysis.rulesets`;
this module only picks the period and presents. Texts: ``explore/labels.toml``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure

from epianalysis.charts.maps import choropleth
from epianalysis.charts.style import data_date_subtitle
from epianalysis.rulesets import available_rulesets, compare, load_ruleset
from epianalysis.rulesets.indicators import indicator_grids
from epianalysis.text import format as fmt
from epianalysis.text.labels import label
from epianalysis.topics.zoning.view import map_levels, map_subtitle, map_title, map_values, zoning_for_briefing

HORIZON_DAYS = 14
"""Days after an evaluation over which its outcome (new local cases) is counted."""


def _known(cases: pd.DataFrame, as_of: dt.date | str) -> pd.DataFrame:
    return cases[pd.to_datetime(cases["date"]) <= pd.Timestamp(as_of)]


def rulesets_table(lang: str, names: Sequence[str] | None = None) -> pd.DataFrame:
    """The shipped rule sets (or ``names``): name and title in ``lang``."""
    names = list(names) if names is not None else available_rulesets()
    rows = []
    for name in names:
        rs = load_ruleset(name)
        rows.append((rs.name, rs.title_zh if lang == "zh" else rs.title_en))
    return pd.DataFrame(rows, columns=[label("explore.ruleset_name", lang), label("explore.ruleset_title", lang)])


def incidence_values(cases: pd.DataFrame, as_of: dt.date | str) -> pd.DataFrame:
    """``region_code`` and ``value`` = new cases per 100 k in the 7 days to ``as_of`` per county.

    Formula: ``(confirmed(D) − confirmed(D−7)) / population × 100000`` with D = ``as_of``
    (:data:`epianalysis.rulesets.indicators.INDICATORS`); missing where either day is unknown.
    Unrounded (the map's colours are the values themselves).
    """
    grid = indicator_grids(_known(cases, as_of), end=as_of)["new_cases_7d_sum_per_100k"]
    row = grid.loc[pd.Timestamp(as_of)]
    return pd.DataFrame({"region_code": row.index.astype(str), "value": row.to_numpy(dtype=float)})


def incidence_map(
    cases: pd.DataFrame,
    as_of: dt.date | str,
    lang: str = "en",
    source: str | None = None,
    synthetic: bool = False,
    **_chart: object,
) -> Figure:
    """Continuous county map of :func:`incidence_values` (colour scale from 0), unknown in grey."""
    return choropleth(
        incidence_values(cases, as_of),
        None,
        lang,
        title=label("explore.incidence_map_title", lang),
        subtitle=data_date_subtitle(as_of, lang),
        source=source,
        synthetic=synthetic,
        value_column="value",
        vmin=0.0,
        value_label=label("explore.incidence_map_label", lang),
    )


def ruleset_map(
    cases: pd.DataFrame,
    ruleset: str,
    as_of: dt.date | str,
    lang: str = "en",
    source: str | None = None,
    synthetic: bool = False,
    **_chart: object,
) -> Figure:
    """The county map of ``ruleset`` in its own palette: its evaluation in force on ``as_of``."""
    zoning = zoning_for_briefing(cases, as_of, ruleset)
    return choropleth(
        map_values(zoning),
        map_levels(zoning.ruleset),
        lang,
        title=map_title(zoning, lang),
        subtitle=map_subtitle(zoning, lang),
        source=source,
        synthetic=synthetic,
    )


def comparison(
    cases: pd.DataFrame, as_of: dt.date | str, rulesets: Sequence[str] | None = None, horizon: int = HORIZON_DAYS
) -> pd.DataFrame:
    """Backtests of ``rulesets`` (default: all shipped) on every evaluation whose outcome is known on ``as_of``.

    Period: from the first data date to ``as_of − horizon`` days, using only data up to ``as_of``
    (:func:`epianalysis.rulesets.compare`; its columns, one row per rule set and level).

    Raises
    ------
    ValueError
        ``as_of`` leaves no day whose outcome is known.
    """
    known = _known(cases, as_of)
    start = pd.to_datetime(known["date"]).min()
    end = pd.Timestamp(as_of) - pd.Timedelta(days=horizon)
    if pd.isna(start) or end < start:
        raise ValueError(f"no evaluation with a known {horizon}-day outcome on {pd.Timestamp(as_of).date()}")
    names = list(rulesets) if rulesets is not None else available_rulesets()
    return compare(known, names, start, end, horizon=horizon)


def comparison_table(table: pd.DataFrame, lang: str, horizon: int = HORIZON_DAYS) -> pd.DataFrame:
    """The :func:`comparison` table for display in ``lang``: numbers rounded, labels translated."""
    return pd.DataFrame(
        {
            label("explore.ruleset_name", lang): table["ruleset"].to_numpy(dtype=object),
            label("zoning.level", lang): table[f"label_{lang}"].to_numpy(dtype=object),
            label("explore.backtest_n", lang): [fmt.count(n, lang) for n in table["n"]],
            label("explore.backtest_n_outcome", lang): [fmt.count(n, lang) for n in table["n_outcome"]],
            label("explore.backtest_mean", lang, horizon=horizon): [
                fmt.per_100k(v, lang) for v in table["mean_per_100k"]
            ],
            label("explore.backtest_share", lang, horizon=horizon): [
                fmt.percent(v, lang) for v in table["share_any_case"]
            ],
            label("explore.backtest_order", lang): table["order_holds"]
            .map(lambda v: label("explore.yes" if v else "explore.no", lang))
            .to_numpy(dtype=object),
        }
    )


def comparison_reading(table: pd.DataFrame, lang: str, horizon: int = HORIZON_DAYS) -> str:
    """One sentence per rule set on what its backtest means (order of levels, highest vs lowest level).

    The highest and lowest levels compared are those with at least one county-day of known outcome
    (*unknown* excluded).
    """
    lines = []
    for name, part in table.groupby("ruleset", sort=False):
        ranked = part[(part["level"] != "unknown") & (part["n_outcome"] > 0)]
        if ranked.empty:
            lines.append(label("explore.backtest_reading_empty", lang, ruleset=name))
            continue
        top, bottom = ranked.iloc[-1], ranked.iloc[0]
        key = (
            "explore.backtest_reading_holds" if bool(part["order_holds"].iloc[0]) else "explore.backtest_reading_fails"
        )
        if len(ranked) == 1:
            key = "explore.backtest_reading_single"
        lines.append(
            label(
                key,
                lang,
                ruleset=name,
                horizon=horizon,
                top=top[f"label_{lang}"],
                bottom=bottom[f"label_{lang}"],
                top_mean=fmt.per_100k(top["mean_per_100k"], lang),
                bottom_mean=fmt.per_100k(bottom["mean_per_100k"], lang),
                top_share=fmt.percent(top["share_any_case"], lang),
                bottom_share=fmt.percent(bottom["share_any_case"], lang),
            )
        )
    return "\n".join(lines)
