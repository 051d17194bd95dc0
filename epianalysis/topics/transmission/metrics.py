"""Time-varying reproduction number Rt by the method of Cori et al. (2013), as in EpiEstim.

Source: A. Cori, N. M. Ferguson, C. Fraser, S. Cauchemez, "A new framework and software to estimate
time-varying reproduction numbers during epidemics", Am J Epidemiol 178(9):1505–1512 (2013); R package
EpiEstim (``estimate_R``, ``discr_si``). Imported cases: Thompson et al., Epidemics 29:100356 (2019).

For a window τ = t−w+1..t the posterior of R is Gamma with

    shape = a + Σ_{s∈τ} I_local(s),        scale = 1 / (1/b + Σ_{s∈τ} Λ(s)),
    Λ(s)  = Σ_{k≥1} (I_local + I_imported)(s−k) · w_k,

where ``a = (prior_mean/prior_sd)²`` and ``b = prior_sd²/prior_mean`` (prior mean 5, sd 5: a = 1,
b = 5) and ``w`` is the serial-interval distribution. Imported cases infect (they enter Λ) but are
not counted as infected locally. Windows are 7 days by default and, as in EpiEstim, the first window
starts on the second day of the series.

Serial interval default: gamma with mean 4.7 days and sd 2.9 days (Nishiura, Linton, Akhmetzhanov,
"Serial interval of novel coronavirus (COVID-19) infections", Int J Infect Dis 93:284–286, 2020),
discretised by EpiEstim's ``discr_si`` (gamma offset by one day).

Suppression: an estimate is reported only when its window holds at least ``min_cases`` local cases
(default 12: with the prior shape a = 1 this keeps the posterior coefficient of variation
1/sqrt(a + Σ I) below 0.3, Cori et al. 2013, web appendix). Suppressed rows keep the posterior
parameters and the case count, with the estimate columns missing and ``suppressed`` True.
Provisional: windows ending in the last ``provisional_days`` days of the series (default 7, one
window) may still change as late reports come in, and are marked ``provisional``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from epianalysis.errors import DataError, Violation

SI_MEAN_NISHIURA_2020 = 4.7
SI_SD_NISHIURA_2020 = 2.9


def gamma_cdf(x: np.ndarray | float, shape: np.ndarray | float, scale: np.ndarray | float = 1.0) -> np.ndarray:
    """Gamma distribution function ``P(shape, x/scale)`` (regularized lower incomplete gamma).

    Series expansion for ``x < shape + 1``, Lentz continued fraction otherwise (Press et al.,
    Numerical Recipes, 3rd ed., §6.2). ``x ≤ 0`` gives 0.
    """
    x, shape, scale = np.broadcast_arrays(np.asarray(x, float), np.asarray(shape, float), np.asarray(scale, float))
    out = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        out[i] = _p_gamma(float(shape[i]), float(x[i]) / float(scale[i]))
    return out


def _p_gamma(a: float, x: float) -> float:
    if not x > 0:
        return 0.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        denom = a
        for _ in range(1000):
            denom += 1
            term *= x / denom
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return min(1.0, total * math.exp(log_front))
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return max(0.0, 1.0 - math.exp(log_front) * h)


def gamma_quantile(q: float, shape: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Quantile ``q`` of Gamma(shape, scale), by bisection on :func:`gamma_cdf` (relative error < 1e-10)."""
    shape = np.asarray(shape, float)
    scale = np.asarray(scale, float)
    out = np.full(np.broadcast(shape, scale).shape, np.nan)
    for i in np.ndindex(out.shape):
        a, s = float(np.broadcast_to(shape, out.shape)[i]), float(np.broadcast_to(scale, out.shape)[i])
        if not (a > 0 and s > 0):
            continue
        lo, hi = 0.0, a + 10 * math.sqrt(a) + 10
        while _p_gamma(a, hi) < q:
            hi *= 2
        for _ in range(200):
            mid = (lo + hi) / 2
            if _p_gamma(a, mid) < q:
                lo = mid
            else:
                hi = mid
            if hi - lo <= 1e-12 * hi:
                break
        out[i] = (lo + hi) / 2 * s
    return out


def discretised_gamma_si(
    mean: float = SI_MEAN_NISHIURA_2020, sd: float = SI_SD_NISHIURA_2020, max_days: int | None = None
) -> np.ndarray:
    """Serial-interval distribution ``w_0..w_K`` discretised as EpiEstim's ``discr_si``.

    Formula (Cori et al. 2013, web appendix 11): with ``a = ((mean−1)/sd)²``, ``b = sd²/(mean−1)``
    and ``F_a`` the Gamma(a, b) distribution function,
    ``w_k = k F_a(k) + (k−2) F_a(k−2) − 2(k−1) F_a(k−1) + a b [2 F_{a+1}(k−1) − F_{a+1}(k−2) − F_{a+1}(k)]``,
    clipped at 0; ``w_0 = 0``. ``max_days`` defaults to the first ``K`` with ``F_a(K) ≥ 0.9999``; the
    weights are then divided by their sum so that they add up to 1.
    """
    if not mean > 1 or not sd > 0:
        raise ValueError(f"serial interval needs mean > 1 and sd > 0 (got mean={mean}, sd={sd})")
    a = ((mean - 1) / sd) ** 2
    b = sd**2 / (mean - 1)
    if max_days is None:
        max_days = 1
        while _p_gamma(a, max_days / b) < 0.9999:
            max_days += 1
    k = np.arange(max_days + 1, dtype=float)

    def F(x, shape):
        return gamma_cdf(np.maximum(x, 0.0), shape, b)

    w = k * F(k, a) + (k - 2) * F(k - 2, a) - 2 * (k - 1) * F(k - 1, a)
    w = w + a * b * (2 * F(k - 1, a + 1) - F(k - 2, a + 1) - F(k, a + 1))
    w = np.maximum(w, 0.0)
    w[0] = 0.0
    return w / w.sum()


def total_infectiousness(infectors: np.ndarray, si: np.ndarray) -> np.ndarray:
    """``Λ(t) = Σ_{k=1..t} infectors(t−k) · w_k`` for every day t (Λ(0) = 0)."""
    infectors = np.asarray(infectors, float)
    n = len(infectors)
    lam = np.zeros(n)
    for k in range(1, min(len(si), n)):
        lam[k:] += infectors[: n - k] * si[k]
    return lam


def _check(series: pd.Series, name: str) -> np.ndarray:
    values = pd.to_numeric(series.astype("Float64"), errors="coerce").astype(float).to_numpy()
    bad = np.isnan(values) | (values < 0)
    if bad.any():
        raise DataError(
            f"cori_rt: daily {name} cases must be known and >= 0 on every day (resolve revisions "
            "and gaps before estimating Rt)",
            [
                Violation(name, int(i) + 1, str(series.index[i]), "non_negative_known_incidence", str(series.iloc[i]))
                for i in np.flatnonzero(bad)
            ],
        )
    return values


def cori_rt(
    local: pd.Series,
    imported: pd.Series | None = None,
    si: np.ndarray | None = None,
    window: int = 7,
    prior_mean: float = 5.0,
    prior_sd: float = 5.0,
    min_cases: int = 12,
    provisional_days: int = 7,
    interval: tuple[float, float] = (0.025, 0.975),
) -> pd.DataFrame:
    """Rt over sliding windows by the Cori method (see the module docstring for formulas and sources).

    Parameters
    ----------
    local, imported : Series
        Daily new local and imported cases indexed by consecutive dates (no gaps, no missing values,
        no negative values: a :class:`DataError` names the offending day otherwise). ``imported``
        defaults to zero.
    si : ndarray, optional
        Serial-interval distribution ``w_0..w_K`` (``w_0`` should be 0); default
        :func:`discretised_gamma_si` (mean 4.7, sd 2.9 days).
    window : int
        Window length in days (default 7).
    prior_mean, prior_sd : float
        Gamma prior of R (default mean 5, sd 5).
    min_cases : int
        Minimum local cases in a window for an estimate to be reported (default 12).
    provisional_days : int
        Windows ending in the last this many days are marked provisional (default 7).
    interval : (float, float)
        Credible interval probabilities (default 2.5 % and 97.5 %).

    Returns
    -------
    DataFrame
        One row per window: ``window_start``, ``date`` (window end), ``cases`` (local cases in the
        window), ``infectiousness`` (Σ Λ), ``shape``, ``scale``, ``mean``, ``sd``, ``lower``, ``upper``,
        ``suppressed``, ``provisional``.
    """
    local_values = _check(local, "local")
    if imported is None:
        imported_values = np.zeros_like(local_values)
    else:
        if not imported.index.equals(local.index):
            raise ValueError("cori_rt: local and imported series must share the same dates")
        imported_values = _check(imported, "imported")
    dates = pd.DatetimeIndex(pd.to_datetime(local.index))
    if len(dates) > 1 and (np.diff(dates.values).astype("timedelta64[D]").astype(int) != 1).any():
        raise ValueError("cori_rt: the series must hold consecutive days (one row per day, no gaps)")
    si = discretised_gamma_si() if si is None else np.asarray(si, float)
    a = (prior_mean / prior_sd) ** 2
    b = prior_sd**2 / prior_mean
    lam = total_infectiousness(local_values + imported_values, si)
    n = len(local_values)
    ends = np.arange(window, n)  # first window starts on day index 1, as in EpiEstim
    csum_i = np.concatenate([[0.0], np.cumsum(local_values)])
    csum_l = np.concatenate([[0.0], np.cumsum(lam)])
    cases = csum_i[ends + 1] - csum_i[ends + 1 - window]
    infect = csum_l[ends + 1] - csum_l[ends + 1 - window]
    shape = a + cases
    scale = 1.0 / (1.0 / b + infect)
    suppressed = (cases < min_cases) | (infect <= 0)
    mean = np.where(suppressed, np.nan, shape * scale)
    sd = np.where(suppressed, np.nan, np.sqrt(shape) * scale)
    lower = gamma_quantile(interval[0], shape, scale)
    upper = gamma_quantile(interval[1], shape, scale)
    return pd.DataFrame(
        {
            "window_start": dates[ends + 1 - window],
            "date": dates[ends],
            "cases": cases,
            "infectiousness": infect,
            "shape": shape,
            "scale": scale,
            "mean": mean,
            "sd": sd,
            "lower": np.where(suppressed, np.nan, lower),
            "upper": np.where(suppressed, np.nan, upper),
            "suppressed": suppressed,
            "provisional": ends >= n - provisional_days,
        }
    )


def local_split_known(cases: pd.DataFrame, region_code: str) -> bool:
    """Whether the region's rows say which cases are local: ``confirmed_local`` given on every row."""
    rows = cases[cases["region_code"].astype(str) == str(region_code)]
    return "confirmed_local" in rows and len(rows) > 0 and bool(rows["confirmed_local"].notna().all())


def rt_for_region(cases: pd.DataFrame, region_code: str, **kwargs) -> pd.DataFrame:
    """Rt of one region of a ``cases`` table (local and imported from the cumulative columns).

    Daily new local cases are the first difference of ``confirmed_local`` (and imported of
    ``confirmed_imported``, zero where not given); the cases present on the region's first date are
    the new cases of that date, the seeds of the renewal equation, as EpiEstim takes the first day of
    its incidence (docs/methods.md#reproduction-number-rt); see :func:`cori_rt` for the keyword arguments.
    When the data do not say which cases are local (:func:`local_split_known` is false), every
    confirmed case is counted as local: the caller must say so beside the estimate. The region's
    rows must cover consecutive days without revisions, else a :class:`DataError`.
    """
    from epianalysis.epidemic import incidence

    local_column = "confirmed_local" if local_split_known(cases, region_code) else "confirmed"
    region = cases[cases["region_code"].astype(str) == str(region_code)]
    rows = incidence(region, [local_column, "confirmed_imported"])
    # the cases present on the first date are that day's new cases: the seeds of the renewal equation
    first = region.sort_values("date").iloc[0] if len(region) else None
    for column in (local_column, "confirmed_imported"):
        if first is not None and column in region:
            rows.loc[rows.index[0], f"new_{column}"] = first[column]
    index = pd.DatetimeIndex(rows["date"])
    local = pd.Series(rows[f"new_{local_column}"].to_numpy(), index=index)
    imported = rows["new_confirmed_imported"]
    # without the split, imported cases are already among the confirmed: none is added as an infector
    known = local_column == "confirmed_local" and not imported.isna().all()
    imported = pd.Series(imported.to_numpy(), index=index) if known else None
    return cori_rt(local, imported, **kwargs)
