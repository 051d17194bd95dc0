"""A small copy of the CJK font with the characters of our own texts, so that Chinese PDFs export fast.

PDF export embeds every font a chart uses as TrueType (Type 42), cut down to the glyphs the chart uses;
to cut it down, fontTools reads the whole font file each time, and a CJK font is large (Droid Sans
Fallback: 4 MB, about 0.7 s for every Chinese PDF). The Chinese characters of our labels, region names,
reference figures, rule sets and templates are a few hundred. :func:`press_font` writes, once, a copy of
the CJK font with only those characters (and CJK punctuation), under its own family name, into the
cache folder (:func:`epianalysis.paths.cache_dir`; the file name is the digest of the font file's bytes
and of the characters, so a changed font or text gives a new copy). Charts name the copy before the
full font (:func:`epianalysis.charts.fonts.font_rc`): a character outside it, such as one in a data
source's own name, still falls back, glyph by glyph, to the full font. The glyph outlines are the
font's own, so a chart looks the same either way (docs/architecture.md#caches).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from functools import cache
from pathlib import Path

from epianalysis.paths import PACKAGE_DIR, cache_dir

#: Chinese characters and punctuation: CJK radicals to unified ideographs, compatibility ideographs,
#: full-width forms and CJK symbols.
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_TEXT_SUFFIXES = {".py", ".toml", ".csv", ".j2", ".html", ".json"}
FAMILY_SUFFIX = " (epianalysis texts)"


@cache
def text_characters() -> str:
    """The Chinese characters of the package's own texts (labels, names, rules, templates), sorted."""
    found: set[str] = set()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in _TEXT_SUFFIXES and path.is_file():
            found |= set(_CJK.findall(path.read_text("utf-8", errors="ignore")))
    found |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF01, 0xFF5F)}
    return "".join(sorted(found))


def _digest(font: Path, characters: str) -> str:
    h = hashlib.sha256(Path(font).read_bytes())
    h.update(characters.encode("utf-8"))
    return h.hexdigest()[:24]


def _write_subset(font: Path, characters: str, family: str, target: Path) -> None:
    from fontTools import subset

    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
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
    """The cut-down copy of the TrueType CJK font ``font`` (family ``family``) and its family name.

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
