"""Robust judgments: what the posterior says firmly, before what it leaves contested.

A judgment here is a statement that the answer lies in a group ``S`` of hypotheses;
its probability is the sum of theirs (the hypotheses are mutually exclusive). The
seed case's three North Korean routes, for example, share the claim that the weapons
were North Korean-made, so that claim is as likely as the three together.

**The rule.** The robust judgment is the smallest group of the most probable
hypotheses (taken in posterior order) such that

1. together they reach :data:`ROBUST_PROBABILITY` (80%, where ICD 203's "very
   likely" and PHIA's "highly likely" begin: a judgment a reader can act on), and
2. they still reach it with any single evidence item left out (leave-one-out): the
   judgment does not hang on one report;

and that leaves at least one hypothesis out (the whole list is certain by construction
and says nothing). When the group is the leader alone, the leader itself is robust and
nothing is contested. When no group qualifies, the case has no robust judgment yet.

Taking the most probable hypotheses first gives, for each size, the group of largest
probability, so the smallest qualifying size under condition 1 alone is the smallest
over all groups (a brute-force test checks this).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ROBUST_PROBABILITY = 0.80


@dataclass(frozen=True)
class RobustJudgment:
    """A group of hypotheses that together are very likely, whatever one item says."""

    #: hypothesis indices in the group, most probable first
    members: tuple[int, ...]
    #: their summed posterior probability
    probability: float
    #: the smallest summed probability with any one evidence item left out
    worst_without_one: float
    #: hypothesis indices left out of the group, most probable first
    excluded: tuple[int, ...]


def robust_judgment(
    posterior: np.ndarray,
    posterior_without: np.ndarray,
    threshold: float = ROBUST_PROBABILITY,
) -> RobustJudgment | None:
    """The robust judgment of the module's rule, or None when no group qualifies.

    ``posterior_without`` is (N, K): the posterior with each item left out (N may be 0).
    """
    p = np.asarray(posterior, dtype=float)
    ranking = [int(k) for k in np.argsort(-p, kind="stable")]
    without = np.asarray(posterior_without, dtype=float).reshape(-1, len(p))
    for size in range(1, len(p)):
        members = ranking[:size]
        total = float(p[members].sum())
        worst = float(without[:, members].sum(axis=1).min()) if len(without) else total
        if total >= threshold and worst >= threshold:
            return RobustJudgment(tuple(members), total, worst, tuple(ranking[size:]))
    return None
