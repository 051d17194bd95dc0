"""Publishing: only our folders are replaced, two publishers of a day never fail or expose a missing
summary.json, temporary files are unique and never follow links, killed runs leave nothing behind."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading

import pytest
from faults import run_cli

from epianalysis.briefing import publish
from epianalysis.fileio import atomic_write_text


def test_a_foreign_day_folder_and_index_are_never_replaced(cases_only, tmp_path):
    out = tmp_path / "own"
    argv = ("brief", "--date", "2020-02-29", "--only", "recovery", "--data", str(cases_only), "--out", str(out))
    (out / "2020-02-29").mkdir(parents=True)
    (out / "2020-02-29" / "notes.txt").write_text("my own notes", encoding="utf-8")
    result = run_cli(*argv)
    assert result.returncode == 1
    assert "was not made by epianalysis" in result.stderr and "--out" in result.stderr
    assert (out / "2020-02-29" / "notes.txt").read_text("utf-8") == "my own notes"
    (out / "2020-02-29" / "notes.txt").unlink()
    (out / "2020-02-29").rmdir()
    (out / "index.html").write_text("<p>my page</p>", encoding="utf-8")
    result = run_cli(*argv)
    assert result.returncode == 1 and "index.html" in result.stderr
    assert (out / "index.html").read_text("utf-8") == "<p>my page</p>"
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]


def _publisher(reports: str, rounds: int, tag: str) -> None:
    from pathlib import Path

    for i in range(rounds):
        work = publish.make_work(Path(reports), "2020-03-02")
        atomic_write_text(work / "summary.json", json.dumps({"by": tag, "round": i}))
        publish.publish(work, Path(reports) / "2020-03-02")


def test_two_publishers_of_one_day_never_fail_and_readers_always_find_the_summary(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    stop, misses, reads = threading.Event(), [], [0]

    def reader() -> None:
        while not stop.is_set():
            day = reports / "2020-03-02"
            if day.exists() or reads[0]:
                reads[0] += 1
                if not (day / "summary.json").is_file():
                    misses.append(reads[0])

    watcher = threading.Thread(target=reader)
    watcher.start()
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_publisher, args=(str(reports), 150, tag)) for tag in "ab"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    stop.set()
    watcher.join()
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert reads[0] > 100 and misses == []
    assert json.loads((reports / "2020-03-02" / "summary.json").read_text("utf-8"))["round"] == 149
    assert sorted(p.name for p in reports.iterdir()) == [".locks", "2020-03-02"]  # no work folder left


def test_an_interrupt_as_a_work_folder_is_made_still_removes_it(tmp_path, monkeypatch):
    # a worker's SIGTERM removes the work folders it has in progress, then exits (publish.when_safe);
    # arriving just after the folder is made, the exit waits until the folder is registered and marked
    made = tempfile.mkdtemp

    def made_then_interrupted(*args, **kwargs):
        folder = made(*args, **kwargs)
        publish.when_safe(publish.abandon)
        return folder

    monkeypatch.setattr(publish.tempfile, "mkdtemp", made_then_interrupted)
    work = publish.make_work(tmp_path, "2020-03-02")
    assert work.parent == tmp_path and not work.exists()
    assert list(tmp_path.iterdir()) == []


def test_atomic_writes_use_unique_names_and_replace_a_link_instead_of_following_it(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    target = tmp_path / "out" / "summary.json"
    target.parent.mkdir()
    target.symlink_to(outside)
    # the temporary name of the old scheme, planted as a link, is not used
    (target.parent / f".summary.json.tmp-{os.getpid()}").symlink_to(outside)
    atomic_write_text(target, "new")
    assert outside.read_text("utf-8") == "keep me"
    assert not target.is_symlink() and target.read_text("utf-8") == "new"


def test_leftovers_of_dead_runs_are_removed_and_nothing_else(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    left = reports / ".2020-03-01.abc123"
    left.mkdir()
    (left / publish.WORK_MARKER).write_text(json.dumps({"pid": pid, "started": 1.0}), encoding="utf-8")
    mine = publish.make_work(reports, "2020-03-02")  # a live run's folder
    foreign = reports / ".2020-03-03.user"  # looks like ours, but has no marker
    foreign.mkdir()
    removed = publish.remove_leftovers(reports)
    assert removed == [left] and not left.exists()
    assert mine.exists() and foreign.exists()
    publish.discard(mine)


@pytest.mark.parametrize("marker", [publish.REPORT_MARKER, publish.LEGACY_MARKER])
def test_our_reports_are_recognised_by_their_marker(tmp_path, marker):
    day = tmp_path / "2020-03-02"
    day.mkdir()
    assert not publish.is_ours(day)
    (day / marker).write_text("", encoding="utf-8")
    assert publish.is_ours(day)
    link = tmp_path / "2020-03-03"
    link.symlink_to(day)
    assert not publish.is_ours(link), "a link is never taken for a report of ours"
