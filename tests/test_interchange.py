"""Import and export (``ach import``, ``ach export``): round trips and hostile files.

Every hostile file exits 2 with one located line per problem, no traceback, and writes
nothing under the root.
"""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT
from typer.testing import CliRunner

from analysis.casefile.loader import list_cases, load_case
from analysis.cli import app
from analysis.engine import analyze
from analysis.interchange import export_case, export_warnings, read_foreign
from analysis.interchange.common import to_case
from analysis.interchange.guard import MAX_EXPANDED_BYTES
from analysis.report.json_output import to_json

runner = CliRunner()
DATA = Path(__file__).parent / "data"
BUNDLED = list_cases(ROOT)
#: a small case with every optional part (events, assumptions, tags, a retraction)
EXTRA = DATA / "cases"
CASES = [*BUNDLED, *list_cases(EXTRA)]


def _bundled(name: str):
    return load_case(name, ROOT if name in BUNDLED else EXTRA)


#: the parts of ``ach analyze --json`` that make "the same analysis"
SAME = ("hypotheses", "prior", "posterior", "words", "confidence", "evidence", "trajectory",
        "heuer", "indicators", "events", "assumptions")  # fmt: skip


def _reimport(case, fmt: str, name: str = "copy"):
    imported = read_foreign(export_case(case, fmt), f"copy.{fmt}", fmt).named(name)
    return to_case(imported.hypotheses, imported.evidence, f"copy.{fmt}")


def _import(tmp_path: Path, file: Path, *extra: str):
    return runner.invoke(
        app, ["import", str(file), "--case", "imported", "--root", str(tmp_path / "root"), *extra]
    )


def _written(tmp_path: Path) -> list[Path]:
    root = tmp_path / "root"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# -- round trips ----------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", CASES)
def test_spreadsheet_round_trip_gives_the_same_analysis(name, fmt):
    case = _bundled(name)
    before, after = to_json(analyze(case)), to_json(analyze(_reimport(case, fmt)))
    assert before.keys() == after.keys()
    for key in SAME:
        assert after.get(key) == before.get(key), key
    assert _reimport(case, fmt).to_data()[1]["sources"] == case.to_data()[1]["sources"]


@pytest.mark.parametrize("name", CASES)
def test_achz_round_trip_gives_the_same_ratings(name):
    case = _bundled(name)
    before, after = analyze(case).heuer, analyze(_reimport(case, "achz")).heuer
    kept = ~case.retracted_mask  # PARC ACH cannot hold a retracted item: it is left out
    assert (after.ratings == before.ratings[kept]).all()
    assert list(after.inconsistency) == list(before.inconsistency)
    assert list(after.weighted_inconsistency) == pytest.approx(list(before.weighted_inconsistency))
    assert _reimport(case, "achz").marking == case.marking  # CLASSIFICATION, both ways


def test_an_achz_export_says_what_it_leaves_out(tmp_path):
    """It dropped the marking, retracted items and every indicator without a word."""
    out = tmp_path / "nk.achz"
    result = runner.invoke(
        app, ["export", "nk-hamas", "--format", "achz", "-o", str(out), "--root", str(ROOT)]
    )
    assert result.exit_code == 0, result.output
    (warning,) = [line for line in result.output.splitlines() if "warning" in line]
    assert warning.startswith(f"{out}: warning: a .achz holds ratings and credibility levels")
    assert "5 indicators" in warning and "4 key assumptions" in warning
    assert export_warnings(_bundled("nk-hamas"), "csv") == []


@pytest.mark.parametrize("name", CASES)
def test_json_export_is_the_case_documents(name):
    case = _bundled(name)
    data = json.loads(export_case(case, "json"))
    assert (data["hypotheses"], data["evidence"]) == tuple(
        json.loads(json.dumps(d)) for d in case.to_data()
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "achz"])
def test_cli_export_then_import_then_analyze(tmp_path, fmt):
    out = tmp_path / f"leak.{fmt}"
    result = runner.invoke(
        app, ["export", "office-leak", "--format", fmt, "-o", str(out), "--root", str(ROOT)]
    )
    assert result.exit_code == 0, result.output
    assert _import(tmp_path, out).exit_code == 0
    root = str(tmp_path / "root")
    assert runner.invoke(app, ["validate", "imported", "--root", root]).exit_code == 0
    analysed = runner.invoke(app, ["analyze", "imported", "--root", root, "--json"])
    assert analysed.exit_code == 0
    assert json.loads(analysed.output)["case"] == "imported"


def test_parc_fixture_imports_into_a_case_analyze_reads(tmp_path):
    raw = gzip.decompress((DATA / "parc-sample.achz").read_bytes())
    assert raw.startswith(b"\xff\xfe")  # UTF-16 with a byte order mark
    assert raw.decode("utf-16") == (DATA / "parc-sample.xml").read_text(encoding="utf-8")
    result = _import(tmp_path, DATA / "parc-sample.achz")
    assert result.exit_code == 0, result.output
    assert "3 hypotheses, 5 evidence items" in result.output
    case = load_case("imported", tmp_path / "root")
    assert case.labels["mechanical-failure"] == "Mechanical failure"
    first = case.evidence[0]
    assert first.ratings == {
        "mechanical-failure": "CC",
        "sabotage-by-the-crew": "N",
        "collision-with-an-unlit-vessel": "I",
    }
    assert first.date == "2023-11-15" and case.credibility_of(first).word == "high"
    assert first.tags == ("IMINT", "VDR") and case.evidence[1].tags == ("OSINT", "flagged")
    assert "Link: https://example.org" in case.evidence[1].rationale
    text = (tmp_path / "root" / "hypotheses" / "imported.yaml").read_text()
    assert "# Classification (from PARC ACH): Unclassified" in text
    analysed = runner.invoke(app, ["analyze", "imported", "--root", str(tmp_path / "root")])
    assert analysed.exit_code == 0


def test_example_sheet_in_the_readme_imports(tmp_path):
    result = _import(tmp_path, ROOT / "docs" / "example-matrix.csv")
    assert result.exit_code == 0, result.output
    case = load_case("imported", tmp_path / "root")
    assert len(case.hypotheses) == 3 and len(case.evidence) >= 3


def test_import_never_replaces_a_case_without_force(tmp_path):
    assert _import(tmp_path, DATA / "parc-sample.achz").exit_code == 0
    path = tmp_path / "root" / "evidence" / "imported.yaml"
    path.write_text(path.read_text() + "# mine\n")
    again = _import(tmp_path, DATA / "parc-sample.achz")
    assert again.exit_code == 2 and "already exists" in again.output
    assert path.read_text().endswith("# mine\n")
    assert _import(tmp_path, DATA / "parc-sample.achz", "--force").exit_code == 0
    assert not path.read_text().endswith("# mine\n")


def test_export_neutralises_formulas():
    case = load_case("office-leak", ROOT)
    item = case.evidence[0]
    evil = case.with_changes(
        evidence=(item.__class__(**{**item.__dict__, "claim": "=HYPERLINK(\"x\")",
                                    "rationale": "@SUM(A1)"}), *case.evidence[1:])
    )  # fmt: skip
    text = export_case(evil, "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM" in text
    sheet = openpyxl.load_workbook(io.BytesIO(export_case(evil, "xlsx"))).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    back = _reimport(evil, "csv").evidence[0]
    assert back.claim == '=HYPERLINK("x")' and back.rationale == "@SUM(A1)"


def test_encodings_are_read(tmp_path):
    text = "id,claim,source,Théorie A,Théorie B\ne1,Le café a fermé,presse,C,I\n"
    for codec, bom in (("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("latin-1", b"")):
        path = tmp_path / f"{codec}.csv"
        path.write_bytes(bom + text.encode(codec))
        result = _import(tmp_path, path, "--force")
        assert result.exit_code == 0, (codec, result.output)
        case = load_case("imported", tmp_path / "root")
        assert case.labels["th-orie-a"] == "Théorie A" and case.evidence[0].claim.endswith("fermé")


# -- hostile files ---------------------------------------------------------------------------
def _refused(tmp_path: Path, name: str, data: bytes, *expected: str, extra=()) -> list[str]:
    path = tmp_path / name
    path.write_bytes(data)
    result = _import(tmp_path, path, *extra)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # typer.Exit(2), not a crash
    lines = result.output.strip().splitlines()
    assert all(line.startswith(str(path)) or line.startswith("--") for line in lines), lines
    for text in expected:
        assert any(text in line for line in lines), (text, lines)
    assert _written(tmp_path) == []
    return lines


def _achz(xml: str) -> bytes:
    return gzip.compress(xml.encode("utf-16"))


MATRIX = (
    "<P><MATRIX><HYPOTHESIS><NAME>A</NAME></HYPOTHESIS><HYPOTHESIS><NAME>B</NAME></HYPOTHESIS>"
    "{}</MATRIX></P>"
)


def test_gzip_bomb_is_capped(tmp_path):
    bomb = gzip.compress(b"<" + b" " * (MAX_EXPANDED_BYTES + 10), compresslevel=9)
    assert len(bomb) < MAX_EXPANDED_BYTES // 100
    _refused(tmp_path, "bomb.achz", bomb, "expands to more than")


def test_not_gzip_and_truncated_gzip(tmp_path):
    _refused(tmp_path, "plain.achz", b"<P/>", "is not gzip-compressed")
    _refused(tmp_path, "cut.achz", _achz(MATRIX)[:-12], "truncated gzip")


def test_entity_expansion_is_refused(tmp_path):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><P>&lol2;</P>'
    )
    _refused(tmp_path, "laughs.achz", _achz(laughs), "refused")


def test_external_entity_and_dtd_are_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    xxe = f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file://{secret}">]><P>&x;</P>'
    lines = _refused(tmp_path, "xxe.achz", _achz(xxe), "refused")
    assert not any("password" in line for line in lines)
    _refused(tmp_path, "dtd.achz", _achz('<!DOCTYPE P SYSTEM "http://x/p.dtd"><P/>'), "refused")


def test_xml_nested_past_the_depth_limit_is_refused_without_recursion(tmp_path):
    """990 levels once ended in a RecursionError (a traceback, exit 1)."""
    from analysis.interchange.achz import MAX_XML_DEPTH

    deep = "<P>" + "<Z>" * 990 + "</Z>" * 990 + "</P>"
    _refused(tmp_path, "deep.achz", _achz(deep), f"more than {MAX_XML_DEPTH} deep")


def test_an_unknown_element_is_warned_of_once_however_often_it_appears(tmp_path):
    evidence = "<EVIDENCE><NAME>one</NAME><VALUES>C, I</VALUES><ODD/></EVIDENCE>"
    path = tmp_path / "odd.achz"
    text = MATRIX.format(evidence * 300)
    path.write_bytes(_achz(text))
    result = _import(tmp_path, path)
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if "ODD" in line]
    # a matrix on one line: the column (1-based) is where the first <ODD/> begins
    assert "\n" not in text
    column = text.index("<ODD/>") + 1
    assert warned == [
        f"{path}:1:{column}: warning: element ODD is not known (300 times, the first here); ignored"
    ]


def test_malformed_xml_is_located(tmp_path):
    lines = _refused(tmp_path, "bad.achz", _achz("<P>\n<MATRIX>\n</P>"), "not well-formed XML")
    assert lines[0].split(":")[1:3] == ["3", "3"]


def test_values_of_the_wrong_length_and_unknown_codes(tmp_path):
    evidence = (
        "<EVIDENCE><NAME>one</NAME><VALUES>C</VALUES></EVIDENCE>\n"
        "<EVIDENCE><NAME>two</NAME><VALUES>C, X</VALUES></EVIDENCE>"
    )
    lines = _refused(
        tmp_path, "values.achz", _achz(MATRIX.format("\n" + evidence)),
        "VALUES has 1 rating(s); the matrix has 2", "rating 'X' under 'B' is unknown",
    )  # fmt: skip
    assert len(lines) == 2 and ":2:" in lines[0] and ":3:" in lines[1]


def test_empty_files(tmp_path):
    _refused(tmp_path, "empty.csv", b"", "is empty")
    _refused(tmp_path, "empty.achz", b"", "is empty")
    _refused(tmp_path, "empty.xlsx", b"   \n", "is empty")
    _refused(tmp_path, "header.csv", b"id,claim,A,B\n", "no item rows")
    _refused(tmp_path, "nothing.achz", _achz(MATRIX.format("")), "has no EVIDENCE")


def test_malformed_csv_and_rows_of_the_wrong_length(tmp_path):
    _refused(tmp_path, "quote.csv", b'id,claim,A,B\ne1,"open quote,C,I\n', "not valid CSV")
    lines = _refused(
        tmp_path, "rows.csv", b"id,claim,A,B\ne1,one,C,I,extra\ne2,two,C\ne3,three,C,I\n",
        "row has 5 cells; the header has 4", "row has 3 cells; the header has 4",
    )  # fmt: skip
    assert [line.split(":")[1] for line in lines] == ["2", "3"]


def test_unknown_ratings_and_bad_numbers_are_located_by_row_and_column(tmp_path):
    lines = _refused(
        tmp_path, "cells.csv", b"id,claim,A,B\ne1,one,C,Q\ne2,two,1.4,[0.5 0.8]\ne3,three,,C\n",
        "under 'B' is 'Q'", "under 'A' is 1.4; must be between 0 and 1", "under 'A' is empty",
    )  # fmt: skip
    assert [tuple(line.split(":")[1:3]) for line in lines] == [
        ("2", "4"), ("3", "3"), ("3", "4"), ("4", "3")
    ]  # fmt: skip


def test_duplicate_ids(tmp_path):
    _refused(tmp_path, "dup.csv", b"id,claim,A,B\ne1,one,C,I\ne1,two,C,I\n", "also on row 2")
    _refused(tmp_path, "hyp.csv", b"id,claim,A,A\ne1,one,C,I\n", "repeats another")


def test_wrong_encoding_is_refused_clearly(tmp_path):
    _refused(tmp_path, "nul.csv", b"id,claim\x00\x01\x02,A,B\nx\x00y\x00z\x00,C\n", "NUL")
    _refused(tmp_path, "odd.csv", b"\xff\xfe" + "id,claim,A,B\n".encode("utf-16-le")[:-1],
             "not valid UTF-16-LE")  # fmt: skip


def _xlsx(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_malformed_xlsx(tmp_path):
    _refused(tmp_path, "text.xlsx", b"id,claim,A,B\n", "is not an XLSX workbook")
    _refused(tmp_path, "junk.xlsx", _xlsx({"hello.txt": b"hi"}), "not a readable XLSX")
    good = export_case(load_case("office-leak", ROOT), "xlsx")
    _refused(tmp_path, "cut.xlsx", good[: len(good) // 2], "XLSX")


def test_xlsx_zip_bomb_and_member_count_are_capped(tmp_path):
    bomb = _xlsx({"xl/big.xml": b" " * (MAX_EXPANDED_BYTES + 1)})
    _refused(tmp_path, "bomb.xlsx", bomb, "expands to")
    many = _xlsx({f"m{i}.xml": b"" for i in range(600)})
    _refused(tmp_path, "many.xlsx", many, "zip members")


def test_xlsx_with_entities_is_refused(tmp_path):
    good = zipfile.ZipFile(io.BytesIO(export_case(load_case("office-leak", ROOT), "xlsx")))
    members = {name: good.read(name) for name in good.namelist()}
    members["xl/worksheets/sheet1.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<worksheet>&b;</worksheet>"
    )
    _refused(tmp_path, "laughs.xlsx", _xlsx(members), "XLSX")


@pytest.mark.parametrize("name", ["../outside", "a/b", "UPPER", "", "x\n"])
def test_case_name_escaping_the_root_is_refused(tmp_path, name):
    path = tmp_path / "m.achz"
    path.write_bytes((DATA / "parc-sample.achz").read_bytes())
    result = runner.invoke(
        app, ["import", str(path), "--case", name, "--root", str(tmp_path / "root")]
    )
    assert result.exit_code == 2 and "case name" in result.output
    assert _written(tmp_path) == []


def test_a_folder_linked_outside_the_root_is_refused(tmp_path):
    (tmp_path / "root").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "root" / "hypotheses").symlink_to(tmp_path / "elsewhere")
    result = _import(tmp_path, DATA / "parc-sample.achz")
    assert result.exit_code == 2 and "outside" in result.output
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_unknown_format_and_missing_file(tmp_path):
    path = tmp_path / "case.txt"
    path.write_text("x")
    assert "names no known format" in _import(tmp_path, path).output
    assert "no such file" in _import(tmp_path, tmp_path / "none.csv").output


def test_event_rows_and_their_reports(tmp_path):
    sheet = (
        "id,claim,source,kind,event,retracted,rests_on,tags,A,B\n"
        "seen,The van was seen.,police,event,,,,,0.8,0.2\n"
        "r1,A neighbour saw the van.,neighbour,evidence,seen,,,witness; night,,\n"
        "r2,A second report.,press,,seen,maybe,,,C,\n"
        "key,The van is the thieves'.,,assumption,,,seen; r1,,,\n"
    )
    lines = _refused(tmp_path, "events.csv", sheet.encode(), "leave its hypothesis cells empty",
                     "retracted is 'maybe'")  # fmt: skip
    assert [tuple(line.split(":")[1:3]) for line in lines] == [("4", "6"), ("4", "9")]
    fixed = sheet.replace("seen,maybe,,,C,", "seen,true,,,,")
    path = tmp_path / "fixed.csv"
    path.write_text(fixed)
    assert _import(tmp_path, path).exit_code == 0
    case = load_case("imported", tmp_path / "root")
    assert [e.id for e in case.events] == ["seen"] and case.evidence[1].retracted
    assert case.evidence[0].tags == ("witness", "night")
    assert case.assumptions[0].rests_on == ("seen", "r1")


def test_a_formula_with_no_saved_result_is_located_not_read_as_empty(tmp_path):
    """A workbook written by a program that does not calculate (openpyxl here) holds its
    formulas' text and no results: each such cell is a located problem; the same
    workbook with its results saved (as a spreadsheet program saves it) imports."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "claim", "A", "B"])
    sheet.append(["e1", '=CONCATENATE("Seen ", "at the port")', "C", "I"])
    sheet.append(["e2", "Second claim", "=0.5+0.2", "C"])
    out = io.BytesIO()
    book.save(out)
    lines = _refused(
        tmp_path, "formulas.xlsx", out.getvalue(), "holds the formula =0.5+0.2 but no saved result"
    )
    assert [line.split(":")[1:3] for line in lines] == [["2", "2"], ["3", "3"]]
    assert "holds the formula =CONCATENATE(" in lines[0] and "type the value" in lines[0]
    # what a spreadsheet program saves: the formula and its cached result
    saved = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(saved)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet_xml = members["xl/worksheets/sheet1.xml"].decode()
    sheet_xml = sheet_xml.replace("<f>0.5+0.2</f><v></v>", "<f>0.5+0.2</f><v>0.7</v>")
    sheet_xml = sheet_xml.replace(
        '<c r="B2"><f>CONCATENATE("Seen ", "at the port")</f><v></v>',
        '<c r="B2" t="str"><f>CONCATENATE("Seen ", "at the port")</f><v>Seen at the port</v>',
    )
    members["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
    (tmp_path / "calculated.xlsx").write_bytes(_xlsx(members))
    result = _import(tmp_path, tmp_path / "calculated.xlsx")
    assert result.exit_code == 0, result.output


def test_achz_columns_count_from_the_files_own_declaration(tmp_path):
    """A long declaration (as PARC ACH writes it) does not shift the columns reported."""
    declaration = '<?xml version="1.0" encoding="UTF-16" standalone="yes"?>'
    evidence = "<EVIDENCE><NAME>one</NAME><VALUES>C, Q</VALUES></EVIDENCE>"
    text = declaration + MATRIX.format(evidence)
    path = tmp_path / "declared.achz"
    path.write_bytes(_achz(text))
    lines = _refused(tmp_path, "declared.achz", _achz(text), "rating 'Q'")
    assert lines[0].startswith(f"{path}:1:{text.index('<VALUES>') + 1}: ")


def _office_leak_members() -> dict[str, bytes]:
    good = zipfile.ZipFile(io.BytesIO(export_case(load_case("office-leak", ROOT), "xlsx")))
    return {name: good.read(name) for name in good.namelist()}


@pytest.mark.parametrize(
    "piece",
    [
        b"<!--" + b"x" * (2 << 20) + b"-->",  # a comment (no '<' in it)
        b"<!--" + b"<" * (2 << 20) + b"-->",  # a comment full of '<'
        b"<?pi " + b"x" * (2 << 20) + b"?>",  # a processing instruction
        b'<x a="' + b">" * (2 << 20) + b'"/>',  # an attribute holding '>'
    ],
)
def test_a_huge_xml_token_is_refused_before_the_parser_reads_it(tmp_path, piece):
    # Python 3.11's expat re-reads a token spanning its buffers at every buffer: a 49 MB
    # comment inside a 55 KB workbook took 53 s to import before this check
    members = _office_leak_members()
    sheet = members["xl/worksheets/sheet1.xml"]
    members["xl/worksheets/sheet1.xml"] = sheet.replace(b"</sheetData>", b"</sheetData>" + piece)
    _refused(tmp_path, "token.xlsx", _xlsx(members), "a piece of XML longer than 1 MB")


def test_a_sheet_of_more_cells_than_any_case_holds_is_refused_unparsed(tmp_path, monkeypatch):
    from analysis.interchange import guard

    monkeypatch.setattr(guard, "MAX_CELLS", 50)
    members = _office_leak_members()
    row = b"".join(b'<c t="n"><v>1</v></c>' for _ in range(10))
    rows = b"".join(b'<row r="%d">%s</row>' % (r, row) for r in range(100, 106))
    sheet = members["xl/worksheets/sheet1.xml"]
    members["xl/worksheets/sheet1.xml"] = sheet.replace(b"</sheetData>", rows + b"</sheetData>")
    _refused(
        tmp_path, "cells.xlsx", _xlsx(members), "cells in xl/worksheets/sheet1.xml; at most 50"
    )


def test_rows_past_a_stale_dimension_are_read_not_dropped(tmp_path):
    # openpyxl's read-only mode trusts <dimension>: a row after it vanished unseen
    members = _office_leak_members()
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    start = sheet.index("<dimension")
    end = sheet.index("/>", start) + 2
    members["xl/worksheets/sheet1.xml"] = (
        sheet[:start] + '<dimension ref="A1:B2"/>' + sheet[end:]
    ).encode()
    path = tmp_path / "stale.xlsx"
    path.write_bytes(_xlsx(members))
    result = _import(tmp_path, path)
    assert result.exit_code == 0, result.output
    imported = load_case("imported", tmp_path / "root")
    original = load_case("office-leak", ROOT)
    assert [i.id for i in imported.evidence] == [i.id for i in original.evidence]
    assert len(imported.hypotheses) == len(original.hypotheses)


def test_a_cell_naming_a_missing_shared_string_is_a_damaged_workbook(tmp_path):
    members = _office_leak_members()
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    # the first text cell of the data rows points at shared string 9999, which is none
    at = sheet.index('<c r="B2"')
    end = sheet.index("</c>", at) + 4
    members["xl/worksheets/sheet1.xml"] = (
        sheet[:at] + '<c r="B2" t="s"><v>9999</v></c>' + sheet[end:]
    ).encode()
    _refused(tmp_path, "sst.xlsx", _xlsx(members), "is a damaged XLSX workbook")


@pytest.mark.parametrize("joint", ["\n# evil: yes\ncase: pwn", "&#10;", "\u2028"])
def test_a_classification_over_several_lines_is_located_in_the_achz(tmp_path, joint):
    xml = MATRIX.format("<EVIDENCE><NAME>E</NAME><VALUES>C, I</VALUES></EVIDENCE>").replace(
        "<P>", f"<P><CLASSIFICATION>SEC{joint}RET</CLASSIFICATION>"
    )
    lines = _refused(tmp_path, "m.achz", _achz(xml), "CLASSIFICATION contains U+")
    assert all(":1:" in line for line in lines), lines  # the .achz's own line, not a YAML's
    assert "at character 4" in lines[0] and "'>'" not in lines[0], lines  # no YAML block here
    assert ("use a space" if joint == "\u2028" else "it must be one line") in lines[0], lines


@pytest.mark.parametrize("raw", ["soon", "1_696_982_400_000", "\u0661\u0666\u0669\u0666", "1e12"])
def test_a_date_that_is_not_ascii_milliseconds_is_located_in_the_achz(tmp_path, raw):
    node = f"<EVIDENCE><NAME>E</NAME><VALUES>C, I</VALUES><DATE>{raw}</DATE></EVIDENCE>"
    lines = _refused(tmp_path, "d.achz", _achz(MATRIX.format(node)), "must be milliseconds since")
    assert len(lines) == 1 and ":1:" in lines[0], lines


def test_a_date_in_milliseconds_becomes_the_items_iso_date(tmp_path):
    node = "<EVIDENCE><NAME>E</NAME><VALUES>C, I</VALUES><DATE>1696982400000</DATE></EVIDENCE>"
    path = tmp_path / "d.achz"
    path.write_bytes(_achz(MATRIX.format(node)))
    result = _import(tmp_path, path)
    assert result.exit_code == 0, result.output
    assert "date: '2023-10-11'" in (tmp_path / "root/evidence/imported.yaml").read_text()


def test_import_warnings_are_capped_like_problems(tmp_path):
    odd = "".join(f"<ODD{k}/>" for k in range(150))
    path = tmp_path / "odd.achz"
    path.write_bytes(
        _achz(MATRIX.format(f"<EVIDENCE><NAME>one</NAME><VALUES>C, I</VALUES>{odd}</EVIDENCE>"))
    )
    result = _import(tmp_path, path)
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if "warning: element ODD" in line]
    assert len(warned) == 100
    assert "... and 50 more warnings not shown" in result.output


def test_a_problem_of_the_built_case_names_no_line_of_text_the_user_never_saw(tmp_path):
    xml = (
        "<P><MATRIX><HYPOTHESIS><NAME>Same</NAME></HYPOTHESIS><HYPOTHESIS><NAME>Same</NAME>"
        "</HYPOTHESIS><EVIDENCE><NAME>E</NAME><VALUES>C, I</VALUES></EVIDENCE></MATRIX></P>"
    )
    lines = _refused(tmp_path, "same.achz", _achz(xml), "is the same as the label of another entry")
    assert not any("on line" in line for line in lines), lines


def test_a_sheet_making_too_large_a_case_says_so_of_the_case(tmp_path, monkeypatch):
    from analysis.casefile import limits

    monkeypatch.setattr(limits, "MAX_BYTES", 2000)
    rows = ["id,claim,source,A,B"] + [f"e{k},Claim {k},s,0.5,0.4" for k in range(80)]
    lines = _refused(tmp_path, "big.csv", "\n".join(rows).encode(), "makes a case of")
    assert not any(": is " in line and "MiB" in line for line in lines), lines


def test_a_cell_is_read_as_a_number_only_as_a_table_writes_one(tmp_path):
    # float() takes "0_7" as 7 and "1e999" as inf: the messages quoted numbers never written
    data = b"id,claim,source,A,B\ne1,Claim,s,0_7,0.3\ne2,Claim 2,s,1e999,0.3\n"
    lines = _refused(tmp_path, "cells.csv", data, "is '0_7'; give a rating", "is '1e999'")
    assert [line.split(": item")[0][-4:] for line in lines] == [":2:4", ":3:4"]
    path = tmp_path / "zero.csv"
    path.write_bytes(b"id,claim,source,A,B\ne1,Claim,s,-0,0.3\ne2,Claim 2,s,0.5,0.3\n")
    assert _import(tmp_path, path).exit_code == 0
    written = (tmp_path / "root" / "evidence" / "imported.yaml").read_text()
    assert "-0.0" not in written


def test_what_the_case_loader_finds_in_an_import_is_placed_at_its_row_and_column(tmp_path):
    long_name = "s" * 400
    data = f"id,claim,source,A,B\ne1,Claim,s,0.5,0.3\ne2,Claim 2,{long_name},0.5,0.3\n".encode()
    lines = _refused(tmp_path, "long.csv", data, "name is 400 characters long")
    assert lines == [f"{tmp_path / 'long.csv'}:3:3: " + lines[0].split(":3:3: ", 1)[1]], lines
    xml = (
        "<P><MATRIX><HYPOTHESIS><NAME>Same</NAME></HYPOTHESIS>\n<HYPOTHESIS><NAME>Same</NAME>"
        "</HYPOTHESIS>\n<EVIDENCE><NAME>E</NAME><VALUES>C, I</VALUES></EVIDENCE></MATRIX></P>"
    )
    lines = _refused(tmp_path, "same.achz", _achz(xml), "the label of another entry")
    assert lines[0].startswith(f"{tmp_path / 'same.achz'}:2:1: hypothesis 'same-2'"), lines
