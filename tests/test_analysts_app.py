"""The Analysts page and analysts working in their own files, through AppTest."""

from __future__ import annotations

import html
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, TOY_HYPOTHESES, open_items, start_app, weigh_open, weigh_tab, write_case
from streamlit.testing.v1 import AppTest

from analysis.casefile.judgment_save import save_judgments
from analysis.casefile.judgments import load_judgments
from analysis.casefile.loader import load_case

APP = ROOT / "app" / "streamlit_app.py"
pytestmark = pytest.mark.xdist_group("analysts-app")

EVIDENCE = """\
case: toy
sources:
  - {id: s1, name: Source one, credibility: 0.8}
  - {id: s2, name: Source two, credibility: medium}
evidence:
  - {id: e1, claim: one, source: s1, likelihoods: {a: 0.8, b: 0.3, c: 0.2}, rationale: r1}
  - {id: e2, claim: two, source: s2, likelihoods: {a: 0.4, b: 0.7, c: 0.5}}
"""
KIM = """\
case: toy
analyst: kim
likelihoods:
  e1: {a: 0.3}
credibility: {s2: 0.9}
rationale: {e1: Could be a copy.}
"""


@pytest.fixture
def root(tmp_path):
    write_case(tmp_path, TOY_HYPOTHESES, EVIDENCE)
    return tmp_path


def start(root, page: str = "analysts", name: str | None = None) -> AppTest:
    """The app on ``page`` (on the Weigh page with e1's expander open)."""
    state = weigh_open("e1") if page == "weigh" else {}
    return start_app(root, page, **state, **({} if name is None else {"analyst_name": name}))


def case_bytes(root) -> tuple[bytes, bytes]:
    return tuple((root / f / "toy.yaml").read_bytes() for f in ("hypotheses", "evidence"))


def test_page_without_judgments(root):
    at = start(root)
    assert any("No analyst has judged this case yet" in i.value for i in at.info)


def test_page_shows_each_analyst_pool_and_why(root):
    (root / "judgments" / "toy").mkdir(parents=True)
    (root / "judgments" / "toy" / "kim.yaml").write_text(KIM)
    at = start(root)
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "The case file and 1 analyst: kim" in text
    assert any("e1 under" in e.label and "Alpha" in e.label for e in at.expander)  # labels
    frames = [df.value for df in at.dataframe]
    posteriors = next(f for f in frames if "pooled: linear" in f.index)
    assert list(posteriors.index) == ["case", "kim", "pooled: linear", "pooled: log"]
    assert any("why" in f.columns and "Could be a copy." in f["why"].tolist() for f in frames)
    at.radio(key="analysts_pool").set_value("log").run()
    assert not at.exception


def test_moves_are_saved_to_the_analysts_own_file(root):
    before = case_bytes(root)
    at = start(root, page="weigh", name="lee")
    at.slider(key="likelihood|e1|a").set_value(0.25).run()
    assert not at.exception, at.exception
    weigh_tab(at, "Source credibility")
    at.slider(key="credibility|s1").set_value(0.4).run()
    assert not at.exception, at.exception
    case = load_case("toy", root)
    lee = load_judgments(case, root)["lee"]
    assert lee.likelihoods[("e1", "a")].value == 0.25
    assert lee.credibility["s1"].value == 0.4
    assert case_bytes(root) == before  # the case files are never written
    assert any("your judgments, saved to judgments/toy/lee.yaml" in c.value for c in at.caption)


def test_bad_name_is_refused(root):
    at = start(root, page="weigh", name="case")
    assert any("is the case file itself" in e.value for e in at.sidebar.error)
    at.slider(key="likelihood|e1|a").set_value(0.25).run()
    assert not (root / "judgments").exists()


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("x" * 300, "at most 64 characters"),  # passed the pattern, then the save failed
        ("**bold** [x](javascript:alert(1))", "may use only a-z"),
    ],
)
def test_a_name_no_file_can_take_is_refused_in_its_own_words(root, name, why):
    """A 300-character name once reached the save and showed OSError's traceback; a name
    with markdown showed as bold text and a link."""
    at = start(root, page="weigh", name=name)
    errors = [e.value for e in at.sidebar.error]
    assert any(why in html.unescape(e) for e in errors), errors
    assert not any("**" in e or "](" in e for e in errors)  # shown as typed, not rendered
    at.slider(key="likelihood|e1|a").set_value(0.25).run()
    assert not at.exception and not (root / "judgments").exists()


def test_open_as_is_read_only(root):
    (root / "judgments" / "toy").mkdir(parents=True)
    (root / "judgments" / "toy" / "kim.yaml").write_text(KIM)
    at = start(root)
    at.button(key="open_as_kim").click().run()
    assert not at.exception, at.exception
    assert at.session_state["page"] == "matrix"
    assert any("viewing as **kim**" in c.value for c in at.caption)
    notes = [c.value for c in at.caption]
    assert "All numbers as in kim's judgments (read only)." in notes  # not "in the file"
    assert "All numbers as in the file." not in notes
    text = (root / "judgments" / "toy" / "kim.yaml").read_text()
    at.radio(key="page").set_value("weigh").run()
    open_items(at, "e1")
    assert at.slider(key="likelihood|e1|a").value == 0.3  # kim's number
    at.slider(key="likelihood|e1|a").set_value(0.9).run()
    assert (root / "judgments" / "toy" / "kim.yaml").read_text() == text


def test_a_look_at_a_colleagues_view_keeps_your_unsaved_moves(root):
    """Moves on the case's numbers were lost on opening an analyst's view and coming
    back; each view now keeps its own."""
    (root / "judgments" / "toy").mkdir(parents=True)
    (root / "judgments" / "toy" / "kim.yaml").write_text(KIM)
    at = start(root, page="weigh")
    at.slider(key="likelihood|e1|a").set_value(0.55).run()
    at.radio(key="page").set_value("analysts").run()
    at.button(key="open_as_kim").click().run()
    at.radio(key="page").set_value("weigh").run()
    open_items(at, "e1")
    assert at.slider(key="likelihood|e1|a").value == 0.3  # kim's number, not your move
    at.slider(key="likelihood|e1|a").set_value(0.9).run()  # a move in kim's view
    at.sidebar.button(key="view_as_back").click().run()
    assert not at.exception, at.exception
    open_items(at, "e1")
    assert at.slider(key="likelihood|e1|a").value == 0.55  # your move, back
    at.radio(key="page").set_value("analysts").run()
    at.button(key="open_as_kim").click().run()
    at.radio(key="page").set_value("weigh").run()
    open_items(at, "e1")
    assert at.slider(key="likelihood|e1|a").value == 0.9  # kim's view kept its move too


def test_two_analysts_saving_at_the_same_moment_lose_nothing(root, tmp_path):
    """Two dashboard sessions, each in its own process (AppTest is not thread-safe: see
    tests/race_session.py), move sliders at the same moments and save to their files."""
    moves = {"kim": [0.11, 0.12, 0.13], "lee": [0.21, 0.22, 0.23]}
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    script = Path(__file__).with_name("race_session.py")
    sessions = [
        subprocess.Popen(
            [
                sys.executable,
                str(script),
                str(root),
                name,
                ",".join(map(str, values)),
                str(meeting),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, values in moves.items()
    ]
    for session in sessions:
        _, err = session.communicate(timeout=900)
        assert session.returncode == 0, err[-2000:]
    found = load_judgments(load_case("toy", root), root)
    for name, values in moves.items():
        cells = found[name].likelihoods
        assert cells[("e1", "a")].value == values[-1]
        for step, value in enumerate(values):
            assert cells[("e2", "abc"[step])].value == value


def test_save_judgments_from_many_threads_merges_everything(root):
    case = load_case("toy", root)
    cells = [(f"e{1 + i % 2}", "abc"[i % 3]) for i in range(6)]

    def save(i: int) -> None:
        save_judgments(root, case, "class-1", likelihoods={cells[i]: 0.05 * (i + 1)})

    threads = [threading.Thread(target=save, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved = load_judgments(case, root)["class-1"].likelihoods
    assert {k: round(v.value, 2) for k, v in saved.items()} == {
        cells[i]: round(0.05 * (i + 1), 2) for i in range(6)
    }


def test_student_ratings_saved_and_spread_shown(root):
    case = load_case("toy", root)
    for student, rating in (("ann", "C"), ("bob", "C"), ("cy", "I")):
        save_judgments(root, case, student, ratings={("e1", "a"): rating, ("e2", "b"): "CC"})
    data = yaml.safe_load((root / "judgments" / "toy" / "ann.yaml").read_text())
    assert data["ratings"] == {"e1": {"a": "C"}, "e2": {"b": "CC"}}
    at = start(root)
    spread = [
        df.value for df in at.dataframe if "Alpha" in df.value.columns and "e1" in df.value.index
    ]
    assert spread and spread[0].loc["e1", "Alpha"] == "C×2 I×1"


@pytest.mark.parametrize("judged", [True, False])
def test_the_dashboards_brief_says_where_analysts_disagree_when_they_have_judged(
    root, monkeypatch, judged
):
    from analysis.report.brief import output

    if judged:
        (root / "judgments" / "toy").mkdir(parents=True)
        (root / "judgments" / "toy" / "kim.yaml").write_text(KIM)
    made = []
    real = output.render

    def render(analysis, fmt, scenario=None, panel=None):
        made.append(real(analysis, fmt, scenario, panel=panel).decode("utf-8"))
        return made[-1].encode("utf-8")

    monkeypatch.setattr(output, "render", render)
    at = start(root, "export")
    at.button(key="make_brief_md").click().run()
    assert not at.exception, at.exception
    (markdown,) = made
    assert ("Where analysts disagree" in markdown) is judged
    assert ("kim" in markdown) is judged
