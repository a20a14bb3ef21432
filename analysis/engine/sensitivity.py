"""One-at-a-time sensitivity: how far the leading hypothesis's probability moves
as each of the analyst's numbers moves across its range.

Each likelihood and each source credibility is moved to the two ends of its range:
the ``[low, high]`` the analyst wrote, or, for a single number, the documented
default band — the 5th and 95th percentiles of the Beta distribution that the
uncertainty model gives that number (see :mod:`analysis.elicit`). Numbers fixed at
exactly 0 or 1, and the default credibility of 1, have no band and are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.case import Prob
from analysis.elicit import beta_parameters
from analysis.engine import bayes, weights
from analysis.engine.analyzer import Analysis


@dataclass(frozen=True)
class SensitivityBar:
    """The leader's posterior at either end of one number's range."""

    label: str
    kind: str  # "likelihood" or "credibility"
    item_ids: tuple[str, ...]
    hypothesis_id: str | None
    low: float  # the number's low end
    high: float  # the number's high end
    low_value: float  # the leader's posterior with the number at ``low``
    high_value: float  # ... at ``high``
    base: float  # the leader's posterior as the case stands

    @property
    def swing(self) -> float:
        return abs(self.high_value - self.low_value)


def band_of(prob: Prob, concentration: float) -> tuple[float, float] | None:
    """The range a number is moved across: as written, else its Beta's 90% band."""
    if prob.origin == "range":
        return float(prob.low), float(prob.high)  # type: ignore[arg-type]
    params = beta_parameters(prob, concentration)
    if params is None:
        return None
    from scipy import stats

    low, high = stats.beta.ppf([0.05, 0.95], *params)
    return float(low), float(high)


def _leader_after(
    analysis: Analysis,
    rows: list[int],
    likelihood: np.ndarray,
    credibility: np.ndarray,
    event_likelihood: np.ndarray | None = None,
) -> float:
    """The leader's posterior with ``rows`` of the evidence recomputed from new inputs
    (and the events' likelihoods replaced by ``event_likelihood`` when given)."""
    case = analysis.case
    unreliable = case.unreliable_vector(tuple(case.evidence[i] for i in rows), likelihood)
    if event_likelihood is not None or any(case.evidence[i].event for i in rows):
        all_l, all_c, all_b = (a.copy() for a in case.evidence_arrays)
        all_l[rows], all_c[rows], all_b[rows] = likelihood, credibility, unreliable
        weighed = weights.weigh(
            case, analysis.trajectory_order, all_l, all_c, all_b, event_likelihood
        )
        total = np.log(analysis.prior) + weighed.log_weight.sum(axis=0)
        return float(np.exp(bayes.normalise_log(total))[analysis.leader])
    new_log = np.log(bayes.effective_likelihood(likelihood, credibility, unreliable))
    total = (
        np.log(analysis.prior)
        + analysis.log_effective.sum(axis=0)
        - analysis.log_effective[rows].sum(axis=0)
        + new_log.sum(axis=0)
    )
    return float(np.exp(bayes.normalise_log(total))[analysis.leader])


def tornado(analysis: Analysis, top: int | None = 15) -> list[SensitivityBar]:
    """Sensitivity bars for every uncertain number, largest swing first (``top`` kept)."""
    case = analysis.case
    ids = case.hypothesis_ids
    k_conc = case.effective_concentration
    base = float(analysis.posterior[analysis.leader])
    bars: list[SensitivityBar] = []

    for i, item in enumerate(case.evidence):
        if item.event is not None or item.retracted:
            continue  # its likelihoods are its event's (below), or it carries no weight
        for k, h in enumerate(ids):
            band = band_of(item.likelihoods[h], k_conc)
            if band is None:
                continue
            ends = []
            for value in band:
                row = analysis.likelihood[[i]].copy()
                row[0, k] = value
                ends.append(_leader_after(analysis, [i], row, analysis.credibility[[i]]))
            bars.append(
                SensitivityBar(
                    f"{item.id}: P(E | {case.labels[h]})",
                    "likelihood",
                    (item.id,),
                    h,
                    band[0],
                    band[1],
                    ends[0],
                    ends[1],
                    base,
                )
            )

    for e, event in enumerate(case.events):
        rows = list(case.event_reports[event.id])
        for k, h in enumerate(ids):
            band = band_of(event.likelihoods[h], k_conc)
            if band is None or not rows:
                continue
            ends = []
            for value in band:
                q = case.event_likelihood.copy()
                q[e, k] = value
                row = np.repeat(q[[e]], len(rows), axis=0)
                ends.append(_leader_after(analysis, rows, row, analysis.credibility[rows], q))
            bars.append(
                SensitivityBar(
                    f"{event.id}: P(event | {case.labels[h]})",
                    "likelihood",
                    tuple(case.evidence[i].id for i in rows),
                    h,
                    band[0],
                    band[1],
                    ends[0],
                    ends[1],
                    base,
                )
            )

    for source in case.sources:
        rows = [
            i
            for i, item in enumerate(case.evidence)
            if item.source == source.id and not item.retracted
        ]
        band = band_of(source.credibility, k_conc)
        if not rows or band is None:
            continue
        ends = [
            _leader_after(analysis, rows, analysis.likelihood[rows], np.full(len(rows), value))
            for value in band
        ]
        bars.append(
            SensitivityBar(
                f"credibility of {source.name}",
                "credibility",
                tuple(case.evidence[i].id for i in rows),
                None,
                band[0],
                band[1],
                ends[0],
                ends[1],
                base,
            )
        )

    bars.sort(key=lambda bar: -bar.swing)
    return bars if top is None else bars[:top]
