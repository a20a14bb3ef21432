"""The exact engine: a validated :class:`~analysis.case.Case` in, an :class:`Analysis` out.

``bayes`` holds the closed-form maths on arrays; ``analyzer`` assembles every result a
view renders; ``heuer``, ``confidence`` and ``sensitivity`` hold one rule set each.
"""

from analysis.engine.analyzer import Analysis, UncertaintySummary, analyze
from analysis.engine.run import run

__all__ = ["Analysis", "UncertaintySummary", "analyze", "run"]
