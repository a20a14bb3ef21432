"""Analysts: every analyst's posterior side by side, pooled, and where they disagree.

Renders a :class:`~analysis.engine.pooling.Panel` (cached by the judgment files'
versions); the ``bayes`` pool runs on demand, like the uncertainty run. The teacher's
view of a class is the same page: each student is an analyst.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
import streamlit as st

from analysis.casefile.judgment_checks import CASE_ANALYST
from analysis.engine.pooling import (
    POOLS,
    Panel,
    analyse_panel,
    consistency_word,
    statement,
)
from analysis.report.charts.analysts import analysts_chart
from analysis.report.panel import cell_name
from analysis.scales import format_percent
from analysis.wording import count
from app import identity
from app.views.context import View
from app.widgets import esc, show_chart

#: Disagreements whose swing is below this (probability points) are listed as minor.
MATTERS = 0.005
TOP = 8
POOL_KEY = "analysts_pool"


@st.cache_resource(max_entries=32, show_spinner=False)
def _panel(_case, _judgments, key: tuple, yardstick: str) -> Panel:
    return analyse_panel(_case, _judgments, "linear", yardstick)


def panel_for(view: View) -> Panel:
    """The analysts' panel of the open case (cached by the judgment files' versions)."""
    return _panel(view.shared_case, view.judgments, view.panel_key, view.analysis.yardstick)


@st.cache_resource(show_spinner=False)
def _bayes_runs() -> dict:
    """Finished bayes pools by (case version, judgment versions), for all sessions."""
    return {}


def _run_bayes(view: View, panel: Panel):
    from analysis.uncertainty.pool import bayes_pool

    bar = st.progress(0.0, text="Starting the Bayes pool...")

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=message)

    pooled = bayes_pool(panel.case, panel.analysts, panel.middle, progress=progress)
    bar.empty()
    return pooled


def _open_as(name: str) -> None:
    st.session_state[identity.VIEW_AS] = name
    st.session_state["page"] = "matrix"


def _posterior_table(view: View, panel: Panel, pools: dict) -> pd.DataFrame:
    rows = {}
    for a in panel.analysts:
        words = a.analysis.words()
        rows[a.name] = [
            f"{format_percent(float(p))} · {w}" for p, w in zip(a.posterior, words, strict=True)
        ]
    for method, posterior in pools.items():
        rows[f"pooled: {method}"] = [format_percent(float(p)) for p in posterior]
    # one row per analyst and pool: as columns, the third pool fell off a 1400 px screen
    labels = [h.label for h in panel.case.hypotheses]
    return pd.DataFrame.from_dict(rows, orient="index", columns=labels)


def _pools(view: View, panel: Panel) -> dict:
    from analysis.engine.pooling import linear_pool, log_pool

    found = {"linear": linear_pool(panel.posteriors), "log": log_pool(panel.posteriors)}
    bayes = _bayes_runs().get(view.panel_key)
    if bayes is not None:
        found["bayes"] = bayes.posterior
    return found


def _bayes_section(view: View, panel: Panel) -> None:
    st.markdown("**The Bayes pool**")
    st.caption(
        "Each analyst's numbers are read as noisy readings of one true value per cell, "
        "with a spread (sigma) learnt per analyst: an analyst whose numbers scatter from "
        "the others' counts for less."
    )
    runs = _bayes_runs()
    pooled = runs.get(view.panel_key)
    if pooled is None:
        if st.button("Run the Bayes pool (PyMC)", key="run_bayes_pool"):
            runs[view.panel_key] = pooled = _run_bayes(view, panel)
            st.rerun()
        return
    if not pooled.sigma:
        st.info("No analyst sets a number of the evidence, so there is nothing to pool.")
        return
    st.dataframe(
        pd.DataFrame(
            {
                "analyst": list(pooled.sigma),
                "sigma (logits)": [round(s, 2) for s in pooled.sigma.values()],
                "how consistent with the others": [
                    consistency_word(s) for s in pooled.sigma.values()
                ],
            }
        ),
        hide_index=True,
    )
    st.caption(
        f"{pooled.chains} chains x {pooled.draws} draws; largest R-hat {pooled.r_hat_max:.3f}, "
        f"smallest effective sample size {pooled.ess_min:.0f}; {pooled.seconds:.1f} s."
    )
    for note in pooled.warnings:
        st.warning(note)


def _disagreement(view: View, panel: Panel, d) -> None:
    case = panel.case
    leader = case.hypotheses[d.leader].label
    mark = " · changes the leader" if d.changes_leader else ""
    title = f"{esc(cell_name(panel, d, labelled=True))} — swing {100 * d.swing:.1f} points{mark}"
    with st.expander(title):
        if d.cell.hypothesis is None:
            source = case.source_by_id[d.cell.id]
            st.markdown(f"Credibility of **{esc(source.name)}**", unsafe_allow_html=True)
        else:
            st.markdown(
                f"P(*{esc(statement(case, d.cell))}* | **{esc(case.labels[d.cell.hypothesis])}**)",
                unsafe_allow_html=True,
            )
        rows = []
        for a in panel.analysts:
            rows.append(
                {
                    "analyst": a.name,
                    "value": round(d.values[a.name], 3),
                    "set by them": "yes" if a.name in d.explicit else "(the case's)",
                    f"{leader} at this value": format_percent(d.leader_probability[a.name]),
                    # their reason for this cell; their general note only where they set it
                    "why": a.why(d.cell)
                    or (a.judgments.notes if a.judgments and a.name in d.explicit else ""),
                }
            )
        st.dataframe(pd.DataFrame(rows), hide_index=True)


def _class_spread(panel: Panel) -> None:
    """Heuer ratings per cell across analysts (a class's spread) and who leads."""
    leads = Counter(panel.case.hypotheses[a.analysis.leader].label for a in panel.analysts)
    st.markdown(
        "Who leads for each analyst: "
        + "; ".join(f"{esc(label)} for {count(n, 'analyst')}" for label, n in leads.items()),
        unsafe_allow_html=True,
    )
    rated: dict[tuple[str, str], Counter] = {}
    for a in panel.analysts:
        if a.judgments is None:
            continue
        for key, rating in a.judgments.ratings.items():
            rated.setdefault(key, Counter())[rating] += 1
    if not rated:
        st.caption("No analyst has given Heuer ratings yet (the Learn exercise saves them).")
        return
    items = [i.id for i in panel.case.evidence if any(k[0] == i.id for k in rated)]
    table = pd.DataFrame(
        [
            {
                panel.case.labels[h]: " ".join(
                    f"{r}×{n}" for r, n in rated.get((item, h), Counter()).most_common()
                )
                for h in panel.case.hypothesis_ids
            }
            for item in items
        ],
        index=items,
    )
    st.dataframe(table)


def show(view: View) -> None:
    st.subheader("Analysts")
    panel = panel_for(view)
    if len(panel.analysts) == 1:
        st.info(
            f"No analyst has judged this case yet. Give your name in the sidebar: your slider "
            f"moves and matrix edits are then saved to judgments/{panel.case.name}/<name>.yaml, "
            "and appear here beside the case's."
        )
    others = [name for name in panel.names if name != CASE_ANALYST]
    if others:
        st.caption(
            f"The case file and {count(len(others), 'analyst')}: {', '.join(others)} (the "
            "tables call the case file *case*)."
        )
    saving = view.analyst is not None and view.seen_as == view.analyst
    if view.adjustments.broken or (view.adjusted and not saving):  # not in any file
        st.caption(
            f"This page compares the saved judgment files: the scenario's "
            f"{count(len(view.changes), 'change')} (the sidebar's posterior) are in no row. "
            "Moved numbers are saved as your judgments once your name is in the sidebar; "
            "broken assumptions never are."
        )
    pools = _pools(view, panel)
    chosen = st.radio(
        "Pooled by",
        [p for p in POOLS if p in pools] or ["linear"],
        horizontal=True,
        key=POOL_KEY,
        help="linear: the mean of the posteriors; log: their normalised geometric mean; "
        "bayes: the hierarchical PyMC pool (run it below).",
    )
    chart = analysts_chart(
        panel, {chosen: pools[chosen]}, width=560, yardstick=view.analysis.yardstick
    )
    show_chart(chart)
    st.dataframe(_posterior_table(view, panel, pools))

    st.markdown("**Where the analysts disagree, and whether it matters**")
    matter = [d for d in panel.disagreements if d.swing >= MATTERS]
    if not panel.disagreements:
        st.caption("The analysts give every number the same value.")
    else:
        leader = panel.case.hypotheses[panel.disagreements[0].leader].label
        st.caption(
            f"Swing: how far that one number, set to each analyst's value in turn, moves "
            f"{leader} (the leader when every number is at the analysts' mean). Settle the "
            f"top ones first. {count(len(matter), 'disagreement')} of "
            f"{len(panel.disagreements)} move it by half a point or more"
            + (f"; the {TOP} largest are listed." if len(matter) > TOP else ".")
        )
        for d in matter[:TOP]:
            _disagreement(view, panel, d)

    st.markdown("**Open the case as one analyst sees it**")
    columns = st.columns(min(len(panel.analysts), 6))
    for k, a in enumerate(panel.analysts):
        columns[k % len(columns)].button(
            f"Open as {a.name}", key=f"open_as_{a.name}", on_click=_open_as, args=(a.name,)
        )
    _bayes_section(view, panel)
    st.markdown("**The class's spread**")
    _class_spread(panel)
