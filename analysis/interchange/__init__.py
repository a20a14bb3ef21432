"""Cases in and out of other ACH tools: PARC ACH ``.achz``, CSV, XLSX (and JSON out).

Every imported file is hostile until parsed (:mod:`~analysis.interchange.guard`): it
either becomes a case the loader accepts, or raises
:class:`~analysis.interchange.guard.ImportProblems` with one located line per problem,
and nothing is written.
"""

from __future__ import annotations

import json
from pathlib import Path

from analysis.case import Case
from analysis.errors import CaseError, Problem
from analysis.interchange.common import Imported, to_case
from analysis.interchange.guard import ImportProblems, check_size, fail

#: What ``ach import`` reads and ``ach export`` writes.
IMPORT_FORMATS = ("achz", "csv", "xlsx")
EXPORT_FORMATS = ("csv", "xlsx", "json", "achz")
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "achz": "application/gzip",
}


def format_of(path: str | Path, given: str | None, formats: tuple[str, ...]) -> str:
    """``given``, else the file's extension; a :class:`ImportProblems` when neither fits."""
    fmt = (given or Path(path).suffix.lstrip(".")).lower()
    if fmt not in formats:
        what = f"--format is {given!r}" if given else f"the extension {Path(path).suffix!r}"
        raise fail(
            str(path),
            f"{what} names no known format; use --format with one of {', '.join(formats)}",
        )
    return fmt


def read_foreign(data: bytes, display: str, fmt: str) -> Imported:
    """The case documents held by ``data`` (the bytes of a file in ``fmt``)."""
    check_size(data, display)
    if fmt == "achz":
        from analysis.interchange.achz import read_achz

        return read_achz(data, display)
    from analysis.interchange.spreadsheet import read_table

    return read_table(data, display, fmt)


def imported_case(
    data: bytes, display: str, fmt: str, name: str
) -> tuple[Case, str, str, list[Problem]]:
    """(case, hypotheses YAML, evidence YAML, warnings) for a foreign file saved as ``name``."""
    from analysis.casefile.layout import check_name
    from analysis.casefile.writer import dump_yaml
    from analysis.errors import CaseNameError

    try:
        check_name(name)
    except CaseNameError as error:
        raise fail("--case", str(error)) from None
    imported = read_foreign(data, display, fmt).named(name)
    case = to_case(
        imported.hypotheses, imported.evidence, display, imported.places, imported.columns
    )
    header = [f"Imported from {Path(display).name} ({fmt}) by the ACH workbench.", *imported.header]
    hypotheses, evidence = dump_yaml(case, name, header)
    return case, hypotheses, evidence, imported.warnings


def save_imported(name: str, hypotheses: str, evidence: str, root: str | Path, force: bool) -> Case:
    """Write the two files under ``root`` (never outside it; never over a file unless ``force``)."""
    from analysis.casefile.layout import case_paths
    from analysis.casefile.save import save_texts

    base = Path(root).resolve()
    for path in case_paths(root, name):
        if not path.resolve().is_relative_to(base):
            raise fail(str(path), f"resolves outside {root}; case files must stay under it")
    return save_texts(name, hypotheses, evidence, root=root, overwrite=force)


def export_warnings(case: Case, fmt: str) -> list[str]:
    """What an export of ``case`` in ``fmt`` leaves out, as warnings (``.achz`` only: CSV,
    XLSX and JSON hold the whole case)."""
    if fmt != "achz":
        return []
    from analysis.interchange.achz import left_out_of_achz

    left = left_out_of_achz(case)
    if not left:
        return []
    return [f"a .achz holds ratings and credibility levels only; left out: {', '.join(left)}"]


def export_case(case: Case, fmt: str) -> bytes:
    """The case as a file in ``fmt`` (one of :data:`EXPORT_FORMATS`)."""
    if fmt == "json":
        hypotheses, evidence = case.to_data()
        text = json.dumps(
            {"hypotheses": hypotheses, "evidence": evidence}, indent=2, ensure_ascii=False
        )
        return (text + "\n").encode("utf-8")
    if fmt == "achz":
        from analysis.interchange.achz import write_achz

        return write_achz(case)
    from analysis.interchange.spreadsheet import write_csv, write_xlsx

    return write_csv(case) if fmt == "csv" else write_xlsx(case)


__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "MEDIA_TYPES",
    "CaseError",
    "ImportProblems",
    "export_case",
    "export_warnings",
    "format_of",
    "imported_case",
    "read_foreign",
    "save_imported",
]
