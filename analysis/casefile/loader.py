"""Loading a case: two YAML files -> one validated, immutable :class:`Case`.

Checking runs in three passes and reports *every* problem, never just the first:

1. reading (:mod:`analysis.casefile.yamlio`): syntax, encoding, tags, duplicate keys, aliases;
2. shape (:mod:`analysis.casefile.schema`): unknown or missing keys, types, ranges, words;
3. cross-references (here): ids, sources, likelihood maps, priors, case names,
   impossible items and ranges no Beta distribution can fit.

The cross-reference pass reads the raw data defensively, so it still runs over the
valid parts of a file whose shape has problems. The case is built only when no
problem is left; otherwise :class:`~analysis.errors.CaseError` carries them all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis.case import Assumption, Case, Event, Hypothesis, Item, Prob, Source
from analysis.casefile.layout import is_case_name, list_cases
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
    EventEntry,
    EvidenceEntry,
    EvidenceFile,
    HypothesesFile,
    IndicatorEntry,
    check_case_name,
    check_id,
    check_probability,
    check_range,
    closest,
    options,
    required_keys,
    show,
    subject,
    validate,
)
from analysis.casefile.yamlio import Document, failed_document, parse_yaml, read_yaml
from analysis.elicit import range_mean
from analysis.errors import CaseError, Problem, RangeFitError
from analysis.scales import CREDIBILITY_WORDS, RATING_LIKELIHOOD

PRIOR_TOLERANCE = 1e-6
_PLACEHOLDER = "<case>"


# -- public API ----------------------------------------------------------------------
def load_case(name: str, root: str | Path = ".") -> Case:
    """Load ``root/hypotheses/<name>.yaml`` and ``root/evidence/<name>.yaml``.

    ``name`` is checked before the filesystem is touched and the resolved paths must
    stay under ``root``. Both files must name the case ``name``.
    """
    base = Path(root)
    if not is_case_name(name):
        raise CaseError(
            [
                Problem(
                    "case name",
                    0,
                    f"{show(name)} may use only a-z, 0-9 and '-'; {_available(base)}",
                )
            ]
        )
    documents = []
    for folder in ("hypotheses", "evidence"):
        display = f"{folder}/{name}.yaml"
        documents.append(_read_under(base, display))
    return _load(documents[0], documents[1], stem=name)


def load_case_files(hypotheses_path: str | Path, evidence_path: str | Path) -> Case:
    """Load a case from two files anywhere (e.g. uploads); its name comes from their content.

    Messages show the paths as given. The two files must name the same case.
    """
    hypotheses = read_yaml(hypotheses_path, str(hypotheses_path))
    evidence = read_yaml(evidence_path, str(evidence_path))
    return _load(hypotheses, evidence, stem=None)


def load_case_texts(
    hypotheses_text: str | bytes,
    evidence_text: str | bytes,
    hypotheses_name: str | None = None,
    evidence_name: str | None = None,
) -> Case:
    """Validate and load a case from the two documents' text, without touching disk.

    The names are only shown in messages; by default ``hypotheses/<case>.yaml`` and
    ``evidence/<case>.yaml`` with the case named in the text.
    """
    hypotheses = parse_yaml(hypotheses_text, hypotheses_name or f"hypotheses/{_PLACEHOLDER}.yaml")
    evidence = parse_yaml(evidence_text, evidence_name or f"evidence/{_PLACEHOLDER}.yaml")
    if hypotheses_name is None or evidence_name is None:
        case = _valid_case_name(hypotheses) or _valid_case_name(evidence) or _PLACEHOLDER
        if hypotheses_name is None:
            hypotheses = hypotheses.renamed(f"hypotheses/{case}.yaml")
        if evidence_name is None:
            evidence = evidence.renamed(f"evidence/{case}.yaml")
    return _load(hypotheses, evidence, stem=None)


# -- reading ---------------------------------------------------------------------------
def _available(base: Path) -> str:
    try:
        cases = list_cases(base)
    except OSError as exc:
        return f"the cases under {base} cannot be listed ({exc.strerror or exc})"
    return f"cases under {base}: {options(cases)}" if cases else f"there are no cases under {base}"


def _read_under(base: Path, display: str) -> Document:
    """Read ``base/display``, refusing anything that resolves outside ``base``."""
    path = base / display
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError) as exc:  # e.g. a symlink loop
        return failed_document(display, 0, f"cannot be resolved ({exc}); fix the link")
    if not resolved.is_relative_to(base.resolve()):
        return failed_document(
            display, 0, f"resolves outside {base}; case files must stay under it"
        )
    try:
        path.stat()
    except FileNotFoundError:
        return failed_document(display, 0, f"file not found; {_available(base)}")
    except OSError as exc:  # e.g. a folder that can be listed but not searched
        return failed_document(
            display,
            0,
            f"cannot be read ({exc.strerror or exc}); check the permissions of "
            f"{Path(display).parent}/ and the file",
        )
    if not path.is_file():
        return failed_document(display, 0, "is not a regular file; a case file must be one")
    return read_yaml(path, display)


def _valid_case_name(doc: Document) -> str | None:
    name = doc.data.get("case") if doc.usable and isinstance(doc.data, dict) else None
    return name if passes(check_case_name, name) else None


# -- the three passes --------------------------------------------------------------------
def _load(hypotheses: Document, evidence: Document, stem: str | None) -> Case:
    problems = [*hypotheses.problems, *evidence.problems]
    h_model = e_model = None
    for doc, model in ((hypotheses, HypothesesFile), (evidence, EvidenceFile)):
        if doc.data is None:
            keys = options(required_keys(model))
            problems.append(
                Problem(doc.path, 0, f"is empty; it must be a mapping with keys {keys}")
            )
    if hypotheses.usable:
        h_model, found = validate(HypothesesFile, hypotheses)
        problems += found
    if evidence.usable:
        e_model, found = validate(EvidenceFile, evidence)
        problems += found
    problems += _cross_check(hypotheses, evidence, stem)
    if problems or h_model is None or e_model is None:
        raise CaseError(problems)
    return _build(h_model, e_model, hypotheses, evidence)


def _cross_check(hypotheses: Document, evidence: Document, stem: str | None) -> list[Problem]:
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
        name = _valid_case_name(doc)
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
        places = {
            show(entry.get("id")): (("hypotheses", index, "prior"), entry["prior"])
            for index, entry in entries(doc, "hypotheses")
        }
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
    first: dict[str, int] = {}
    for index, entry in entries(doc, "hypotheses"):
        label = entry.get("label")
        if not isinstance(label, str):
            continue
        line = doc.line(("hypotheses", index, "label"))
        key = label.strip().casefold()
        if key in first:
            problems.append(
                Problem(
                    doc.path,
                    line,
                    f"hypothesis {show(entry.get('id'))} label {label!r} is the same as the "
                    f"label on line {first[key]}; give every hypothesis its own label",
                )
            )
        else:
            first[key] = line
    return problems


def _check_unique(doc: Document, keys: tuple[str, ...], what: str) -> list[Problem]:
    problems = []
    first: dict[str, tuple[str, int]] = {}
    for key in keys:
        for index, entry in entries(doc, key):
            item_id = entry.get("id")
            if not isinstance(item_id, str):
                continue
            line = doc.line((key, index, "id"))
            if item_id in first:
                other, other_line = first[item_id]
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        f"{subject((key, index), doc.data)} has the same id as the {other} on "
                        f"line {other_line}; every {what} needs its own id",
                    )
                )
            else:
                first[item_id] = (ENTITY[key], line)
    return problems


def _check_items(doc: Document, hypothesis_ids: list[str] | None) -> list[Problem]:
    problems = []
    source_ids = listed_ids(doc, "sources")
    for key in ("evidence", "indicators", "events"):
        for index, entry in entries(doc, key):
            loc = (key, index)
            if key != "events":
                problems += _check_source(doc, loc, entry, source_ids)
            if hypothesis_ids is not None and "event" not in entry:
                problems += _check_maps(doc, loc, entry, hypothesis_ids)
    return problems


def _check_source(
    doc: Document, loc: tuple, entry: dict, source_ids: list[str] | None
) -> list[Problem]:
    source = entry.get("source")
    if source_ids is None or not passes(check_id, source) or source in source_ids:
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
        if not isinstance(given, dict):
            continue
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
    line = doc.line((*loc, "likelihoods") if "likelihoods" in entry else loc)
    if missing:
        problems.append(
            Problem(
                doc.path,
                line,
                f"{subject(loc, doc.data)} has no likelihood or rating for "
                f"{', '.join(map(repr, missing))}; every hypothesis needs one",
            )
        )
    elif hypothesis_ids and _impossible(entry, likelihoods, hypothesis_ids):
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
                places += [((key, index, "likelihoods", h), v) for h, v in given.items()]
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


# -- building the case -------------------------------------------------------------------
def _prob(value: float | tuple[float, float] | str) -> Prob:
    if isinstance(value, str):
        return Prob(CREDIBILITY_WORDS[value], "word", word=value)
    if isinstance(value, tuple):
        low, high = value
        return Prob(range_mean(low, high), "range", low=low, high=high)
    return Prob(float(value), "point")


def _likelihoods(
    entry: IndicatorEntry | EventEntry, hypothesis_ids: tuple[str, ...]
) -> dict[str, Prob]:
    """Every hypothesis's likelihood: the number given, else the rating's documented one."""
    return {
        h: _prob(entry.likelihoods[h])
        if h in entry.likelihoods
        else Prob(RATING_LIKELIHOOD[entry.ratings[h]], "rating", word=entry.ratings[h])
        for h in hypothesis_ids
    }


def _item(entry: IndicatorEntry, hypothesis_ids: tuple[str, ...], line: int) -> Item:
    event = entry.event if isinstance(entry, EvidenceEntry) else None
    # an item reporting an event takes the event's numbers (the Case fills them in)
    likelihoods = {} if event is not None else _likelihoods(entry, hypothesis_ids)
    return Item(
        id=entry.id,
        claim=entry.claim,
        likelihoods=likelihoods,
        source=entry.source,
        date=entry.date,
        rationale=entry.rationale,
        ratings=dict(entry.ratings),
        relevance=entry.relevance,
        if_unreliable=entry.if_unreliable,
        line=line,
        event=event,
        tags=tuple(dict.fromkeys(entry.tags)),
        retracted=isinstance(entry, EvidenceEntry) and entry.retracted,
    )


def _build(h: HypothesesFile, e: EvidenceFile, h_doc: Document, e_doc: Document) -> Case:
    hypotheses = tuple(
        Hypothesis(x.id, x.label, x.description, x.prior, line=h_doc.line(("hypotheses", i)))
        for i, x in enumerate(h.hypotheses)
    )
    ids = tuple(x.id for x in hypotheses)
    sources = tuple(
        Source(
            s.id,
            s.name,
            Prob(1.0, "default") if s.credibility is None else _prob(s.credibility),
            line=e_doc.line(("sources", i)),
        )
        for i, s in enumerate(e.sources)
    )
    return Case(
        name=h.case,
        title=h.title,
        question=h.question,
        hypotheses=hypotheses,
        sources=sources,
        evidence=tuple(
            _item(x, ids, e_doc.line(("evidence", i))) for i, x in enumerate(e.evidence)
        ),
        indicators=tuple(
            _item(x, ids, e_doc.line(("indicators", i))) for i, x in enumerate(e.indicators)
        ),
        concentration=e.defaults.concentration,
        hypotheses_path=h_doc.path,
        evidence_path=e_doc.path,
        events=tuple(
            Event(
                x.id,
                x.description,
                _likelihoods(x, ids),
                ratings=dict(x.ratings),
                rationale=x.rationale,
                date=x.date,
                line=e_doc.line(("events", i)),
            )
            for i, x in enumerate(e.events)
        ),
        assumptions=tuple(
            Assumption(
                x.id, x.statement, tuple(x.rests_on), x.rationale, e_doc.line(("assumptions", i))
            )
            for i, x in enumerate(e.assumptions)
        ),
        as_of=h.as_of,
        marking=h.marking,
    )


__all__ = ["load_case", "load_case_files", "load_case_texts"]
