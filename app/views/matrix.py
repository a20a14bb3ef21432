"""Matrix: evidence rows by hypothesis columns, heat-mapped by each cell's contribution.

Reports of one event are grouped: the event's row (its likelihoods, its weight) and its
reports beneath it, in the order the chain rule weighs them. Tags are shown and can be
filtered; a retracted item is shown struck through and carries no weight.

Read-only by default, a page of rows at a time for a long case (:mod:`app.paging`),
so a rerun's cost follows what is on screen; the edit mode shows the likelihoods in a
data editor whose cell edits become the same overrides the Weigh page's sliders hold
(:mod:`app.state`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.case import Event, Item
from analysis.report.colours import SATURATION_DB
from analysis.scales import neutral_band
from analysis.scenario import dropped_ratings
from analysis.wording import count, shortened
from app import state
from app.paging import page_of, page_size
from app.views.context import View
from app.views.matrix_rows import (
    CHANGED,
    CHANGED_WIDTH,
    DIAG,
    EDIT_FORMAT,
    EDIT_WIDTH,
    EDITOR_ROWS,
    FIT_WIDTH,
    HYPOTHESIS_WIDTH,
    LINCHPIN,
    MIN_CLAIM,
    READ_ONLY_COLUMNS,
    TAGS,
    WIDTHS,
    Row,
    grouped,
    header_width,
    matrix_frame,
    row_order,
)
from app.widgets import (
    changes_panel,
    esc,
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
TAG_FILTER = "matrix_tags"


def _read_only(view: View, rows: list[Row], shown: str) -> None:
    frame, css = matrix_frame(view, rows, shown)
    styler = frame.style.apply(lambda _: css, axis=None).format({DIAG: "{:.1f}"})
    hypotheses = view.case.hypotheses
    widths = [header_width(h.label, HYPOTHESIS_WIDTH) for h in hypotheses]
    claim = max(MIN_CLAIM, FIT_WIDTH - sum(WIDTHS.values()) - sum(widths))
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
            help="Without this item (or event) the leading hypothesis changes",
        ),
        TAGS: st.column_config.TextColumn(
            TAGS, width=WIDTHS[TAGS], help="The item's labels; filter them above the table"
        ),
        "Claim": st.column_config.TextColumn(
            "Claim", width=claim, help="Open the item below to read the claim whole"
        ),
    }
    columns = state.editor_columns(view.case, READ_ONLY_COLUMNS)
    for column, h, width in zip(columns, hypotheses, widths, strict=True):
        config[column] = st.column_config.TextColumn(
            h.label,
            width=width,
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
        low, high = neutral_band()
        st.caption(
            "Heuer ratings: CC very consistent, C consistent, N neutral, NA not applicable, "
            "I inconsistent, II very inconsistent. In brackets: derived from the likelihood "
            "(the case gives no rating for that cell), against the item's mean likelihood: "
            f"from {low:.2f} to {high:.2f} times it is N, so a mild difference the colours "
            "show can stay N. Each report of an event is rated by its event's likelihoods."
        )
        _heuer_scores(view)
        _ratings_note(view)
    else:
        st.caption(
            "Likelihoods as written: P(this report | hypothesis). A range (low–high) is a "
            "90% interval; the closed form uses its Beta mean (open the item below to see "
            f"it). {CHANGED} marks a number moved from the file. An event's row holds the "
            "likelihoods its reports share (P(the event | hypothesis)); each report beneath it "
            "is coloured by the weight it adds, the first the most. A struck-through item "
            "carries no weight."
        )


def _heuer_scores(view: View) -> None:
    """Heuer's inconsistency counts, and the note when an event's reports are counted apart."""
    heuer = view.analysis.heuer
    scores = " · ".join(
        f"{esc(h.label)} {int(n)} (weighted {w:.2f})"
        for h, n, w in zip(
            view.case.hypotheses, heuer.inconsistency, heuer.weighted_inconsistency, strict=True
        )
    )
    st.caption(f"Inconsistency scores (Heuer; retracted items not counted): {scores}.")
    if heuer.note:
        st.caption(esc(heuer.note))


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
    """One row per lone item and one per event (:func:`app.state.likelihood_rows`): the
    likelihoods in force, which changed, the claim (an event's: what it is, who reports it)."""
    case = view.case
    moved = view.adjustments.likelihoods
    columns = state.editor_columns(case)
    rows = []
    for holder in state.likelihood_rows(case):
        row: dict = {"Item": holder.id}
        for name, h in columns.items():
            row[name] = float(holder.likelihoods[h].value)
        changed = [name for name, h in columns.items() if (holder.id, h) in moved]
        row["Changed"] = f"{CHANGED} " + ", ".join(changed) if changed else ""
        row["Claim"] = _editor_claim(case, holder)
        rows.append(row)
    return pd.DataFrame(rows, columns=["Item", *columns, "Changed", "Claim"])


def _editor_claim(case, holder: Item | Event) -> str:
    if isinstance(holder, Event):
        reports = ", ".join(case.evidence[i].id for i in case.event_reports[holder.id])
        return f"Event: {holder.description} (reported by {reports or 'no item'})"
    return f"[retracted] {holder.claim}" if holder.retracted else holder.claim


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
        changes_panel(view.changes, "reset_matrix", state.reset_sliders, 8, view.unchanged_note)
    frame = editor_frame(view)
    columns = state.editor_columns(view.case)
    widths = {name: header_width(name, EDIT_WIDTH) for name in columns}
    claim = max(MIN_CLAIM, FIT_WIDTH - WIDTHS["Item"] - CHANGED_WIDTH - sum(widths.values()))
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
            width=widths[name],
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
        "shows its Beta mean and becomes the point you type. Rows are in file order; an "
        "event has one row (its reports share its likelihoods), where its first report stands."
    )


def _filtered(view: View, order: list[int]) -> list[int]:
    """``order`` without the items that carry none of the tags chosen (all: none chosen)."""
    tags = sorted({tag for item in view.case.evidence for tag in item.tags})
    if not tags:
        return order
    chosen = st.multiselect(
        "Show items tagged",
        tags,
        key=TAG_FILTER,
        placeholder="every item (choose tags to filter)",
        help="Items carrying any of the chosen tags (an event shows with its chosen reports)",
    )
    if not chosen:
        return order
    wanted = set(chosen)
    return [i for i in order if wanted & set(view.case.evidence[i].tags)]


def _page(view: View, rows: list[Row]) -> list[Row]:
    """The rows on the page chosen (all of them for a short case)."""
    case = view.case

    def text(row: Row) -> str:
        if row.kind == "event":
            return f"{case.events[row.index].id} {case.events[row.index].description}"
        item = case.evidence[row.index]
        return f"{item.id} {item.claim} {' '.join(item.tags)}"

    shown = page_of([text(r) for r in rows], "matrix_rows", page_size(len(case.hypotheses)))
    return [rows[j] for j in shown]


def _event_details(view: View, e: int) -> None:
    """The event's description, likelihoods, weight and reports."""
    analysis, case = view.analysis, view.case
    event, result = case.events[e], analysis.events[e]
    st.markdown(f"**Event.** {esc(event.description)}", unsafe_allow_html=True)
    if event.rationale:
        st.markdown(f"**Rationale.** {esc(event.rationale)}", unsafe_allow_html=True)
    lines = [
        f"| {esc(h.label)} | {event.likelihoods[h.id].describe()} | {result.contribution[k]:+.1f} |"
        for k, h in enumerate(case.hypotheses)
    ]
    st.markdown(
        "| Hypothesis | P(event &#124; hypothesis) | dB (all its reports) |\n|---|---|---|\n"
        + "\n".join(lines),
        unsafe_allow_html=True,
    )
    weights = [f"{case.evidence[i].id} {analysis.diagnosticity[i]:.1f} dB" for i in result.items]
    st.caption(
        "Reports, in the order the chain rule weighs them (each adds less than the one "
        f"before: corroboration, not new evidence): {esc(', '.join(weights)) or 'none counts'}."
        + (
            " **Linchpin**: without the event the leading hypothesis changes."
            if result.linchpin and len(result.items) > 1
            else ""
        )
    )


def show(view: View) -> None:
    case = view.case
    st.header("The ACH matrix")
    st.caption(
        "Rows are evidence items, columns hypotheses. Each cell is coloured by how much the "
        "item moves that hypothesis, in decibans (green: towards it, purple: away; saturating "
        f"at ±{SATURATION_DB:g} dB), after the source's credibility is taken into account. "
        "Reports of one event sit under the event's row. Open an item below for its whole "
        "claim, source, credibility and rationale."
    )
    for key in ("matrix_sort", "matrix_show", TAG_FILTER):  # kept while the edit mode hides them
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    editing = st.toggle("Edit the likelihoods", key=EDIT)
    if editing:
        _editor(view)
        rows = _page(view, grouped(view, list(range(len(case.evidence)))))
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
        order = _filtered(view, row_order(view, sort or "diagnosticity"))
        rows = _page(view, grouped(view, order))
        _read_only(view, rows, shown or "likelihoods")

    st.subheader("Each item's claim, source, credibility and rationale")
    for row in rows:
        if row.kind == "event":
            event = case.events[row.index]
            with st.expander(f"**event {event.id}**: {esc(shortened(event.description, 90))}"):
                _event_details(view, row.index)
            continue
        i = row.index
        item = case.evidence[i]
        why = view.no_weight(i)
        mark = " · **linchpin**" if view.analysis.linchpin[i] else ""
        mark += f" · *{why}*" if why else ""
        name = f"~~{item.id}~~" if why else f"**{item.id}**"
        with st.expander(f"{name}{mark}: {esc(shortened(item.claim, 90))}"):
            item_details(view.analysis, i)
            if item.tags:
                st.caption(f"Tags: {esc(', '.join(item.tags))}")
