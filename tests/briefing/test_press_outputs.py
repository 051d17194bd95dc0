"""Press-ready outputs: PDF charts with embedded, extractable TrueType text; the index pages."""

import json

import pandas as pd
import pytest
from pypdf import PdfReader

from epianalysis import summary
from epianalysis.briefing.index import day_index, reports_index
from epianalysis.briefing.page import PageRecord
from epianalysis.charts import export, fonts
from epianalysis.topics.recovery import charts as epidemic


def _curve():
    return pd.DataFrame(
        {
            "date": pd.date_range("2020-02-01", periods=10),
            "new_local": [5, 8, 3, 0, 2, 1, 0, 0, 1, 0],
            "new_imported": [0] * 10,
        }
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pdf_chart_embeds_truetype_and_its_text_can_be_extracted(lang, tmp_path):
    if lang == "zh" and fonts.find_cjk_font() is None:
        pytest.skip("no CJK font installed (make fonts installs fonts-droid-fallback)")
    title = {"en": "Daily new confirmed cases", "zh": "每日新增确诊病例"}[lang]
    fig = epidemic.epidemic_curve(_curve(), lang=lang, title=title, source="test", synthetic=True)
    (pdf,) = export.save_figure(fig, tmp_path, "curve", formats=("pdf",))
    reader = PdfReader(pdf)
    text = reader.pages[0].extract_text()
    assert title in text.replace("\n", "")
    raw = pdf.read_bytes()
    assert b"/FontFile2" in raw, "fonts are embedded with TrueType outlines"
    assert b"/Type3" not in raw, "no Type 3 (non-selectable) fonts"
    fig2 = epidemic.epidemic_curve(_curve(), lang=lang, title=title, source="test", synthetic=True)
    (again,) = export.save_figure(fig2, tmp_path / "again", "curve", formats=("pdf",))
    assert again.read_bytes() == raw, "identical bytes on re-run"


def test_index_pages_link_every_output(tmp_path):
    day = tmp_path / "2020-03-02"
    for part in [
        "en/charts/a.png",
        "en/charts/a.svg",
        "en/charts/a.pdf",
        "en/tables/t.csv",
        "en/recovery.html",
        "zh/recovery.html",
        "data/d.csv",
        "notebooks/recovery.ipynb",
        "paragraph_en.txt",
    ]:
        (day / part).parent.mkdir(parents=True, exist_ok=True)
        (day / part).write_text("x", encoding="utf-8")
    files = [{"label": ext.upper(), "href": f"charts/a.{ext}"} for ext in ("png", "svg", "pdf")]
    blocks = [
        {"kind": "heading", "text": "Headline numbers"},
        {"kind": "table", "name": "t", "columns": [], "rows": [], "csv": "tables/t.csv", "section": "Headline numbers"},
        {"kind": "figure", "name": "a", "src": "charts/a.png", "alt": "A. B.", "title": "Chart A", "subtitle": "B"},
    ]
    blocks[-1].update(files=files, section="Headline numbers")
    PageRecord("recovery", "en", "Cases and recovery", "", blocks).save(day / "en")
    PageRecord("recovery", "zh", "确诊与治愈出院", "", []).save(day / "zh")
    (day / "summary.json").write_text(
        json.dumps(summary.example()),  # the declared output's example: 1,205 confirmed, 1050 / 1205
        encoding="utf-8",
    )
    html = day_index(day, "2020-03-02").read_text("utf-8")
    for link in [
        "en/recovery.html",
        "zh/recovery.html",
        "en/charts/a.png",
        "en/charts/a.svg",
        "en/charts/a.pdf",
        "en/tables/t.csv",
        "data/d.csv",
        "paragraph_en.txt",
        "summary.json",
        "notebooks/recovery.ipynb",
    ]:
        assert f'href="{link}"' in html, link
    assert "Chart A" in html and "Cases and recovery · Headline numbers:" in html and "确诊与治愈出院" in html
    assert "Synthetic scenario" in html and "合成情景数据" in html
    (tmp_path / ".failed").mkdir()
    top = reports_index(tmp_path).read_text("utf-8")
    assert 'href="2020-03-02/index.html"' in top and "1,205" in top and "87.1%" in top
    assert 'href="2020-03-02/en/recovery.html"' in top and 'href="2020-03-02/zh/recovery.html"' in top
    assert ".failed" not in top
