"""The Matrix page's rows and tables, built from the analysis without drawing anything:
each event's row with its reports beneath, the cells' text and colours (the page,
:mod:`app.views.matrix`, draws them)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.case import Prob
from app import state
from app.views.context import View
from app.widgets import heat_style

#: marks a cell (or row) whose number differs from the file
CHANGED = "●"
DIAG, LINCHPIN, TAGS = "Diag. dB", "Linchpin", "Tags"
#: The matrix tables' own columns: a hypothesis labelled like one is shown under its id.
READ_ONLY_COLUMNS = ("Item", "Date", DIAG, LINCHPIN, TAGS, "Claim")
#: the Item column of an event's row and of a report beneath it
EVENT_MARK, REPORT_MARK = "▾ event ", "  └ "


def strike(text: str) -> str:
    """``text`` struck through (a combining long stroke after each character)."""
    return "".join(f"{c}\u0336" for c in text)


@dataclass(frozen=True)
class Row:
    """One row of the grouped matrix: a lone item, an event, or a report of one."""

    kind: str  # "item", "event" or "report"
    index: int  # into case.evidence (item, report) or case.events (event)


def grouped(view: View, order: list[int]) -> list[Row]:
    """The rows for the items ``order`` (in that order): each event's row where its first
    report comes, its reports beneath in the chain rule's order (retracted ones last)."""
    case = view.case
    if not case.events:
        return [Row("item", i) for i in order]
    position = {int(i): p for p, i in enumerate(view.analysis.trajectory_order)}
    wanted = set(order)
    events = {e.id: j for j, e in enumerate(case.events)}
    rows: list[Row] = []
    placed: set[str] = set()
    for i in order:
        item = case.evidence[i]
        if item.event is None:
            rows.append(Row("item", i))
        elif item.event not in placed:
            placed.add(item.event)
            rows.append(Row("event", events[item.event]))
            reports = [r for r in case.event_reports[item.event] if r in wanted]
            reports.sort(key=lambda r: (case.evidence[r].retracted, position[r]))
            rows += [Row("report", r) for r in reports]
    return rows


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
WIDTHS = {"Item": 214, "Date": 84, DIAG: 58, LINCHPIN: 66, TAGS: 100}
HYPOTHESIS_WIDTH, FIT_WIDTH, MIN_CLAIM = 100, 926, 150
#: widths (px) of the editor's number and "Changed" columns
EDIT_WIDTH, CHANGED_WIDTH = 104, 120
#: the grid's header font: about this many px a character, and the most a header takes
HEADER_CHAR, HEADER_MOST = 6.0, 200


def header_width(label: str, least: int) -> int:
    """A column's width (px) that shows ``label`` whole in the header (the grid cuts a
    header to its column and never wraps it), at least ``least``, at most
    :data:`HEADER_MOST`: the hypothesis is what tells the columns apart."""
    return min(HEADER_MOST, max(least, round(18 + HEADER_CHAR * len(label))))


#: rows the editor shows at once (it scrolls beyond them)
EDITOR_ROWS = 30
#: the editor's numbers, rounded to 3 decimals (a range's mean 0.4999998 shows 0.500)
EDIT_FORMAT = "%.3f"


def cell_text(prob: Prob) -> str:
    """A likelihood as the matrix shows it, compactly (a range as low–high)."""
    if prob.is_range:
        return f"{prob.low:g}–{prob.high:g}"
    return prob.describe()


def matrix_frame(view: View, rows: list[Row], show: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table to show and, cell by cell, its CSS (colour by contribution)."""
    case = view.case
    moved = view.adjustments.likelihoods
    labels = list(state.editor_columns(case, READ_ONLY_COLUMNS))
    frame, styles = [], []
    for row in rows:
        if row.kind == "event":
            cells, style = _event_row(view, row.index, labels, show, moved)
        else:
            cells, style = _item_row(view, row, labels, show, moved)
        frame.append(cells)
        styles.append(style)
    columns = ["Item", DIAG, LINCHPIN, *labels, "Date", TAGS, "Claim"]
    return pd.DataFrame(frame, columns=columns), pd.DataFrame(styles, columns=columns)


def _item_row(view: View, row: Row, labels: list[str], show: str, moved) -> tuple[dict, dict]:
    analysis, case, i = view.analysis, view.case, row.index
    item = case.evidence[i]
    why = view.no_weight(i)
    name = strike(item.id) + f" ({why})" if why else item.id
    cells = {"Item": REPORT_MARK + name if row.kind == "report" else name, "Date": item.date or ""}
    style = dict.fromkeys(cells, "")
    for k, (h, column) in enumerate(zip(case.hypotheses, labels, strict=True)):
        if show == "ratings":
            rating = analysis.heuer.ratings[i][k]
            text = rating if analysis.heuer.given[i][k] else f"({rating})"
        elif row.kind == "report":
            text = "(event)"  # a report's likelihoods are its event's, on the event's row
        else:
            text = cell_text(item.likelihoods[h.id])
        if why:
            text = strike(text)
        cells[column] = f"{CHANGED} {text}" if (item.id, h.id) in moved else text
        style[column] = heat_style(float(analysis.contribution[i, k]))
    cells[DIAG] = round(float(analysis.diagnosticity[i]), 1)
    cells[LINCHPIN] = "yes" if analysis.linchpin[i] else "no"
    cells[TAGS] = ", ".join(item.tags)
    cells["Claim"] = item.claim
    style |= {DIAG: "", LINCHPIN: "", TAGS: "", "Claim": ""}
    return cells, style


def _event_row(view: View, e: int, labels: list[str], show: str, moved) -> tuple[dict, dict]:
    analysis, case = view.analysis, view.case
    event = case.events[e]
    result = analysis.events[e]
    reports = case.event_reports[event.id]
    cells = {"Item": EVENT_MARK + event.id, "Date": event.date or ""}
    style = dict.fromkeys(cells, "")
    for k, (h, column) in enumerate(zip(case.hypotheses, labels, strict=True)):
        if show == "ratings":
            # every report is rated by its event: the first report's rating is the event's
            rating = analysis.heuer.ratings[reports[0]][k] if reports else ""
            text = rating if reports and analysis.heuer.given[reports[0]][k] else f"({rating})"
        else:
            text = cell_text(event.likelihoods[h.id])
        cells[column] = f"{CHANGED} {text}" if (event.id, h.id) in moved else text
        style[column] = heat_style(float(result.contribution[k]))
    cells[DIAG] = round(float(result.contribution.max() - result.contribution.min()), 1)
    # an event of one report is its item, whose row answers
    several = len(result.items) > 1
    cells[LINCHPIN] = ("yes" if result.linchpin else "no") if several else ""
    cells[TAGS] = ""
    counting = (
        f"{len(result.items)} of {len(reports)} count" if len(result.items) < len(reports) else ""
    )
    cells["Claim"] = f"{event.description} · {len(reports)} reports" + (
        f" ({counting})" if counting else ""
    )
    style |= {DIAG: "", LINCHPIN: "", TAGS: "", "Claim": ""}
    return cells, style
