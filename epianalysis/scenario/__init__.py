"""The embedded synthetic scenario (Zhejiang, 2020-01-17 .. 2020-04-30) behind ``data/sample``.

``generate(out, seed, scale, progress)`` writes every table of the data contracts (cases,
cases_unplaced, health_code_log, health_codes, enterprises, enterprise_daily, control, flow) and
``source.toml`` into ``out``, atomically. Official figures it follows: :mod:`.figures`.
"""

from epianalysis.scenario.writer import generate

__all__ = ["generate"]
