"""Heuer's classic ACH scores, and why they may disagree with the Bayesian reading.

* Each cell of the matrix has a rating CC/C/N/I/II/NA: the one the case gives, else
  the rating nearest the likelihood (:func:`~analysis.scales.rating_for_likelihood`).
* Inconsistency score of a hypothesis: I counts 1, II counts 2, the rest 0.
* PARC ACH's weighted score: each I or II point times the item's credibility
  weight times its relevance weight (low = 1/sqrt 2, medium = 1, high = sqrt 2). A
  word credibility maps straight to its weight; a number maps through
  :data:`~analysis.scales.CREDIBILITY_BANDS` (a range uses its mean).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.case import Case, Item
from analysis.scales import (
    PARC_WEIGHTS,
    RATING_CUTS,
    RATING_INCONSISTENCY,
    credibility_word,
)


@dataclass(frozen=True)
class HeuerResult:
    """The classic view of a case."""

    #: ``ratings[i, k]``: the rating of item i under hypothesis k
    ratings: np.ndarray
    #: ``given[i, k]``: whether that rating was given in the file (False: derived)
    given: np.ndarray
    #: per-item weight (credibility weight x relevance weight)
    weights: np.ndarray
    inconsistency: np.ndarray
    weighted_inconsistency: np.ndarray
    #: hypothesis indices from least to most inconsistent (weighted score; ties by count)
    ranking: tuple[int, ...]


_CUTS = np.array([upper for upper, _ in RATING_CUTS])
_DERIVED = np.array([rating for _, rating in RATING_CUTS] + ["CC"])


def derived_ratings(likelihood: np.ndarray) -> np.ndarray:
    """The rating nearest each likelihood (vectorised :func:`rating_for_likelihood`)."""
    return _DERIVED[np.searchsorted(_CUTS, likelihood, side="right")]


def credibility_weight(case: Case, item: Item) -> float:
    """PARC's credibility weight of the source behind ``item``."""
    prob = case.credibility_of(item)
    word = prob.word if prob.origin == "word" else credibility_word(prob.value)
    return PARC_WEIGHTS[word]  # type: ignore[index]


def heuer_scores(case: Case, likelihood: np.ndarray | None = None) -> HeuerResult:
    """Ratings, inconsistency and weighted inconsistency for the case's evidence.

    ``likelihood`` is the case's ``(N, K)`` likelihood matrix when the caller has it.
    """
    ids = case.hypothesis_ids
    if likelihood is None:
        likelihood = case.likelihood_matrix(case.evidence)
    ratings = derived_ratings(likelihood).astype("<U2")
    given = np.zeros(ratings.shape, dtype=bool)
    for i, item in enumerate(case.evidence):
        for h, rating in item.ratings.items():
            k = ids.index(h)
            ratings[i, k] = rating
            given[i, k] = True
    points = np.zeros(ratings.shape)
    for rating, value in RATING_INCONSISTENCY.items():
        points[ratings == rating] = value
    weights = np.array(
        [
            credibility_weight(case, item) * PARC_WEIGHTS[item.relevance_or_default]
            for item in case.evidence
        ],
        dtype=float,
    )
    inconsistency = points.sum(axis=0)
    weighted = (points * weights[:, None]).sum(axis=0)
    order = sorted(range(len(ids)), key=lambda j: (round(weighted[j], 9), inconsistency[j]))
    return HeuerResult(ratings, given, weights, inconsistency, weighted, tuple(order))


@dataclass(frozen=True)
class Disagreement:
    """Where counting inconsistencies and Bayes pick different leaders."""

    heuer_leader: int
    bayes_leader: int
    #: items that most favour the Bayesian leader over Heuer's, with their decibans
    decisive_items: tuple[tuple[int, float], ...]
    explanation: str


def explain_disagreement(
    case: Case,
    heuer: HeuerResult,
    posterior: np.ndarray,
    woe_between: np.ndarray,
) -> Disagreement | None:
    """Explain, in plain words, why Heuer's leader differs from Bayes' (None if it doesn't).

    ``woe_between`` is the weight of evidence of each item for the Bayesian leader
    over Heuer's leader, in decibans.
    """
    heuer_leader = heuer.ranking[0]
    bayes_leader = int(np.argmax(posterior))
    if heuer_leader == bayes_leader:
        return None
    labels = [h.label for h in case.hypotheses]
    order = np.argsort(-np.abs(woe_between))[:3]
    decisive = tuple((int(i), float(woe_between[i])) for i in order if woe_between[i] != 0)
    named = ", ".join(f"'{case.evidence[i].id}' ({w:+.1f} dB)" for i, w in decisive) or "none"
    fewer = heuer.weighted_inconsistency[heuer_leader]
    more = heuer.weighted_inconsistency[bayes_leader]
    explanation = (
        f"Counting inconsistencies favours {labels[heuer_leader]} (weighted score {fewer:.1f} "
        f"against {more:.1f}), but Bayes favours {labels[bayes_leader]}. Counting treats every "
        "inconsistency alike and ignores evidence that fits one hypothesis much better than "
        "another; Bayes weighs each item by how much more expected it is under one hypothesis "
        f"than the other. The items that separate them most: {named}."
    )
    return Disagreement(heuer_leader, bayes_leader, decisive, explanation)
