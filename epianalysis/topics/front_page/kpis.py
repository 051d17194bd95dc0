"""The KPI cards of the front page: eight headline numbers on the data date and the day before, with
their change.

KPI changes are computed from the data, not from two summary files: each KPI is evaluated on the
data date ``as_of`` and on ``as_of − 1`` from the same tables (the data as known on ``as_of``, so a
revision of yesterday's count is already in yesterday's value). Change = value(as_of) − value(as_of − 1);
for a rate (a fraction) it is given in percentage points, 100 × (r(as_of) − r(as_of − 1)). Values and
changes are written by :mod:`epianalysis.text.format` (a KPI's ``kind`` is a kind of number there),
so a card reads like the tables, charts and paragraph. Texts: ``topics/front_page/labels.toml``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from epianalysis.text import format as fmt
from epianalysis.text.labels import label
from epianalysis.topics.recovery.metrics import Headline, headline_pair  # noqa: F401 (the pair the KPIs compare)

CAPACITY_GROUP = "above_scale"


@dataclass(frozen=True)
class KpiSpec:
    """One KPI card: its ``key`` (label key ``front_page.kpi_<key>``), ``kind`` (a kind of number of
    :data:`epianalysis.text.format.KINDS`: ``count``, ``rate`` (a fraction), ``percent`` (already in %),
    ``index``, ``days``) and ``better`` (``up``/``down``: which direction of change is good news)."""

    key: str
    kind: str
    better: str


KPI_SPECS: tuple[KpiSpec, ...] = (
    KpiSpec("confirmed", "count", "down"),
    KpiSpec("discharged", "count", "up"),
    KpiSpec("discharge_rate", "rate", "up"),
    KpiSpec("active", "count", "down"),
    KpiSpec("deaths", "count", "down"),
    KpiSpec("days_since_last_local_case", "days", "up"),
    KpiSpec("control_index", "index", "up"),
    KpiSpec("capacity_recovery", "percent", "up"),
)
"""The eight KPIs of the front page, in card order."""


@dataclass(frozen=True)
class Kpi:
    """A KPI on the data date and the day before; ``change`` is ``value − previous`` (``None`` when
    either is missing; in percentage points for ``rate``)."""

    key: str
    kind: str
    better: str
    value: float | None
    previous: float | None
    flags: tuple[str, ...] = ()

    @property
    def label_key(self) -> str:
        """The label of the KPI: ``front_page.kpi_<key>``, with ``_split_unknown`` for a count of local
        cases when the data do not say which cases are local ("new case" instead of "new local case")."""
        suffix = "_split_unknown" if "local_split_unknown" in self.flags else ""
        return f"front_page.kpi_{self.key}{suffix}"

    @property
    def change(self) -> float | None:
        return kpi_change(self.value, self.previous, self.kind)

    @property
    def tone(self) -> str:
        """``good``, ``bad`` or ``neutral`` (no change as printed, or unknown)."""
        shown = fmt.shown_change(self.change, self.kind)
        if shown is None or shown == 0:
            return "neutral"
        return "good" if (shown > 0) == (self.better == "up") else "bad"


def _float(value: Any) -> float | None:
    return None if fmt.is_missing(value) else float(value)


def kpi_change(value: float | None, previous: float | None, kind: str) -> float | None:
    """``value − previous``; for ``kind="rate"`` (fractions) in percentage points: 100 × (value − previous).

    ``None`` when either value is missing (nothing is assumed for a missing day). The difference is
    taken on the decimal values (0.0125 − 0 is 1.25 points, not its binary neighbour).

    Examples
    --------
    >>> kpi_change(1205, 1169, "count")
    36.0
    >>> kpi_change(0.8714, 0.8600, "rate")  # (0.8714 - 0.8600) * 100
    1.14
    """
    value, previous = _float(value), _float(previous)
    if value is None or previous is None:
        return None
    diff = fmt.to_decimal(value) - fmt.to_decimal(previous)
    return float(diff * 100 if kind == "rate" else diff)


# ------------------------------------------------------------------------------------ KPI values


def _on(frame: pd.DataFrame, day: pd.Timestamp, column: str, where: Mapping[str, str] | None = None) -> float | None:
    rows = frame[pd.to_datetime(frame["date"]) == day]
    for key, wanted in (where or {}).items():
        rows = rows[rows[key] == wanted]
    return None if rows.empty else _float(rows[column].iloc[0])


def kpis(
    today: Headline,
    before: Headline | None,
    province_index: pd.DataFrame | None,
    size_groups: pd.DataFrame | None,
    as_of: dt.date,
    group: str = CAPACITY_GROUP,
) -> list[Kpi]:
    """The eight KPIs of :data:`KPI_SPECS` on ``as_of`` and ``as_of − 1``; the control-index KPI is left
    out when ``province_index`` is ``None``, the capacity KPI when ``size_groups`` is (their topic does
    not apply, docs/topics.md#the-registry: no card, no zero).

    Parameters
    ----------
    today, before : Headline
        :func:`epianalysis.topics.recovery.metrics.headline` on ``as_of`` and ``as_of − 1`` (``before`` may be None).
    province_index : DataFrame
        :func:`epianalysis.topics.control_index.metrics.province_average` (``date``, ``simple_mean``); the
        control-index KPI is the simple mean over counties.
    size_groups : DataFrame
        :func:`epianalysis.topics.capacity.metrics.recovery` by ``size_group``; the capacity KPI is the
        ``capacity_recovery_index`` (Σ use / Σ baseline × 100, docs/methods.md#the-three-rates) of ``group``.
    """
    day = pd.Timestamp(as_of)
    yesterday = day - pd.Timedelta(days=1)
    now, prev = today.to_dict(), (before.to_dict() if before is not None else {})
    values = {spec.key: (now.get(spec.key), prev.get(spec.key)) for spec in KPI_SPECS[:6]}
    if province_index is not None:
        values["control_index"] = (
            _on(province_index, day, "simple_mean"),
            _on(province_index, yesterday, "simple_mean"),
        )
    if size_groups is not None:
        values["capacity_recovery"] = (
            _on(size_groups, day, "capacity_recovery_index", {"size_group": group}),
            _on(size_groups, yesterday, "capacity_recovery_index", {"size_group": group}),
        )
    split = ("local_split_unknown",) if "local_split_unknown" in today.flags else ()
    return [
        Kpi(
            s.key,
            s.kind,
            s.better,
            _float(values[s.key][0]),
            _float(values[s.key][1]),
            split if s.key == "days_since_last_local_case" else (),
        )
        for s in KPI_SPECS
        if s.key in values
    ]


# ------------------------------------------------------------------------------- cards, tables


def cards(items: list[Kpi], lang: str, target: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The KPI cards as :func:`epianalysis.topics.front_page.charts.kpi_cards` draws them: ``key``, ``label``,
    ``value_text``, ``change_text``, ``tone``, ``detail`` (the capacity card names the target) and
    ``value`` (unrounded, for the chart's title)."""
    rows = []
    for item in items:
        detail = ""
        if item.key == "capacity_recovery" and target and target.get("target") is not None:
            detail = label(
                "front_page.kpi_target_detail",
                lang,
                target=fmt.percent_value(target["target"], lang, decimals=0),
                date=fmt.date(target["target_date"], lang, "day_month"),
            )
        rows.append(
            {
                "key": item.key,
                "label": label(item.label_key, lang),
                "value_text": fmt.value(item.value, item.kind, lang),
                "change_text": fmt.change(item.change, item.kind, lang),
                "tone": item.tone,
                "detail": detail,
                "value": item.value,
            }
        )
    return pd.DataFrame(rows, columns=["key", "label", "value_text", "change_text", "tone", "detail", "value"])


def kpi_table(items: list[Kpi], lang: str) -> pd.DataFrame:
    """The KPIs as a table in ``lang``: indicator, value, the day before, change."""
    return pd.DataFrame(
        {
            label("indicator", lang): [label(k.label_key, lang) for k in items],
            label("value", lang): [fmt.value(k.value, k.kind, lang) for k in items],
            label("front_page.kpi_previous", lang): [fmt.value(k.previous, k.kind, lang) for k in items],
            label("front_page.kpi_change", lang): [fmt.change(k.change, k.kind, lang) for k in items],
        }
    )


def kpi_summary(items: list[Kpi]) -> dict[str, dict[str, float | None]]:
    """``{key: {value, previous, change}}``: plain, unrounded JSON values (rates as fractions, changes
    of rates in percentage points)."""
    return {k.key: {"value": k.value, "previous": k.previous, "change": k.change} for k in items}
