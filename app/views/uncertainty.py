"""Uncertainty: the PyMC run over the analyst's own imprecision (on demand, cached)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.engine import run
from analysis.engine.analyzer import Analysis
from analysis.report.charts import posterior_chart
from analysis.report.diagnostics import diagnostics_text
from analysis.scales import format_percent
from analysis.uncertainty import MAX_DRAWS, MAX_SEED
from app import state
from app.views.context import View
from app.widgets import confidence_line, esc, show_chart

SETTINGS = "uncertainty_settings_kept"
#: The form's values before anyone changes them (0 draws: the automatic number).
DEFAULT_SETTINGS = {"u_draws": 0, "u_chains": 2, "u_seed": 0}


def _run_key(view: View, seed: int, draws: int, chains: int) -> tuple:
    return (view.case.content_hash, seed, draws, chains)


def finished_run(view: View) -> tuple[tuple, object] | None:
    """The uncertainty run finished for ``view``'s inputs at the page's current settings,
    as ``(its key, its summary)``, or None (the brief then says no run was made)."""
    settings = st.session_state.get(SETTINGS, DEFAULT_SETTINGS)
    key = _run_key(view, settings["u_seed"], settings["u_draws"], settings["u_chains"])
    summary = state.uncertainty_store().get(key)
    return None if summary is None else (key, summary)


def with_run(view: View, sampled: tuple[tuple, object] | None) -> Analysis:
    """``view``'s analysis carrying ``sampled`` (from :func:`finished_run`) if there is one:
    what the brief, and the Overview as its page one, show."""
    if sampled is None:
        return view.analysis
    run_key, summary = sampled
    return state.with_uncertainty(view.case, run_key, view.analysis.yardstick, summary)


def _run(view: View, seed: int, draws: int, chains: int):
    """Sample (pymc is imported here, on the button press, and nowhere else)."""
    bar = st.progress(0.0, text="Starting the uncertainty run...")

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=message)

    try:
        analysis = run(
            view.case,
            view.analysis.yardstick,
            uncertainty=True,
            draws=draws or None,
            chains=chains,
            seed=seed,
            progress=progress,
        )
    finally:  # a failed run leaves no stalled bar above its message
        bar.empty()
    return analysis.uncertainty


def _draws_problem(draws: int) -> str | None:
    """Why ``draws`` per chain cannot run (the sampler's own bounds), or None; 0 is
    the automatic number."""
    from analysis.uncertainty.sampler import check_draws

    try:
        check_draws(draws) if draws else None
    except ValueError as problem:
        return str(problem)
    return None


def automatic_draws_help() -> str:
    """What 0 draws means, in the sampler's own numbers."""
    # importing analysis.uncertainty loads no pymc (that happens inside run_uncertainty)
    from analysis.uncertainty.sampler import DRAWS, DRAWS_LARGE, LARGE_MODEL

    return (
        f"0: automatic ({DRAWS}, or {DRAWS_LARGE} for a model of more than {LARGE_MODEL} "
        "uncertain numbers)"
    )


def show(view: View) -> None:
    st.header("Uncertainty")
    st.caption(
        "Analysts are unsure of their own numbers. Here each likelihood and credibility "
        "becomes a Beta distribution (a written range is its 90% interval; a single number "
        "gets the case's concentration), items from one source share its credibility, and "
        "PyMC samples them all. The result: a 90% interval for every hypothesis."
    )
    settings = st.session_state.setdefault(SETTINGS, dict(DEFAULT_SETTINGS))
    for key, value in settings.items():  # the form's values survive a visit to another page
        st.session_state.setdefault(key, value)
    with st.form("uncertainty_settings", border=False):
        a, b, c = st.columns(3)
        draws = a.number_input(
            "Draws per chain (0: automatic)",
            0,
            MAX_DRAWS,
            step=100,
            key="u_draws",
            help=automatic_draws_help(),
        )
        chains = b.number_input("Chains", 1, 8, key="u_chains")
        seed = c.number_input("Seed", 0, MAX_SEED, key="u_seed")
        run = st.form_submit_button("Run the uncertainty analysis", type="primary")
    settings.update(u_draws=int(draws), u_chains=int(chains), u_seed=int(seed))
    store = state.uncertainty_store()
    key = _run_key(view, int(seed), int(draws), int(chains))
    cached = key in store
    if run and not cached:
        problem = _draws_problem(int(draws))
        if problem is not None:  # the settings, not the run: nothing was sampled
            st.error(f"Draws per chain: {esc(problem)}.")
            return
        try:
            store[key] = _run(view, int(seed), int(draws), int(chains))
        except Exception as error:  # the sampler's own failure, shown rather than raised
            st.error(f"The uncertainty run failed: {esc(error)}")
            return
    summary = store.get(key)
    if summary is None:
        st.info(
            "Press the button to sample: about a second for a case of this size, whose model "
            "was compiled at install. A case with many more uncertain numbers compiles its "
            "model once first (up to a minute). The result is kept for these inputs, so "
            "coming back costs nothing."
        )
        return
    if cached:
        st.caption("Result kept from an earlier run with these inputs (cached).")
    analysis = state.with_uncertainty(view.case, key, view.analysis.yardstick, summary)
    show_chart(posterior_chart(analysis, width=420))
    case = view.case
    rows = [
        {
            "Hypothesis": h.label,
            "Closed form": format_percent(float(analysis.posterior[k])),
            "Sampled mean": format_percent(float(summary.mean[k])),
            "90% interval": f"{format_percent(float(summary.low[k]))} to "
            f"{format_percent(float(summary.high[k]))}",
        }
        for k, h in enumerate(case.hypotheses)
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    confidence_line(analysis)
    st.subheader("Diagnostics")
    for line in diagnostics_text(summary):
        st.markdown(f"- {line}")
    for warning in summary.warnings:
        st.warning(esc(warning))
