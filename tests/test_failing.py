"""A case with failed key assumptions, against the engine's "if it fails" and enumeration."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from test_events import CHECK, counted, enumerated_posterior, event_cases

from analysis import analyze
from analysis.case import Assumption
from analysis.engine.failing import failed, resting_rows


def with_assumptions(case, data, n: int):
    ids = [item.id for item in case.evidence] + [e.id for e in case.events]
    assumptions = tuple(
        Assumption(
            f"a{j}",
            "It holds.",
            tuple(data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))),
        )
        for j in range(n)
    )
    return case.with_changes(assumptions=assumptions)


@CHECK
@given(event_cases(), st.data())
def test_one_failed_assumption_gives_the_engines_posterior_if_it_fails(case, data):
    case = with_assumptions(case, data, 2)
    result = analyze(case)
    for found in result.assumptions:
        broken = analyze(failed(case, [found.assumption.id]))
        np.testing.assert_allclose(
            broken.posterior, found.posterior_if_fails, rtol=1e-9, atol=1e-12
        )


@CHECK
@given(event_cases(), st.data())
def test_several_failed_assumptions_are_their_items_at_credibility_zero(case, data):
    case = with_assumptions(case, data, 2)
    rows = resting_rows(case, ["a0", "a1"])
    c = case.credibility_vector(case.evidence).copy()
    c[list(rows)] = 0.0
    expected = enumerated_posterior(case, counted(case), credibility=c)
    broken = failed(case, ["a0", "a1"])
    np.testing.assert_allclose(analyze(broken).posterior, expected, rtol=1e-9, atol=1e-12)
    # the items stay on record, with their numbers; only their weight goes
    assert len(broken.evidence) == len(case.evidence)
    assert [i.likelihoods for i in broken.evidence] == [i.likelihoods for i in case.evidence]
    assert {i for i, item in enumerate(broken.evidence) if item.retracted} == set(rows) | {
        i for i, item in enumerate(case.evidence) if item.retracted
    }


def test_nothing_to_fail_is_the_case_itself():
    from analysis.testing.synthetic import make_case

    case = make_case([[0.8, 0.2], [0.3, 0.6]])
    assert failed(case, []) is case
    assert failed(case, ["no-such-assumption"]) is case
    case = case.with_changes(assumptions=(Assumption("a", "It holds.", ("ev9",)),))
    assert resting_rows(case, ["a"]) == ()
    assert failed(case, ["a"]) is case
