"""Find and register a font with Chinese glyphs, so that ``lang="zh"`` charts render without gaps.

Matplotlib falls back glyph by glyph along ``font.family``: the Latin font (DejaVu Sans, shipped with
matplotlib, so Latin text looks the same on every machine) comes first and the CJK font after it.

Search order (the first font with Chinese glyphs wins, TrueType outlines before CFF):

1. the file named by the ``EPIANALYSIS_CJK_FONT`` environment variable (an error if it is unusable);
2. known CJK font files under :data:`FONT_SEARCH_DIRS`, in the preference order of
   :data:`CJK_FONT_FILES` (Debian's ``fonts-droid-fallback`` first);
3. fonts matplotlib already knows whose family is one of :data:`CJK_FAMILY_NAMES`.

A TrueType-outline font (``glyf`` table) is preferred because PDF output embeds fonts as Type 42
(``pdf.fonttype = 42``), which needs TrueType outlines; a CFF-based ``.otf``/``.ttc`` (Noto CJK,
Source Han) renders in PNG and SVG but not as Type 42 in PDF.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from matplotlib import font_manager

from epianalysis.errors import MissingFontError
from epianalysis.text.labels import check_language

CJK_FONT_ENV = "EPIANALYSIS_CJK_FONT"
LATIN_FONT = "DejaVu Sans"

INSTALL_HINT = (
    "no font with Chinese glyphs was found, so lang='zh' charts cannot be drawn. "
    "Install one (Debian/Ubuntu: `apt-get install fonts-droid-fallback`), "
    f"or set {CJK_FONT_ENV} to a .ttf file with Chinese glyphs (TrueType outlines, so that PDF "
    "export works); lang='en' works without it."
)

FONT_SEARCH_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local" / "share" / "fonts",
    Path.home() / ".fonts",
    Path("/Library/Fonts"),
    Path("/System/Library/Fonts"),
    Path.home() / "Library" / "Fonts",
    Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts",
)
"""System font folders searched (recursively) for :data:`CJK_FONT_FILES`."""

CJK_FONT_FILES: tuple[str, ...] = (
    "DroidSansFallbackFull.ttf",  # Debian fonts-droid-fallback, Apache-2.0, TrueType
    "DroidSansFallback.ttf",
    "NotoSansSC-Regular.ttf",  # Google Fonts static TrueType
    "NotoSansSC[wght].ttf",
    "wqy-microhei.ttc",  # WenQuanYi, TrueType in a collection
    "wqy-zenhei.ttc",
    "msyh.ttc",  # Microsoft YaHei
    "msyh.ttf",
    "simhei.ttf",
    "simsun.ttc",
    "ArialUnicode.ttf",
    "Arial Unicode.ttf",
    "NotoSansCJK-Regular.ttc",  # Debian fonts-noto-cjk: CFF, PNG/SVG only
    "NotoSansCJKsc-Regular.otf",
    "SourceHanSansSC-Regular.otf",
    "SourceHanSans-Regular.ttc",
    "PingFang.ttc",
    "Hiragino Sans GB.ttc",
)
"""Known CJK font file names, most preferred first."""

CJK_FAMILY_NAMES: tuple[str, ...] = (
    "Droid Sans Fallback",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "Arial Unicode MS",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Hiragino Sans GB",
)
"""Family names of CJK fonts that matplotlib may already have found on the system."""

# Characters a usable font must cover: 中 (U+4E2D) 浙 (U+6D59) 疫 (U+75AB) 码 (U+7801).
_PROBE_CHARS = (0x4E2D, 0x6D59, 0x75AB, 0x7801)


@dataclass(frozen=True)
class CjkFont:
    """A CJK font file found on this machine."""

    path: Path
    family: str
    truetype: bool


_registered: dict[str, CjkFont | None] = {}


def has_truetype_outlines(path: Path) -> bool:
    """Whether a font file holds TrueType (``glyf``) outlines rather than CFF.

    Reads the sfnt header: version ``0x00010000`` or ``'true'`` is TrueType, ``'OTTO'`` is CFF; a
    collection (``'ttcf'``) is judged by its first font (OpenType spec, "Font file" and "TTC header").
    """
    with Path(path).open("rb") as fh:
        head = fh.read(16)
        if head[:4] == b"ttcf" and len(head) >= 16:
            fh.seek(int.from_bytes(head[12:16], "big"))
            head = fh.read(4)
    return head[:4] in (b"\x00\x01\x00\x00", b"true")


def has_cjk_glyphs(path: Path) -> bool:
    """Whether the font's character map covers a few common Chinese characters."""
    from matplotlib.ft2font import FT2Font

    try:
        charmap = FT2Font(str(path)).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(code in charmap for code in _PROBE_CHARS)


def _describe(path: Path) -> CjkFont:
    family = font_manager.FontProperties(fname=str(path)).get_name()
    return CjkFont(path=path, family=family, truetype=has_truetype_outlines(path))


def _files_in_search_dirs() -> list[Path]:
    wanted = {name.lower(): rank for rank, name in enumerate(CJK_FONT_FILES)}
    found: list[tuple[int, str, Path]] = []
    for folder in FONT_SEARCH_DIRS:
        if not folder.is_dir():
            continue
        for root, _dirs, files in os.walk(folder):
            for name in files:
                rank = wanted.get(name.lower())
                if rank is not None:
                    path = Path(root) / name
                    found.append((rank, str(path), path))
    return [path for _, _, path in sorted(found)]


def _files_known_to_matplotlib() -> list[Path]:
    ranks = {name: rank for rank, name in enumerate(CJK_FAMILY_NAMES)}
    hits = sorted((ranks[entry.name], entry.fname) for entry in font_manager.fontManager.ttflist if entry.name in ranks)
    return [Path(fname) for _, fname in hits]


def find_cjk_font() -> CjkFont | None:
    """The best CJK font on this machine, or ``None`` (see the module docstring for the order).

    Raises
    ------
    MissingFontError
        ``EPIANALYSIS_CJK_FONT`` is set but names a missing file or a font without Chinese glyphs.
    """
    env = os.environ.get(CJK_FONT_ENV, "").strip()
    if env:
        path = Path(env).expanduser()
        if not path.is_file():
            raise MissingFontError(f"{CJK_FONT_ENV}={env!r}: no such font file. {INSTALL_HINT}")
        if not has_cjk_glyphs(path):
            raise MissingFontError(f"{CJK_FONT_ENV}={env!r}: font has no Chinese glyphs. {INSTALL_HINT}")
        return _describe(path)
    candidates = [p for p in (*_files_in_search_dirs(), *_files_known_to_matplotlib()) if has_cjk_glyphs(p)]
    if not candidates:
        return None
    # Stable sort: TrueType first, the preference order otherwise kept.
    best = sorted(candidates, key=lambda p: not has_truetype_outlines(p))[0]
    return _describe(best)


def register_cjk_font() -> str | None:
    """Register the best CJK font with matplotlib; return its family name, or ``None`` if none exists.

    The font is added with ``matplotlib.font_manager.fontManager.addfont`` and placed in
    ``rcParams["font.family"]`` after :data:`LATIN_FONT`, so Latin text keeps its look and Chinese
    glyphs fall back to the CJK font. The search runs once per process (see :func:`clear_cache`).
    """
    if "font" not in _registered:
        font = find_cjk_font()
        if font is not None:
            font_manager.fontManager.addfont(str(font.path))
            _registered["press"] = _register_press_font(font)
        _registered["font"] = font
    font = _registered["font"]
    if font is None:
        return None
    matplotlib.rcParams["font.family"] = [*latin_families(), *cjk_families()]
    return font.family


def _register_press_font(font: CjkFont) -> str | None:
    """Register the cut-down copy of a TrueType CJK font (:mod:`epianalysis.charts.fontsubset`)."""
    from epianalysis.charts import fontsubset

    made = fontsubset.press_font(font.path, font.family) if font.truetype else None
    if made is None:
        return None
    path, family = made
    font_manager.fontManager.addfont(str(path))
    return family


#: The faces of the Latin font charts use (weight, style), each copied for :func:`latin_families`.
_LATIN_FACES = (("normal", "normal"), ("bold", "normal"), ("normal", "oblique"), ("bold", "oblique"))


def latin_families() -> list[str]:
    """The Latin families a chart names first: the copy of :data:`LATIN_FONT`'s faces holding the
    characters of our own texts (fast to embed in PDF; :mod:`epianalysis.charts.fontsubset`), then
    the font itself for any other character. Only the font itself when a face cannot be copied."""
    if "latin" not in _registered:
        _registered["latin"] = _register_latin_copies()
    return [name for name in (_registered["latin"], LATIN_FONT) if name]


def _register_latin_copies() -> str | None:
    from epianalysis.charts import fontsubset

    made = []
    for weight, style in _LATIN_FACES:
        properties = font_manager.FontProperties(family=LATIN_FONT, weight=weight, style=style)
        copy = fontsubset.press_font(Path(font_manager.findfont(properties, fallback_to_default=False)), LATIN_FONT)
        if copy is None:  # every face or none: a family without its bold face would change the look
            return None
        made.append(copy)
    for path, _ in made:
        font_manager.fontManager.addfont(str(path))
    return made[0][1]


def cjk_families() -> list[str]:
    """The CJK families a Chinese chart names after the Latin font: the copy holding the characters of
    our own texts (fast to embed in PDF), then the full font for any other character."""
    font, press = _registered.get("font"), _registered.get("press")
    return [name for name in (press, font.family if font else None) if name]


def prepare() -> CjkFont | None:
    """Find the fonts and make their cut-down copies now, leaving the global settings as they were;
    returns the CJK font found (``None`` if none).

    The copies are made once per cache folder (:mod:`epianalysis.charts.fontsubset`); a run that starts
    several processes calls this first, so that they find the copies instead of each making them.
    """
    saved = list(matplotlib.rcParams["font.family"])
    try:
        register_cjk_font()  # searched once per process
    finally:
        matplotlib.rcParams["font.family"] = saved
    latin_families()
    return registered_cjk_font()


def registered_cjk_font() -> CjkFont | None:
    """The font registered by :func:`register_cjk_font` (``None`` if none, or not searched yet)."""
    return _registered.get("font")


def clear_cache() -> None:
    """Forget the font found, so the next :func:`register_cjk_font` searches again."""
    _registered.clear()


def font_rc(lang: str) -> dict[str, object]:
    """The rcParams for text in ``lang``, without changing global state.

    ``"en"``: the Latin fonts only (:func:`latin_families`; identical output whether or not a CJK font
    is installed).
    ``"zh"``: the Latin font, then the CJK fonts (:func:`cjk_families`).

    Raises
    ------
    MissingFontError
        ``lang="zh"`` and no CJK font is available; the message says how to install one.
    """
    check_language(lang)
    families = latin_families()
    if lang == "zh":
        saved = list(matplotlib.rcParams["font.family"])
        try:
            family = register_cjk_font()
        finally:
            matplotlib.rcParams["font.family"] = saved
        if family is None:
            raise MissingFontError(INSTALL_HINT)
        families += cjk_families()
    return {"font.family": families, "axes.unicode_minus": True}


def use_language(lang: str) -> dict[str, object]:
    """Set the global rcParams for text in ``lang`` (for analysts' own plots) and return them.

    Raises :class:`MissingFontError` for ``"zh"`` without a CJK font; ``"en"`` always works.
    """
    rc = font_rc(lang)
    matplotlib.rcParams.update(rc)
    return rc
