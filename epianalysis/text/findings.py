"""Chart titles that say the message: the finding of a chart, when its data support one.

A press chart is titled by what it shows ("All 90 counties low-risk", "No new local case for 9
days") and subtitled by its topic and data date; where the data support no finding, the topic is
the title (:func:`headline`). Each rule below reads a summary in the shape of ``summary.json`` (a
chart makes the sections it needs from the data it draws, or its topic's view passes the real
section) and says its finding only where the press paragraph would: the same predicates and
lookups (:mod:`epianalysis.text.fields`), the same formatter for every number
(:mod:`epianalysis.text.format`). A missing value gives no finding, never a guess. The wording is
data: the ``finding_*`` labels of each topic's ``labels.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from epianalysis.text import format as fmt
from epianalysis.text.fields import all_green, lookup
from epianalysis.text.labels import check_language, label


def headline(finding: str | None, neutral: str, subtitle: str | None, lang: str) -> tuple[str, str | None]:
    """The title and subtitle of a chart: the finding as title and the neutral topic before the
    subtitle ("Daily new confirmed cases · Data as of 1 Mar 2020, 24:00"), or, without a finding,
    the topic as title and the subtitle unchanged."""
    check_language(lang)
    if not finding:
        return neutral, subtitle
    return finding, label("separator", lang).join([neutral, subtitle]) if subtitle else neutral


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or fmt.is_missing(value):
        return None
    return float(value)


# ------------------------------------------------------------------------------- recovery, zoning


def zoning_all_green(summary: Mapping[str, Any], lang: str) -> str | None:
    """ "All 90 counties low-risk" when :func:`~epianalysis.text.fields.all_green` holds (every county
    green and the *unknown* count present and 0), as the paragraph's ``zoning_all_green`` sentence."""
    if not all_green(summary):
        return None
    total = sum(lookup(summary, "zoning.counts").values())
    return label("zoning.finding_all_green", lang, total=fmt.count(total, lang))


def no_local_case(summary: Mapping[str, Any], lang: str) -> str | None:
    """ "No new local case for 9 days" when ``recovery.days_since_last_local_case`` > 0 ("No new
    confirmed case" when the flags say the local/imported split is unknown), as the paragraph."""
    days = _number(lookup(summary, "recovery.days_since_last_local_case"))
    if days is None or days <= 0:
        return None
    flags = lookup(summary, "recovery.flags") or []
    key = "recovery.finding_no_case" if "local_split_unknown" in flags else "recovery.finding_no_local_case"
    return label(key, lang, days=fmt.days(days, lang, unit=True))


def discharged_share(summary: Mapping[str, Any], lang: str) -> str | None:
    """ "87.1% of confirmed patients discharged" from ``recovery.discharge_rate`` (a rate above 100 %
    is said as such, as the paragraph does)."""
    rate = _number(lookup(summary, "recovery.discharge_rate"))
    if rate is None:
        return None
    key = "recovery.finding_discharged_above_100" if rate > 1 else "recovery.finding_discharged"
    return label(key, lang, rate=fmt.percent(rate, lang))


# ---------------------------------------------------------------------------------- transmission


def rt_side(summary: Mapping[str, Any], lang: str) -> str | None:
    """ "Rt below 1 since 6 Feb" when the latest estimate's 95 % credible interval lies below 1
    (above 1: "Rt above 1 since ..."), with ``transmission.side_since`` the first window end of the
    unbroken run of estimates on that side; nothing when the interval contains 1 or is missing."""
    latest = lookup(summary, "transmission.latest")
    since = lookup(summary, "transmission.side_since")
    if not isinstance(latest, Mapping) or since is None:
        return None
    lower, upper = _number(latest.get("lower")), _number(latest.get("upper"))
    if lower is None or upper is None:
        return None
    key = "transmission.finding_below" if upper < 1 else "transmission.finding_above" if lower > 1 else None
    return None if key is None else label(key, lang, date=fmt.date(since, lang, "day_month"))


# -------------------------------------------------------------------------------------- capacity


def capacity_recovered(summary: Mapping[str, Any], lang: str, group: str = "above_scale") -> str | None:
    """ "Capacity recovered to 77.4% of normal" from ``capacity.<group>.capacity_recovery_index``."""
    value = _number(lookup(summary, f"capacity.{group}.capacity_recovery_index"))
    if value is None:
        return None
    return label("capacity.finding_recovered", lang, value=fmt.percent_value(value, lang))


def capacity_pace(summary: Mapping[str, Any], lang: str) -> str | None:
    """ "Capacity recovery 16 days behind a normal year" (on par, ahead) from
    ``capacity.days_behind_normal_year``, as the paragraph's ``capacity_days_*`` sentences."""
    days = _number(lookup(summary, "capacity.days_behind_normal_year"))
    if days is None:
        return None
    if days == 0:
        return label("capacity.finding_on_par", lang)
    key = "capacity.finding_behind" if days > 0 else "capacity.finding_ahead"
    return label(key, lang, days=fmt.days(abs(days), lang, unit=True))


def all_resumed(summary: Mapping[str, Any], lang: str, top: str, lower: float, unknown: str = "unknown") -> str | None:
    """ "Resumption of 90% or more in all 90 counties" when every county of ``capacity.resumption_map``
    is in the ``top`` band (from ``lower`` percent) and the ``unknown`` count is present and 0 (the
    rule of :func:`~epianalysis.text.fields.all_green`)."""
    counts = lookup(summary, "capacity.resumption_map")
    if not isinstance(counts, Mapping) or any(_number(n) is None for n in counts.values()):
        return None
    total = sum(int(n) for n in counts.values())
    if total == 0 or counts.get(top) != total or counts.get(unknown) != 0:
        return None
    return label(
        "capacity.finding_all_resumed",
        lang,
        share=fmt.percent_value(lower, lang, decimals=0),
        total=fmt.count(total, lang),
    )


# --------------------------------------------------------------------------------- control index


def ci_extremes(summary: Mapping[str, Any], lang: str) -> str | None:
    """ "Chun'an ranks first (97.97), Yueqing last (84.77)" from ``control_index.best.0`` and
    ``worst.0``, as the paragraph's ``control_index_extremes`` sentence."""
    best, worst = lookup(summary, "control_index.best.0"), lookup(summary, "control_index.worst.0")
    if not isinstance(best, Mapping) or not isinstance(worst, Mapping):
        return None
    if best.get("region_code") == worst.get("region_code"):
        return None
    values = [_number(best.get("combined_index")), _number(worst.get("combined_index"))]
    names = [best.get(f"name_{lang}"), worst.get(f"name_{lang}")]
    if any(v is None for v in values) or any(not n for n in names):
        return None
    return label(
        "control_index.finding_extremes",
        lang,
        best=names[0],
        best_value=fmt.index(values[0], lang),
        worst=names[1],
        worst_value=fmt.index(values[1], lang),
    )


def ci_average(summary: Mapping[str, Any], lang: str) -> str | None:
    """ "Precision control index averages 95.68" from ``control_index.province_simple_mean``."""
    value = _number(lookup(summary, "control_index.province_simple_mean"))
    if value is None:
        return None
    return label("control_index.finding_average", lang, value=fmt.index(value, lang))


# ---------------------------------------------------------------------------------- health codes


def share_green(summary: Mapping[str, Any], lang: str) -> str | None:
    """ "98.7% of health codes green" from ``health_codes.share_green``."""
    share = _number(lookup(summary, "health_codes.share_green"))
    if share is None:
        return None
    return label("health_codes.finding_share_green", lang, share=fmt.percent(share, lang))


def below_peak(summary: Mapping[str, Any], lang: str) -> str | None:
    """ "Yellow and red codes down 44% from the peak of 20 Feb": ``health_codes.yellow`` + ``red`` on
    the data date against ``health_codes.peak`` (``date``, ``yellow_red``), when the peak lies before
    the data date and the fall, as printed, is not 0. A ratio, so it holds for a sample as for the
    province."""
    now = [_number(lookup(summary, f"health_codes.{c}")) for c in ("yellow", "red")]
    peak = _number(lookup(summary, "health_codes.peak.yellow_red"))
    peak_date, data_date = lookup(summary, "health_codes.peak.date"), lookup(summary, "health_codes.data_date")
    if None in now or peak is None or not peak or peak_date is None or data_date is None:
        return None
    if fmt.as_date(peak_date) >= fmt.as_date(data_date):
        return None
    fall = 1 - (now[0] + now[1]) / peak
    if fmt.round_half_up(fall, 0, 100) <= 0:
        return None
    return label(
        "health_codes.finding_below_peak",
        lang,
        share=fmt.percent(fall, lang, decimals=0),
        date=fmt.date(peak_date, lang, "day_month"),
    )
