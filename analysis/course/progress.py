"""A student's progress through the course, kept between visits.

One JSON file per student, ``<root>/.ach/progress/<student>.json``, written atomically::

    {"student": "ana", "version": 1, "lesson": "matrix",
     "lessons": {"hypotheses": {"answers": {...}, "score": [3.0, 3.0]}}}

``answers`` is what the student committed: ``choices`` (question id -> option index),
``ratings`` ("item|hypothesis" -> rating), ``bottom_line`` (text). A file that cannot
be read is a located problem (the caller shows it and does not write over it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from analysis.atomic import write_atomically
from analysis.errors import CaseError, Problem

VERSION = 1
STUDENT = re.compile(r"^[a-z0-9_-]{1,64}$")
FOLDER = Path(".ach") / "progress"


@dataclass
class Progress:
    student: str
    lesson: str | None = None
    #: lesson id -> {"answers": {...}, "score": [points, out_of]}
    lessons: dict[str, dict] = field(default_factory=dict)

    def to_json(self) -> str:
        data = {"student": self.student, "version": VERSION, "lesson": self.lesson}
        return json.dumps(data | {"lessons": self.lessons}, indent=2, sort_keys=True) + "\n"


def check_student(name: str) -> str | None:
    """Why ``name`` cannot name a progress file (None when it can)."""
    if STUDENT.match(name):
        return None
    return "use 1-64 lower-case letters, digits, '-' or '_' (for example 'ana' or 'group-3')"


def progress_path(root: Path, student: str) -> Path:
    return Path(root) / FOLDER / f"{student}.json"


def load_progress(root: Path, student: str) -> Progress:
    """The student's saved progress, or a fresh one; a bad file raises CaseError."""
    path = progress_path(root, student)
    shown = str(FOLDER / path.name)
    if not path.exists():
        return Progress(student)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise CaseError([Problem(shown, 0, f"cannot be read ({error}); move it away")]) from None
    except json.JSONDecodeError as error:
        message = f"is not valid JSON ({error.msg}); move it away to start afresh"
        raise CaseError([Problem(shown, error.lineno, message)]) from None
    problems = []
    if not isinstance(data, dict):
        raise CaseError([Problem(shown, 1, "must be a JSON object; move it away")])
    if data.get("student") != student:
        problems.append(Problem(shown, 1, f"'student' must be '{student}', the file's name"))
    lessons = data.get("lessons", {})
    if not isinstance(lessons, dict) or not all(isinstance(v, dict) for v in lessons.values()):
        problems.append(Problem(shown, 1, "'lessons' must map lesson ids to objects"))
    if problems:
        raise CaseError(problems)
    lesson = data.get("lesson")
    return Progress(student, lesson if isinstance(lesson, str) else None, dict(lessons))


def save_progress(root: Path, progress: Progress) -> Path:
    """Write the progress file atomically (the folder is made when missing)."""
    path = progress_path(root, progress.student)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, progress.to_json().encode("utf-8"))
    return path
