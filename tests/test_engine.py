"""Unit tests of the engine's pieces against hand-worked examples."""

from __future__ import annotations

import math

import numpy as np
import pytest
from factories import make_case
from hypothesis import given
from hypothesis import strategies as st

from analysis import analyze
from analysis.case import Item, Prob
from analysis.engine.confidence import assess_confidence
from analysis.engine.sensitivity import band_of, tornado
from analysis.scales import (
    ICD203,
    PARC_WEIGHTS,
    RATING_LIKELIHOOD,
    estimative_word,
    format_percent,
    jeffreys_grade,
    rating_for_likelihood,
)


def test_worked_example_by_hand():
    # two hypotheses, one item, credibility 0.5: P = 0.5 * L + 0.5 * b, b = mean(L) = 0.5
    case = make_case([[0.9, 0.1]], credibility=[0.5])
    result = analyze(case)
    np.testing.assert_allclose(result.effective[0], [0.7, 0.3])
    np.testing.assert_allclose(result.posterior, [0.7, 0.3])
    # 10 log10(0.7 / 0.3) = 3.68 dB, split evenly around zero
    np.testing.assert_allclose(result.contribution[0], [1.8399, -1.8399], atol=1e-4)
    assert result.diagnosticity[0] == pytest.approx(10 * math.log10(0.7 / 0.3))


def test_if_unreliable_overrides_the_default():
    case = make_case([[0.9, 0.1]], credibility=[0.5], if_unreliable=[0.9])
    np.testing.assert_allclose(analyze(case).effective[0], [0.9, 0.5])


def test_default_unreliable_rate_uses_the_prior():
    case = make_case([[0.9, 0.1]], credibility=[0.0], prior=[0.75, 0.25])
    assert case.unreliable_vector(case.evidence)[0] == pytest.approx(0.7)


def test_linchpin_and_trajectory_in_date_order():
    likelihoods = [[0.9, 0.2], [0.3, 0.6], [0.5, 0.55]]
    case = make_case(likelihoods, dates=["2023-10-11", "2023-10-01", None])
    result = analyze(case)
    assert [case.evidence[i].id for i in result.trajectory_order] == ["e1", "e0", "e2"]
    # after e1 alone, h1 leads
    assert result.trajectory[0][1] > 0.5
    assert result.leader == 0
    assert result.linchpin.tolist() == [True, False, False]


@pytest.mark.parametrize(
    ("p", "word"),
    [
        (0.0, "almost no chance"),
        (0.03, "almost no chance"),
        (0.05, "almost no chance"),
        (0.06, "very unlikely"),
        (0.3, "unlikely"),
        (0.5, "roughly even chance"),
        (0.7, "likely"),
        (0.9, "very likely"),
        (0.97, "almost certain"),
        (1.0, "almost certain"),
    ],
)
def test_icd203_words(p, word):
    assert estimative_word(p) == word


@given(st.floats(0.0, 1.0), st.floats(-0.01, 0.01), st.sampled_from(["icd203", "phia"]))
def test_one_printed_percentage_gets_one_phrase(p, step, yardstick):
    """Two probabilities that print as the same percentage read as the same phrase."""
    q = min(1.0, max(0.0, p + step))
    if format_percent(p) == format_percent(q):
        assert estimative_word(p, yardstick) == estimative_word(q, yardstick)


def test_phrase_follows_the_printed_percentage():
    assert format_percent(0.0502) == format_percent(0.0498) == "5%"
    assert estimative_word(0.0502) == estimative_word(0.0498) == "almost no chance"
    assert estimative_word(0.055) == "very unlikely"
    assert estimative_word(0.074, "phia") == "remote chance"
    assert estimative_word(0.076, "phia") == "highly unlikely"


def test_grade_follows_the_printed_decibans():
    assert jeffreys_grade(4.96) == jeffreys_grade(5.04) == "barely worth mentioning"
    assert jeffreys_grade(-5.06) == "substantial"


def test_phia_yardstick():
    assert estimative_word(0.03, "phia") == "remote chance"
    assert estimative_word(0.5, "phia") == "realistic possibility"
    assert estimative_word(0.85, "phia") == "highly likely"


def test_icd203_bands_are_increasing():
    bounds = [upper for upper, _ in ICD203]
    assert bounds == sorted(bounds) and bounds[-1] == 1.0


@pytest.mark.parametrize(
    ("db", "grade"),
    [
        (0, "barely worth mentioning"),
        (-7, "substantial"),
        (12, "strong"),
        (17, "very strong"),
        (25, "decisive"),
    ],
)
def test_jeffreys_grades(db, grade):
    assert jeffreys_grade(db) == grade


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (0.5, "50%"),
        (0.123, "12%"),
        (0.005, "0.5%"),
        (0.9951, "99.5%"),
        (0.99999, ">99.9%"),
        (1e-7, "<0.1%"),
        (0.0, "0.0%"),
        (1.0, "100.0%"),
    ],
)
def test_format_percent(p, text):
    assert format_percent(p) == text


def test_rating_scale_is_strictly_ordered_and_round_trips():
    order = ["II", "I", "N", "C", "CC"]
    values = [RATING_LIKELIHOOD[r] for r in order]
    assert values == sorted(values) and len(set(values)) == len(values)
    assert RATING_LIKELIHOOD["NA"] == RATING_LIKELIHOOD["N"]
    for rating in order:
        assert rating_for_likelihood(RATING_LIKELIHOOD[rating]) == rating


def _rated_case(ratings_rows, relevance=None, credibility=None):
    base = make_case(
        [[RATING_LIKELIHOOD[r] for r in row] for row in ratings_rows], credibility=credibility
    )
    ids = base.hypothesis_ids
    items = tuple(
        Item(
            id=item.id,
            claim=item.claim,
            likelihoods={
                h: Prob(RATING_LIKELIHOOD[r], "rating", word=r)
                for h, r in zip(ids, row, strict=True)
            },
            source=item.source,
            ratings=dict(zip(ids, row, strict=True)),
            relevance=None if relevance is None else relevance[i],
        )
        for i, (item, row) in enumerate(zip(base.evidence, ratings_rows, strict=True))
    )
    return base.with_changes(evidence=items)


def test_heuer_scores_worked_example():
    rows = [["I", "C", "II"], ["II", "N", "C"], ["C", "I", "NA"]]
    case = _rated_case(rows, relevance=["high", None, "low"], credibility=[1.0, 0.7, 0.5])
    heuer = analyze(case).heuer
    assert heuer.inconsistency.tolist() == [3, 1, 2]
    # weights: item0 high cred (c=1 -> high) x high relevance = 2; item1 medium x medium = 1;
    # item2 low x low = 1/2
    np.testing.assert_allclose(heuer.weights, [2.0, 1.0, 0.5])
    np.testing.assert_allclose(heuer.weighted_inconsistency, [1 * 2 + 2 * 1, 1 * 0.5, 2 * 2])
    assert heuer.ranking == (1, 2, 0)


def test_parc_weights():
    assert PARC_WEIGHTS["low"] == pytest.approx(1 / math.sqrt(2))
    assert PARC_WEIGHTS["high"] == pytest.approx(math.sqrt(2))


def test_disagreement_is_explained():
    # h0 has one mild inconsistency but is otherwise strongly favoured;
    # h1 has no inconsistency but nothing favours it.
    rows = [["CC", "N"], ["CC", "N"], ["CC", "N"], ["I", "N"]]
    result = analyze(_rated_case(rows))
    assert result.heuer.ranking[0] == 1
    assert result.leader == 0
    assert result.disagreement is not None
    assert "Counting inconsistencies favours Hypothesis 1" in result.disagreement.explanation


def test_confidence_rules():
    high = assess_confidence(4, 0, 0.3, "x", 0.8, interval=(0.7, 0.85, 0.05, 0.2))
    assert high.level == "high" and not high.limiting
    assert assess_confidence(1, 0, 0.3, "x", 0.8).level == "low"
    assert assess_confidence(4, 1, 0.3, "x", 0.8).level == "moderate"
    assert assess_confidence(4, 2, 0.3, "x", 0.8).level == "low"
    assert assess_confidence(4, 0, 0.6, "x", 0.8).level == "moderate"
    assert assess_confidence(4, 0, 0.3, "x", 0.5).level == "moderate"
    assert assess_confidence(4, 0, 0.3, "x", 0.8, interval=(0.4, 0.7, 0.3, 0.5)).level == "low"
    assert assess_confidence(4, 0, 0.3, "x", 0.8, interval=(0.5, 0.9, 0.0, 0.2)).level == (
        "moderate"
    )


def test_source_concentration_warning():
    likelihoods = [[0.9, 0.1], [0.8, 0.3], [0.7, 0.2], [0.55, 0.5]]
    case = make_case(likelihoods, sources=[0, 0, 0, 1], credibility=[0.9, 0.9])
    result = analyze(case)
    load = {s.source_id: s for s in result.sources}
    assert len(load["s0"].items) == 3 and load["s0"].share > 0.9
    assert any("carries" in w and "Source 0" in w for w in result.warnings)
    assert any("3 items rest on 'Source 0'" in w for w in result.warnings)


def test_sensitivity_matches_recomputation():
    likelihoods = [[0.9, 0.2, 0.4], [0.3, 0.6, 0.5]]
    case = make_case(likelihoods, credibility=[0.8, 0.6])
    result = analyze(case)
    bars = tornado(result, top=None)
    assert len(bars) == 2 * 3 + 2
    assert [b.swing for b in bars] == sorted((b.swing for b in bars), reverse=True)
    for bar in bars:
        for end, expected in ((bar.low, bar.low_value), (bar.high, bar.high_value)):
            if bar.kind == "likelihood":
                item = next(i for i in case.evidence if i.id == bar.item_ids[0])
                changed = dict(item.likelihoods)
                changed[bar.hypothesis_id] = Prob(end)
                evidence = tuple(
                    i if i.id != item.id else Item(i.id, i.claim, changed, source=i.source)
                    for i in case.evidence
                )
                moved = case.with_changes(evidence=evidence)
            else:
                target = case.source_by_id[
                    next(i.source for i in case.evidence if i.id == bar.item_ids[0])
                ]
                sources = tuple(
                    type(s)(s.id, s.name, Prob(end)) if s.id == target.id else s
                    for s in case.sources
                )
                moved = case.with_changes(sources=sources)
            assert analyze(moved).posterior[result.leader] == pytest.approx(expected, rel=1e-10)


def test_default_band_is_the_beta_90_percent_interval():
    low, high = band_of(Prob(0.5), concentration=20)
    assert 0.3 < low < 0.5 < high < 0.7
    assert band_of(Prob(0.2, "range", low=0.1, high=0.3), 20) == (0.1, 0.3)
    assert band_of(Prob(1.0), 20) is None
    assert band_of(Prob(1.0, "default"), 20) is None


def test_confidence_reasons_name_their_sources_in_plain_words():
    low = assess_confidence(1, 0, 0.3, "x", 0.8, supporting_names=("The Wall Street Journal",))
    (reason,) = low.reasons
    assert reason.name == "breadth" and reason.sources == ("The Wall Street Journal",)
    assert reason.plain.startswith("only one independent source, The Wall Street Journal,")
    high = assess_confidence(3, 0, 0.3, "x", 0.8, supporting_names=("A", "B", "C"))
    assert high.level == "high" and high.reasons[0].plain.startswith("three independent sources")
    concentrated = assess_confidence(4, 0, 0.7, "Agency X", 0.8)
    assert "one source, Agency X" in concentrated.reasons[0].plain
    hinge = assess_confidence(4, 1, 0.3, "x", 0.8, linchpin_sources=("Photo desk",))
    assert "single report (from Photo desk)" in hinge.reasons[0].plain
