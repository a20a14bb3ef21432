"""The bayes pool (PyMC): it trusts analysts who agree and learns who scatters."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from analysis.case import Prob
from analysis.casefile.judgments import Judgments
from analysis.engine.analyzer import analyze
from analysis.engine.pooling import Cell, analyse_panel, cell_value
from analysis.testing.synthetic import make_case

pytestmark = pytest.mark.xdist_group("analysts-bayes")


def every_cell(case, name, likelihood, credibility):
    ids = case.hypothesis_ids
    return Judgments(
        case.name,
        name,
        likelihoods={
            (f"e{i}", ids[h]): Prob(float(likelihood[i, h]))
            for i in range(likelihood.shape[0])
            for h in range(likelihood.shape[1])
        },
        credibility={f"s{s}": Prob(float(v)) for s, v in enumerate(credibility)},
    )


@pytest.fixture(scope="module")
def panels():
    rng = np.random.default_rng(7)
    likelihood = rng.uniform(0.1, 0.9, size=(4, 3))
    credibility = np.array([0.9, 0.8, 0.7, 0.6])
    case = make_case(likelihood, credibility=list(credibility))
    judgments = {
        "twin": every_cell(case, "twin", likelihood, credibility),
        "noise": every_cell(
            case, "noise", rng.uniform(0.02, 0.98, size=(4, 3)), rng.uniform(0.05, 0.95, size=4)
        ),
    }
    linear = analyse_panel(case, judgments, "linear")
    bayes = analyse_panel(case, judgments, "bayes", seed=1, draws=1000)
    return case, linear, bayes


def test_bayes_lands_closer_to_the_agreeing_pair_than_linear(panels):
    case, linear, bayes = panels
    target = analyze(case).posterior  # what the case and its twin both say
    assert (
        np.abs(bayes.pooled.posterior - target).sum()
        < np.abs(linear.pooled.posterior - target).sum()
    )


def test_the_erratic_analyst_gets_the_larger_sigma(panels):
    _, _, bayes = panels
    sigma = bayes.pooled.sigma
    assert set(sigma) == {"case", "twin", "noise"}
    assert sigma["noise"] > 3 * max(sigma["case"], sigma["twin"])


def test_diagnostics_and_intervals(panels):
    _, _, bayes = panels
    pooled = bayes.pooled
    assert pooled.r_hat_max < 1.02 and pooled.ess_min > 300
    assert np.all(pooled.low <= pooled.posterior) and np.all(pooled.posterior <= pooled.high)
    assert pooled.posterior.sum() == pytest.approx(1.0)


def test_pooled_cells_sit_near_the_precision_weighted_mean(panels):
    _, _, bayes = panels
    sigma = bayes.pooled.sigma
    assert bayes.pooled.cells
    for cell, pooled in bayes.pooled.cells.items():
        logits, weights = [], []
        for view in bayes.analysts:
            if view.explicit(cell):
                x = float(np.clip(cell_value(view.case, cell), 1e-3, 1 - 1e-3))
                logits.append(np.log(x / (1 - x)))
                weights.append(sigma[view.name] ** -2)
        expected = 1 / (1 + np.exp(-np.average(logits, weights=weights)))
        assert abs(pooled - expected) < 0.1, cell


def test_one_compile_per_size(panels):
    from analysis.uncertainty import sampler

    case, _, bayes = panels
    before = len(sampler._CACHE)
    shifted = {
        name: replace(
            j, credibility={k: Prob(min(0.99, p.value + 0.01)) for k, p in j.credibility.items()}
        )
        for name, j in ((a.name, a.judgments) for a in bayes.analysts if a.judgments)
    }
    again = analyse_panel(case, shifted, "bayes", seed=2, draws=300)
    assert len(sampler._CACHE) == before
    assert again.pooled.method == "bayes" and again.pooled.draws == 300
    # another structure of the same size: one analyst fewer, who read two cells alone
    # ("twin" dropped: noise's cells are now read by case and noise only), and an added
    # item: new data, no new compile
    rows = np.vstack([analyze(case).likelihood, [[0.5, 0.4, 0.3]]])
    grown = make_case(rows, credibility=[0.9] * 5)
    other = analyse_panel(grown, {"noise": shifted["noise"]}, "bayes", seed=3, draws=300)
    assert len(sampler._CACHE) == before
    assert other.pooled.sigma.keys() == {"case", "noise"}


def test_nothing_to_pool_is_the_middle_ground():
    case = make_case([[0.8, 0.3], [0.5, 0.6]], credibility=[0.9, 0.6])
    priors = Judgments(case.name, "kim", priors={"h0": 0.2, "h1": 0.8})
    panel = analyse_panel(case, {"kim": priors}, "bayes")
    np.testing.assert_allclose(panel.pooled.posterior, panel.middle_posterior)
    assert panel.pooled.sigma == {}


def test_event_cells_are_pooled_and_reports_corroborate():
    # Three reports of one event: the pool reads the event's cell (not its reports'),
    # and counts the reports as corroboration, as the engine does, not as three
    # independent items.
    case = make_case(
        [[0.5, 0.5]] * 3 + [[0.4, 0.6]],
        credibility=[0.7, 0.7, 0.7, 0.9],
        events=[[0.9, 0.1]],
        item_events=[0, 0, 0, None],
    )
    ids = case.hypothesis_ids
    judgments = {
        name: Judgments(case.name, name, likelihoods={("ev0", ids[0]): Prob(value)})
        for name, value in (("kim", 0.85), ("lee", 0.95))
    }
    # 2000 draws a chain: at 1000 the smallest ESS over seeds 3 to 10 ran from 315 to
    # 552, so ESS >= 400 held by the seed's luck; at 2000 it runs from 669 to 1095
    bayes = analyse_panel(case, judgments, "bayes", seed=3, draws=2000)
    assert set(bayes.pooled.cells) == {Cell("likelihood", "ev0", ids[0])}
    assert 0.8 < bayes.pooled.cells[Cell("likelihood", "ev0", ids[0])] < 0.97
    corroborated = analyze(case).posterior
    independent = analyze(case.with_changes(events=(), evidence=tuple(
        replace(item, event=None, likelihoods={ids[0]: Prob(0.9), ids[1]: Prob(0.1)})
        if item.event else item for item in case.evidence
    ))).posterior  # fmt: skip
    assert abs(independent[0] - corroborated[0]) > 0.1  # the case shows the difference
    assert abs(bayes.pooled.posterior[0] - corroborated[0]) < 0.05
    assert bayes.pooled.r_hat_max <= 1.01 and bayes.pooled.ess_min >= 400


def test_too_few_draws_are_refused_before_sampling():
    # The same minimum as the uncertainty run's (MIN_DRAWS), said with what to do.
    case = make_case([[0.6, 0.4], [0.3, 0.7]], credibility=[0.9, 0.8])
    judgments = {"kim": every_cell(case, "kim", np.array([[0.7, 0.4], [0.3, 0.6]]), [0.9, 0.8])}
    with pytest.raises(ValueError, match="5 draws per chain are too few"):
        analyse_panel(case, judgments, "bayes", seed=1, draws=5)


def test_the_compiled_graph_is_the_pool_density():
    """The pool's PyMC log density at random points, padding included, against a hand
    sum: the priors of every latent and sigma, each reading's normal term, and log P(E | L)
    from the closed form (``analyze``) of the case with the latent values put in. And
    P(H | E, L), computed from the draws by the model's NumPy sum, against the same
    closed form. Differences between points are compared (the potentials leave out the
    normal's constant)."""
    from scipy import special, stats

    from analysis.engine.pooling import with_cells
    from analysis.uncertainty.model import posterior_given
    from analysis.uncertainty.pool import build_pool_model, describe_pool

    rng = np.random.default_rng(5)
    likelihood = rng.uniform(0.1, 0.9, size=(3, 3))
    # b fixed per item, as the pool holds it, so that the closed form keeps it too
    case = make_case(likelihood, credibility=[0.9, 0.7, 0.6], if_unreliable=[0.4, 0.5, 0.3])
    noisy = np.clip(likelihood + rng.normal(0, 0.1, size=likelihood.shape), 0.05, 0.95)
    panel = analyse_panel(
        case,
        {
            "kim": every_cell(case, "kim", noisy, [0.8, 0.6, 0.7]),
            "lee": replace(every_cell(case, "lee", likelihood, [0.95]), credibility={}),
        },
    )
    structure, inputs, latent = describe_pool(case, panel.analysts, panel.middle)
    size = structure.size
    assert size == (16, 4) and structure.n_latent == 12 and structure.n_analysts == 3
    logp = build_pool_model(size, inputs).compile_logp(jacobian=False)
    n = structure.n_latent

    def closed_form(theta):
        return analyze(with_cells(panel.middle, dict(zip(latent, theta, strict=True))))

    def by_hand(z, excess):
        sigma = 0.1 + excess
        readings = stats.norm(z[inputs["reading_latent"]], sigma[inputs["reading_analyst"]]).logpdf(
            inputs["readings"]
        )
        closed = closed_form(1 / (1 + np.exp(-z[:n])))
        evidence = special.logsumexp(np.log(closed.prior) + closed.log_effective.sum(0))
        priors = stats.norm(0, 2).logpdf(z).sum() + stats.halfnorm().logpdf(excess).sum()
        return priors + readings.sum() + evidence

    found, expected = [], []
    for _ in range(4):
        z, excess = rng.normal(0, 1.5, size[0]), rng.uniform(0.05, 2.0, size[1])
        found.append(float(logp({"z": z, "sigma_excess_log__": np.log(excess)})))
        expected.append(by_hand(z, excess))
        theta = 1 / (1 + np.exp(-z[:n]))
        np.testing.assert_allclose(
            posterior_given(theta, inputs)[0], closed_form(theta).posterior, rtol=1e-10
        )
    np.testing.assert_allclose(np.diff(found), np.diff(expected), rtol=1e-9, atol=1e-9)


def test_warm_up_keeps_the_next_pool_size_at_hand():
    """What the dashboard runs at start: afterwards the panel's pool, and a panel whose
    analyst sets twice as many cells (past the compiled size), wait for no compiler."""
    from analysis.uncertainty import sampler
    from analysis.uncertainty.pool import warm_up_pool

    likelihood = np.array([[0.8, 0.3], [0.4, 0.6], [0.7, 0.5], [0.2, 0.9], [0.6, 0.6]])
    case = make_case(likelihood, credibility=[0.9, 0.8, 0.7, 0.6, 0.5])
    few = every_cell(case, "kim", np.clip(likelihood + 0.1, 0, 0.95), [0.8] * 5)
    few = replace(few, likelihoods=dict(list(few.likelihoods.items())[:6]), credibility={})
    warmed = warm_up_pool(case, {"kim": few})
    assert [m.key for m in warmed] == [("pool", (8, 4)), ("pool", (16, 4))]
    before = len(sampler._CACHE)
    everything = every_cell(case, "kim", np.clip(likelihood + 0.1, 0, 0.95), [0.8] * 5)
    for judged in (few, everything):  # 6 latent values, then 15
        panel = analyse_panel(case, {"kim": judged}, "bayes", seed=4, draws=300)
        assert panel.pooled.method == "bayes" and len(panel.pooled.cells) in (6, 15)
    assert len(sampler._CACHE) == before
