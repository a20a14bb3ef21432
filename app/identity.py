"""Who is at the keyboard: an analyst names themself, and their moves become their file.

Once a name is given in the sidebar, the open case is shown *as that analyst sees it*
(the case with their judgment file overlaid), and every slider move or matrix edit is
saved at once to ``judgments/<case>/<name>.yaml`` through
:func:`analysis.casefile.judgment_save.save_judgments` (merged under a lock, checked,
atomic). The case files are never written, so several analysts can work on one case
at the same time on one server. Any analyst's view can also be opened read-only
("view as"): moves there stay an unsaved scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import streamlit as st
from pydantic_core import PydanticCustomError

from analysis.casefile.judgment_checks import CASE_ANALYST, check_analyst
from analysis.casefile.judgments import Judgments, load_judgments, overlay
from analysis.casefile.layout import JUDGMENTS, judgments_display, list_analysts
from analysis.casefile.references import passes as _passes
from analysis.errors import CaseError
from analysis.scenario import Adjustments, prune, scenario_prior
from app import state
from app.widgets import esc, problem_lines

#: session_state keys
NAME = "analyst_name"  # the sidebar's name box
ADDRESS_KEY = "analyst"  # ?analyst=<name> in the address keeps it over a reload
VIEW_AS = "view_as"  # an analyst whose view is open read-only (None: your own / the case)
SEEN = "analyst_seen"  # whose view the sliders were last relative to
KEPT_MOVES = "kept_moves"  # (case key, whose view) -> the unsaved moves made in it
PROBLEMS = "judgment_problems"  # located problems of the judgment files, shown once


def _stamps(root: Path, case: str) -> tuple:
    """(analyst, modification time) of every judgment file of ``case`` (a save reloads)."""
    folder = root / JUDGMENTS / case
    found = []
    try:
        names = list_analysts(root, case)
    except OSError:  # a folder that cannot be listed: the loader says so, located
        return (("", -1),)
    for name in names:
        try:
            found.append((name, (folder / f"{name}.yaml").stat().st_mtime_ns))
        except OSError:
            found.append((name, 0))
    return tuple(found)


@st.cache_resource(max_entries=32, show_spinner=False)
def _judgments(_case, case_key: tuple, root: str, stamps: tuple) -> dict[str, Judgments]:
    return load_judgments(_case, root)


def judgments_of(opened: state.Opened) -> tuple[dict[str, Judgments], list[str]]:
    """Every analyst's judgments of the open case, and the problems of bad files."""
    if opened.uploaded:
        return {}, []
    base = state.root()
    try:
        return _judgments(
            opened.case, opened.key, str(base.resolve()), _stamps(base, opened.case.name)
        ), []
    except CaseError as error:
        return {}, error.lines()


def sidebar_name(opened: state.Opened) -> str | None:
    """The analyst name box; the valid name given, else None."""
    if NAME not in st.session_state and st.query_params.get(ADDRESS_KEY):
        st.session_state[NAME] = st.query_params[ADDRESS_KEY]  # a reload, or ?analyst=kim
    box = st.sidebar.text_input(
        "Your name, to keep your own judgments",
        key=NAME,
        placeholder="e.g. kim",
        help="Your slider moves and matrix edits are saved to "
        f"{JUDGMENTS}/<case>/<name>.yaml, never to the case file. Lower-case letters, "
        "digits, '_' and '-'.",
    )
    name = (box or "").strip()
    state.keep_in_address(ADDRESS_KEY, name if _passes(check_analyst, name) else None)
    if not name:
        return None
    if opened.uploaded:
        st.sidebar.caption("An uploaded case has no folder to keep judgments in.")
        return None
    try:
        check_analyst(name)
    except PydanticCustomError as error:  # the checker's own words ("is 'x...'; ...")
        st.sidebar.error(esc(f"Your name {error.message()}."))
        return None
    return name


def viewed_as(name: str | None) -> str | None:
    """Whose numbers the pages show: an analyst opened read-only, else you, else the case."""
    chosen = st.session_state.get(VIEW_AS)
    return chosen if chosen not in (None, CASE_ANALYST) else name


def open_as(opened: state.Opened, who: str | None, judgments: dict) -> state.Opened:
    """``opened`` as analyst ``who`` sees it (their file overlaid); the case for None."""
    if who is None:
        return opened
    mine = judgments.get(who)
    stamp = None if mine is None else repr(mine.to_data())
    return replace(opened, case=overlay(opened.case, mine), key=(*opened.key, "as", who, stamp))


def _back() -> None:
    st.session_state[VIEW_AS] = None


def follow(who: str | None, case_key: tuple) -> None:
    """Sliders are relative to one analyst's view: another view starts them from its
    own moves, kept from when it was last open (none the first time), so that a look at
    a colleague's view loses nothing of yours."""
    if SEEN in st.session_state and st.session_state[SEEN] != who:
        kept = st.session_state.setdefault(KEPT_MOVES, {})
        kept[(case_key, st.session_state[SEEN])] = state.held_moves()
        state.reset_sliders()
        state.restore_moves(kept.pop((case_key, who), {}))
    st.session_state[SEEN] = who  # on the first run too, else the first switch kept nothing


def save_moves(
    opened: state.Opened, seen: state.Opened, name: str, adjustments: Adjustments
) -> Judgments:
    """Save ``adjustments`` (relative to ``seen``, the analyst's view) into their file."""
    from analysis.casefile.judgment_save import save_judgments

    priors = scenario_prior(seen.case, adjustments) if adjustments.priors else None
    return save_judgments(
        state.root(),
        opened.case,
        name,
        priors=priors,
        likelihoods=dict(adjustments.likelihoods),
        credibility=dict(adjustments.credibilities),
    )


@dataclass(frozen=True)
class Personal:
    """The open case as the pages show it, for whoever is at the keyboard."""

    seen: state.Opened  # the case, or an analyst's view of it
    adjustments: Adjustments  # unsaved moves (none but broken assumptions while saving)
    judgments: dict[str, Judgments]  # every analyst's, as saved
    panel_key: tuple  # (case version, judgment file versions)
    name: str | None  # who is saving (None: nobody)
    who: str | None  # whose numbers are shown (None: the case's)

    @property
    def status(self) -> str:
        if self.who is None:
            return ""
        if self.who != self.name:
            return f"viewing as **{self.who}** (read only: moves are not saved)"
        case = self.seen.case.name
        return f"your judgments, saved to {judgments_display(case, self.who)}"


def sidebar(opened: state.Opened) -> str | None:
    """The sidebar's part (``main`` calls it once per full run): the name box, the
    problems of bad judgment files, and the way back from another analyst's view.
    Returns the valid name given, else None."""
    name = sidebar_name(opened)
    judgments, problems = judgments_of(opened)
    if problems:
        st.sidebar.error("Judgment files with problems (fix them to use them):")
        problem_lines(problems, st.sidebar)
    who = _who(name, judgments)
    if who is not None and who != name:
        back = "Back to your own view" if name else "Back to the case's numbers"
        st.sidebar.button(back, key="view_as_back", on_click=_back)
    return name


def _who(name: str | None, judgments: dict) -> str | None:
    """Whose view is open; a view of an analyst with no (good) file falls back to yours."""
    who = viewed_as(name)
    if who is not None and who != name and who not in judgments:
        st.session_state[VIEW_AS] = None
        who = name
    return who


def personal_view(opened: state.Opened, name: str | None, notes=None) -> Personal:
    """The case as ``name`` (from :func:`sidebar`) sees it, with the sliders' moves;
    the moves are saved to their file. Draws nothing but a failed save, in ``notes``
    (default the sidebar; a fragment, which cannot write there, passes its own area)."""
    notes = st.sidebar if notes is None else notes
    judgments, problems = judgments_of(opened)
    who = _who(name, judgments)
    follow(who, opened.key[:2])
    seen = open_as(opened, who, judgments)
    adjustments = state.sync_sliders(seen)
    saving = name is not None and who == name and not problems
    if saving and adjustments.numbers:  # broken assumptions are a view, not a judgment
        try:
            judgments = {**judgments, name: save_moves(opened, seen, name, adjustments)}
        except CaseError as error:
            notes.error("Your moves could not be saved:")
            problem_lines(error.lines(), notes)
        except OSError as error:  # a full disk, a read-only folder
            notes.error(f"Your moves could not be saved: {error.strerror or error}.")
        else:
            seen = open_as(opened, who, judgments)
            adjustments = prune(seen.case, adjustments)
    stamps = () if opened.uploaded else _stamps(state.root(), opened.case.name)
    return Personal(seen, adjustments, judgments, (opened.key, stamps), name, who)
