"""Checking a judgment file: its strict shape and its references into the case.

The same safe YAML reader and value checkers as the case files
(:mod:`analysis.casefile.schema`); every problem is located and worded in the
project's terms, e.g. ``judgments/nk-hamas/kim.yaml:7: likelihoods names 'jcs-rocket',
which is no item, event or indicator of the case (did you mean
'jcs-rockets'?)``. A report of an event has no numbers of its own: its cells are the
event's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import Field, PlainValidator

from analysis.case import Case, Event, Item
from analysis.casefile.loader import prior_problems
from analysis.casefile.references import mismatch
from analysis.casefile.references import passes as _passes
from analysis.casefile.schema import (
    ID_PATTERN,
    CaseName,
    Credibility,
    OptionalText,
    Probability,
    Rating,
    Uncertain,
    ValueProblem,
    _Strict,
    check_probability,
    check_range,
    closest,
    options,
    show,
    validate,
)
from analysis.casefile.yamlio import Document
from analysis.elicit import range_mean
from analysis.errors import Problem, RangeFitError
from analysis.scales import RATING_LIKELIHOOD

#: The analyst name of the case file itself (no judgment file may take it).
CASE_ANALYST = "case"


#: The longest analyst name: it names a file (``judgments/<case>/<name>.yaml``), and a
#: 300-character one passed the pattern and then failed the save with a file-system error.
MAX_ANALYST = 64


def check_analyst(value: Any) -> str:
    """An analyst name: [a-z0-9_-]+, at most :data:`MAX_ANALYST` long, and not ``case``."""
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise ValueProblem(value, "an analyst name may use only a-z, 0-9, '_' and '-'")
    if len(value) > MAX_ANALYST:
        raise ValueProblem(
            value, f"an analyst name is at most {MAX_ANALYST} characters; shorten it"
        )
    if value == CASE_ANALYST:
        raise ValueProblem(value, f"'{CASE_ANALYST}' is the case file itself; choose another name")
    return value


Analyst = Annotated[str, PlainValidator(check_analyst)]


class JudgmentFile(_Strict):
    """The raw judgment document (DESIGN.md, ``judgments/<case>/<analyst>.yaml``)."""

    case: CaseName
    analyst: Analyst
    priors: dict[str, Probability] = Field(default_factory=dict)
    likelihoods: dict[str, dict[str, Uncertain]] = Field(default_factory=dict)
    ratings: dict[str, dict[str, Rating]] = Field(default_factory=dict)
    credibility: dict[str, Credibility] = Field(default_factory=dict)
    rationale: dict[str, OptionalText] = Field(default_factory=dict)
    notes: OptionalText = ""


#: Top-level keys of a judgment file, in the order a saved file writes them.
KEYS = tuple(JudgmentFile.model_fields)


def stem_problem(display: str, stem: str) -> Problem | None:
    if _passes(check_analyst, stem):
        return None
    fix = (
        f"'{CASE_ANALYST}' is the case file itself"
        if stem == CASE_ANALYST
        else "an analyst name may use only a-z, 0-9, '_' and '-'"
    )
    return Problem(display, 0, f"the file name {stem!r} is not an analyst name ({fix}); rename it")


def check_document(
    case: Case, doc: Document, stem: str | None
) -> tuple[JudgmentFile | None, list[Problem]]:
    """``doc`` validated as judgments of ``case``: the model (None if bad) and every problem."""
    problems = list(doc.problems)
    if doc.data is None:
        problems.append(
            Problem(doc.path, 0, "is empty; it must be a mapping with keys case, analyst")
        )
    model = None
    if doc.usable:
        model, found = validate(JudgmentFile, doc, _subject)
        problems += found
        problems += _cross_check(case, doc, stem)
    return model, problems


# -- messages --------------------------------------------------------------------------
_CELL_WORD = {"likelihoods": "likelihood", "ratings": "rating"}


def _subject(loc: tuple, data: Any) -> str:
    """``likelihood of 'jcs-rockets' for 'direct'``, ``credibility of 'jcs'``, ..."""
    if not loc:
        return "the file"
    head, rest = loc[0], loc[1:]
    if head in _CELL_WORD and rest:
        text = f"{_CELL_WORD[head]} of {rest[0]!r}"
        return text + (f" for {rest[1]!r}" if len(rest) > 1 else "")
    if head == "priors" and rest:
        return f"prior of {rest[0]!r}"
    if head in ("credibility", "rationale") and rest:
        return f"{head} of {rest[0]!r}"
    return " ".join(str(part) for part in loc)


# -- cross-references against the case ----------------------------------------------------
def _mapping(doc: Document, key: str) -> dict:
    value = doc.data.get(key) if isinstance(doc.data, dict) else None
    return value if isinstance(value, dict) else {}


def _cells(doc: Document, key: str) -> Iterator[tuple[str, dict]]:
    for item_id, cells in _mapping(doc, key).items():
        yield item_id, cells if isinstance(cells, dict) else {}


def rated(case: Case) -> dict[str, Item | Event]:
    """What an analyst may give likelihoods or ratings for: the items that report no
    event, the events and the indicators (a report of an event has no numbers of its own)."""
    return {
        x.id: x
        for x in (*case.evidence, *case.events, *case.indicators)
        if not (isinstance(x, Item) and x.event is not None)
    }


def _cross_check(case: Case, doc: Document, stem: str | None) -> list[Problem]:
    problems = _check_names(case, doc, stem)
    problems += _check_priors(case, doc)
    items = rated(case)
    reports = {i.id: i.event for i in case.evidence if i.event is not None}
    hypotheses = list(case.hypothesis_ids)
    for key in ("likelihoods", "ratings"):
        for item_id, cells in _cells(doc, key):
            where = (key, item_id)
            if item_id in reports:
                problems.append(_report_of_event(doc, where, item_id, reports[item_id]))
                continue
            if item_id not in items:
                problems.append(_unknown(doc, where, item_id, list(items), RATED))
                continue
            for h in cells:
                if h not in hypotheses:
                    problems.append(_unknown(doc, (*where, h), h, hypotheses, "hypothesis"))
    sources = list(case.source_by_id)
    for source_id in _mapping(doc, "credibility"):
        if source_id not in sources:
            problems.append(_unknown(doc, ("credibility", source_id), source_id, sources, "source"))
    known = [*items, *reports, *sources]
    for target in _mapping(doc, "rationale"):
        if target not in known:
            where = ("rationale", target)
            problems.append(_unknown(doc, where, target, known, f"{RATED} or source"))
    problems += _check_ranges(doc)
    problems += _check_impossible(case, doc, items)
    return problems


#: What a likelihood or rating of a judgment file may name.
RATED = "item, event or indicator"


def _report_of_event(doc: Document, where: tuple, item_id: str, event: str) -> Problem:
    key = where[0]
    return Problem(
        doc.path,
        doc.line(where),
        f"{key} names {item_id!r}, which reports event {event!r} and takes its likelihoods "
        f"from it; judge the event instead ({key}: {{{event}: ...}})",
    )


def _unknown(doc: Document, where: tuple, value: str, known: list[str], what: str) -> Problem:
    place = where[0] if len(where) == 2 else _subject(where[:-1], doc.data)
    listed = f"; the case has {options(known)}" if 0 < len(known) <= 12 else ""
    return Problem(
        doc.path,
        doc.line(where),
        f"{place} names {value!r}, which is no {what} of the case{closest(value, known)}{listed}",
    )


def _check_names(case: Case, doc: Document, stem: str | None) -> list[Problem]:
    data = doc.data if isinstance(doc.data, dict) else {}
    problems = []
    name = data.get("case")
    if isinstance(name, str) and name != case.name:
        problems.append(mismatch(doc, "case", name, case.name, ", the case these judgments are of"))
    analyst = data.get("analyst")
    named = isinstance(analyst, str) and _passes(check_analyst, analyst)
    if stem is not None and named and analyst != stem:
        why = f" to match the file name {stem}.yaml"
        problems.append(mismatch(doc, "analyst", analyst, stem, why))
    return problems


def _check_priors(case: Case, doc: Document) -> list[Problem]:
    priors = _mapping(doc, "priors")
    if not priors:
        return []
    hypotheses = list(case.hypothesis_ids)
    problems = [
        _unknown(doc, ("priors", h), h, hypotheses, "hypothesis")
        for h in priors
        if h not in hypotheses
    ]
    line = doc.line(("priors",))
    missing = [h for h in hypotheses if h not in priors]
    if missing:
        problems.append(
            Problem(
                doc.path,
                line,
                f"priors leave out {', '.join(map(repr, missing))}; give every hypothesis a "
                "prior (as the case file does), or leave priors out to keep the case's",
            )
        )
    elif not problems:
        places = {repr(h): (("priors", h), value) for h, value in priors.items()}
        problems += prior_problems(doc, places, line, "give it")
    return problems


def _check_ranges(doc: Document) -> list[Problem]:
    """Ranges that are well formed but that no Beta distribution can fit."""
    places = [(("credibility", s), v) for s, v in _mapping(doc, "credibility").items()]
    for item_id, cells in _cells(doc, "likelihoods"):
        places += [(("likelihoods", item_id, h), v) for h, v in cells.items()]
    problems = []
    for where, value in places:
        if not (isinstance(value, list) and _passes(check_range, value)):
            continue
        try:
            range_mean(float(value[0]), float(value[1]))
        except RangeFitError:
            fix = "narrow" if float(value[1]) - float(value[0]) > 0.5 else "widen"
            problems.append(
                Problem(
                    doc.path,
                    doc.line(where),
                    f"{_subject(where, doc.data)} is {show(value)}; no Beta distribution puts "
                    f"90% of its mass in that range; {fix} it",
                )
            )
    return problems


def _cell_value(item: Item | Event, h: str, given: dict, ratings: dict) -> float | None:
    """The likelihood a judgment gives cell ``(item, h)`` (None when not a valid number)."""
    if h in given:
        value = given[h]
        return float(value) if _passes(check_probability, value) else None
    if h in ratings:
        rating = ratings[h]
        return RATING_LIKELIHOOD.get(rating) if isinstance(rating, str) else None
    return item.likelihoods[h].value


def _check_impossible(case: Case, doc: Document, items: dict[str, Item | Event]) -> list[Problem]:
    """An item or event the judgments make impossible under every hypothesis (all zero,
    and for an item no ``if_unreliable``)."""
    numbers = dict(_cells(doc, "likelihoods"))
    rated = dict(_cells(doc, "ratings"))
    problems = []
    for item_id in dict.fromkeys([*numbers, *rated]):
        item = items.get(item_id)
        if item is None or (isinstance(item, Item) and item.if_unreliable):
            continue
        given, ratings = numbers.get(item_id, {}), rated.get(item_id, {})
        if all(_cell_value(item, h, given, ratings) == 0.0 for h in case.hypothesis_ids):
            where = ("likelihoods", item_id) if item_id in numbers else ("ratings", item_id)
            problems.append(
                Problem(
                    doc.path,
                    doc.line(where),
                    f"{_subject(where, doc.data)}: these judgments make it impossible "
                    "under every hypothesis (every likelihood is 0); raise one above 0",
                )
            )
    return problems
