"""Grading of the course's exercises: pure functions of the student's answers and the key.

* A matrix cell left blank is *not rated*: it scores nothing and is never read as N.
* A rating on the wrong side of neutral (C against I) is an error of *direction*; one on
  the right side but of another strength (C against CC, N against C) is an error of
  *degree*. N and NA are the same judgment (both 0.5 on the documented scale).
* Points: a right cell 1, a degree error one step away 0.5, anything else 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Heuer's ratings in order of consistency; NA stands where N does.
SCALE = ("II", "I", "N", "C", "CC")
_STEP = {rating: k for k, rating in enumerate(SCALE)} | {"NA": SCALE.index("N")}
RIGHT, DEGREE, DIRECTION, NOT_RATED = "right", "degree", "direction", "not rated"
VERDICT_POINTS = {RIGHT: 1.0, DEGREE: 0.5, DIRECTION: 0.0, NOT_RATED: 0.0}


def side(rating: str) -> int:
    """-1 inconsistent (I, II), 0 neutral (N, NA), +1 consistent (C, CC)."""
    step = _STEP[rating] - _STEP["N"]
    return (step > 0) - (step < 0)


@dataclass(frozen=True)
class Score:
    points: float
    out_of: float

    @property
    def fraction(self) -> float:
        return self.points / self.out_of if self.out_of else 0.0

    def __str__(self) -> str:
        return f"{self.points:g} / {self.out_of:g}"


@dataclass(frozen=True)
class CellGrade:
    item: str
    hypothesis: str
    given: str | None
    expected: str
    verdict: str
    #: the case author's reason for the item's ratings (shown on a miss)
    rationale: str

    @property
    def points(self) -> float:
        if self.verdict == DEGREE and abs(_STEP[self.given] - _STEP[self.expected]) > 1:
            return 0.0
        return VERDICT_POINTS[self.verdict]


def grade_cell(given: str | None, expected: str) -> str:
    """The verdict on one cell."""
    if given is None or given == "":
        return NOT_RATED
    if _STEP[given] == _STEP[expected]:
        return RIGHT
    if side(given) * side(expected) < 0:
        return DIRECTION
    return DEGREE


@dataclass(frozen=True)
class MatrixGrade:
    cells: tuple[CellGrade, ...]

    @property
    def score(self) -> Score:
        return Score(sum(c.points for c in self.cells), float(len(self.cells)))

    def count(self, verdict: str) -> int:
        return sum(c.verdict == verdict for c in self.cells)

    @property
    def misses(self) -> tuple[CellGrade, ...]:
        return tuple(c for c in self.cells if c.verdict != RIGHT)


def grade_matrix(
    answers: dict[tuple[str, str], str | None],
    key: dict[tuple[str, str], str],
    rationale: dict[str, str],
) -> MatrixGrade:
    """Grade every cell of ``key`` (``(item, hypothesis) -> rating``) against ``answers``."""
    cells = []
    for (item, h), expected in key.items():
        given = answers.get((item, h)) or None
        verdict = grade_cell(given, expected)
        cells.append(CellGrade(item, h, given, expected, verdict, rationale.get(item, "")))
    return MatrixGrade(tuple(cells))


@dataclass(frozen=True)
class Choice:
    """A multiple-choice question; ``answer`` is the index of the right option."""

    id: str
    prompt: str
    options: tuple[str, ...]
    answer: int
    #: why the right option is right (shown after the student commits)
    explanation: str


def grade_choice(choice: Choice, picked: int | None) -> Score:
    return Score(1.0 if picked == choice.answer else 0.0, 1.0)


@dataclass(frozen=True)
class Check:
    label: str
    passed: bool


def _words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9%]+", " ", text.lower()) + " "


def phrases_used(text: str, phrases: tuple[str, ...]) -> set[str]:
    """The yardstick phrases ``text`` uses, longest first ("very likely" is not "likely")."""
    words, used = _words(text), set()
    for phrase in sorted(phrases, key=len, reverse=True):
        if _words(phrase) in words:
            used.add(phrase)
            words = words.replace(_words(phrase), " | ")
    return used


def grade_bottom_line(
    text: str, leader_names: tuple[str, ...], phrase: str, other_phrases: tuple[str, ...]
) -> tuple[Check, ...]:
    """Checks on a one-sentence bottom line: one sentence, names the leading hypothesis
    (any of ``leader_names``), uses its estimative ``phrase`` and no other phrase of the
    yardstick, and keeps confidence out of the probability sentence."""
    words = _words(text)
    written = bool(text.strip())
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]
    used = phrases_used(text, (phrase, *other_phrases))
    return (
        Check("is one sentence", len(sentences) == 1),
        Check("names the leading hypothesis", any(_words(n) in words for n in leader_names)),
        Check(f"says '{phrase}'", phrase in used),
        Check("uses no other estimative phrase", written and not used - {phrase}),
        Check(
            "keeps confidence out of it (that is a sentence of its own)",
            written and " confidence " not in words,
        ),
    )
