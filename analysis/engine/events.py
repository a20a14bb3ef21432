"""Several reports of one event (Schum's corroboration), on arrays.

Item ``i`` reporting event ``e`` is a report with hit rate ``a_i = c_i + (1 - c_i) b_i``
and false-positive rate ``f_i = (1 - c_i) b_i``. With ``R`` the reports of ``e``:

    P(R | h) = q[e,h] * prod_i a_i + (1 - q[e,h]) * prod_i f_i

Everything is in log space. An event's reports are held in a padded ``(E, M)`` table of
item indices (``-1`` pads), left-packed in trajectory order, so every product is a
``cumsum`` along the rows and nothing ever subtracts one infinite log from another.
A retracted report is no report at all: it never enters the table.

The ``j``-th report's weight is its chain-rule increment
``log P(R_1..R_j | h) - log P(R_1..R_{j-1} | h)``, so the weights of all items still sum
to the event's ``log P(R | h)``. Like a single report (floored at
:data:`~analysis.scales.LIKELIHOOD_FLOOR`), the joint of ``j`` reports is floored at
``FLOOR ** j``; the first report's joint is computed exactly as a report without an
event, ``log(c q + (1 - c) b)``, so an event with one report gives the same numbers to
the last bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.scales import LIKELIHOOD_FLOOR

LOG_FLOOR = float(np.log(LIKELIHOOD_FLOOR))


def pad(groups: Sequence[Sequence[int]]) -> np.ndarray:
    """``(E, M)`` item indices, one row per group, padded with ``-1`` (``M >= 1``)."""
    width = max((len(g) for g in groups), default=0) or 1
    table = np.full((len(groups), width), -1, dtype=int)
    for row, group in enumerate(groups):
        table[row, : len(group)] = group
    return table


@dataclass(frozen=True)
class Reports:
    """The per-item rates an event needs, in log space (``(N,)`` each) plus the single-
    report log effective likelihoods ``(N, K)`` used for an event's first report."""

    log_hit: np.ndarray
    log_false: np.ndarray
    log_single: np.ndarray

    @classmethod
    def of(cls, credibility: np.ndarray, unreliable: np.ndarray, log_single: np.ndarray) -> Reports:
        with np.errstate(divide="ignore"):
            log_hit = np.log(credibility + (1.0 - credibility) * unreliable)
            log_false = np.log((1.0 - credibility) * unreliable)
        return cls(log_hit, log_false, log_single)


def _gather(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    """``values[table]`` with the pads at 0 (log 1: they change no product)."""
    return np.where(table >= 0, values[np.maximum(table, 0)], 0.0)


def _joint(
    log_q: np.ndarray, log_not_q: np.ndarray, log_a: np.ndarray, log_f: np.ndarray, n: np.ndarray
) -> np.ndarray:
    """``log(q A + (1 - q) F)`` for ``(E, M)`` log products, floored at ``n`` floors;
    exactly 0 where ``n`` is 0 (no report: certain). Returns ``(E, M, K)``."""
    joint = np.logaddexp(
        log_q[:, None, :] + log_a[:, :, None], log_not_q[:, None, :] + log_f[:, :, None]
    )
    joint = np.maximum(joint, (n * LOG_FLOOR)[:, :, None])
    return np.where(n[:, :, None] > 0, joint, 0.0)


def _log_q(q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore"):
        return np.log(q), np.log1p(-q)


def cumulative(table: np.ndarray, q: np.ndarray, reports: Reports) -> np.ndarray:
    """``(E, M, K)``: ``log P(R_1..R_j | h)`` after each slot (pads repeat the last)."""
    log_q, log_not_q = _log_q(q)
    real = table >= 0
    count = np.cumsum(real, axis=1)
    cum_a = np.cumsum(_gather(reports.log_hit, table), axis=1)
    cum_f = np.cumsum(_gather(reports.log_false, table), axis=1)
    joint = _joint(log_q, log_not_q, cum_a, cum_f, count)
    first = real[:, 0]
    joint[first, 0] = reports.log_single[table[first, 0]]
    return joint


def event_log_likelihood(table: np.ndarray, q: np.ndarray, reports: Reports) -> np.ndarray:
    """``(E, K)``: ``log P(R_e | h)`` for each row of ``table``."""
    return cumulative(table, q, reports)[:, -1, :]


def increments(table: np.ndarray, joint: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The chain-rule weight of each report: ``(rows, (R, K))`` for the real slots."""
    steps = joint.copy()
    steps[:, 1:] -= joint[:, :-1]
    real = table >= 0
    return table[real], steps[real]


def leave_one_out(table: np.ndarray, q: np.ndarray, reports: Reports) -> np.ndarray:
    """``(E, M, K)``: ``log P(R_e without the report in slot j | h)``."""
    log_q, log_not_q = _log_q(q)
    n = (table >= 0).sum(axis=1)

    def others(values: np.ndarray) -> np.ndarray:
        padded = _gather(values, table)
        zero = np.zeros((len(table), 1))
        before = np.hstack([zero, np.cumsum(padded, axis=1)[:, :-1]])
        after = np.hstack([np.cumsum(padded[:, ::-1], axis=1)[:, ::-1][:, 1:], zero])
        return before + after

    remaining = np.broadcast_to((n - 1)[:, None], table.shape)
    return _joint(log_q, log_not_q, others(reports.log_hit), others(reports.log_false), remaining)
