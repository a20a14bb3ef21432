"""Writing one analyst's judgment file: merged, validated, atomic and race-free.

:func:`save_judgments` is the one way the dashboard (slider moves, matrix edits) and
the Learn pages (a student's exercise ratings) write ``judgments/<case>/<analyst>.yaml``.
It never touches the case files. Under a lock on the case's judgment folder it reads
the analyst's current file, merges the new cells in (its comments and layout kept) or
replaces it, checks the
result exactly as the loader would, and replaces the file in one step
(:func:`analysis.atomic.write_atomically`), so two analysts (or two tabs of one)
saving at the same moment lose nothing and a reader never sees half a file.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypedDict, Unpack

import yaml

from analysis.atomic import write_atomically
from analysis.case import Case, Prob
from analysis.casefile.judgments import Judgments, load_analyst, parse_judgments
from analysis.casefile.layout import judgment_path

try:  # POSIX: a lock several server processes respect
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

#: What a number may be given as: a point, a (low, high) 90% range, a word, or a Prob.
Value = float | tuple[float, float] | list[float] | str | Prob

HEADER = (
    "# {analyst}'s judgments of case '{case}', written by the ACH workbench.\n"
    "# Cells left out keep the case's values. Edit freely; the workbench merges into it.\n"
)

_THREAD_LOCKS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (threads of this process and other processes)."""
    with _GUARD:
        lock = _THREAD_LOCKS.setdefault(str(folder.resolve()), threading.Lock())
    with lock:
        if fcntl is None:
            yield
            return
        fd = os.open(folder, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def as_prob(value: Value) -> Prob:
    """A value as the loader would read it (ranges get their Beta mean)."""
    from analysis.casefile.loader import _prob

    if isinstance(value, Prob):
        return value
    if isinstance(value, list | tuple):
        return _prob((float(value[0]), float(value[1])))
    return _prob(value if isinstance(value, str) else float(value))


class Cells(TypedDict, total=False):
    """What a save may set (each optional): ``likelihoods`` and ``ratings`` map
    ``(item, event or indicator id, hypothesis id)`` to a value or a Heuer rating,
    ``credibility`` maps source ids, ``priors`` gives every hypothesis (summing to 1)."""

    priors: Mapping[str, float] | None
    likelihoods: Mapping[tuple[str, str], Value] | None
    ratings: Mapping[tuple[str, str], str] | None
    credibility: Mapping[str, Value] | None
    rationale: Mapping[str, str] | None
    notes: str | None


def judged(case: Case, cells: Mapping[tuple[str, str], Any] | None) -> dict:
    """``cells`` with a report of an event named by its event: the report has no numbers
    of its own, so a move of it (a slider, a matrix edit) judges the event."""
    event_of = {item.id: item.event for item in case.evidence if item.event is not None}
    return {(event_of.get(i, i), h): v for (i, h), v in (cells or {}).items()}


def merged(old: Judgments, **cells: Unpack[Cells]) -> Judgments:
    """``old`` with the given cells set (a number drops the old rating of its cell
    unless a rating is given too, as the overlay reads it)."""
    numbers = cells.get("likelihoods") or {}
    ratings = cells.get("ratings") or {}
    priors = cells.get("priors")
    notes = cells.get("notes")
    new_l = {**old.likelihoods, **{k: as_prob(v) for k, v in numbers.items()}}
    new_r = {k: r for k, r in old.ratings.items() if k not in numbers}
    new_r.update(ratings)
    for key in ratings:
        if key not in numbers:
            new_l.pop(key, None)  # a new rating replaces the analyst's old number
    credibility = {k: as_prob(v) for k, v in (cells.get("credibility") or {}).items()}
    return replace(
        old,
        priors={h: float(p) for h, p in priors.items()} if priors else old.priors,
        likelihoods=new_l,
        ratings=new_r,
        credibility={**old.credibility, **credibility},
        rationale={**old.rationale, **(cells.get("rationale") or {})},
        notes=old.notes if notes is None else notes,
    )


def judgments_text(judgments: Judgments, previous: str | None = None) -> str:
    """The YAML text of ``judgments``: ``previous`` (the file as it is) changed to hold
    them, its comments and layout kept (:func:`~analysis.casefile.edit.merged_text`), or
    a new file with the workbench's header."""
    if previous is not None:
        from analysis.casefile.edit import merged_text

        kept = merged_text(previous, judgments.to_data())
        if kept is not None:
            return kept
    body = yaml.safe_dump(
        judgments.to_data(), sort_keys=False, allow_unicode=True, width=100, default_flow_style=None
    )
    return HEADER.format(analyst=judgments.analyst, case=judgments.case) + body


def save_judgments(
    root: str | Path,
    case: Case,
    analyst: str,
    *,
    replace_all: bool = False,
    **cells: Unpack[Cells],
) -> Judgments:
    """Save ``analyst``'s judgments of ``case`` under ``root``; return them as loaded back.

    ``cells`` are those of :class:`Cells`; a cell of a report of an event is saved as
    its event's (:func:`judged`). They are merged into the analyst's current file (cells
    not given stay as they were), or, with ``replace_all=True``, replace it entirely.

    Raises :class:`~analysis.errors.CaseError` (located problems) when the result would
    not load (e.g. an unknown item) or when the current file is itself invalid (it is
    then left alone: nothing a user wrote is overwritten silently), and
    :class:`~analysis.errors.CaseNameError` for a bad case or analyst name.
    """
    cells["likelihoods"] = judged(case, cells.get("likelihoods"))
    cells["ratings"] = judged(case, cells.get("ratings"))
    path = judgment_path(root, case.name, analyst)
    path.parent.mkdir(parents=True, exist_ok=True)
    with folder_lock(path.parent):
        previous = None
        if path.exists() and not replace_all:
            old = load_analyst(case, analyst, root)  # refuses an invalid file, left alone
            previous = path.read_bytes().decode("utf-8")  # its line ends as they are
        else:
            old = Judgments(case.name, analyst)
        text = judgments_text(merged(old, **cells), previous)
        checked = parse_judgments(case, text, analyst)  # refuses what the loader would
        write_atomically(path, text.encode("utf-8"))
    return checked
