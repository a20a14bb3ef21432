"""Scenarios: the analyst's adjustments to a case, applied, described, dumped and saved.

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
* Saving writes both files atomically under ``root`` with a new case name, refuses
  to replace an existing file unless ``overwrite=True``, and loads the result back
  to prove it valid.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import yaml

from analysis.atomic import write_beside
from analysis.case import Case, Prob
from analysis.scales import RATING_LIKELIHOOD
from analysis.wording import count

#: Case names the format allows (the file stem).
CASE_NAME = re.compile(r"^[a-z0-9-]+$")

#: Two numbers this close are the same slider position.
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Adjustments:
    """What the analyst moved: every mapping holds only what differs from the file."""

    #: hypothesis id -> prior weight (normalised with the others on apply)
    priors: Mapping[str, float] = field(default_factory=dict)
    #: (item id, hypothesis id) -> likelihood point
    likelihoods: Mapping[tuple[str, str], float] = field(default_factory=dict)
    #: source id -> credibility point
    credibilities: Mapping[str, float] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.priors or self.likelihoods or self.credibilities)

    def key(self) -> tuple:
        """A hashable, order-independent form (for caches)."""
        return (
            tuple(sorted(self.priors.items())),
            tuple(sorted(self.likelihoods.items())),
            tuple(sorted(self.credibilities.items())),
        )


@dataclass(frozen=True)
class Change:
    """One adjusted number, as a reader sees it."""

    kind: str  # "prior", "likelihood" or "credibility"
    target: str  # e.g. "jcs-rockets-nk-made / Direct supply"
    before: str  # as the file wrote it
    after: str

    def __str__(self) -> str:
        return f"{self.kind} of {self.target}: {self.before} -> {self.after}"


# -- the file's values (what the sliders start at) --------------------------------------
def file_prior(case: Case) -> dict[str, float]:
    """The prior the case uses, per hypothesis (uniform when the file gives none)."""
    return {h: float(p) for h, p in zip(case.hypothesis_ids, case.prior, strict=True)}


def file_likelihood(case: Case, item_id: str, hypothesis: str) -> float:
    return float(_item(case, item_id).likelihoods[hypothesis].value)


def file_credibility(case: Case, source_id: str) -> float:
    return float(case.source_by_id[source_id].credibility.value)


def _item(case: Case, item_id: str):
    for item in case.evidence:
        if item.id == item_id:
            return item
    raise KeyError(f"no evidence item '{item_id}' in case '{case.name}'")


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE


def prune(case: Case, adjustments: Adjustments) -> Adjustments:
    """``adjustments`` without the entries that equal the file's values (or name nothing)."""
    prior = file_prior(case)
    items = {item.id: item for item in case.evidence}
    priors = {
        h: float(v) for h, v in adjustments.priors.items() if h in prior and not _same(v, prior[h])
    }
    likelihoods = {
        (i, h): float(v)
        for (i, h), v in adjustments.likelihoods.items()
        if i in items and h in items[i].likelihoods and not _same(v, items[i].likelihoods[h].value)
    }
    credibilities = {
        s: float(v)
        for s, v in adjustments.credibilities.items()
        if s in case.source_by_id and not _same(v, file_credibility(case, s))
    }
    return Adjustments(priors, likelihoods, credibilities)


# -- applying ----------------------------------------------------------------------------
def scenario_prior(case: Case, adjustments: Adjustments) -> dict[str, float]:
    """The scenario's prior: the weights (moved or from the file) normalised to sum 1."""
    weights = file_prior(case)
    weights.update({h: float(v) for h, v in adjustments.priors.items() if h in weights})
    values = np.array(list(weights.values()), dtype=float)
    if values.sum() <= 0:
        raise ValueError("prior weights must not all be zero")
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
        by_item: dict[str, dict[str, float]] = {}
        for (item_id, h), value in adjustments.likelihoods.items():
            by_item.setdefault(item_id, {})[h] = value
        evidence = []
        for item in case.evidence:
            moved = by_item.get(item.id)
            if moved:
                likelihoods = {
                    h: Prob(moved[h], "point") if h in moved else p
                    for h, p in item.likelihoods.items()
                }
                ratings = {h: r for h, r in item.ratings.items() if h not in moved}
                item = replace(item, likelihoods=likelihoods, ratings=ratings)
            evidence.append(item)
        changes["evidence"] = tuple(evidence)
    return case.with_changes(**changes)


def dropped_ratings(case: Case, adjustments: Adjustments) -> list[tuple[str, str]]:
    """The (item id, hypothesis id) cells whose given Heuer rating :func:`apply` drops.

    These are the cells with a moved likelihood and a rating given in the file; in
    the scenario their rating is derived from the new number. File order.
    """
    moved = prune(case, adjustments).likelihoods
    return [
        (item.id, h)
        for item in case.evidence
        for h in case.hypothesis_ids
        if (item.id, h) in moved and h in item.ratings
    ]


# -- describing --------------------------------------------------------------------------
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
    for item in case.evidence:
        for h in case.hypothesis_ids:
            if (item.id, h) in adjustments.likelihoods:
                found.append(
                    Change(
                        "likelihood",
                        f"{item.id} / {case.labels[h]}",
                        item.likelihoods[h].describe(),
                        f"{adjustments.likelihoods[(item.id, h)]:g}",
                    )
                )
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
    return f"adjusted from file '{case.name}': {n} change{'s' if n != 1 else ''}"


# -- YAML ----------------------------------------------------------------------------------
def renamed(case: Case, name: str) -> Case:
    """``case`` under a new case name (no longer tied to the files it came from)."""
    check_name(name)
    return case.with_changes(name=name, hypotheses_path=None, evidence_path=None)


def check_name(name: str) -> None:
    if not CASE_NAME.match(name or ""):
        raise ValueError(
            f"case name {name!r} is not allowed; use lower-case letters, digits and '-'"
        )


def _header(case: Case, origin: str | None, changes: list[Change]) -> str:
    if origin is None:
        return ""
    lines = [f"# Scenario '{case.name}', adjusted from case '{origin}' in the ACH workbench."]
    if changes:
        lines.append(f"# {count(len(changes), 'number')} differ from '{origin}':")
        lines += [f"#   {change}" for change in changes]
    return "\n".join(lines) + "\n"


def dump_yaml(
    case: Case, name: str | None = None, changes: list[Change] | None = None, origin=None
) -> tuple[str, str]:
    """The two YAML documents (hypotheses, evidence) of ``case``, renamed to ``name``.

    ``origin`` (the file's case name) and ``changes`` go into a comment header.
    """
    if name is not None:
        case = renamed(case, name)
    hypotheses, evidence = case.to_data()
    header = _header(case, origin, changes or [])

    def dump(data: dict) -> str:
        return header + yaml.safe_dump(
            data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
        )

    return dump(hypotheses), dump(evidence)


def scenario_yaml(case: Case, adjustments: Adjustments, name: str) -> str:
    """Both documents of the adjusted scenario in one download (``---`` between them)."""
    hyp, ev = dump_yaml(
        apply(case, adjustments), name, describe(case, adjustments), origin=case.name
    )
    return (
        f"# Save the first document as hypotheses/{name}.yaml and the second as "
        f"evidence/{name}.yaml.\n{hyp}---\n{ev}"
    )


# -- saving ----------------------------------------------------------------------------------
class ScenarioExists(FileExistsError):
    """A file the save would replace already exists (and overwrite was not asked for)."""

    def __init__(self, paths: list[Path]):
        self.paths = paths
        super().__init__(
            "already exists: " + ", ".join(str(p) for p in paths) + "; choose another name"
        )


def target_paths(root: str | Path, name: str) -> tuple[Path, Path]:
    check_name(name)
    root = Path(root)
    return root / "hypotheses" / f"{name}.yaml", root / "evidence" / f"{name}.yaml"


def existing(root: str | Path, name: str) -> list[Path]:
    """Which of the two files for ``name`` already exist under ``root``."""
    return [p for p in target_paths(root, name) if p.exists()]


def save(
    case: Case,
    adjustments: Adjustments,
    name: str,
    root: str | Path = ".",
    overwrite: bool = False,
) -> Case:
    """Save the adjusted scenario as case ``name`` under ``root``; return it as loaded back.

    Raises :class:`ScenarioExists` when a file would be replaced and ``overwrite`` is
    False, ValueError for a bad name, and :class:`~analysis.errors.CaseError` if the
    written files do not load (they are then removed, or the old ones restored).
    """
    from analysis.casefile.loader import load_case

    hyp_path, ev_path = target_paths(root, name)
    found = existing(root, name)
    if found and not overwrite:
        raise ScenarioExists(found)
    hyp_text, ev_text = dump_yaml(
        apply(case, adjustments), name, describe(case, adjustments), origin=case.name
    )
    backups = {p: p.read_bytes() for p in found}
    for path in (hyp_path, ev_path):
        path.parent.mkdir(parents=True, exist_ok=True)
    temps = [
        write_beside(hyp_path, hyp_text.encode("utf-8")),
        write_beside(ev_path, ev_text.encode("utf-8")),
    ]
    try:
        os.replace(temps[0], hyp_path)
        os.replace(temps[1], ev_path)
        return load_case(name, root)
    except BaseException:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        for path in (hyp_path, ev_path):
            if path in backups:
                path.write_bytes(backups[path])
            else:
                path.unlink(missing_ok=True)
        raise


# -- exercises ---------------------------------------------------------------------------------
def with_ratings(
    case: Case, ratings: Mapping[tuple[str, str], str], likelihoods: bool = False
) -> Case:
    """``case`` with the Heuer ratings of the evidence replaced by ``ratings``.

    ``ratings`` maps (item id, hypothesis id) to CC/C/N/NA/I/II; cells it leaves out
    keep no given rating (Heuer's scores then derive them from the likelihoods).

    By default the likelihoods are untouched: this is the student's classic view of
    the same case. With ``likelihoods=True`` every rated cell's likelihood becomes the
    number its rating stands for on the documented scale
    (:data:`~analysis.scales.RATING_LIKELIHOOD`, as the loader reads a rating-only
    cell), so ``analyze()`` of the result is the Bayesian posterior the ratings imply;
    priors and source credibilities stay the case's.
    """
    evidence = []
    for item in case.evidence:
        given = {h: ratings[(item.id, h)] for h in case.hypothesis_ids if (item.id, h) in ratings}
        changes: dict = {"ratings": given}
        if likelihoods:
            changes["likelihoods"] = {
                h: Prob(RATING_LIKELIHOOD[given[h]], "rating", word=given[h]) if h in given else p
                for h, p in item.likelihoods.items()
            }
        evidence.append(replace(item, **changes))
    return case.with_changes(evidence=tuple(evidence))
