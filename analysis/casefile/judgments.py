"""One analyst's own numbers for a case: ``judgments/<case>/<analyst>.yaml``.

A judgment file overlays the case: the likelihoods, ratings, credibilities and priors
it gives replace the case's, every cell it leaves out keeps the case's value. The
case file itself counts as analyst :data:`CASE_ANALYST`.

Checking follows the case loader (:mod:`analysis.casefile.loader`): the same safe YAML
reader with line numbers, a strict pydantic shape with the same value checkers, then
cross-references against the loaded case. Every problem is located
(``judgments/nk-hamas/kim.yaml:7: ...``) and all of them are reported at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from analysis.case import Case, Event, Item, Prob
from analysis.casefile.judgment_checks import (
    CASE_ANALYST,
    KEYS,
    JudgmentFile,
    check_document,
    stem_problem,
)
from analysis.casefile.layout import (
    JUDGMENTS,
    judgment_path,
    judgments_display,
    list_analysts,
    misplaced_judgments,
)
from analysis.casefile.loader import _prob, _read_under
from analysis.casefile.yamlio import Document, parse_yaml
from analysis.errors import CaseError, Problem
from analysis.scales import RATING_LIKELIHOOD

__all__ = [
    "CASE_ANALYST",
    "KEYS",
    "Judgments",
    "judgment_path",
    "list_analysts",
    "load_analyst",
    "load_judgments",
    "overlay",
    "parse_judgments",
]


@dataclass(frozen=True)
class Judgments:
    """One analyst's validated judgments; each mapping holds only what they set."""

    case: str
    analyst: str
    #: hypothesis id -> prior (every hypothesis, summing to 1), or empty
    priors: Mapping[str, float] = field(default_factory=dict)
    #: (item, event or indicator id, hypothesis id) -> likelihood as written
    likelihoods: Mapping[tuple[str, str], Prob] = field(default_factory=dict)
    #: (item, event or indicator id, hypothesis id) -> Heuer rating
    ratings: Mapping[tuple[str, str], str] = field(default_factory=dict)
    #: source id -> credibility as written
    credibility: Mapping[str, Prob] = field(default_factory=dict)
    #: item, event, indicator or source id -> why the analyst judged it so
    rationale: Mapping[str, str] = field(default_factory=dict)
    notes: str = ""
    path: str | None = None

    def __bool__(self) -> bool:
        return bool(self.priors or self.likelihoods or self.ratings or self.credibility)

    def to_data(self) -> dict:
        """The YAML document that reproduces these judgments."""
        data: dict = {"case": self.case, "analyst": self.analyst}
        if self.priors:
            data["priors"] = dict(self.priors)
        for key, cells in (("likelihoods", self.likelihoods), ("ratings", self.ratings)):
            nested: dict[str, dict] = {}
            for (item, h), value in cells.items():
                nested.setdefault(item, {})[h] = (
                    value.as_written() if isinstance(value, Prob) else value
                )
            if nested:
                data[key] = nested
        if self.credibility:
            data["credibility"] = {s: p.as_written() for s, p in self.credibility.items()}
        if self.rationale:
            data["rationale"] = dict(self.rationale)
        if self.notes:
            data["notes"] = self.notes
        return data


# -- loading ---------------------------------------------------------------------------
def load_judgments(case: Case, root: str | Path = ".") -> dict[str, Judgments]:
    """Every analyst's judgments of ``case`` under ``root`` (analyst -> judgments).

    Raises :class:`~analysis.errors.CaseError` with every problem of every file.
    """
    found: dict[str, Judgments] = {}
    problems: list[Problem] = []
    try:
        analysts = list_analysts(root, case.name)
    except OSError as error:
        folder = f"{JUDGMENTS}/{case.name}/"
        reason = error.strerror or "unreadable"
        raise CaseError(
            [Problem(folder, 0, f"cannot be read ({reason}); check the folder's permissions")]
        ) from None
    for analyst in analysts:
        try:
            found[analyst] = load_analyst(case, analyst, root)
        except CaseError as error:
            problems += error.problems
    for note in misplaced_judgments(root, case.name):  # meant as judgments, never read
        where, _, message = note.partition(": ")
        problems.append(Problem(where, 0, message))
    if problems:
        raise CaseError(problems)
    return found


def load_analyst(case: Case, analyst: str, root: str | Path = ".") -> Judgments:
    """``analyst``'s judgments of ``case`` (raises CaseError, located, when bad)."""
    display = judgments_display(case.name, analyst)
    name_problem = stem_problem(display, analyst)
    if name_problem:
        raise CaseError([name_problem])
    return check_judgments(case, _read_under(Path(root), display), analyst)


def parse_judgments(
    case: Case, text: str | bytes, analyst: str, display: str | None = None
) -> Judgments:
    """Validate judgment text (e.g. an upload) against ``case``; nothing touches disk."""
    display = display or judgments_display(case.name, analyst)
    return check_judgments(case, parse_yaml(text, display), analyst)


def check_judgments(case: Case, doc: Document, stem: str | None) -> Judgments:
    """``doc`` as judgments of ``case``; ``stem`` (the file name) must be its analyst."""
    model, problems = check_document(case, doc, stem)
    if problems or model is None:
        raise CaseError(problems)
    return _build(model, doc.path)


# -- building --------------------------------------------------------------------------
def _build(model: JudgmentFile, path: str) -> Judgments:
    return Judgments(
        case=model.case,
        analyst=model.analyst,
        priors={h: float(v) for h, v in model.priors.items()},  # type: ignore[arg-type]
        likelihoods={
            (item, h): _prob(v)
            for item, cells in model.likelihoods.items()
            for h, v in cells.items()
        },
        ratings={(item, h): r for item, cells in model.ratings.items() for h, r in cells.items()},
        credibility={s: _prob(v) for s, v in model.credibility.items() if v is not None},
        rationale=dict(model.rationale),
        notes=model.notes,
        path=path,
    )


# -- the analyst's view of the case ------------------------------------------------------
#: What has likelihood cells an analyst can judge.
Rated = TypeVar("Rated", Item, Event)


def overlay(case: Case, judgments: Judgments | None) -> Case:
    """``case`` as ``judgments``' analyst sees it (``case`` itself for none).

    A likelihood the analyst gives replaces the case's number, and the case's Heuer
    rating of that cell is dropped unless the analyst rates it too (as a moved slider
    does, :func:`analysis.scenario.adjustments.apply`); a rating alone stands for the
    likelihood on the documented scale, as in a case file. An event's cells work the
    same way, and its reports follow (a report takes its event's likelihoods, see
    :class:`~analysis.case.Case`). Credibilities and priors replace the case's.
    """
    if not judgments:
        return case
    changes: dict = {}
    if judgments.priors:
        changes["hypotheses"] = tuple(
            replace(h, prior=judgments.priors[h.id]) for h in case.hypotheses
        )
    if judgments.credibility:
        changes["sources"] = tuple(
            replace(s, credibility=judgments.credibility[s.id])
            if s.id in judgments.credibility
            else s
            for s in case.sources
        )
    touched = {item for item, _ in (*judgments.likelihoods, *judgments.ratings)}
    if touched:

        def over(rows: tuple[Rated, ...]) -> tuple[Rated, ...]:
            return tuple(_overlay_item(x, judgments, touched) for x in rows)

        changes.update(
            evidence=over(case.evidence), events=over(case.events), indicators=over(case.indicators)
        )
    return case.with_changes(**changes)


def _overlay_item(item: Rated, judgments: Judgments, touched: set[str]) -> Rated:
    if item.id not in touched:
        return item
    likelihoods = dict(item.likelihoods)
    ratings = dict(item.ratings)
    for h in item.likelihoods:
        number = judgments.likelihoods.get((item.id, h))
        rating = judgments.ratings.get((item.id, h))
        if number is not None:
            likelihoods[h] = number
            ratings.pop(h, None)
        elif rating is not None:
            likelihoods[h] = Prob(RATING_LIKELIHOOD[rating], "rating", word=rating)
        if rating is not None:
            ratings[h] = rating
    return replace(item, likelihoods=likelihoods, ratings=ratings)
