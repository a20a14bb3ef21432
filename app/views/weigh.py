"""Weigh: a slider for every prior, likelihood and source credibility; the posterior
follows every move, from the exact engine. A long case shows its items and sources a
page at a time, with a search box (:mod:`app.paging`)."""

from __future__ import annotations

from collections import Counter

import streamlit as st

from analysis.scenario import (
    describe,
    file_credibility,
    file_prior,
    scenario_prior,
)
from app import state
from app.paging import page_of, page_size
from app.views.context import View
from app.widgets import changes_panel, esc, posterior_panel

STEP = 0.01
CHANGED = "●"


def _changed_note(file_text: str) -> None:
    st.caption(f"{CHANGED} changed · file: {file_text}")


def _likelihood_sliders(view: View) -> None:
    case = view.file_case
    adjusted = view.adjustments.likelihoods
    texts = [f"{item.id} {item.claim}" for item in case.evidence]
    for i in page_of(texts, "weigh_items", page_size(len(case.hypotheses))):
        item = case.evidence[i]
        # the label stays fixed: a changed label would redraw (and close) the expander
        date = f" ({item.date})" if item.date else ""
        with st.expander(f"{item.id}{date}"):  # an id and a date: no markup possible
            st.markdown(esc(item.claim), unsafe_allow_html=True)
            if item.rationale:
                st.caption(esc(item.rationale))
            columns = st.columns(len(case.hypotheses))
            for column, h in zip(columns, case.hypotheses, strict=True):
                value = float(item.likelihoods[h.id].value)  # the file's number
                key = state.slider_start(state.LIKELIHOOD, (item.id, h.id), value)
                with column:
                    st.slider(
                        esc(h.label),
                        min_value=0.0,
                        max_value=1.0,
                        step=STEP,
                        format="%.2f",
                        key=key,
                        help=f"P(this report &#124; {esc(h.label)}); file: "
                        f"{esc(item.likelihoods[h.id].describe())}",
                    )
                    if (item.id, h.id) in adjusted:
                        _changed_note(item.likelihoods[h.id].describe())


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
        key = state.slider_start(state.CREDIBILITY, source.id, file_credibility(case, source.id))
        st.slider(
            f"{esc(source.name)} ({items} item{'s' if items != 1 else ''})",
            min_value=0.0,
            max_value=1.0,
            step=STEP,
            format="%.2f",
            key=key,
            help=f"file: {source.credibility.describe()}",
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
        key = state.slider_start(state.PRIOR, h.id, given[h.id])
        st.slider(
            esc(h.label),
            min_value=min(0.01, given[h.id]),
            max_value=1.0,
            step=STEP,
            format="%.2f",
            key=key,
            help="Weight before the evidence; normalised with the others",
        )
        note = f"prior used: {100 * normalised[h.id]:.1f}%"
        if h.id in view.adjustments.priors:
            note = f"{CHANGED} changed · file: {given[h.id]:.3g} · " + note
        st.caption(note)


def show(view: View) -> None:
    st.header("Weigh the evidence")
    sliders, result = st.columns([3, 2], gap="large")
    with result:
        st.subheader("Posterior")
        posterior_panel(view.analysis, view.file_analysis if view.adjusted else None)
        changes_panel(
            describe(view.file_case, view.adjustments), "reset_weigh", state.reset_sliders, 12
        )
    with sliders:
        box = st.container(height=760, border=False)
        with box:
            likelihoods, credibility, priors = st.tabs(
                ["Likelihoods", "Source credibility", "Priors"]
            )
            with likelihoods:
                st.caption(
                    "P(this report | hypothesis) for each item. Open an item to move its "
                    "numbers; a range in the file becomes the point you set."
                )
                _likelihood_sliders(view)
            with credibility:
                _credibility_sliders(view)
            with priors:
                _prior_sliders(view)
