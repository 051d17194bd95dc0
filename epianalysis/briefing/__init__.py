"""Briefings: the parameters and context a briefing notebook works in, and the runner that executes the
notebooks with papermill into ``reports/<date>/``.

Notebooks call :func:`open_briefing`; the CLI calls :func:`epianalysis.briefing.runner.run_briefing`.
"""

from epianalysis.briefing.context import Briefing, open_briefing
from epianalysis.briefing.params import BriefingParams

__all__ = ["Briefing", "BriefingParams", "open_briefing"]
