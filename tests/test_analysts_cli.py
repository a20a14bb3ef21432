"""``ach analyze CASE --analysts [--pool ...]``, driven in-process on a small case."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from conftest import TOY_HYPOTHESES, write_case
from typer.testing import CliRunner

from analysis.cli import app

runner = CliRunner()

EVIDENCE = """\
case: toy
sources:
  - {id: s1, name: Source one, credibility: 0.8}
  - {id: s2, name: Source two, credibility: medium}
evidence:
  - {id: e1, claim: one, source: s1, likelihoods: {a: 0.8, b: 0.3, c: 0.2}}
  - {id: e2, claim: two, source: s2, likelihoods: {a: 0.4, b: 0.7, c: 0.5}}
"""
KIM = """\
case: toy
analyst: kim
likelihoods:
  e1: {a: 0.3}
credibility: {s2: 0.9}
rationale: {e1: Could be a copy.}
notes: Sceptical of source one.
"""
LEE = """\
case: toy
analyst: lee
priors: {a: 0.2, b: 0.4, c: 0.4}
"""


@pytest.fixture
def root(tmp_path) -> Path:
    write_case(tmp_path, TOY_HYPOTHESES, EVIDENCE)
    judgments = tmp_path / "judgments" / "toy"
    judgments.mkdir(parents=True)
    (judgments / "kim.yaml").write_text(KIM)
    (judgments / "lee.yaml").write_text(LEE)
    return tmp_path


def run(*args: str):
    return runner.invoke(app, ["analyze", *args])


def test_table_shows_every_analyst_the_pool_and_disagreements(root):
    result = run("toy", "--root", str(root), "--analysts")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Each analyst's posterior, and pooled" in out
    for name in ("case", "kim", "lee", "pooled (linear)"):
        assert name in out
    assert "Where the analysts disagree" in out and "e1 / a" in out and "s2 (credibility)" in out


def test_json_adds_the_contract_keys(root):
    result = run("toy", "--root", str(root), "--analysts", "--pool", "log", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data["analysts"]) == {"case", "kim", "lee"}
    assert data["pooled"]["method"] == "log"
    assert abs(sum(data["pooled"]["posterior"].values()) - 1) < 1e-12
    first = data["disagreements"][0]
    assert {"id", "hypothesis", "values", "swing"} <= set(first)
    swings = [d["swing"] for d in data["disagreements"]]
    assert swings == sorted(swings, reverse=True)
    by_id = {d["id"]: d for d in data["disagreements"]}
    assert by_id["s2"]["hypothesis"] is None and by_id["s2"]["values"]["kim"] == 0.9
    assert by_id["e1"]["hypothesis"] == "a" and by_id["e1"]["values"]["case"] == 0.8
    assert data["analysts"]["kim"]["notes"] == "Sceptical of source one."
    assert data["posterior"] == data["analysts"]["case"]["posterior"]


def test_pool_alone_implies_analysts(root):
    result = run("toy", "--root", str(root), "--pool", "linear", "--json")
    assert json.loads(result.output)["pooled"]["method"] == "linear"


def test_contract_schema(root, repo_root):
    path = repo_root.parent / "shared" / "contract" / "analyze-output.schema.json"
    if not path.exists():
        pytest.skip(f"contract schema not found at {path}")
    import jsonschema

    result = run("toy", "--root", str(root), "--analysts", "--json")
    jsonschema.validate(json.loads(result.output), json.loads(path.read_text()))


def test_bad_judgment_file_is_located_exit_2(root):
    (root / "judgments" / "toy" / "lee.yaml").write_text(
        textwrap.dedent(
            """\
            case: toy
            analyst: lee
            likelihoods:
              e3: {a: 0.5}
            """
        )
    )
    result = run("toy", "--root", str(root), "--analysts")
    assert result.exit_code == 2
    assert result.output.strip() == (
        "judgments/toy/lee.yaml:4: likelihoods names 'e3', which is no item, event or indicator "
        "of the case; the case has e1, e2"
    )
    assert "Traceback" not in result.output


def test_validate_checks_the_judgment_files_too(root):
    """``ach validate`` once said ok while a judgment file was broken."""
    result = runner.invoke(app, ["validate", "toy", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(", 2 analysts' judgments)")
    broken = "case: toy\nanalyst: lee\npriors: {z: 1}\n"
    (root / "judgments" / "toy" / "lee.yaml").write_text(broken)
    result = runner.invoke(app, ["validate", "toy", "--root", str(root)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert lines and all(line.startswith("judgments/toy/lee.yaml:3: ") for line in lines), lines


def test_unknown_pool_exit_2(root):
    result = run("toy", "--root", str(root), "--analysts", "--pool", "median")
    assert result.exit_code == 2
    assert "--pool is 'median'; choose one of: linear, log, bayes" in result.output


def test_no_judgments_only_the_case(root):
    for path in (root / "judgments" / "toy").iterdir():
        path.unlink()
    result = run("toy", "--root", str(root), "--analysts", "--json")
    data = json.loads(result.output)
    assert list(data["analysts"]) == ["case"] and data["disagreements"] == []
    assert data["pooled"]["posterior"] == data["posterior"]
    result = run("toy", "--root", str(root), "--analysts")
    assert "the case file is the only analyst" in result.output


def test_analysts_without_bayes_never_import_pymc(root):
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from typer.testing import CliRunner\n"
        "from analysis.cli import app\n"
        f"r = CliRunner().invoke(app, ['analyze', 'toy', '--root', {str(root)!r}, '--analysts'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "pymc" not in loaded and "pytensor" not in loaded
    assert "analysis.engine.pooling" in loaded
