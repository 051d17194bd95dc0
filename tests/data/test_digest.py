"""Row digests of a table file, and their copies kept on disk per content of the file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from epianalysis.data import digest

CSV = "date,region_code,confirmed\n2020-02-01,330100,3\n2020-02-01,330200,1\n2020-02-01,330300,0\n2020-02-02,330100,4\n"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("EPIANALYSIS_CACHE_DIR", str(folder))
    monkeypatch.delenv("EPIANALYSIS_NO_CACHE", raising=False)
    digest._cached.cache_clear()  # the per-process memo would answer before the disk is asked
    yield folder
    digest._cached.cache_clear()


def _table(folder: Path, text: str = CSV) -> Path:
    path = folder / "cases.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _kept(cache: Path) -> list[Path]:
    return sorted((cache / digest.DIGESTS_DIR).glob("*.json"))


def _fresh_read_forbidden(monkeypatch) -> None:
    def refuse(path):
        raise AssertionError(f"{path} was digested again")

    monkeypatch.setattr(digest, "_read_digests", refuse)


def test_rows_are_counted_per_date(cache, tmp_path):
    found = digest.file_digests(_table(tmp_path))
    assert {day: n for day, (n, _) in found.items()} == {"2020-02-01": 3, "2020-02-02": 1}


def test_a_file_already_digested_is_read_back_from_the_cache(cache, tmp_path, monkeypatch):
    path = _table(tmp_path)
    first = digest.file_digests(path)
    assert len(_kept(cache)) == 1
    digest._cached.cache_clear()  # as in a new process
    _fresh_read_forbidden(monkeypatch)
    assert digest.file_digests(path) == first


def test_changed_bytes_are_digested_again_even_with_the_same_size_and_times(cache, tmp_path):
    path = _table(tmp_path)
    before = digest.file_digests(path)
    stat = path.stat()
    path.write_text(CSV.replace("330200,1", "330200,2"), encoding="utf-8")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    digest._cached.cache_clear()
    after = digest.file_digests(path)
    assert after["2020-02-01"] != before["2020-02-01"]  # the changed row's date
    assert after["2020-02-02"] == before["2020-02-02"]
    assert len(_kept(cache)) == 2


def test_a_damaged_kept_digest_is_a_miss_and_is_written_again(cache, tmp_path):
    path = _table(tmp_path)
    first = digest.file_digests(path)
    [kept] = _kept(cache)
    kept.write_text('{"key": "someone else', encoding="utf-8")
    digest._cached.cache_clear()
    assert digest.file_digests(path) == first
    digest._cached.cache_clear()
    assert '"digests"' in kept.read_text(encoding="utf-8")


def test_a_file_duckdb_cannot_read_is_digested_by_its_bytes_and_not_kept(cache, tmp_path):
    path = tmp_path / "health_code_log.parquet"
    path.write_bytes(b"not a parquet file")
    found = digest.file_digests(path)
    assert list(found) == [digest.UNDATED]
    assert found[digest.UNDATED][1].startswith("bytes:")
    assert _kept(cache) == []


def test_nothing_is_kept_with_the_cache_off(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("EPIANALYSIS_NO_CACHE", "1")
    digest.file_digests(_table(tmp_path))
    assert _kept(cache) == []
