"""Build: give a hypothesis that entries leave unrated a number in all of them at once.

A hypothesis added to a case of many items would otherwise take an edit per item, event
and indicator. The panel offers each entry's neutral number (the mean of its others, so
the new hypothesis is weighed like an average one by the entry until someone weighs it) or one
answer for all, written as the answer fields take it (``N``, ``0.3``, ``[0.2, 0.4]``).
"""

from __future__ import annotations

import streamlit as st

from analysis.casefile.edit import Draft
from analysis.interchange.common import split_answer
from analysis.wording import count
from app import build_state as bs
from app.widgets import esc

NEUTRAL, ONE_ANSWER = "neutral", "one"
CHOICES = {
    NEUTRAL: "Each entry's neutral number (the mean of its other hypotheses' numbers)",
    ONE_ANSWER: "One answer for all of them",
}


def fill_panel(current: Draft) -> None:
    """For each hypothesis some entries leave unrated: how many, and a way to fill them."""
    for hypothesis in current.entries("hypotheses"):
        if not isinstance(hypothesis, dict) or not hypothesis.get("id"):
            continue
        ident = str(hypothesis["id"])
        places = current.unrated(ident)
        if places:
            _panel(ident, str(hypothesis.get("label") or ident), places)


def _panel(ident: str, label: str, places: list[tuple[str, int]]) -> None:
    prefix = f"b|fill|{ident}|{bs.generation()}"
    with st.form(f"{prefix}|form", border=True):
        st.markdown(
            f"**{count(len(places), 'entry', 'entries')}** (items, events, indicators) give "
            f"no number for **{esc(label)}**. Fill them all at once, then weigh the ones "
            "that matter one by one:"
        )
        how = st.radio(
            "How", list(CHOICES), format_func=CHOICES.get, key=f"{prefix}|how",
            label_visibility="collapsed",
        )  # fmt: skip
        answer = st.text_input(
            "The answer for all of them", "N", key=f"{prefix}|answer",
            help="A rating (CC, C, N, I, II, NA), a likelihood (0.3) or a 90% range "
            "([0.2, 0.4]); used with 'One answer for all of them'.",
        )  # fmt: skip
        filled = st.form_submit_button(
            f"Fill {count(len(places), 'empty cell')} for {esc(label)}", key=f"{prefix}|go"
        )
    if not filled:
        return
    if how == NEUTRAL:
        bs.edit(lambda d: d.fill_unrated(ident))
    else:
        number, rating, unknown = split_answer(answer)
        if unknown is not None or not (rating is not None or _readable(number)):
            st.error(
                f"{answer.strip()!r} is not an answer: give a rating (CC, C, N, I, II, NA), "
                "a likelihood such as 0.3 or a range such as [0.2, 0.4]"
            )
            return
        bs.edit(lambda d: d.fill_unrated(ident, number, rating))
    bs.notice("success", f"Filled {count(len(places), 'empty cell')} for {esc(label)}.")
    st.rerun()


def _readable(number) -> bool:
    """A likelihood or a range of two, as :func:`split_answer` reads them (it hands
    unreadable text back as it is, for the case loader to word the problem)."""
    if isinstance(number, list):
        return len(number) == 2 and all(_readable(n) for n in number)
    return isinstance(number, int | float) and not isinstance(number, bool)
