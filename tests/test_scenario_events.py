"""Scenarios on cases with events and key assumptions: a report's move is its event's,
broken assumptions take their items' weight, and a saved scenario keeps the events."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import yaml

from analysis import analyze, scenario
from analysis.case import Assumption, Prob
from analysis.casefile.loader import load_case
from analysis.engine.failing import failed
from analysis.testing.synthetic import make_case


@pytest.fixture
def case():
    """Two events (one reported twice, one once), a lone item, two assumptions."""
    base = make_case(
        [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5], [0.7, 0.3, 0.2], [0.5, 0.5, 0.5]],
        credibility=[0.8, 0.7, 0.9, 0.6],
        events=[[0.9, 0.4, 0.1], [0.2, 0.6, 0.5]],
        item_events=[0, 0, None, 1],
        dates=["2023-01-01", "2023-01-03", "2023-01-02", "2023-01-04"],
    )
    return base.with_changes(
        assumptions=(
            Assumption("first", "The first event was seen right.", ("ev0",)),
            Assumption("lone", "The lone item is genuine.", ("e2", "e3")),
        )
    )


def by_hand(case, event_index: int, h: str, value: float):
    events = list(case.events)
    event = events[event_index]
    events[event_index] = replace(event, likelihoods={**event.likelihoods, h: Prob(value, "point")})
    return case.with_changes(events=tuple(events))


@pytest.mark.parametrize("target", ["e0", "e1", "ev0"])
def test_a_reports_move_is_its_events(case, target):
    moved = scenario.apply(case, scenario.Adjustments(likelihoods={(target, "h0"): 0.3}))
    assert moved.events[0].likelihoods["h0"].value == 0.3
    assert moved.evidence[0].likelihoods["h0"].value == 0.3  # every report follows
    assert moved.evidence[1].likelihoods["h0"].value == 0.3
    expected = analyze(by_hand(case, 0, "h0", 0.3))
    np.testing.assert_array_equal(analyze(moved).posterior, expected.posterior)
    assert not np.allclose(analyze(moved).posterior, analyze(case).posterior)
    pruned = scenario.prune(case, scenario.Adjustments(likelihoods={(target, "h0"): 0.3}))
    assert dict(pruned.likelihoods) == {("ev0", "h0"): 0.3}


def test_a_move_back_to_the_file_value_is_no_change(case):
    adjustments = scenario.Adjustments(likelihoods={("e0", "h1"): 0.4})
    assert not scenario.prune(case, adjustments)
    assert scenario.apply(case, adjustments) is case
    assert scenario.file_likelihood(case, "e1", "h0") == 0.9
    assert scenario.file_likelihood(case, "ev1", "h1") == 0.6
    assert scenario.owner(case, "e3") == "ev1" and scenario.owner(case, "e2") == "e2"


def test_describe_says_event(case):
    adjustments = scenario.Adjustments(likelihoods={("e1", "h2"): 0.25, ("e2", "h0"): 0.6})
    changes = [str(c) for c in scenario.describe(case, adjustments)]
    assert changes == [
        "likelihood of e2 / Hypothesis 0: 0.7 -> 0.6",
        "likelihood of event ev0 / Hypothesis 2: 0.1 -> 0.25",
    ]


def test_moving_an_events_rated_cell_drops_its_rating(case):
    events = (replace(case.events[0], ratings={"h0": "CC"}), case.events[1])
    rated = case.with_changes(events=events)
    adjustments = scenario.Adjustments(likelihoods={("e0", "h0"): 0.5})
    assert scenario.dropped_ratings(rated, adjustments) == [("ev0", "h0")]
    moved = scenario.apply(rated, adjustments)
    assert "h0" not in moved.events[0].ratings and "h0" not in moved.evidence[1].ratings


def test_broken_assumptions_take_their_items_weight(case):
    adjustments = scenario.Adjustments(broken=frozenset({"first"}))
    broken = scenario.apply(case, adjustments)
    (first, _lone) = analyze(case).assumptions
    np.testing.assert_allclose(analyze(broken).posterior, first.posterior_if_fails, rtol=1e-12)
    both = scenario.Adjustments(likelihoods={("e2", "h0"): 0.2}, broken=frozenset({"lone"}))
    expected = failed(scenario.apply(case, both.numbers), ["lone"])
    np.testing.assert_array_equal(
        analyze(scenario.apply(case, both)).posterior, analyze(expected).posterior
    )
    assert [str(c) for c in scenario.describe(case, adjustments)] == [
        "assumption first: holds -> broken"
    ]
    assert scenario.count_changes(case, both) == 2
    assert scenario.scenario_note(case, adjustments) == (
        "adjusted from file 'test-case': 1 change; assumption taken to fail: first"
    )
    # an assumption the case does not define is no change
    assert not scenario.prune(case, scenario.Adjustments(broken=frozenset({"nope"})))


def test_a_saved_scenario_keeps_the_events_and_not_the_failure(case, tmp_path):
    adjustments = scenario.Adjustments(
        likelihoods={("e1", "h1"): 0.05}, broken=frozenset({"first"})
    )
    saved = scenario.save(case, adjustments, "moved", root=tmp_path)
    assert [e.id for e in saved.events] == ["ev0", "ev1"]
    assert saved.events[0].likelihoods["h1"].value == 0.05
    assert [i.event for i in saved.evidence] == ["ev0", "ev0", None, "ev1"]
    assert not any(i.retracted for i in saved.evidence)  # breaking is not retracting
    assert [a.id for a in saved.assumptions] == ["first", "lone"]
    text = (tmp_path / "evidence" / "moved.yaml").read_text()
    assert "event ev0 / Hypothesis 1: 0.4 -> 0.05" in text
    assert "not saved" in text and "first" in text
    data = yaml.safe_load(text)
    assert all("likelihoods" not in item for item in data["evidence"] if "event" in item)
    loaded = load_case("moved", tmp_path)
    np.testing.assert_allclose(
        analyze(loaded).posterior,
        analyze(scenario.apply(case, adjustments.numbers)).posterior,
        rtol=1e-12,
    )
