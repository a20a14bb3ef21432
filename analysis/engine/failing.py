"""A case as it stands when some of its key assumptions fail.

DESIGN's rule: when an assumption fails, the items and events resting on it carry no
weight (credibility 0: a report's effective likelihood is then ``b[i]`` under every
hypothesis, a factor common to all of them). Carrying no weight is exactly what a
retracted item does, so the failed case marks those items retracted: every view, the
uncertainty model and the brief then treat them alike, and ``analyze`` of the result
gives the engine's ``posterior_if_fails`` for one assumption (and the joint failure for
several).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from analysis.case import Case


def resting_rows(case: Case, assumption_ids: Iterable[str]) -> tuple[int, ...]:
    """Indices of the evidence items resting on any of ``assumption_ids`` (file order);
    an id the case does not define is ignored."""
    wanted = set(assumption_ids)
    rows: set[int] = set()
    for assumption in case.assumptions:
        if assumption.id in wanted:
            rows.update(case.resting_on(assumption))
    return tuple(sorted(rows))


def failed(case: Case, assumption_ids: Iterable[str]) -> Case:
    """``case`` with every item resting on ``assumption_ids`` carrying no weight
    (``case`` itself when none does)."""
    rows = {i for i in resting_rows(case, assumption_ids) if not case.evidence[i].retracted}
    if not rows:
        return case
    evidence = tuple(
        replace(item, retracted=True) if i in rows else item for i, item in enumerate(case.evidence)
    )
    return case.with_changes(evidence=evidence)
