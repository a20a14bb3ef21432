"""Adjustments: what the analyst moved, and the case they make.

A scenario is the file's case plus a set of :class:`Adjustments` (what the dashboard's
sliders hold): prior weights, likelihood points and source credibilities. Nothing
here imports Streamlit; the dashboard keeps the adjustments and calls these
functions, so the same code can be tested (and used) without a browser.

* Prior sliders hold *weights*: the scenario's prior is the weights normalised to
  sum to one (a hypothesis without a moved slider keeps the file's prior as its
  weight). Changing a prior therefore writes every prior into the scenario, as the
  case format requires (all or none).
* A moved likelihood or credibility becomes a plain point value; everything left
  alone keeps exactly what the file wrote (ranges, words, Heuer ratings).
* Ratings follow the numbers: a moved likelihood drops the Heuer rating the file gave
  for that cell (see :func:`apply`), so the classic view derives it from the new number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from analysis.case import Case, Prob
from analysis.errors import ScenarioError

#: Two numbers this close are the same slider position.
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Adjustments:
    """What the analyst moved: every mapping holds only what differs from the file."""

    #: hypothesis id -> prior weight (normalised with the others on apply)
    priors: Mapping[str, float] = field(default_factory=dict)
    #: (item id, hypothesis id) -> likelihood point
    likelihoods: Mapping[tuple[str, str], float] = field(default_factory=dict)
    #: source id -> credibility point
    credibilities: Mapping[str, float] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.priors or self.likelihoods or self.credibilities)

    def key(self) -> tuple:
        """A hashable, order-independent form (for caches)."""
        return (
            tuple(sorted(self.priors.items())),
            tuple(sorted(self.likelihoods.items())),
            tuple(sorted(self.credibilities.items())),
        )


# -- the file's values (what the sliders start at) --------------------------------------
def file_prior(case: Case) -> dict[str, float]:
    """The prior the case uses, per hypothesis (uniform when the file gives none)."""
    return {h: float(p) for h, p in zip(case.hypothesis_ids, case.prior, strict=True)}


def file_likelihood(case: Case, item_id: str, hypothesis: str) -> float:
    return float(_item(case, item_id).likelihoods[hypothesis].value)


def file_credibility(case: Case, source_id: str) -> float:
    return float(case.source_by_id[source_id].credibility.value)


def _item(case: Case, item_id: str):
    for item in case.evidence:
        if item.id == item_id:
            return item
    raise KeyError(f"no evidence item '{item_id}' in case '{case.name}'")


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE


def prune(case: Case, adjustments: Adjustments) -> Adjustments:
    """``adjustments`` without the entries that equal the file's values (or name nothing)."""
    prior = file_prior(case)
    items = {item.id: item for item in case.evidence}
    priors = {
        h: float(v) for h, v in adjustments.priors.items() if h in prior and not _same(v, prior[h])
    }
    likelihoods = {
        (i, h): float(v)
        for (i, h), v in adjustments.likelihoods.items()
        if i in items and h in items[i].likelihoods and not _same(v, items[i].likelihoods[h].value)
    }
    credibilities = {
        s: float(v)
        for s, v in adjustments.credibilities.items()
        if s in case.source_by_id and not _same(v, file_credibility(case, s))
    }
    return Adjustments(priors, likelihoods, credibilities)


# -- applying ----------------------------------------------------------------------------
def scenario_prior(case: Case, adjustments: Adjustments) -> dict[str, float]:
    """The scenario's prior: the weights (moved or from the file) normalised to sum 1."""
    weights = file_prior(case)
    weights.update({h: float(v) for h, v in adjustments.priors.items() if h in weights})
    values = np.array(list(weights.values()), dtype=float)
    if values.sum() <= 0:
        raise ScenarioError("prior weights must not all be zero")
    values = values / values.sum()
    return dict(zip(weights, (float(v) for v in values), strict=True))


def apply(case: Case, adjustments: Adjustments) -> Case:
    """A new case with ``adjustments`` applied (``case`` itself when there are none).

    Ratings follow the numbers: when a likelihood is moved for a cell whose Heuer
    rating the file gave, that given rating is dropped from the scenario, so Heuer's
    view derives the cell's rating from the new number (the nearest rating on the
    documented scale) instead of showing a rating that no longer matches it. Saving
    the scenario writes the number and no rating for that cell. Cells whose
    likelihood is left alone keep their given ratings. :func:`dropped_ratings` lists
    the cells concerned.
    """
    adjustments = prune(case, adjustments)
    if not adjustments:
        return case
    changes: dict = {}
    if adjustments.priors:
        prior = scenario_prior(case, adjustments)
        changes["hypotheses"] = tuple(replace(h, prior=prior[h.id]) for h in case.hypotheses)
    if adjustments.credibilities:
        changes["sources"] = tuple(
            replace(s, credibility=Prob(adjustments.credibilities[s.id], "point"))
            if s.id in adjustments.credibilities
            else s
            for s in case.sources
        )
    if adjustments.likelihoods:
        by_item: dict[str, dict[str, float]] = {}
        for (item_id, h), value in adjustments.likelihoods.items():
            by_item.setdefault(item_id, {})[h] = value
        evidence = []
        for item in case.evidence:
            moved = by_item.get(item.id)
            if moved:
                likelihoods = {
                    h: Prob(moved[h], "point") if h in moved else p
                    for h, p in item.likelihoods.items()
                }
                ratings = {h: r for h, r in item.ratings.items() if h not in moved}
                item = replace(item, likelihoods=likelihoods, ratings=ratings)
            evidence.append(item)
        changes["evidence"] = tuple(evidence)
    return case.with_changes(**changes)


def dropped_ratings(case: Case, adjustments: Adjustments) -> list[tuple[str, str]]:
    """The (item id, hypothesis id) cells whose given Heuer rating :func:`apply` drops.

    These are the cells with a moved likelihood and a rating given in the file; in
    the scenario their rating is derived from the new number. File order.
    """
    moved = prune(case, adjustments).likelihoods
    return [
        (item.id, h)
        for item in case.evidence
        for h in case.hypothesis_ids
        if (item.id, h) in moved and h in item.ratings
    ]
