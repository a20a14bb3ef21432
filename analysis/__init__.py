"""A Bayesian workbench for Analysis of Competing Hypotheses: the engine.

``import analysis`` stays light: PyMC, Streamlit, Altair and reportlab are imported
only by the modules that need them (``analysis.uncertainty``, ``analysis.charts``,
``analysis.brief``).
"""

from __future__ import annotations

from .case import Case, Hypothesis, Item, Prob, Source
from .engine import Analysis, UncertaintySummary, analyze
from .errors import CaseError, Problem

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Case",
    "CaseError",
    "Hypothesis",
    "Item",
    "Prob",
    "Problem",
    "Source",
    "UncertaintySummary",
    "__version__",
    "analyze",
]
