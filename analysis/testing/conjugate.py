"""An exact, independent sampler for the uncertainty model (no MCMC, no PyMC).

The tests use it as an oracle for the PyMC run and the benchmark prints it for
scale. It draws i.i.d. from ``p(H, theta | E)`` by going through ``H``:

1. ``P(H = h | E)`` in closed form. Given ``h`` the groups of parameters are
   independent: an uncertain source ``s`` with items ``I_s`` contributes
   ``Z_s(h) = E_c[ prod_{i in I_s} (c m_ih + (1 - c) b_i) ]`` where ``m_ih`` is the
   mean of ``L[i,h]`` (the ``L`` integrate out given ``c``). Writing the product as
   ``sum_j e_j c^j (1 - c)^(n - j)`` makes ``Z_s(h) = sum_j e_j B(a + j, b + n - j) /
   B(a, b)``; an item with a fixed credibility contributes ``c m_ih + (1 - c) b_i``.
2. Given ``h``, each uncertain credibility is the Beta mixture
   ``sum_j w_j Beta(a + j, b + n - j)`` with ``w_j`` proportional to the terms above.
3. Given ``h`` and ``c``, each uncertain ``L[i,h]`` is the two-component mixture
   ``Beta(alpha + 1, beta)`` (weight ``c m``) and ``Beta(alpha, beta)`` (weight
   ``(1 - c) b``); the cells of the other hypotheses keep their prior.

Each draw then gives ``P(H | E, theta)`` by the closed form. The likelihood floor of
the closed form (1e-300) is ignored here; it matters only for impossible evidence.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from analysis.case import Case
from analysis.engine import bayes
from analysis.uncertainty.model import ModelData, Structure, describe


def _log(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(x)


def _means(structure: Structure, data: ModelData) -> np.ndarray:
    """``m[i, h]``: the prior mean of every likelihood cell (fixed cells as given)."""
    means = data.L_fixed.copy()
    if structure.free_cells:
        rows, cols = np.array(structure.free_cells).T
        means[rows, cols] = data.L_alpha / (data.L_alpha + data.L_beta)
    return means


def _source_terms(
    structure: Structure, data: ModelData, means: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each uncertain source: its items and ``log(e_j B(a+j, b+n-j)/B(a, b))``, (K, n+1)."""
    slot = np.array(structure.item_credibility, dtype=int)
    terms = []
    for s in range(structure.n_credibilities):
        items = np.flatnonzero(slot == s)
        a, b = data.c_alpha[s], data.c_beta[s]
        log_e = np.zeros((structure.n_hypotheses, 1))  # polynomial coefficients, in logs
        for i in items:
            hit, miss = _log(means[i])[:, None], _log(np.full_like(means[i], data.b[i]))[:, None]
            padded = np.full((log_e.shape[0], log_e.shape[1] + 1), -np.inf)
            padded[:, :-1] = log_e + miss
            padded[:, 1:] = np.logaddexp(padded[:, 1:], log_e + hit)
            log_e = padded
        n = len(items)
        j = np.arange(n + 1)
        log_beta = special.betaln(a + j, b + n - j) - special.betaln(a, b)
        terms.append((items, log_e + log_beta[None, :]))
    return terms


def _log_evidence(structure: Structure, data: ModelData) -> np.ndarray:
    """``log P(E | h)`` for every hypothesis, exactly, with all parameters integrated out."""
    means = _means(structure, data)
    fixed = np.array(structure.item_credibility) < 0
    c = data.c_fixed[fixed, None]
    per_item = c * means[fixed] + (1.0 - c) * data.b[fixed, None]
    total = _log(per_item).sum(axis=0)
    for _, log_terms in _source_terms(structure, data, means):
        total = total + special.logsumexp(log_terms, axis=1)
    return total


def exact_posterior(case: Case) -> np.ndarray:
    """``P(H | E)`` of the uncertainty model, exactly (the mean of ``P(H | E, theta)``)."""
    structure, data = describe(case)
    return np.exp(bayes.normalise_log(data.log_prior + _log_evidence(structure, data)))


def sample_exact(case: Case, draws: int, seed: int = 0) -> np.ndarray:
    """``(draws, K)`` i.i.d. draws of ``P(H | E, theta)`` under ``p(theta | E)``."""
    rng = np.random.default_rng(seed)
    structure, data = describe(case)
    means = _means(structure, data)
    log_post = bayes.normalise_log(data.log_prior + _log_evidence(structure, data))
    h = rng.choice(structure.n_hypotheses, size=draws, p=np.exp(log_post))

    credibility = np.tile(data.c_fixed, (draws, 1))  # (S, N)
    for s, (items, log_terms) in enumerate(_source_terms(structure, data, means)):
        weights = np.exp(log_terms - special.logsumexp(log_terms, axis=1, keepdims=True))[h]
        j = (rng.random(draws)[:, None] > np.cumsum(weights, axis=1)[:, :-1]).sum(axis=1)
        n = len(items)
        c = rng.beta(data.c_alpha[s] + j, data.c_beta[s] + n - j)
        credibility[:, items] = c[:, None]

    likelihood = np.tile(data.L_fixed, (draws, 1, 1))  # (S, N, K)
    for m, (i, g) in enumerate(structure.free_cells):
        alpha, beta = data.L_alpha[m], data.L_beta[m]
        c = credibility[:, i]
        hit = c * means[i, g]
        p_hit = np.divide(hit, hit + (1.0 - c) * data.b[i], out=np.zeros(draws), where=hit > 0)
        updated = (h == g) & (rng.random(draws) < p_hit)
        likelihood[:, i, g] = rng.beta(alpha + updated, beta)

    c = credibility[:, :, None]
    effective = c * likelihood + (1.0 - c) * data.b[None, :, None]
    log_joint = data.log_prior + _log(effective).sum(axis=1)
    return np.exp(bayes.normalise_log(log_joint))
