"""A Bayesian workbench for Analysis of Competing Hypotheses: the engine.

``import analysis`` stays light: PyMC, Streamlit, Altair and reportlab are imported
only by the modules that need them (``analysis.uncertainty``, ``analysis.charts``,
``analysis.brief``).
"""

from __future__ import annotations

__version__ = "0.1.0"

from analysis.case import Case, Hypothesis, Item, Prob, Source
from analysis.engine.analyzer import Analysis, UncertaintySummary, analyze
from analysis.errors import CaseError, Problem

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
