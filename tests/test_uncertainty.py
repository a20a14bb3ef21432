"""The PyMC uncertainty run, checked against independent exact answers.

Oracles: the closed form (equal to the posterior mean when no parameter is shared),
the exact conjugate sampler of :mod:`analysis.testing.conjugate`, and a Gauss-Jacobi
quadrature over a shared credibility written here. MCMC runs are small, seeded and
cached per session; each distinct case *structure* costs one nutpie compile (about
10 s), so the tests reuse four structures, each pinned to one xdist worker.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import special

from analysis.case import Case, Prob, Source
from analysis.casefile.loader import load_case
from analysis.elicit import beta_parameters, range_mean
from analysis.engine.analyzer import analyze
from analysis.testing.conjugate import exact_posterior, sample_exact
from analysis.testing.synthetic import make_case
from analysis.uncertainty.model import describe

SEED_CASE = "nk-hamas"
HEAVY = ("pymc", "pytensor", "nutpie", "arviz", "numba")
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
EXACT_DRAWS = 40_000

seed_group = pytest.mark.xdist_group("uncertainty-seed")
small_group = pytest.mark.xdist_group("uncertainty-small")


# -- helpers ------------------------------------------------------------------------------
def draws_of(case: Case, draws: int = 1000, seed: int = 1) -> np.ndarray:
    """``(chains, draws, K)`` PyMC draws of P(H | E, theta)."""
    from analysis.uncertainty.sampler import posterior_draws

    return posterior_draws(case, draws=draws, seed=seed)["p_h"]


def mcse(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Monte Carlo standard error of the mean of each column, and the bulk ESS (ArviZ)."""
    import arviz as az

    ess = np.array([float(az.ess(p[:, :, k])) for k in range(p.shape[-1])])
    sd = p.reshape(-1, p.shape[-1]).std(axis=0)
    return sd / np.sqrt(ess), ess


def assert_mean_within_mc_error(p: np.ndarray, expected: np.ndarray) -> None:
    error, _ = mcse(p)
    mean = p.reshape(-1, p.shape[-1]).mean(axis=0)
    np.testing.assert_array_less(np.abs(mean - expected), 5 * error + 1e-4)


def assert_same_distribution(p: np.ndarray, exact: np.ndarray) -> None:
    """At each exact quantile x_q, the share of MCMC draws below x_q is q, within 5 s.e."""
    _, ess = mcse(p)
    flat = p.reshape(-1, p.shape[-1])
    for k in range(flat.shape[1]):
        for q in QUANTILES:
            x = np.quantile(exact[:, k], q)
            share = float(np.mean(flat[:, k] <= x))
            se = np.sqrt(q * (1 - q) * (1 / ess[k] + 1 / len(exact)))
            assert abs(share - q) < 5 * se, (k, q, share)


def one_source_per_item(case: Case) -> Case:
    """The same case with every item given its own copy of its source: nothing shared."""
    sources, items = [], []
    for i, item in enumerate(case.evidence):
        source = case.source_by_id[item.source] if item.source else None
        if source is None:
            items.append(item)
            continue
        sources.append(dataclasses.replace(source, id=f"{source.id}-{i}"))
        items.append(dataclasses.replace(item, source=f"{source.id}-{i}"))
    return case.with_changes(sources=tuple(sources), evidence=tuple(items))


# -- session fits ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def seed_case(repo_root) -> Case:
    return load_case(SEED_CASE, repo_root)


@pytest.fixture(scope="session")
def small_compiled():
    """Compile the small structure up front (PyTensor raises the recursion limit, which
    Hypothesis would otherwise report from inside its test)."""
    from analysis.uncertainty.sampler import compiled_model_for

    return compiled_model_for(small_case())


@pytest.fixture(scope="session")
def seed_draws(seed_case) -> np.ndarray:
    return draws_of(seed_case, draws=1000, seed=1)


#: The small structure: K = 3, N = 4, every cell and every credibility uncertain, one
#: source per item. Hypothesis varies its numbers; the compiled model is reused.
SMALL_L = [[0.8, 0.3, 0.5], [0.6, 0.2, 0.4], [0.7, 0.5, 0.3], [0.9, 0.4, 0.6]]
SMALL_C = [0.8, 0.7, 0.9, 0.6]


def small_case(likelihoods=SMALL_L, credibility=SMALL_C, prior=None, concentration=None):
    case = make_case(likelihoods, credibility=credibility, prior=prior)
    return case.with_changes(concentration=concentration)


def shared_case() -> Case:
    """Three items lean on one source of credibility [0.1, 0.9]; a fourth contradicts them."""
    likelihoods = [[0.9, 0.1], [0.9, 0.1], [0.9, 0.1], [0.1, 0.9]]
    case = make_case(likelihoods, sources=[0, 0, 0, 1], credibility=[0.5, 0.9])
    wide = Source("s0", "Source 0", Prob(range_mean(0.1, 0.9), "range", 0.1, 0.9))
    return case.with_changes(sources=(wide, case.sources[1]))


# -- no shared parameter: the posterior mean is the closed form ------------------------------
@seed_group
def test_seed_case_mean_is_closed_form_when_nothing_is_shared(seed_case):
    # The seed case has several items per source; with one source per item nothing is
    # shared, so the PyMC mean must equal the closed form.
    solo = one_source_per_item(seed_case)
    assert describe(solo)[0].n_credibilities > describe(seed_case)[0].n_credibilities
    p = draws_of(solo, draws=1000, seed=2)
    assert_mean_within_mc_error(p, analyze(solo).posterior)


@small_group
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    likelihoods=st.lists(
        st.lists(st.floats(0.05, 0.95), min_size=3, max_size=3), min_size=4, max_size=4
    ),
    credibility=st.lists(st.floats(0.2, 0.95), min_size=4, max_size=4),
    weights=st.lists(st.floats(0.2, 1.0), min_size=3, max_size=3),
)
def test_random_cases_mean_and_distribution(small_compiled, likelihoods, credibility, weights):
    case = small_case(likelihoods, credibility, np.array(weights) / sum(weights))
    p = draws_of(case, draws=1000, seed=3)
    assert_mean_within_mc_error(p, analyze(case).posterior)
    assert_same_distribution(p, sample_exact(case, EXACT_DRAWS, seed=4))


# -- the distribution of P(H | E, theta) against the exact sampler ----------------------------
@seed_group
def test_seed_case_distribution_matches_exact_sampler(seed_case, seed_draws):
    # The real seed case, shared sources included: the exact sampler handles sharing.
    assert describe(seed_case)[0].n_credibilities < len(seed_case.evidence)
    assert_mean_within_mc_error(seed_draws, exact_posterior(seed_case))
    assert_same_distribution(seed_draws, sample_exact(seed_case, EXACT_DRAWS, seed=5))


def test_exact_sampler_agrees_with_closed_form_and_itself():
    # No PyMC here: the oracle's own two halves (exact mean, i.i.d. draws) agree.
    case = small_case()
    np.testing.assert_allclose(exact_posterior(case), analyze(case).posterior, rtol=1e-12)
    draws = sample_exact(case, EXACT_DRAWS, seed=6)
    se = draws.std(axis=0) / np.sqrt(len(draws))
    np.testing.assert_array_less(np.abs(draws.mean(axis=0) - exact_posterior(case)), 5 * se)


# -- events and retracted items --------------------------------------------------------------
EVENT_L = [[0.8, 0.3, 0.5], [0.5, 0.5, 0.5], [0.6, 0.2, 0.4], [0.7, 0.5, 0.3], [0.9, 0.4, 0.6]]
EVENT_Q = [[0.9, 0.4, 0.2]]


def event_case(sources=None, credibility=(0.8, 0.7, 0.9, 0.6, 0.75)) -> Case:
    """Three reports of one event (its ``q`` under h1 a range), a lone item and a
    retracted one; by default every item has its own source (nothing shared)."""
    case = make_case(
        EVENT_L,
        credibility=list(credibility),
        sources=sources,
        events=EVENT_Q,
        item_events=[0, 0, 0, None, None],
        retracted=[False, False, False, False, True],
    )
    event = case.events[0]
    q = {**event.likelihoods, "h1": Prob(range_mean(0.2, 0.6), "range", 0.2, 0.6)}
    return case.with_changes(events=(dataclasses.replace(event, likelihoods=q),))


def prior_monte_carlo(case: Case, draws: int, seed: int) -> np.ndarray:
    """P(H | E) by averaging P(E | h, theta) over theta drawn from its prior (no MCMC,
    no conjugacy): an oracle independent of :mod:`analysis.testing.conjugate`."""
    from analysis.uncertainty.model import bucket, model_inputs

    rng = np.random.default_rng(seed)
    structure, data = describe(case)
    size = bucket(structure.n_parameters)
    inputs = model_inputs(structure, data, size)
    theta = rng.beta(inputs["alpha"], inputs["beta"], size=(draws, size))
    fixed = inputs["fixed"]
    numbers = np.concatenate([np.broadcast_to(fixed, (draws, len(fixed))), theta], 1)
    k = structure.n_hypotheses
    q = numbers[:, inputs["q_index"]].reshape(draws, -1, k)
    c = numbers[:, inputs["c_index"]]
    b = inputs["report_b"]
    joint = np.zeros((draws, k))
    for g, group in enumerate(structure.groups):
        rows = [structure.reports.index(i) for i in group]
        hit = np.prod(c[:, rows] + (1 - c[:, rows]) * b[rows], axis=1)[:, None]
        false = np.prod((1 - c[:, rows]) * b[rows], axis=1)[:, None]
        joint += np.log(q[:, g] * hit + (1 - q[:, g]) * false)
    evidence = np.exp(joint - joint.max()).mean(axis=0) * case.prior
    return evidence / evidence.sum()


def test_model_sum_is_the_engine_at_central_values():
    # No PyMC: P(H | E, theta) at the Beta means is the engine's closed form, events,
    # retracted items and a shared source included, to rounding.
    from analysis.uncertainty.model import bucket, model_inputs, posterior_given

    for case in (event_case(), event_case(sources=[0, 1, 0, 0, 2], credibility=(0.8, 0.7, 0.9))):
        structure, data = describe(case)
        size = bucket(structure.n_parameters)
        central = np.concatenate(
            [
                data.q_alpha / (data.q_alpha + data.q_beta),
                data.c_alpha / (data.c_alpha + data.c_beta),
                np.full(size - structure.n_parameters, 0.5),
            ]
        )
        got = posterior_given(central, model_inputs(structure, data, size))[0]
        np.testing.assert_allclose(got, analyze(case).posterior, rtol=1e-12)
    assert 4 not in describe(event_case())[0].reports  # the retracted item is no report


def test_posterior_of_many_draws_is_that_of_each_draw():
    # Past PARALLEL_CELLS draws x cells, two threads take half each: the same numbers.
    from analysis.uncertainty.model import (
        PARALLEL_CELLS,
        _posterior,
        bucket,
        model_inputs,
        posterior_given,
    )

    case = event_case(sources=[0, 1, 0, 0, 2], credibility=(0.8, 0.7, 0.9))
    structure, data = describe(case)
    inputs = model_inputs(structure, data, bucket(structure.n_parameters))
    rng = np.random.default_rng(13)
    rows = PARALLEL_CELLS // inputs["q_index"].size + 7
    theta = rng.uniform(0.01, 0.99, size=(rows, structure.n_parameters))
    np.testing.assert_array_equal(posterior_given(theta, inputs), _posterior(theta, inputs))


def test_exact_sampler_with_events_against_prior_monte_carlo():
    # No PyMC: the conjugate oracle's exact mean, with events and a source shared by
    # an event report and a lone item, against plain Monte Carlo over the prior.
    solo = event_case()
    np.testing.assert_allclose(exact_posterior(solo), analyze(solo).posterior, rtol=1e-12)
    shared = event_case(sources=[0, 1, 0, 0, 2], credibility=(0.8, 0.7, 0.9))
    assert describe(shared)[0].n_credibilities == 2
    brute = prior_monte_carlo(shared, 400_000, seed=13)
    np.testing.assert_allclose(exact_posterior(shared), brute, atol=3e-3)
    draws = sample_exact(shared, EXACT_DRAWS, seed=14)
    se = draws.std(axis=0) / np.sqrt(len(draws))
    np.testing.assert_array_less(np.abs(draws.mean(axis=0) - exact_posterior(shared)), 5 * se)


@small_group
def test_events_mean_is_closed_form_when_nothing_is_shared(small_compiled):
    from analysis.uncertainty.sampler import compiled_model_for, run_uncertainty

    case = event_case()
    assert compiled_model_for(case) is small_compiled  # same size: no new compile
    p = draws_of(case, draws=1000, seed=15)
    assert_mean_within_mc_error(p, analyze(case).posterior)
    summary = run_uncertainty(case, seed=16)
    assert summary.r_hat_max <= 1.01 and summary.ess_min >= 400 and not summary.warnings


@small_group
def test_events_with_shared_sources_match_exact_sampler(small_compiled):
    case = event_case(sources=[0, 1, 0, 0, 2], credibility=(0.8, 0.7, 0.9))
    p = draws_of(case, draws=1500, seed=17)
    assert_mean_within_mc_error(p, exact_posterior(case))
    assert_same_distribution(p, sample_exact(case, EXACT_DRAWS, seed=18))


# -- a shared uncertain credibility ------------------------------------------------------------
def quadrature_posterior(case: Case, nodes: int = 8) -> np.ndarray:
    """P(H | E) for :func:`shared_case` by Gauss-Jacobi quadrature over the shared c.

    Given c the likelihoods integrate to their means m, so source 0 contributes
    prod_i (c m_ih + (1 - c) b_i), a polynomial of degree 3 in c; the lone item of
    source 1 contributes (E[c1] m + (1 - E[c1]) b), since nothing else uses c1. With
    c = (1 + x) / 2 the Beta(a, b) weight is (1 - x)^(b-1) (1 + x)^(a-1): Gauss-Jacobi
    with 8 nodes is exact for polynomials up to degree 15.
    """
    k = case.effective_concentration
    a, b = beta_parameters(case.sources[0].credibility, k)
    a1, b1 = beta_parameters(case.sources[1].credibility, k)
    c1 = a1 / (a1 + b1)
    m = case.likelihood_matrix(case.evidence)
    unreliable = case.unreliable_vector(case.evidence)
    x, w = special.roots_jacobi(nodes, b - 1.0, a - 1.0)
    c = (1.0 + x) / 2.0
    shared = np.ones((nodes, m.shape[1]))
    for i in range(3):
        shared *= c[:, None] * m[i] + (1.0 - c[:, None]) * unreliable[i]
    alone = c1 * m[3] + (1.0 - c1) * unreliable[3]
    joint = case.prior * (w @ shared) * alone
    return joint / joint.sum()


@small_group
def test_shared_credibility_matches_quadrature_not_plug_in():
    case = shared_case()
    quadrature = quadrature_posterior(case)
    plug_in = analyze(case).posterior
    np.testing.assert_allclose(exact_posterior(case), quadrature, rtol=1e-10)
    assert abs(quadrature[0] - plug_in[0]) > 0.04  # the case shows the difference

    p = draws_of(case, draws=2000, seed=7)
    error, _ = mcse(p)
    mean = p.reshape(-1, 2).mean(axis=0)
    np.testing.assert_array_less(np.abs(mean - quadrature), 5 * error)
    assert np.all(np.abs(mean - plug_in) > 5 * error)


# -- behaviour of the run ------------------------------------------------------------------------
@small_group
def test_intervals_narrow_as_concentration_grows():
    from analysis.uncertainty.sampler import run_uncertainty

    widths = []
    for concentration in (5.0, 20.0, 80.0):
        summary = run_uncertainty(small_case(concentration=concentration), seed=8)
        widths.append(summary.high - summary.low)
    assert np.all(widths[0] > widths[1]) and np.all(widths[1] > widths[2])


@small_group
def test_seeded_run_reproduces_and_reuses_the_compiled_model():
    from analysis.uncertainty.sampler import compiled_model_for, run_uncertainty

    case = small_case()
    first, again = run_uncertainty(case, seed=9), run_uncertainty(case, seed=9)
    for name in ("mean", "low", "high"):
        np.testing.assert_array_equal(getattr(first, name), getattr(again, name))
    assert (first.r_hat_max, first.ess_min) == (again.r_hat_max, again.ess_min)

    changed = small_case(likelihoods=[[0.5, 0.3, 0.5], *SMALL_L[1:]])
    assert compiled_model_for(changed) is compiled_model_for(case)
    assert not np.array_equal(run_uncertainty(changed, seed=9).mean, first.mean)


def test_run_checks_convergence_over_every_column_of_its_draws():
    """The run checks theta in a second thread while P(H | E, theta) is computed: every
    column of both is checked, and its worst R-hat and ESS are those of all the draws'
    columns checked at once (the ESS to rounding: a sum over lags adds in another order
    for a batch of one column)."""
    from analysis.uncertainty.diagnostics import convergence
    from analysis.uncertainty.sampler import _checked_draws, posterior_draws, run_uncertainty

    case = small_case()
    summary = run_uncertainty(case, seed=4)
    options = dict(draws=summary.draws, chains=summary.chains, tune=None, seed=4)
    draws, checked = _checked_draws(case, **options)
    for (r_hats, esses), name in zip(checked, ("theta", "p_h"), strict=True):
        wanted = convergence(draws[name].reshape(*draws[name].shape[:2], -1))
        np.testing.assert_array_equal(r_hats, wanted[0])
        np.testing.assert_allclose(esses, wanted[1], rtol=1e-13)
    assert all(np.array_equal(draws[k], v) for k, v in posterior_draws(case, **options).items())
    columns = np.concatenate([v.reshape(*v.shape[:2], -1) for v in draws.values()], axis=2)
    r_hats, esses = convergence(columns)
    assert summary.r_hat_max == np.nanmax(r_hats)
    np.testing.assert_allclose(summary.ess_min, np.nanmin(esses), rtol=1e-13)
    p = draws["p_h"].reshape(-1, draws["p_h"].shape[-1])
    np.testing.assert_array_equal(summary.mean, p.mean(axis=0))


@small_group
def test_structural_edits_reuse_the_compiled_model(small_compiled):
    # The structure is data: an added item, hypothesis or event is new data for the
    # model compiled for the same size, and each gives its own exact answer.
    from analysis.uncertainty.sampler import compiled_model_for

    edits = {
        "item": make_case([*SMALL_L[:2], [0.5, 0.6, 0.4]], credibility=SMALL_C[:3]),
        "hypothesis": make_case(
            [row[:2] + [0.5] * 2 for row in SMALL_L[:2]], credibility=[0.8, 0.7]
        ),
        "event": event_case(),
    }
    for name, case in edits.items():
        assert describe(case)[0] != describe(small_case())[0], name
        assert compiled_model_for(case) is small_compiled, name
        p = draws_of(case, draws=1000, seed=19)
        assert_mean_within_mc_error(p, exact_posterior(case))


def test_structure_key_ignores_numbers_but_not_shape():
    base = describe(small_case())[0]
    assert describe(small_case(concentration=50.0))[0] == base
    assert describe(small_case(likelihoods=[[1.0, 0.3, 0.5], *SMALL_L[1:]]))[0] != base
    assert describe(make_case(SMALL_L, credibility=SMALL_C, sources=[0, 0, 1, 2]))[0] != base


@small_group
def test_progress_is_reported_up_to_done():
    from analysis.uncertainty.sampler import run_uncertainty

    seen: list[tuple[float, str]] = []
    run_uncertainty(small_case(), seed=10, progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert all(message for _, message in seen)


def test_no_uncertain_number_needs_no_sampling():
    from analysis.uncertainty.sampler import run_uncertainty

    case = make_case([[1.0, 0.0], [1.0, 1.0]], credibility=[None, None])
    summary = run_uncertainty(case)
    np.testing.assert_array_equal(summary.mean, analyze(case).posterior)
    np.testing.assert_array_equal(summary.low, summary.high)


# -- diagnostics and warnings -------------------------------------------------------------------
def test_diagnostics_equal_arviz():
    import arviz as az

    from analysis.uncertainty.sampler import convergence

    rng = np.random.default_rng(11)
    x = rng.normal(size=(2, 400, 4))
    x[..., 1] = np.cumsum(x[..., 1], axis=1)  # strongly autocorrelated
    x[1, :, 2] += 0.3  # chains disagree
    x[..., 3] = rng.beta(0.5, 5.0, size=(2, 400))  # skewed, like a small probability
    x = np.concatenate([x, np.round(x[..., :1], 1)], axis=2)  # many ties
    r_hat, ess = convergence(x)
    expected_r = [float(az.rhat(x[:, :, j])) for j in range(5)]
    expected_e = [float(az.ess(x[:, :, j])) for j in range(5)]
    np.testing.assert_allclose(r_hat, expected_r, rtol=1e-10)
    np.testing.assert_allclose(ess, expected_e, rtol=1e-10)


def test_diagnostics_of_degenerate_columns_equal_arviz():
    # A constant column counts every draw (ArviZ's own branch); where the folded draws'
    # median is infinite (most draws +inf) the tail R-hat is NaN and ArviZ keeps the bulk.
    import arviz as az

    from analysis.uncertainty.sampler import convergence

    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, 100, 3))
    x[:, :, 0] = 0.25
    x[:, :70, 1] = np.inf
    r_hat, ess = convergence(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected_r = [float(az.rhat(x[:, :, j])) for j in range(3)]
        expected_e = [float(az.ess(x[:, :, j])) for j in range(3)]
    assert np.isnan(r_hat[0]) and np.isnan(expected_r[0])
    np.testing.assert_allclose(r_hat[1:], expected_r[1:], rtol=1e-10)
    np.testing.assert_allclose(ess, expected_e, rtol=1e-10)
    assert ess[0] == 200


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    draws=st.integers(8, 700),
    rho=st.floats(-0.9, 0.999),
    rounding=st.sampled_from([None, 1, 0]),
)
def test_diagnostics_equal_arviz_for_any_autocorrelation(seed, draws, rho, rounding):
    # Geyer's sum first reads the lags of a short transform; a chain so autocorrelated
    # that it runs past them (rho near 1, few draws) is transformed again at full size.
    # Rounding makes ties (a sampler repeats draws), whole runs of them at 0 digits.
    import arviz as az

    from analysis.uncertainty.sampler import convergence

    rng = np.random.default_rng(seed)
    noise = rng.normal(size=(2, draws, 3))
    x = np.empty_like(noise)
    x[:, 0] = noise[:, 0]
    for t in range(1, draws):
        x[:, t] = rho * x[:, t - 1] + noise[:, t]
    x[1, :, 2] += 0.5  # chains that disagree
    if rounding is not None:
        x = np.round(x, rounding)
    r_hat, ess = convergence(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected_r = [float(az.rhat(x[:, :, j])) for j in range(3)]
        expected_e = [float(az.ess(x[:, :, j])) for j in range(3)]
    np.testing.assert_allclose(r_hat, expected_r, rtol=1e-10)
    np.testing.assert_allclose(ess, expected_e, rtol=1e-10)


def test_diagnostics_of_many_columns_are_those_of_each_column():
    # Past SPLIT_COLUMNS a second thread takes half the columns: the same numbers (the
    # transforms of the ESS to rounding: batches of columns vectorise differently).
    from analysis.uncertainty.diagnostics import SPLIT_COLUMNS, convergence

    rng = np.random.default_rng(12)
    x = np.cumsum(rng.normal(size=(2, 300, 2 * SPLIT_COLUMNS + 3)), axis=1) * 0.1
    x += rng.normal(size=x.shape)
    x[..., 4] = np.round(x[..., 4], 1)  # ties
    x[0, 7, 5] = np.nan
    r_hat, ess = convergence(x)
    alone = [convergence(x[..., j : j + 1]) for j in range(x.shape[2])]
    np.testing.assert_array_equal(r_hat, np.concatenate([r for r, _ in alone]))
    np.testing.assert_allclose(ess, np.concatenate([e for _, e in alone]), rtol=1e-13)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.integers(-3, 3) | st.floats(-1e6, 1e6), min_size=1, max_size=40),
    columns=st.integers(1, 3),
)
def test_average_ranks_equal_scipy(values, columns):
    from scipy import stats

    from analysis.uncertainty.diagnostics import average_ranks

    x = np.resize(np.array(values, dtype=float), (len(values), columns))
    x[:, -1] = x[::-1, 0]  # a second order of the same ties
    np.testing.assert_array_equal(average_ranks(x), stats.rankdata(x, method="average", axis=0))
    x[0, 0] = np.nan  # SciPy's default: a column with NaN ranks as NaN
    expected = stats.rankdata(x, method="average", axis=0)
    np.testing.assert_array_equal(average_ranks(x), expected)


def test_normal_quantile_and_logistic_equal_scipy():
    from analysis.uncertainty.diagnostics import normal_quantile
    from analysis.uncertainty.model import theta_of

    p = np.concatenate(
        [np.linspace(0, 1, 20_001)[1:-1], np.logspace(-300, -1, 500), 1 - np.logspace(-16, -1, 500)]
    )
    np.testing.assert_allclose(normal_quantile(p), special.ndtri(p), rtol=1e-14, atol=1e-300)
    z = np.linspace(-700, 700, 20_001)
    np.testing.assert_allclose(theta_of(z), special.expit(z), rtol=1e-14, atol=0)


def test_warnings_say_what_is_wrong_and_what_to_do():
    from analysis.uncertainty.sampler import convergence_warnings, summarise

    assert convergence_warnings(1.005, 1500.0, 1000) == []
    r_hat_note, ess_note = convergence_warnings(1.03, 120.0, 1000)
    assert "R-hat 1.030 > 1.01" in r_hat_note and "try 2000: --draws" in r_hat_note
    assert "120 < 400" in ess_note and "more draws" in ess_note
    assert "'Draws per chain' on the Uncertainty page" in ess_note
    (pool_note,) = convergence_warnings(1.005, 120.0, 1000, run="pool")
    assert pool_note.startswith("The Bayes pool has too few") and "--pool bayes" in pool_note

    rng = np.random.default_rng(12)
    stuck = np.stack([rng.dirichlet([8, 2], size=200), rng.dirichlet([2, 8], size=200)])
    summary = summarise({"p_h": stuck}, draws=200, chains=2)
    assert summary.r_hat_max > 1.01 and any("not settled" in w for w in summary.warnings)


def test_numbers_beyond_the_samplers_reach_are_named_in_a_warning():
    # A point 0.001 at the default concentration 20 is Beta(0.02, 19.98), much of it
    # below what the logit sampler reaches: the run says so by name, whatever R-hat says.
    # At 0.0049 the smaller parameter is 0.098, below SMALLEST_BETA_PARAMETER; at 0.0051
    # it is 0.102.
    from analysis.uncertainty.model import SMALLEST_BETA_PARAMETER, beyond_reach
    from analysis.uncertainty.sampler import run_uncertainty

    assert SMALLEST_BETA_PARAMETER == 0.1
    case = make_case([[0.001, 0.5], [0.6, 0.4]], credibility=[0.9995, 0.8])
    assert beyond_reach(case) == [
        "item e0 under 'Hypothesis 0' (0.001)",
        "the credibility of source 'Source 0' (0.9995)",
    ]
    assert beyond_reach(make_case([[0.0051, 0.5]])) == []
    assert beyond_reach(make_case([[0.5, 0.9949]])) == []
    assert beyond_reach(make_case([[0.0049, 0.5]])) == ["item e0 under 'Hypothesis 0' (0.0049)"]
    assert beyond_reach(make_case([[0.5, 0.9949]], credibility=[0.996])) == [
        "the credibility of source 'Source 0' (0.996)"
    ]
    # a range is shown as written (its Beta's mean is not what the analyst wrote)
    tight = make_case([[0.5, 0.5]])
    written = Prob(range_mean(0.0, 1e-6), "range", 0.0, 1e-6)
    item = dataclasses.replace(tight.evidence[0], likelihoods={"h0": written, "h1": Prob(0.5)})
    assert beyond_reach(tight.with_changes(evidence=(item,))) == [
        "item e0 under 'Hypothesis 0' ([0, 1e-06])"
    ]

    notes = run_uncertainty(case, draws=200, seed=0).warnings
    (reach,) = [w for w in notes if "cannot follow" in w]
    assert "2 numbers" in reach and "item e0 under 'Hypothesis 0' (0.001)" in reach
    assert "Give a single number a range" in reach and "defaults.concentration" in reach
    assert "move a range's ends away from 0 and 1" in reach
    moderate = make_case([[0.3, 0.5], [0.6, 0.4]], credibility=[0.9, 0.8])
    assert not any("cannot follow" in w for w in run_uncertainty(moderate, draws=200).warnings)


def test_a_run_that_settles_on_a_wrong_answer_beyond_reach_warns():
    # The limit the warning stands for: a point 1e-5 is Beta(2e-4, 20), whose weight lies
    # far below what a float holds. Six items favour h0 a hundred thousand to one against
    # a prior of 1e-25: the exact answer is P(h0) = 1, the run settles (R-hat and ESS
    # pass) on next to 0, and only the reach warning tells the analyst. (Should the run
    # one day get it right, this fails: then revisit SMALLEST_BETA_PARAMETER.)
    from analysis.uncertainty.sampler import run_uncertainty

    low, high = 0.97, 0.995
    case = make_case(np.tile([[0.98, 1e-5]], (6, 1)), prior=[1e-25, 1 - 1e-25])
    ranged = Prob(range_mean(low, high), "range", low, high)
    evidence = tuple(
        dataclasses.replace(item, likelihoods={"h0": ranged, "h1": Prob(1e-5)})
        for item in case.evidence
    )
    case = case.with_changes(evidence=evidence)
    summary = run_uncertainty(case, seed=0)
    assert exact_posterior(case)[0] > 0.9999
    assert summary.mean[0] < 1e-6 and summary.r_hat_max <= 1.01 and summary.ess_min >= 400
    (note,) = summary.warnings
    assert "cannot follow 6 numbers" in note and "item e0 under 'Hypothesis 1' (1e-05)" in note


def test_a_prior_below_the_smallest_normal_float_samples_to_the_exact_answer():
    # 100 items at likelihood 1 against [1e-4, 1e-3] lift a prior of 1e-320 (subnormal)
    # to the lead: written plainly, the evidence term needed exp(737) and the run did
    # not settle (R-hat 1.29, mean 4e-13). The prior enters as a factor and a shift.
    from analysis.uncertainty.model import prior_factors
    from analysis.uncertainty.sampler import run_uncertainty

    log_prior = np.array([0.0, -1.0, -600.0, np.log(1e-320), -1e4, -np.inf])
    factors = prior_factors(log_prior)
    prior, shift = factors["prior"], factors["prior_shift"]
    assert (shift <= 0).all() and (shift[:3] == 0).all()
    assert (prior[:-1] >= np.exp(-601.0)).all() and prior[-1] == 0.0
    np.testing.assert_allclose(np.log(prior[:-1]) + shift[:-1], log_prior[:-1], rtol=1e-15)

    ranged = Prob(range_mean(1e-4, 1e-3), "range", 1e-4, 1e-3)
    case = make_case(np.tile([[1.0, 5e-4]], (100, 1)), prior=[1e-320, 1.0 - 1e-320])
    evidence = tuple(
        dataclasses.replace(item, likelihoods={"h0": Prob(1.0), "h1": ranged})
        for item in case.evidence
    )
    case = case.with_changes(evidence=evidence)
    assert exact_posterior(case)[0] > 0.9999
    summary = run_uncertainty(case, seed=0)
    assert summary.mean[0] > 0.9999 and summary.r_hat_max <= 1.01 and summary.ess_min >= 400
    assert summary.warnings == ()


# -- end to end and the fast path -------------------------------------------------------------
@seed_group
def test_cli_uncertainty_json(repo_root, seed_case, seed_draws):
    from typer.testing import CliRunner

    from analysis.cli import app

    args = ["analyze", SEED_CASE, "--root", str(repo_root), "--json", "--uncertainty"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert list(out["uncertainty"]) == list(seed_case.hypothesis_ids)
    for k, h in enumerate(seed_case.hypothesis_ids):
        band = out["uncertainty"][h]
        assert band["low"] <= band["mean"] <= band["high"]
        assert band["low"] <= out["posterior"][h] <= band["high"]
        assert abs(band["mean"] - exact_posterior(seed_case)[k]) < 0.02
    assert out["diagnostics"]["r_hat_max"] <= 1.01
    assert out["diagnostics"]["ess_min"] >= 400

    path = repo_root.parent / "shared" / "contract" / "analyze-output.schema.json"
    if path.exists():
        import jsonschema

        jsonschema.validate(out, json.loads(path.read_text()))

    table = CliRunner().invoke(app, [*args[:3], str(repo_root), "--uncertainty"])
    assert table.exit_code == 0 and "90% interval" in table.output


def test_draws_option_is_checked(repo_root):
    # The CLI refuses fewer than MIN_DRAWS; the engine says the same to the dashboard,
    # whose field takes any number (5 draws once failed inside the ESS with "cannot
    # reshape array of size 0"), and to the bayes pool.
    from typer.testing import CliRunner

    from analysis.cli import app
    from analysis.uncertainty import MIN_DRAWS
    from analysis.uncertainty.sampler import run_uncertainty

    args = ["analyze", SEED_CASE, "--root", str(repo_root), "--uncertainty", "--draws", "10"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    case = make_case([[0.3, 0.5], [0.6, 0.4]], credibility=[0.9, 0.8])
    with pytest.raises(ValueError, match=f"5 draws per chain are too few.*at least {MIN_DRAWS}"):
        run_uncertainty(case, draws=5)
    assert run_uncertainty(case, draws=MIN_DRAWS).draws == MIN_DRAWS


def test_fast_path_never_imports_pymc(repo_root):
    code = f"""
import sys
import analysis, analysis.testing.conjugate, analysis.uncertainty.model
from typer.testing import CliRunner
from analysis.cli import app
from analysis.engine.analyzer import analyze
from analysis.casefile.loader import load_case
analyze(load_case({SEED_CASE!r}, {str(repo_root)!r}))
result = CliRunner().invoke(app, ["analyze", {SEED_CASE!r}, "--root", {str(repo_root)!r}])
assert result.exit_code == 0, result.output
print(sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=repo_root
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.slow
def test_warm_up_compiles_the_run_and_the_next_size():
    # What the dashboard runs at start: afterwards neither the case nor a case grown
    # past its size waits for a compiler.
    from analysis.uncertainty import sampler
    from analysis.uncertainty.model import bucket

    case = small_case()
    sampler.warm_up(case)
    before = len(sampler._CACHE)
    size = bucket(describe(case)[0].n_parameters)
    grown = make_case([*SMALL_L, *SMALL_L], credibility=SMALL_C * 2)
    assert bucket(describe(grown)[0].n_parameters) == 2 * size
    sampler.run_uncertainty(case, draws=200, seed=20)
    sampler.run_uncertainty(grown, draws=200, seed=21)
    assert len(sampler._CACHE) == before
