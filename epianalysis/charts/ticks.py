"""Value ticks written by the text layer: no needless decimals, percentages as the text layer writes them.

Whole tick values are written without decimals ("80", "85%"); otherwise every tick of the axis gets
the fewest decimals (at most two) that write each value exactly ("0.5", "1.0", "1.5"). Numbers go
through :mod:`epianalysis.text.format` (thousands separators, the true minus sign), the percent sign
through the shared ``percent`` label, so a tick reads like the same number anywhere else.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.ticker import Formatter

from epianalysis.text import format as fmt
from epianalysis.text.labels import check_language, label

MAX_DECIMALS = 2


def tick_decimals(values: Sequence[float]) -> int:
    """The fewest decimals (0 to :data:`MAX_DECIMALS`) that write every value exactly.

    >>> tick_decimals([80.0, 85.0, 100.0]), tick_decimals([0.0, 0.5, 1.0]), tick_decimals([82.5, 85.0])
    (0, 1, 1)
    """
    for decimals in range(MAX_DECIMALS + 1):
        if all(abs(v - round(v, decimals)) <= 1e-9 * max(1.0, abs(v)) for v in values):
            return decimals
    return MAX_DECIMALS


class NumberFormatter(Formatter):
    """Ticks as plain numbers (``percent=False``) or percentages of values already in percent.

    >>> NumberFormatter("en").format_ticks([80.0, 82.5, 85.0])
    ['80.0', '82.5', '85.0']
    >>> NumberFormatter("en", percent=True).format_ticks([0.0, 20.0, 100.0])
    ['0%', '20%', '100%']
    """

    def __init__(self, lang: str, percent: bool = False):
        self.lang = check_language(lang)
        self.percent = percent

    def _write(self, value: float, decimals: int) -> str:
        text = fmt.decimal(0.0 if abs(value) < 1e-12 else value, self.lang, decimals)
        return label("percent", self.lang, value=text) if self.percent else text

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self._write(x, tick_decimals([x]))

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        decimals = tick_decimals(list(values))
        return [self._write(v, decimals) for v in values]


def number_formatter(lang: str) -> NumberFormatter:
    """Plain number ticks (:class:`NumberFormatter`)."""
    return NumberFormatter(lang)


def percent_formatter(lang: str) -> NumberFormatter:
    """Percent ticks for values already in percent: "0%", "20%", ..., "100%"."""
    return NumberFormatter(lang, percent=True)
