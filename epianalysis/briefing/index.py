"""The HTML index pages of the reports: ``reports/<date>/index.html`` links every output of a day,
``reports/index.html`` lists the days with their headline numbers.

Plain, self-contained HTML (no scripts, no external assets) so that it opens from a file share.
Numbers and dates are written by :mod:`epianalysis.text.format` (in English, as the rest of the index
page), the same text as in the tables, charts and paragraph.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

from epianalysis import SYNTHETIC_LABEL
from epianalysis.fileio import atomic_write_text
from epianalysis.text import format as fmt

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STYLE = """body{font-family:"DejaVu Sans","Noto Sans CJK SC",sans-serif;margin:2rem auto;max-width:70rem;color:#1a1a1a}
h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:1.6rem}.note{color:#8a4b00}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr));gap:1rem}
.charts figure{margin:0}.charts img{width:100%;border:1px solid #ddd}
table{border-collapse:collapse}td,th{padding:.25rem .75rem;border-bottom:1px solid #ddd;text-align:left}"""


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head>\n<body>\n<h1>{escape(title)}</h1>\n{body}</body></html>\n"
    )


def _links(paths: list[Path], root: Path) -> str:
    return (
        "<ul>\n"
        + "".join(
            f'<li><a href="{escape(rel)}">{escape(rel)}</a></li>\n'
            for rel in (p.relative_to(root).as_posix() for p in paths)
        )
        + "</ul>\n"
    )


def day_index(report_dir: Path, date: str) -> Path:
    """Write ``report_dir/index.html`` linking the day's pages, charts (PNG/SVG/PDF), tables and summary."""
    summary_path = report_dir / "summary.json"
    summary = json.loads(summary_path.read_text("utf-8")) if summary_path.exists() else {}
    body = []
    if summary.get("synthetic"):
        body.append(f'<p class="note">Data: {SYNTHETIC_LABEL} · 合成情景数据</p>\n')
    if summary.get("data_as_of"):
        as_of = " · ".join(fmt.data_as_of(summary["data_as_of"], lang) for lang in ("en", "zh"))
        body.append(f"<p>{escape(as_of)}</p>\n")
    pages = sorted(report_dir.glob("*.html"))
    pages = [p for p in pages if p.name != "index.html"]
    body.append("<h2>Briefings · 简报</h2>\n" + _links(pages, report_dir))
    charts = sorted((report_dir / "charts").glob("*.png"))
    if charts:
        body.append('<h2>Charts · 图表</h2>\n<div class="charts">\n')
        for png in charts:
            stem = png.with_suffix("")
            others = " · ".join(
                f'<a href="charts/{escape(stem.name)}.{fmt}">{fmt.upper()}</a>'
                for fmt in ("png", "svg", "pdf")
                if stem.with_suffix(f".{fmt}").exists()
            )
            body.append(
                f'<figure><a href="charts/{escape(png.name)}"><img src="charts/{escape(png.name)}" '
                f'alt="{escape(stem.name)}"></a><figcaption>{escape(stem.name)}: {others}</figcaption></figure>\n'
            )
        body.append("</div>\n")
    tables = sorted((report_dir / "tables").glob("*.csv"))
    if tables:
        body.append("<h2>Tables · 表格 (CSV)</h2>\n" + _links(tables, report_dir))
    extras = [p for p in [summary_path, *sorted((report_dir / "notebooks").glob("*.ipynb"))] if p.exists()]
    body.append("<h2>Summary and notebooks · 摘要与笔记本</h2>\n" + _links(extras, report_dir))
    return atomic_write_text(report_dir / "index.html", _page(f"Briefing {date} · 简报", "".join(body)))


def reports_index(reports: Path) -> Path:
    """Write ``reports/index.html`` listing every day folder (newest first) with its headline numbers."""
    rows = []
    for day in sorted((p for p in reports.iterdir() if p.is_dir() and _DAY.match(p.name)), reverse=True):
        summary_path = day / "summary.json"
        summary = json.loads(summary_path.read_text("utf-8")) if summary_path.exists() else {}
        recovery = summary.get("recovery", {})
        confirmed = recovery.get("confirmed")
        rows.append(
            f'<tr><td><a href="{day.name}/index.html">{day.name}</a></td>'
            f"<td>{escape(str(summary.get('data_as_of', fmt.MISSING)))}</td>"
            f"<td>{escape(fmt.count(confirmed, 'en'))}</td>"
            f"<td>{escape(fmt.percent(recovery.get('discharge_rate'), 'en'))}</td>"
            f"<td>{SYNTHETIC_LABEL if summary.get('synthetic') else escape(str(summary.get('source', '')))}</td>"
            "</tr>\n"
        )
    table = (
        "<table>\n<tr><th>Press date · 发布日期</th><th>Data as of · 数据截至</th><th>Confirmed · 累计确诊</th>"
        "<th>Discharge rate · 治愈出院率</th><th>Data · 数据</th></tr>\n" + "".join(rows) + "</table>\n"
    )
    return atomic_write_text(reports / "index.html", _page("Briefings · 每日简报", table))
