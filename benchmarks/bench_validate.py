"""Benchmark: `validate` of a large health-code log with 10 % bad rows, against the same log clean.

Target (issue 12): validating a file of about 200 MB whose rows are 10 % bad takes at most twice the
time of validating the clean file, and prints at most the first rows per rule, then a count.

Method: two Parquet files of the ``health_code_log`` contract are generated once (deterministic, fixed
seed, written in row groups so that memory stays small) into a folder under the system temp directory
and reused: a clean one, and the same rows with every tenth row broken (half of them a colour outside
green/yellow/red, half a repeat of the person-day before it). Each file sits alone in a data folder;
:func:`epianalysis.data.validate.validate_directory` runs on each in turn, ``--repeat`` times, in this
one process, and the median wall times and their ratio are printed with the number of violations
listed. The rows are random (person, county, day), so the file compresses about as a real log would.

Run: ``.venv/bin/python benchmarks/bench_validate.py [--rows 50000000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

SEED = 20200301
TARGET_RATIO = 2.0
CHUNK = 2_000_000


def _write(path: Path, rows: int, bad: bool) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from epianalysis.reference.regions import load_regions

    rng = np.random.default_rng(SEED)
    regions = load_regions()
    counties = np.array(sorted(regions.loc[regions["level"] == "county", "code"].astype(str)))
    colours = np.array(["green", "yellow", "red"])
    reasons = np.array(["contact", "arrival", "symptoms", "checkin", "released"])
    first = np.datetime64("2020-02-11")
    days = 80
    schema = pa.schema(
        [
            ("person_id", pa.int64()),
            ("region_code", pa.string()),
            ("date", pa.date32()),
            ("colour", pa.string()),
            ("reason", pa.string()),
        ]
    )
    tmp = path.with_suffix(".tmp")
    with pq.ParquetWriter(tmp, schema) as writer:
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            index = np.arange(start, start + n)
            person = index // days
            day = first + (index % days).astype("timedelta64[D]")
            colour = colours[rng.choice(3, n, p=[0.95, 0.03, 0.02])]
            if bad:
                broken = index % 10 == 9
                colour = np.where(broken & (index % 20 == 9), "blue", colour)
                repeat = broken & (index % 20 == 19)
                day = np.where(repeat, day - np.timedelta64(1, "D"), day)  # the person-day before, again
            table = pa.table(
                {
                    "person_id": person.astype("int64"),
                    "region_code": counties[(index // days * 40503) % len(counties)],
                    "date": day.astype("datetime64[D]"),
                    "colour": colour,
                    "reason": reasons[rng.integers(0, 5, n)],
                },
                schema=schema,
            )
            writer.write_table(table.take(rng.permutation(n)))  # rows in no key order, as a log arrives
    tmp.rename(path)


def data_folder(rows: int, bad: bool) -> Path:
    """A data folder holding the generated log (made once, then reused)."""
    folder = Path(tempfile.gettempdir()) / f"epianalysis-bench-validate-{rows}-{'bad' if bad else 'clean'}"
    path = folder / "health_code_log.parquet"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        _write(path, rows, bad)
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000_000, help="rows of each log (default 50 M, about 200 MB)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from epianalysis.data.validate import validate_directory

    results = {}
    for kind in ("clean", "bad"):
        folder = data_folder(args.rows, kind == "bad")
        size = (folder / "health_code_log.parquet").stat().st_size / 1e6
        times, found = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            found = validate_directory(folder)
            times.append(time.perf_counter() - started)
        results[kind] = statistics.median(times)
        print(
            f"{kind:5}: {size:7.1f} MB, {args.rows:,} rows, median {results[kind]:6.2f} s, "
            f"{len(found)} violations listed"
        )
    ratio = results["bad"] / results["clean"]
    print(f"bad / clean: {ratio:.2f}x (target at most {TARGET_RATIO:.0f}x)")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
