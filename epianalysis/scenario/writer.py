"""Write the whole scenario into a data directory, atomically.

Everything is generated into a temporary sibling folder (``.<name>.tmp-<pid>``) and renamed into
place at the end (an old folder is moved aside and removed only after the rename), so a failure
midway leaves either the old folder or nothing, never a half-written one. The last file written is
the empty marker ``.complete``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from epianalysis import SYNTHETIC_LABEL
from epianalysis.engine.aggregate import capacity_by_county
from epianalysis.engine.health_codes import aggregate_health_codes
from epianalysis.progress import progress_bar
from epianalysis.reference.regions import load_regions
from epianalysis.scenario import cases as C
from epianalysis.scenario import daily as R
from epianalysis.scenario import enterprises as E
from epianalysis.scenario import figures as F
from epianalysis.scenario import health_codes as H
from epianalysis.scenario import indicators as I
from epianalysis.scenario import partitioned as P

SOURCE_NAME = "epianalysis embedded scenario"
SOURCE_NAME_ZH = "epianalysis内置情景"
DESCRIPTION = (
    f"Embedded {SYNTHETIC_LABEL} (synthetic, not real data) of Zhejiang, 2020-01-17 .. "
    "2020-04-30, calibrated to official province and city figures"
)
PARQUET_OPTIONS = dict(compression="zstd", compression_level=3, store_schema=False)
STEPS = [
    "cases",
    "health_code_log",
    "health_codes",
    "enterprises",
    "enterprise_daily",
    "control",
    "flow",
    "source.toml",
]
# From this scale on the logs are written as partitioned Parquet folders (see .partitioned); below
# it as single files (the embedded scenario's layout, read by the store, validation and briefings).
PARTITION_SCALE = 0.1


def _csv(df: pd.DataFrame, path: Path) -> None:
    out = df.copy()
    if "date" in out:
        out["date"] = pd.to_datetime(out["date"]).dt.strftime("%Y-%m-%d")
    out.to_csv(path, index=False, lineterminator="\n", float_format="%.6g")


def _parquet(df: pd.DataFrame, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df, preserve_index=False)
    table = table.replace_schema_metadata(None)
    pq.write_table(table, path, row_group_size=256_000, **PARQUET_OPTIONS)


def _toml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def sampling_tables(scale: float) -> dict[str, dict]:
    """The ``[sampling.<table>]`` tables of ``source.toml`` (docs/data.md#sampling): which tables of
    the scenario are samples, with their fractions.

    The health-code log (and the ``health_codes`` table aggregated from it) holds ``round(population
    × scale)`` residents of every county: fraction ``scale``. The enterprise register holds
    :func:`epianalysis.scenario.enterprises.sample_sizes` firms per size class; the fraction of a
    class is its sample size over the province's firms of that class (published: 44,370 above-scale
    industrial firms, 905 of them leading). The province's number of small firms is not in our
    sources, so their fraction is not given (unknown: no estimate is made for them).
    """
    sizes = E.sample_sizes()
    leading = sizes["leading"] / F.LEADING_FIRMS
    above = sizes["above_scale"] / (F.ABOVE_SCALE_FIRMS - F.LEADING_FIRMS)
    residents = f"round(population x {float(scale)!r}) residents of every county"
    return {
        "health_code_log": {"fraction": float(scale), "note": f"{residents}, one row per person and day"},
        "health_codes": {"fraction": float(scale), "note": f"aggregated from health_code_log ({residents})"},
        "enterprises": {
            "by": "size_class",
            "fractions": {"leading": leading, "above_scale": above},
            "note": (
                f"{sizes['leading']} of the {F.LEADING_FIRMS:,} leading and {sizes['above_scale']} of the other "
                f"{F.ABOVE_SCALE_FIRMS - F.LEADING_FIRMS:,} above-scale industrial firms (published 2020-02-25), "
                f"and {sizes['small']} small firms of an unknown number (fraction not given)"
            ),
        },
    }


def source_toml(seed: int, scale: float) -> str:
    """Text of ``source.toml`` for a generated scenario."""
    missing = "; ".join(f"{t}.{col} of {code} from {a} to {b}" for t, code, col, a, b in I.MISSING)
    notes = [
        "Province and city totals equal the real daily figures (official bulletins first, then the daily "
        "series of JHU CSSE, canghailan and China CDC; interpolation only where no source has the day); "
        "province_days gives the source of every province-day, epianalysis/scenario/daily_*.csv every value.",
        "衢州 (柯城区 330802) confirmed falls by 7 on 2020-02-20 and 杭州 (西湖区 330106) by 10 on 2020-02-09, "
        "as in the real figures; 西湖区's discharges keep counting its 10 cases reassigned to other provinces.",
        f"cases_unplaced holds {F.PRISON_NAME_ZH} (not in any county); the province row = counties "
        "+ cases_unplaced; prefecture rows = sums of their counties.",
        "Counties, the county of each imported case and of the local cases after February are ours; "
        "imported cases without a city in the real figures (from 2020-03-20) are placed in 7 counties.",
        f"Deliberately missing indicator values: {missing}.",
        "control.green_code_share is missing before health codes were issued in a county.",
    ]
    days = ",\n".join(
        f"    {{ date = {d['date'].isoformat()}, confirmed = {_toml_str(d['confirmed'])}, "
        f"discharged = {_toml_str(d['discharged'])}, deaths = {_toml_str(d['deaths'])} }}"
        for d in R.provenance()
    )
    lines = [
        f"source = {_toml_str(SOURCE_NAME)}",
        f"source_zh = {_toml_str(SOURCE_NAME_ZH)}",
        f"description = {_toml_str(DESCRIPTION)}",
        "synthetic = true",
        f"seed = {int(seed)}",
        f"scale = {float(scale)!r}",
        f"date_convention = {_toml_str('as of D 24:00')}",
        "date_shift_days = 0",
        f"citation = {_toml_str(F.citation_text())}",
        "notes = [",
        *(f"    {_toml_str(n)}," for n in notes),
        "]",
        "province_days = [",
        days,
        "]",
    ]
    for table, entry in sampling_tables(scale).items():
        lines += ["", f"[sampling.{table}]"]
        for key, value in entry.items():
            if isinstance(value, dict):
                inner = ", ".join(f"{k} = {v!r}" for k, v in value.items())
                lines.append(f"{key} = {{ {inner} }}")
            elif isinstance(value, str):
                lines.append(f"{key} = {_toml_str(value)}")
            else:
                lines.append(f"{key} = {value!r}")
    return "\n".join(lines) + "\n"


def write_scenario(
    folder: Path, seed: int, scale: float, progress: bool, partitioned: bool = False, log_dates: tuple | None = None
) -> None:
    """Generate every table into ``folder`` (which must exist and be empty).

    ``partitioned`` writes ``health_code_log/`` and ``enterprise_daily/`` as ``date=``-partitioned
    folders (:mod:`.partitioned`, bounded memory), ``log_dates`` (first, last) limits the log's days.
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    if log_dates is not None and not partitioned:
        raise ValueError("a window of log dates needs the partitioned layout (--partitioned)")
    rng = np.random.default_rng(seed)
    streams = rng.spawn(6)
    regions = load_regions()
    counties = regions[regions["level"] == "county"].sort_values("code").reset_index(drop=True)
    bar = progress_bar(len(STEPS) + 104, "scenario", disable=not progress)
    try:
        cases, unplaced = C.build_cases(regions, streams[0])
        _csv(cases, folder / "cases.csv")
        _csv(unplaced, folder / "cases_unplaced.csv")
        bar.update()
        county_cases = cases[cases["region_code"].isin(counties["code"])]
        at = county_cases[county_cases["date"] == pd.Timestamp("2020-02-17")].set_index("region_code")
        per100k = at["confirmed_local"].astype(float) / counties.set_index("code")["population"] * 1e5
        if partitioned:
            log = folder / "health_code_log"
            P.write_log_partitioned(log, counties, per100k, scale, streams[1], log_dates, tick=bar.update)
        else:
            log = folder / "health_code_log.parquet"
            H.write_log(log, counties, per100k, scale, streams[1], tick=bar.update)
        bar.update()
        hc = aggregate_health_codes(log)
        _csv(hc, folder / "health_codes.csv")
        bar.update()
        ent = E.build_enterprises(counties, streams[2])
        _csv(ent, folder / "enterprises.csv")
        bar.update()
        if partitioned:
            P.write_daily_partitioned(folder / "enterprise_daily", E.build_daily(ent, streams[3]))
        else:
            _parquet(E.build_daily(ent, streams[3]), folder / "enterprise_daily.parquet")
        bar.update()
        _csv(I.build_control(cases, hc, counties, streams[4]), folder / "control.csv")
        bar.update()
        daily = folder / ("enterprise_daily" if partitioned else "enterprise_daily.parquet")
        firms = capacity_by_county(ent, daily)  # the firms' own resumption and return of workers
        _csv(I.build_flow(counties, per100k, firms, streams[5]), folder / "flow.csv")
        bar.update()
        (folder / "source.toml").write_text(source_toml(seed, scale), encoding="utf-8")
        bar.update()
    finally:
        bar.close()


def generate(
    out: Path,
    seed: int = 20200117,
    scale: float = 0.01,
    progress: bool = True,
    partitioned: bool | None = None,
    log_dates: tuple | None = None,
) -> Path:
    """Generate the embedded synthetic scenario into ``out`` atomically and return ``out``.

    Parameters
    ----------
    out : Path
        Target data directory (replaced if it exists).
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives byte-identical files.
    scale : float
        Sample share of residents in the health-code log (``round(population * scale)`` per county).
    progress : bool
        Show a tqdm progress bar on stderr.
    partitioned : bool, optional
        Write the logs as ``date=``-partitioned folders; default: from ``PARTITION_SCALE`` (0.1) on.
    log_dates : (datetime.date, datetime.date), optional
        First and last day of the health-code log (partitioned layout only; default all days).
    """
    if partitioned is None:
        partitioned = scale >= PARTITION_SCALE
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        write_scenario(tmp, seed, scale, progress, partitioned, log_dates)
        (tmp / ".complete").write_bytes(b"")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    return out
