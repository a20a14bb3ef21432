"""What every importer shares: located problems, ids made from labels, cell values checked
by the case format's own checkers, and the last step (documents -> a validated case).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic_core import PydanticCustomError

from analysis.case import Case
from analysis.casefile.schema import (
    RATINGS,
    check_credibility,
    check_text,
    check_uncertain,
    options,
)
from analysis.casefile.text import text_problem
from analysis.casefile.yamlio import float_text
from analysis.elicit import range_mean
from analysis.errors import CaseError, Problem
from analysis.interchange.guard import ImportProblems, one_line

#: The first characters a spreadsheet reads as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: How other tools write Heuer's ratings (PARC ACH: ``C C``, ``I I``), after upper-casing
#: and removing spaces.
_RATING_FORMS = {code.replace(" ", ""): code for code in RATINGS}


@dataclass
class Imported:
    """A foreign file read into the two case documents (named ``imported`` until saved)."""

    hypotheses: dict
    evidence: dict
    warnings: list[Problem] = field(default_factory=list)
    #: comment lines for the top of both written files (e.g. a classification marking)
    header: list[str] = field(default_factory=list)
    #: where each entry came from in the foreign file: (kind as messages name it, such as
    #: ``evidence`` or ``hypothesis``; id) -> (line or row, column), for locating what
    #: the case loader still finds in the documents built from it; ``("field", name)``
    #: places a message about a whole field that names no entry (``priors sum to 1.1``)
    places: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    #: a table's hypothesis id -> its column, so that a problem of one cell (``evidence
    #: 'e1' likelihood for 'a'``) is placed at its entry's row and that column
    columns: dict[str, int] = field(default_factory=dict)

    def named(self, name: str) -> Imported:
        self.hypotheses["case"] = self.evidence["case"] = name
        return self


class Located:
    """Problems found in one foreign file, each with its line (or row) and column."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def add(self, line: int, message: str, column: int = 0) -> None:
        self.problems.append(Problem(self.path, line, one_line(message), column))

    def warn(self, line: int, message: str, column: int = 0) -> None:
        self.warnings.append(Problem(self.path, line, f"warning: {message}", column))

    def check(self, checker: Callable[[Any], Any], value: Any, subject: str, line: int,
              column: int = 0) -> Any:  # fmt: skip
        """``checker(value)``, or None after recording its message about ``subject``."""
        try:
            return checker(value)
        except PydanticCustomError as error:
            self.add(line, f"{subject} {error.message()}", column)
        except ValueError as error:  # e.g. a range no Beta distribution fits
            self.add(line, f"{subject} {error}", column)
        return None

    def raise_if_any(self) -> None:
        if self.problems:
            raise ImportProblems(self.problems)


def slug(text: str, fallback: str, limit: int = 40) -> str:
    """An id (``[a-z0-9_-]+``) made from ``text``: lower case, other runs become '-',
    cut at a word boundary to at most ``limit`` characters."""
    made = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(made) > limit:
        cut = made[: limit + 1].rfind("-")
        made = made[: cut if cut > 0 else limit].strip("-")
    return made or fallback


def unique(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``... whichever is not yet in ``taken``."""
    made, n = wanted, 1
    while made in taken:
        n += 1
        made = f"{wanted}-{n}"
    taken.add(made)
    return made


def rating_code(text: str) -> str | None:
    """A Heuer rating in any common spelling (``CC``, ``C C``, ``cc``), or None."""
    return _RATING_FORMS.get(re.sub(r"\s+", "", text).upper())


def rating_choices() -> str:
    return options(RATINGS) + " (PARC ACH's 'C C' and 'I I' too)"


def needs_guard(text: str) -> bool:
    """Whether the export writes ``text`` with a leading ``'``: text a spreadsheet would
    run as a formula, and text an import would otherwise change (a leading ``'`` of the
    user's own, which the import removes; whitespace at either end, which it strips)."""
    return text.startswith((*FORMULA_STARTS, "'")) or text != text.strip()


def unneutralise(text: str) -> str:
    """Undo the export's guard (:func:`needs_guard`): a leading ``'`` before text that
    needed it goes, and that text is kept exactly; other text is stripped, and loses a
    ``'`` typed before a formula character."""
    if text.startswith("'") and needs_guard(text[1:]):
        return text[1:]
    text = text.strip()
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_STARTS else text


def cell_text(value: Any) -> str:
    """A cell as text (spreadsheet numbers and dates included), without the formula guard."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        midnight = value.time() == datetime.min.time()
        return value.date().isoformat() if midnight else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(value)
    return unneutralise(str(value))


#: a number as a table cell writes it: digits with an optional sign, point and exponent
_DECIMAL_TEXT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def as_number(value: Any) -> Any:
    """A cell read as a number where it looks like one (``0.7``, ``70%``, ``[0.5, 0.8]``);
    other text is returned as it is, for the checkers to refuse in their own words."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = cell_text(value)
    if text.startswith("[") and text.endswith("]"):
        return [as_number(part) for part in text[1:-1].split(",")]
    percent = text.endswith("%")
    digits = text[:-1] if percent else text
    if not _DECIMAL_TEXT.fullmatch(digits):  # float() would take "0_7", "nan", "inf"
        return text
    number = float(digits) / (100 if percent else 1)
    # a number past a float's range stays the text written, which the checkers quote
    return number + 0.0 if math.isfinite(number) else text  # + 0.0: -0 is 0


def split_answer(value: Any) -> tuple[Any, str | None, str | None]:
    """An answer to "how likely is this report?": ``C``, ``0.7``, ``[0.5, 0.8]``, ``0.7 (C)``.

    Returns (the number, range or unreadable text, or None; the rating or None; the
    text of an unknown rating in parentheses, or None). Empty: (None, None, None).
    """
    text = cell_text(value)
    if not text:
        return None, None, None
    if (code := rating_code(text)) is not None:
        return None, code, None
    if text.endswith(")") and "(" in text:  # "0.7 (C)": a likelihood and a rating
        number, _, given = text[:-1].rpartition("(")
        code = rating_code(given)
        if code is None:
            return None, None, given.strip()
        return as_number(number.strip()), code, None
    return as_number(value if not isinstance(value, str) else text), None, None


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (or an import would change, see
    :func:`needs_guard`), prefixed with ``'`` so it stays the text it is."""
    if isinstance(value, str) and needs_guard(value):
        return "'" + value
    return value


def check_likelihood(value: Any) -> float | list[float]:
    """A likelihood cell's number or range, checked like the case file checks it."""
    checked = check_uncertain(value)
    if isinstance(checked, tuple):
        range_mean(*checked)  # raises when no Beta distribution fits the range
        return list(checked)
    return checked


def check_line_cell(value: Any) -> str:
    """Text on one line (a title, marking, label or name), as the case file checks it but
    worded for a cell (no YAML block to blame for a line break)."""
    text = check_text(value)
    problem = text_problem(text, multiline=False, written_in_yaml=False)
    if problem is not None:
        raise ValueError(problem)
    return text


def check_source_credibility(value: Any) -> float | list[float] | str:
    checked = check_credibility(value)
    if isinstance(checked, tuple):
        range_mean(*checked)
        return list(checked)
    return checked


def to_case(
    hypotheses: dict,
    evidence: dict,
    display: str,
    places: dict[tuple[str, str], tuple[int, int]] | None = None,
    columns: dict[str, int] | None = None,
) -> Case:
    """The two documents built from ``display``, validated by the case loader.

    JSON is YAML (:func:`yaml_json` writes numbers as YAML 1.1 reads them), so the
    loader reads them as it reads any case file; a problem it still finds is reported
    against the imported file, at the line (or row) and column of the entry it names
    where ``places`` (and ``columns``, see :class:`Imported`) has it.
    """
    from analysis.casefile.loader import load_case_texts

    try:
        return load_case_texts(yaml_json(hypotheses), yaml_json(evidence), display, display)
    except CaseError as error:
        problems = []
        for problem in error.problems:
            line, column = _place(problem.message, places or {}, columns or {})
            problems.append(Problem(display, line, _imported_message(problem.message), column))
        raise ImportProblems(problems) from None


def yaml_json(document: Any) -> str:
    """``document`` as JSON that a YAML 1.1 parser reads back as the same values.

    JSON writes ``1e-05``; YAML 1.1 reads a float only with a point and a signed
    exponent, so it would read that as the text '1e-05'. Each float is written as
    :func:`float_text` says; everything else as ``json.dumps`` writes it.
    """
    out: list[str] = []
    _write_json(document, out)
    return "".join(out)


def _write_json(value: Any, out: list[str]) -> None:
    if isinstance(value, dict):
        out.append("{")
        for n, (key, item) in enumerate(value.items()):
            out.append((", " if n else "") + json.dumps(key, ensure_ascii=False) + ": ")
            _write_json(item, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for n, item in enumerate(value):
            out.append(", " if n else "")
            _write_json(item, out)
        out.append("]")
    elif isinstance(value, float):
        out.append(float_text(value))
    else:
        out.append(json.dumps(value, ensure_ascii=False))


#: how a loader's message names an entry: ``evidence 'e1'``, ``hypothesis 'a'``, and
#: one of its cells: ``evidence 'e1' likelihood for 'a'``
_ENTRY = re.compile(
    r"\b(hypothesis|source|evidence|indicator|event|assumption) '([^']*)'"
    r"(?: (?:likelihood|rating) for '([^']*)')?"
)


#: the whole fields a loader's message may name (``Imported.places`` keys them
#: ``("field", name)``), and how such a message, naming no entry, begins
WHOLE_FIELDS = ("priors", "title", "question", "marking", "as_of")
_FIELD = re.compile(f"({'|'.join(WHOLE_FIELDS)}) ")


def _place(
    message: str, places: dict[tuple[str, str], tuple[int, int]], columns: dict[str, int]
) -> tuple[int, int]:
    """The (line, column) of the first entry ``message`` names that ``places`` holds (of
    the cell it names, where ``columns`` has that hypothesis)."""
    for found in _ENTRY.finditer(message):
        if (found[1], found[2]) in places:
            line, column = places[(found[1], found[2])]
            return line, columns.get(found[3], column)
    if (field_name := _FIELD.match(message)) is not None:
        return places.get(("field", field_name[1]), (0, 0))
    return 0, 0


#: a line of the documents built from the imported file, which its user never sees
_BUILT_LINE = re.compile(r" on line \d+")
_BUILT_SIZE = re.compile(r"^is ([0-9.]+ MiB); the limit for a case file")


def _imported_message(message: str) -> str:
    """A loader's message about the documents built from an imported file, as said of
    that file: no line of the built text, and a size that is the case's, not the file's."""
    message = _BUILT_SIZE.sub(
        r"makes a case of \1 as case files; the limit for a case file", message
    )
    return _BUILT_LINE.sub(" of another entry", message)
