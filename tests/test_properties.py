"""Property-based tests of the exact engine."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from factories import make_case, probability, random_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import analyze
from analysis.engine.bayes import DB

SETTINGS = settings(max_examples=80, deadline=None, derandomize=True)


@SETTINGS
@given(random_cases())
def test_posterior_is_a_distribution(case):
    posterior = analyze(case).posterior
    assert np.all(posterior >= 0)
    assert abs(posterior.sum() - 1) < 1e-12


@SETTINGS
@given(random_cases(min_n=2), st.randoms(use_true_random=False))
def test_evidence_order_does_not_matter(case, rng):
    items = list(case.evidence)
    rng.shuffle(items)
    shuffled = case.with_changes(evidence=tuple(items))
    np.testing.assert_allclose(analyze(shuffled).posterior, analyze(case).posterior, rtol=1e-10)


@SETTINGS
@given(random_cases(), probability, st.floats(0, 1))
def test_non_diagnostic_item_changes_nothing(case, value, credibility):
    k = len(case.hypotheses)
    likelihoods = np.vstack([case.likelihood_matrix(case.evidence), np.full(k, value)])
    creds = [*case.credibility_vector(case.evidence), credibility]
    extended = make_case(likelihoods, credibility=creds, prior=case.prior)
    np.testing.assert_allclose(
        analyze(extended).posterior, analyze(case).posterior, rtol=1e-10, atol=1e-15
    )
    assert analyze(extended).diagnosticity[-1] < 1e-9


@SETTINGS
@given(random_cases(), st.lists(probability, min_size=5, max_size=5))
def test_zero_credibility_source_changes_nothing(case, row):
    k = len(case.hypotheses)
    likelihoods = np.vstack([case.likelihood_matrix(case.evidence), row[:k]])
    creds = [*case.credibility_vector(case.evidence), 0.0]
    extended = make_case(likelihoods, credibility=creds, prior=case.prior)
    np.testing.assert_allclose(
        analyze(extended).posterior, analyze(case).posterior, rtol=1e-10, atol=1e-15
    )


@SETTINGS
@given(random_cases())
def test_contributions_sum_to_the_logits(case):
    result = analyze(case)
    logits = DB * np.log(result.posterior)
    centred = logits - logits.mean()
    total = result.prior_contribution + result.contribution.sum(axis=0)
    np.testing.assert_allclose(total, centred, atol=1e-8)


@SETTINGS
@given(random_cases(min_n=2))
def test_leave_one_out_equals_recomputation(case):
    result = analyze(case)
    for i in range(len(case.evidence)):
        without = case.with_changes(evidence=case.evidence[:i] + case.evidence[i + 1 :])
        np.testing.assert_allclose(
            result.posterior_without[i], analyze(without).posterior, rtol=1e-9, atol=1e-15
        )
        assert result.linchpin[i] == (
            np.argmax(analyze(without).posterior) != np.argmax(result.posterior)
        )


@SETTINGS
@given(random_cases())
def test_trajectory_ends_at_the_posterior(case):
    result = analyze(case)
    np.testing.assert_allclose(result.trajectory[-1], result.posterior, rtol=1e-10)


@SETTINGS
@given(random_cases(), st.integers(0, 4), st.integers(0, 4))
def test_pairwise_weight_is_antisymmetric_and_additive(case, h, g):
    k = len(case.hypotheses)
    h, g = h % k, g % k
    result = analyze(case)
    forward = result.weight_of_evidence(h, g)
    np.testing.assert_allclose(forward, -result.weight_of_evidence(g, h), atol=1e-12)
    # the weights add to the change in log-odds from prior to posterior
    change = DB * (
        np.log(result.posterior[h] / result.posterior[g])
        - np.log(result.prior[h] / result.prior[g])
    )
    np.testing.assert_allclose(forward.sum(), change, atol=1e-8)


def test_extremes_stay_finite():
    rng = np.random.default_rng(7)
    likelihoods = rng.uniform(1e-12, 1.0, size=(5000, 20))
    likelihoods[::7, 3] = 1e-12
    likelihoods[::11, 5] = 0.0
    case = make_case(likelihoods, credibility=rng.uniform(0, 1, 5000))
    result = analyze(case)
    for array in (
        result.posterior,
        result.contribution,
        result.posterior_without,
        result.trajectory,
        result.diagnosticity,
    ):
        assert np.all(np.isfinite(array))
    assert abs(result.posterior.sum() - 1) < 1e-9


def test_tiny_likelihoods_with_full_credibility_stay_finite():
    likelihoods = np.array([[1e-12, 0.5], [1e-12, 0.4], [0.0, 0.9], [0.3, 0.0]])
    result = analyze(make_case(likelihoods))
    assert np.all(np.isfinite(result.posterior))
    assert np.all(np.isfinite(result.contribution))
    assert abs(result.posterior.sum() - 1) < 1e-12


@SETTINGS
@given(st.floats(0, 1))
def test_the_quick_point_constructor_builds_the_same_prob(value):
    from dataclasses import fields

    from analysis.case import Prob

    quick, plain = Prob.point(value), Prob(value)
    # every field read back: a slot added to Prob but not written by point() is unset,
    # and reading it raises
    names = [f.name for f in fields(Prob)]
    assert [getattr(quick, n) for n in names] == [getattr(plain, n) for n in names]
    assert quick == plain and hash(quick) == hash(plain) and repr(quick) == repr(plain)


_FINITE = st.floats(allow_nan=False, allow_infinity=False)  # no case file holds NaN or inf
_JSON_LEAVES = st.none() | st.booleans() | st.text(max_size=8) | _FINITE
_JSON_LEAVES |= st.integers(-(2**70), 2**70)  # past 64 bits orjson refuses: json writes it
_JSON = st.recursive(
    _JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=20,
)


def _reversed_keys(data):
    if isinstance(data, dict):
        return {key: _reversed_keys(data[key]) for key in reversed(list(data))}
    if isinstance(data, list):
        return [_reversed_keys(value) for value in data]
    return data


@SETTINGS
@given(_JSON)
def test_canonical_json_reads_back_and_ignores_key_order(data):
    import json

    from analysis.case import canonical_json

    text = canonical_json(data)
    assert json.loads(text) == data
    assert canonical_json(_reversed_keys(data)) == text


def test_canonical_json_writes_numpy_numbers_as_numbers():
    from analysis.case import canonical_json

    plain = {"value": 0.35, "count": 3, "range": [0.1, 0.9]}
    numpy = {"value": np.float64(0.35), "count": np.int64(3), "range": list(np.array([0.1, 0.9]))}
    assert (
        canonical_json(numpy)
        == canonical_json(plain)
        == b'{"count":3,"range":[0.1,0.9],"value":0.35}'
    )


def test_content_hash_follows_the_content(repo_root):
    from analysis.case import Prob
    from analysis.casefile.loader import load_case

    case = load_case("nk-hamas", repo_root)
    item = case.evidence[0]
    hid = case.hypothesis_ids[0]
    moved = Prob.point(0.5 if item.likelihoods[hid].value != 0.5 else 0.6)
    changed = case.with_changes(
        evidence=(replace(item, likelihoods={**item.likelihoods, hid: moved}), *case.evidence[1:])
    )
    assert len(case.content_hash) == 16
    assert changed.content_hash != case.content_hash
    assert case.with_changes().content_hash == case.content_hash
