"""Progress in a log: whole lines, one per tenth of the work, never a bar's carriage returns."""

from __future__ import annotations

import io

from epianalysis.progress import LineProgress, progress_bar


def test_one_line_per_tenth_and_one_at_the_end() -> None:
    out = io.StringIO()
    bar = LineProgress(total=25, desc="scenario", file=out)
    for _ in range(25):
        bar.update()
    lines = out.getvalue().splitlines()
    # tenths are crossed at 3, 5, 8, 10, 13, 15, 18, 20, 23, 25 steps (10 * n // 25 rises) -> 10 lines
    assert len(lines) == 10
    assert lines[0].startswith("scenario: 3/25 steps (12%)")
    assert lines[-1].startswith("scenario: 25/25 steps (100%)")
    assert "\r" not in out.getvalue()


def test_skipped_days_count_from_the_start_and_postfix_is_shown() -> None:
    out = io.StringIO()
    bar = LineProgress(total=4, desc="briefings", unit="day", initial=2, file=out)
    bar.set_postfix(failed=0)
    bar.update()
    assert out.getvalue().startswith("briefings: 3/4 days (75%), failed 0, ")


def test_a_log_gets_lines_not_a_bar(capsys) -> None:
    bar = progress_bar(2, "scenario")  # pytest's captured stderr is not a terminal
    assert isinstance(bar, LineProgress)
    bar.update(2)
    assert capsys.readouterr().err.startswith("scenario: 2/2 steps (100%)")
