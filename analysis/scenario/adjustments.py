"""Adjustments: what the analyst moved, and the case they make.

A scenario is the file's case plus a set of :class:`Adjustments` (what the dashboard's
sliders hold): prior weights, likelihood points and source credibilities. Nothing
here imports Streamlit; the dashboard keeps the adjustments and calls these
functions, so the same code can be tested (and used) without a browser.

* Prior sliders hold *weights*: the scenario's prior is the weights normalised to
  sum to one (a hypothesis without a moved slider keeps the file's prior as its
  weight). Changing a prior therefore writes every prior into the scenario, as the
  case format requires (all or none).
* A moved likelihood or credibility becomes a plain point value; everything left
  alone keeps exactly what the file wrote (ranges, words, Heuer ratings).
* Ratings follow the numbers: a moved likelihood drops the Heuer rating the file gave
  for that cell (see :func:`apply`), so the classic view derives it from the new number.
* A report of an event has no likelihoods of its own (its event has them): a likelihood
  moved for such a report is the event's (:func:`owner`), so every report of the event
  follows, and the scenario holds it under the event's id.
* Broken key assumptions (:attr:`Adjustments.broken`): the items and events resting on
  them carry no weight (:func:`analysis.engine.failing.failed`, the engine's rule).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from analysis.case import Case, Prob
from analysis.engine.failing import failed
from analysis.errors import ScenarioError

#: Two numbers this close are the same slider position.
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Adjustments:
    """What the analyst moved: every mapping holds only what differs from the file."""

    #: hypothesis id -> prior weight (normalised with the others on apply)
    priors: Mapping[str, float] = field(default_factory=dict)
    #: (item or event id, hypothesis id) -> likelihood point
    likelihoods: Mapping[tuple[str, str], float] = field(default_factory=dict)
    #: source id -> credibility point
    credibilities: Mapping[str, float] = field(default_factory=dict)
    #: ids of the key assumptions taken to fail
    broken: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.priors or self.likelihoods or self.credibilities or self.broken)

    @property
    def numbers(self) -> Adjustments:
        """The moved numbers alone (no broken assumptions): what a saved file can hold."""
        return replace(self, broken=frozenset()) if self.broken else self

    def key(self) -> tuple:
        """A hashable, order-independent form (for caches)."""
        return (
            tuple(sorted(self.priors.items())),
            tuple(sorted(self.likelihoods.items())),
            tuple(sorted(self.credibilities.items())),
            tuple(sorted(self.broken)),
        )


# -- the file's values (what the sliders start at) --------------------------------------
def file_prior(case: Case) -> dict[str, float]:
    """The prior the case uses, per hypothesis (uniform when the file gives none)."""
    return {h: float(p) for h, p in zip(case.hypothesis_ids, case.prior, strict=True)}


def file_likelihood(case: Case, target: str, hypothesis: str) -> float:
    """The file's likelihood of an item or event (a report's is its event's)."""
    found = _numbers(case, target)
    if found is None:
        raise KeyError(f"no evidence item or event '{target}' in case '{case.name}'")
    return float(found[hypothesis].value)


def file_credibility(case: Case, source_id: str) -> float:
    return float(case.source_by_id[source_id].credibility.value)


def owner(case: Case, target: str) -> str:
    """Whose likelihoods a slider for ``target`` moves: the event of a report, else
    ``target`` itself (a lone item, or an event)."""
    for item in case.evidence:
        if item.id == target:
            return item.event or target
    return target


def _owners(case: Case) -> dict[str, str]:
    """Every evidence item and event id -> the id holding its likelihoods."""
    found = {item.id: item.event or item.id for item in case.evidence}
    found.update({event.id: event.id for event in case.events})
    return found


def _numbers(case: Case, target: str) -> Mapping[str, Prob] | None:
    """The likelihoods held by ``owner(case, target)`` (None: no such item or event)."""
    held = owner(case, target)
    if held in case.event_by_id:
        return case.event_by_id[held].likelihoods
    for item in case.evidence:
        if item.id == held:
            return item.likelihoods
    return None


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE


def prune(case: Case, adjustments: Adjustments) -> Adjustments:
    """``adjustments`` without the entries that equal the file's values (or name nothing)."""
    prior = file_prior(case)
    priors = {
        h: float(v) for h, v in adjustments.priors.items() if h in prior and not _same(v, prior[h])
    }
    credibilities = {
        s: float(v)
        for s, v in adjustments.credibilities.items()
        if s in case.source_by_id and not _same(v, file_credibility(case, s))
    }
    defined = {a.id for a in case.assumptions}
    return Adjustments(
        priors, _pruned_likelihoods(case, adjustments), credibilities, adjustments.broken & defined
    )


def _pruned_likelihoods(case: Case, adjustments: Adjustments) -> dict[tuple[str, str], float]:
    """The moved likelihoods under their owners' ids (a later entry for one cell wins),
    without those equal to the file's."""
    if not adjustments.likelihoods:
        return {}
    owners = _owners(case)
    numbers = {item.id: item.likelihoods for item in case.evidence if item.event is None}
    numbers.update({event.id: event.likelihoods for event in case.events})
    moved: dict[tuple[str, str], float] = {}
    for (target, h), value in adjustments.likelihoods.items():
        held = owners.get(target)
        if held is not None and h in numbers[held]:
            moved[(held, h)] = float(value)
    return {
        (held, h): value
        for (held, h), value in moved.items()
        if not _same(value, numbers[held][h].value)
    }


# -- applying ----------------------------------------------------------------------------
def scenario_prior(case: Case, adjustments: Adjustments) -> dict[str, float]:
    """The scenario's prior: the weights (moved or from the file) normalised to sum 1."""
    weights = file_prior(case)
    weights.update({h: float(v) for h, v in adjustments.priors.items() if h in weights})
    values = np.array(list(weights.values()), dtype=float)
    if values.sum() <= 0:
        raise ScenarioError("prior weights must not all be zero")
    values = values / values.sum()
    return dict(zip(weights, (float(v) for v in values), strict=True))


def apply(case: Case, adjustments: Adjustments) -> Case:
    """A new case with ``adjustments`` applied (``case`` itself when there are none).

    Ratings follow the numbers: when a likelihood is moved for a cell whose Heuer
    rating the file gave, that given rating is dropped from the scenario, so Heuer's
    view derives the cell's rating from the new number (the nearest rating on the
    documented scale) instead of showing a rating that no longer matches it. Saving
    the scenario writes the number and no rating for that cell. Cells whose
    likelihood is left alone keep their given ratings. :func:`dropped_ratings` lists
    the cells concerned.
    """
    adjustments = prune(case, adjustments)
    if not adjustments:
        return case
    changes: dict = {}
    broken = adjustments.broken
    if adjustments.priors:
        prior = scenario_prior(case, adjustments)
        changes["hypotheses"] = tuple(replace(h, prior=prior[h.id]) for h in case.hypotheses)
    if adjustments.credibilities:
        changes["sources"] = tuple(
            replace(s, credibility=Prob(adjustments.credibilities[s.id], "point"))
            if s.id in adjustments.credibilities
            else s
            for s in case.sources
        )
    if adjustments.likelihoods:
        by_owner: dict[str, dict[str, float]] = {}
        for (target, h), value in adjustments.likelihoods.items():
            by_owner.setdefault(target, {})[h] = value
        # an event's reports take its new numbers from the event (Case.__post_init__)
        changes["evidence"] = tuple(_moved(item, by_owner.get(item.id)) for item in case.evidence)
        if case.events:
            changes["events"] = tuple(_moved(e, by_owner.get(e.id)) for e in case.events)
    adjusted = case.with_changes(**changes) if changes else case
    return failed(adjusted, broken) if broken else adjusted


def _moved(holder, moved: dict[str, float] | None):
    """An item or event with the ``moved`` likelihoods as points and their ratings dropped."""
    if not moved:
        return holder
    likelihoods = {
        h: Prob(moved[h], "point") if h in moved else p for h, p in holder.likelihoods.items()
    }
    ratings = {h: r for h, r in holder.ratings.items() if h not in moved}
    return replace(holder, likelihoods=likelihoods, ratings=ratings)


def dropped_ratings(case: Case, adjustments: Adjustments) -> list[tuple[str, str]]:
    """The (item or event id, hypothesis id) cells whose given Heuer rating :func:`apply`
    drops.

    These are the cells with a moved likelihood and a rating given in the file; in
    the scenario their rating is derived from the new number. File order (items, then
    events).
    """
    moved = prune(case, adjustments).likelihoods
    holders = [item for item in case.evidence if item.event is None] + list(case.events)
    return [
        (holder.id, h)
        for holder in holders
        for h in case.hypothesis_ids
        if (holder.id, h) in moved and h in holder.ratings
    ]
