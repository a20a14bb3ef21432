"""Learn: a course of eight short lessons in structured analysis, each with an exercise
on a bundled case, graded when the student commits, with the biases the method counters
shown on the seed case. Lessons, exercises and grading live in :mod:`analysis.course`;
this page only draws them and keeps the student's progress."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.casefile.loader import load_case
from analysis.course.biases import bias
from analysis.course.exercises import exercise
from analysis.course.lessons import LESSON_IDS, LESSONS, SEED_CASE, Lesson, lesson
from analysis.course.progress import Progress, check_student, load_progress, save_progress
from analysis.course.scoring import grade
from analysis.engine import Analysis, run
from analysis.errors import CaseError
from analysis.scales import YARDSTICK_TITLES
from app import identity
from app.state import REPO_ROOT
from app.views.context import View
from app.views.learn_exercise import (
    BLANK_COMMIT,
    GENERATION,
    answered,
    ask,
    collect,
    feedback,
)
from app.widgets import esc, problem_lines, show_chart

LESSON = "learn_lesson"
DONE = "learn_done"  # lesson id -> {"answers": ..., "score": [points, out_of]}
STUDENT = "learn_student"
LOADED = "learn_loaded"  # the student whose progress is in DONE
PROBLEM = "learn_problem"  # why the progress file could not be read (then never written)
SAVED = "learn_saved"
SCORE_HELP = {
    "Inconsistency": st.column_config.NumberColumn(
        help="Heuer's count: each I rating scores 1, each II scores 2"
    ),
    "Weighted": st.column_config.NumberColumn(
        help="PARC ACH: each point times the credibility and relevance weights "
        "(low 1/sqrt 2, medium 1, high sqrt 2)",
        format="%.2f",
    ),
}


def hides_posterior(page: str) -> bool:
    """The sidebar's posterior stays hidden on the Learn page: it would anchor answers."""
    return page == "learn"


@st.cache_resource(show_spinner=False)
def lesson_analysis(name: str, yardstick: str) -> Analysis:
    """The engine's analysis of a bundled case (from the repository, whatever --root)."""
    return run(load_case(name, REPO_ROOT), yardstick)


def competition_ranks(keys: list) -> list[int]:
    """Rank 1 for the best (smallest) key; equal keys share a rank (1, 1, 3, ...)."""
    return [1 + sum(other < key for other in keys) for key in keys]


def heuer_beside_bayes(analysis: Analysis) -> pd.DataFrame:
    """Heuer's scores and rank beside the posterior, its words and rank."""
    heuer = analysis.heuer
    keys = [
        (round(float(w), 9), int(n))
        for w, n in zip(heuer.weighted_inconsistency, heuer.inconsistency, strict=True)
    ]
    top = float(analysis.posterior.max())
    bayes = competition_ranks([round(-float(p) / top, 9) for p in analysis.posterior])
    heuer_rank = competition_ranks(keys)
    words = analysis.words()
    title = YARDSTICK_TITLES.get(analysis.yardstick, analysis.yardstick)
    return pd.DataFrame(
        [
            {
                "Hypothesis": h.label,
                "Inconsistency": int(heuer.inconsistency[k]),
                "Weighted": round(float(heuer.weighted_inconsistency[k]), 2),
                "Heuer rank": heuer_rank[k],
                "Posterior": analysis.percent(k),
                title: words[k],
                "Bayes rank": bayes[k],
            }
            for k, h in enumerate(analysis.case.hypotheses)
        ]
    )


def _done() -> dict:
    return st.session_state.setdefault(DONE, {})


def _save() -> None:
    student = st.session_state.get(LOADED)
    if not student or st.session_state.get(PROBLEM):
        return
    progress = Progress(student, st.session_state.get(LESSON), dict(_done()))
    path = save_progress(st.session_state.get("root", "."), progress)
    st.session_state[SAVED] = str(path)


def _open_student() -> None:
    """Load the named student's progress (callback of the name field)."""
    name = (st.session_state.get(STUDENT) or "").strip()
    st.session_state.pop(PROBLEM, None)
    st.session_state[LOADED] = None
    if not name or check_student(name):
        return
    try:
        progress = load_progress(st.session_state.get("root", "."), name)
    except CaseError as error:
        st.session_state[PROBLEM] = error.lines()
        return
    st.session_state[LOADED] = name
    st.session_state[DONE] = dict(progress.lessons)
    if progress.lesson in LESSON_IDS:
        st.session_state[LESSON] = progress.lesson


def _commit(lesson_id: str, analysis: Analysis) -> None:
    task = exercise(lesson_id, analysis)
    answers = collect(lesson_id, task, analysis)
    if not answered(answers, task, analysis)[0]:  # a blank commit would only give the key away
        st.session_state[BLANK_COMMIT] = lesson_id
        return
    result = grade(task, answers)
    _done()[lesson_id] = {"answers": answers, "score": [result.score.points, result.score.out_of]}
    _save()


def _again(lesson_id: str) -> None:
    _done().pop(lesson_id, None)
    generations = st.session_state.setdefault(GENERATION, {})
    generations[lesson_id] = generations.get(lesson_id, 0) + 1
    _save()


def _go(offset: int) -> None:
    at = LESSON_IDS.index(st.session_state.get(LESSON) or LESSON_IDS[0])
    st.session_state[LESSON] = LESSON_IDS[max(0, min(len(LESSON_IDS) - 1, at + offset))]
    _save()


def _student_panel() -> None:
    if STUDENT not in st.session_state:  # one name: the sidebar's, if given there first
        given = (st.session_state.get(identity.NAME) or "").strip()
        if given and not check_student(given):
            st.session_state[STUDENT] = given
            _open_student()
    name, status = st.columns([1, 2])
    name.text_input(
        "Your name as a student, to keep your progress",
        key=STUDENT,
        on_change=_open_student,
        placeholder="e.g. ana",
        help="Saved under the case folder as .ach/progress/<name>.json after each commit.",
    )
    typed = (st.session_state.get(STUDENT) or "").strip()
    with status:
        if st.session_state.get(PROBLEM):
            st.error("Your progress file cannot be read, so nothing will be written over it:")
            problem_lines(st.session_state[PROBLEM])
        elif typed and check_student(typed):
            st.warning(f"'{esc(typed)}' cannot name a progress file: {esc(check_student(typed))}.")
        elif st.session_state.get(LOADED):
            done = _done()
            points = sum(v["score"][0] for v in done.values())
            out_of = sum(v["score"][1] for v in done.values())
            st.markdown(
                f"**{esc(st.session_state[LOADED])}**: {len(done)} of {len(LESSONS)} lessons "
                f"done, {points:g} / {out_of:g} points. Progress is saved after each commit.",
                unsafe_allow_html=True,
            )
        else:
            st.caption("Without a name your answers last as long as this browser tab.")


def _label(lesson_id: str) -> str:
    item = lesson(lesson_id)
    return f"{item.number}. {item.title}"


def scores_line() -> str:
    """Each lesson's score so far, in course order (a dash for lessons not done)."""
    done = _done()
    parts = []
    for item in LESSONS:
        score = done.get(item.id, {}).get("score")
        parts.append(f"{item.number}: {score[0]:g}/{score[1]:g}" if score else f"{item.number}: –")
    return "Scores · " + " · ".join(parts)


def _biases(item: Lesson, yardstick: str) -> None:
    if not item.biases:
        return
    seed = lesson_analysis(SEED_CASE, yardstick)
    for bias_id in item.biases:
        shown = bias(bias_id, seed)
        with st.expander(f"Bias to watch: {shown.name}", expanded=True):
            st.markdown(f"**{shown.name}**: {shown.what} *The method's answer:* {shown.counter}")
            st.markdown(
                "On the seed case as bundled: " + esc(shown.example), unsafe_allow_html=True
            )


JUDGED = "learn_judged"  # the outcome of the last "save as my judgments"


def _save_judgments(analysis: Analysis) -> None:
    """The student's lesson-4 ratings as their own judgment file of the teaching case."""
    from analysis.casefile.judgment_save import save_judgments
    from analysis.errors import AchError

    root, student = st.session_state.get("root", "."), st.session_state.get(LOADED)
    rated = _done().get("matrix", {}).get("answers", {}).get("ratings", {})
    ratings = {tuple(cell.split("|", 1)): r for cell, r in rated.items()}
    try:
        case = load_case(analysis.case.name, root)
        save_judgments(root, case, student, ratings=ratings, replace_all=True)
    except (AchError, CaseError) as error:
        lines = error.lines() if isinstance(error, CaseError) else [str(error)]
        st.session_state[JUDGED] = ("error", "\n".join(lines))
        return
    path = f"judgments/{case.name}/{student}.yaml"
    st.session_state[JUDGED] = ("ok", f"Saved {len(ratings)} ratings to {path}.")


def _judgment_panel(analysis: Analysis) -> None:
    if not st.session_state.get(LOADED):
        st.caption(
            "Type your name as a student at the top of this page to save these ratings as "
            "your judgments for a teacher."
        )
        return
    st.button(
        "Save my ratings as my judgments", key="learn_save_judgments",
        on_click=_save_judgments, args=(analysis,),
    )  # fmt: skip
    kind, message = st.session_state.get(JUDGED, (None, ""))
    if kind == "ok":
        st.success(message)
    elif kind == "error":
        st.error("Your ratings were not saved:")
        problem_lines(message.splitlines())


def _conclusions_extra(analysis: Analysis, committed: bool) -> bool:
    """Lesson 5 shows the case's matrix, lesson 4's answer: only once that is committed."""
    if "matrix" not in _done():
        st.info("Commit lesson 4 first: this lesson reads the case's own matrix, its answer.")
        return False
    case = analysis.case
    rows = [
        {"Item": item.id}
        | {h.label: analysis.heuer.ratings[i][k] for k, h in enumerate(case.hypotheses)}
        for i, item in enumerate(case.evidence)
    ]
    st.markdown("**The case's matrix**")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if committed:
        from analysis.report.charts import posterior_chart

        scores, chart = st.columns([7, 4], gap="medium")
        scores.markdown("**Heuer's count beside Bayes**")
        scores.dataframe(
            heuer_beside_bayes(analysis), hide_index=True, width="stretch", column_config=SCORE_HELP
        )
        if analysis.heuer.note:  # reports of one event, each counted
            scores.caption(esc(analysis.heuer.note))
        with chart:
            show_chart(posterior_chart(analysis, width=320))
    return True


def show(view: View) -> None:
    st.header("Learn: structured analysis in eight lessons")
    _student_panel()
    if st.session_state.get(LESSON) not in LESSON_IDS:
        st.session_state[LESSON] = LESSON_IDS[0]
    lesson_id = st.radio(
        "Lesson", LESSON_IDS, format_func=_label, horizontal=True, key=LESSON, on_change=_save
    )
    st.caption(scores_line())
    item = lesson(lesson_id or LESSON_IDS[0])
    analysis = lesson_analysis(item.case, view.analysis.yardstick)
    st.subheader(f"{item.number}. {item.title}")
    st.caption(f"On the bundled case *{esc(analysis.case.title)}*", unsafe_allow_html=True)
    for paragraph in item.teach:
        st.markdown(paragraph)
    committed = item.id in _done()
    if item.id == "conclusions" and not _conclusions_extra(analysis, committed):
        task = None
    else:
        task = exercise(item.id, analysis)
    if task is not None:
        st.divider()
        if committed:
            answers = _done()[item.id]["answers"]
            feedback(task, grade(task, answers), analysis, answers)
            if item.id == "matrix":
                _judgment_panel(analysis)
            st.button("Try again", key=f"learn_again_{item.id}", on_click=_again, args=(item.id,))
        else:
            ask(item.id, task, analysis, lambda: _commit(item.id, analysis))
    _biases(item, view.analysis.yardstick)
    back, forward, _ = st.columns([1, 1, 5])
    first, last = item.id == LESSON_IDS[0], item.id == LESSON_IDS[-1]
    back.button("Previous lesson", key="learn_prev", on_click=_go, args=(-1,), disabled=first)
    forward.button("Next lesson", key="learn_next", on_click=_go, args=(1,), disabled=last)
