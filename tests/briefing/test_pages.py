"""Pages made for publication, in both languages: the page model a notebook records, the rendered pages
of a real briefing on the embedded scenario, and a run in one language that keeps the other."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from epianalysis.briefing import page
from epianalysis.briefing.context import Briefing
from epianalysis.briefing.params import BriefingParams, parse_languages
from epianalysis.briefing.runner import run_briefing
from epianalysis.charts import export, fonts
from epianalysis.text.labels import label
from epianalysis.topics import TOPICS
from epianalysis.topics.recovery import charts as recovery_charts

FORBIDDEN = ("Briefing(", "No description has been provided", ".py", ".toml", "DESIGN", "epianalysis.")
"""Texts that must not be visible on a published page (code, reprs, file and module names)."""


class PageText(HTMLParser):
    """The visible text of a page (no attribute values, no style), its images, links and header cells."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.header_cells: list[str] = []
        self.classes: list[str] = []
        self._skip = 0
        self._th: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.classes += (attributes.get("class") or "").split()
        if tag in ("style", "script"):
            self._skip += 1
        elif tag == "img":
            self.images.append(attributes)
        elif tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "th":
            self._th = []

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1
        elif tag == "th" and self._th is not None:
            self.header_cells.append("".join(self._th).strip())
            self._th = None

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)
            if self._th is not None:
                self._th.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(path: Path) -> PageText:
    parser = PageText()
    parser.feed(path.read_text("utf-8"))
    return parser


def assert_publishable(path: Path, synthetic: bool = True) -> PageText:
    """What every published page must be: no code or file names in its text, no index cells, every image
    with an alt text, every relative link to a file that exists, the banner when the data are synthetic."""
    found = parse(path)
    for bad in FORBIDDEN:
        assert bad not in found.visible, (path, bad)
    assert not [c for c in found.header_cells if re.fullmatch(r"\d+", c)], (path, "an index column")
    assert not [c for c in found.header_cells if not c], (path, "an empty header cell (an index)")
    for image in found.images:
        assert (image.get("alt") or "").strip(), (path, image.get("src"))
        assert (path.parent / image["src"]).is_file(), (path, image["src"])
    for href in found.links:
        if not re.match(r"^[a-z]+:", href):
            assert (path.parent / href.split("#")[0]).is_file(), (path, href)
    if synthetic:
        assert "banner" in found.classes, path
    return found


# ----------------------------------------------------------------------------- the page model


def test_languages_are_parsed():
    assert parse_languages("en") == ("en",)
    assert parse_languages("en,zh") == ("en", "zh")
    assert parse_languages("both") == ("en", "zh")
    params = BriefingParams.resolve("2020-03-02", lang="both")
    assert params.lang == "en" and params.lang_parameter == "en,zh"
    for bad in ("fr", "en,en", "", "en,fr"):
        with pytest.raises(ValueError, match="lang must be one of"):
            parse_languages(bad)


def test_a_table_block_has_no_index_and_hides_what_it_is_told():
    frame = pd.DataFrame(
        {
            "County": ["Yiwu", "Tonglu"],
            "Cases": [1205, None],
            "Since": ["2020-03-01", "x"],
            "Flags": ["", ""],
            "Rule": ["a+b", "c"],
        },
        index=[7, 8],
    )
    block = page.table(frame, "t", "en", "tables/t.csv", hide=["Rule"])
    assert [c["text"] for c in block["columns"]] == ["County", "Cases", "Since"]
    assert block["rows"] == [["Yiwu", "1,205", "1 Mar 2020"], ["Tonglu", "\N{EN DASH}", "x"]]
    assert [c["numeric"] for c in block["columns"]] == [False, True, False]


def test_the_alt_text_is_the_charts_title_and_message():
    curve = pd.DataFrame(
        {"date": pd.date_range("2020-02-01", periods=5), "new_local": [5, 8, 3, 0, 2], "new_imported": [0] * 5}
    )
    fig = recovery_charts.epidemic_curve(curve, title="New cases", subtitle="No new case for 9 days", source="x")
    assert page.figure_texts(fig) == {"title": "New cases", "subtitle": "No new case for 9 days"}
    block = page.figure(page.figure_texts(fig), "curve", "en", [])
    assert block["alt"] == "New cases. No new case for 9 days."
    assert page.alt_text({}, "zh", "图表") == "图表"


def test_a_briefing_records_each_language_once_computed(tmp_path):
    if fonts.find_cjk_font() is None:
        pytest.skip("no CJK font installed (make fonts installs fonts-droid-fallback)")
    data = tmp_path / "data"
    data.mkdir()
    b = Briefing(BriefingParams.resolve("2020-03-02", data, "", "en,zh", tmp_path / "out"), "recovery")
    calls = []

    def table(values, lang):
        calls.append(lang)
        return pd.DataFrame({label("indicator", lang): ["x"], label("value", lang): [values]})

    shown = b.table(table, "numbers", 1205)
    assert calls == ["en", "zh"] and shown.columns.tolist() == ["Indicator", "Value"]
    b.section("heading_headline")
    b.text({"en": "One sentence.", "zh": "一句话。"}, lead=True)
    curve = pd.DataFrame(
        {"date": pd.date_range("2020-02-01", periods=5), "new_local": [5, 8, 3, 0, 2], "new_imported": [0] * 5}
    )
    fig = b.chart(recovery_charts.epidemic_curve, "curve", curve, title=b.labels("recovery.epidemic_curve_title"))
    assert page.figure_texts(fig)["title"] == label("recovery.epidemic_curve_title", "en")
    for lang in ("en", "zh"):
        assert (tmp_path / "out" / lang / "tables" / "numbers.csv").is_file()
        for name in ("curve.png", "curve.svg", "curve.pdf", "curve_square.png"):
            assert (tmp_path / "out" / lang / "charts" / name).is_file(), (lang, name)
        record = json.loads((tmp_path / "out" / lang / page.PAGES_DIR / "recovery.json").read_text("utf-8"))
        assert record["title"] == label("recovery.page_title", lang)
        kinds = [block["kind"] for block in record["blocks"]]
        assert kinds == ["table", "heading", "text", "figure"]
        figure = record["blocks"][-1]
        assert figure["alt"].startswith(label("recovery.epidemic_curve_title", lang))
        assert figure["section"] == label("recovery.heading_headline", lang)
    assert "Briefing(recovery" in repr(b)


def test_a_chart_is_built_once_per_size_and_each_file_rendered_once_from_it(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    b = Briefing(BriefingParams.resolve("2020-03-02", data, "", "en", tmp_path / "out"), "recovery")
    curve = pd.DataFrame(
        {"date": pd.date_range("2020-02-01", periods=5), "new_local": [5, 8, 3, 0, 2], "new_imported": [0] * 5}
    )
    built, rendered = [], []
    savefig = Figure.savefig

    def counted(fig, target, **kwargs):
        rendered.append((id(fig), kwargs["format"]))
        return savefig(fig, target, **kwargs)

    def chart(daily, size="wide", **kwargs):
        built.append(size)
        return recovery_charts.epidemic_curve(daily, size=size, **kwargs)

    monkeypatch.setattr(Figure, "savefig", counted)
    fig = b.chart(chart, "curve", curve)
    assert built == ["wide", "square"]
    # a PNG is drawn as pixels ("rgba") and encoded by export.png_from_pixels
    assert [fmt for _, fmt in rendered] == ["rgba", "svg", "pdf", "rgba"]
    assert {figure for figure, _ in rendered[:3]} == {id(fig)}  # PNG, SVG and PDF of one wide figure
    assert export.png_bytes(fig) == (tmp_path / "out" / "en" / "charts" / "curve.png").read_bytes()
    assert len(rendered) == 4  # the notebook shows the PNG already made


# ----------------------------------------------------------------------- a real briefing


@pytest.fixture(scope="module")
def report(day_report):
    """The full briefing of 2020-03-02 in both languages (tests/briefing/conftest.py); zoning has rule
    ids, health codes an analyst's check, the front page the paragraph."""
    return day_report


def test_both_languages_side_by_side_and_linked(report):
    assert json.loads((report / "summary.json").read_text("utf-8"))["languages"] == ["en", "zh"]
    for topic in ("zoning", "health_codes", "front_page"):
        for lang, other in (("en", "zh"), ("zh", "en")):
            found = parse(report / lang / f"{topic}.html")
            assert f"../{other}/{topic}.html" in found.links, (lang, topic)
            assert "../index.html" in found.links
    index = parse(report / "index.html")
    for lang in ("en", "zh"):
        assert f"{lang}/front_page.html" in index.links and f"{lang}/zoning.html" in index.links
        assert (report / lang / "charts" / "zoning_map.png").is_file()
        assert (report / lang / "tables" / "zoning_changes.csv").is_file()
    assert "notebooks/zoning.ipynb" in index.links and "summary.json" in index.links
    assert [p.name for p in report.glob("*.html")] == ["index.html"], "topic pages live in the language folders"


def test_every_page_is_publishable(report):
    pages = [*sorted(report.glob("*/*.html")), report / "index.html", report.parent / "index.html"]
    assert len(pages) == 2 * len(TOPICS) + 2
    for path in pages:
        assert_publishable(path)


def test_pages_say_what_a_reader_needs_in_their_language(report):
    zoning_en = parse(report / "en" / "zoning.html").visible
    zoning_zh = parse(report / "zh" / "zoning.html").visible
    assert label("zoning.page_title", "en") in zoning_en and label("zoning.page_title", "zh") in zoning_zh
    assert "Synthetic scenario" in zoning_en and "合成情景数据" in zoning_zh
    assert "Changes since the previous evaluation" in zoning_en
    # the rule that fired in words, not by its identifier (which the CSV keeps)
    assert "casefree" not in zoning_en and "score_" not in zoning_en and "casefree" not in zoning_zh
    # on 1 March every county is green and none changed: the page says so in words (the reasons of a
    # day with changes are worked in tests/topics/zoning/test_view.py and test_outlook.py)
    assert "No county changed level since the previous evaluation (27 Feb 2020)." in zoning_en
    # the analyst's check of the health-code aggregation stays in the notebook
    health = parse(report / "en" / "health_codes.html").visible
    assert "True" not in health.split()
    assert "matches_table" in (report / "notebooks" / "health_codes.ipynb").read_text("utf-8")
    # the zh front page has the Chinese paragraph as its lead and no English one
    front_zh = (report / "zh" / "front_page.html").read_text("utf-8")
    paragraphs = json.loads((report / "summary.json").read_text("utf-8"))["front_page"]["paragraph"]
    assert paragraphs["zh"] in front_zh and paragraphs["en"] not in front_zh
    assert '<html lang="zh-CN">' in front_zh
    assert "@page" in front_zh and "size: A4" in front_zh


def test_a_run_in_one_language_keeps_the_other(report, tmp_path):
    # the English and Chinese report above, then `brief --lang zh --only zoning`: zoning is briefed again
    # in every language of the report (docs/output.md#updating-some-topics), the other topics are kept
    # in both, and the report does not shrink
    reports = tmp_path / "reports"
    shutil.copytree(report, reports / report.name)
    (reports / report.name / "notebooks" / "zoning.ipynb").unlink()  # so that we see it made again
    result = run_briefing(BriefingParams.resolve("2020-03-02", lang="zh"), reports, only=["zoning"])
    assert result.languages == ["en", "zh"]
    day = result.report_dir
    every_page = sorted(f"{t.name}.html" for t in TOPICS)
    assert sorted(p.name for p in day.glob("zh/*.html")) == every_page
    assert sorted(p.name for p in day.glob("en/*.html")) == every_page
    assert (day / "notebooks" / "zoning.ipynb").is_file()
    assert (day / "en" / "charts" / "zoning_map.png").is_file()
    assert "../zh/zoning.html" in parse(day / "en" / "zoning.html").links
    assert json.loads((day / "summary.json").read_text("utf-8"))["languages"] == ["en", "zh"]
    index = parse(day / "index.html")
    assert "en/front_page.html" in index.links and "zh/zoning.html" in index.links
    for path in [*day.glob("*/*.html"), day / "index.html"]:
        assert_publishable(path)
    assert not [p for p in reports.iterdir() if p.name.startswith(".2020")], "no temporary folder left"


def test_only_a_report_of_the_same_data_is_carried_over(tmp_path):
    from epianalysis.briefing.manifest import write_manifest
    from epianalysis.briefing.runner import _carry_over

    final, work = tmp_path / "2020-03-02", tmp_path / "work"
    made = {"date": "2020-03-02", "data_as_of": "2020-03-01", "code": "c", "source": "s", "languages": ["en"]}
    made["topics"] = {"recovery": {"notebook": "n", "tables": {"cases": {"sha256": "a"}}}}
    for folder in (final, work):
        folder.mkdir()
    write_manifest(final, made)
    page.PageRecord("recovery", "en", "t", "", []).save(final / "en")
    zh_only = BriefingParams.resolve("2020-03-02", lang="zh")
    now = {**made, "languages": ["zh"]}
    assert _carry_over(final, work, zh_only, now) == ["en"]
    assert (work / "en" / page.PAGES_DIR / "recovery.json").is_file()
    other = tmp_path / "other"
    other.mkdir()
    changed = {**now, "topics": {"recovery": {"notebook": "n", "tables": {"cases": {"sha256": "b"}}}}}
    assert _carry_over(final, other, zh_only, changed) == [], "pages made from other rows are not kept"
    assert _carry_over(final, tmp_path / "w2", BriefingParams.resolve("2020-03-02", lang="both"), made) == []
