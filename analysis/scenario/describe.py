"""Adjustments in English: each changed number as a reader sees it."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.case import Case
from analysis.scenario.adjustments import Adjustments, file_prior, prune, scenario_prior


@dataclass(frozen=True)
class Change:
    """One adjusted number, as a reader sees it."""

    kind: str  # "prior", "likelihood", "credibility" or "assumption"
    target: str  # e.g. "jcs-rockets-nk-made / Direct supply", "event f7-in-gaza / Direct"
    before: str  # as the file wrote it
    after: str

    def __str__(self) -> str:
        of = " " if self.kind == "assumption" else " of "
        return f"{self.kind}{of}{self.target}: {self.before} -> {self.after}"


def describe(case: Case, adjustments: Adjustments) -> list[Change]:
    """Every adjusted number, in file order, with its value in the file and now."""
    adjustments = prune(case, adjustments)
    found: list[Change] = []
    if adjustments.priors:
        before = file_prior(case)
        after = scenario_prior(case, adjustments)
        # one change per prior the analyst moved; the others follow by normalisation
        for h in case.hypotheses:
            if h.id in adjustments.priors:
                found.append(
                    Change(
                        "prior",
                        h.label,
                        f"{before[h.id]:.3g}",
                        f"{adjustments.priors[h.id]:g} (normalised {after[h.id]:.3g})",
                    )
                )
    for source in case.sources:
        if source.id in adjustments.credibilities:
            found.append(
                Change(
                    "credibility",
                    source.name,
                    source.credibility.describe(),
                    f"{adjustments.credibilities[source.id]:g}",
                )
            )
    holders = [(item.id, item) for item in case.evidence if item.event is None]
    holders += [(f"event {event.id}", event) for event in case.events]
    for name, holder in holders:
        for h in case.hypothesis_ids:
            if (holder.id, h) in adjustments.likelihoods:
                found.append(
                    Change(
                        "likelihood",
                        f"{name} / {case.labels[h]}",
                        holder.likelihoods[h].describe(),
                        f"{adjustments.likelihoods[(holder.id, h)]:g}",
                    )
                )
    for assumption in case.assumptions:
        if assumption.id in adjustments.broken:
            found.append(Change("assumption", assumption.id, "holds", "broken"))
    return found


def count_changes(case: Case, adjustments: Adjustments) -> int:
    """How many numbers of the scenario differ from the file (see :func:`describe`).

    Moving one prior weight changes every normalised prior, and each counts.
    """
    return len(describe(case, adjustments))


def scenario_note(case: Case, adjustments: Adjustments) -> str | None:
    """The brief's scenario line: None for the file as written."""
    n = count_changes(case, adjustments)
    if n == 0:
        return None
    note = f"adjusted from file '{case.name}': {n} change{'s' if n != 1 else ''}"
    broken = [a.id for a in case.assumptions if a.id in adjustments.broken]
    if broken:
        note += f"; assumption{'s' if len(broken) > 1 else ''} taken to fail: {', '.join(broken)}"
    return note
