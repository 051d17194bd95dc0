"""The capacity-recovery briefing: resumption, worker return and capacity recovery on one data date.

Computes nothing new: it calls :mod:`epianalysis.topics.capacity.metrics` (baselines, rates by group),
:mod:`epianalysis.topics.capacity.curves` (the normal lunar-aligned year, days behind, gap to the
75 %-by-29-February target) and :mod:`epianalysis.topics.capacity.resumption_map` (the resumption
five-colour map), and presents the results labelled in the briefing language
(``topics/capacity/labels.toml``), written by :mod:`epianalysis.text.format`, and as a summary
section of unrounded values.

When the register is a sample (``[sampling.enterprises]`` of ``source.toml``, docs/data.md#sampling:
the embedded scenario holds 10 % of the above-scale firms), numbers of firms are shown only as
province-scale estimates (``count / fraction`` per size class), labelled as such, and not at all for a
group with a class of unknown fraction (its rates are shown); the rates are the sample's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from epianalysis.data.sampling import Sampling, sampling_of
from epianalysis.errors import DataError, Violation
from epianalysis.reference.published import press_date_of, published_by, published_figure, reference_text
from epianalysis.reference.regions import load_regions
from epianalysis.text import format as fmt
from epianalysis.text.labels import label, load_labels
from epianalysis.topics.capacity import curves as capacity_curves
from epianalysis.topics.capacity import metrics as capacity
from epianalysis.topics.capacity import resumption_map as capacity_zoning

RATES = ["resumption_rate_pct", "worker_return_pct", "capacity_recovery_index"]
SERIES_START = pd.Timestamp("2020-02-01")
REFERENCE_FILE = Path(__file__).resolve().parent / "reference.toml"
REGISTER = "enterprises"
ESTIMATE_COLUMN = "n_enterprises_estimate"
"""Column of the prefecture and sector tables with the estimated firms (sampled register only)."""
NO_FIRMS = {"n_enterprises": 0, "n_enterprises_sample": 0, "estimated": False, "sampling_fraction": None}


def reference(name: str = "resumption") -> dict:
    """A published figure of ``reference.toml`` (docs/methods.md#published-points): ``resumption``
    (as of 2020-02-25: 99.8 % of 44,370 above-scale firms resumed, 60.1 % of workers back, the 905
    leading firms at 72 %) or ``capacity_recovery_index`` (76.75 at the end of February)."""
    return published_figure(REFERENCE_FILE, name)


def reference_on(press_date: dt.date | str, name: str = "resumption") -> dict | None:
    """:func:`reference` on the briefing of ``press_date`` (``None`` before it was published)."""
    return published_by(REFERENCE_FILE, name, press_date)


@dataclass(frozen=True)
class CapacityBriefing:
    """Capacity recovery as known on one data date.

    Attributes
    ----------
    data_date : datetime.date
    baseline : str
        Baseline used (``topics/capacity/rules.toml``; default mean daily use in December 2019).
    size_groups : DataFrame
        :func:`~epianalysis.topics.capacity.metrics.recovery` by ``size_group`` from 2020-02-01 to the data date.
    prefectures, sectors : DataFrame
        The same by prefecture and by sector (all firms), on the data date.
    counties : DataFrame
        County rows on the data date with the resumption band
        (:func:`~epianalysis.topics.capacity.resumption_map.resumption_zones`).
    curves : DataFrame
        :func:`~epianalysis.topics.capacity.curves.lunar_curves` of the above-scale firms (2020
        values after the data date removed).
    behind : DataFrame
        :func:`~epianalysis.topics.capacity.curves.days_behind` of 2020 against 2019.
    target : dict
        :func:`~epianalysis.topics.capacity.curves.gap_to_target` of the above-scale firms, with the
        published capacity recovery index of the target date once published (``published_reference``).
    zoning : ZoningRules
    firms : dict
        Firms per size group (:func:`firm_counts`): in the register, and their province-scale estimate.
    sampling : Sampling or None
        How the register was sampled (``None``: every firm).
    press_date : datetime.date
        The briefing's press date (by default the day after the data date).
    reference : dict or None
        The published resumption figures as known on the press date (:func:`reference_on`).
    """

    data_date: dt.date
    baseline: str
    size_groups: pd.DataFrame
    prefectures: pd.DataFrame
    sectors: pd.DataFrame
    counties: pd.DataFrame
    curves: pd.DataFrame
    behind: pd.DataFrame
    target: dict
    zoning: capacity_zoning.ZoningRules
    firms: dict | None = None
    sampling: Sampling | None = None
    press_date: dt.date | None = None
    reference: dict | None = None


def firm_counts(
    enterprises: pd.DataFrame, classes: list[str] | tuple[str, ...] | None, sampling: Sampling | None
) -> dict:
    """Firms of the size classes ``classes`` (all when ``None``) in the register, and their estimate.

    ``n_enterprises_sample``: firms in the register; ``n_enterprises``: the province-scale estimate
    ``Σ_class n_class / fraction_class`` when the register is a sample (``None`` when a class with
    firms has an unknown fraction), else the count itself; ``estimated``; ``sampling_fraction``:
    sample / estimate (``None`` when complete or unknown).
    """
    firms = enterprises
    if classes is not None:
        firms = firms[firms["size_class"].astype(str).isin(list(classes))]
    n = int(len(firms))
    if sampling is None:
        return {"n_enterprises": n, "n_enterprises_sample": n, "estimated": False, "sampling_fraction": None}
    if sampling.by is None:
        total = sampling.estimate(n)
    else:  # Σ over the groups of the sampling column (the size classes for the scenario's register)
        total = sampling.estimate_groups(firms[sampling.by].astype(str).value_counts().to_dict())
    fraction = None if total is None or total == 0 else n / total
    return {"n_enterprises": total, "n_enterprises_sample": n, "estimated": True, "sampling_fraction": fraction}


def estimated_firms(enterprises: pd.DataFrame, by: str, sampling: Sampling, regions: pd.DataFrame) -> pd.Series:
    """The province-scale estimate of the firms of each prefecture or sector (NaN where a class of
    unknown fraction has firms): :func:`firm_counts` per group."""
    if by == "prefecture":
        parents = regions.set_index(regions["code"].astype(str))["parent_code"].astype(str)
        keys = enterprises["region_code"].astype(str).map(parents)
    else:
        keys = enterprises[by].astype(str)
    out = {}
    for key, firms in enterprises.groupby(keys.to_numpy(), sort=True):
        value = firm_counts(firms, None, sampling)["n_enterprises"]
        out[str(key)] = float("nan") if value is None else value
    return pd.Series(out, name=ESTIMATE_COLUMN, dtype="float64")


def capacity_briefing(
    enterprises: pd.DataFrame,
    enterprise_daily: pd.DataFrame,
    data_date: dt.date,
    regions: pd.DataFrame | None = None,
    baseline: str = "december_2019",
    rules: capacity.CapacityRules | None = None,
    zoning: capacity_zoning.ZoningRules | None = None,
    press_date: dt.date | str | None = None,
    sampling: Sampling | None = None,
) -> CapacityBriefing:
    """Everything the capacity briefing shows, for ``data_date`` (readings after it are not used).

    ``sampling``: how the register was sampled; default: what the data directory's ``source.toml``
    says (the register read by :meth:`~epianalysis.data.store.DataStore.load` carries it). The
    published figures are those known on ``press_date`` (default: the day after ``data_date``).

    Raises
    ------
    DataError
        No meter reading on ``data_date``.
    """
    rules = rules or capacity.load_capacity_rules()
    zoning = zoning or capacity_zoning.load_zoning_rules()
    regions = regions if regions is not None else load_regions()
    day = pd.Timestamp(data_date)
    daily = enterprise_daily[pd.to_datetime(enterprise_daily["date"]) <= day]
    if not (pd.to_datetime(daily["date"]) == day).any():
        raise DataError(
            f"capacity: no meter reading on {day.date()}",
            [Violation("enterprise_daily", None, "date", "row_on_data_date", day.date().isoformat())],
        )
    # what each reading adds to the rates, computed once and summed by every grouping below
    terms = capacity.recovery_terms(enterprises, capacity.with_baseline(daily, baseline, rules), rules)
    recent = terms[terms["date"] >= SERIES_START]
    on_day = terms[terms["date"] == day]
    groups = capacity.recovery_from_terms(enterprises, recent, by="size_group", rules=rules, regions=regions)
    prefectures = capacity.recovery_from_terms(enterprises, on_day, by="prefecture", rules=rules, regions=regions)
    sectors = capacity.recovery_from_terms(enterprises, on_day, by="sector", rules=rules, regions=regions)
    counties = capacity.recovery_from_terms(enterprises, on_day, by="county", rules=rules, regions=regions)
    # every county is on the map: one without reporting firms is unknown, not left out
    codes = regions.loc[regions["level"] == "county", "code"].astype(str)
    counties = (
        counties.rename(columns={"county": "region_code"})
        .set_index("region_code")
        .reindex(codes)
        .rename_axis("region_code")
        .reset_index()
    )
    counties = capacity_zoning.resumption_zones(counties, zoning)
    group = str(rules.target.get("group", "above_scale"))
    curves = capacity_curves.lunar_curves_from_terms(enterprises, terms, group=group, rules=rules)
    curves["index_2020"] = curves["index_2020"].where(curves["date_2020"] <= day)
    behind = capacity_curves.days_behind(
        curves.set_index("lunar_day")["index_2020"], curves.set_index("lunar_day")["index_2019"]
    )
    target = capacity_curves.gap_to_target(groups[groups["size_group"] == group], rules=rules)
    sampling = sampling if sampling is not None else sampling_of(enterprises, REGISTER)
    if sampling is not None:  # numbers of firms only as estimates (docs/methods.md#estimates-from-a-sample)
        prefectures = prefectures.join(estimated_firms(enterprises, "prefecture", sampling, regions), on="prefecture")
        sectors = sectors.join(estimated_firms(enterprises, "sector", sampling, regions), on="sector")
    classes = dict(rules.size_groups)
    firms = {g: firm_counts(enterprises, classes.get(g), sampling) for g in ("above_scale", "leading", "all")}
    press = press_date_of(day.date(), press_date)
    target["published_reference"] = reference_on(press, "capacity_recovery_index")
    return CapacityBriefing(
        day.date(),
        baseline,
        groups,
        prefectures,
        sectors,
        counties,
        curves,
        behind,
        target,
        zoning,
        firms,
        sampling,
        press,
        reference_on(press),
    )


def _float(value) -> float | None:
    return None if fmt.is_missing(value) else float(value)


def _group_values(view: CapacityBriefing, group: str) -> dict:
    rows = view.size_groups[
        (view.size_groups["size_group"] == group) & (view.size_groups["date"] == pd.Timestamp(view.data_date))
    ]
    firms = (view.firms or {}).get(group) or NO_FIRMS
    if rows.empty:
        return {**firms, **{r: None for r in RATES}}
    row = rows.iloc[0]
    return {**firms, **{r: _float(row[r]) for r in RATES}}


def days_behind_on_data_date(view: CapacityBriefing) -> int | None:
    """Days the 2020 curve was behind the normal year on the data date (None when not comparable)."""
    lunar = capacity_curves.festival_day_of(view.curves, view.data_date)
    rows = view.behind[view.behind["lunar_day"] == lunar]
    if rows.empty or pd.isna(rows["days_behind"].iloc[0]):
        return None
    return int(rows["days_behind"].iloc[0])


def summary(view: CapacityBriefing) -> dict:
    """The ``capacity`` section of ``summary.json`` (rates in percent, unrounded: every output rounds
    when it writes a value, through :mod:`epianalysis.text.format`).

    Per group, ``n_enterprises`` is the province-scale estimate when the register is a sample
    (``estimated``; ``null`` when it cannot be made) and ``n_enterprises_sample`` the firms in the
    data; ``published_reference`` (and ``target.published_reference``) are the published figures once
    published, else ``null``.
    """
    bands = view.counties["band"].value_counts()
    target = {k: (_float(v) if isinstance(v, float) else v) for k, v in view.target.items()}
    return {
        "data_date": view.data_date.isoformat(),
        "baseline": view.baseline,
        "above_scale": _group_values(view, "above_scale"),
        "leading": _group_values(view, "leading"),
        "all": _group_values(view, "all"),
        "target": target,
        "days_behind_normal_year": days_behind_on_data_date(view),
        "resumption_map": {b.band: int(bands.get(b.band, 0)) for b in [*view.zoning.bands, view.zoning.unknown]},
        "published_reference": None if view.reference is None else dict(view.reference),
    }


def headline_table(view: CapacityBriefing, lang: str) -> pd.DataFrame:
    """Headline numbers (above-scale and leading firms, target, days behind) in ``lang``."""
    s = summary(view)
    above, leading = s["above_scale"], s["leading"]
    target = s["target"]
    behind = s["days_behind_normal_year"]
    met = {True: label("capacity.target_met", lang), False: label("capacity.target_not_met", lang), None: "–"}[
        target["met"]
    ]
    firms = fmt.value(above["n_enterprises"], "estimate" if above["estimated"] else "count", lang)
    rows = [
        (label("capacity.above_scale_firms", lang), firms),
        (label("capacity.resumption_above_scale", lang), fmt.percent_value(above["resumption_rate_pct"], lang)),
        (label("capacity.workers_above_scale", lang), fmt.percent_value(above["worker_return_pct"], lang)),
        (label("capacity.index_above_scale", lang), fmt.percent_value(above["capacity_recovery_index"], lang)),
        (label("capacity.index_leading", lang), fmt.percent_value(leading["capacity_recovery_index"], lang)),
        (
            label(
                "capacity.target_row",
                lang,
                date=fmt.date(target["target_date"], lang, "day_month"),
                target=fmt.percent_value(target["target"], lang, decimals=0),
            ),
            f"{fmt.percent_value(target['value'], lang)} ({met})",
        ),
        (label("capacity.days_behind_row", lang), fmt.days(behind, lang)),
    ]
    if above["estimated"]:
        share = fmt.share(above["sampling_fraction"], lang)
        rows.append((label("capacity.estimated_from", lang), label("capacity.sample_value", lang, share=share)))
    rows += _published_rows(view, lang)
    rows.append((label("data_date", lang), view.data_date.isoformat()))
    return pd.DataFrame(rows, columns=[label("indicator", lang), label("value", lang)])


def _published_rows(view: CapacityBriefing, lang: str) -> list[tuple[str, str]]:
    """The published figures known on the press date, each with where and when it was published."""
    rows = []
    ref = view.reference
    if ref is not None:
        value = label(
            "capacity.published_resumption_value",
            lang,
            resumed=fmt.percent_value(ref["resumption_rate_pct"], lang),
            firms=fmt.count(ref["above_scale_firms"], lang),
            workers=fmt.percent_value(ref["worker_return_pct"], lang),
            leading=fmt.percent_value(ref["leading_capacity_recovery_index"], lang),
            n_leading=fmt.count(ref["leading_firms"], lang),
        )
        rows.append((label("capacity.published", lang, source=reference_text(ref, lang)), value))
    index = view.target.get("published_reference")
    if index is not None:
        rows.append(
            (
                label("capacity.published_index", lang, source=reference_text(index, lang)),
                fmt.percent_value(index["value"], lang, decimals=2),
            )
        )
    return rows


def group_table(table: pd.DataFrame, by: str, lang: str, regions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rates by prefecture or sector on the data date, labelled, sorted by capacity.

    Firms are counted as the data hold them; from a sampled register (the table has the column
    :data:`ESTIMATE_COLUMN`) as province-scale estimates, and not at all when no group's can be made
    (a size class of unknown fraction): the rates are shown alone.
    """
    regions = regions if regions is not None else load_regions()
    rows = table.sort_values(["capacity_recovery_index", by], ascending=[False, True])
    if by == "prefecture":
        names = regions.set_index(regions["code"].astype(str))["name_zh" if lang == "zh" else "name_en"]
        first = rows[by].map(names)
        head = label("region", lang)
    else:
        known = load_labels()
        first = rows[by].map(lambda s: label(f"capacity.sector_{s}", lang) if f"capacity.sector_{s}" in known else s)
        head = label("capacity.sector", lang)
    shown = {head: first.to_numpy()}
    if ESTIMATE_COLUMN not in rows.columns:
        shown[label("capacity.firms", lang)] = [fmt.count(n, lang) for n in rows["n_enterprises"]]
    elif rows[ESTIMATE_COLUMN].notna().any():
        shown[label("capacity.firms_estimated", lang)] = [fmt.estimate(n, lang) for n in rows[ESTIMATE_COLUMN]]
    shown[label("capacity.resumption", lang)] = [fmt.percent_value(v, lang) for v in rows["resumption_rate_pct"]]
    shown[label("capacity.workers", lang)] = [fmt.percent_value(v, lang) for v in rows["worker_return_pct"]]
    shown[label("capacity.index", lang)] = [fmt.percent_value(v, lang) for v in rows["capacity_recovery_index"]]
    return pd.DataFrame(shown)


def band_table(view: CapacityBriefing, lang: str) -> pd.DataFrame:
    """Counties per band of the resumption map (bands of ``topics/capacity/resumption_map.toml``)."""
    counts = view.counties["band"].value_counts()
    bands = [*view.zoning.bands, view.zoning.unknown]
    return pd.DataFrame(
        {
            label("capacity.band", lang): [b.label_zh if lang == "zh" else b.label_en for b in bands],
            label("capacity.counties", lang): [fmt.count(int(counts.get(b.band, 0)), lang) for b in bands],
        }
    )
