"""Turning the analyst's numbers into Beta distributions.

* A ``[low, high]`` range is read as a 90% interval and fitted by maximum entropy:
  of all Beta distributions with 90% of their mass in ``[low, high]``, the one with
  the largest entropy (the least extra information). This is the fit PreliZ's
  ``maxent`` performs; it is reimplemented here with scipy so that loading a case
  does not pay PreliZ's import cost (about 4 s) — the test suite checks the two
  agree.
* A point value ``v`` becomes ``Beta(v * k, (1 - v) * k)`` with the case's
  concentration ``k`` (``defaults.concentration``, else
  :data:`~analysis.scales.DEFAULT_CONCENTRATION`).
* A credibility word uses its documented number with concentration
  :data:`~analysis.scales.CREDIBILITY_WORD_CONCENTRATION`.
* Exactly 0 or 1 is a certainty and stays fixed.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from analysis.case import Prob
from analysis.errors import RangeFitError
from analysis.scales import CREDIBILITY_WORD_CONCENTRATION

MASS = 0.90


@lru_cache(maxsize=4096)
def fit_beta_range(low: float, high: float, mass: float = MASS) -> tuple[float, float]:
    """``(alpha, beta)`` of the maximum-entropy Beta with ``mass`` inside ``[low, high]``."""
    from scipy import optimize, stats

    if not 0.0 <= low < high <= 1.0:
        raise RangeFitError(f"[{low}, {high}] is not a range inside [0, 1]")
    mid = 0.5 * (low + high)
    sd = (high - low) / 3.29
    var = min(sd * sd, 0.9 * mid * (1 - mid))
    kappa = max(mid * (1 - mid) / var - 1.0, 0.5)
    start = np.log([mid * kappa, (1 - mid) * kappa])

    def negative_entropy(x: np.ndarray) -> float:
        return -float(stats.beta(*np.exp(x)).entropy())

    def mass_gap(x: np.ndarray) -> float:
        a, b = np.exp(x)
        return float(stats.beta.cdf(high, a, b) - stats.beta.cdf(low, a, b) - mass)

    result = optimize.minimize(
        negative_entropy,
        start,
        method="SLSQP",
        constraints=[{"type": "eq", "fun": mass_gap}],
        bounds=[(-7.0, 12.0), (-7.0, 12.0)],
        options={"ftol": 1e-10, "maxiter": 300},
    )
    if not result.success or abs(mass_gap(result.x)) > 1e-4:
        raise RangeFitError(
            f"no Beta distribution puts 90% of its mass in [{low}, {high}]; narrow the range"
        )
    a, b = np.exp(result.x)
    return float(a), float(b)


def range_mean(low: float, high: float) -> float:
    """The mean of the maximum-entropy Beta for the 90% range ``[low, high]``."""
    a, b = fit_beta_range(low, high)
    return a / (a + b)


def beta_parameters(prob: Prob, concentration: float) -> tuple[float, float] | None:
    """The Beta ``(alpha, beta)`` standing for ``prob``, or None when it is fixed.

    ``concentration`` applies to point values (and ratings); words use
    :data:`CREDIBILITY_WORD_CONCENTRATION`; ranges use their maximum-entropy fit;
    0, 1 and the default credibility of 1 are fixed.
    """
    if prob.origin == "range":
        return fit_beta_range(prob.low, prob.high)  # type: ignore[arg-type]
    if prob.origin == "default" or prob.value <= 0.0 or prob.value >= 1.0:
        return None
    k = CREDIBILITY_WORD_CONCENTRATION if prob.origin == "word" else concentration
    return prob.value * k, (1.0 - prob.value) * k
