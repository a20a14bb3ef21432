"""Hypothesis strategies for random cases (see :func:`analysis.testing.synthetic.make_case`)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from analysis.testing.synthetic import make_case

__all__ = ["make_case", "probability", "random_cases"]

probability = st.floats(min_value=0.001, max_value=0.999, allow_nan=False)


@st.composite
def random_cases(draw, max_k: int = 5, max_n: int = 8, min_n: int = 1):
    """Small random cases with per-item sources, random credibilities and priors."""
    k = draw(st.integers(2, max_k))
    n = draw(st.integers(min_n, max_n))
    likelihoods = draw(
        st.lists(st.lists(probability, min_size=k, max_size=k), min_size=n, max_size=n)
    )
    credibility = draw(st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n))
    weights = draw(st.lists(st.floats(0.05, 1.0), min_size=k, max_size=k))
    prior = np.array(weights) / sum(weights)
    return make_case(likelihoods, credibility=credibility, prior=prior)
