"""What keeps the dashboard's cost to what is on screen (issue 11), checked for what it
shows: lazy expanders and tabs, the posterior chart built once per case, the scenario's
YAML made only when downloaded. (No timings here: benchmarks/app.py measures them.)"""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import ROOT, open_items, start_app, weigh_tab

from analysis import scenario
from analysis.casefile.loader import load_case
from analysis.engine.analyzer import analyze
from analysis.scenario.adjustments import Adjustments, apply

pytestmark = pytest.mark.xdist_group("app")

ITEM, HYPOTHESIS = "jcs-channel-unstated", "direct"


def test_the_weigh_page_draws_the_sliders_of_open_items_and_the_chosen_tab_only():
    case = load_case("nk-hamas", ROOT)
    at = start_app(ROOT, "weigh")
    assert [s.key for s in at.slider] == []  # every item closed, the Likelihoods tab
    labels = [e.label for e in at.expander]
    assert any(label.startswith(ITEM) for label in labels)
    open_items(at, ITEM)
    assert [s.key for s in at.slider] == [f"likelihood|{ITEM}|{h}" for h in case.hypothesis_ids]
    weigh_tab(at, "Priors")
    assert [s.key for s in at.slider] == [f"prior|{h}" for h in case.hypothesis_ids]
    weigh_tab(at, "Source credibility")
    assert [s.key for s in at.slider] == [f"credibility|{s.id}" for s in case.sources]


def test_a_move_made_with_a_closed_item_is_kept_and_shown_when_it_opens_again():
    at = open_items(start_app(ROOT, "weigh"), ITEM)
    at.slider(key=f"likelihood|{ITEM}|{HYPOTHESIS}").set_value(0.2).run()
    at.session_state[f"weigh_open:{ITEM}"] = False
    at.run()
    assert not at.slider  # closed: no slider, but the move still counts
    assert any("**1 change from the file**" in m.value for m in at.main.markdown)
    open_items(at, ITEM)
    assert at.slider(key=f"likelihood|{ITEM}|{HYPOTHESIS}").value == 0.2


def test_the_posterior_chart_with_new_numbers_is_the_chart_drawn_from_them():
    """The chart is built once per case; a move swaps its data for the moved analysis's
    (the spec is the same but for the dataset's name, the data byte for byte)."""
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    from analysis.report.charts import posterior_chart
    from analysis.report.charts.posterior import posterior_data
    from app.widgets import chart_spec_with, sized

    case = load_case("nk-hamas", ROOT)
    first = analyze(case)
    moved = analyze(apply(case, Adjustments(likelihoods={(ITEM, HYPOTHESIS): 0.1})))
    assert moved.percent(0) != first.percent(0)
    key = ("test-posterior", case.content_hash)
    chart_spec_with(
        key,
        lambda: posterior_chart(first, width=250, words=False),
        first_data := posterior_data(first),
    )

    def built_again():
        raise AssertionError("the chart was built again for the same case")

    swapped = chart_spec_with(key, built_again, posterior_data(moved))
    fresh = _convert_altair_to_vega_lite_spec(sized(posterior_chart(moved, width=250, words=False)))
    (name,), (fresh_name,) = swapped["datasets"], fresh["datasets"]
    assert swapped["datasets"][name] == fresh["datasets"][fresh_name]
    assert len(first_data) == len(case.hypotheses)

    def without_data(spec: dict, dataset: str) -> str:
        return json.dumps({k: v for k, v in spec.items() if k != "datasets"}).replace(dataset, "D")

    assert without_data(swapped, name) == without_data(fresh, fresh_name)


def test_the_export_page_writes_no_yaml_until_the_download_is_clicked(tmp_path, monkeypatch):
    """The whole case's YAML is made by the download button's callable, not by the page."""
    from app.views.context import View
    from app.views.export import scenario_file

    made = []
    real = scenario.scenario_yaml
    monkeypatch.setattr(scenario, "scenario_yaml", lambda *args: made.append(args) or real(*args))
    at = start_app(ROOT, "export")
    assert at.get("download_button") and made == []
    case = load_case("nk-hamas", ROOT)
    adjustments = Adjustments(likelihoods={(ITEM, HYPOTHESIS): 0.25})
    view = View(
        root=ROOT,
        file_case=case,
        adjustments=adjustments,
        analysis=analyze(apply(case, adjustments)),
        file_analysis=analyze(case),
    )
    download = scenario_file(view, "my-scenario")
    assert made == []
    hypotheses, evidence = yaml.safe_load_all(download())
    assert hypotheses["case"] == "my-scenario"
    item = next(i for i in evidence["evidence"] if i["id"] == ITEM)
    assert item["likelihoods"][HYPOTHESIS] == 0.25
    assert len(made) == 1


def test_a_long_cases_movement_page_draws_the_item_grid_when_asked(tmp_path):
    from analysis.casefile.writer import dump_yaml
    from analysis.testing.synthetic import synthetic_case
    from app.views.movement import LONG, WATERFALL_TOP

    case = synthetic_case(3, LONG + 20, seed=1)
    for sub, text in zip(("hypotheses", "evidence"), dump_yaml(case), strict=True):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / f"{case.name}.yaml").write_text(text, encoding="utf-8")
    at = start_app(tmp_path, "movement")
    assert len(at.get("vega_lite_chart")) == 2  # the trajectory and the waterfall
    assert any(f"the other {LONG + 20 - WATERFALL_TOP}" in c.value for c in at.caption)
    at.session_state["movement_grid"] = True
    at.run()
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) == 3
    seed = start_app(ROOT, "movement")  # a short case: every chart, as always
    assert len(seed.get("vega_lite_chart")) == 3 and not seed.main.expander
