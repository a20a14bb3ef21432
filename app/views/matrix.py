"""Matrix: evidence rows by hypothesis columns, heat-mapped by each cell's contribution.

Read-only by default, a page of rows at a time for a long case (:mod:`app.paging`),
so a rerun's cost follows what is on screen; the edit mode shows the likelihoods in a
data editor whose cell edits become the same overrides the Weigh page's sliders hold
(:mod:`app.state`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.case import Prob
from analysis.report.colours import SATURATION_DB
from analysis.scenario import describe, dropped_ratings
from analysis.wording import count
from app import state
from app.paging import page_of, page_size
from app.views.context import View
from app.widgets import (
    changes_panel,
    esc,
    heat_style,
    item_details,
    posterior_lines,
)

SORTS = {
    "diagnosticity": "Diagnosticity",
    "date": "Date",
    "file": "File order",
}
SHOWS = {"likelihoods": "Likelihoods", "ratings": "Heuer ratings"}
EDIT = "matrix_edit"
#: marks a cell (or row) whose number differs from the file
CHANGED = "●"
DIAG, LINCHPIN = "Diag. dB", "Linchpin"
#: The matrix tables' own columns: a hypothesis labelled like one is shown under its id.
READ_ONLY_COLUMNS = ("Item", "Date", DIAG, LINCHPIN, "Claim")


def row_order(view: View, sort: str) -> list[int]:
    """Item indices in the chosen order (the engine's date order; its diagnosticity)."""
    analysis = view.analysis
    if sort == "diagnosticity":
        return [int(i) for i in analysis.by_diagnosticity]
    if sort == "date":
        return [int(i) for i in analysis.trajectory_order]
    return list(range(len(view.case.evidence)))


#: Column widths (px) of the read-only matrix, chosen so that the whole table fits the
#: main area of a 1400 px window with the sidebar open (about 930 px); the claim takes
#: what the hypotheses leave.
WIDTHS = {"Item": 190, "Date": 84, DIAG: 58, LINCHPIN: 66}
HYPOTHESIS_WIDTH, FIT_WIDTH, MIN_CLAIM = 92, 926, 150
#: widths (px) of the editor's number and "Changed" columns
EDIT_WIDTH, CHANGED_WIDTH = 104, 120
#: rows the editor shows at once (it scrolls beyond them)
EDITOR_ROWS = 30
#: the editor's numbers, rounded to 3 decimals (a range's mean 0.4999998 shows 0.500)
EDIT_FORMAT = "%.3f"


def cell_text(prob: Prob) -> str:
    """A likelihood as the matrix shows it, compactly (a range as low–high)."""
    if prob.is_range:
        return f"{prob.low:g}–{prob.high:g}"
    return prob.describe()


def matrix_frame(view: View, order: list[int], show: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table to show and, cell by cell, its CSS (colour by contribution)."""
    analysis = view.analysis
    case = view.case
    moved = view.adjustments.likelihoods
    columns_of = state.editor_columns(case, READ_ONLY_COLUMNS)
    labels = list(columns_of)
    rows, styles = [], []
    for i in order:
        item = case.evidence[i]
        row = {"Item": item.id, "Date": item.date or ""}
        style = dict.fromkeys(row, "")
        for k, (h, column) in enumerate(zip(case.hypotheses, labels, strict=True)):
            if show == "ratings":
                rating = analysis.heuer.ratings[i][k]
                text = rating if analysis.heuer.given[i][k] else f"({rating})"
            else:
                text = cell_text(item.likelihoods[h.id])
            row[column] = f"{CHANGED} {text}" if (item.id, h.id) in moved else text
            style[column] = heat_style(float(analysis.contribution[i, k]))
        row[DIAG] = round(float(analysis.diagnosticity[i]), 1)
        row[LINCHPIN] = "yes" if analysis.linchpin[i] else ""
        row["Claim"] = item.claim
        style |= {DIAG: "", LINCHPIN: "", "Claim": ""}
        rows.append(row)
        styles.append(style)
    columns = ["Item", "Date", *labels, DIAG, LINCHPIN, "Claim"]
    return pd.DataFrame(rows, columns=columns), pd.DataFrame(styles, columns=columns)


def _read_only(view: View, order: list[int], shown: str) -> None:
    frame, css = matrix_frame(view, order, shown)
    styler = frame.style.apply(lambda _: css, axis=None).format({DIAG: "{:.1f}"})
    hypotheses = view.case.hypotheses
    claim = max(MIN_CLAIM, FIT_WIDTH - sum(WIDTHS.values()) - HYPOTHESIS_WIDTH * len(hypotheses))
    config = {
        "Item": st.column_config.TextColumn("Item", pinned=True, width=WIDTHS["Item"]),
        "Date": st.column_config.TextColumn("Date", width=WIDTHS["Date"]),
        DIAG: st.column_config.NumberColumn(
            DIAG,
            width=WIDTHS[DIAG],
            help="Diagnosticity: the largest weight of evidence between any two hypotheses, "
            "in decibans",
        ),
        LINCHPIN: st.column_config.TextColumn(
            LINCHPIN,
            width=WIDTHS[LINCHPIN],
            help="Without this item the leading hypothesis changes",
        ),
        "Claim": st.column_config.TextColumn(
            "Claim", width=claim, help="Open the item below to read the claim whole"
        ),
    }
    columns = state.editor_columns(view.case, READ_ONLY_COLUMNS)
    for column, h in zip(columns, hypotheses, strict=True):
        config[column] = st.column_config.TextColumn(
            h.label,
            width=HYPOTHESIS_WIDTH,
            help=esc(f"{h.label}: {h.description}" if h.description else h.label),
        )
    st.dataframe(
        styler,
        hide_index=True,
        width="stretch",
        height=38 + 35 * len(frame),  # every row visible: the matrix is read as a whole
        column_config=config,
    )
    if shown == "ratings":
        st.caption(
            "Heuer ratings: CC very consistent, C consistent, N neutral, NA not applicable, "
            "I inconsistent, II very inconsistent. In brackets: derived from the likelihood "
            "(the case gives no rating for that cell)."
        )
        _ratings_note(view)
    else:
        st.caption(
            "Likelihoods as written: P(this report | hypothesis). A range (low–high) is a "
            "90% interval; the closed form uses its Beta mean (open the item below to see "
            f"it). {CHANGED} marks a number moved from the file."
        )


def _ratings_note(view: View) -> None:
    """Say which given ratings the scenario replaced by ratings derived from new numbers."""
    dropped = dropped_ratings(view.file_case, view.adjustments)
    if dropped:
        cells = ", ".join(f"{item} / {view.case.labels[h]}" for item, h in dropped[:6])
        more = f" and {len(dropped) - 6} more" if len(dropped) > 6 else ""
        st.caption(
            f"{CHANGED} Ratings follow the numbers: {count(len(dropped), 'rating')} given in "
            f"the file now derive from a moved likelihood ({esc(cells)}{more}).",
            unsafe_allow_html=True,
        )


def editor_frame(view: View) -> pd.DataFrame:
    """One row per item (file order): the likelihoods in force, which changed, the claim."""
    case = view.case
    file_items = {item.id: item for item in view.file_case.evidence}
    moved = view.adjustments.likelihoods
    columns = state.editor_columns(case)
    rows = []
    for item in case.evidence:
        row: dict = {"Item": item.id}
        for name, h in columns.items():
            row[name] = float(item.likelihoods[h].value)
        changed = [name for name, h in columns.items() if (item.id, h) in moved]
        row["Changed"] = f"{CHANGED} " + ", ".join(changed) if changed else ""
        row["Claim"] = file_items[item.id].claim
        rows.append(row)
    return pd.DataFrame(rows, columns=["Item", *columns, "Changed", "Claim"])


def _editor(view: View) -> None:
    problems = st.session_state.pop(state.EDIT_PROBLEMS, None)
    if problems:
        st.error(
            "Not applied (the cells show the values in force):\n\n"
            + "\n".join(f"- {esc(p)}" for p in problems)
        )
    posterior, changed = st.columns(2, gap="medium")
    with posterior:
        st.markdown("**Posterior now**")
        posterior_lines(view.analysis, view.file_analysis if view.adjusted else None)
    with changed:
        changes_panel(
            describe(view.file_case, view.adjustments), "reset_matrix", state.reset_sliders, 8
        )
    frame = editor_frame(view)
    columns = state.editor_columns(view.case)
    claim = max(MIN_CLAIM, FIT_WIDTH - WIDTHS["Item"] - CHANGED_WIDTH - EDIT_WIDTH * len(columns))
    config = {
        "Item": st.column_config.TextColumn(
            "Item", disabled=True, pinned=True, width=WIDTHS["Item"]
        ),
        "Changed": st.column_config.TextColumn(
            "Changed", disabled=True, width=CHANGED_WIDTH, help="Hypotheses moved from the file"
        ),
        "Claim": st.column_config.TextColumn("Claim", disabled=True, width=claim),
    }
    for name, h in columns.items():
        # No min/max, step or required: the browser would clamp 1.5 to 1, drop the sign
        # of -0.2, truncate to the step's decimals or refuse an empty cell, silently;
        # sync_matrix_edits checks every entry and says what it did not apply.
        config[name] = st.column_config.NumberColumn(
            name,
            format=EDIT_FORMAT,
            width=EDIT_WIDTH,
            help=f"P(this report &#124; {esc(view.case.labels[h])}), a number from 0 to 1",
        )
    st.data_editor(
        frame,
        column_config=config,
        hide_index=True,
        width="stretch",
        height=38 + 35 * min(len(frame), EDITOR_ROWS),
        num_rows="fixed",
        key=state.editor_key(),
    )
    st.caption(
        "Type a likelihood from 0 to 1 in any cell: it becomes the same override as the "
        "Weigh page's slider for that cell, and every page follows. A range in the file "
        "shows its Beta mean and becomes the point you type. Rows are in file order."
    )


def _page(view: View, order: list[int]) -> list[int]:
    """The rows of ``order`` on the page chosen (all of them for a short case)."""
    evidence = view.case.evidence
    texts = [f"{evidence[i].id} {evidence[i].claim}" for i in order]
    shown = page_of(texts, "matrix_rows", page_size(len(view.case.hypotheses)))
    return [order[j] for j in shown]


def show(view: View) -> None:
    case = view.case
    st.header("The ACH matrix")
    st.caption(
        "Rows are evidence items, columns hypotheses. Each cell is coloured by how much the "
        "item moves that hypothesis, in decibans (green: towards it, purple: away; saturating "
        f"at ±{SATURATION_DB:g} dB), after the source's credibility is taken into account. "
        "Open an item below for its whole claim, source, credibility and rationale."
    )
    for key in ("matrix_sort", "matrix_show"):  # kept while the edit mode hides them
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    editing = st.toggle("Edit the likelihoods", key=EDIT)
    if editing:
        _editor(view)
        order = _page(view, list(range(len(case.evidence))))
    else:
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
        order = _page(view, row_order(view, sort or "diagnosticity"))
        _read_only(view, order, shown or "likelihoods")

    st.subheader("Each item's claim, source, credibility and rationale")
    for i in order:
        item = case.evidence[i]
        mark = " · **linchpin**" if view.analysis.linchpin[i] else ""
        claim = item.claim if len(item.claim) <= 90 else item.claim[:87].rstrip() + "..."
        with st.expander(f"**{item.id}**{mark}: {esc(claim)}"):
            item_details(view.analysis, i)
