"""The two raw case documents as strict pydantic models, and their error messages.

Every leaf value goes through one of the checkers of :mod:`analysis.casefile.checkers`
(re-exported here), worded in the project's own terms: ``is 1.4; must be between 0
and 1``. :func:`validate` turns pydantic's errors into located
:class:`~analysis.errors.Problem` s of the form
``<path>:<line>: <subject> <what is wrong and the fix>`` so that pydantic's default
text never reaches a user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError

from analysis.casefile.checkers import (
    ID_PATTERN,
    LEVELS,
    RATINGS,
    WORDS,
    ValueProblem,
    check_case_name,
    check_credibility,
    check_date,
    check_flag,
    check_id,
    check_level,
    check_line,
    check_optional_text,
    check_positive,
    check_probability,
    check_range,
    check_rating,
    check_rests_on,
    check_text,
    check_uncertain,
    closest,
    options,
    show,
)
from analysis.casefile.yamlio import INVALID, Document
from analysis.errors import Problem

M = TypeVar("M", bound=BaseModel)

#: The entity each top-level list holds, as messages name it.
ENTITY = {
    "hypotheses": "hypothesis",
    "sources": "source",
    "evidence": "evidence",
    "indicators": "indicator",
    "events": "event",
    "assumptions": "assumption",
}


Text = Annotated[str, PlainValidator(check_text)]
Line = Annotated[str, PlainValidator(check_line)]
OptionalText = Annotated[str, PlainValidator(check_optional_text)]
Id = Annotated[str, PlainValidator(check_id)]
CaseName = Annotated[str, PlainValidator(check_case_name)]
Probability = Annotated[float | None, PlainValidator(check_probability)]
Uncertain = Annotated[float | tuple[float, float], PlainValidator(check_uncertain)]
Credibility = Annotated[float | tuple[float, float] | str | None, PlainValidator(check_credibility)]
Rating = Annotated[str, PlainValidator(check_rating)]
Level = Annotated[str | None, PlainValidator(check_level)]
Positive = Annotated[float | None, PlainValidator(check_positive)]
DateText = Annotated[str | None, PlainValidator(check_date)]
MaybeText = Annotated[str | None, PlainValidator(check_text)]
MaybeLine = Annotated[str | None, PlainValidator(check_line)]
MaybeId = Annotated[str | None, PlainValidator(check_id)]
Flag = Annotated[bool, PlainValidator(check_flag)]
RestsOn = Annotated[list[str], PlainValidator(check_rests_on)]


# -- the documents -------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class HypothesisEntry(_Strict):
    id: Id
    label: Line
    description: OptionalText = ""
    prior: Probability = None


class HypothesesFile(_Strict):
    case: CaseName
    title: Line
    question: Text
    as_of: DateText = None
    marking: MaybeLine = None  # printed in every brief page's header: one line
    hypotheses: list[HypothesisEntry]


class Defaults(_Strict):
    concentration: Positive = None


class SourceEntry(_Strict):
    id: Id
    name: Line
    credibility: Credibility = None


class IndicatorEntry(_Strict):
    """An item not yet observed: the shape of evidence, with ``source`` optional."""

    id: Id
    claim: Text
    date: DateText = None
    source: MaybeId = None
    likelihoods: dict[str, Uncertain] = Field(default_factory=dict)
    rationale: OptionalText = ""
    ratings: dict[str, Rating] = Field(default_factory=dict)
    relevance: Level = None
    if_unreliable: Probability = None
    tags: list[Line] = Field(default_factory=list)  # labels to filter by: one line each


class EvidenceEntry(IndicatorEntry):
    source: Id  # type: ignore[assignment]
    event: MaybeId = None
    retracted: Flag = False


class EventEntry(_Strict):
    """Something that happened; the items naming it in ``event:`` report it."""

    id: Id
    description: Text
    date: DateText = None
    likelihoods: dict[str, Uncertain] = Field(default_factory=dict)
    ratings: dict[str, Rating] = Field(default_factory=dict)
    rationale: OptionalText = ""


class AssumptionEntry(_Strict):
    """A key assumption and the evidence items and events that rest on it."""

    id: Id
    statement: Text
    rests_on: RestsOn
    rationale: OptionalText = ""


class EvidenceFile(_Strict):
    case: CaseName
    defaults: Defaults = Defaults()
    sources: list[SourceEntry]
    evidence: list[EvidenceEntry]
    events: list[EventEntry] = Field(default_factory=list)
    assumptions: list[AssumptionEntry] = Field(default_factory=list)
    indicators: list[IndicatorEntry] = Field(default_factory=list)


# -- pydantic errors -> problems -------------------------------------------------------
def validate(
    model: type[M], doc: Document, name: Callable[[tuple, Any], str] | None = None
) -> tuple[M | None, list[Problem]]:
    """``doc.data`` as ``model``, or None and every problem found in it.

    ``name(loc, data)`` words the place a message is about (default :func:`subject`).
    """
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        name = name or subject
        problems = [_problem(model, doc, err, name) for err in exc.errors(include_url=False)]
        return None, [p for p in problems if p is not None]


def subject(loc: tuple, data: Any) -> str:
    """How a message names the place ``loc``: ``evidence 'x' likelihood for 'direct'``."""
    if not loc:
        return "the file"
    head, rest = loc[0], loc[1:]
    if head not in ENTITY or not rest or not isinstance(rest[0], int):
        return " ".join(str(part) for part in loc)
    index, rest = rest[0], rest[1:]
    entries = data.get(head) if isinstance(data, dict) else None
    entry = entries[index] if isinstance(entries, list) and index < len(entries) else None
    item_id = entry.get("id") if isinstance(entry, dict) else None
    name = (
        f"{ENTITY[head]} {item_id!r}"
        if isinstance(item_id, str) and item_id
        else f"{ENTITY[head]} #{index + 1}"
    )
    if len(rest) == 2 and rest[0] in ("likelihoods", "ratings"):
        word = "likelihood" if rest[0] == "likelihoods" else "rating"
        return f"{name} {word} for {rest[1]!r}"
    return " ".join([name, *(str(part) for part in rest)])


def model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class found at ``loc`` inside ``model`` (None for a non-model place)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = field.annotation
        while get_origin(current) is list:
            current = get_args(current)[0]
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def keys_of(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(model.model_fields)


def required_keys(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(k for k, f in model.model_fields.items() if f.is_required())


def _holds_invalid(value: Any) -> bool:
    """True when ``value`` is or contains :data:`INVALID` (already reported)."""
    if value is INVALID:
        return True
    if isinstance(value, dict):
        value = list(value.values())
    return isinstance(value, list) and any(_holds_invalid(v) for v in value)


def _problem(
    model: type[BaseModel], doc: Document, err: Any, subject: Callable[[tuple, Any], str]
) -> Problem | None:
    if err["type"] not in ("extra_forbidden", "missing") and _holds_invalid(err["input"]):
        return None  # already reported by the YAML reader
    loc = tuple(err["loc"])
    kind = err["type"]
    line = doc.line(loc)
    if kind == "ach":
        return Problem(doc.path, line, f"{subject(loc, doc.data)} {err['msg']}")
    if kind == "extra_forbidden":
        owner = model_at(model, loc[:-1])
        allowed = keys_of(owner) if owner else ()
        key = loc[-1]
        text = (
            f"{subject(loc[:-1], doc.data)} has unknown key {key!r}; "
            f"allowed keys: {options(allowed)}{closest(key, allowed)}"
        )
        return Problem(doc.path, line, text)
    if kind == "missing":
        owner = model_at(model, loc[:-1])
        needed = f" (required keys: {options(required_keys(owner))})" if owner else ""
        text = f"{subject(loc[:-1], doc.data)} has no key {loc[-1]!r}; add it{needed}"
        return Problem(doc.path, line, text)
    return Problem(doc.path, line, f"{subject(loc, doc.data)} {_shape_message(model, loc, err)}")


def _shape_message(model: type[BaseModel], loc: tuple, err: Any) -> str:
    value = show(err["input"])
    kind = err["type"]
    owner = model_at(model, loc)
    if owner is not None and kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"is {value}; must be a mapping with keys {options(keys_of(owner))}"
    if kind == "dict_type":
        field = loc[-1] if loc else ""
        if field == "credibility":  # a judgment file's: source id -> credibility
            return f"is {value}; must be a mapping of source id to credibility, e.g. {{jcs: 0.7}}"
        what = "rating" if field == "ratings" else "probability"
        return f"is {value}; must be a mapping of hypothesis id to {what}, e.g. {{direct: ...}}"
    if kind == "list_type":
        return f"is {value}; must be a list (one '- ' entry per line)"
    return f"is {value}; this value is not valid here"


__all__ = [
    "ENTITY",
    "ID_PATTERN",
    "LEVELS",
    "RATINGS",
    "WORDS",
    "AssumptionEntry",
    "Defaults",
    "EventEntry",
    "EvidenceEntry",
    "EvidenceFile",
    "HypothesesFile",
    "HypothesisEntry",
    "IndicatorEntry",
    "SourceEntry",
    "ValueProblem",
    "check_case_name",
    "check_credibility",
    "check_date",
    "check_flag",
    "check_id",
    "check_level",
    "check_line",
    "check_optional_text",
    "check_positive",
    "check_probability",
    "check_range",
    "check_rating",
    "check_rests_on",
    "check_text",
    "check_uncertain",
    "closest",
    "keys_of",
    "model_at",
    "options",
    "required_keys",
    "show",
    "subject",
    "validate",
]
