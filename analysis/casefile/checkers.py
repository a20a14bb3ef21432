"""The leaf checkers of a case file: each value checked, its message worded.

Every checker raises :class:`ValueProblem` (a pydantic custom error) worded in the
project's own terms, continuing the subject: ``is 1.4; must be between 0 and 1``.
Valid options in messages come from :mod:`analysis.scales`, the single source of truth.
:mod:`analysis.casefile.schema` builds the documents' models from them.
"""

from __future__ import annotations

import difflib
import math
import re
from datetime import date, datetime
from typing import Any

from pydantic_core import PydanticCustomError

from analysis.casefile.layout import CASE_NAME_RULE, is_case_name
from analysis.casefile.text import text_problem
from analysis.scales import CREDIBILITY_WORDS, PARC_WEIGHTS, RATING_LIKELIHOOD
from analysis.wording import shortened

ID_PATTERN = re.compile(r"[a-z0-9_-]+")
RATINGS = tuple(RATING_LIKELIHOOD)
LEVELS = tuple(PARC_WEIGHTS)
WORDS = tuple(CREDIBILITY_WORDS)


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
    return shortened(text, 80)


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


#: The longest id: it names its item in every table, chart label and message.
MAX_ID = 64


def check_id(value: Any) -> str:
    """An id: [a-z0-9_-]+, at most :data:`MAX_ID` characters."""
    if not isinstance(value, str):
        raise ValueProblem(value, _text_fix(value, " using only a-z, 0-9, '_' and '-'"))
    if not ID_PATTERN.fullmatch(value):
        raise ValueProblem(value, "an id may use only a-z, 0-9, '_' and '-'")
    if len(value) > MAX_ID:
        raise ValueProblem(
            value, f"an id has at most {MAX_ID} characters (this one {len(value)}): shorten it"
        )
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
    if type(value) is float and 0.0 <= value <= 1.0:  # most values: no conversion needed
        return value
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
