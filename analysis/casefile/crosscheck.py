"""The loader's third pass: what the schema cannot see, across entries and files.

Case names against the file names and each other, at least two hypotheses, priors
(all or none, none zero, summing to 1), distinct labels, unique ids, sources and
hypotheses that exist, a likelihood or rating for every hypothesis, no item impossible
under every hypothesis, and ranges a Beta distribution can fit. It reads the raw data
defensively, so it still runs over the valid parts of a file whose shape has problems.
"""

from __future__ import annotations

from typing import Any

from analysis.casefile.document import Document, Path_
from analysis.casefile.references import (
    ID_SECTIONS,
    check_references,
    entries,
    listed_ids,
    mismatch,
    passes,
)
from analysis.casefile.schema import (
    ENTITY,
    check_case_name,
    check_id,
    check_probability,
    check_range,
    closest,
    options,
    show,
    subject,
)
from analysis.elicit import range_mean
from analysis.errors import Problem, RangeFitError

PRIOR_TOLERANCE = 1e-6

#: How a problem names the hypotheses an item or event gives no number for (the Build
#: page reads the ids after it, to show the problem under each one's empty field).
MISSING_CELLS = "has no likelihood or rating for "


def valid_case_name(doc: Document) -> str | None:
    name = doc.data.get("case") if doc.usable and isinstance(doc.data, dict) else None
    return name if passes(check_case_name, name) else None


def cross_check(hypotheses: Document, evidence: Document, stem: str | None) -> list[Problem]:
    problems = _check_names(hypotheses, evidence, stem)
    problems += _check_hypotheses(hypotheses)
    problems += _check_unique(hypotheses, ("hypotheses",), "hypothesis")
    problems += _check_unique(evidence, ("sources",), "source")
    problems += _check_unique(
        evidence, ID_SECTIONS, "evidence item, event, assumption and indicator"
    )
    hypothesis_ids = listed_ids(hypotheses, "hypotheses") if hypotheses.usable else None
    problems += _check_items(evidence, hypothesis_ids)
    problems += check_references(evidence)
    problems += _check_ranges(evidence)
    return problems


def _check_names(hypotheses: Document, evidence: Document, stem: str | None) -> list[Problem]:
    problems = []
    names = {}
    for doc in (hypotheses, evidence):
        name = valid_case_name(doc)
        if name is None:
            continue
        names[doc.path] = name
        if stem is not None and name != stem:
            problems.append(
                mismatch(doc, "case", name, stem, f" to match the file name {stem}.yaml")
            )
    h_name, e_name = names.get(hypotheses.path), names.get(evidence.path)
    if not problems and h_name and e_name and h_name != e_name:
        why = f", the case named in {hypotheses.path}"
        problems.append(mismatch(evidence, "case", e_name, h_name, why))
    return problems


def _check_hypotheses(doc: Document) -> list[Problem]:
    if not (doc.usable and isinstance(doc.data, dict)):
        return []
    listed = doc.data.get("hypotheses")
    if not isinstance(listed, list):
        return []
    line = doc.line(("hypotheses",))
    problems = []
    if len(listed) < 2:
        problems.append(
            Problem(
                doc.path,
                line,
                f"hypotheses lists {len(listed)}; ACH needs at least two competing hypotheses",
            )
        )
    mappings = [e for _, e in entries(doc, "hypotheses")]
    names = [show(e.get("id")) for e in mappings]
    with_prior = [n for n, e in zip(names, mappings, strict=True) if "prior" in e]
    without = [n for n, e in zip(names, mappings, strict=True) if "prior" not in e]
    if with_prior and without:
        problems.append(
            Problem(
                doc.path,
                line,
                f"priors are given for {', '.join(with_prior)} but not for {', '.join(without)}; "
                "give every hypothesis a prior, or none for a uniform prior",
            )
        )
    elif with_prior:
        listed = list(entries(doc, "hypotheses"))
        places = {
            show(entry.get("id")): (("hypotheses", index, "prior"), entry["prior"])
            for index, entry in listed
        }
        if len(places) == len(listed):  # a repeated id is its own problem, said below
            problems += prior_problems(doc, places, line, "remove the hypothesis or give it")
    problems.extend(_check_labels(doc))
    return problems


def prior_problems(doc: Document, places: dict, line: int, fix: str) -> list[Problem]:
    """Zero priors and priors not summing to 1 (``places``: name -> (path, value)).

    Checked only when every value is a valid probability (the shape pass reports the
    others); ``fix`` begins the advice for a zero prior ("... a small prior").
    """
    if not all(passes(check_probability, value) for _, value in places.values()):
        return []
    problems = [
        Problem(
            doc.path,
            doc.line(path),
            f"hypothesis {name} prior is 0; no evidence could ever support it: {fix} a small prior",
        )
        for name, (path, value) in places.items()
        if float(value) == 0.0
    ]
    total = sum(float(value) for _, value in places.values())
    if abs(total - 1.0) > PRIOR_TOLERANCE:
        problems.append(
            Problem(
                doc.path,
                line,
                f"priors sum to {round(total, 9):g}; they must sum to 1 "
                f"(within {PRIOR_TOLERANCE:g})",
            )
        )
    return problems


def _check_labels(doc: Document) -> list[Problem]:
    """Labels are what readers see (and what charts are keyed by): they must differ."""
    problems = []
    first: dict[str, int] = {}  # each label's first hypothesis (lines only for a problem)
    for index, entry in entries(doc, "hypotheses"):
        label = entry.get("label")
        if not isinstance(label, str):
            continue
        key = label.strip().casefold()
        if key in first:
            other = doc.line(("hypotheses", first[key], "label"))
            problems.append(
                Problem(
                    doc.path,
                    doc.line(("hypotheses", index, "label")),
                    f"hypothesis {show(entry.get('id'))} label {label!r} is the same as the "
                    f"label on line {other}; give every hypothesis its own label",
                )
            )
        else:
            first[key] = index
    return problems


def _check_unique(doc: Document, keys: tuple[str, ...], what: str) -> list[Problem]:
    problems = []
    first: dict[str, Path_] = {}  # the path of each id's first entry (lines only for a problem)
    for key in keys:
        for index, entry in entries(doc, key):
            item_id = entry.get("id")
            if not isinstance(item_id, str):
                continue
            if item_id in first:
                other = first[item_id]
                problems.append(
                    Problem(
                        doc.path,
                        doc.line((key, index, "id")),
                        f"{subject((key, index), doc.data)} has the same id as the "
                        f"{ENTITY[other[0]]} on line {doc.line((*other, 'id'))}; every {what} "
                        "needs its own id",
                    )
                )
            else:
                first[item_id] = (key, index)
    return problems


def _check_items(doc: Document, hypothesis_ids: list[str] | None) -> list[Problem]:
    problems = []
    source_ids = listed_ids(doc, "sources")
    known = None if source_ids is None else set(source_ids)  # thousands of sources: a set
    for key in ("evidence", "indicators", "events"):
        for index, entry in entries(doc, key):
            loc = (key, index)
            if key != "events":
                problems += _check_source(doc, loc, entry, source_ids, known)
            if hypothesis_ids is not None and "event" not in entry:
                problems += _check_maps(doc, loc, entry, hypothesis_ids)
    return problems


def _check_source(
    doc: Document, loc: tuple, entry: dict, source_ids: list[str] | None, known: set[str] | None
) -> list[Problem]:
    """An entry's ``source`` is one of ``source_ids`` (``known``: the same ids as a set)."""
    source = entry.get("source")
    if known is None or not passes(check_id, source) or source in known:
        return []
    fix = (
        f"must be one of the sources ({options(source_ids)}){closest(source, source_ids)}"
        if source_ids
        else "must be the id of a source"
    )
    where = (*loc, "source")
    text = f"{subject(where, doc.data)} is {source!r}; {fix}, or add it under sources"
    return [Problem(doc.path, doc.line(where), text)]


def _check_maps(doc: Document, loc: tuple, entry: dict, hypothesis_ids: list[str]) -> list[Problem]:
    """Every hypothesis covered by a likelihood or a rating; no unknown ids; not impossible."""
    problems = []
    maps = {key: entry.get(key, {}) for key in ("likelihoods", "ratings")}
    for key, given in maps.items():
        if not isinstance(given, dict) or not hypothesis_ids:
            continue  # no valid hypothesis: the hypotheses file's own problems say why
        for hypothesis in given:
            if hypothesis not in hypothesis_ids:
                where = (*loc, key, hypothesis)
                problems.append(
                    Problem(
                        doc.path,
                        doc.line(where),
                        f"{subject(where, doc.data)} names no hypothesis; hypotheses are "
                        f"{options(hypothesis_ids)}{closest(hypothesis, hypothesis_ids)}",
                    )
                )
    if not all(isinstance(given, dict) for given in maps.values()):
        return problems
    likelihoods, ratings = maps["likelihoods"], maps["ratings"]
    missing = [h for h in hypothesis_ids if h not in likelihoods and h not in ratings]
    impossible = (
        not missing and bool(hypothesis_ids) and _impossible(entry, likelihoods, hypothesis_ids)
    )
    if not (missing or impossible):
        return problems
    line = doc.line((*loc, "likelihoods") if "likelihoods" in entry else loc)
    if missing:
        problems.append(
            Problem(
                doc.path,
                line,
                f"{subject(loc, doc.data)} {MISSING_CELLS}"
                f"{', '.join(map(repr, missing))}; every hypothesis needs one",
            )
        )
    else:
        fix = "" if loc[0] == "events" else " or give a positive if_unreliable"
        problems.append(
            Problem(
                doc.path,
                line,
                f"{subject(loc, doc.data)} is impossible under every hypothesis (every "
                f"likelihood is 0); raise a likelihood above 0{fix}",
            )
        )
    return problems


def _impossible(entry: dict, likelihoods: dict, hypothesis_ids: list[str]) -> bool:
    def zero(value: Any) -> bool:
        return passes(check_probability, value) and float(value) == 0.0

    unreliable = entry.get("if_unreliable", 0)
    return all(zero(likelihoods.get(h)) for h in hypothesis_ids) and zero(unreliable)


def _check_ranges(doc: Document) -> list[Problem]:
    """Ranges that are well formed but that no Beta distribution can fit."""
    places = [
        (("sources", i, "credibility"), e.get("credibility")) for i, e in entries(doc, "sources")
    ]
    for key in ("evidence", "indicators", "events"):
        for index, entry in entries(doc, key):
            given = entry.get("likelihoods")
            if isinstance(given, dict):
                places += [
                    ((key, index, "likelihoods", h), v)
                    for h, v in given.items()
                    if isinstance(v, list)
                ]
    problems = []
    for where, value in places:
        if not (isinstance(value, list) and passes(check_range, value)):
            continue
        low, high = float(value[0]), float(value[1])
        try:
            range_mean(low, high)
        except RangeFitError:
            fix = "narrow" if high - low > 0.5 else "widen"
            problems.append(
                Problem(
                    doc.path,
                    doc.line(where),
                    f"{subject(where, doc.data)} is {show(value)}; no Beta distribution puts 90% "
                    f"of its mass in that range; {fix} it",
                )
            )
    return problems


__all__ = ["PRIOR_TOLERANCE", "cross_check", "prior_problems", "valid_case_name"]
