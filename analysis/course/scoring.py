"""Grading a committed exercise as a whole: every question scores 1, every matrix cell 1
(see :mod:`analysis.course.grading`), every check on the bottom line 1."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.course.exercises import Exercise
from analysis.course.grading import (
    Check,
    Choice,
    MatrixGrade,
    Score,
    grade_bottom_line,
    grade_choice,
    grade_matrix,
)


@dataclass(frozen=True)
class Result:
    """A committed exercise, graded."""

    score: Score
    #: (question, the option picked or None, right?)
    choices: tuple[tuple[Choice, int | None, bool], ...]
    matrix: MatrixGrade | None
    checks: tuple[Check, ...]


def cell_key(item: str, hypothesis: str) -> str:
    """How a matrix cell is named in saved answers: ``item|hypothesis``."""
    return f"{item}|{hypothesis}"


def grade(exercise: Exercise, answers: dict) -> Result:
    """Grade ``answers`` (``choices``, ``ratings``, ``bottom_line``) against ``exercise``.

    Every question scores 1, every matrix cell 1 (see :mod:`analysis.course.grading`),
    every check on the bottom line 1.
    """
    picked = answers.get("choices", {})
    choices = tuple((c, picked.get(c.id), picked.get(c.id) == c.answer) for c in exercise.choices)
    points = sum(grade_choice(c, p).points for c, p, _ in choices)
    out_of = float(len(choices))
    matrix = None
    if exercise.rating is not None:
        rated = answers.get("ratings", {})
        given = {cell: rated.get(cell_key(*cell)) for cell in exercise.rating.key}
        matrix = grade_matrix(given, exercise.rating.key, exercise.rating.rationale)
        points += matrix.score.points
        out_of += matrix.score.out_of
    checks: tuple[Check, ...] = ()
    task = exercise.bottom_line
    if task is not None:
        text = answers.get("bottom_line", "") or ""
        checks = grade_bottom_line(text, task.leader_names, task.phrase, task.other_phrases)
        points += sum(c.passed for c in checks)
        out_of += len(checks)
    return Result(Score(points, out_of), choices, matrix, checks)
