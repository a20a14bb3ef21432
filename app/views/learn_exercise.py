"""One lesson's exercise on the Learn page: the widgets before the student commits, the
graded feedback after. Grading lives in :mod:`analysis.course`; this only draws."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from analysis.course.exercises import Exercise
from analysis.course.grading import DEGREE, DIRECTION, NOT_RATED, RIGHT
from analysis.course.scoring import Result, cell_key
from analysis.engine.analyzer import Analysis
from app.widgets import esc

RATINGS = ("CC", "C", "N", "NA", "I", "II")
VERDICT_TEXT = {
    RIGHT: "right",
    DEGREE: "degree: right side, other strength",
    DIRECTION: "direction: wrong side of neutral",
    NOT_RATED: "not rated",
}
#: the version of a lesson's widgets: a new one starts blank (Try again)
GENERATION = "learn_generation"
#: the lesson whose Commit was pressed with nothing answered (it grades nothing)
BLANK_COMMIT = "learn_blank_commit"


def widget_key(lesson_id: str, part: str) -> str:
    generation = st.session_state.get(GENERATION, {}).get(lesson_id, 0)
    return f"learn_{lesson_id}_{part}_{generation}"


def _blank_table(analysis: Analysis, items: tuple[str, ...]) -> pd.DataFrame:
    case = analysis.case
    claims = {item.id: item.claim for item in case.evidence}
    rows = []
    for item_id in items:
        row = {"Item": item_id, "Claim": claims[item_id]}
        rows.append(row | {h.label: None for h in case.hypotheses})
    return pd.DataFrame(rows)


def collect(lesson_id: str, exercise: Exercise, analysis: Analysis) -> dict:
    """The answers now in the lesson's widgets, in the saved form."""
    state = st.session_state
    choices = {}
    for choice in exercise.choices:
        picked = state.get(widget_key(lesson_id, choice.id))
        if picked is not None:
            choices[choice.id] = int(picked)
    answers: dict = {"choices": choices}
    if exercise.rating is not None:
        edits = state.get(widget_key(lesson_id, "ratings")) or {}
        hypotheses = {h.label: h.id for h in analysis.case.hypotheses}
        ratings = {}
        for row, cells in (edits.get("edited_rows") or {}).items():
            item = exercise.rating.items[int(row)]
            for label, value in cells.items():
                if label in hypotheses and value in RATINGS:
                    ratings[cell_key(item, hypotheses[label])] = value
        answers["ratings"] = ratings
    if exercise.bottom_line is not None:
        answers["bottom_line"] = state.get(widget_key(lesson_id, "bottom_line"), "") or ""
    return answers


def ask(lesson_id: str, exercise: Exercise, analysis: Analysis, commit: Callable) -> None:
    """The exercise's widgets and the Commit button (nothing is graded before it)."""
    if exercise.rating is not None:
        _rating_editor(lesson_id, exercise, analysis)
    for choice in exercise.choices:
        st.radio(
            choice.prompt,
            list(range(len(choice.options))),
            format_func=lambda j, c=choice: esc(c.options[j]),  # plain text: case claims
            index=None,
            key=widget_key(lesson_id, choice.id),
        )
    if exercise.bottom_line is not None:
        st.text_area(
            exercise.bottom_line.prompt, key=widget_key(lesson_id, "bottom_line"), height=80
        )
    if st.session_state.pop(BLANK_COMMIT, None) == lesson_id:
        st.warning("Nothing is answered yet: answer at least one question, then commit.")
    given, asked = answered(collect(lesson_id, exercise, analysis), exercise, analysis)
    st.caption(
        f"{given} of {asked} answered. Committing grades them and shows the case's answers; "
        "Try again then starts afresh."
    )
    st.button(
        "Commit my answers",
        key=f"learn_commit_{lesson_id}",
        type="primary",
        on_click=commit,
        help="Your answers are graded and the case's answers shown only after this.",
    )


def answered(answers: dict, exercise: Exercise, analysis: Analysis) -> tuple[int, int]:
    """How many of the exercise's questions ``answers`` answers, and how many it asks (a
    matrix cell is a question, the bottom line one)."""
    cells = len(exercise.rating.items) * len(analysis.case.hypotheses) if exercise.rating else 0
    asked = len(exercise.choices) + cells + (exercise.bottom_line is not None)
    given = (
        len(answers["choices"])
        + len(answers.get("ratings", {}))
        + bool(str(answers.get("bottom_line", "")).strip())
    )
    return given, asked


def _rating_editor(lesson_id: str, exercise: Exercise, analysis: Analysis) -> None:
    case = analysis.case
    st.markdown(exercise.rating.prompt)
    config = {
        h.label: st.column_config.SelectboxColumn(
            h.label, options=list(RATINGS), width=120, help=esc(h.description) or None
        )
        for h in case.hypotheses
    }
    config["Item"] = st.column_config.TextColumn("Item", disabled=True, pinned=True, width=170)
    config["Claim"] = st.column_config.TextColumn(
        "Claim", disabled=True, width=max(220, 900 - 170 - 120 * len(case.hypotheses))
    )
    st.data_editor(
        _blank_table(analysis, exercise.rating.items),
        column_config=config,
        hide_index=True,
        width="stretch",
        key=widget_key(lesson_id, "ratings"),
        num_rows="fixed",
        placeholder="–",
    )
    st.caption(
        "CC very consistent · C consistent · N neutral · NA not applicable · I inconsistent · "
        "II very inconsistent. A blank cell is *not rated* (it scores nothing)."
    )


RIGHT_MARK, MISS_MARK = ":green[**✓ Right.**]", ":red[**✗ Missed.**]"


def feedback(exercise: Exercise, result: Result, analysis: Analysis, answers: dict) -> None:
    """The graded answers: each question, each matrix miss with the author's reason."""
    st.markdown(f"**Your score: {result.score}** ({result.score.fraction:.0%})")
    if result.matrix is not None:
        _matrix_feedback(result, analysis)
    for choice, picked, right in result.choices:
        yours = choice.options[picked].rstrip(".") if picked is not None else "no answer"
        line = f"{RIGHT_MARK if right else MISS_MARK} {choice.prompt}  \nYou: *{esc(yours)}*."
        if not right:
            line += f" Answer: **{esc(choice.options[choice.answer].rstrip('.'))}**."
        st.markdown(line, unsafe_allow_html=True)
        st.caption(choice.explanation)
    if result.checks:
        written = answers.get("bottom_line") or "(nothing written)"
        st.markdown(f"**Your bottom line:** {esc(written)}", unsafe_allow_html=True)
        for check in result.checks:
            st.markdown(f"{RIGHT_MARK if check.passed else MISS_MARK} It {check.label}.")
        st.markdown("**A model answer:** " + esc(exercise.bottom_line.model_answer))
    for text in exercise.reveal:
        st.markdown(text, unsafe_allow_html=True)


def _matrix_feedback(result: Result, analysis: Analysis) -> None:
    grade = result.matrix
    labels = analysis.case.labels
    st.markdown(
        f"Cells right: **{grade.count(RIGHT)}** of {len(grade.cells)} · errors of degree: "
        f"**{grade.count(DEGREE)}** · errors of direction: **{grade.count(DIRECTION)}** · "
        f"not rated: **{grade.count(NOT_RATED)}**."
    )
    if not grade.misses:
        st.success("Every cell matches the case author's rating.")
        return
    by_item: dict[str, list] = {}
    for cell in grade.misses:
        by_item.setdefault(cell.item, []).append(cell)
    for item, cells in by_item.items():
        misses = "; ".join(
            f"{esc(labels[c.hypothesis])}: you **{c.given}** ({VERDICT_TEXT[c.verdict]}), "
            f"the case **{c.expected}**"
            if c.given
            else f"{esc(labels[c.hypothesis])}: you did not rate it, the case **{c.expected}**"
            for c in cells
        )
        st.markdown(f"{MISS_MARK} **{esc(item)}** · {misses}", unsafe_allow_html=True)
        st.caption(f"The author's reason: {esc(cells[0].rationale)}")
