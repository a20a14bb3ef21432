"""Import and export against files built to slip past the guards, and round trips that
must give back exactly what was exported (``ach import``, ``ach export``).

Each hostile file is small: the caps are lowered where the guard exposes them.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analysis.casefile.limits import MAX_ENTRIES
from analysis.casefile.loader import load_case
from analysis.cli import app
from analysis.interchange import export_case, guard, read_foreign
from analysis.interchange.common import to_case
from analysis.interchange.spreadsheet import csv_rows
from analysis.interchange.table import META_ROWS

runner = CliRunner()

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _workbook(sheet: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A minimal XLSX whose one sheet is ``sheet``, stored under the part name ``part``."""
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    members = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
            f'<Override PartName="/{part}" ContentType="{kind}.worksheet+xml"/></Types>'
        ).encode(),
        "_rels/.rels": (
            f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
            f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
            f'Type="{_DOC}/worksheet" Target="/{part}"/></Relationships>'
        ).encode(),
        part: sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _text(value: str) -> str:
    return f'<c t="inlineStr"><is><t>{value}</t></is></c>'


def _sheet(*extra_rows: str, after: str = "", cell=_text) -> str:
    rows = [["id", "claim", "a", "b"], ["e1", "hello", "0.7", "0.2"]]
    body = "".join("<row>" + "".join(cell(v) for v in row) + "</row>" for row in rows)
    return f'<worksheet xmlns="{_MAIN}"><sheetData>{body}{"".join(extra_rows)}</sheetData>{after}'


def _close(sheet: str) -> bytes:
    return (sheet + "</worksheet>").encode()


def _import(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    root = tmp_path / "root"
    return runner.invoke(app, ["import", str(path), "--case", "imported", "--root", str(root)])


def _refused(tmp_path: Path, name: str, data: bytes, *expected: str) -> list[str]:
    result = _import(tmp_path, name, data)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    lines = result.output.strip().splitlines()
    assert all(line.startswith(str(tmp_path / name)) for line in lines), lines
    for text in expected:
        assert any(text in line for line in lines), (text, lines)
    assert not (tmp_path / "root").exists()
    return lines


def _problem(lines: list[str], path: Path) -> str:
    """The one line's place and message, without the path."""
    assert len(lines) == 1, lines
    return lines[0][len(str(path)) :]


# -- 1. XLSX caps apply to every part, however it is named or its cells are written ----------
def test_a_sheet_under_any_part_name_is_read(tmp_path):
    # openpyxl follows the relationships to any part name: the checks must see this one
    result = _import(tmp_path, "bin.xlsx", _workbook(_close(_sheet()), "xl/sheet1.bin"))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("part", ["xl/sheet1.bin", "xl/worksheets/sheet1.xml", "other/x"])
def test_a_huge_token_is_refused_under_any_part_name(tmp_path, monkeypatch, part):
    monkeypatch.setattr(guard, "MAX_MARKUP_BYTES", 1000)
    sheet = _close(_sheet(after="<!--" + "x" * 2000 + "-->"))
    _refused(tmp_path, "big.xlsx", _workbook(sheet, part), f"longer than 0 MB in {part}")


@pytest.mark.parametrize(
    "cell",
    ['<c\n t="n"><v>1</v></c>', "<c/>", '<c\tr="Z9"/>', "<c><v>1</v></c>"],
    ids=["newline", "empty", "tab", "bare"],
)
def test_cells_are_counted_however_their_tags_are_written(tmp_path, monkeypatch, cell):
    monkeypatch.setattr(guard, "MAX_CELLS", 50)
    rows = "".join(f'<row r="{r}">{cell * 10}</row>' for r in range(10, 16))
    sheet = _close(_sheet(rows))
    _refused(tmp_path, "cells.xlsx", _workbook(sheet), "cells in xl/worksheets/sheet1.xml")


def test_cells_with_a_namespace_prefix_are_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "MAX_CELLS", 50)
    rows = "".join(f'<x:row r="{r}">{"<x:c/>" * 10}</x:row>' for r in range(10, 16))
    sheet = f'<x:worksheet xmlns:x="{_MAIN}"><x:sheetData>{rows}</x:sheetData></x:worksheet>'
    _refused(tmp_path, "prefix.xlsx", _workbook(sheet.encode()), "; at most 50")


def test_a_sheet_in_utf16_is_checked_as_its_parser_reads_it(tmp_path, monkeypatch):
    rows = "".join(f'<row r="{r}">{"<c/>" * 10}</row>' for r in range(10, 16))
    sheet = ('<?xml version="1.0" encoding="UTF-16"?>' + _sheet(rows) + "</worksheet>").encode(
        "utf-16"
    )
    (tmp_path / "ok").mkdir()
    assert _import(tmp_path / "ok", "ok16.xlsx", _workbook(sheet)).exit_code == 0  # a sheet
    monkeypatch.setattr(guard, "MAX_CELLS", 50)
    _refused(tmp_path, "u16.xlsx", _workbook(sheet), "; at most 50")


def test_a_formula_without_a_result_is_found_under_any_part_name(tmp_path):
    formula = '<row r="3"><c r="A3" t="inlineStr"><is><t>e2</t></is></c>'
    formula += _text("claim") + '<c r="C3"><f>1/2</f></c>' + _text("0.1") + "</row>"
    sheet = _close(_sheet(formula))
    _refused(tmp_path, "f.xlsx", _workbook(sheet, "xl/sheet1.bin"), "holds the formula =1/2")


# -- 2. every float the importer builds is read back as that float ---------------------------
def _case(likelihoods: dict, tags=(), claim: str = "First claim"):
    hypotheses = {"case": "c", "title": "T", "question": "Q?",
                  "hypotheses": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]}  # fmt: skip
    item = {"id": "e1", "claim": claim, "source": "s", "likelihoods": likelihoods}
    if tags:
        item["tags"] = list(tags)
    evidence = {"case": "c", "sources": [{"id": "s", "name": "S", "credibility": 0.8}],
                "evidence": [item, {"id": "e2", "claim": "Second", "source": "s",
                                    "likelihoods": {"a": 0.4, "b": 0.5}}]}  # fmt: skip
    return to_case(hypotheses, evidence, "built")


def _round_trip(case, fmt: str):
    imported = read_foreign(export_case(case, fmt), f"copy.{fmt}", fmt).named("copy")
    return to_case(imported.hypotheses, imported.evidence, f"copy.{fmt}", imported.places)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_tiny_likelihoods_survive_a_round_trip(fmt):
    case = _case({"a": 1e-05, "b": 1e-300})
    back = _round_trip(case, fmt)
    assert back.evidence[0].likelihoods["a"].as_written() == 1e-05
    assert back.evidence[0].likelihoods["b"].as_written() == 1e-300


def test_a_problem_of_one_cell_is_placed_at_its_row_and_column():
    hypotheses = {"case": "c", "title": "T", "question": "Q?",
                  "hypotheses": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]}  # fmt: skip
    evidence = {"case": "c", "sources": [{"id": "s", "name": "S"}],
                "evidence": [{"id": "e1", "claim": "C", "source": "s",
                              "likelihoods": {"a": "often", "b": 0.5}}]}  # fmt: skip
    with pytest.raises(guard.ImportProblems) as raised:
        to_case(hypotheses, evidence, "t.csv", {("evidence", "e1"): (6, 1)}, {"a": 9, "b": 10})
    (problem,) = raised.value.problems
    assert (problem.line, problem.column) == (6, 9), problem


# -- 3. the CSV separator is guessed from what stands outside quotes ---------------------------
def test_a_semicolon_csv_with_commas_in_a_quoted_label(tmp_path):
    data = b'id;claim;"Iran, Syria, or Hezbollah, jointly";Direct\ne1;x;0.7;0.2\n'
    result = _import(tmp_path, "s.csv", data)
    assert result.exit_code == 0, result.output
    written = (tmp_path / "root/hypotheses/imported.yaml").read_text()
    assert "label: Iran, Syria, or Hezbollah, jointly" in written


def test_a_comma_csv_with_semicolons_in_a_quoted_label(tmp_path):
    data = b'id,claim,"Plan A; or B; or C",Other\ne1,x,0.7,0.2\n'
    assert _import(tmp_path, "c.csv", data).exit_code == 0


# -- 4. an export read back gives exactly what was exported ----------------------------------
TEXTS = ["'=1+2 is what it says", "  '@x", "trailing  ", "'Twas so", "=SUM(A1)", "-dash", "plain"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("claim", TEXTS)
def test_text_survives_a_round_trip_exactly(fmt, claim):
    back = _round_trip(_case({"a": 0.7, "b": 0.2}, claim=claim), fmt)
    assert back.evidence[0].claim == claim


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "tags", [("Iran, Syria", "a;b"), ("plain", "two words"), ("-x", "[y]"), ('say "hi"', "z")]
)
def test_tags_survive_a_round_trip_exactly(fmt, tags):
    back = _round_trip(_case({"a": 0.7, "b": 0.2}, tags=tags), fmt)
    assert back.evidence[0].tags == tuple(tags)


def test_tags_typed_by_hand_are_still_split_on_commas_and_semicolons(tmp_path):
    data = b'id,claim,tags,A,B\ne1,x,"one; two, three",0.7,0.2\n'
    assert _import(tmp_path, "t.csv", data).exit_code == 0
    case = load_case("imported", tmp_path / "root")
    assert case.evidence[0].tags == ("one", "two", "three")


def test_the_row_cap_admits_every_row_a_case_at_its_limits_exports():
    lists = sum(count for key, count in MAX_ENTRIES.items() if key != "hypotheses")
    needed = 1 + len(META_ROWS) + lists  # the header, each kind of # row, every entry
    assert needed <= guard.MAX_ROWS
    text = "id,claim,A,B\n" + "".join(f"e{k},c,0.5,0.5\n" for k in range(needed - 1))
    assert len(csv_rows(text.encode(), "rows.csv")) == needed


# -- 5. problems of the # rows and the header are placed at their row and column ------------
def _one(tmp_path: Path, name: str, data: bytes, *expected: str) -> str:
    return _problem(_refused(tmp_path, name, data, *expected), tmp_path / name)


def test_priors_that_do_not_sum_to_one_are_placed_at_the_prior_row(tmp_path):
    data = b"id,claim,A,B\n#prior,,0.6,0.5\ne1,x,0.7,0.2\n"
    assert _one(tmp_path, "p.csv", data, "priors sum to 1.1").startswith(":2:3: ")


@pytest.mark.parametrize("row", ["#title", "#marking"])
def test_a_one_line_field_over_two_lines_is_placed_and_names_no_yaml(tmp_path, row):
    data = f'id,claim,A,B\n{row},"SEC\nRET",,\ne1,x,0.7,0.2\n'.encode()
    problem = _one(tmp_path, "m.csv", data, "LINE FEED")
    assert problem.startswith(f":2:2: {row} contains U+000A"), problem
    assert "'>'" not in problem and "block" not in problem, problem


def test_a_title_past_the_limit_is_placed(tmp_path):
    data = ("id,claim,A,B\n#title," + "t" * 301 + ",,\ne1,x,0.7,0.2\n").encode()
    assert _one(tmp_path, "t.csv", data, "301 characters").startswith(":2:2: #title is 301")


def test_a_hypothesis_label_over_two_lines_is_placed_at_its_header_cell(tmp_path):
    data = b'id,claim,"A\nB",C\ne1,x,0.7,0.2\n'
    problem = _one(tmp_path, "l.csv", data, "LINE FEED")
    assert problem.startswith(":1:3: hypothesis label contains"), problem
    assert "block" not in problem, problem


def test_more_hypothesis_columns_than_a_case_holds_are_placed_at_the_first_past_it(tmp_path):
    header = ",".join(["id", "claim", *(f"h{k}" for k in range(101)), "kind"])
    row = ",".join(["e1", "x", *("0.5" for _ in range(101)), "evidence"])
    problem = _one(tmp_path, "h.csv", f"{header}\n{row}\n".encode(), "more than 100 hypothesis")
    assert problem.startswith(":1:103: "), problem
