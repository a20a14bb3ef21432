"""Scenarios: slider adjustments applied to a case, described, dumped and saved."""

from __future__ import annotations

import shutil
from dataclasses import replace

import numpy as np
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import scenario as sc
from analysis.case import Prob
from analysis.casefile.layout import existing_files, list_cases
from analysis.casefile.loader import load_case, load_case_texts
from analysis.engine.analyzer import analyze
from analysis.errors import CaseError, Problem

CASES = list_cases(ROOT)


@pytest.fixture(scope="module")
def seed():
    return load_case("nk-hamas", ROOT)


@pytest.fixture(scope="module")
def plain_seed(seed):
    """The seed case with each event report standing alone, for item-level mechanics
    (the reports keep their event's likelihoods as their own)."""
    alone = tuple(replace(i, event=None) for i in seed.evidence)
    return seed.with_changes(events=(), assumptions=(), evidence=alone)


def test_bundled_cases_found():
    assert "nk-hamas" in CASES


def test_no_adjustments_is_the_file(seed):
    assert sc.apply(seed, sc.Adjustments()) is seed
    assert sc.count_changes(seed, sc.Adjustments()) == 0
    assert sc.scenario_note(seed, sc.Adjustments()) is None


def test_a_likelihood_becomes_a_point_and_nothing_else_moves(seed):
    item = next(
        i
        for i in seed.evidence
        if i.event is None and any(p.is_range for p in i.likelihoods.values())
    )
    ranged = next(h for h, p in item.likelihoods.items() if p.is_range)
    other = next(h for h in seed.hypothesis_ids if h != ranged)
    adjusted = sc.apply(seed, sc.Adjustments(likelihoods={(item.id, other): 0.123}))
    moved = next(i for i in adjusted.evidence if i.id == item.id)
    assert moved.likelihoods[other] == Prob(0.123, "point")
    assert moved.likelihoods[ranged] == item.likelihoods[ranged]  # the range is kept
    untouched = [(a, b) for a, b in zip(seed.evidence, adjusted.evidence, strict=True) if a != b]
    assert [a.id for a, _ in untouched] == [item.id]
    assert adjusted.sources == seed.sources and adjusted.hypotheses == seed.hypotheses


def test_apply_matches_the_engine_on_a_hand_made_case(seed):
    item = seed.evidence[2]
    h = seed.hypothesis_ids[-1]
    adjusted = sc.apply(seed, sc.Adjustments(likelihoods={(item.id, h): 0.5}))
    changed = replace(item, likelihoods={**item.likelihoods, h: Prob(0.5, "point")})
    by_hand = seed.with_changes(
        evidence=tuple(changed if i.id == item.id else i for i in seed.evidence)
    )
    np.testing.assert_array_equal(analyze(adjusted).posterior, analyze(by_hand).posterior)


def test_credibility_override(seed):
    source = seed.sources[0]
    adjusted = sc.apply(seed, sc.Adjustments(credibilities={source.id: 0.3}))
    assert adjusted.source_by_id[source.id].credibility == Prob(0.3, "point")
    assert sc.describe(seed, sc.Adjustments(credibilities={source.id: 0.3}))[0].kind == (
        "credibility"
    )


def test_prior_weights_are_normalised(seed):
    ids = seed.hypothesis_ids
    adjustments = sc.Adjustments(priors={ids[0]: 0.75})
    prior = sc.scenario_prior(seed, adjustments)
    assert sum(prior.values()) == pytest.approx(1.0, abs=1e-12)
    assert prior[ids[0]] == pytest.approx(0.75 / (0.75 + 0.25 * (len(ids) - 1)))
    adjusted = sc.apply(seed, adjustments)
    assert all(h.prior is not None for h in adjusted.hypotheses)
    np.testing.assert_allclose(adjusted.prior, list(prior.values()))
    # one moved prior is one change (the others follow by normalisation)
    assert sc.count_changes(seed, adjustments) == 1
    (change,) = sc.describe(seed, adjustments)
    assert change.after.startswith("0.75 (normalised")


def test_prune_drops_file_values_and_unknown_names(seed):
    item = seed.evidence[0]
    h = seed.hypothesis_ids[0]
    same = item.likelihoods[h].value
    adjustments = sc.Adjustments(
        priors={"no-such": 0.3},
        likelihoods={(item.id, h): same, ("no-such", h): 0.2},
        credibilities={"no-such": 0.1},
    )
    assert not sc.prune(seed, adjustments)
    assert sc.apply(seed, adjustments) is seed


def test_describe_names_item_hypothesis_and_values(seed):
    item = [i for i in seed.evidence if i.event is None][3]  # a report's is its event's
    h = seed.hypothesis_ids[1]
    (change,) = sc.describe(seed, sc.Adjustments(likelihoods={(item.id, h): 0.42}))
    assert change.kind == "likelihood"
    assert item.id in change.target and seed.labels[h] in change.target
    assert change.before == item.likelihoods[h].describe() and change.after == "0.42"
    assert sc.scenario_note(seed, sc.Adjustments(likelihoods={(item.id, h): 0.42})) == (
        "adjusted from file 'nk-hamas': 1 change"
    )


@pytest.mark.parametrize("name", CASES)
def test_dump_round_trips_every_bundled_case(name):
    case = load_case(name, ROOT)
    hyp, ev = sc.dump_yaml(case, "round-trip")
    back = load_case_texts(hyp, ev)
    assert back.name == "round-trip"
    assert back.to_data() == sc.renamed(case, "round-trip").to_data()


@pytest.mark.parametrize("name", CASES)
def test_adjusted_dump_reproduces_the_adjusted_analysis(name):
    case = load_case(name, ROOT)
    item = case.evidence[-1]
    h = case.hypothesis_ids[0]
    adjustments = sc.Adjustments(
        priors={case.hypothesis_ids[-1]: 0.6},
        likelihoods={(item.id, h): 0.31},
        credibilities={case.sources[-1].id: 0.45},
    )
    text = sc.scenario_yaml(case, adjustments, "adjusted")
    assert text.count("\n---\n") == 1
    hyp, ev = text.split("\n---\n")
    back = load_case_texts(hyp, ev)
    np.testing.assert_allclose(
        analyze(back).posterior, analyze(sc.apply(case, adjustments)).posterior, rtol=1e-12
    )


def test_bad_names_are_refused(seed, tmp_path):
    for bad in ("", "Upper", "../escape", "a/b", "white space"):
        with pytest.raises(ValueError, match="not allowed"):
            sc.save(seed, sc.Adjustments(), bad, root=tmp_path)
    assert not any(tmp_path.rglob("*"))


def _root_with_seed(tmp_path):
    for folder in ("hypotheses", "evidence"):
        (tmp_path / folder).mkdir()
        shutil.copy(ROOT / folder / "nk-hamas.yaml", tmp_path / folder)
    return tmp_path


def test_save_writes_a_valid_case_and_never_overwrites_silently(seed, tmp_path):
    root = _root_with_seed(tmp_path)
    item = seed.evidence[2]
    adjustments = sc.Adjustments(likelihoods={(item.id, "none"): 0.5})
    saved = sc.save(seed, adjustments, "what-if", root=root)
    assert saved.name == "what-if"
    assert load_case("what-if", root).to_data() == saved.to_data()
    hyp = root / "hypotheses" / "what-if.yaml"
    assert "adjusted from case 'nk-hamas'" in hyp.read_text()
    before = hyp.read_bytes()

    with pytest.raises(sc.CaseExists):
        sc.save(seed, sc.Adjustments(), "what-if", root=root)
    assert hyp.read_bytes() == before
    with pytest.raises(sc.CaseExists):  # the analyst's own file is safe too
        sc.save(seed, adjustments, "nk-hamas", root=root)
    assert load_case("nk-hamas", root).to_data() == seed.to_data()

    sc.save(seed, sc.Adjustments(), "what-if", root=root, overwrite=True)
    assert hyp.read_bytes() != before
    assert sorted(p.name for p in (root / "hypotheses").iterdir()) == [
        "nk-hamas.yaml",
        "what-if.yaml",
    ]  # no temporary files left behind


def test_a_save_that_does_not_validate_is_rolled_back(seed, tmp_path, monkeypatch):
    import analysis.casefile.loader

    root = _root_with_seed(tmp_path)
    sc.save(seed, sc.Adjustments(), "kept", root=root)
    old = (root / "evidence" / "kept.yaml").read_bytes()

    def broken(name, root="."):
        raise CaseError([Problem(f"evidence/{name}.yaml", 1, "simulated failure")])

    monkeypatch.setattr(analysis.casefile.loader, "load_case", broken)
    with pytest.raises(CaseError):
        sc.save(seed, sc.Adjustments(credibilities={"jcs": 0.1}), "kept", root=root, overwrite=True)
    assert (root / "evidence" / "kept.yaml").read_bytes() == old
    with pytest.raises(CaseError):
        sc.save(seed, sc.Adjustments(), "fresh", root=root)
    assert existing_files(root, "fresh") == []


def test_with_ratings_feeds_heuer(plain_seed):
    from analysis.engine.heuer import heuer_scores

    seed = plain_seed
    ratings = {(item.id, h): "N" for item in seed.evidence for h in seed.hypothesis_ids}
    first = seed.evidence[0].id
    ratings[(first, "none")] = "II"
    scores = heuer_scores(sc.with_ratings(seed, ratings))
    assert list(scores.inconsistency) == [0, 0, 0, 2]


@settings(max_examples=25, deadline=None)
@given(
    data=st.data(),
)
def test_applied_scenarios_survive_the_file_format(seed, data):
    """Whatever the sliders hold, the dumped scenario loads back to the same posterior."""
    items = data.draw(
        st.lists(st.sampled_from(seed.evidence), max_size=4, unique_by=lambda i: i.id)
    )
    likelihoods = {
        (item.id, data.draw(st.sampled_from(seed.hypothesis_ids))): data.draw(
            st.floats(0.0, 1.0).map(lambda v: round(v, 2))
        )
        for item in items
    }
    credibilities = {
        s.id: data.draw(st.floats(0.0, 1.0).map(lambda v: round(v, 2)))
        for s in data.draw(st.lists(st.sampled_from(seed.sources), max_size=3))
    }
    priors = {
        h: data.draw(st.floats(0.01, 1.0).map(lambda v: round(v, 2)))
        for h in data.draw(st.lists(st.sampled_from(seed.hypothesis_ids), max_size=2))
    }
    adjustments = sc.Adjustments(priors, likelihoods, credibilities)
    hyp, ev = sc.dump_yaml(sc.apply(seed, adjustments), "prop")
    back = load_case_texts(hyp, ev)
    np.testing.assert_allclose(
        analyze(back).posterior, analyze(sc.apply(seed, adjustments)).posterior, rtol=1e-9
    )


# -- ratings follow the numbers -------------------------------------------------------------
@pytest.fixture(scope="module")
def office():
    """The ratings-only teaching case: every likelihood comes from a given Heuer rating."""
    return load_case("office-leak", ROOT)


def test_a_moved_likelihood_drops_the_given_rating(office):
    from analysis.engine.heuer import heuer_scores
    from analysis.scales import rating_for_likelihood

    item = next(i for i in office.evidence if i.id == "print-log")
    assert item.ratings == {"analyst": "CC", "manager": "N", "contractor": "N", "other": "N"}
    adjustments = sc.Adjustments(likelihoods={("print-log", "analyst"): 0.1})
    assert sc.dropped_ratings(office, adjustments) == [("print-log", "analyst")]

    adjusted = sc.apply(office, adjustments)
    moved = next(i for i in adjusted.evidence if i.id == "print-log")
    assert moved.ratings == {"manager": "N", "contractor": "N", "other": "N"}  # the rest kept
    assert moved.likelihoods["analyst"] == Prob(0.1, "point")
    others = [(a, b) for a, b in zip(office.evidence, adjusted.evidence, strict=True) if a != b]
    assert [a.id for a, _ in others] == ["print-log"]

    i, k = [x.id for x in office.evidence].index("print-log"), 0
    before, after = heuer_scores(office), heuer_scores(adjusted)
    assert before.given[i, k] and before.ratings[i, k] == "CC"
    assert not after.given[i, k]
    assert after.ratings[i, k] == rating_for_likelihood(0.1) == "I"
    assert after.inconsistency[k] == before.inconsistency[k] + 1
    assert analyze(adjusted).heuer.ratings[i, k] == "I"

    # saved, the cell is a number with no rating, and loads back the same
    hyp, ev = sc.dump_yaml(adjusted, "moved")
    back = load_case_texts(hyp, ev)
    item_back = next(x for x in back.evidence if x.id == "print-log")
    assert "analyst" not in item_back.ratings and item_back.likelihoods["analyst"].value == 0.1
    assert heuer_scores(back).ratings[i, k] == "I"


def test_unmoved_or_unrated_cells_drop_nothing(office, seed):
    assert sc.dropped_ratings(office, sc.Adjustments()) == []
    back_to_file = sc.Adjustments(likelihoods={("print-log", "analyst"): 0.95})  # CC's number
    assert sc.dropped_ratings(office, back_to_file) == []
    assert sc.apply(office, back_to_file) is office
    moved = sc.Adjustments(likelihoods={(seed.evidence[0].id, "direct"): 0.2})
    assert sc.dropped_ratings(seed, moved) == []  # the seed case gives no ratings
    # a credibility or prior change leaves every rating alone
    other = sc.apply(office, sc.Adjustments(credibilities={"it-logs": 0.3}, priors={"analyst": 1}))
    assert [i.ratings for i in other.evidence] == [i.ratings for i in office.evidence]


def test_with_ratings_as_likelihoods_follows_the_documented_scale(office, plain_seed):
    from analysis.scales import RATING_LIKELIHOOD

    seed = plain_seed

    own = {(i.id, h): r for i in office.evidence for h, r in i.ratings.items()}
    np.testing.assert_array_equal(
        analyze(sc.with_ratings(office, own, likelihoods=True)).posterior,
        analyze(office).posterior,
    )
    ratings = {(item.id, h): "N" for item in seed.evidence for h in seed.hypothesis_ids}
    ratings[(seed.evidence[0].id, "none")] = "II"
    rated = sc.with_ratings(seed, ratings, likelihoods=True)
    assert rated.evidence[0].likelihoods["none"] == Prob(
        RATING_LIKELIHOOD["II"], "rating", word="II"
    )
    assert {p.value for i in rated.evidence[1:] for p in i.likelihoods.values()} == {0.5}
    assert int(np.argmin(analyze(rated).posterior)) == seed.hypothesis_ids.index("none")
    # without the flag the likelihoods are the case's
    assert sc.with_ratings(seed, ratings).evidence[0].likelihoods == seed.evidence[0].likelihoods
