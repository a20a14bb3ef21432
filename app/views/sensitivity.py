"""Sensitivity: linchpins, key assumptions, the tornado chart, and sources that carry the
conclusion."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.report.charts import tornado_chart
from analysis.scales import format_percent
from analysis.wording import joined, leaders_cell, shortened, who_leads
from app import state
from app.views.context import View
from app.widgets import esc, show_chart

#: The most characters of a linchpin's claim shown under it (the rest on request).
CLAIM_SHOWN = 300


def _linchpins(view: View) -> None:
    analysis = view.analysis
    case = view.case
    lead = analysis.leader
    st.subheader("Linchpins (leave one out)")
    st.caption(
        "Heuer's step 6: take each item away in turn. An item whose removal changes the "
        "leading hypothesis is a linchpin: check it before anything else."
    )
    if not analysis.linchpin_items:
        st.markdown(
            f"No single item is a linchpin: {esc(case.hypotheses[lead].label)} leads "
            "whichever item is left out.",
            unsafe_allow_html=True,
        )
    for i in analysis.linchpin_items:
        without = analysis.posterior_without[i]
        new = analysis.leader_without(i)
        st.markdown(
            f"**{esc(case.evidence[i].id)}**: without it, {esc(case.hypotheses[new].label)} "
            f"leads ({format_percent(float(without[new]))}) and "
            f"{esc(case.hypotheses[lead].label)} falls to {format_percent(float(without[lead]))}.",
            unsafe_allow_html=True,
        )
        claim = case.evidence[i].claim
        st.caption(esc(shortened(claim, CLAIM_SHOWN)))
        if len(claim) > CLAIM_SHOWN:
            with st.expander("The whole claim"):
                st.markdown(esc(claim), unsafe_allow_html=True)
    rows = [
        {
            "Item": item.id,
            f"{case.hypotheses[lead].label} without it": format_percent(
                float(analysis.posterior_without[i, lead])
            ),
            "Leader without it": case.hypotheses[analysis.leader_without(i)].label,
            "Linchpin": "yes" if analysis.linchpin[i] else "",
        }
        for i, item in enumerate(case.evidence)
    ]
    with st.expander("Every item left out in turn"):
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _assumptions(view: View) -> None:
    """Each key assumption: the posterior and the leader if it fails (the engine's)."""
    analysis = view.analysis
    case = view.case
    if not case.assumptions:
        return
    lead = analysis.leader
    st.subheader("Key assumptions (if one fails)")
    st.caption(
        "If an assumption fails, the items and events resting on it carry no weight. A "
        "linchpin assumption is one whose failure changes the leading hypothesis: check it "
        "first. Break one with its switch in the sidebar to see every page without it."
    )
    rows = []
    for result in analysis.assumptions:
        assumption = result.assumption
        new = result.leader_if_fails
        leaders = [case.hypotheses[k].label for k in result.leaders_if_fails]
        broken = assumption.id in view.adjustments.broken
        rows.append(
            {
                "Assumption": assumption.id,
                "Now": "broken" if broken else "holds",
                "Linchpin": "yes" if result.linchpin else "no",
                "Leader if it fails": leaders_cell(
                    leaders, format_percent(float(result.posterior_if_fails[new]))
                ),
                f"{case.hypotheses[lead].label} if it fails": format_percent(
                    float(result.posterior_if_fails[lead])
                ),
                "Items resting on it": len(view.file_case.resting_on(assumption)),
                "Statement": assumption.statement,
            }
        )
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={
            "Leader if it fails": st.column_config.TextColumn(
                "Leader if it fails", width="medium", help="Hover a cell to read it whole"
            ),
            "Statement": st.column_config.TextColumn(
                "Statement", help="Hover a cell to read the statement whole"
            ),
        },
    )
    for result in analysis.linchpin_assumptions:
        leaders = [case.hypotheses[k].label for k in result.leaders_if_fails]
        st.markdown(
            f"**{esc(result.assumption.id)}** is a linchpin: if it fails, "
            f"{esc(who_leads(leaders))}.",
            unsafe_allow_html=True,
        )


def _tornado(view: View) -> None:
    analysis = view.analysis
    lead = view.case.hypotheses[analysis.leader].label
    st.subheader(f"How far each number moves {esc(lead)}")
    st.caption(
        "Each likelihood and credibility is moved, one at a time, to the ends of its range: "
        "the 90% range the analyst wrote or, for a single number, the documented default "
        "band (the 5th-95th percentiles of its Beta with the case's concentration). The bars "
        f"show the posterior of {esc(lead)} at either end; the largest swings are on top. "
        "An item whose numbers are equal under every hypothesis weighs nothing as written, "
        "yet may swing far here: one of its numbers moved alone makes it take sides."
    )
    if len(analysis.tied) > 1:
        others = [view.case.hypotheses[k].label for k in analysis.tied if k != analysis.leader]
        st.caption(
            f"No hypothesis leads: the bars follow {esc(lead)}, the first of the "
            f"{len(analysis.tied)} tied; the others are {esc(joined(others))}."
        )
    bars = state.tornado_of(analysis, view.key)
    if not bars:
        st.info("No number in this case has a range to move across.")
        return
    show_chart(tornado_chart(bars, width=420, leader_label=lead))


def _sources(view: View) -> None:
    analysis = view.analysis
    st.subheader("Sources the conclusion rests on")
    notes = list(analysis.warnings)
    for note in notes:
        st.warning(esc(note))
    if not notes:
        st.markdown("No single source carries most of the conclusion.")
    rows = [
        {
            "Source": load.name,
            "Items": len(load.items),
            "Weight for the leader (dB)": round(load.leader_weight_db, 1),
            "Share of the deciding weight": f"{100 * load.share:.0f}%",
        }
        for load in sorted(analysis.sources, key=lambda s: -s.share)
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", height=38 + 35 * len(rows))


def show(view: View) -> None:
    st.header("Sensitivity")
    _linchpins(view)
    _assumptions(view)
    _tornado(view)
    _sources(view)
