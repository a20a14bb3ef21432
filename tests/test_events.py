"""Events, retracted items and assumptions against brute-force enumeration.

The generative story, written out independently of the engine's algebra: H is drawn
from the prior; each event e happens (X_e) with probability q[e, H], and each lone
item's own event X_i with probability L[i, H]; each report is accurate with
probability c, and then says "yes" exactly when its event happened, otherwise it
says "yes" with probability b whatever happened. We observe "yes" from every report
that counts (retracted items are not reports) and sum the joint over every hidden
configuration.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from factories import make_case, probability
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import analyze
from analysis.case import Prob
from analysis.engine.bayes import DB


def joint_likelihood(case, rows, credibility=None):
    """``(K,)`` P(every report in ``rows`` says yes | h), by enumeration."""
    items = [case.evidence[i] for i in rows]
    prior_free = case.likelihood_matrix(case.evidence)
    c = case.credibility_vector(case.evidence) if credibility is None else credibility
    b = case.unreliable_vector(case.evidence)
    events = sorted({item.event for item in items if item.event})
    q = {e.id: case.event_likelihood[j] for j, e in enumerate(case.events)}
    alone = [i for i in rows if case.evidence[i].event is None]
    out = np.zeros(len(case.hypotheses))
    for h in range(len(case.hypotheses)):
        total = 0.0
        hidden = len(events) + len(alone) + len(rows)
        for config in itertools.product([0, 1], repeat=hidden):
            happened = dict(zip(events + alone, config[: len(events) + len(alone)], strict=True))
            reliable = dict(zip(rows, config[len(events) + len(alone) :], strict=True))
            p = 1.0
            for e in events:
                p *= q[e][h] if happened[e] else 1 - q[e][h]
            for i in alone:
                p *= prior_free[i, h] if happened[i] else 1 - prior_free[i, h]
            for i in rows:
                x = happened[case.evidence[i].event or i]
                p *= c[i] if reliable[i] else 1 - c[i]
                p *= x if reliable[i] else b[i]
            total += p
        out[h] = total
    return out


def enumerated_posterior(case, rows, credibility=None):
    weight = case.prior * joint_likelihood(case, rows, credibility)
    return weight / weight.sum()


def counted(case):
    return [i for i, item in enumerate(case.evidence) if not item.retracted]


@st.composite
def event_cases(draw, max_k: int = 3, max_n: int = 4, max_events: int = 2):
    """Small random cases: some items report one of a few events, some are retracted."""
    k = draw(st.integers(2, max_k))
    n = draw(st.integers(2, max_n))
    n_events = draw(st.integers(1, max_events))
    rows = st.lists(probability, min_size=k, max_size=k)
    likelihoods = draw(st.lists(rows, min_size=n, max_size=n))
    events = draw(st.lists(rows, min_size=n_events, max_size=n_events))
    item_events = draw(
        st.lists(st.one_of(st.none(), st.integers(0, n_events - 1)), min_size=n, max_size=n)
    )
    credibility = draw(st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n))
    retracted = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    if all(retracted):
        retracted[0] = False
    days = draw(st.permutations(range(1, n + 1)))
    weights = draw(st.lists(st.floats(0.05, 1.0), min_size=k, max_size=k))
    return make_case(
        likelihoods,
        credibility=credibility,
        prior=np.array(weights) / sum(weights),
        dates=[f"2023-01-{d:02d}" for d in days],
        events=events,
        item_events=item_events,
        retracted=retracted,
    )


CHECK = settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@CHECK
@given(event_cases())
def test_posterior_matches_enumeration(case):
    expected = enumerated_posterior(case, counted(case))
    np.testing.assert_allclose(analyze(case).posterior, expected, rtol=1e-9, atol=1e-12)


@CHECK
@given(event_cases())
def test_leave_one_report_out_matches_enumeration(case):
    result = analyze(case)
    rows = counted(case)
    for i in range(len(case.evidence)):
        expected = enumerated_posterior(case, [j for j in rows if j != i])
        np.testing.assert_allclose(result.posterior_without[i], expected, rtol=1e-9, atol=1e-12)


@CHECK
@given(event_cases())
def test_leave_an_event_out_matches_enumeration(case):
    result = analyze(case)
    for event in result.events:
        keep = [i for i in counted(case) if case.evidence[i].event != event.event.id]
        expected = enumerated_posterior(case, keep)
        np.testing.assert_allclose(event.posterior_without, expected, rtol=1e-9, atol=1e-12)
        reports = [i for i in counted(case) if case.evidence[i].event == event.event.id]
        assert sorted(event.items) == reports
        np.testing.assert_allclose(
            event.contribution, result.contribution[list(event.items)].sum(axis=0), atol=1e-9
        )


@CHECK
@given(event_cases())
def test_chain_rule_contributions_match_enumeration_and_sum_to_the_logits(case):
    result = analyze(case)
    seen: list[int] = []
    before = np.zeros(len(case.hypotheses))
    for i in result.trajectory_order:
        if not case.evidence[i].retracted:
            seen.append(int(i))
        after = np.log(joint_likelihood(case, seen))
        step = DB * (after - before)
        np.testing.assert_allclose(result.contribution[i], step - step.mean(), rtol=1e-9, atol=1e-9)
        before = after
    logits = DB * np.log(result.posterior)
    total = result.prior_contribution + result.contribution.sum(axis=0)
    np.testing.assert_allclose(total, logits - logits.mean(), atol=1e-9)


@CHECK
@given(event_cases())
def test_trajectory_matches_enumeration(case):
    result = analyze(case)
    order = [int(i) for i in result.trajectory_order]
    for step in range(len(order)):
        rows = [i for i in order[: step + 1] if not case.evidence[i].retracted]
        expected = enumerated_posterior(case, rows)
        np.testing.assert_allclose(result.trajectory[step], expected, rtol=1e-9, atol=1e-12)


@settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.data())
def test_events_of_one_report_give_exactly_the_numbers_without_events(data):
    k = data.draw(st.integers(2, 5))
    n = data.draw(st.integers(1, 8))
    rows = st.lists(probability, min_size=k, max_size=k)
    likelihoods = np.array(data.draw(st.lists(rows, min_size=n, max_size=n)))
    credibility = data.draw(st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n))
    plain = analyze(make_case(likelihoods, credibility=credibility))
    with_events = analyze(
        make_case(
            np.full_like(likelihoods, 0.5),
            credibility=credibility,
            events=likelihoods,
            item_events=list(range(n)),
        )
    )
    for name in ("posterior", "contribution", "posterior_without", "trajectory", "effective"):
        assert np.array_equal(getattr(plain, name), getattr(with_events, name)), name
    assert np.array_equal(plain.linchpin, with_events.linchpin)
    assert plain.confidence == with_events.confidence


@settings(
    max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    q=st.lists(probability, min_size=2, max_size=4),
    credibility=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=6),
    unreliable=st.lists(probability, min_size=6, max_size=6),
)
def test_corroboration_never_moves_the_odds_beyond_the_event(q, credibility, unreliable):
    """However many reports repeat an event, odds of h over g move at most q[h] / q[g]."""
    k, n = len(q), len(credibility)
    q = np.array(q)
    case = make_case(
        np.full((n, k), 0.5),
        credibility=credibility,
        events=[q],
        item_events=[0] * n,
        if_unreliable=unreliable[:n],
    )
    moved = DB * np.log(analyze(case).posterior / case.prior)
    bound = DB * np.abs(np.log(q[:, None] / q[None, :]))
    assert np.all(np.abs(moved[:, None] - moved[None, :]) <= bound + 1e-9)


@CHECK
@given(event_cases(), st.data())
def test_failed_assumption_is_its_items_at_credibility_zero(case, data):
    ids = [item.id for item in case.evidence] + [e.id for e in case.events]
    rests_on = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
    from analysis.case import Assumption

    case = case.with_changes(assumptions=(Assumption("a1", "It holds.", tuple(rests_on)),))
    result = analyze(case)
    (found,) = result.assumptions
    resting = set(case.resting_on(case.assumptions[0]))
    # recompute with every resting item's (own) source at credibility 0
    sources = tuple(
        replace(s, credibility=Prob(0.0))
        if any(case.evidence[i].source == s.id for i in resting)
        else s
        for s in case.sources
    )
    broken = analyze(case.with_changes(sources=sources))
    np.testing.assert_allclose(found.posterior_if_fails, broken.posterior, rtol=1e-9, atol=1e-12)
    c = case.credibility_vector(case.evidence).copy()
    c[list(resting)] = 0.0
    expected = enumerated_posterior(case, counted(case), credibility=c)
    np.testing.assert_allclose(found.posterior_if_fails, expected, rtol=1e-9, atol=1e-12)
    assert found.leader_if_fails == int(np.argmax(expected))
    assert found.linchpin == (found.leader_if_fails != result.leader)


def test_retracted_item_carries_no_weight_anywhere():
    likelihoods = [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]
    base = make_case(likelihoods[1:], credibility=[0.7, 0.9])
    withdrawn = make_case(likelihoods, credibility=[0.8, 0.7, 0.9], retracted=[True, False, False])
    a, b = analyze(base), analyze(withdrawn)
    np.testing.assert_allclose(b.posterior, a.posterior, rtol=1e-12)
    assert np.all(b.contribution[0] == 0) and not b.linchpin[0]
    np.testing.assert_allclose(b.posterior_without[0], b.posterior, rtol=1e-12)
    np.testing.assert_allclose(b.trajectory[1:], a.trajectory, rtol=1e-12)
    assert b.heuer.inconsistency.tolist() == a.heuer.inconsistency.tolist()
    assert [s.items for s in b.sources] == [(1,), (2,)]
    assert withdrawn.evidence[0].retracted  # kept on record


def test_heuer_rates_each_report_by_its_event_and_says_it_double_counts():
    case = make_case(np.full((3, 2), 0.5), events=[[0.9, 0.05]], item_events=[0, 0, None])
    result = analyze(case)
    assert result.heuer.ratings[0].tolist() == result.heuer.ratings[1].tolist()
    assert result.heuer.ratings[0].tolist() != result.heuer.ratings[2].tolist()
    assert result.heuer.note is not None and "'ev0' (2 reports)" in result.heuer.note
    assert analyze(make_case(np.full((1, 2), 0.5))).heuer.note is None


def test_event_nobody_reports_is_a_warning():
    case = make_case(np.full((1, 2), 0.5), events=[[0.9, 0.1], [0.2, 0.3]], item_events=[0])
    warnings = analyze(case).warnings
    assert any("event 'ev1' is reported by no item" in w for w in warnings)
    assert not any("'ev0'" in w for w in warnings)


@pytest.mark.parametrize("n_reports", [1, 2, 5])
def test_first_report_carries_most(n_reports):
    case = make_case(
        np.full((n_reports, 2), 0.5),
        credibility=[0.8] * n_reports,
        events=[[0.9, 0.1]],
        item_events=[0] * n_reports,
        dates=[f"2023-01-0{d + 1}" for d in range(n_reports)],
    )
    result = analyze(case)
    spread = np.abs(result.contribution[:, 0] - result.contribution[:, 1])
    assert np.all(np.diff(spread) <= 1e-12)
    assert result.events[0].items == tuple(range(n_reports))
