"""Look at a published report in a real browser: headless Chromium (Debian's ``chromium``) driven by
Playwright opens the day index and the pages, and says what a reader would stumble on.

Checks (docs/output.md#pages): every image loads; every relative link leads to a file of the report; no
page is wider than a 1366 px window; a Chinese page holds no Latin-script sentence (names and units such
as "PNG" or "Rt" are words, not sentences). A screenshot of each page is saved under
``<report>/screenshots/`` for a person to look at. Playwright and the browser are development tools:
nothing else in the package imports this module.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

WINDOW = {"width": 1366, "height": 900}
BROWSER_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
LATIN_SENTENCE = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[ ,;:]+[A-Za-z][A-Za-z'’]*){2,}")
"""Three or more Latin words in a row: a sentence or phrase, not a name or a unit."""


def browser_path() -> str | None:
    """The system Chromium, or ``None`` when none is installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass(frozen=True)
class PageLook:
    """What the browser saw on one page."""

    path: Path
    screenshot: Path
    width: int
    broken_images: list[str]
    broken_links: list[str]
    latin_sentences: list[str]

    @property
    def problems(self) -> list[str]:
        found = [f"image does not load: {src}" for src in self.broken_images]
        found += [f"link leads nowhere: {href}" for href in self.broken_links]
        if self.width > WINDOW["width"]:
            found.append(f"page is {self.width} px wide, wider than a {WINDOW['width']} px window")
        found += [f"Latin sentence on a Chinese page: {text!r}" for text in self.latin_sentences]
        return [f"{self.path.name}: {problem}" for problem in found]


def _link_target(page: Path, href: str) -> Path | None:
    """The file a relative link of ``page`` leads to (``None`` for other links: web, mail, anchors)."""
    parsed = urlparse(href)
    if parsed.scheme in ("http", "https", "mailto") or not parsed.path:
        return None
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    return (page.parent / unquote(parsed.path)).resolve()


def look(pages: list[Path], report: Path, chinese: set[Path] | None = None) -> list[PageLook]:
    """Open each page in headless Chromium, check it and save its screenshot under ``report/screenshots``.

    Raises
    ------
    RuntimeError
        No Chromium on this machine (the message says how to install one).
    """
    from playwright.sync_api import sync_playwright

    executable = browser_path()
    if executable is None:
        raise RuntimeError("no chromium found: install Debian's chromium (make browser) to look at the pages")
    shots = report / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    chinese = chinese or set()
    seen = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(BROWSER_ARGS))
        try:
            context = browser.new_context(viewport=WINDOW)
            for path in pages:
                tab = context.new_page()
                tab.goto(path.resolve().as_uri(), wait_until="load")
                images = tab.evaluate(
                    "Array.from(document.images).map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0])"
                )
                hrefs = tab.evaluate(
                    "Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"
                )
                width = tab.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
                text = tab.evaluate("document.body.innerText")
                name = "_".join(path.resolve().relative_to(report.resolve()).with_suffix(".png").parts)
                screenshot = shots / name
                tab.screenshot(path=str(screenshot), full_page=True)
                tab.close()
                links = [h for h in hrefs if (target := _link_target(path, h)) is not None and not target.exists()]
                latin = LATIN_SENTENCE.findall(text) if path in chinese else []
                seen.append(PageLook(path, screenshot, int(width), [s for s, ok in images if not ok], links, latin))
        finally:
            browser.close()
    return seen


def look_at_report(report: Path) -> list[PageLook]:
    """:func:`look` at a day's report: its index and every page in every language folder."""
    pages = [report / "index.html", *sorted(report.glob("*/*.html"))]
    return look(pages, report, chinese={p for p in pages if p.parent.name == "zh"})
