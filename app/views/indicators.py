"""Indicators: what to watch for, ranked by how much seeing it would tell us."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.scales import format_percent
from app.views.context import View
from app.widgets import esc, percent_row


def show(view: View) -> None:
    analysis = view.analysis
    case = view.case
    st.header("Indicators to watch")
    st.caption(
        "Heuer's step 8: reports not yet seen, ranked by expected information about the "
        "question (in bits) under the current posterior, each with the posterior if it is "
        "seen and if it is not."
    )
    if not analysis.indicators:
        st.info("This case lists no indicators.")
        return
    rows = []
    for rank, ind in enumerate(analysis.indicators, start=1):
        rows.append(
            {
                "Rank": rank,
                "Indicator": ind.item.id,
                "Expected information (bits)": round(ind.expected_information_bits, 3),
                "P(seen)": format_percent(ind.probability_seen),
                "Leader if seen": case.hypotheses[int(ind.if_seen.argmax())].label,
                "Leader if not seen": case.hypotheses[int(ind.if_not_seen.argmax())].label,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

    now = percent_row(case, analysis.posterior)
    for rank, ind in enumerate(analysis.indicators, start=1):
        with st.expander(
            f"{rank}. {ind.item.id} · {ind.expected_information_bits:.3f} bits",
            expanded=rank == 1,
        ):
            st.markdown(esc(ind.item.claim), unsafe_allow_html=True)
            if ind.item.rationale:
                st.caption(ind.item.rationale)
            table = pd.DataFrame(
                [now, percent_row(case, ind.if_seen), percent_row(case, ind.if_not_seen)],
                index=["Now", "If seen", "If not seen"],
            )
            st.dataframe(table, width="stretch")
            source = case.source_by_id[ind.item.source].name if ind.item.source else None
            st.caption(
                f"Probability of seeing it now: {format_percent(ind.probability_seen)}"
                + (f" · expected source: {source}" if source else "")
            )
