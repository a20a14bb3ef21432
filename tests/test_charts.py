"""The shared Altair charts: they build for every bundled case, render offline, and show
exactly the engine's numbers."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from analysis.casefile.loader import load_case
from analysis.engine import bayes
from analysis.engine.analyzer import UncertaintySummary, analyze
from analysis.engine.sensitivity import tornado
from analysis.report import charts
from analysis.scales import format_percent
from analysis.testing.synthetic import make_case, synthetic_case

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted(p.stem for p in (ROOT / "hypotheses").glob("*.yaml"))
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _with_interval(analysis):
    """The analysis with a made-up 90% interval, to exercise the whiskers without PyMC."""
    p = analysis.posterior
    summary = UncertaintySummary(p, np.clip(p - 0.1, 0, 1), np.clip(p + 0.1, 0, 1), 1.0, 400.0)
    return analyze(analysis.case, uncertainty=summary)


@pytest.fixture(scope="module", params=CASES)
def bundled(request):
    return analyze(load_case(request.param, ROOT))


def _all_charts(analysis):
    return {
        "posterior": charts.posterior_chart(analysis, title="Posterior"),
        "posterior-interval": charts.posterior_chart(_with_interval(analysis)),
        "contribution": charts.contribution_chart(analysis, title="Contribution"),
        "contribution-diag": charts.contribution_chart(analysis, sort="diagnosticity"),
        "trajectory": charts.trajectory_chart(analysis, title="Trajectory"),
        "waterfall": charts.waterfall_chart(analysis, title="Waterfall"),
        "waterfall-top": charts.waterfall_chart(analysis, top=5),
        "tornado": charts.tornado_chart(tornado(analysis), leader_label="the leader"),
    }


def test_bundled_cases_exist():
    assert {"nk-hamas", "office-leak"} <= set(CASES)


def test_every_chart_renders_to_png(bundled):
    for name, chart in _all_charts(bundled).items():
        png = charts.chart_png(chart, scale=1.0)
        assert png.startswith(PNG_MAGIC), name
        assert len(png) > 2000, name


def test_svg_render_needs_no_remote_resources(bundled):
    svg = charts.chart_svg(charts.posterior_chart(bundled))
    assert svg.lstrip().startswith("<svg")
    assert "http://" not in svg.replace("http://www.w3.org", "")
    assert "https://" not in svg


def test_specs_carry_inline_data_only(bundled):
    for name, chart in _all_charts(bundled).items():
        spec = chart.to_dict()
        text = repr(spec)
        assert "'url'" not in text, name


def test_colours_are_stable_and_distinct(bundled):
    case = bundled.case
    first = charts.hypothesis_colours(case)
    assert list(first) == list(case.hypothesis_ids)
    assert first == charts.hypothesis_colours(case)
    assert len(set(first.values())) == len(first)
    assert all(c in charts.OKABE_ITO for c in first.values())


def test_colours_distinct_up_to_many_hypotheses():
    case = synthetic_case(k=12, n=3)
    colours = charts.hypothesis_colours(case)
    assert len(set(colours.values())) == 12
    # by file order: adding a hypothesis never changes the colours of the others
    assert list(colours.values())[:8] == list(charts.OKABE_ITO)


def test_contribution_rows_sum_to_posterior_logits(bundled):
    data = charts.contribution_data(bundled)
    summed = data[data["kind"] != "total"].groupby("id", sort=False)["db"].sum()
    expected = bayes.centred_decibans(np.log(bundled.posterior))
    ids = list(bundled.case.hypothesis_ids)
    np.testing.assert_allclose(summed[ids].to_numpy(), expected, atol=1e-9)
    totals = data[data["kind"] == "total"].set_index("id")["db"]
    np.testing.assert_allclose(totals[ids].to_numpy(), expected, atol=1e-9)
    # one row per item and hypothesis, plus the prior and total rows
    n, k = bundled.contribution.shape
    assert len(data) == (n + 2) * k


def test_contribution_shown_values_round_to_one_decimal(bundled):
    data = charts.contribution_data(bundled)
    assert (data["shown"] == data["db"].round(1)).all()


def test_posterior_chart_text_uses_format_percent_and_words(bundled):
    data = charts.posterior_data(bundled)
    assert list(data["label"]) == [h.label for h in bundled.case.hypotheses]
    assert list(data["percent"]) == [format_percent(float(p)) for p in bundled.posterior]
    assert list(data["word"]) == bundled.words()


def test_posterior_chart_interval_columns_only_with_uncertainty(bundled):
    assert "low" not in charts.posterior_data(bundled)
    data = charts.posterior_data(_with_interval(bundled))
    np.testing.assert_allclose(data["high"], np.clip(bundled.posterior + 0.1, 0, 1))


def test_waterfall_ends_at_the_posterior_log_odds(bundled):
    lead, run = bundled.leader, bundled.runner_up
    expected = bayes.DB * np.log(bundled.posterior[lead] / bundled.posterior[run])
    for top in (None, 3):
        data = charts.waterfall_data(bundled, top=top)
        assert data["step"].iloc[0] == "prior"
        assert data["end"].iloc[-1] == pytest.approx(expected)
        items = data[data["kind"] == "item"]
        assert np.allclose(items["start"].to_numpy()[1:], items["end"].to_numpy()[:-1])


def test_trajectory_ends_at_the_posterior_and_starts_at_the_prior(bundled):
    data = charts.trajectory_data(bundled)
    ids = list(bundled.case.hypothesis_ids)
    first = data.groupby("id", sort=False)["posterior"].first()[ids].to_numpy()
    last = data.groupby("id", sort=False)["posterior"].last()[ids].to_numpy()
    np.testing.assert_allclose(first, bundled.prior)
    np.testing.assert_allclose(last, bundled.posterior)


def test_trajectory_with_undated_items_only():
    case = make_case([[0.8, 0.2], [0.6, 0.4]])
    analysis = analyze(case)
    data = charts.trajectory_data(analysis)
    assert list(data["when"].unique()) == [0, 1, 2]
    assert charts.chart_png(charts.trajectory_chart(analysis), scale=1.0).startswith(PNG_MAGIC)


def test_trajectory_puts_undated_items_after_the_last_date():
    case = make_case([[0.8, 0.2], [0.6, 0.4], [0.3, 0.7]], dates=["2024-01-05", None, "2024-01-01"])
    data = charts.trajectory_data(analyze(case))
    steps = list(dict.fromkeys(data["step"]))
    assert steps == ["prior", "2024-01-01", "2024-01-05", "+1 undated"]
    whens = list(dict.fromkeys(data["when"]))
    assert whens == sorted(whens)


def test_tornado_chart_handles_no_bars():
    assert charts.chart_png(charts.tornado_chart([]), scale=1.0).startswith(PNG_MAGIC)


def test_markup_in_labels_stays_literal():
    case = make_case([[0.8, 0.2], [0.6, 0.4]])
    odd = [
        h.__class__(h.id, label, h.description)
        for h, label in zip(case.hypotheses, ['<b>"bold"</b> & co', "Ünïcødé ✓ 北"], strict=True)
    ]
    case = case.with_changes(hypotheses=tuple(odd))
    analysis = analyze(case)
    for chart in _all_charts(analysis).values():
        assert charts.chart_png(chart, scale=1.0).startswith(PNG_MAGIC)


def test_font_directory_holds_dejavu():
    folder = charts.font_directory()
    assert folder is not None
    assert (folder / "DejaVuSans.ttf").is_file()


def test_wrapped_column_headers_are_one_text_a_line():
    """A text with line breaks printed a wrapped Arabic label's lines over each other in
    vl-convert: each line of a header is its own row, the lines stacked 12 px apart with
    the last just above the colour strip."""
    case = make_case([[0.8, 0.3], [0.4, 0.6]])
    first = replace(case.hypotheses[0], label="كتائب عز الدين القسام")
    case = case.with_changes(hypotheses=(first, *case.hypotheses[1:]))
    spec = charts.contribution_chart(analyze(case)).to_dict()
    assert "lineBreak" not in str(spec)
    rows = [
        row
        for data in spec["datasets"].values()
        for row in data
        if "head" in row and row["label"] == "كتائب عز الدين القسام"
    ]
    assert len(rows) >= 2 and " ".join(r["head"] for r in rows) == "كتائب عز الدين القسام"
    tops = [r["top"] for r in rows]
    assert all(b - a == 12 for a, b in itertools.pairwise(tops))


def test_the_dashboard_caps_the_contribution_grid_width():
    """12 hypotheses with long labels ran past a 1400 px window's column: the grid takes
    at most ``max_width``, its columns narrowed; a case that fits keeps its own width."""
    labels = [f"Hypothesis {k:02d} with a deliberately long label" for k in range(12)]
    case = make_case(np.full((3, 12), 0.5) + np.eye(3, 12) * 0.3)
    case = case.with_changes(
        hypotheses=tuple(
            replace(h, label=text) for h, text in zip(case.hypotheses, labels, strict=True)
        )
    )
    widths = lambda spec: [v["width"] for v in spec["vconcat"]]  # noqa: E731
    wide = charts.contribution_chart(analyze(case)).to_dict()
    capped = charts.contribution_chart(analyze(case), max_width=560).to_dict()
    assert min(widths(wide)) > 560 and widths(capped) == [560, 560]
    small = charts.contribution_chart(analyze(make_case([[0.8, 0.3]])), max_width=560).to_dict()
    assert max(widths(small)) < 560


def test_a_word_longer_than_a_head_line_is_cut_to_fit_it():
    from analysis.report.charts._common import _wrap

    lines = _wrap("Hypothesis with a deliberately long label", 8)
    assert max(len(line) for line in lines) <= 8
    assert "".join(lines).replace(" ", "") == "Hypothesiswithadeliberatelylonglabel"
    assert _wrap("Direct supply since 2010", 12) == ["Direct", "supply since", "2010"]
