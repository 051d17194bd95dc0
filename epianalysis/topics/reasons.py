"""Why a topic does not apply to a day, in every language (docs/output.md#topics-that-do-not-apply).

A reason is a label key with parameters: the registry's ``na_missing_tables`` and ``na_starts_later``
(``text/labels.toml``) and a topic's own, e.g. ``zoning.na_no_county_rows`` (its ``labels.toml``).
It crosses from a topic (the registry, or a notebook raising :class:`~epianalysis.errors.NotApplicable`)
to ``summary.json`` as one string: the English text, then the code and its parameters in brackets, as
a broken rule is written with its id::

    applies from data date 2020-02-11 (...) [na_starts_later: topic=health_codes; first=2020-02-11]

:func:`reason` writes that string, :func:`parse` reads the code and parameters back, and
:func:`reason_text` says the reason in a language of the pages. A parameter value holds no ``;`` or
``]``. A reason without brackets (written before the codes) is shown as the English text in English
and as ``na_unknown`` in other languages, never as an English sentence on a Chinese page.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from epianalysis.text.dates import date
from epianalysis.text.labels import label

_MARKER = re.compile(r"^(?P<text>.*?)\s*\[(?P<code>[a-z_][a-z0-9_.]*)(?::\s*(?P<params>[^\]]*))?\]$", re.S)
#: The label said when a reason has no code (languages other than English).
UNKNOWN = "na_unknown"


#: The registry's first dates and their reasons (the file ``epianalysis.topics`` reads too).
APPLIES_FILE = Path(__file__).resolve().parent / "applies.toml"


@cache
def _because() -> dict[str, dict]:
    return tomllib.loads(APPLIES_FILE.read_text("utf-8"))


def _fields(code: str, params: dict[str, str], lang: str) -> dict[str, str]:
    """The label's values: the parameters, and for ``na_starts_later`` the registry's ``because`` in ``lang``."""
    fields = dict(params)
    if code == "na_starts_later":
        fields["first"] = date(params.get("first", ""), lang) if params.get("first") else ""
        entry = _because().get(params.get("topic", ""), {})
        because = entry.get("because" if lang == "en" else f"because_{lang}", "")
        fields["because"] = label("na_because", lang, because=because) if because else ""
    return fields


def reason(code: str, **params: object) -> str:
    """The string that says why a topic does not apply: English text of label ``code`` with ``params``,
    then ``[code: key=value; ...]`` (module docstring).

    Parameters
    ----------
    code : str
        A label key (``"zoning.na_no_county_rows"``).
    **params
        The label's placeholders; each value is written with ``str`` and must hold no ``;`` or ``]``.

    Returns
    -------
    str
    """
    values = {key: str(value) for key, value in params.items()}
    for key, value in values.items():
        if ";" in value or "]" in value:
            raise ValueError(f"reason parameter {key}={value!r} holds ';' or ']'")
    text = label(code, "en", **_fields(code, values, "en"))
    marker = "; ".join(f"{key}={value}" for key, value in values.items())
    return f"{text} [{code}: {marker}]" if marker else f"{text} [{code}]"


def parse(text: str) -> tuple[str | None, dict[str, str], str]:
    """The code, the parameters and the English text of a reason written by :func:`reason`
    (code ``None`` and the whole string as text when it has no brackets)."""
    match = _MARKER.match(text.strip())
    if match is None:
        return None, {}, text.strip()
    params: dict[str, str] = {}
    for part in (match.group("params") or "").split(";"):
        key, sep, value = part.strip().partition("=")
        if sep:
            params[key.strip()] = value.strip()
    return match.group("code"), params, match.group("text")


def reason_text(text: str, lang: str) -> str:
    """The reason ``text`` (as ``summary.json`` keeps it) said in ``lang``, from its label."""
    code, params, english = parse(text)
    if code is None:
        return english if lang == "en" else label(UNKNOWN, lang)
    try:
        return label(code, lang, **_fields(code, params, lang))
    except KeyError:  # a code this version does not know
        return english if lang == "en" else label(UNKNOWN, lang)
