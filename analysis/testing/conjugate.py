"""An exact, independent sampler for the uncertainty model (no MCMC, no PyMC).

The tests use it as an oracle for the PyMC run and the benchmark prints it for
scale. It draws i.i.d. from ``p(H, T, theta | E)`` by going through ``H`` and ``T``,
the truth of every event with two or more reports (an event of one report is a lone
report: ``q a + (1 - q) f = c q + (1 - c) b``):

1. ``P(H = h, T = t | E)`` in closed form. Given ``h`` and ``t`` every factor of the
   likelihood is linear in one credibility, ``c x + (1 - c) y``: a lone item gives
   ``(x, y) = (m_ih, b_i)`` with ``m_ih`` the mean of ``L[i,h]`` (the ``L`` integrate out
   given ``c``); a report of a true event gives ``(1, b_i)``, of a false one ``(0, b_i)``;
   the event itself gives ``m_eh`` or ``1 - m_eh`` (``q`` integrates out). An uncertain
   source ``s`` with ``n`` factors contributes ``Z_s = E_c[prod (c x + (1 - c) y)]``:
   writing the product as ``sum_j e_j c^j (1 - c)^(n - j)`` makes ``Z_s = sum_j e_j
   B(a + j, b + n - j) / B(a, b)``. ``P(E | h)`` sums over the ``2^E`` truths ``t``.
2. Given ``h`` and ``t``, each uncertain credibility is the Beta mixture
   ``sum_j w_j Beta(a + j, b + n - j)`` with ``w_j`` proportional to the terms above.
3. Given ``h``, ``t`` and ``c``: an uncertain ``L[i,h]`` is the mixture
   ``Beta(alpha + 1, beta)`` (weight ``c m``) and ``Beta(alpha, beta)`` (weight
   ``(1 - c) b``); an uncertain ``q[e,h]`` is ``Beta(alpha + 1, beta)`` if the event
   is true, else ``Beta(alpha, beta + 1)``; the cells of the other hypotheses keep
   their prior.

Each draw then gives ``P(H | E, theta)`` by the closed form, computed here on its own.
The likelihood floor of the closed form (1e-300) is ignored here; it matters only for
impossible evidence. Retracted items are absent from the model, so from here too.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy import special

from analysis.case import Case
from analysis.engine import bayes
from analysis.uncertainty.model import ModelData, Structure, describe


def _log(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(x)


@dataclass(frozen=True)
class _Terms:
    """The exact decomposition of ``P(E, H, T)`` of one case."""

    truths: np.ndarray  # (C, E) every truth assignment of the multi-report events
    multi: tuple[int, ...]  # the groups with two or more reports, in ``truths`` columns
    log_joint: np.ndarray  # (C, K) log P(E, T = t | h)
    #: per uncertain source: its polynomial terms ``(C, K, n + 1)`` (logs) and ``n``
    sources: tuple[tuple[np.ndarray, int], ...]
    means: np.ndarray  # (G, K) prior mean of every group cell


def _means(structure: Structure, data: ModelData) -> np.ndarray:
    """``m[g, h]``: the prior mean of every group cell (fixed cells as given)."""
    means = data.q_fixed.copy()
    if structure.free_cells:
        rows, cols = np.array(structure.free_cells).T
        means[rows, cols] = data.q_alpha / (data.q_alpha + data.q_beta)
    return means


def _factors(structure: Structure, data: ModelData, means: np.ndarray, truth: dict[int, int]):
    """Each report's factor ``(item, x (K,), y (K,))`` given the events' truths."""
    k = structure.n_hypotheses
    for g, group in enumerate(structure.groups):
        for i in group:
            x = np.full(k, float(truth[g])) if g in truth else means[g]
            yield i, x, np.full(k, data.b[i])


def _terms(structure: Structure, data: ModelData) -> _Terms:
    means = _means(structure, data)
    multi = tuple(g for g, group in enumerate(structure.groups) if len(group) > 1)
    truths = np.array(list(itertools.product((1, 0), repeat=len(multi))), dtype=int)
    truths = truths.reshape(len(truths), len(multi))
    slot = np.array(structure.item_credibility, dtype=int)
    k = structure.n_hypotheses
    log_joint = np.zeros((len(truths), k))
    sources = [[np.zeros((len(truths), k, 1)), 0] for _ in range(structure.n_credibilities)]
    for t, row in enumerate(truths):
        truth = dict(zip(multi, row.tolist(), strict=True))
        for g, value in truth.items():
            log_joint[t] += _log(means[g] if value else 1.0 - means[g])
        coefficients = [np.zeros((k, 1)) for _ in range(structure.n_credibilities)]
        for i, x, y in _factors(structure, data, means, truth):
            s = slot[i]
            if s < 0:
                c = data.c_fixed[i]
                log_joint[t] += _log(c * x + (1.0 - c) * y)
                continue
            log_e = coefficients[s]
            padded = np.full((k, log_e.shape[1] + 1), -np.inf)
            padded[:, :-1] = log_e + _log(y)[:, None]
            padded[:, 1:] = np.logaddexp(padded[:, 1:], log_e + _log(x)[:, None])
            coefficients[s] = padded
        for s, log_e in enumerate(coefficients):
            n = log_e.shape[1] - 1
            j = np.arange(n + 1)
            a, b = data.c_alpha[s], data.c_beta[s]
            terms = log_e + (special.betaln(a + j, b + n - j) - special.betaln(a, b))[None, :]
            log_joint[t] += special.logsumexp(terms, axis=1)
            if t == 0:
                sources[s] = [np.zeros((len(truths), k, n + 1)), n]
            sources[s][0][t] = terms
    return _Terms(truths, multi, log_joint, tuple((v, n) for v, n in sources), means)


def exact_posterior(case: Case) -> np.ndarray:
    """``P(H | E)`` of the uncertainty model, exactly (the mean of ``P(H | E, theta)``)."""
    structure, data = describe(case)
    terms = _terms(structure, data)
    return np.exp(bayes.normalise_log(data.log_prior + special.logsumexp(terms.log_joint, 0)))


def sample_exact(case: Case, draws: int, seed: int = 0) -> np.ndarray:
    """``(draws, K)`` i.i.d. draws of ``P(H | E, theta)`` under ``p(theta | E)``."""
    rng = np.random.default_rng(seed)
    structure, data = describe(case)
    terms = _terms(structure, data)
    joint = data.log_prior[None, :] + terms.log_joint  # (C, K)
    flat = np.exp(joint.ravel() - special.logsumexp(joint))
    pick = rng.choice(flat.size, size=draws, p=flat / flat.sum())
    t, h = np.divmod(pick, structure.n_hypotheses)

    credibility = np.tile(data.c_fixed, (draws, 1))  # (S, N)
    slot = np.array(structure.item_credibility, dtype=int)
    a_all, b_all = data.c_alpha, data.c_beta
    for s, (log_terms, n) in enumerate(terms.sources):
        chosen = log_terms[t, h]  # (S, n + 1)
        weights = np.exp(chosen - special.logsumexp(chosen, axis=1, keepdims=True))
        j = (rng.random(draws)[:, None] > np.cumsum(weights, axis=1)[:, :-1]).sum(axis=1)
        credibility[:, slot == s] = rng.beta(a_all[s] + j, b_all[s] + n - j)[:, None]

    values = np.tile(data.q_fixed, (draws, 1, 1))  # (S, G, K)
    column = {g: m for m, g in enumerate(terms.multi)}
    for m, (g, cell) in enumerate(structure.free_cells):
        alpha, beta = data.q_alpha[m], data.q_beta[m]
        mine = h == cell
        if g in column:
            true = terms.truths[t, column[g]] == 1
            values[:, g, cell] = rng.beta(alpha + (mine & true), beta + (mine & ~true))
            continue
        i = structure.groups[g][0]
        c = credibility[:, i]
        hit = c * terms.means[g, cell]
        p_hit = np.divide(hit, hit + (1.0 - c) * data.b[i], out=np.zeros(draws), where=hit > 0)
        updated = mine & (rng.random(draws) < p_hit)
        values[:, g, cell] = rng.beta(alpha + updated, beta)
    return _posterior_of_draws(structure, data, credibility, values)


def _posterior_of_draws(
    structure: Structure, data: ModelData, credibility: np.ndarray, values: np.ndarray
) -> np.ndarray:
    """``P(H | E, theta)`` per draw: lone ``c L + (1 - c) b``, events ``q prod a + (1 - q)
    prod f``."""
    log_joint = np.broadcast_to(data.log_prior, (len(values), structure.n_hypotheses)).copy()
    for g, group in enumerate(structure.groups):
        rows = list(group)
        c, b = credibility[:, rows], data.b[rows]
        q = values[:, g, :]
        if len(rows) == 1:
            log_joint += _log(c * q + (1.0 - c) * b)
            continue
        hit = np.prod(c + (1.0 - c) * b, axis=1)[:, None]
        false = np.prod((1.0 - c) * b, axis=1)[:, None]
        log_joint += _log(q * hit + (1.0 - q) * false)
    return np.exp(bayes.normalise_log(log_joint))
