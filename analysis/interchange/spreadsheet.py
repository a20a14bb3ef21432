"""CSV and XLSX files <-> the table layout of :mod:`analysis.interchange.table`.

Reading is bounded (:mod:`analysis.interchange.guard`); openpyxl parses the workbook's
XML with defusedxml. Writing neutralises every cell a spreadsheet would run as a
formula (text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from analysis.case import Case
from analysis.errors import Problem
from analysis.interchange.common import Imported, neutralise
from analysis.interchange.guard import (
    MAX_COLUMNS,
    MAX_ROWS,
    ImportProblems,
    check_markup,
    check_zip,
    decode_text,
    fail,
    has_formulas,
    one_line,
)
from analysis.interchange.rows import case_rows
from analysis.interchange.table import Row, read_rows

_DELIMITERS = ",;\t"
#: the first record of a CSV text: up to its first line break outside quotes
_FIRST_RECORD = re.compile(r'(?:"[^"]*"|[^"\n])*')
_QUOTED = re.compile(r'"[^"]*"')


def _check_shape(rows: list[Row], display: str) -> list[Row]:
    if not rows or not any(str(c or "").strip() for c in rows[0][1]):
        raise fail(display, "has no header row; the first row must name the columns", 1)
    return rows


def _too_big(display: str, row: int, what: str) -> None:
    limit = MAX_ROWS if what == "rows" else MAX_COLUMNS
    raise fail(display, f"has more than {limit} {what}; refused", row)


# -- CSV -------------------------------------------------------------------------------------
def _delimiter(text: str) -> str:
    """``,`` unless the header row is split by ``;`` or tabs (as some locales write CSV),
    counting only what stands outside quotes (a label ``"Iran, Syria, or Hezbollah"``
    separates nothing)."""
    header = _QUOTED.sub("", _FIRST_RECORD.match(text)[0])
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_rows(data: bytes, display: str) -> list[Row]:
    """The rows of a CSV file, each with the line it starts on."""
    text = decode_text(data, display)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    rows: list[Row] = []
    start = 1
    try:
        for cells in reader:
            if len(rows) >= MAX_ROWS:
                _too_big(display, start, "rows")
            if len(cells) > MAX_COLUMNS:
                _too_big(display, start, "columns")
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        raise fail(display, f"is not valid CSV ({error})", start) from None
    return _check_shape(rows, display)


def write_csv(case: Case) -> bytes:
    """The case as CSV (UTF-8 with a BOM, which spreadsheets need to read it as UTF-8)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in case_rows(case):
        writer.writerow(["" if v is None else neutralise(_csv_text(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_text(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


# -- XLSX ------------------------------------------------------------------------------------
#: What to do with a workbook openpyxl cannot read, said once for every way it fails (its
#: own error text names XML parts and Python types, which tell a user nothing).
_RESAVE = "open it in a spreadsheet program and save it again as .xlsx"


def xlsx_rows(data: bytes, display: str) -> list[Row]:
    """The rows of the workbook's first sheet (cached values, never formulas; a formula
    with no saved result is a located problem, not an empty cell)."""
    archive = check_zip(data, display)
    check_markup(archive, display)
    rows = _sheet_rows(data, display, formulas=False)
    if has_formulas(archive):
        _refuse_uncalculated(rows, _sheet_rows(data, display, formulas=True), display)
    return _check_shape(rows, display)


def _sheet_rows(data: bytes, display: str, *, formulas: bool) -> list[Row]:
    """The first sheet's rows: the values saved with each cell, or (``formulas``) the
    formulas themselves where a cell has one."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=not formulas)
    except Exception:
        raise fail(display, f"is not a readable XLSX workbook; {_RESAVE}") from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise fail(display, "holds no worksheet")
        # the rows as the sheet holds them: read-only mode otherwise trusts the sheet's
        # declared <dimension>, and a stale one would drop rows and cells unseen
        sheet.reset_dimensions()
        rows: list[Row] = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                _too_big(display, number, "rows")
            if len(cells) > MAX_COLUMNS:
                _too_big(display, number, "columns")
            rows.append((number, list(cells)))
    except ImportProblems:
        raise
    except Exception:  # openpyxl's errors have no common base: a missing shared string
        raise fail(display, f"is a damaged XLSX workbook; {_RESAVE}") from None
    finally:
        book.close()
    return rows


def _refuse_uncalculated(values: list[Row], formulas: list[Row], display: str) -> None:
    """A located problem for every cell that holds a formula but no saved result (a file
    written by a program that does not calculate): read as its value it would be an
    empty cell, an empty claim or a missing likelihood."""
    problems = []
    for (number, row), (_, written) in zip(values, formulas, strict=False):
        for column, (value, formula) in enumerate(zip(row, written, strict=False), start=1):
            formula = getattr(formula, "text", formula)  # an array formula's text
            if value is None and isinstance(formula, str) and formula.startswith("="):
                problems.append(
                    Problem(
                        display,
                        number,
                        one_line(
                            f"holds the formula {formula[:60]} but no saved result; open the "
                            "file in a spreadsheet program and save it (which stores the "
                            "result), or type the value",
                        ),
                        column,
                    )
                )
    if problems:
        raise ImportProblems(problems)


def write_xlsx(case: Case) -> bytes:
    """The case as a one-sheet XLSX workbook (numbers stay numbers, text stays text)."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ACH matrix"
    for row in case_rows(case):
        sheet.append([neutralise(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_table(data: bytes, display: str, fmt: str) -> Imported:
    """The case documents held by a CSV (``fmt="csv"``) or XLSX file's bytes."""
    if fmt == "csv":
        return read_rows(csv_rows(data, display), display, csv=True)
    return read_rows(xlsx_rows(data, display), display, csv=False)
