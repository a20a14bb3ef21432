"""Our maximum-entropy Beta fit against PreliZ's ``maxent``, its reference.

PreliZ is imported once per session (about 2-4 s), only here: the engine never pays
for it. PreliZ 0.24 needs ``matplotlib.style.core`` imported first beside matplotlib
3.11, which deprecates that module; the warning is silenced only around that import.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats

from analysis import betamath
from analysis.case import Prob
from analysis.elicit import MASS, _fit_plain, _fit_scipy, beta_parameters, fit_beta_range

RANGES = [
    (0.35, 0.65),
    (0.2, 0.5),
    (0.6, 0.9),
    (0.1, 0.4),
    (0.55, 0.9),
    (0.08, 0.3),
    (0.65, 0.9),
    (0.01, 0.1),
]


@pytest.fixture(scope="session")
def preliz():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*matplotlib\.style\.core.*")
        warnings.filterwarnings("ignore", message=r".*could not link to a BLAS.*")
        import matplotlib.style.core  # noqa: F401  (PreliZ 0.24 needs it loaded first)
        import preliz

    return preliz


@pytest.mark.parametrize(("low", "high"), RANGES)
def test_fit_matches_preliz_maxent(preliz, low, high):
    reference = preliz.Beta()
    with warnings.catch_warnings():
        # PreliZ's optimiser swallows any exception, so a warning raised as an error
        # inside it would silently spoil the reference: these two are noise.
        warnings.filterwarnings("ignore", message=r".*could not link to a BLAS.*")
        warnings.filterwarnings("ignore", message=r".*`broadcastable` keyword is deprecated.*")
        preliz.maxent(reference, low, high, MASS, plot=False)
    alpha, beta = fit_beta_range(low, high)
    np.testing.assert_allclose([alpha, beta], [reference.alpha, reference.beta], rtol=2e-3)


@pytest.mark.parametrize(("low", "high"), RANGES)
def test_fit_holds_ninety_percent(low, high):
    alpha, beta = fit_beta_range(low, high)
    mass = stats.beta.cdf(high, alpha, beta) - stats.beta.cdf(low, alpha, beta)
    assert mass == pytest.approx(MASS, abs=1e-4)


def test_points_words_and_certainties():
    assert beta_parameters(Prob(0.7), 20.0) == pytest.approx((14.0, 6.0))
    assert beta_parameters(Prob(0.9, "word", word="high"), 20.0) == pytest.approx((9.0, 1.0))
    assert beta_parameters(Prob(1.0, "default"), 20.0) is None
    assert beta_parameters(Prob(0.0), 20.0) is None
    assert beta_parameters(Prob(1.0), 20.0) is None


@settings(max_examples=200, deadline=None)
@given(
    x=st.floats(1e-4, 1 - 1e-4),
    log_a=st.floats(-3.0, 7.0),
    log_b=st.floats(-3.0, 7.0),
)
def test_plain_beta_functions_match_scipy(x, log_a, log_b):
    a, b = float(np.exp(log_a)), float(np.exp(log_b))
    assert betamath.beta_cdf(x, a, b) == pytest.approx(stats.beta.cdf(x, a, b), abs=1e-12)
    assert betamath.digamma(a) == pytest.approx(special.digamma(a), rel=1e-12, abs=1e-12)
    assert betamath.beta_entropy(a, b) == pytest.approx(
        stats.beta(a, b).entropy(), rel=1e-10, abs=1e-10
    )


@settings(max_examples=60, deadline=None)
@given(low=st.floats(0.005, 0.9), width=st.floats(0.02, 0.6))
def test_plain_fit_matches_scipy_slsqp(low, width):
    high = min(low + width, 0.995)
    plain = _fit_plain(low, high, MASS)
    assert plain is not None
    np.testing.assert_allclose(plain, _fit_scipy(low, high, MASS), rtol=1e-4)
    alpha, beta = plain
    inside = stats.beta.cdf(high, alpha, beta) - stats.beta.cdf(low, alpha, beta)
    assert inside == pytest.approx(MASS, abs=1e-9)


def test_ranges_touching_the_ends_use_scipy():
    assert _fit_plain(0.0, 0.2, MASS) is None
    assert fit_beta_range(0.0, 0.2) == pytest.approx(_fit_scipy(0.0, 0.2, MASS))
    assert fit_beta_range(0.8, 1.0) == pytest.approx(_fit_scipy(0.8, 1.0, MASS))
