"""Heuer's ratings from likelihoods (relative diagnosticity) and the disagreement's reasons."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import ROOT
from factories import make_case, probability, random_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import analyze
from analysis.casefile.loader import load_case
from analysis.engine.heuer import derived_ratings, heuer_best
from analysis.scales import RATING_LIKELIHOOD, rating_for_likelihood


@given(st.floats(0.001, 1.0), st.integers(2, 6))
def test_an_item_flat_across_hypotheses_is_neutral_everywhere(value, k):
    assert derived_ratings(np.full((1, k), value)).tolist() == [["N"] * k]


@given(st.lists(probability, min_size=2, max_size=6), st.floats(0.05, 1.0))
def test_ratings_depend_only_on_the_ratios_within_an_item(row, scale):
    """Scaling an item's likelihoods by one factor keeps every rating (relative rule)."""
    scaled = [v * scale for v in row]
    assert derived_ratings(np.array([row])).tolist() == derived_ratings(np.array([scaled])).tolist()


@given(st.lists(probability, min_size=2, max_size=6))
def test_the_vectorised_rule_is_the_documented_one(row):
    mean = sum(row) / len(row)
    expected = [rating_for_likelihood(v, mean) for v in row]
    assert derived_ratings(np.array([row])).tolist() == [expected]


def test_relative_rule_by_hand():
    # mean 0.5: the scale's own values map back to themselves
    row = [0.5, 0.5, 0.5, 0.5]
    assert derived_ratings(np.array([row])).tolist() == [["N"] * 4]
    # mean 0.2625; 0.05 / 0.2625 * 0.5 = 0.095 (between the II and I cuts: I)
    assert derived_ratings(np.array([[0.3, 0.4, 0.3, 0.05]])).tolist() == [["N", "C", "N", "I"]]
    # the documented cut points, relative to the mean
    assert rating_for_likelihood(0.9, 0.5) == "CC" and rating_for_likelihood(0.1, 0.5) == "I"
    assert rating_for_likelihood(RATING_LIKELIHOOD["I"]) == "I"


def test_the_seed_cases_flat_speculation_is_neutral():
    """The issue's artefact: an item flat across hypotheses rated I against three of them."""
    case = load_case("nk-hamas", ROOT)
    analysis = analyze(case)
    for i, item in enumerate(case.evidence):
        row = analysis.likelihood[i]
        if not item.ratings and row.max() / row.min() < 10 ** (1 / 10):  # within 1 dB
            assert set(analysis.heuer.ratings[i]) == {"N"}, item.id


@settings(max_examples=60, deadline=None)
@given(random_cases(max_k=4, max_n=6))
def test_the_reasons_add_up_to_the_bayesian_margin(case):
    """Unseen and counted items together weigh exactly log posterior odds minus log prior odds."""
    analysis = analyze(case)
    disagreement = analysis.disagreement
    best = heuer_best(analysis.heuer)
    # no disagreement to explain where the two agree, or where Bayes itself ties the
    # count's choice with another hypothesis (it favours neither)
    tied = analysis.tied
    agree = best == (analysis.leader,) or (len(tied) > 1 and bool(set(best) & set(tied)))
    assert (disagreement is None) == agree
    if disagreement is None:
        return
    a, b = disagreement.bayes_leader, disagreement.compared
    assert b in best and a != b
    margin = 10 * math.log10(
        (analysis.posterior[a] / analysis.posterior[b]) / (case.prior[a] / case.prior[b])
    )
    groups = {m.kind: m for m in disagreement.mechanisms}
    total = sum(m.decibans for m in groups.values())
    # a group whose items are all under the naming threshold may be left out (< 0.5 dB each)
    assert total == pytest.approx(margin, abs=0.5 * len(case.evidence) + 1e-9)
    if len(groups) == 2:
        assert total == pytest.approx(margin, abs=1e-9)


def test_the_teaching_case_names_consistent_evidence_as_the_reason():
    case = load_case("office-leak", ROOT)
    analysis = analyze(case)
    disagreement = analysis.disagreement
    assert disagreement is not None
    unseen = next(m for m in disagreement.mechanisms if m.kind == "unseen")
    named = {case.evidence[i].id for i, _ in unseen.items}
    assert {"print-log", "reporter-classmate"} <= named
    assert unseen.decibans > 0
    assert "invisible to it" in disagreement.explanation


def test_a_count_tie_is_a_disagreement_that_says_so():
    # h0 and h1 both have no inconsistency; h0 is strongly favoured by consistent items
    case = make_case([[0.95, 0.5, 0.02], [0.9, 0.5, 0.02]])
    analysis = analyze(case)
    assert heuer_best(analysis.heuer) == (0, 1)
    assert analysis.disagreement is not None
    assert analysis.disagreement.explanation.startswith("Counting inconsistencies cannot separate")


def test_the_neutral_band_the_matrix_names_is_where_derived_ratings_turn():
    from analysis.scales import neutral_band, rating_for_likelihood

    low, high = neutral_band()
    for mean in (0.2, 0.5, 0.8):
        assert rating_for_likelihood(mean * low * 1.001, mean) == "N"
        assert rating_for_likelihood(mean * low * 0.999, mean) == "I"
        assert rating_for_likelihood(mean * high * 0.999, mean) == "N"
        assert rating_for_likelihood(mean * high * 1.001, mean) == "C"
