"""The Build page's session state: the draft being edited, its undo stack, its problems.

The draft (:class:`~analysis.casefile.edit.Draft`) lives in ``st.session_state``; every
edit goes through :func:`edit`, which first pushes the draft's texts on the undo stack.
Problems are the loader's own, checked once per draft version (cached by its texts),
and located on the draft's fields through the line of each value.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import streamlit as st

from analysis.case import Case
from analysis.casefile.crosscheck import MISSING_CELLS
from analysis.casefile.edit import Draft
from analysis.casefile.yamlio import parse_yaml
from analysis.errors import Problem

DRAFT = "build_draft"
UNDO = "build_undo_stack"  # list of (name, texts, origin, base), newest last
CHECKED = "build_checked"  # (digest of texts, case or None, problems, located)
GENERATION = "build_generation"  # bumped on every edit: forms redraw from the draft
NOTICE = "build_notice"  # (kind, text) shown once after a rerun
CONFLICT = "build_conflict"  # the changes a refused save found on disk
UNDO_LIMIT = 50


def draft() -> Draft | None:
    return st.session_state.get(DRAFT)


def generation() -> int:
    return st.session_state.get(GENERATION, 0)


def _bump() -> None:
    st.session_state[GENERATION] = generation() + 1


def start(new: Draft) -> None:
    """Begin editing ``new`` (the undo stack starts empty)."""
    st.session_state[DRAFT] = new
    st.session_state[UNDO] = []
    st.session_state.pop(CONFLICT, None)
    _bump()


def close() -> None:
    for key in (DRAFT, UNDO, CHECKED, CONFLICT):
        st.session_state.pop(key, None)
    _bump()


def edit(change: Callable[[Draft], None]) -> None:
    """Apply ``change`` to the draft as one undoable edit."""
    current = draft()
    if current is None:
        return
    before = (current.name, current.texts(), current.origin, list(current.base))
    change(current)
    if current.texts() != before[1] or current.name != before[0]:
        stack = st.session_state.setdefault(UNDO, [])
        stack.append(before)
        del stack[:-UNDO_LIMIT]
    _bump()


def saved() -> None:
    """After a save: undo reaches back only to the saved version."""
    st.session_state[UNDO] = []
    _bump()


def can_undo() -> bool:
    return bool(st.session_state.get(UNDO))


def undo() -> None:
    stack = st.session_state.get(UNDO)
    if not stack:
        return
    name, texts, origin, base = stack.pop()
    st.session_state[DRAFT] = Draft.from_texts(name, texts, base=base, origin=origin)
    _bump()


def notice(kind: str, text: str) -> None:
    st.session_state[NOTICE] = (kind, text)


def show_notice() -> None:
    found = st.session_state.pop(NOTICE, None)
    if found:
        getattr(st, found[0])(found[1])


# -- problems -------------------------------------------------------------------------------
def checked() -> tuple[Case | None, list[Problem], dict[tuple, list[str]]]:
    """(the case, or None; every problem; messages by the draft path they sit at)."""
    current = draft()
    if current is None:
        return None, [], {}
    texts = current.texts()
    key = hashlib.sha256("\0".join((current.name, *texts)).encode()).hexdigest()
    cached = st.session_state.get(CHECKED)
    if cached is None or cached[0] != key:
        case, problems = current.check()
        cached = (key, case, problems, locate(current, problems))
        st.session_state[CHECKED] = cached
    return cached[1], cached[2], cached[3]


def locate(current: Draft, problems: list[Problem]) -> dict[tuple, list[str]]:
    """Each problem's message under the deepest draft paths written on its line (of
    several on one line, those whose key the message quotes).

    Problems no line places (a whole file) are under the empty path ``()``.
    """
    if not problems:
        return {}
    by_line: dict[tuple[str, int], list[tuple]] = {}
    for display, text in zip(current.displays(), current.texts(), strict=True):
        document = parse_yaml(text, display, every_line=True)
        for path, line in document.lines.items():
            by_line.setdefault((display, line), []).append(tuple(path))
    located: dict[tuple, list[str]] = {}
    for problem in problems:
        paths = by_line.get((problem.path, problem.line), [])
        deepest = max((len(p) for p in paths), default=0)
        places = [p for p in paths if len(p) == deepest] or [()]
        # several places on one line ({h1: 2, h2: xyz}): the ones the message names
        # ("likelihood for 'h1'"), else all of them
        named = [p for p in places if p and f"{p[-1]!r}" in problem.message]
        missing = _missing_cells(problem.message)
        if missing and len(places[0]) >= 2:  # under the empty field of each, in its entry
            named = [(*places[0][:2], "likelihoods", h) for h in missing]
        message = _without_lines(problem.message, problem.path, by_line)
        for place in named or places:
            located.setdefault(place, []).append(message)
    return located


_ON_LINE = re.compile(r"\bon line (\d+)")
_QUOTED = re.compile(r"'([^']*)'")


def _missing_cells(message: str) -> list[str]:
    """The hypothesis ids a "has no likelihood or rating for 'a', 'b'" problem names."""
    _, found, rest = message.partition(MISSING_CELLS)
    return _QUOTED.findall(rest.split(";")[0]) if found else []


def _without_lines(message: str, display: str, by_line: dict[tuple[str, int], list[tuple]]):
    """``message`` with each "on line N" of its file told as the entry written there
    ("in row #4 of the Evidence step"): the Build page shows forms, not the file's
    lines."""

    def entry(match: re.Match) -> str:
        paths = by_line.get((display, int(match.group(1))), [])
        listed = [p for p in paths if len(p) >= 2 and isinstance(p[1], int)]
        if not listed:
            return match.group()
        key, index = min(listed, key=len)[:2]
        return f"in row #{index + 1} of the {str(key).capitalize()} step"

    return _ON_LINE.sub(entry, message)


def messages_under(located: dict[tuple, list[str]], prefix: tuple) -> list[str]:
    """The messages at ``prefix`` or anywhere below it (each once)."""
    found = [m for path, ms in located.items() if path[: len(prefix)] == prefix for m in ms]
    return list(dict.fromkeys(found))
