"""Query results kept on disk (epianalysis.engine.kept): a hit runs no query and equals the miss, and any
change of log content, parameter, engine or code gives another key."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from support import HAND_A, HAND_B, HAND_COUNT_COLUMNS, HAND_COUNTS, HAND_LOG, damage_kept, write_log

from epianalysis.data import cache
from epianalysis.engine import get_engine, health_code_counts, kept
from epianalysis.engine import sql as S
from epianalysis.engine.backends import DuckDBEngine
from epianalysis.engine.days_to_green import episode_counts

A, B = HAND_A, HAND_B
COUNTS, ROWS, EXPECTED = HAND_COUNT_COLUMNS, HAND_LOG, HAND_COUNTS


class Counting:
    """A DuckDB engine that records every query it runs, under the name it is given."""

    def __init__(self, name: str = "duckdb") -> None:
        self.name = name
        self.inner = DuckDBEngine()
        self.queries: list[str] = []

    def register_parquet(self, name: str, path) -> None:
        self.inner.register_parquet(name, path)

    def register_frame(self, name: str, frame: pd.DataFrame) -> None:
        self.inner.register_frame(name, frame)

    def query(self, sql: str) -> pd.DataFrame:
        self.queries.append(sql)
        return self.inner.query(sql)

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def cached(tmp_path, monkeypatch) -> Path:
    """An empty cache folder of this test, the cache on."""
    monkeypatch.setenv("EPIANALYSIS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    return tmp_path / "cache" / kept.AGGREGATES_DIR


def _by_day(counts: pd.DataFrame) -> dict[tuple[str, str], list[int]]:
    return {
        (row.date.date().isoformat(), row.region_code): [int(getattr(row, c)) for c in COUNTS]
        for row in counts.itertuples(index=False)
    }


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True, check_dtype=True, check_index_type=True)
    assert list(a.columns) == list(b.columns) and a.attrs == b.attrs


def _without_cache(monkeypatch, compute):
    with monkeypatch.context() as patch:
        patch.setenv(cache.NO_CACHE_ENV, "1")
        return compute()


def test_a_second_call_runs_no_query_and_equals_the_first(cached, tmp_path, monkeypatch):
    log = write_log(tmp_path / "log.parquet", ROWS)
    eng = Counting()
    first = health_code_counts(log, eng)
    assert eng.queries == [S.HEALTH_CODES]
    assert sorted(p.suffix for p in cached.iterdir()) == [".attrs", ".parquet"]
    assert all(p.name.startswith("health_code_counts-") for p in cached.iterdir())
    hit = health_code_counts(log, eng)
    assert eng.queries == [S.HEALTH_CODES]  # read back, not run
    assert hit is not first
    _same(hit, first)
    _same(hit, _without_cache(monkeypatch, lambda: health_code_counts(log, Counting())))
    assert _by_day(hit) == EXPECTED
    assert str(hit["date"].dtype) == "datetime64[us]" and all(str(hit[c].dtype) == "Int64" for c in COUNTS)
    assert isinstance(hit.index, pd.RangeIndex)


def test_a_changed_log_at_the_same_path_gives_the_new_counts(cached, tmp_path):
    log = write_log(tmp_path / "log.parquet", ROWS)
    eng = Counting()
    assert _by_day(health_code_counts(log, eng)) == EXPECTED
    stat = log.stat()
    # person 1 red, not yellow, on 02-15: same path, same modification time
    write_log(log, [(1, A, "2020-02-15", "red", "contact") if r[:3] == (1, A, "2020-02-15") else r for r in ROWS])
    os.utime(log, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    changed = health_code_counts(log, eng)
    assert len(eng.queries) == 2
    # 02-15: yellow person 2, red persons 1 (new: green the day before) and 3 (red both days);
    # 02-16: persons 1 and 3 red -> green, person 2 yellow -> green
    assert _by_day(changed) == EXPECTED | {
        ("2020-02-15", A): [0, 1, 2, 1, 0, 0, 0],
        ("2020-02-16", A): [3, 0, 0, 0, 0, 2, 1],
    }
    _same(health_code_counts(log, eng), changed)
    assert len(eng.queries) == 2


def test_a_new_partition_of_a_folder_gives_a_fresh_result(cached, tmp_path):
    root = tmp_path / "health_code_log"
    for day in ("2020-02-14", "2020-02-15"):
        (root / f"date={day}").mkdir(parents=True)
        rows = [(p, region, colour, reason) for p, region, d, colour, reason in ROWS if d == day]
        part = pd.DataFrame(rows, columns=["person_id", "region_code", "colour", "reason"])
        part.to_parquet(root / f"date={day}" / "part-00000.parquet", index=False)
    eng = Counting()
    assert _by_day(health_code_counts(root, eng)) == {k: v for k, v in EXPECTED.items() if k[0] <= "2020-02-15"}
    (root / "date=2020-02-16").mkdir()
    rows = [(p, region, colour, reason) for p, region, d, colour, reason in ROWS if d == "2020-02-16"]
    part = pd.DataFrame(rows, columns=["person_id", "region_code", "colour", "reason"])
    part.to_parquet(root / "date=2020-02-16" / "part-00000.parquet", index=False)
    assert _by_day(health_code_counts(root, eng)) == {k: v for k, v in EXPECTED.items() if k[0] <= "2020-02-16"}
    assert len(eng.queries) == 2


def _episodes(rows: list[tuple[str, str, str | None]]) -> pd.DataFrame:
    """Expected episode counts: (colour, start, first green day or None), one episode each, log from 02-14."""
    return pd.DataFrame(
        {
            "colour": pd.array([r[0] for r in rows], dtype="str"),
            "start": pd.to_datetime([r[1] for r in rows]).astype("datetime64[us]"),
            "end": pd.to_datetime([r[2] for r in rows]).astype("datetime64[us]"),
            "log_start": pd.to_datetime(["2020-02-14"] * len(rows)).astype("datetime64[us]"),
            "episodes": pd.array([1] * len(rows), dtype="int64"),
        }
    )


def test_each_until_date_has_its_own_days_to_green(cached, tmp_path, monkeypatch):
    log = write_log(tmp_path / "log.parquet", ROWS)
    eng = Counting()
    on_15 = episode_counts(log, date(2020, 2, 15), eng)
    on_16 = episode_counts(log, date(2020, 2, 16), eng)
    assert eng.queries == [S.DAYS_TO_GREEN, S.DAYS_TO_GREEN]
    # by hand: on the 15th persons 1 (yellow from the 15th), 2 (yellow) and 3 (red) are not green yet;
    # on the 16th all three are green again; person 4 turns red on the 17th only
    feb14, feb15, feb16 = "2020-02-14", "2020-02-15", "2020-02-16"
    expected_15 = _episodes([("red", feb14, None), ("yellow", feb14, None), ("yellow", feb15, None)])
    expected_16 = _episodes([("red", feb14, feb16), ("yellow", feb14, feb16), ("yellow", feb15, feb16)])
    pd.testing.assert_frame_equal(on_15, expected_15, check_exact=True)
    pd.testing.assert_frame_equal(on_16, expected_16, check_exact=True)
    _same(episode_counts(log, date(2020, 2, 15), eng), on_15)
    _same(episode_counts(log, "2020-02-16", eng), on_16)  # the same date, written as text: the same key
    assert len(eng.queries) == 2
    _same(on_16, _without_cache(monkeypatch, lambda: episode_counts(log, date(2020, 2, 16), Counting())))
    assert len(list(cached.glob("days_to_green-*.parquet"))) == 2


def test_each_engine_has_its_own_result(cached, tmp_path):
    log = write_log(tmp_path / "log.parquet", ROWS)
    duck, labelled_spark = Counting("duckdb"), Counting("spark")
    health_code_counts(log, duck)
    health_code_counts(log, labelled_spark)
    assert len(duck.queries) == len(labelled_spark.queries) == 1  # never the other engine's result
    health_code_counts(log, duck)
    health_code_counts(log, labelled_spark)
    assert len(duck.queries) == len(labelled_spark.queries) == 1
    assert len(list(cached.glob("health_code_counts-*.parquet"))) == 2


def test_the_spark_engine_keeps_its_own_result_and_reads_it_back(cached, tmp_path, spark):
    log = write_log(tmp_path / "log.parquet", ROWS)
    duck = health_code_counts(log, "duckdb")
    spk = get_engine("spark", session=spark)
    calls: list[str] = []
    run = spk.query
    spk.query = lambda sql: calls.append(sql) or run(sql)
    first = health_code_counts(log, spk)
    assert calls == [S.HEALTH_CODES]  # Spark ran, though DuckDB's result of the same log was kept
    hit = health_code_counts(log, spk)
    assert calls == [S.HEALTH_CODES]
    _same(hit, first)
    _same(hit, duck)


def test_no_cache_runs_the_query_every_time(cached, tmp_path, monkeypatch):
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    log = write_log(tmp_path / "log.parquet", ROWS)
    eng = Counting()
    for _ in range(2):
        assert _by_day(health_code_counts(log, eng)) == EXPECTED
        episode_counts(log, date(2020, 2, 16), eng)
    assert len(eng.queries) == 4
    assert not cached.exists()


@pytest.mark.parametrize("damage", ["truncate", "flip", "junk", "remove_sidecar"])
def test_a_damaged_kept_file_is_a_miss_and_is_replaced(cached, tmp_path, damage):
    log = write_log(tmp_path / "log.parquet", ROWS)
    eng = Counting()
    first = health_code_counts(log, eng)
    key = kept.query_key("health_code_counts", "duckdb", log, S.HEALTH_CODES, {})
    parquet, sidecar = cache.cache_files("health_code_counts", key, kept.AGGREGATES_DIR)
    good = parquet.read_bytes()
    damage_kept(parquet, sidecar, damage)
    again = health_code_counts(log, eng)
    assert len(eng.queries) == 2  # a miss: run again
    _same(again, first)
    assert parquet.read_bytes() == good  # written again, whole
    _same(health_code_counts(log, eng), first)
    assert len(eng.queries) == 2


def test_a_failing_query_is_not_kept(cached, tmp_path):
    log = write_log(tmp_path / "log.parquet", ROWS)

    class Failing(Counting):
        def query(self, sql: str) -> pd.DataFrame:
            self.queries.append(sql)
            raise RuntimeError("the engine failed")

    for _ in range(2):
        with pytest.raises(RuntimeError, match="the engine failed"):
            health_code_counts(log, Failing())
    assert not cached.exists() or not any(cached.iterdir())
    eng = Counting()
    assert _by_day(health_code_counts(log, eng)) == EXPECTED and len(eng.queries) == 1


def test_every_part_of_the_key_changes_it(tmp_path, monkeypatch):
    log = write_log(tmp_path / "log.parquet", ROWS)
    base = ("days_to_green", "duckdb", log, S.DAYS_TO_GREEN, {"until": "2020-02-16"})
    key = kept.query_key(*base)
    assert kept.query_key(*base) == key
    # a copy of the log elsewhere: the same content, the same key
    copy = tmp_path / "copy.parquet"
    copy.write_bytes(log.read_bytes())
    assert kept.query_key(base[0], base[1], copy, *base[3:]) == key
    variants = [
        ("health_code_counts", *base[1:]),
        (base[0], "spark", *base[2:]),
        (*base[:3], S.DAYS_TO_GREEN + " ", base[4]),
        (*base[:4], {"until": "2020-02-17"}),
        (*base[:4], {}),
    ]
    assert len({kept.query_key(*v) for v in variants} | {key}) == len(variants) + 1
    monkeypatch.setattr(kept, "code_digest", lambda: "other code")
    assert kept.query_key(*base) != key


def test_the_engine_code_and_sql_are_part_of_the_code_digest(monkeypatch):
    hashed: list[str] = []
    real = cache.file_sha256
    monkeypatch.setattr(cache, "file_sha256", lambda path: hashed.append(Path(path).as_posix()) or real(path))
    cache.code_digest.__wrapped__()  # the digest itself is computed once per process
    for module in ("sql.py", "aggregate.py", "days_to_green.py", "kept.py", "backends.py"):
        assert any(h.endswith(f"epianalysis/engine/{module}") for h in hashed), module
