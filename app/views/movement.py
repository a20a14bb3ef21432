"""How the evidence moved it: contributions, the trajectory over time, the waterfall."""

from __future__ import annotations

import streamlit as st

from analysis.report.charts import (
    contribution_chart,
    trajectory_chart,
    trajectory_note,
    waterfall_chart,
)
from app.views.context import View
from app.widgets import esc, show_chart

#: Above this many items the contribution grid (a row per item) is drawn when asked for,
#: and the waterfall shows the heaviest items, the rest pooled: the page's cost then
#: follows what is on screen, not the case's length.
LONG = 60
WATERFALL_TOP = 40

#: The widest the contribution grid's columns may be together, in pixels: with the item
#: ids beside them it fits the main column of a 1400 px window (12 hypotheses with long
#: labels ran past it, their last columns cut off).
GRID_WIDTH = 560


def no_weight(view: View) -> dict[int, str]:
    """Item index -> why it carries no weight here (:meth:`View.no_weight`)."""
    reasons = {}
    for i, item in enumerate(view.case.evidence):
        if item.retracted:
            reasons[i] = view.no_weight(i) or "retracted"
    return reasons


def show(view: View) -> None:
    analysis = view.analysis
    case = view.case
    lead = esc(case.hypotheses[analysis.leader].label)
    run = esc(case.hypotheses[analysis.runner_up].label)
    st.header("How the evidence moved it")

    st.subheader("Contribution of each item")
    st.caption(
        "Centred decibans that each item adds to each hypothesis (10 log10 of its effective "
        "likelihood, centred over the hypotheses). With the prior row they add up exactly to "
        "the total row, the posterior's log-odds; hover a cell for the item, its source, "
        "credibility and likelihoods. The reports of one event stand together, marked with "
        "the event and their place: the first carries most, each later one only what "
        "corroboration adds. An item without weight (retracted, or resting on a broken "
        "assumption) shows 0."
    )
    sort = st.radio(
        "Order the items by",
        ["file", "diagnosticity"],
        format_func={"file": "File order", "diagnosticity": "Diagnosticity"}.get,
        horizontal=True,
        key="movement_sort",
    )
    n = len(case.evidence)
    grid = None
    if n > LONG:
        grid = st.expander(
            f"The grid of all {n} items, a row each: open it to draw it",
            key="movement_grid",
            on_change="rerun",
        )
    if grid is None or grid.open:
        with grid if grid is not None else st.container():
            show_chart(
                contribution_chart(
                    analysis,
                    sort=sort or "file",
                    no_weight=no_weight(view),
                    max_width=GRID_WIDTH,
                )
            )

    st.subheader("The picture over time")
    st.caption(esc(trajectory_note(analysis.case)))
    show_chart(trajectory_chart(analysis, width=640))

    st.subheader(f"{lead} against {run}")
    st.caption(
        f"The weight of evidence for the leader ({lead}) over the runner-up ({run}), item by "
        "item, from the prior odds to the posterior odds, in decibans. 10 dB is odds of 10 "
        "to 1; Jeffreys' grades: under 5 barely worth mentioning, 5-10 substantial, 10-15 "
        "strong, 15-20 very strong, over 20 decisive."
    )
    if n > WATERFALL_TOP:
        st.caption(
            f"The {WATERFALL_TOP} items that weigh most, in file order; the other "
            f"{n - WATERFALL_TOP} are pooled into one step."
        )
    show_chart(waterfall_chart(analysis, width=560, top=WATERFALL_TOP))
