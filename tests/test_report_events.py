"""JSON and console output of events, key assumptions, tags and retracted items."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import numpy as np
from rich.console import Console
from test_loader import HYP, write
from test_loader_events import EVI
from typer.testing import CliRunner

from analysis import analyze
from analysis.casefile.loader import load_case
from analysis.cli import app
from analysis.report.console import print_analysis
from analysis.report.json_output import to_json

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "contract" / "analyze-output.schema.json"


def test_json_gives_events_and_assumptions_and_meets_the_contract(tmp_path):
    root = write(tmp_path, hyp=HYP, evi=EVI)
    result = CliRunner().invoke(app, ["analyze", "demo", "--root", str(root), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    analysis = analyze(load_case("demo", root))
    photo, rated = data["events"]
    assert (photo["id"], photo["items"], rated["items"]) == ("photo", ["e1"], [])
    assert photo["posterior_without"] == {
        h: float(p) for h, p in zip("abc", analysis.events[0].posterior_without, strict=True)
    }
    assert rated["contribution"] == {"a": 0.0, "b": 0.0, "c": 0.0}
    (genuine,) = data["assumptions"]
    assert genuine["id"] == "genuine" and genuine["items"] == ["e1", "e3"]  # not the retracted e2
    assert genuine["leader_if_fails"] == "a"  # nothing left: the prior's leader
    np.testing.assert_allclose(list(genuine["posterior_if_fails"].values()), [0.5, 0.25, 0.25])
    e1, e2, _ = data["evidence"]
    assert (e1["event"], e1["tags"], e1["retracted"]) == ("photo", ["imagery", "official"], False)
    assert e2["retracted"] is True and all(v == 0 for v in e2["contribution"].values())
    assert any("'rated' is reported by no item" in w for w in data["warnings"])


def test_json_has_no_event_keys_for_a_case_without_them(repo_root):
    data = to_json(analyze(load_case("office-leak", repo_root)))
    assert "events" not in data and "assumptions" not in data
    assert data["heuer"]["note"] is None


def test_console_prints_the_events_and_key_assumptions_tables(tmp_path):
    two_reports = EVI.replace("    retracted: true\n", "")
    analysis = analyze(load_case("demo", write(tmp_path, hyp=HYP, evi=two_reports)))
    console = Console(width=200, record=True)
    print_analysis(analysis, console)
    text = console.export_text()
    assert "Events: reports of one observation weighed once" in text
    assert "Key assumptions: if one fails" in text
    assert "genuine: The photograph is genuine." in text
    assert "e1 (event photo)" in text
    assert "Heuer's count:" in text and "'photo' (2 reports)" in text


def test_console_marks_a_retracted_item(tmp_path):
    analysis = analyze(load_case("demo", write(tmp_path, hyp=HYP, evi=EVI)))
    console = Console(width=200, record=True)
    print_analysis(analysis, console)
    assert "e2 (event photo) retracted" in console.export_text()
