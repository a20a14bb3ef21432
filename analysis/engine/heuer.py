"""Heuer's classic ACH scores, and why they may disagree with the Bayesian reading.

* Each cell of the matrix has a rating CC/C/N/I/II/NA: the one the case gives, else
  the rating of the likelihood *relative to the item's mean likelihood*
  (:func:`~analysis.scales.rating_for_likelihood`), so an item equally expected under
  every hypothesis is N everywhere: a rating measures diagnosticity, not probability.
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
from analysis.engine.bayes import leaders
from analysis.scales import (
    PARC_WEIGHTS,
    RATING_CUTS,
    RATING_INCONSISTENCY,
    RATING_LIKELIHOOD,
    credibility_word,
)
from analysis.wording import count


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
    #: what the count gets wrong for this case (reports of one event counted apart)
    note: str | None = None


_CUTS = np.array([upper for upper, _ in RATING_CUTS])
_DERIVED = np.array([rating for _, rating in RATING_CUTS] + ["CC"])


def derived_ratings(likelihood: np.ndarray) -> np.ndarray:
    """The rating of each likelihood relative to its row's mean (vectorised
    :func:`~analysis.scales.rating_for_likelihood`)."""
    likelihood = np.asarray(likelihood, dtype=float)
    if likelihood.size == 0:
        return np.empty(likelihood.shape, dtype="<U2")
    mean = likelihood.mean(axis=1, keepdims=True)
    neutral = RATING_LIKELIHOOD["N"]
    scaled = np.divide(likelihood * neutral, mean, out=np.zeros_like(likelihood), where=mean > 0)
    return _DERIVED[np.searchsorted(_CUTS, scaled, side="right")]


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
    points[case.retracted_mask] = 0.0  # a retracted item is rated but never counted
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
    return HeuerResult(
        ratings, given, weights, inconsistency, weighted, tuple(order), _counting_note(case)
    )


def _counting_note(case: Case) -> str | None:
    """Say so when several reports of one event are each counted (as classic ACH does)."""
    if not case.events:
        return None
    counted = {
        event: sum(not case.evidence[i].retracted for i in rows)
        for event, rows in case.event_reports.items()
    }
    repeated = {event: n for event, n in counted.items() if n > 1}
    if not repeated:
        return None
    named = ", ".join(f"'{e}' ({count(n, 'report')})" for e, n in repeated.items())
    return (
        f"Each report is rated by its event's likelihoods, so the count takes one event as "
        f"many times as it is reported ({named}): it double-counts exactly as classic ACH "
        "does. The Bayesian view weighs each event once, however many report it."
    )


#: An item moving the odds between two hypotheses by less than this (decibans) is not
#: named as a reason they differ.
NAMED_DB = 0.5


@dataclass(frozen=True)
class Mechanism:
    """One reason counting and Bayes part: a group of items and what they weigh."""

    #: "unseen": items counting scores alike for the two hypotheses but Bayes does not;
    #: "counted": items whose inconsistency points differ, as Bayes weighs them
    kind: str
    #: (item index, decibans for the Bayesian leader over the compared hypothesis)
    items: tuple[tuple[int, float], ...]
    #: their total weight of evidence, decibans (positive favours the Bayesian leader)
    decibans: float
    #: Heuer's inconsistency points they give the compared hypothesis minus the leader
    points: float


@dataclass(frozen=True)
class Disagreement:
    """Where counting inconsistencies and Bayes pick different leaders (or counting ties)."""

    heuer_leader: int
    bayes_leader: int
    #: hypotheses sharing Heuer's best score (more than one: counting cannot separate them)
    heuer_best: tuple[int, ...]
    #: the hypothesis the Bayesian leader is compared with: Heuer's best, the likeliest one
    compared: int
    #: items that most favour the Bayesian leader over ``compared``, with their decibans
    decisive_items: tuple[tuple[int, float], ...]
    mechanisms: tuple[Mechanism, ...]
    explanation: str

    @property
    def main_mechanism(self) -> str:
        """The group of items that carries the Bayesian leader ("unseen" or "counted"), or
        "prior" when neither favours it (the prior decides)."""
        ahead = [m for m in self.mechanisms if m.decibans > 0]
        return max(ahead, key=lambda m: m.decibans).kind if ahead else "prior"


def _points(ratings: np.ndarray) -> np.ndarray:
    points = np.zeros(ratings.shape)
    for rating, value in RATING_INCONSISTENCY.items():
        points[ratings == rating] = value
    return points


def heuer_best(heuer: HeuerResult) -> tuple[int, ...]:
    """Every hypothesis tied with Heuer's leader (same weighted score and count)."""
    first = heuer.ranking[0]

    def key(k: int) -> tuple[float, float]:
        return (round(float(heuer.weighted_inconsistency[k]), 9), float(heuer.inconsistency[k]))

    return tuple(k for k in heuer.ranking if key(k) == key(first))


def _named(case: Case, heuer: HeuerResult, items, leader: int, other: int) -> str:
    parts = []
    for i, w in items[:3]:
        mine, theirs = heuer.ratings[i, leader], heuer.ratings[i, other]
        parts.append(f"'{case.evidence[i].id}' ({mine} against {theirs}, {w:+.1f} dB)")
    return ", ".join(parts)


def _mechanisms(heuer: HeuerResult, woe: np.ndarray, leader: int, other: int):
    points = _points(heuer.ratings)
    gap = points[:, other] - points[:, leader]
    groups = []
    for kind, rows in (("unseen", gap == 0), ("counted", gap != 0)):
        chosen = [i for i in np.flatnonzero(rows) if abs(woe[i]) >= NAMED_DB]
        chosen.sort(key=lambda i: -woe[i] if kind == "unseen" else -abs(woe[i]))
        total = float(woe[rows].sum())
        if chosen or abs(total) >= NAMED_DB:
            items = tuple((int(i), float(woe[i])) for i in chosen)
            groups.append(Mechanism(kind, items, total, float(gap[rows].sum())))
    return tuple(groups)


def _counted_sentence(case, heuer, counted, unseen, leader: int, other: int) -> str:
    labels = [h.label for h in case.hypotheses]
    against = labels[leader] if counted.points < 0 else labels[other]
    points = (
        f"put {count(int(abs(counted.points)), 'more inconsistency point')} against {against}"
        if counted.points
        else "score both alike"
    )
    named = _named(case, heuer, counted.items, leader, other)
    favoured = labels[leader] if counted.decibans > 0 else labels[other]
    agree = (counted.points < 0) == (counted.decibans < 0) and counted.points != 0
    if agree and unseen is not None and unseen.decibans > abs(counted.decibans):
        return (
            f"The items the count does score {points}, and Bayes agrees they favour "
            f"{favoured}, but by only {abs(counted.decibans):.1f} dB, less than the invisible "
            f"items weigh ({named})."
        )
    double = any(
        RATING_INCONSISTENCY[heuer.ratings[i, k]] == 2
        for i, _ in counted.items
        for k in (leader, other)
    )
    why = (
        "a point is a point whatever the source's credibility, and a II (likelihood "
        f"{RATING_LIKELIHOOD['II']:g}) counts only twice an I ({RATING_LIKELIHOOD['I']:g}) "
        "though it is far less expected"
        if double
        else "a point is a point whatever the likelihoods and the source's credibility"
    )
    return (
        f"The items the count does score {points}, yet Bayes finds them favouring "
        f"{favoured} by {abs(counted.decibans):.1f} dB: {why} ({named})."
    )


def explain_disagreement(
    case: Case,
    heuer: HeuerResult,
    posterior: np.ndarray,
    log_effective: np.ndarray,
) -> Disagreement | None:
    """Why Heuer's count and Bayes part on this case, computed from its items (None when
    counting picks the Bayesian leader alone).

    The Bayesian leader is compared with the likeliest hypothesis among Heuer's best.
    Items are split by whether counting scores them differently for the two: items it
    scores alike (consistent against neutral, or equally rated) are *unseen* by the
    count, however much more expected they are under one; items it scores differently
    are *counted*, one point per I and two per II whatever their likelihoods and the
    credibility of their sources. The explanation names the group that decides.
    """
    best = heuer_best(heuer)
    top = leaders(posterior)
    leader = top[0]
    if best == (leader,) or (len(top) > 1 and set(best) & set(top)):
        return None  # they agree, or Bayes itself ties the count's choice with another
    others = [k for k in best if k != leader]
    other = max(others, key=lambda k: posterior[k])
    woe = 10.0 * (log_effective[:, leader] - log_effective[:, other]) / np.log(10.0)
    labels = [h.label for h in case.hypotheses]
    mechanisms = _mechanisms(heuer, woe, leader, other)
    order = np.argsort(-np.abs(woe), kind="stable")[:3]
    decisive = tuple((int(i), float(woe[i])) for i in order if abs(woe[i]) > 0)
    score = heuer.weighted_inconsistency
    if leader in best:
        names = " and ".join([", ".join(labels[k] for k in best[:-1]), labels[best[-1]]])
        opening = (
            f"Counting inconsistencies cannot separate {names} (each weighted score "
            f"{score[leader]:.1f}), but Bayes favours {labels[leader]}."
        )
    else:
        opening = (
            f"Counting inconsistencies favours {labels[other]} (weighted score "
            f"{score[other]:.1f} against {score[leader]:.1f} for {labels[leader]}), but Bayes "
            f"favours {labels[leader]}."
        )
    sentences = [opening]
    by_kind = {m.kind: m for m in mechanisms}
    unseen, counted = by_kind.get("unseen"), by_kind.get("counted")
    if unseen is not None and unseen.items:
        lean = labels[leader] if unseen.decibans > 0 else labels[other]
        sentences.append(
            f"Items the count scores alike for the two (consistent against neutral, or "
            f"rated the same) are invisible to it, but Bayes finds them favouring {lean} by "
            f"{abs(unseen.decibans):.1f} dB in all: "
            f"{_named(case, heuer, unseen.items, leader, other)}."
        )
    if counted is not None and counted.items:
        sentences.append(_counted_sentence(case, heuer, counted, unseen, leader, other))
    explanation = " ".join(sentences)
    return Disagreement(best[0], leader, best, other, decisive, mechanisms, explanation)
