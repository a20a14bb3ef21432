"""Shared fixtures."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Every property test draws the same examples on every run and machine (seeded from the
# test's own hash, no example database carried over from an earlier failure), so the
# suite passes or fails alike everywhere. HYPOTHESIS_PROFILE=explore draws fresh random
# examples (as many as each test asks) to look for new failures.
settings.register_profile("ach", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ach"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


#: The three-hypothesis toy case's hypotheses file (tests write their own evidence).
TOY_HYPOTHESES = """\
case: toy
title: Toy question
question: Which?
hypotheses:
  - {id: a, label: Alpha}
  - {id: b, label: Beta}
  - {id: c, label: Gamma}
"""


def write_case(root: Path, hypotheses: str, evidence: str, name: str = "toy") -> Path:
    """Write case ``name``'s two files under ``root``; return ``root``."""
    for folder, text in (("hypotheses", hypotheses), ("evidence", evidence)):
        (root / folder).mkdir(exist_ok=True)
        (root / folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root


def start_app(root: Path | None, page: str | None, timeout: float = 180, **state):
    """The dashboard in AppTest on ``root``'s cases (None: the app's default), opened on
    ``page`` (None: its first page) and run once (``state``: more session-state keys to
    set first); it must not raise."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app" / "streamlit_app.py"), default_timeout=timeout)
    if root is not None:
        at.session_state["root"] = str(root)
    if page is not None:
        at.session_state["page"] = page
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def weigh_open(*items: str, events: tuple[str, ...] = ()) -> dict[str, bool]:
    """Session state that opens these items' (and ``events``') expanders on the Weigh
    page, as a click does: a closed one draws no sliders."""
    from app.views.weigh import open_key

    return {open_key(item): True for item in items} | {
        open_key(event, event=True): True for event in events
    }


def open_items(at, *items: str, events: tuple[str, ...] = ()):
    """Open these expanders on the Weigh page (:func:`weigh_open`) and run."""
    for key, value in weigh_open(*items, events=events).items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def weigh_tab(at, label: str):
    """Choose the Weigh page's tab ``label`` (only the chosen tab is drawn) and run."""
    from app.views.weigh import TAB, TABS

    assert label in TABS, label
    at.session_state[TAB] = label
    at.run()
    assert not at.exception, at.exception
    return at
