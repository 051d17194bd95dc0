"""The report in a real browser: headless Chromium (Debian's chromium, driven by Playwright) opens the
day index and every page of both languages; every image loads, every link leads to a file, nothing is
wider than a 1366 px window, and a Chinese page holds no Latin-script sentence. The screenshots are
saved under the report (``screenshots/``) for a person to look at."""

from __future__ import annotations

import pytest

from epianalysis.briefing import pagecheck
from epianalysis.topics import TOPICS

pytestmark = pytest.mark.skipif(
    pagecheck.browser_path() is None,
    reason="no chromium on this machine: `make test` installs Debian's chromium where apt-get runs as root",
)


def test_the_latin_sentence_rule():
    assert pagecheck.LATIN_SENTENCE.findall("来源：epianalysis内置情景 · PNG · SVG") == []
    assert pagecheck.LATIN_SENTENCE.findall("数据：Data as of 1 Mar") == ["Data as of"]


def test_the_report_looks_right_in_a_browser(day_report):
    seen = pagecheck.look_at_report(day_report)
    assert len(seen) == 1 + 2 * len(TOPICS)  # the day index and every topic page in both languages
    assert [problem for page in seen for problem in page.problems] == []
    for page in seen:
        assert page.screenshot.is_file() and page.screenshot.stat().st_size > 10_000, page.path


def test_a_broken_image_a_dead_link_and_an_english_sentence_are_seen(day_report, tmp_path):
    # the checks can fail: a copy of the Chinese front page with a missing image, a dead link and an
    # English sentence
    page = tmp_path / "zh" / "front_page.html"
    page.parent.mkdir()
    html = (day_report / "zh" / "front_page.html").read_text("utf-8")
    html = html.replace(
        "</body>", '<img src="charts/none.png" alt="x"><a href="gone.html">x</a><p>This sentence is English.</p></body>'
    )
    page.write_text(html, encoding="utf-8")
    (look,) = pagecheck.look([page], tmp_path, chinese={page})
    assert "charts/none.png" in look.broken_images
    assert "gone.html" in look.broken_links
    assert "This sentence is English" in look.latin_sentences
