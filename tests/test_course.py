"""The Learn course without the dashboard: grading rules, exercises built from the cases,
the biases on the seed case, and the progress file."""

from __future__ import annotations

import html
import json

import numpy as np
import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

from analysis import analyze
from analysis.casefile.loader import load_case
from analysis.course import biases, exercises, grading, lessons, progress
from analysis.course.scoring import cell_key, grade
from analysis.errors import CaseError

RATINGS = ("CC", "C", "N", "NA", "I", "II")


@pytest.fixture(scope="module")
def office():
    return analyze(load_case(lessons.TEACHING_CASE, ROOT))


@pytest.fixture(scope="module")
def seed():
    return analyze(load_case(lessons.SEED_CASE, ROOT))


# -- grading rules --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "given_, expected, verdict",
    [
        ("C", "C", grading.RIGHT),
        ("NA", "N", grading.RIGHT),  # both 0.5: the same judgment
        ("C", "CC", grading.DEGREE),
        ("N", "C", grading.DEGREE),
        ("II", "I", grading.DEGREE),
        ("C", "I", grading.DIRECTION),
        ("CC", "II", grading.DIRECTION),
        (None, "N", grading.NOT_RATED),  # a blank is never read as N
        ("", "N", grading.NOT_RATED),
    ],
)
def test_cell_verdicts(given_, expected, verdict):
    assert grading.grade_cell(given_, expected) == verdict


@given(st.sampled_from(RATINGS), st.sampled_from(RATINGS))
def test_direction_means_opposite_sides_of_neutral(a, b):
    verdict = grading.grade_cell(a, b)
    assert (verdict == grading.DIRECTION) == (grading.side(a) * grading.side(b) < 0)
    assert verdict != grading.NOT_RATED


def test_blank_matrix_scores_nothing(office):
    key = exercises.case_key(office)
    blank = grading.grade_matrix({}, key.key, key.rationale)
    assert blank.score.points == 0 and blank.count(grading.NOT_RATED) == len(key.key)
    # the case's own answers score full marks
    full = grading.grade_matrix(dict(key.key), key.key, key.rationale)
    assert full.score.points == full.score.out_of == len(key.key) and not full.misses


def test_points_by_verdict():
    key = {("a", "h"): "CC", ("b", "h"): "CC", ("c", "h"): "CC", ("d", "h"): "I"}
    answers = {("a", "h"): "CC", ("b", "h"): "C", ("c", "h"): "N", ("d", "h"): "C"}
    result = grading.grade_matrix(answers, key, {"b": "why b"})
    assert [c.points for c in result.cells] == [1.0, 0.5, 0.0, 0.0]
    assert result.misses[0].rationale == "why b"


def test_bottom_line_checks():
    checks = grading.grade_bottom_line(
        "It is likely that the junior analyst leaked the memo.",
        ("Junior analyst",), "likely", ("unlikely", "likely", "very likely"),
    )  # fmt: skip
    assert all(c.passed for c in checks)
    bad = grading.grade_bottom_line(
        "The manager very likely did it. We have high confidence.",
        ("Junior analyst",), "likely", ("unlikely", "likely", "very likely"),
    )  # fmt: skip
    assert not any(c.passed for c in bad)  # "very likely" is not "likely"
    used = grading.phrases_used("very likely, not unlikely", ("likely", "very likely", "unlikely"))
    assert used == {"very likely", "unlikely"}
    assert grading.phrases_used("It is likely.", ("likely", "very likely")) == {"likely"}
    empty = grading.grade_bottom_line("", ("Junior analyst",), "likely", ("likely",))
    assert not any(c.passed for c in empty)


# -- exercises follow the case ----------------------------------------------------------------
def test_every_lesson_has_an_exercise_with_answers_in_range(office):
    assert [lesson.number for lesson in lessons.LESSONS] == list(range(1, 9))
    for lesson in lessons.LESSONS:
        task = exercises.exercise(lesson.id, analyze(load_case(lesson.case, ROOT)))
        assert task.choices or task.rating or task.bottom_line, lesson.id
        if task.bottom_line is not None:  # the model answer passes its own grading
            line = task.bottom_line
            checks = grading.grade_bottom_line(
                line.model_answer, line.leader_names, line.phrase, line.other_phrases
            )
            assert all(c.passed for c in checks), (lesson.id, line.model_answer, checks)
        for choice in task.choices:
            assert 0 <= choice.answer < len(choice.options), (lesson.id, choice.id)
            assert len(set(choice.options)) == len(choice.options), (lesson.id, choice.id)


def test_the_items_the_lessons_name_are_in_the_teaching_case(office):
    ids = {item.id for item in office.case.evidence}
    named = {*exercises.ITEM_KINDS, exercises.DIAGNOSTIC_ROW, *exercises.WORTHLESS_CANDIDATES}
    named |= {exercises.ASSUMPTION_ITEM, exercises.DECEPTION_ITEM}
    assert named <= ids, named - ids


def test_answers_come_from_the_engine(office):
    conclusions = exercises.exercise("conclusions", office)
    why = next(c for c in conclusions.choices if c.id == "why")
    kind = office.disagreement.main_mechanism if office.disagreement else "none"
    assert why.answer == list(exercises.MECHANISM_OPTIONS).index(kind)
    assert html.unescape(why.explanation) == office.disagreement.explanation
    worthless = exercises.exercise("diagnosticity", office).choices[0]
    offered = list(exercises.WORTHLESS_CANDIDATES)
    db = [office.diagnosticity[[i.id for i in office.case.evidence].index(c)] for c in offered]
    assert worthless.answer == int(np.argmin(db))
    reporting = exercises.exercise("reporting", office)
    phrase = reporting.choices[0]
    assert phrase.options[phrase.answer] == office.words()[office.leader]
    assert reporting.choices[1].options[reporting.choices[1].answer] == office.confidence.level
    sensitivity = exercises.exercise("sensitivity", office)
    linchpin = sensitivity.choices[0]
    right = linchpin.options[linchpin.answer]
    if office.linchpin_items:
        assert right.startswith(f"'{office.case.evidence[office.linchpin_items[0]].id}'")
    milestones = exercises.exercise("milestones", office).choices[0]
    assert milestones.options[milestones.answer] == office.indicators[0].item.claim


def test_the_matrix_key_is_the_cases_own_ratings(office):
    task = exercises.exercise("matrix", office).rating
    for i, item in enumerate(office.case.evidence):
        for k, h in enumerate(office.case.hypothesis_ids):
            assert task.key[(item.id, h)] == office.heuer.ratings[i, k]
        assert task.rationale[item.id] == item.rationale


def test_a_lesson_score_adds_questions_cells_and_checks(office):
    task = exercises.exercise("reporting", office)
    right = {c.id: c.answer for c in task.choices}
    answers = {"choices": right, "bottom_line": task.bottom_line.model_answer}
    result = grade(task, answers)
    assert result.score.points == result.score.out_of == len(task.choices) + 5
    wrong = grade(task, {"choices": {c.id: (c.answer + 1) % len(c.options) for c in task.choices}})
    assert wrong.score.points == 0
    matrix = exercises.exercise("matrix", office)
    cells = {cell_key(*cell): rating for cell, rating in matrix.rating.key.items()}
    assert grade(matrix, {"ratings": cells}).score.fraction == 1.0


# -- biases on the seed case ------------------------------------------------------------------
def test_every_bias_is_shown_on_the_seed_cases_items(seed):
    ids = {item.id for item in seed.case.evidence + seed.case.indicators}
    shown = {lesson_bias for lesson in lessons.LESSONS for lesson_bias in lesson.biases}
    assert shown == set(biases.BIASES)
    for bias_id in biases.BIASES:
        example = biases.bias(bias_id, seed)
        assert example.items and set(example.items) <= ids, bias_id
        assert all(item in example.example for item in example.items)


def test_confirmation_examples_fit_every_hypothesis(seed):
    example = biases.bias("confirmation", seed)
    rows = [[i.id for i in seed.case.evidence].index(item) for item in example.items]
    assert all(seed.diagnosticity[i] < biases.FLAT_DB for i in rows)


def test_every_lesson_but_none_shows_a_bias_of_its_own():
    shown = [b for lesson in lessons.LESSONS for b in lesson.biases]
    assert all(lesson.biases for lesson in lessons.LESSONS)
    assert len(shown) == len(set(shown))  # no bias taught twice


def _row(seed, item_id: str) -> int:
    return [i.id for i in seed.case.evidence].index(item_id)


def test_satisficing_examples_fit_the_first_rival_and_the_leader_alike(seed):
    example = biases.bias("satisficing", seed)
    rival = next(h for h in range(len(seed.case.hypotheses)) if h != seed.leader)
    for item_id in example.items:
        row = seed.likelihood[_row(seed, item_id)]
        assert min(row[rival], row[seed.leader]) >= biases.FITS
    fitting = int((seed.likelihood[:, rival] >= biases.FITS).sum())
    assert f"fits {fitting} of the {len(seed.case.evidence)} items" in example.example


def test_overconfidence_names_the_confidence_and_the_item_favouring_the_leader_most(seed):
    example = biases.bias("overconfidence", seed)
    runner_up = int(np.argsort(-seed.posterior)[1])
    weight = seed.contribution[:, seed.leader] - seed.contribution[:, runner_up]
    assert example.items == (seed.case.evidence[int(np.argmax(weight))].id,)
    assert f"confidence is {seed.confidence.level}" in example.example
    assert "“unlikely”" in example.example  # the seed case's leader is at 40%


def test_vividness_sets_the_photographs_against_what_separates_the_two_leaders(seed):
    example = biases.bias("vividness", seed)
    runner_up = int(np.argsort(-seed.posterior)[1])
    between = np.abs(seed.contribution[:, seed.leader] - seed.contribution[:, runner_up])
    photos = _row(seed, "photos-possible-f7")
    assert f"they weigh {between[photos]:.1f} dB" in example.example
    separating = seed.case.evidence[int(np.argmax(between))].id
    assert separating != "photos-possible-f7" and f"'{separating}'" in example.example


def test_premature_closure_shows_the_most_informative_indicator_both_ways(seed):
    example = biases.bias("premature-closure", seed)
    best = max(seed.indicators, key=lambda ind: ind.expected_information_bits)
    assert example.items == (best.item.id,)
    for after, verb in ((best.if_seen, "at"), (best.if_not_seen, "would lead at")):
        top = after.argmax()
        assert f"{seed.case.hypotheses[top].label} {verb} {after[top]:.0%}" in example.example


# -- progress ---------------------------------------------------------------------------------
def test_progress_round_trips_atomically(tmp_path):
    saved = progress.Progress("ana", "matrix", {"hypotheses": {"answers": {}, "score": [2, 3]}})
    path = progress.save_progress(tmp_path, saved)
    assert path == tmp_path / ".ach" / "progress" / "ana.json"
    assert progress.load_progress(tmp_path, "ana") == saved
    assert [p.name for p in path.parent.iterdir()] == ["ana.json"]  # no temporary left
    assert progress.load_progress(tmp_path, "bo") == progress.Progress("bo")


def test_a_bad_progress_file_is_a_located_problem(tmp_path):
    folder = tmp_path / ".ach" / "progress"
    folder.mkdir(parents=True)
    (folder / "ana.json").write_text('{"student": "ana",\n "lessons": [}\n')
    with pytest.raises(CaseError) as error:
        progress.load_progress(tmp_path, "ana")
    assert error.value.lines()[0].startswith(".ach/progress/ana.json:2: is not valid JSON")
    (folder / "ana.json").write_text(json.dumps({"student": "bo", "lessons": []}))
    with pytest.raises(CaseError) as error:
        progress.load_progress(tmp_path, "ana")
    assert len(error.value.lines()) == 2


@pytest.mark.parametrize("name", ["", "Ana", "../x", "a b", "x" * 65])
def test_student_names_that_cannot_name_a_file(name):
    assert progress.check_student(name)
