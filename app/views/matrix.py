"""Matrix: evidence rows by hypothesis columns, heat-mapped by each cell's contribution."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from app.views.context import View
from app.widgets import SATURATION_DB, heat_style, item_details

SORTS = {
    "diagnosticity": "Diagnosticity",
    "date": "Date",
    "file": "File order",
}
SHOWS = {"likelihoods": "Likelihoods", "ratings": "Heuer ratings"}


def row_order(view: View, sort: str) -> list[int]:
    """Item indices in the chosen order (the engine's date order; its diagnosticity)."""
    analysis = view.analysis
    if sort == "diagnosticity":
        return [int(i) for i in np.argsort(-analysis.diagnosticity, kind="stable")]
    if sort == "date":
        return [int(i) for i in analysis.trajectory_order]
    return list(range(len(view.case.evidence)))


def matrix_frame(view: View, order: list[int], show: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table to show and, cell by cell, its CSS (colour by contribution)."""
    analysis = view.analysis
    case = view.case
    labels = [h.label for h in case.hypotheses]
    rows, styles = [], []
    for i in order:
        item = case.evidence[i]
        row = {
            "Item": item.id,
            "Date": item.date or "",
            "Source": item.source or "",
        }
        style = dict.fromkeys(row, "")
        for k, h in enumerate(case.hypotheses):
            if show == "ratings":
                rating = analysis.heuer.ratings[i][k]
                row[h.label] = rating if analysis.heuer.given[i][k] else f"({rating})"
            else:
                row[h.label] = item.likelihoods[h.id].describe()
            style[h.label] = heat_style(float(analysis.contribution[i, k]))
        row["Diagnosticity (dB)"] = round(float(analysis.diagnosticity[i]), 1)
        row["Linchpin"] = "yes" if analysis.linchpin[i] else ""
        row["Claim"] = item.claim
        style |= {"Diagnosticity (dB)": "", "Linchpin": "", "Claim": ""}
        rows.append(row)
        styles.append(style)
    columns = ["Item", "Date", "Source", *labels, "Diagnosticity (dB)", "Linchpin", "Claim"]
    return pd.DataFrame(rows, columns=columns), pd.DataFrame(styles, columns=columns)


def show(view: View) -> None:
    case = view.case
    st.header("The ACH matrix")
    st.caption(
        "Rows are evidence items, columns hypotheses. Each cell is coloured by how much the "
        "item moves that hypothesis, in decibans (green: towards it, purple: away; saturating "
        f"at ±{SATURATION_DB:g} dB), after the source's credibility is taken into account. "
        "Hover a claim to read it whole; open an item below for its source and rationale."
    )
    left, right = st.columns(2)
    sort = left.radio(
        "Sort by",
        list(SORTS),
        format_func=SORTS.get,
        horizontal=True,
        key="matrix_sort",
    )
    shown = right.radio(
        "Cells show",
        list(SHOWS),
        format_func=SHOWS.get,
        horizontal=True,
        key="matrix_show",
    )
    order = row_order(view, sort or "diagnosticity")
    frame, css = matrix_frame(view, order, shown or "likelihoods")
    styler = frame.style.apply(lambda _: css, axis=None).format({"Diagnosticity (dB)": "{:.1f}"})
    st.dataframe(
        styler,
        hide_index=True,
        width="stretch",
        height=38 + 35 * len(frame),  # every row visible: the matrix is read as a whole
        column_config={
            "Item": st.column_config.TextColumn("Item", pinned=True),
            "Claim": st.column_config.TextColumn("Claim", width="large"),
            "Diagnosticity (dB)": st.column_config.NumberColumn(
                help="Largest weight of evidence between any two hypotheses"
            ),
        },
    )
    if shown == "ratings":
        st.caption(
            "Heuer ratings: CC very consistent, C consistent, N neutral, NA not applicable, "
            "I inconsistent, II very inconsistent. In brackets: derived from the likelihood "
            "(the case gives no rating for that cell)."
        )
    else:
        st.caption(
            "Likelihoods as written: P(this report | hypothesis). A range is a 90% interval; "
            "the closed form uses its Beta mean (shown). Moved sliders show as plain numbers."
        )

    st.subheader("Each item's claim, source, credibility and rationale")
    for i in order:
        item = case.evidence[i]
        mark = " · **linchpin**" if view.analysis.linchpin[i] else ""
        claim = item.claim if len(item.claim) <= 90 else item.claim[:87].rstrip() + "..."
        with st.expander(f"**{item.id}**{mark}: {claim}"):
            item_details(view.analysis, i)
