"""Turning the analyst's numbers into Beta distributions.

* A ``[low, high]`` range is read as a 90% interval and fitted by maximum entropy:
  of all Beta distributions with 90% of their mass in ``[low, high]``, the one with
  the largest entropy (the least extra information). This is the fit PreliZ's
  ``maxent`` performs; it is reimplemented here so that loading a case pays neither
  PreliZ's import (about 4 s) nor SciPy's (about 2 s): :func:`_fit_plain` solves it
  in plain Python (:mod:`analysis.betamath`) as a one-dimensional search over the
  mean, the concentration solved for the 90% mass at each step. A range touching 0
  or 1, or one the plain search cannot settle, falls back to SciPy's SLSQP
  (:func:`_fit_scipy`). The test suite checks all three agree.
* A point value ``v`` becomes ``Beta(v * k, (1 - v) * k)`` with the case's
  concentration ``k`` (``defaults.concentration``, else
  :data:`~analysis.scales.DEFAULT_CONCENTRATION`).
* A credibility word uses its documented number with concentration
  :data:`~analysis.scales.CREDIBILITY_WORD_CONCENTRATION`.
* Exactly 0 or 1 is a certainty and stays fixed.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from analysis import betamath
from analysis.case import Prob
from analysis.errors import RangeFitError
from analysis.scales import CREDIBILITY_WORD_CONCENTRATION

MASS = 0.90


@lru_cache(maxsize=4096)
def fit_beta_range(low: float, high: float, mass: float = MASS) -> tuple[float, float]:
    """``(alpha, beta)`` of the maximum-entropy Beta with ``mass`` inside ``[low, high]``.

    Raises :class:`RangeFitError`, never another error, when no Beta fits: a range so
    narrow that its width underflows (``[0, 1e-170]``) fails inside the arithmetic.
    """
    if not 0.0 <= low < high <= 1.0:
        raise RangeFitError(f"[{low}, {high}] is not a range inside [0, 1]")
    try:
        a, b = _fit_plain(low, high, mass) or _fit_scipy(low, high, mass)
    except (ArithmeticError, ValueError) as error:  # RangeFitError is a ValueError too
        if isinstance(error, RangeFitError):
            raise
        raise RangeFitError(f"no Beta distribution fits [{low}, {high}]") from None
    if not (math.isfinite(a) and math.isfinite(b) and a > 0.0 and b > 0.0):
        raise RangeFitError(f"no Beta distribution fits [{low}, {high}]")
    return a, b


#: golden-section ratio, and how finely the plain search settles the mean
_GOLDEN = (3.0 - math.sqrt(5.0)) / 2.0
_MEAN_TOL = 1e-9
_LOG_KAPPA = (-9.0, 16.0)  # log(alpha + beta) searched within (SLSQP's bounds, widened)


def _mass_gap(m: float, t: float, low: float, high: float, mass: float) -> float:
    kappa = math.exp(t)
    a, b = m * kappa, (1.0 - m) * kappa
    return betamath.beta_cdf(high, a, b) - betamath.beta_cdf(low, a, b) - mass


def _log_kappa(m: float, start: float, low: float, high: float, mass: float) -> float | None:
    """``log(alpha + beta)`` giving mean ``m`` exactly ``mass`` in ``[low, high]`` (or None).

    The mass grows with the concentration (0 at the limit of 0, 1 at infinity). Secant
    steps from ``start`` (the previous mean's answer, so usually three or four
    evaluations); if they stray, the root is bracketed by stepping outwards and
    narrowed by regula falsi (the Illinois variant)."""
    lo_t, hi_t = _LOG_KAPPA
    t0 = min(max(start, lo_t), hi_t)
    g0 = _mass_gap(m, t0, low, high, mass)
    t1 = t0 + (0.01 if g0 < 0 else -0.01)
    g1 = _mass_gap(m, t1, low, high, mass)
    for _ in range(8):
        if abs(g1) < 1e-13:
            return t1
        if g1 == g0:
            break
        t2 = t1 - g1 * (t1 - t0) / (g1 - g0)
        if not lo_t <= t2 <= hi_t or abs(t2 - t1) > 2.0:
            break
        t0, g0, t1, g1 = t1, g1, t2, _mass_gap(m, t2, low, high, mass)
    return _bracketed(m, start, low, high, mass)


def _bracketed(m: float, start: float, low: float, high: float, mass: float) -> float | None:
    lo_t, hi_t = _LOG_KAPPA
    t0 = min(max(start, lo_t), hi_t)
    g0 = _mass_gap(m, t0, low, high, mass)
    step = 0.5 if g0 < 0 else -0.5
    t1, g1 = t0, g0
    while (g1 < 0) == (g0 < 0):
        t0, g0 = t1, g1
        t1 = t1 + step
        if not lo_t <= t1 <= hi_t:
            return None
        g1 = _mass_gap(m, t1, low, high, mass)
        step *= 2.0
    side = 0
    for _ in range(200):
        t = t1 - g1 * (t1 - t0) / (g1 - g0)
        g = _mass_gap(m, t, low, high, mass)
        if abs(g) < 1e-13 or abs(t1 - t0) < 1e-13:
            return t
        if (g < 0) == (g1 < 0):
            t1, g1 = t, g
            if side == -1:
                g0 /= 2.0
            side = -1
        else:
            t0, g0 = t, g
            if side == 1:
                g1 /= 2.0
            side = 1
    return None


def _maximise(f, a: float, b: float, tol: float) -> float:
    """The maximiser of ``f`` on ``[a, b]``: Brent's method (golden section with
    parabolic steps), as in SciPy's ``fminbound``."""
    x = w = v = a + _GOLDEN * (b - a)
    fx = fw = fv = -f(x)
    d = e = 0.0
    for _ in range(500):
        mid = 0.5 * (a + b)
        tol1 = tol + 1e-12 * abs(x)
        tol2 = 2.0 * tol1
        if abs(x - mid) <= tol2 - 0.5 * (b - a):
            break
        golden = True
        if abs(e) > tol1:
            r = (x - w) * (fx - fv)
            q = (x - v) * (fx - fw)
            p = (x - v) * q - (x - w) * r
            q = 2.0 * (q - r)
            if q > 0.0:
                p = -p
            q = abs(q)
            if abs(p) < abs(0.5 * q * e) and q * (a - x) < p < q * (b - x):
                e, d = d, p / q
                golden = False
                u = x + d
                if u - a < tol2 or b - u < tol2:
                    d = tol1 if mid >= x else -tol1
        if golden:
            e = (b - x) if x < mid else (a - x)
            d = _GOLDEN * e
        u = x + (d if abs(d) >= tol1 else (tol1 if d > 0 else -tol1))
        fu = -f(u)
        if fu <= fx:
            if u >= x:
                a = x
            else:
                b = x
            v, fv, w, fw, x, fx = w, fw, x, fx, u, fu
        else:
            if u < x:
                a = u
            else:
                b = u
            if fu <= fw or w == x:
                v, fv, w, fw = w, fw, u, fu
            elif fu <= fv or v in (x, w):
                v, fv = u, fu
    return x


def _fit_plain(low: float, high: float, mass: float) -> tuple[float, float] | None:
    """The maximum-entropy fit in plain Python: a search over the Beta's mean."""
    if low <= 0.0 or high >= 1.0:
        return None
    mid = 0.5 * (low + high)
    sd = (high - low) / 3.29
    last = [math.log(max(mid * (1 - mid) / min(sd * sd, 0.9 * mid * (1 - mid)) - 1.0, 0.5))]
    solved: dict[float, float | None] = {}

    def entropy(m: float) -> float:
        t = _log_kappa(m, last[0], low, high, mass)
        solved[m] = t
        if t is None:
            return -math.inf
        last[0] = t
        kappa = math.exp(t)
        return betamath.beta_entropy(m * kappa, (1.0 - m) * kappa)

    m = _maximise(entropy, low, high, _MEAN_TOL)
    t = solved.get(m)
    if t is None or m - low < 1e-6 or high - m < 1e-6:
        return None
    kappa = math.exp(t)
    return m * kappa, (1.0 - m) * kappa


def _fit_scipy(low: float, high: float, mass: float) -> tuple[float, float]:
    """The same fit by SciPy's SLSQP (ranges touching 0 or 1; the tests' reference)."""
    from scipy import optimize, stats

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
