"""Each evidence item's log weight, and what taking items away leaves.

An item's weight is ``log P[i, h]`` (the cascaded form) when it stands alone, its
chain-rule increment when it reports an event (:mod:`analysis.engine.events`), and
nothing (0 under every hypothesis) when it is retracted. The weights always sum to the
log likelihood of all the evidence, so the posterior, the contributions and the
trajectory are the same sums as for independent items.

Taking items away: a lone item takes its own weight with it; a report of an event
takes ``log P(R_e | h) - log P(R_e without it | h)``. A failed assumption takes away every
item and event resting on it: credibility 0 makes a report's hit and false-positive
rates both ``b``, a factor common to every hypothesis, which is exactly removing it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.case import Assumption, Case, Event
from analysis.engine import bayes, events


@dataclass(frozen=True)
class Weights:
    """The per-item log weights ``(N, K)`` and the log weight removing each item takes."""

    #: ``(N, K)`` each item's cascaded effective likelihood as a lone report, floored
    single: np.ndarray
    log_weight: np.ndarray
    removal: np.ndarray
    #: ``(E, M)`` reports of each event, trajectory order, -1 padded (None: no events)
    table: np.ndarray | None = None
    #: ``(E, K)`` ``log P(R_e | h)``
    event_log: np.ndarray | None = None
    reports: events.Reports | None = None

    def effective(self, case: Case) -> np.ndarray:
        """``(N, K)`` the weights as likelihoods (exactly ``single`` for a lone item)."""
        if self.table is None and not case.retracted_mask.any():
            return self.single
        # a lone item and an event's first report weigh exactly their single likelihood
        exact = np.array([item.event is None for item in case.evidence], dtype=bool)
        if self.table is not None:
            first = self.table[:, 0]
            exact[first[first >= 0]] = True
        exact &= ~case.retracted_mask
        return np.where(exact[:, None], self.single, np.exp(self.log_weight))


@dataclass(frozen=True)
class EventResult:
    """One event: the reports that count, what it carries, and the posterior without it."""

    index: int  # position in case.events
    event: Event
    items: tuple[int, ...]  # reports that count (not retracted), in trajectory order
    log_likelihood: np.ndarray  # (K,) log P(R_e | h)
    contribution: np.ndarray  # (K,) centred decibans
    posterior_without: np.ndarray  # (K,)
    linchpin: bool


@dataclass(frozen=True)
class AssumptionResult:
    """One key assumption: the posterior and the leader if it fails."""

    index: int  # position in case.assumptions
    assumption: Assumption
    items: tuple[int, ...]  # evidence items resting on it (not retracted)
    posterior_if_fails: np.ndarray  # (K,)
    #: the hypotheses leading if it fails, in file order: several for a tie
    leaders_if_fails: tuple[int, ...]
    linchpin: bool

    @property
    def leader_if_fails(self) -> int:
        """The hypothesis leading if it fails (the first of a tie, in file order)."""
        return self.leaders_if_fails[0]


def weigh(
    case: Case,
    order: np.ndarray,
    likelihood: np.ndarray,
    credibility: np.ndarray,
    unreliable: np.ndarray,
    event_likelihood: np.ndarray | None = None,
) -> Weights:
    """The weights of ``case.evidence`` from its arrays; ``order`` is the trajectory order.

    ``event_likelihood`` replaces ``case.event_likelihood`` (e.g. a number being tested).
    """
    single = bayes.effective_likelihood(likelihood, credibility, unreliable)
    log_single = np.log(single)
    retracted = case.retracted_mask
    if not case.events and not retracted.any():
        return Weights(single, log_single, log_single)
    log_weight = log_single.copy()
    log_weight[retracted] = 0.0
    if not case.events:
        return Weights(single, log_weight, log_weight)
    position = np.empty(len(order), dtype=int)
    position[order] = np.arange(len(order))
    table = events.pad([_counted(case, e.id, position) for e in case.events])
    reports = events.Reports.of(credibility, unreliable, log_single)
    q = case.event_likelihood if event_likelihood is None else event_likelihood
    joint = events.cumulative(table, q, reports)
    rows, steps = events.increments(table, joint)
    log_weight[rows] = steps
    event_log = joint[:, -1, :]
    real = table >= 0
    removal = log_weight.copy()
    taken = event_log[:, None, :] - events.leave_one_out(table, q, reports)
    removal[table[real]] = taken[real]
    return Weights(single, log_weight, removal, table, event_log, reports)


def _counted(case: Case, event_id: str, position: np.ndarray) -> list[int]:
    rows = [i for i in case.event_reports[event_id] if not case.evidence[i].retracted]
    return sorted(rows, key=lambda i: position[i])


def event_results(
    case: Case, weights: Weights, total: np.ndarray, posterior: np.ndarray
) -> tuple[EventResult, ...]:
    """Every event's weight and leave-it-out posterior; ``total`` is the log joint and
    ``posterior`` the case's (an event is a linchpin where leaving it out changes the
    leaders: :func:`~analysis.engine.bayes.lead_changes`)."""
    if weights.table is None or weights.event_log is None:
        return ()
    without = np.exp(bayes.normalise_log(total[None, :] - weights.event_log))
    changed = bayes.lead_changes(without, posterior)
    contribution = bayes.centred_decibans(weights.event_log)
    return tuple(
        EventResult(
            e,
            event,
            tuple(int(i) for i in weights.table[e] if i >= 0),
            weights.event_log[e],
            contribution[e],
            without[e],
            bool(changed[e]),
        )
        for e, event in enumerate(case.events)
    )


def removed_weight(case: Case, weights: Weights, rows: set[int]) -> np.ndarray:
    """``(K,)``: the log weight taken away with the evidence items ``rows`` together."""
    alone = [i for i in rows if case.evidence[i].event is None]
    taken = weights.log_weight[alone].sum(axis=0)
    if weights.table is None or weights.event_log is None or weights.reports is None:
        return taken
    hit = [e for e in range(len(case.events)) if any(int(i) in rows for i in weights.table[e])]
    if not hit:
        return taken
    kept = events.pad([[int(i) for i in weights.table[e] if i >= 0 and i not in rows] for e in hit])
    left = events.event_log_likelihood(kept, case.event_likelihood[hit], weights.reports)
    return taken + (weights.event_log[hit] - left).sum(axis=0)


def assumption_results(
    case: Case, weights: Weights, total: np.ndarray, posterior: np.ndarray
) -> tuple[AssumptionResult, ...]:
    """For each assumption, the posterior and leaders when everything resting on it fails
    (a linchpin where they are not the case's leaders)."""
    found = []
    for index, assumption in enumerate(case.assumptions):
        rows = {i for i in case.resting_on(assumption) if not case.evidence[i].retracted}
        if_fails = np.exp(bayes.normalise_log(total - removed_weight(case, weights, rows)))
        found.append(
            AssumptionResult(
                index,
                assumption,
                tuple(sorted(rows)),
                if_fails,
                bayes.leaders(if_fails),
                bool(bayes.lead_changes(if_fails[None, :], posterior)[0]),
            )
        )
    return tuple(found)
