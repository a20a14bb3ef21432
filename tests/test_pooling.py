"""Several analysts: each analysis, the linear and log pools, and the swing of each
disagreement, against oracles built by hand from arrays (never through the overlay)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.case import Prob
from analysis.casefile.judgments import Judgments
from analysis.engine.analyzer import analyze
from analysis.engine.pooling import (
    analyse_panel,
    cells_of,
    linear_pool,
    log_pool,
)
from analysis.testing.synthetic import make_case

probability = st.floats(0.01, 0.99, allow_nan=False)


@st.composite
def panels(draw, max_k: int = 4, max_n: int = 5, max_analysts: int = 3):
    """A random case (arrays) and analysts, each a random subset of cells with values."""
    k = draw(st.integers(2, max_k))
    n = draw(st.integers(1, max_n))
    n_sources = draw(st.integers(1, n))
    sources = draw(st.lists(st.integers(0, n_sources - 1), min_size=n, max_size=n))
    sources[:n_sources] = list(range(min(n, n_sources)))  # every source used
    arrays = {
        "L": np.array(
            draw(st.lists(st.lists(probability, min_size=k, max_size=k), min_size=n, max_size=n))
        ),
        "c": np.array(draw(st.lists(probability, min_size=n_sources, max_size=n_sources))),
        "prior": np.full(k, 1.0 / k),
    }
    n_events = draw(st.integers(0, 2))
    arrays["Q"] = np.array(
        draw(
            st.lists(
                st.lists(probability, min_size=k, max_size=k), min_size=n_events, max_size=n_events
            )
        )
    ).reshape(n_events, k)
    reports = st.one_of(st.none(), st.integers(0, n_events - 1)) if n_events else st.none()
    item_events = draw(st.lists(reports, min_size=n, max_size=n))
    lone = np.array([e is None for e in item_events])
    analysts = []
    for _ in range(draw(st.integers(1, max_analysts))):
        mask_l = np.array(draw(st.lists(st.booleans(), min_size=n * k, max_size=n * k))).reshape(
            n, k
        )
        values_l = np.array(draw(st.lists(probability, min_size=n * k, max_size=n * k))).reshape(
            n, k
        )
        mask_l &= lone[:, None]  # a report of an event has no cells of its own
        mask_q = np.array(
            draw(st.lists(st.booleans(), min_size=n_events * k, max_size=n_events * k))
        ).reshape(n_events, k)
        values_q = np.array(
            draw(st.lists(probability, min_size=n_events * k, max_size=n_events * k))
        ).reshape(n_events, k)
        mask_c = np.array(draw(st.lists(st.booleans(), min_size=n_sources, max_size=n_sources)))
        values_c = np.array(draw(st.lists(probability, min_size=n_sources, max_size=n_sources)))
        prior = None
        if draw(st.booleans()):
            weights = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=k, max_size=k)))
            prior = weights / weights.sum()
        analysts.append(
            {
                "L": np.where(mask_l, values_l, arrays["L"]),
                "c": np.where(mask_c, values_c, arrays["c"]),
                "Q": np.where(mask_q, values_q, arrays["Q"]),
                "mask_q": mask_q,
                "prior": arrays["prior"] if prior is None else prior,
                "mask_l": mask_l,
                "mask_c": mask_c,
                "given_prior": prior,
            }
        )
    return arrays, (sources, item_events), analysts


def case_from(arrays: dict, layout: tuple):
    sources, item_events = layout
    return make_case(
        arrays["L"],
        credibility=list(arrays["c"]),
        prior=arrays["prior"],
        sources=sources,
        events=arrays.get("Q"),
        item_events=item_events,
    )


def judgments_of(case, index: int, a: dict) -> Judgments:
    ids = case.hypothesis_ids
    return Judgments(
        case=case.name,
        analyst=f"a{index}",
        priors={}
        if a["given_prior"] is None
        else dict(zip(ids, map(float, a["given_prior"]), strict=True)),
        likelihoods={
            (f"e{i}", ids[h]): Prob(float(a["L"][i, h]))
            for i, h in zip(*np.nonzero(a["mask_l"]), strict=True)
        }
        | {
            (f"ev{e}", ids[h]): Prob(float(a["Q"][e, h]))
            for e, h in zip(*np.nonzero(a["mask_q"]), strict=True)
        },
        credibility={f"s{s}": Prob(float(a["c"][s])) for s in np.flatnonzero(a["mask_c"])},
    )


def panel_of(arrays, sources, analysts, pool="linear"):
    case = case_from(arrays, sources)
    judgments = {f"a{j}": judgments_of(case, j, a) for j, a in enumerate(analysts)}
    return case, analyse_panel(case, judgments, pool)


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(panels())
def test_each_analyst_is_the_case_overlaid_by_hand(drawn):
    arrays, sources, analysts = drawn
    _, panel = panel_of(arrays, sources, analysts)
    assert panel.names == ("case", *(f"a{j}" for j in range(len(analysts))))
    np.testing.assert_allclose(
        panel.analysts[0].posterior, analyze(case_from(arrays, sources)).posterior
    )
    for j, a in enumerate(analysts):
        by_hand = analyze(case_from(a, sources)).posterior
        np.testing.assert_allclose(panel.view(f"a{j}").posterior, by_hand, rtol=1e-12, atol=1e-15)


def test_an_analyst_equal_to_the_case_gives_the_case():
    case = make_case([[0.8, 0.3, 0.1], [0.5, 0.6, 0.2]], credibility=[0.9, 0.6])
    same = Judgments(
        case.name,
        "twin",
        priors=dict(zip(case.hypothesis_ids, map(float, case.prior), strict=True)),
        likelihoods={
            (i.id, h): i.likelihoods[h] for i in case.evidence for h in case.hypothesis_ids
        },
        credibility={s.id: s.credibility for s in case.sources},
    )
    panel = analyse_panel(case, {"twin": same})
    np.testing.assert_array_equal(panel.view("twin").posterior, analyze(case).posterior)
    assert panel.disagreements == ()
    np.testing.assert_allclose(panel.pooled.posterior, analyze(case).posterior)


@SETTINGS
@given(panels())
def test_linear_and_log_pools_against_direct_computation(drawn):
    arrays, sources, analysts = drawn
    posteriors = [analyze(case_from(arrays, sources)).posterior]
    posteriors += [analyze(case_from(a, sources)).posterior for a in analysts]
    linear = sum(posteriors) / len(posteriors)
    geometric = np.prod(np.array(posteriors), axis=0) ** (1.0 / len(posteriors))
    _, panel = panel_of(arrays, sources, analysts, "linear")
    np.testing.assert_allclose(panel.pooled.posterior, linear, rtol=1e-10)
    _, panel = panel_of(arrays, sources, analysts, "log")
    np.testing.assert_allclose(panel.pooled.posterior, geometric / geometric.sum(), rtol=1e-9)
    assert panel.pooled.method == "log"


def test_pools_of_known_numbers():
    p = np.array([[0.5, 0.5], [0.9, 0.1]])
    np.testing.assert_allclose(linear_pool(p), [0.7, 0.3])
    np.testing.assert_allclose(
        log_pool(p), np.array([0.45**0.5, 0.05**0.5]) / (0.45**0.5 + 0.05**0.5)
    )


@SETTINGS
@given(panels())
def test_swing_against_brute_force(drawn):
    arrays, sources, analysts = drawn
    _, panel = panel_of(arrays, sources, analysts)
    everyone = [arrays, *analysts]
    middle = {
        "L": np.mean([a["L"] for a in everyone], axis=0),
        "c": np.mean([a["c"] for a in everyone], axis=0),
        "prior": np.mean([a["prior"] for a in everyone], axis=0),
        "Q": np.mean([a["Q"] for a in everyone], axis=0),
    }
    leader = int(np.argmax(analyze(case_from(middle, sources)).posterior))

    def swing(array: str, where: tuple) -> float | None:
        """The swing of ``middle[array][where]`` over everyone's values, by brute force
        (None when everyone agrees)."""
        values = [a[array][where] for a in everyone]
        if np.ptp(values) <= 1e-9:
            return None
        probabilities = []
        for v in values:
            moved = {**middle, array: middle[array].copy()}
            moved[array][where] = v
            probabilities.append(analyze(case_from(moved, sources)).posterior[leader])
        return max(probabilities) - min(probabilities)

    n, k = arrays["L"].shape
    lone = [e is None for e in sources[1]]  # a report of an event has no cells of its own
    cells = {(f"ev{e}", f"h{h}"): ("Q", (e, h)) for e in range(len(arrays["Q"])) for h in range(k)}
    cells |= {(f"e{i}", f"h{h}"): ("L", (i, h)) for i in range(n) if lone[i] for h in range(k)}
    cells |= {f"s{s}": ("c", (s,)) for s in range(len(arrays["c"]))}
    swings = {key: swing(*at) for key, at in cells.items()}
    expected = {key: value for key, value in swings.items() if value is not None}
    found = {d.cell.key: d.swing for d in panel.disagreements}
    assert found.keys() == expected.keys()
    for key, swing in expected.items():
        assert found[key] == pytest.approx(swing, abs=1e-9)
    swings = [d.swing for d in panel.disagreements]
    assert swings == sorted(swings, reverse=True)
    assert all(d.leader == leader for d in panel.disagreements)


def test_disagreement_values_explicit_and_hypothesis():
    case = make_case([[0.8, 0.3], [0.5, 0.6]], credibility=[0.9, 0.6])
    kim = Judgments(
        case.name, "kim", likelihoods={("e0", "h1"): Prob(0.7)}, credibility={"s1": Prob(0.2)}
    )
    panel = analyse_panel(case, {"kim": kim, "lee": Judgments(case.name, "lee")})
    by_key = {d.cell.key: d for d in panel.disagreements}
    assert set(by_key) == {("e0", "h1"), "s1"}
    cell = by_key[("e0", "h1")]
    assert dict(cell.values) == {"case": 0.3, "kim": 0.7, "lee": 0.3}
    assert cell.explicit == ("case", "kim")
    assert by_key["s1"].cell.hypothesis is None
    assert len(cells_of(case)) == 2 * 2 + 2


def test_unknown_pool_is_refused():
    case = make_case([[0.8, 0.3]])
    with pytest.raises(ValueError, match="choose one of linear, log, bayes"):
        analyse_panel(case, {}, "median")
