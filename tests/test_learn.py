"""A student walks the Learn path in AppTest: every lesson, wrong answers then right ones,
and the feedback each gets; progress kept in a file and resumed in a new session."""

from __future__ import annotations

import html
import json
import shutil

import pytest
from conftest import ROOT, start_app
from streamlit.testing.v1 import AppTest

from analysis import analyze
from analysis.casefile.loader import load_case
from analysis.course.exercises import exercise
from analysis.course.lessons import LESSONS, lesson

pytestmark = pytest.mark.xdist_group("app")


@pytest.fixture
def root(tmp_path):
    """A case root of the student's own (progress is written under it)."""
    for folder in ("hypotheses", "evidence"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def start(root, student: str | None = None) -> AppTest:
    at = start_app(root, "learn", timeout=120)
    if student:
        at.text_input(key="learn_student").input(student).run()
    return at


def task(lesson_id: str):
    return exercise(lesson_id, analyze(load_case(lesson(lesson_id).case, ROOT)))


def open_lesson(at: AppTest, lesson_id: str) -> None:
    at.radio(key="learn_lesson").set_value(lesson_id).run()
    assert not at.exception, at.exception


def text(at: AppTest) -> str:
    return html.unescape("\n".join(m.value for m in at.main.markdown))


def commit(at: AppTest, lesson_id: str, right: bool, generation: int = 0) -> AppTest:
    """Answer every part of the lesson (rightly or wrongly) and commit."""
    exercise_ = task(lesson_id)
    for choice in exercise_.choices:
        pick = choice.answer if right else (choice.answer + 1) % len(choice.options)
        at.radio(key=f"learn_{lesson_id}_{choice.id}_{generation}").set_value(pick)
    if exercise_.rating is not None:
        rows = {}
        labels = load_case(lesson(lesson_id).case, ROOT).labels
        for (item, h), rating in exercise_.rating.key.items():
            wrong = "CC" if rating in ("I", "II") else "II"
            rows.setdefault(exercise_.rating.items.index(item), {})[labels[h]] = (
                rating if right else wrong
            )
        at.session_state[f"learn_{lesson_id}_ratings_{generation}"] = {
            "edited_rows": rows, "added_rows": [], "deleted_rows": [],
        }  # fmt: skip
    if exercise_.bottom_line is not None:
        line = exercise_.bottom_line.model_answer
        at.text_area(key=f"learn_{lesson_id}_bottom_line_{generation}").input(
            line if right else "The manager very likely did it. We have high confidence."
        )
    at.button(key=f"learn_commit_{lesson_id}").click().run()
    assert not at.exception, at.exception
    return at


def test_a_student_walks_every_lesson_wrong_then_right(root):
    at = start(root)
    assert at.radio(key="learn_lesson").value == "hypotheses"
    for item in LESSONS:
        open_lesson(at, item.id)
        shown = text(at)
        assert f"{item.number}. {item.title}" in [s.value for s in at.subheader]
        assert item.teach[0][:40] in shown
        if item.id == "conclusions":  # gated on lesson 4, which it would give away
            assert "matrix" in at.session_state["learn_done"]
        exercise_ = task(item.id)
        # nothing graded and no answer shown before the commit
        assert "Your score" not in shown
        assert all(c.explanation not in [x.value for x in at.caption] for c in exercise_.choices)

        commit(at, item.id, right=False)
        shown = text(at)
        out_of = len(exercise_.choices) + (len(exercise_.rating.key) if exercise_.rating else 0)
        out_of += 5 if exercise_.bottom_line else 0
        assert f"**Your score: 0 / {out_of}**" in shown, item.id
        for choice in exercise_.choices:
            assert f"Answer: **{choice.options[choice.answer].rstrip('.')}**" in shown
            assert choice.explanation in [c.value for c in at.caption]
        if exercise_.bottom_line:
            assert exercise_.bottom_line.model_answer in shown

        at.button(key=f"learn_again_{item.id}").click().run()
        assert "Your score" not in text(at)
        commit(at, item.id, right=True, generation=1)
        shown = text(at)
        assert f"**Your score: {out_of} / {out_of}** (100%)" in shown, item.id
        assert "❌" not in shown
        assert f"{item.number}: {out_of}/{out_of}" in " ".join(c.value for c in at.caption)


def test_the_matrix_tells_direction_from_degree_and_blank_from_neutral(root):
    at = start(root)
    open_lesson(at, "matrix")
    exercise_ = task("matrix")
    case = load_case("office-leak", ROOT)
    # print-log is CC for the analyst and N for the manager in the case's own ratings
    assert exercise_.rating.key[("print-log", "analyst")] == "CC"
    assert exercise_.rating.key[("manager-in-flight", "manager")] == "II"
    row, key = exercise_.rating.items.index, exercise_.rating.key
    at.session_state["learn_matrix_ratings_0"] = {
        "edited_rows": {
            row("print-log"): {case.labels["analyst"]: "C"},  # degree
            row("manager-in-flight"): {case.labels["manager"]: "C"},  # direction
            row("analyst-loyal"): {case.labels["manager"]: key[("analyst-loyal", "manager")]},
        },
        "added_rows": [], "deleted_rows": [],
    }  # fmt: skip
    at.button(key="learn_commit_matrix").click().run()
    shown = text(at)
    cells = len(exercise_.rating.key)
    assert f"Cells right: **1** of {cells}" in shown
    assert "errors of degree: **1**" in shown and "errors of direction: **1**" in shown
    assert f"not rated: **{cells - 3}**" in shown  # blanks are not rated, never N
    assert f"**Your score: 1.5 / {cells}**" in shown
    labels = case.labels
    line = next(line for line in shown.splitlines() if "**manager-in-flight**" in line)
    assert (
        f"{labels['manager']}: you **C** (direction: wrong side of neutral), the case **II**"
        in line
    )
    assert f"{labels['analyst']}: you did not rate it, the case **" in line
    line = next(line for line in shown.splitlines() if "**print-log**" in line)
    assert (
        f"{labels['analyst']}: you **C** (degree: right side, other strength), the case **CC**"
        in line
    )
    reasons = [html.unescape(c.value) for c in at.caption]
    for item in case.evidence:  # every item has a miss here, each shown with its reason
        assert f"The author's reason: {item.rationale}" in reasons
    assert shown.count("you did not rate it") == cells - 3


def test_lesson_five_waits_for_the_matrix_and_then_explains_the_difference(root):
    at = start(root)
    open_lesson(at, "conclusions")
    assert any("Commit lesson 4 first" in i.value for i in at.info)
    assert "learn_commit_conclusions" not in [b.key for b in at.button]
    open_lesson(at, "matrix")
    commit(at, "matrix", right=True)
    open_lesson(at, "conclusions")
    commit(at, "conclusions", right=True)
    office = analyze(load_case("office-leak", ROOT))
    assert office.disagreement.explanation in [html.unescape(c.value) for c in at.caption]
    table = next(d.value for d in at.dataframe if "Heuer rank" in d.value.columns)
    assert list(table["Posterior"]) == [office.percent(k) for k in range(len(table))]


def test_the_sidebar_posterior_stays_hidden_on_the_learn_page(root):
    at = start(root)
    assert any("Hidden on the Learn page" in c.value for c in at.sidebar.caption)
    at.radio(key="page").set_value("matrix").run()
    assert not any("Hidden on the Learn page" in c.value for c in at.sidebar.caption)


def test_each_lesson_shows_its_biases_on_the_seed_case(root):
    at = start(root)
    for item in LESSONS:
        open_lesson(at, item.id)
        titles = [e.label for e in at.expander]
        for bias_id in item.biases:
            assert any(t.startswith("Bias to watch") for t in titles), (item.id, bias_id)


def test_progress_is_saved_and_resumed(root):
    at = start(root, student="ana")
    assert "0 of 8 lessons" in text(at)
    commit(at, "hypotheses", right=True)
    open_lesson(at, "evidence")
    path = root / ".ach" / "progress" / "ana.json"
    saved = json.loads(path.read_text())
    assert saved["lesson"] == "evidence" and saved["lessons"]["hypotheses"]["score"] == [3, 3]

    again = start(root, student="ana")  # a new visit
    assert again.radio(key="learn_lesson").value == "evidence"
    assert "1 of 8 lessons" in text(again) and "3 / 3 points" in text(again)
    open_lesson(again, "hypotheses")
    assert "**Your score: 3 / 3** (100%)" in text(again)


def test_an_unreadable_progress_file_is_shown_and_never_overwritten(root):
    folder = root / ".ach" / "progress"
    folder.mkdir(parents=True)
    (folder / "ana.json").write_text("{not json")
    at = start(root, student="ana")
    assert any(".ach/progress/ana.json:1: is not valid JSON" in c.value for c in at.code)
    commit(at, "hypotheses", right=True)
    assert (folder / "ana.json").read_text() == "{not json"
    bad = start(root, student="Ana B")
    assert any("cannot name a progress file" in w.value for w in bad.warning)


def test_the_phia_yardstick_is_the_reporting_lessons_own(root):
    at = start(root)
    at.selectbox(key="yardstick").set_value("phia").run()
    open_lesson(at, "reporting")
    office = analyze(load_case("office-leak", ROOT), "phia")
    options = at.radio(key="learn_reporting_phrase_0").options
    assert office.words()[office.leader] in options and "roughly even chance" not in options


def test_tied_heuer_scores_share_a_rank():
    from app.views.learn import competition_ranks

    assert competition_ranks([0, 0, 2, 1]) == [1, 1, 4, 3]
    assert competition_ranks([(1.0, 2), (1.0, 2), (0.5, 3)]) == [2, 2, 1]


def test_a_student_saves_their_ratings_as_their_own_judgment_file(root):
    from analysis.casefile.judgments import load_analyst

    at = start(root, student="ana")
    open_lesson(at, "matrix")
    commit(at, "matrix", right=True)
    at.button(key="learn_save_judgments").click().run()
    assert any("judgments/office-leak/ana.yaml" in s.value for s in at.success)
    case = load_case("office-leak", root)
    saved = load_analyst(case, "ana", root)
    assert saved.ratings == dict(task("matrix").rating.key)


def test_a_blank_commit_grades_nothing_and_shows_no_answer(root):
    at = start(root)
    open_lesson(at, "matrix")
    at.button(key="learn_commit_matrix").click().run()
    assert not at.exception, at.exception
    shown = text(at)
    assert "Your score" not in shown
    assert any("Nothing is answered yet" in w.value for w in at.warning)
    assert "matrix" not in at.session_state["learn_done"]


def test_the_sidebar_name_is_the_students_name_unless_they_give_another(root):
    from conftest import start_app

    at = start_app(root, "learn", timeout=120, analyst_name="ana")
    assert at.text_input(key="learn_student").value == "ana"  # one name, typed once
    assert at.session_state["learn_loaded"] == "ana"
    at.text_input(key="learn_student").input("bea").run()
    assert at.session_state["learn_loaded"] == "bea"
