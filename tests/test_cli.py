"""The command line, driven in-process."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from analysis.cli import app

runner = CliRunner()


def test_list(repo_root):
    result = runner.invoke(app, ["list", "--root", str(repo_root)])
    assert result.exit_code == 0
    assert "nk-hamas" in result.output.split()


def test_validate_ok(repo_root):
    result = runner.invoke(app, ["validate", "nk-hamas", "--root", str(repo_root)])
    assert result.exit_code == 0
    assert result.output.startswith("nk-hamas: ok")


def test_analyze_table(repo_root):
    result = runner.invoke(app, ["analyze", "nk-hamas", "--root", str(repo_root)])
    assert result.exit_code == 0, result.output
    assert "Bottom line" in result.output and "confidence" in result.output


def test_phia_yardstick(repo_root):
    result = runner.invoke(
        app, ["analyze", "nk-hamas", "--root", str(repo_root), "--json", "--yardstick", "phia"]
    )
    assert json.loads(result.output)["yardstick"] == "phia"


@pytest.fixture
def broken_root(tmp_path, repo_root):
    for folder in ("hypotheses", "evidence"):
        (tmp_path / folder).mkdir()
        shutil.copy(repo_root / folder / "nk-hamas.yaml", tmp_path / folder / "bad.yaml")
    hyp = tmp_path / "hypotheses" / "bad.yaml"
    hyp.write_text(hyp.read_text().replace("case: nk-hamas", "case: bad"))
    ev = tmp_path / "evidence" / "bad.yaml"
    text = ev.read_text().replace("case: nk-hamas", "case: bad")
    ev.write_text(text.replace("likelihoods: {direct: ", "likelihoods: {direct: 1.4, x: ", 1))
    return tmp_path


@pytest.mark.parametrize("command", ["validate", "analyze", "brief"])
def test_bad_input_exits_2_with_located_lines(broken_root, command, tmp_path):
    args = [command, "bad", "--root", str(broken_root)]
    if command == "brief":
        args += ["-o", str(tmp_path / "out.pdf")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines and all(line.startswith("evidence/bad.yaml:") for line in lines)
    assert any("1.4" in line for line in lines)


def test_case_name_cannot_escape_root(repo_root):
    result = runner.invoke(app, ["analyze", "../main/nk-hamas", "--root", str(repo_root)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_missing_case(tmp_path):
    result = runner.invoke(app, ["validate", "nothing", "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert "hypotheses/nothing.yaml" in result.output


def test_bad_yardstick(repo_root):
    result = runner.invoke(app, ["analyze", "nk-hamas", "--yardstick", "x"])
    assert result.exit_code == 2
