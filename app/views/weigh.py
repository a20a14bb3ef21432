"""Weigh: a slider for every prior, likelihood and source credibility; the posterior
follows every move, from the exact engine. An event's likelihoods have one set of
sliders, its reports listed under them (a report has no likelihoods of its own). A long
case shows its items and sources a page at a time, with a search box (:mod:`app.paging`)."""

from __future__ import annotations

from collections import Counter

import streamlit as st

from analysis.case import Case, Event, Item
from analysis.engine.analyzer import Analysis
from analysis.engine.failing import resting_rows
from analysis.scenario import (
    file_credibility,
    file_prior,
    scenario_prior,
)
from app import state
from app.paging import page_of, page_size
from app.views.context import View
from app.widgets import RESULT_FIRST, changes_panel, esc, posterior_panel

STEP = 0.01
CHANGED = "●"
#: prefix of an item's or event's expander key; an open one draws its sliders
OPEN = "weigh_open"
#: the key of the tabs, and their labels; only the chosen tab is drawn (the tabs are lazy)
TAB = "weigh_tab"
TABS = ("Likelihoods", "Source credibility", "Priors")


def open_key(holder_id: str, event: bool = False) -> str:
    """The key of the expander of item (or ``event``) ``holder_id``; True in session
    state: open.

    The expanders are lazy: only an open one draws its sliders, so a rerun costs what is
    on screen, not one slider per number of the case.
    """
    return f"{OPEN}:{'event:' if event else ''}{holder_id}"


def _changed_note(file_text: str) -> None:
    st.caption(f"{CHANGED} changed · file: {file_text}")


def _slider(kind: str, target, file_value: float, label: str, hint: str, low: float = 0.0):
    """One of the page's number sliders (0..1 in steps of :data:`STEP`), starting from
    its own state, else the adjusted, else the file's value."""
    key, value = state.start_value(kind, target, file_value)
    st.slider(
        label,
        min_value=low,
        max_value=1.0,
        value=value,
        step=STEP,
        format="%.2f",
        key=key,
        help=hint,
    )


def _sliders(view: View, holder: Item | Event, of: str) -> None:
    """One slider per hypothesis for the likelihoods ``holder`` (an item or event) holds."""
    case = view.file_case
    adjusted = view.adjustments.likelihoods
    columns = st.columns(len(case.hypotheses), vertical_alignment="bottom")  # tracks in line
    for column, h in zip(columns, case.hypotheses, strict=True):
        prob = holder.likelihoods[h.id]
        with column:
            _slider(
                state.LIKELIHOOD,
                (holder.id, h.id),
                float(prob.value),
                esc(h.label),
                f"P({of} &#124; {esc(h.label)}); file: {esc(prob.describe())}",
            )
            if (holder.id, h.id) in adjusted:
                _changed_note(prob.describe())


def _no_weight(view: View, i: int) -> str | None:
    """Why item ``i`` carries no weight in the scenario, in words (None: it counts)."""
    why = view.no_weight(i)
    if why == "assumption broken":
        broken = [
            a.id
            for a in view.file_case.assumptions
            if a.id in view.adjustments.broken and i in resting_rows(view.file_case, [a.id])
        ]
        return f"carries no weight while assumption {', '.join(broken)} is broken"
    return "retracted: kept on record, carries no weight" if why else None


def _event(view: View, event: Event) -> None:
    case = view.file_case
    reports = case.event_reports[event.id]
    date = f" ({event.date})" if event.date else ""
    box = st.expander(
        f"event {event.id}{date} · {len(reports)} reports",
        key=open_key(event.id, event=True),
        on_change="rerun",
    )
    if not box.open:
        return
    with box:
        st.markdown(f"**Event.** {esc(event.description)}", unsafe_allow_html=True)
        if event.rationale:
            st.caption(esc(event.rationale))
        if all(view.no_weight(i) for i in reports):
            st.caption("None of its reports carries weight now: its sliders change nothing.")
        _sliders(view, event, "the event")
        lines = []
        for i in reports:
            item = case.evidence[i]
            why = _no_weight(view, i)
            name = f"~~{item.id}~~" if why else f"**{item.id}**"
            source = case.source_by_id[item.source].name if item.source else "no source"
            lines.append(
                f"- {name} ({esc(source)}{', ' + esc(item.date) if item.date else ''}): "
                f"{esc(item.claim)}" + (f" · *{why}*" if why else "")
            )
        st.markdown(
            "**Reported by** (each report's weight follows from its source's credibility; "
            "the likelihoods are the event's):\n" + "\n".join(lines),
            unsafe_allow_html=True,
        )


def _item(view: View, i: int) -> None:
    item = view.file_case.evidence[i]
    # the label stays fixed: a changed label would redraw (and close) the expander
    date = f" ({item.date})" if item.date else ""
    mark = " · retracted" if item.retracted else ""
    # an id and a date: no markup possible
    box = st.expander(f"{item.id}{date}{mark}", key=open_key(item.id), on_change="rerun")
    if not box.open:
        return
    with box:
        st.markdown(esc(item.claim), unsafe_allow_html=True)
        if item.rationale:
            st.caption(esc(item.rationale))
        why = _no_weight(view, i)
        if item.retracted:
            st.caption(f"Retracted: kept on record, carries no weight (file: {_file_text(item)}).")
            return
        if why:
            st.caption(f"This item {why}.")
        _sliders(view, item, "this report")


def _file_text(item: Item) -> str:
    return ", ".join(f"{h} {p.describe()}" for h, p in item.likelihoods.items())


@st.cache_resource(max_entries=16, show_spinner=False)
def _holders(_case: Case, key: tuple) -> tuple[list[Item | Event], dict[str, int], list[str]]:
    """The rows of sliders (:func:`state.likelihood_rows`), each item's index, and the
    text the search looks in, per row: once per case version (``key``), not per move."""
    rows = state.likelihood_rows(_case)

    def text(holder: Item | Event) -> str:
        if isinstance(holder, Event):
            reports = " ".join(_case.evidence[i].id for i in _case.event_reports[holder.id])
            return f"{holder.id} {holder.description} {reports}"
        return f"{holder.id} {holder.claim}"

    index = {item.id: i for i, item in enumerate(_case.evidence)}
    return rows, index, [text(h) for h in rows]


#: How the Weigh page lists its items: by the weight they carry in the file's numbers
#: (the Matrix's default; fixed while the sliders move, so nothing jumps), or as written.
ORDERS = {"diagnosticity": "Diagnosticity (in the file's numbers)", "file": "File order"}
ORDER = "weigh_order"


def _row_order(view: View, n_rows: int) -> list[int]:
    """The rows in the chosen :data:`ORDERS` order (ties keep their file order)."""
    if st.session_state.get(ORDER, "diagnosticity") == "file":
        return list(range(n_rows))
    return _by_weight(view.file_analysis, view.structure)


@st.cache_resource(max_entries=16, show_spinner=False)
def _by_weight(_analysis: Analysis, key: tuple) -> list[int]:
    """The rows of :func:`_holders` by the weight each carries in ``_analysis`` (the
    file's numbers), heaviest first: once per case version and yardstick (``key``)."""
    rows = state.likelihood_rows(_analysis.case)
    index = {item.id: i for i, item in enumerate(_analysis.case.evidence)}
    event_at = {event.id: e for e, event in enumerate(_analysis.case.events)}

    def weight(holder: Item | Event) -> float:
        if isinstance(holder, Event):
            spread = _analysis.events[event_at[holder.id]].contribution
            return float(spread.max() - spread.min())
        return float(_analysis.diagnosticity[index[holder.id]])

    weights = [weight(holder) for holder in rows]
    return sorted(range(len(rows)), key=lambda r: -weights[r])


def _likelihood_sliders(view: View) -> None:
    case = view.file_case
    rows, index, texts = _holders(case, view.structure[0])
    st.radio("Order", list(ORDERS), format_func=ORDERS.get, horizontal=True, key=ORDER)
    order = _row_order(view, len(rows))
    shown = [texts[r] for r in order]
    for p in page_of(shown, "weigh_items", page_size(len(case.hypotheses))):
        holder = rows[order[p]]
        if isinstance(holder, Event):
            _event(view, holder)
        else:
            _item(view, index[holder.id])


def _credibility_sliders(view: View) -> None:
    case = view.file_case
    st.caption(
        "Credibility: the probability that the source's report is accurate. A weak source "
        "caps how far any of its reports can move the odds."
    )
    reports = Counter(item.source for item in case.evidence)
    texts = [f"{source.id} {source.name}" for source in case.sources]
    for s in page_of(texts, "weigh_sources", page_size(4), noun="source"):
        source = case.sources[s]
        items = reports[source.id]
        _slider(
            state.CREDIBILITY,
            source.id,
            file_credibility(case, source.id),
            f"{esc(source.name)} ({items} item{'s' if items != 1 else ''})",
            f"file: {source.credibility.describe()}",
        )
        if source.id in view.adjustments.credibilities:
            _changed_note(source.credibility.describe())


def _prior_sliders(view: View) -> None:
    case = view.file_case
    given = file_prior(case)
    st.caption(
        "Prior weights before any evidence; they are normalised to sum to 1"
        + (" (the file gives no priors: uniform)." if case.hypotheses[0].prior is None else ".")
    )
    normalised = scenario_prior(case, view.adjustments)
    for h in case.hypotheses:
        _slider(
            state.PRIOR,
            h.id,
            given[h.id],
            esc(h.label),
            "Weight before the evidence; normalised with the others",
            low=min(0.01, given[h.id]),
        )
        note = f"prior used: {100 * normalised[h.id]:.1f}%"
        if h.id in view.adjustments.priors:
            note = f"{CHANGED} changed · file: {given[h.id]:.3g} · " + note
        st.caption(note)


def show(view: View) -> None:
    st.header("Weigh the evidence")
    sliders, result = st.container(key=RESULT_FIRST).columns([3, 2], gap="large")
    with result:
        st.subheader("Posterior")
        posterior_panel(
            view.analysis, view.file_analysis if view.adjusted else None, structure=view.structure
        )
        changes_panel(view.changes, "reset_weigh", state.reset_sliders, 12, view.unchanged_note)
    with sliders:
        box = st.container(height=760, border=False)
        with box:
            likelihoods, credibility, priors = st.tabs(list(TABS), key=TAB, on_change="rerun")
            if likelihoods.open:
                with likelihoods:
                    st.caption(
                        "P(this report | hypothesis) for each item. Open an item to move its "
                        "numbers; a range in the file becomes the point you set. An event's "
                        "reports share the event's numbers, P(the event | hypothesis): move "
                        "them once, under the event."
                    )
                    _likelihood_sliders(view)
            if credibility.open:
                with credibility:
                    _credibility_sliders(view)
            if priors.open:
                with priors:
                    _prior_sliders(view)
