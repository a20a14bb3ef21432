"""The closed-form maths on plain arrays: no case objects, no text.

Shapes: ``K`` hypotheses, ``N`` items. ``prior`` is ``(K,)``; likelihoods ``(N, K)``;
per-item vectors ``(N,)``. Everything is computed in log space.
"""

from __future__ import annotations

import numpy as np

from analysis.scales import LIKELIHOOD_FLOOR

DB = 10.0 / np.log(10.0)  # natural log -> decibans
#: Probabilities within this fraction of the top one share the lead with it (a tie).
TIE = 1e-9


def leading(posterior: np.ndarray) -> np.ndarray:
    """Which hypotheses share the top probability, along the last axis: ``(..., K)`` bool
    (one True where the leader is clear, several for a tie)."""
    top = np.max(posterior, axis=-1, keepdims=True)
    return posterior >= top - TIE * top


def leaders(posterior: np.ndarray) -> tuple[int, ...]:
    """The hypotheses sharing the top probability of ``posterior`` ``(K,)``, in file order
    (a tie names them as the case does): one index where the leader is clear."""
    return tuple(int(k) for k in np.flatnonzero(leading(posterior)))


def lead_changes(posteriors: np.ndarray, posterior: np.ndarray) -> np.ndarray:
    """``(N,)`` bool: whether each row of ``posteriors`` ``(N, K)`` has other leaders than
    ``posterior`` ``(K,)``: another hypothesis in the lead, or a tie made or broken."""
    return (leading(posteriors) != leading(posterior)[None, :]).any(axis=-1)


def effective_likelihood(
    likelihood: np.ndarray, credibility: np.ndarray, unreliable: np.ndarray
) -> np.ndarray:
    """Schum's cascaded form ``P = c L + (1 - c) b``, floored to stay finite in logs."""
    c = credibility[:, None]
    effective = c * likelihood + (1.0 - c) * unreliable[:, None]
    return np.maximum(effective, LIKELIHOOD_FLOOR)


def normalise_log(log_weights: np.ndarray) -> np.ndarray:
    """Log-softmax along the last axis (rows of a 2-D array are normalised separately)."""
    top = np.max(log_weights, axis=-1, keepdims=True)
    shifted = log_weights - top
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def log_posterior(prior: np.ndarray, log_effective: np.ndarray) -> np.ndarray:
    """Normalised log posterior: ``log pi + sum_i log P[i, :]``, log-softmaxed."""
    return normalise_log(np.log(prior) + log_effective.sum(axis=0))


def centred_decibans(log_values: np.ndarray) -> np.ndarray:
    """``10 log10`` of the values, centred over hypotheses (the last axis)."""
    db = DB * log_values
    return db - db.mean(axis=-1, keepdims=True)


def leave_one_out(prior: np.ndarray, log_effective: np.ndarray) -> np.ndarray:
    """``(N, K)``: the posterior without each independent item in turn, in O(N K)."""
    return posterior_without(np.log(prior) + log_effective.sum(axis=0), log_effective)


def posterior_without(total: np.ndarray, removal: np.ndarray) -> np.ndarray:
    """``(N, K)``: the posterior from the log joint ``total`` ``(K,)`` less each row of
    ``removal`` (the log weight taking that item away takes with it)."""
    return np.exp(normalise_log(total[None, :] - removal))


def trajectory(prior: np.ndarray, log_effective: np.ndarray, order: np.ndarray) -> np.ndarray:
    """``(N, K)``: the posterior after each item, taking the items in ``order``."""
    cumulative = np.cumsum(log_effective[order], axis=0) + np.log(prior)[None, :]
    return np.exp(normalise_log(cumulative))


def weight_of_evidence(log_effective: np.ndarray, h: int, g: int) -> np.ndarray:
    """``(N,)``: ``10 log10(P[i, h] / P[i, g])`` for every item, in decibans."""
    return DB * (log_effective[:, h] - log_effective[:, g])


def diagnosticity(log_effective: np.ndarray) -> np.ndarray:
    """``(N,)``: the largest pairwise weight of evidence of each item, in decibans."""
    if log_effective.shape[0] == 0:
        return np.zeros(0)
    return DB * (log_effective.max(axis=1) - log_effective.min(axis=1))


def entropy_bits(p: np.ndarray) -> np.ndarray:
    """Shannon entropy in bits along the last axis (0 log 0 = 0)."""
    safe = np.where(p > 0, p, 1.0)
    return -np.sum(np.where(p > 0, p * np.log2(safe), 0.0), axis=-1)


def observation_update(
    posterior: np.ndarray, effective: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For candidate observations with effective likelihoods ``(M, K)``.

    Returns ``(p_seen, if_seen, if_not_seen, information_bits)``: the probability of
    seeing each, the posterior if seen, if not seen, and the expected information
    gain about H (the mutual information between H and the observation), in bits.
    """
    joint_seen = posterior[None, :] * effective
    joint_not = posterior[None, :] * np.clip(1.0 - effective, 0.0, 1.0)
    p_seen = joint_seen.sum(axis=1)
    p_not = joint_not.sum(axis=1)
    if_seen = joint_seen / np.where(p_seen > 0, p_seen, 1.0)[:, None]
    if_not = joint_not / np.where(p_not > 0, p_not, 1.0)[:, None]
    if_seen = np.where(p_seen[:, None] > 0, if_seen, posterior[None, :])
    if_not = np.where(p_not[:, None] > 0, if_not, posterior[None, :])
    expected_after = p_seen * entropy_bits(if_seen) + p_not * entropy_bits(if_not)
    information = np.maximum(entropy_bits(posterior)[None] - expected_after, 0.0)
    return p_seen, if_seen, if_not, information
