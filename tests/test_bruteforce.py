"""The closed form against brute-force enumeration of the joint distribution.

The generative story, written out independently of the engine's algebra: H is
drawn from the prior; for each item the event X_i happens with probability
L[i, H]; the source is reliable with probability c, in which case it reports X_i,
otherwise it reports "yes" with probability b[i] whatever happened. We observe a
report of "yes" from every item and sum the joint over every hidden configuration.
"""

from __future__ import annotations

import itertools

import numpy as np
from factories import make_case, random_cases
from hypothesis import given, settings

from analysis import analyze
from analysis.engine.bayes import entropy_bits


def joint_posterior(prior, likelihood, credibility, unreliable, observed=None):
    """P(H | reports) by summing over (H, reliable_i, X_i) for all items."""
    n, k = likelihood.shape
    observed = [1] * n if observed is None else observed
    weight = np.zeros(k)
    for h in range(k):
        for config in itertools.product([0, 1], [0, 1], repeat=n):
            # config alternates (reliable, event) per item
            p = prior[h]
            for i in range(n):
                reliable, event = config[2 * i], config[2 * i + 1]
                p *= credibility[i] if reliable else 1 - credibility[i]
                p *= likelihood[i, h] if event else 1 - likelihood[i, h]
                report_yes = event if reliable else unreliable[i]
                p *= report_yes if observed[i] else 1 - report_yes
            weight[h] += p
    return weight / weight.sum()


def _inputs(case):
    items = case.evidence
    return (
        case.prior,
        case.likelihood_matrix(items),
        case.credibility_vector(items),
        case.unreliable_vector(items),
    )


@settings(max_examples=60, deadline=None, derandomize=True)
@given(random_cases(max_k=4, max_n=4))
def test_posterior_matches_enumeration(case):
    expected = joint_posterior(*_inputs(case))
    np.testing.assert_allclose(analyze(case).posterior, expected, rtol=1e-9, atol=1e-12)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(random_cases(max_k=4, max_n=4, min_n=2))
def test_leave_one_out_matches_enumeration(case):
    prior, likelihood, credibility, unreliable = _inputs(case)
    result = analyze(case)
    for i in range(likelihood.shape[0]):
        keep = [j for j in range(likelihood.shape[0]) if j != i]
        expected = joint_posterior(prior, likelihood[keep], credibility[keep], unreliable[keep])
        np.testing.assert_allclose(result.posterior_without[i], expected, rtol=1e-9, atol=1e-12)


def test_indicators_match_enumeration():
    likelihood = np.array([[0.9, 0.3, 0.5], [0.4, 0.6, 0.2]])
    indicators = np.array([[0.8, 0.1, 0.4], [0.5, 0.5, 0.5]])
    case = make_case(likelihood, credibility=[0.8, 0.6], indicators=indicators)
    result = analyze(case)
    prior, lik, cred, unrel = _inputs(case)
    by_id = {ind.item.id: ind for ind in result.indicators}
    for j, row in enumerate(indicators):
        all_l = np.vstack([lik, row])
        all_c = np.append(cred, 1.0)
        all_b = np.append(unrel, row @ prior)
        seen = joint_posterior(prior, all_l, all_c, all_b, observed=[1, 1, 1])
        unseen = joint_posterior(prior, all_l, all_c, all_b, observed=[1, 1, 0])
        p_seen = float(result.posterior @ row)
        info = entropy_bits(result.posterior) - (
            p_seen * entropy_bits(seen) + (1 - p_seen) * entropy_bits(unseen)
        )
        ind = by_id[f"x{j}"]
        np.testing.assert_allclose(ind.if_seen, seen, rtol=1e-9)
        np.testing.assert_allclose(ind.if_not_seen, unseen, rtol=1e-9)
        np.testing.assert_allclose(ind.expected_information_bits, max(info, 0.0), atol=1e-12)
    # the non-diagnostic indicator tells us nothing and ranks last
    assert result.indicators[-1].item.id == "x1"
    assert result.indicators[-1].expected_information_bits < 1e-12
