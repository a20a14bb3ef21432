"""A range so narrow that its width underflows (issue 9, points 4 and 5): a located
problem in ``ach validate`` and ``ach analyze``, and the dashboard keeps its sidebar."""

from __future__ import annotations

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from analysis.cli import app
from analysis.elicit import fit_beta_range
from analysis.errors import RangeFitError

runner = CliRunner()

HYP = """\
case: tiny
title: Tiny
question: Which?
hypotheses:
  - id: a
    label: Alpha
  - id: b
    label: Beta
"""
EVI = """\
case: tiny
sources:
  - id: s
    name: Source S
    credibility: CREDIBILITY
evidence:
  - id: e1
    claim: First claim
    source: s
    likelihoods: {a: 0.7, b: RANGE}
"""
FIX = "no Beta distribution puts 90% of its mass in that range; widen it"


def write(root, likelihood: str = "0.2", credibility: str = "0.8"):
    evi = EVI.replace("RANGE", likelihood).replace("CREDIBILITY", credibility)
    for folder, text in (("hypotheses", HYP), ("evidence", evi)):
        (root / folder).mkdir(exist_ok=True)
        (root / folder / "tiny.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("command", ["validate", "analyze"])
@pytest.mark.parametrize(
    ("value", "shown"),
    [("[0, 1.0e-170]", "[0, 1e-170]"), ("[1.0e-200, 2.0e-200]", "[1e-200, 2e-200]")],
)
def test_a_vanishing_likelihood_range_is_a_located_problem(tmp_path, command, value, shown):
    result = runner.invoke(app, [command, "tiny", "--root", str(write(tmp_path, value))])
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        f"evidence/tiny.yaml:10: evidence 'e1' likelihood for 'b' is {shown}; {FIX}"
    ]


def test_a_vanishing_credibility_range_is_a_located_problem(tmp_path):
    root = write(tmp_path, credibility="[0.9999999999999999, 1.0]")
    result = runner.invoke(app, ["validate", "tiny", "--root", str(root)])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith("evidence/tiny.yaml:5: source 's' credibility is [")
    assert line.endswith(FIX)


@settings(max_examples=40, deadline=None)
@given(
    low=st.sampled_from([0.0, 1e-200, 0.3, 0.5, 1.0 - 2.0**-52]),
    width=st.floats(min_value=5e-324, max_value=1e-100),
)
def test_the_fit_raises_only_range_fit_errors_and_never_returns_nonsense(low, width):
    high = min(1.0, low + width)
    if not low < high:
        return
    try:
        a, b = fit_beta_range(low, high)
    except RangeFitError:
        return
    assert a > 0 and b > 0 and a < float("inf") and b < float("inf")


@pytest.mark.xdist_group("app")
def test_the_dashboard_shows_the_problem_and_keeps_its_sidebar(tmp_path):
    root = write(tmp_path, "[0, 1.0e-170]")
    at = AppTest.from_file(str(ROOT / "app" / "streamlit_app.py"), default_timeout=600)
    at.session_state["root"] = str(root)
    at.run()
    assert not at.exception, at.exception
    assert any("has problems" in e.value for e in at.error)
    assert any(FIX in c.value for c in at.code)
    assert at.sidebar.radio(key="page") is not None
    at.sidebar.radio(key="page").set_value("matrix").run()  # the sidebar still works
    assert not at.exception, at.exception
