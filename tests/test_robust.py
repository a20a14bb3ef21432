"""Robust judgments against brute force over every group; the brief's wording helpers."""

from __future__ import annotations

from itertools import combinations

import numpy as np
from factories import random_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.engine.analyzer import analyze
from analysis.engine.robust import ROBUST_PROBABILITY, robust_judgment
from analysis.wording import as_clause, estimative_opening, estimative_predicate

posteriors = st.lists(st.floats(0.001, 1.0), min_size=2, max_size=6).map(
    lambda w: np.array(w) / sum(w)
)


@settings(max_examples=200, deadline=None)
@given(posteriors)
def test_without_leave_one_out_the_group_is_the_smallest_of_all_groups(p):
    """Brute force: the fewest hypotheses of any group reaching the threshold, proper."""
    found = robust_judgment(p, np.zeros((0, len(p))))
    sizes = [
        size
        for size in range(1, len(p))
        for group in combinations(range(len(p)), size)
        if p[list(group)].sum() >= ROBUST_PROBABILITY
    ]
    if not sizes:
        assert found is None
        return
    assert found is not None and len(found.members) == min(sizes)
    assert abs(found.probability - p[list(found.members)].sum()) < 1e-12
    assert sorted(found.members + found.excluded) == list(range(len(p)))
    assert min(p[list(found.members)]) >= max(p[list(found.excluded)])


@settings(max_examples=60, deadline=None)
@given(random_cases())
def test_a_robust_group_survives_leaving_out_any_one_item(case):
    analysis = analyze(case)
    found = robust_judgment(analysis.posterior, analysis.posterior_without)
    if found is None:
        return
    members = list(found.members)
    for without in analysis.posterior_without:  # recomputed by the engine, item by item
        assert without[members].sum() >= ROBUST_PROBABILITY - 1e-12
    assert found.worst_without_one >= ROBUST_PROBABILITY


def test_a_group_that_hangs_on_one_item_is_not_robust():
    p = np.array([0.97, 0.03])
    assert robust_judgment(p, np.array([[0.97, 0.03]])).members == (0,)
    assert robust_judgment(p, np.array([[0.97, 0.03], [0.4, 0.6]])) is None


def test_wording_turns_sentences_into_possibilities():
    assert as_clause("The weapons were not North Korean.") == "the weapons were not North Korean"
    assert as_clause("North Korea supplied them.") == "North Korea supplied them"
    assert as_clause("NATO acted.") == "NATO acted"
    assert estimative_opening("likely") == "It is likely"
    assert estimative_opening("almost no chance") == "There is almost no chance"
    assert estimative_opening("roughly even chance") == "There is a roughly even chance"
    assert estimative_opening("realistic possibility") == "There is a realistic possibility"
    assert (
        estimative_predicate("roughly even chance", "would") == "would have a roughly even chance"
    )
    assert estimative_predicate("realistic possibility") == "is a realistic possibility"
    assert estimative_predicate("very unlikely") == "is very unlikely"
