"""Scenarios: an analyst's what-if changes to a case, applied, described and saved.

``adjustments`` holds what moved and applies it; ``describe`` says it in English;
``persist`` writes the scenario (through :mod:`analysis.casefile`); ``ratings`` is the
Learn exercise's view of a case with the student's ratings.
"""

from analysis.casefile.writer import dump_yaml, renamed
from analysis.errors import CaseExists
from analysis.scenario.adjustments import (
    Adjustments,
    apply,
    dropped_ratings,
    file_credibility,
    file_likelihood,
    file_prior,
    owner,
    prune,
    scenario_prior,
)
from analysis.scenario.describe import Change, count_changes, describe, scenario_note
from analysis.scenario.persist import save, scenario_yaml
from analysis.scenario.ratings import with_ratings

__all__ = [
    "Adjustments",
    "CaseExists",
    "Change",
    "apply",
    "count_changes",
    "describe",
    "dropped_ratings",
    "dump_yaml",
    "file_credibility",
    "file_likelihood",
    "file_prior",
    "owner",
    "prune",
    "renamed",
    "save",
    "scenario_note",
    "scenario_prior",
    "scenario_yaml",
    "with_ratings",
]
