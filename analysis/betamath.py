"""The Beta distribution's functions in plain Python (``math`` only, no SciPy).

Loading a case fits a Beta to every range (:mod:`analysis.elicit`); importing SciPy for
that would cost more than the whole analysis (about 2 s of a 2.3 s ``ach analyze``), so
the few functions the fit needs are written here: the regularised incomplete beta
function (Lentz's continued fraction, Numerical Recipes 6.4), the digamma function
(recurrence and asymptotic series) and the entropy. tests/test_elicit.py checks each
against SciPy to 1e-12.
"""

from __future__ import annotations

import math

_TINY = 1e-300
_EPS = 1e-15


def log_beta(a: float, b: float) -> float:
    """``log B(a, b)``."""
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _continued_fraction(x: float, a: float, b: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        for numerator in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            h *= d * c
        if abs(d * c - 1.0) < _EPS:
            break
    return h


def beta_cdf(x: float, a: float, b: float) -> float:
    """``P(X <= x)`` for ``X ~ Beta(a, b)`` (the regularised incomplete beta ``I_x(a, b)``)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = a * math.log(x) + b * math.log1p(-x) - log_beta(a, b)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _continued_fraction(x, a, b) / a
    return 1.0 - math.exp(log_front) * _continued_fraction(1.0 - x, b, a) / b


def digamma(x: float) -> float:
    """``psi(x)`` for ``x > 0``."""
    result = 0.0
    while x < 10.0:
        result -= 1.0 / x
        x += 1.0
    inv = 1.0 / (x * x)
    series = inv * (1 / 12 - inv * (1 / 120 - inv * (1 / 252 - inv * (1 / 240 - inv * (1 / 132)))))
    return result + math.log(x) - 0.5 / x - series


def beta_entropy(a: float, b: float) -> float:
    """Differential entropy of ``Beta(a, b)`` in nats."""
    return (
        log_beta(a, b)
        - (a - 1.0) * digamma(a)
        - (b - 1.0) * digamma(b)
        + (a + b - 2.0) * digamma(a + b)
    )
