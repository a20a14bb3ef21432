"""The two raw case documents as strict pydantic models, and their error messages.

Every leaf value goes through one of the small checkers below, which raise
:class:`ValueProblem` (a pydantic custom error) worded in the project's own terms:
``is 1.4; must be between 0 and 1``. :func:`validate` turns pydantic's errors into
located :class:`~analysis.errors.Problem` s of the form
``<path>:<line>: <subject> <what is wrong and the fix>`` so that pydantic's default
text never reaches a user. Valid options in messages come from
:mod:`analysis.scales`, the single source of truth.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ConfigDict, PlainValidator, ValidationError
from pydantic_core import PydanticCustomError

from analysis.casefile.layout import CASE_NAME_RULE, is_case_name
from analysis.casefile.text import text_problem
from analysis.casefile.yamlio import INVALID, Document
from analysis.errors import Problem
from analysis.scales import CREDIBILITY_WORDS, PARC_WEIGHTS, RATING_LIKELIHOOD

ID_PATTERN = re.compile(r"[a-z0-9_-]+")
RATINGS = tuple(RATING_LIKELIHOOD)
M = TypeVar("M", bound=BaseModel)
LEVELS = tuple(PARC_WEIGHTS)
WORDS = tuple(CREDIBILITY_WORDS)

#: The entity each top-level list holds, as messages name it.
ENTITY = {
    "hypotheses": "hypothesis",
    "sources": "source",
    "evidence": "evidence",
    "indicators": "indicator",
    "events": "event",
    "assumptions": "assumption",
}


# -- showing values ----------------------------------------------------------------
def show(value: Any, depth: int = 0) -> str:
    """A value as a message shows it: YAML-like, short (nesting beyond 3 levels elided)."""
    if isinstance(value, list | dict) and depth >= 3:
        return "[...]" if isinstance(value, list) else "{...}"
    if value is None:
        text = "empty"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = ".nan" if math.isnan(value) else (repr(value) if math.isfinite(value) else ".inf")
        if value == -math.inf:
            text = "-.inf"
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = repr(value)
    elif isinstance(value, list):
        text = (
            "["
            + ", ".join(show(v, depth + 1) for v in value[:6])
            + (", ...]" if len(value) > 6 else "]")
        )
    elif isinstance(value, dict):
        parts = [f"{k}: {show(v, depth + 1)}" for k, v in list(value.items())[:4]]
        text = "{" + ", ".join(parts) + (", ...}" if len(value) > 4 else "}")
    else:
        text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def options(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(values)


def closest(value: Any, choices: list[str] | tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    if not isinstance(value, str):
        return ""
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    if not match:
        match = [c for c in choices if c.lower() == value.lower()]
    return f" (did you mean {match[0]!r}?)" if match else ""


def ValueProblem(value: Any, fix: str) -> PydanticCustomError:
    """The checkers' error; its text continues the subject: ``is 1.4; must be ...``."""
    return PydanticCustomError("ach", "is {value}; {fix}", {"value": show(value), "fix": fix})


# -- leaf checkers -------------------------------------------------------------------
def _text_fix(value: Any, what: str = "") -> str:
    fix = f"must be text{what}"
    if isinstance(value, bool):
        return fix + "; put it in quotes (YAML reads unquoted yes, no, on, off as true/false)"
    if isinstance(value, int | float):
        return fix + "; put it in quotes"
    return fix


def _checked(value: str, multiline: bool) -> str:
    reason = text_problem(value, multiline)
    if reason is not None:
        raise PydanticCustomError("ach", reason)
    return value


def check_text(value: Any) -> str:
    """Non-empty text; tab and line breaks allowed (see :mod:`analysis.casefile.text`)."""
    if not isinstance(value, str):
        raise ValueProblem(value, _text_fix(value))
    if not value.strip():
        raise ValueProblem(None, "must be text")
    return _checked(value, multiline=True)


def check_line(value: Any) -> str:
    """Non-empty text on one line (a title, label or name)."""
    return _checked(check_text(value), multiline=False)


def check_optional_text(value: Any) -> str:
    """Text that may be empty (leave the key out to give none)."""
    if not isinstance(value, str):
        raise ValueProblem(value, _text_fix(value, " (or leave the key out)"))
    return _checked(value, multiline=True)


def check_id(value: Any) -> str:
    """An id: [a-z0-9_-]+."""
    if not isinstance(value, str):
        raise ValueProblem(value, _text_fix(value, " using only a-z, 0-9, '_' and '-'"))
    if not ID_PATTERN.fullmatch(value):
        raise ValueProblem(value, "an id may use only a-z, 0-9, '_' and '-'")
    return value


def check_case_name(value: Any) -> str:
    """A case name: [a-z0-9-]+."""
    if not isinstance(value, str):
        raise ValueProblem(value, _text_fix(value, " using only a-z, 0-9 and '-'"))
    if not is_case_name(value):
        raise ValueProblem(value, CASE_NAME_RULE)
    return value


#: Text that YAML 1.1 leaves as a string although the analyst meant a number (1e-3).
_LOOKS_NUMERIC = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+")


def _hint(value: Any) -> str:
    """A hint for numbers YAML 1.1 reads as text, such as ``1e-3``."""
    if isinstance(value, str) and _LOOKS_NUMERIC.fullmatch(value.strip()):
        return f" (YAML reads {value} as text: write a decimal such as 0.001)"
    return ""


def _number(value: Any, fix: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueProblem(value, fix + _hint(value))
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float
        raise ValueProblem(str(value)[:20] + "...", fix) from None
    if math.isnan(number):
        raise ValueProblem(value, fix)
    return number


def check_probability(value: Any) -> float:
    """A number in [0, 1]."""
    number = _number(value, "must be a number between 0 and 1")
    if not 0.0 <= number <= 1.0:
        raise ValueProblem(value, "must be between 0 and 1")
    return number


def check_range(value: list) -> tuple[float, float]:
    """A 90% range [low, high] inside [0, 1] with low < high."""
    if len(value) != 2:
        raise ValueProblem(value, "a range must be two numbers [low, high]")
    low, high = (_number(v, "a range must be two numbers [low, high]") for v in value)
    if not (0.0 <= low <= 1.0 and 0.0 <= high <= 1.0):
        raise ValueProblem(value, "both ends of a range must be between 0 and 1")
    if low > high:
        raise ValueProblem(value, f"the range is reversed; write [{value[1]}, {value[0]}]")
    if low == high:
        raise ValueProblem(value, f"low must be less than high (write {value[0]} for one value)")
    return low, high


def check_uncertain(value: Any) -> float | tuple[float, float]:
    """A probability or a range."""
    if isinstance(value, list):
        return check_range(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueProblem(
            value, "must be a number between 0 and 1 or a range [low, high]" + _hint(value)
        )
    return check_probability(value)


def check_credibility(value: Any) -> float | tuple[float, float] | str:
    """A probability, a range or a credibility word."""
    if isinstance(value, str):
        if value in CREDIBILITY_WORDS:
            return value
        raise ValueProblem(
            value,
            "must be a number between 0 and 1, a range [low, high] or one of "
            f"{options(WORDS)}{closest(value, WORDS)}{_hint(value)}",
        )
    if isinstance(value, bool) or not isinstance(value, int | float | list):
        raise ValueProblem(
            value,
            f"must be a number between 0 and 1, a range [low, high] or one of {options(WORDS)}",
        )
    return check_uncertain(value)


def check_rating(value: Any) -> str:
    """A Heuer rating."""
    if isinstance(value, str) and value in RATING_LIKELIHOOD:
        return value
    raise ValueProblem(value, f"must be one of {options(RATINGS)}{closest(value, RATINGS)}")


def check_level(value: Any) -> str:
    """low | medium | high."""
    if isinstance(value, str) and value in PARC_WEIGHTS:
        return value
    raise ValueProblem(value, f"must be one of {options(LEVELS)}{closest(value, LEVELS)}")


def check_positive(value: Any) -> float:
    """A finite number above 0."""
    number = _number(value, "must be a number greater than 0")
    if not 0.0 < number < math.inf:
        raise ValueProblem(value, "must be a finite number greater than 0")
    return number


def check_flag(value: Any) -> bool:
    """true or false."""
    if isinstance(value, bool):
        return value
    raise ValueProblem(value, "must be true or false")


def check_rests_on(value: Any) -> list[str]:
    """A non-empty list of ids."""
    if not isinstance(value, list):
        raise ValueProblem(value, "must be a list of item or event ids, e.g. [f7-in-gaza]")
    if not value:
        raise ValueProblem(value, "name at least one evidence item or event that rests on it")
    return [check_id(v) for v in value]


#: ``YYYY-MM-DD``, optionally with a time: the forms that sort as text in date order.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?")


def check_date(value: Any) -> str:
    """An ISO date ``YYYY-MM-DD`` (optionally with a time), kept as written."""
    fix = "must be an ISO date like 2023-10-11"
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueProblem(value, fix)
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(value)
            return value
        except ValueError:
            continue
    raise ValueProblem(value, fix)


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
    marking: MaybeText = None
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
    likelihoods: dict[str, Uncertain] = {}
    rationale: OptionalText = ""
    ratings: dict[str, Rating] = {}
    relevance: Level = None
    if_unreliable: Probability = None
    tags: list[Text] = []


class EvidenceEntry(IndicatorEntry):
    source: Id  # type: ignore[assignment]
    event: MaybeId = None
    retracted: Flag = False


class EventEntry(_Strict):
    """Something that happened; the items naming it in ``event:`` report it."""

    id: Id
    description: Text
    date: DateText = None
    likelihoods: dict[str, Uncertain] = {}
    ratings: dict[str, Rating] = {}
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
    events: list[EventEntry] = []
    assumptions: list[AssumptionEntry] = []
    indicators: list[IndicatorEntry] = []


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
        what = "rating" if loc and loc[-1] == "ratings" else "probability"
        return f"is {value}; must be a mapping of hypothesis id to {what}, e.g. {{direct: ...}}"
    if kind == "list_type":
        return f"is {value}; must be a list (one '- ' entry per line)"
    return f"is {value}; this value is not valid here"
