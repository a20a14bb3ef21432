"""The dashboard on a case with events, tags, retracted items and key assumptions."""

from __future__ import annotations

import html

import numpy as np
import pytest
from conftest import ROOT, TOY_HYPOTHESES, open_items, start_app, weigh_open, write_case
from streamlit.testing.v1 import AppTest

from analysis.casefile.loader import load_case
from analysis.engine.analyzer import analyze
from analysis.scales import format_percent
from analysis.scenario.adjustments import Adjustments, apply
from app.views import PAGE_TITLES

APP = ROOT / "app" / "streamlit_app.py"
pytestmark = pytest.mark.xdist_group("app-events")

EVIDENCE = """\
case: toy
sources:
  - {id: s1, name: Source one, credibility: 0.8}
  - {id: s2, name: Source two, credibility: 0.6}
  - {id: s3, name: Source three, credibility: 0.9}
events:
  - id: seen
    description: The thing was seen.
    likelihoods: {a: 0.9, b: 0.4, c: 0.1}
    rationale: Expected under a.
evidence:
  - {id: r1, claim: first report, date: 2023-01-01, source: s1, event: seen, tags: [observation]}
  - {id: lone, claim: a lone item, date: 2023-01-02, source: s3, tags: [opinion],
     likelihoods: {a: 0.3, b: 0.7, c: 0.5}}
  - {id: r2, claim: second report, date: 2023-01-03, source: s2, event: seen, tags: [press]}
  - {id: gone, claim: withdrawn, date: 2023-01-04, source: s3, retracted: true,
     likelihoods: {a: 0.05, b: 0.9, c: 0.9}}
  - {id: r3, claim: retracted report, date: 2023-01-05, source: s2, event: seen,
     retracted: true}
assumptions:
  - {id: genuine, statement: The thing was what it looked like., rests_on: [seen]}
  - {id: honest, statement: Source three is honest., rests_on: [lone]}
"""


@pytest.fixture
def root(tmp_path):
    write_case(tmp_path, TOY_HYPOTHESES, EVIDENCE)
    return tmp_path


#: the toy case's expanders on the Weigh page, opened by start() and go()
TOY_OPEN = weigh_open("lone", "gone", events=("seen",))


def start(root, page: str) -> AppTest:
    return start_app(root, page, **(TOY_OPEN if page == "weigh" else {}))


def go(at: AppTest, page: str) -> AppTest:
    if page == "weigh":
        for key, value in TOY_OPEN.items():
            at.session_state[key] = value
    at.radio(key="page").set_value(page).run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest, case) -> list[str]:
    """The percentages the page shows beside each hypothesis (main area first)."""
    found = []
    for h in case.hypotheses:
        lines = (html.unescape(m.value) for m in at.main.markdown)
        line = next(text for text in lines if f"**{h.label}**: " in text)
        found.append(line.split(f"**{h.label}**: ")[1].split(" ·")[0])
    return found


def expected(case, adjustments: Adjustments) -> list[str]:
    posterior = analyze(apply(case, adjustments)).posterior
    return [format_percent(float(p)) for p in posterior]


def test_weigh_shows_an_events_sliders_once_and_a_move_is_the_engines(root):
    case = load_case("toy", root)
    at = start(root, "weigh")
    keys = [s.key for s in at.slider]
    assert "likelihood|seen|a" in keys
    assert not any(
        k.startswith(("likelihood|r1|", "likelihood|r2|", "likelihood|r3|")) for k in keys
    )
    assert not any(k.startswith("likelihood|gone|") for k in keys)  # retracted: no weight to move
    assert at.slider(key="likelihood|seen|a").value == pytest.approx(0.9)
    labels = [e.label for e in at.expander]
    assert "event seen · 3 reports" in labels and "gone (2023-01-04) · retracted" in labels
    reports = next(m.value for m in at.markdown if "Reported by" in m.value)
    assert "**r1**" in reports and "**r2**" in reports and "~~r3~~" in reports

    at.slider(key="likelihood|seen|b").set_value(0.8).run()
    assert not at.exception, at.exception
    moved = Adjustments(likelihoods={("seen", "b"): 0.8})
    assert shown(at, case) == expected(case, moved)
    assert shown(at, case) != expected(case, Adjustments())
    assert any("event seen / Beta: 0.4 -> 0.8" in html.unescape(c.value) for c in at.caption)
    # the engine's own numbers: the event's likelihood moved, every report follows
    adjusted = apply(case, moved)
    assert adjusted.events[0].likelihoods["b"].value == 0.8
    assert {adjusted.evidence[i].likelihoods["b"].value for i in (0, 2, 4)} == {0.8}


def test_a_matrix_edit_of_an_events_row_is_the_engines(root):
    case = load_case("toy", root)
    at = start(root, "matrix")
    at.toggle(key="matrix_edit").set_value(True).run()
    editor = at.data_editor[0].value
    assert list(editor["Item"]) == ["seen", "lone", "gone"]  # the event once, where r1 stands
    assert "reported by r1, r2, r3" in editor.loc[0, "Claim"]
    at.session_state[at.data_editor[0].key] = {
        "edited_rows": {0: {"Gamma": 0.5}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, at.exception
    assert shown(at, case) == expected(case, Adjustments(likelihoods={("seen", "c"): 0.5}))
    assert at.data_editor[0].value.loc[0, "Changed"] == "● Gamma"
    go(at, "weigh")
    assert at.slider(key="likelihood|seen|c").value == 0.5


def test_the_matrix_groups_reports_under_their_event_with_tags_and_retractions(root):
    at = start(root, "matrix")
    at.radio(key="matrix_sort").set_value("file").run()
    table = at.dataframe[0].value
    items = [html.unescape(i).replace("\u0336", "") for i in table["Item"]]
    assert items == [
        "▾ event seen",
        "  └ r1",
        "  └ r2",
        "  └ r3 (retracted)",
        "lone",
        "gone (retracted)",
    ]
    assert "\u0336" in table["Item"][5]  # struck through
    assert table.loc[1, "Tags"] == "observation" and table.loc[4, "Tags"] == "opinion"
    assert table.loc[0, "Alpha"] == "0.9" and table.loc[1, "Alpha"] == "(event)"
    # the tag filter keeps the tagged items (an event with its chosen reports, where the
    # first of them stands)
    at.multiselect(key="matrix_tags").set_value(["press", "opinion"]).run()
    table = at.dataframe[0].value
    assert list(table["Item"]) == ["lone", "▾ event seen", "  └ r2"]
    # Heuer's view: each report rated by its event, the count's double-counting said
    at.multiselect(key="matrix_tags").set_value([]).run()
    at.radio(key="matrix_show").set_value("ratings").run()
    table = at.dataframe[0].value
    assert table.loc[1, "Alpha"] == table.loc[2, "Alpha"] == table.loc[0, "Alpha"]
    notes = " ".join(html.unescape(c.value) for c in at.caption)
    assert "double-counts" in notes and "Inconsistency scores" in notes


def test_breaking_an_assumption_gives_the_engines_posterior_if_it_fails(root):
    case = load_case("toy", root)
    result = {a.assumption.id: a for a in analyze(case).assumptions}
    at = start(root, "overview")
    assert [t.key for t in at.sidebar.toggle] == ["broken|genuine", "broken|honest"]
    at.toggle(key="broken|genuine").set_value(True).run()
    assert not at.exception, at.exception
    go(at, "weigh")
    fails = [format_percent(float(p)) for p in result["genuine"].posterior_if_fails]
    assert shown(at, case) == fails
    warning = html.unescape(" ".join(w.value for w in at.warning))
    assert "Assumption **genuine** broken" in warning and "(r1, r2, r3)" in warning
    # the Weigh page lists the changes beside its sliders (its sidebar says so)
    assert any("**1 change from the file**" in m.value for m in at.main.markdown)
    for page in PAGE_TITLES:
        if page in ("build", "learn"):
            continue
        go(at, page)
        assert not at.error, [e.value for e in at.error]
        assert any("**genuine** broken" in w.value for w in at.warning), page
    go(at, "sensitivity")
    table = next(df.value for df in at.dataframe if "Leader if it fails" in df.value.columns)
    assert list(table["Assumption"]) == ["genuine", "honest"]
    assert list(table["Now"]) == ["broken", "holds"]
    go(at, "export")
    listed = " ".join(html.unescape(m.value) for m in at.markdown)
    assert "assumption genuine: holds -> broken" in listed
    # both broken: the joint failure; switching back: the file's numbers
    at.toggle(key="broken|honest").set_value(True).run()
    go(at, "weigh")
    both = Adjustments(broken=frozenset({"genuine", "honest"}))
    assert shown(at, case) == expected(case, both)
    at.button(key="reset_weigh").click().run()
    assert shown(at, case) == expected(case, Adjustments())
    assert at.toggle(key="broken|genuine").value is False


def test_the_movement_chart_keeps_an_events_reports_together(root):
    from analysis.report.charts.contribution import contribution_data, row_names, row_order

    analysis = analyze(load_case("toy", root))
    names = row_names(analysis)
    assert [names[i] for i in row_order(analysis)] == [
        "r1 (seen 1/2)",
        "r2 (seen 2/2)",
        "r3 (retracted: 0)",
        "lone",
        "gone (retracted: 0)",
    ]
    data = contribution_data(analysis)
    spread = data[data["kind"] == "item"].groupby("row")["db"].agg(lambda d: d.max() - d.min())
    assert spread["r1 (seen 1/2)"] > spread["r2 (seen 2/2)"] > 0  # the first carries most
    assert spread["gone (retracted: 0)"] == 0 and spread["r3 (retracted: 0)"] == 0
    np.testing.assert_allclose(
        data[data["kind"] == "item"].groupby("id", sort=False)["db"].sum().to_numpy(),
        analysis.contribution.sum(axis=0),
    )
    at = start(root, "movement")
    assert not at.exception


def test_the_seed_cases_event_slider_and_assumption_switch_are_the_engines():
    """On nk-hamas: the F-7 event's slider, then a broken key assumption."""
    case = load_case("nk-hamas", ROOT)
    event = next(e for e in case.events if len(case.event_reports[e.id]) > 1)
    at = start(ROOT, "weigh")
    at.selectbox(key="case").set_value("nk-hamas").run()
    open_items(at, events=(event.id,))
    key = f"likelihood|{event.id}|none"
    at.slider(key=key).set_value(0.6).run()
    assert not at.exception, at.exception
    moved = Adjustments(likelihoods={(event.id, "none"): 0.6})
    assert shown(at, case) == expected(case, moved)
    assert shown(at, case) != expected(case, Adjustments())
    assumption = case.assumptions[0]
    at.toggle(key=f"broken|{assumption.id}").set_value(True).run()
    both = Adjustments(likelihoods=moved.likelihoods, broken=frozenset({assumption.id}))
    assert shown(at, case) == expected(case, both)
    at.slider(key=key).set_value(float(event.likelihoods["none"].value)).run()
    fails = next(a for a in analyze(case).assumptions if a.assumption.id == assumption.id)
    assert shown(at, case) == [format_percent(float(p)) for p in fails.posterior_if_fails]


def test_an_analysts_move_of_an_event_is_saved_as_the_events(root):
    from analysis.casefile.judgments import load_judgments

    at = start(root, "weigh")
    at.text_input(key="analyst_name").set_value("kim").run()
    at.slider(key="likelihood|seen|a").set_value(0.7).run()
    assert not at.exception, at.exception
    at.toggle(key="broken|honest").set_value(True).run()  # a view, not a judgment
    assert not at.exception, at.exception
    saved = load_judgments(load_case("toy", root), root)["kim"]
    assert {k: v.value for k, v in saved.likelihoods.items()} == {("seen", "a"): 0.7}
    assert any("**honest** broken" in w.value for w in at.warning)
