"""The fast paths never pay for PyMC (or the dashboard's and the PDF's libraries)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pymc", "pytensor", "nutpie", "preliz", "arviz", "streamlit", "altair", "reportlab")


def _modules_after(code: str, cwd) -> set[str]:
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=cwd
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_import_analysis_is_lean(repo_root):
    loaded = _modules_after("import analysis", repo_root)
    assert not loaded & set(HEAVY)


def test_ach_analyze_does_not_import_pymc(repo_root):
    code = (
        "import contextlib, io\n"
        "from typer.testing import CliRunner\n"
        "from analysis.cli import app\n"
        "result = CliRunner().invoke(app, ['analyze', 'nk-hamas', '--json'])\n"
        "assert result.exit_code == 0, result.output\n"
        "result = CliRunner().invoke(app, ['analyze', 'nk-hamas'])\n"
        "assert result.exit_code == 0, result.output\n"
    )
    loaded = _modules_after(code, repo_root)
    assert "pymc" not in loaded and "pytensor" not in loaded
    assert "analysis.engine.analyzer" in loaded  # the analysis really ran
