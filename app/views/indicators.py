"""Indicators: what to watch for, ranked by how much seeing it would tell us."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.views.context import View
from app.widgets import esc, percent_row, percent_words

#: expected information, in bits, as the table and the expanders print it
BITS = "%.3f"


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
    yardstick = analysis.yardstick
    rows = []
    for rank, ind in enumerate(analysis.indicators, start=1):
        rows.append(
            {
                "Rank": rank,
                "Indicator": ind.item.id,
                "Claim": ind.item.claim,
                "Expected information (bits)": ind.expected_information_bits,
                "P(seen)": percent_words(ind.probability_seen, yardstick),
                "Leader if seen": case.hypotheses[int(ind.if_seen.argmax())].label,
                "Leader if not seen": case.hypotheses[int(ind.if_not_seen.argmax())].label,
            }
        )
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={
            "Claim": st.column_config.TextColumn(
                "Claim", width="large", help="Open the indicator below to read it whole"
            ),
            "Expected information (bits)": st.column_config.NumberColumn(format=BITS),
        },
    )

    now = percent_row(case, analysis.posterior, yardstick)
    for rank, ind in enumerate(analysis.indicators, start=1):
        with st.expander(
            f"{rank}. {ind.item.id} · {BITS % ind.expected_information_bits} bits",
            expanded=rank == 1,
        ):
            st.markdown(esc(ind.item.claim), unsafe_allow_html=True)
            if ind.item.rationale:
                st.caption(esc(ind.item.rationale))
            table = pd.DataFrame(
                [
                    now,
                    percent_row(case, ind.if_seen, yardstick),
                    percent_row(case, ind.if_not_seen, yardstick),
                ],
                index=["Now", "If seen", "If not seen"],
            )
            st.dataframe(table, width="stretch")
            source = case.source_by_id[ind.item.source].name if ind.item.source else None
            st.caption(
                f"Probability of seeing it now: {percent_words(ind.probability_seen, yardstick)}"
                + (f" · expected source: {esc(source)}" if source else "")
            )
