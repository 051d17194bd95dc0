"""Small copies of the chart fonts with the characters of our own texts, so that PDFs export fast.

PDF export embeds every font a chart uses as TrueType (Type 42), cut down to the glyphs the chart uses;
to cut it down, fontTools reads the whole font file each time: a CJK font is large (Droid Sans
Fallback: 4 MB, about 0.7 s for every Chinese PDF) and DejaVu Sans has large layout tables. The
characters our charts write are few: Latin letters, digits and punctuation, and the few hundred Chinese
characters of our labels, region names, reference figures, rule sets and templates.
:func:`press_font` writes, once, a copy of a font with only those characters, under its own family
name (the face's weight and style kept), into the cache folder (:func:`epianalysis.paths.cache_dir`;
the file name is the digest of the font file's bytes and of the characters, so a changed font or text
gives a new copy). Charts name each copy before its full font (:func:`epianalysis.charts.fonts.font_rc`):
a character outside the copies, such as one in a data source's own name, still falls back, glyph by
glyph, to the full font. Outlines, hinting and layout tables are the font's own, so a chart looks the
same either way (docs/architecture.md#caches).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from functools import cache
from pathlib import Path

from epianalysis.fileio import file_sha256
from epianalysis.paths import PACKAGE_DIR, cache_dir

_TEXT_SUFFIXES = {".py", ".toml", ".csv", ".j2", ".html", ".json"}
FAMILY_SUFFIX = " (epianalysis texts)"


#: Always kept: printable ASCII and Latin-1, general punctuation, arrows, mathematical operators, CJK
#: symbols and punctuation, full-width forms.
_ALWAYS = (
    (0x20, 0x7F),
    (0xA0, 0x100),
    (0x2000, 0x2070),
    (0x2190, 0x2200),
    (0x2200, 0x2300),
    (0x3000, 0x3040),
    (0xFF01, 0xFF5F),
)


@cache
def text_characters() -> str:
    """The characters of the package's own texts (labels, names, rules, templates) and of :data:`_ALWAYS`,
    sorted."""
    found: set[str] = {chr(c) for low, high in _ALWAYS for c in range(low, high)}
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in _TEXT_SUFFIXES and path.is_file():
            found |= {c for c in path.read_text("utf-8", errors="ignore") if c.isprintable()}
    return "".join(sorted(found))


def _digest(font: Path, characters: str) -> str:
    return hashlib.sha256(f"{file_sha256(font)}\0{characters}".encode()).hexdigest()[:24]


def _write_subset(font: Path, characters: str, family: str, target: Path) -> None:
    import logging

    from fontTools import subset

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # not a word on tables a copy leaves out
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = ["*"]  # kerning and shaping as in the full font
    options.legacy_kern = True
    options.glyph_names = True
    options.notdef_outline = True
    loaded = subset.load_font(str(font), options)
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=[ord(c) for c in characters])
    subsetter.subset(loaded)
    for record in loaded["name"].names:
        if record.nameID in (1, 4, 16):  # family, full name, typographic family
            record.string = family
        elif record.nameID == 6:  # PostScript name: no spaces or brackets
            record.string = re.sub(r"[^A-Za-z0-9-]", "", family)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        subset.save_font(loaded, temporary, options)
        os.chmod(temporary, 0o644)  # readable like the font it copies
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


def press_font(font: Path, family: str) -> tuple[Path, str] | None:
    """The cut-down copy of the TrueType font ``font`` (family ``family``) and its family name.

    Written into ``cache_dir()/fonts/`` the first time; ``None`` when it cannot be made (the full font
    is then used alone, only slower in PDF).
    """
    characters = text_characters()
    name = family + FAMILY_SUFFIX
    target = cache_dir() / "fonts" / f"cjk-{_digest(font, characters)}.ttf"
    if not target.is_file():
        try:
            _write_subset(Path(font), characters, name, target)
        except Exception:  # noqa: BLE001 - a font fontTools cannot cut down is used whole
            return None
    return target, name
