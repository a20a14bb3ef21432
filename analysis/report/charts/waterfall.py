"""The waterfall chart: the weight of evidence for the leader over the runner-up."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import altair as alt
import numpy as np
import pandas as pd

from analysis.report.charts._common import (
    NEUTRAL,
    ROW,
    WIDTH,
    _db,
    _finish,
    _item_fields,
    hypothesis_colours,
)
from analysis.scales import jeffreys_grade
from analysis.wording import short_label

if TYPE_CHECKING:
    from analysis.engine import Analysis


def waterfall_data(analysis: Analysis, top: int | None = None) -> pd.DataFrame:
    """Steps from the prior log-odds of leader over runner-up to the posterior log-odds.

    One row per step (prior, items in file order, posterior), with ``start`` and ``end``
    in decibans. With ``top``, only the ``top`` heaviest items are shown and the rest
    are pooled into one "N other items" step, so the end is unchanged.
    """
    case = analysis.case
    lead, run = analysis.leader, analysis.runner_up
    lead_label, run_label = case.hypotheses[lead].label, case.hypotheses[run].label
    woe = analysis.weight_of_evidence(lead, run)
    prior_db = float(analysis.prior_contribution[lead] - analysis.prior_contribution[run])
    shown = list(range(len(case.evidence)))
    rest: list[int] = []
    if top is not None and len(shown) > top:
        heaviest = set(np.argsort(-np.abs(woe), kind="stable")[:top].tolist())
        rest = [i for i in shown if i not in heaviest]
        shown = [i for i in shown if i in heaviest]

    empty = {"claim": "", "source": "", "credibility": "", "likelihoods": "", "date": ""}
    rows: list[dict[str, Any]] = [
        {
            "step": "prior",
            "kind": "prior",
            "start": 0.0,
            "end": prior_db,
            "delta": prior_db,
            **empty,
            "claim": f"Prior odds of {lead_label} over {run_label}",
        }
    ]
    level = prior_db
    for i in shown:
        facts = _item_fields(analysis, i)
        rows.append(
            {
                "step": case.evidence[i].id,
                "kind": "item",
                "start": level,
                "end": level + float(woe[i]),
                "delta": float(woe[i]),
                **{k: facts[k] for k in empty},
            }
        )
        level += float(woe[i])
    if rest:
        pooled = float(woe[rest].sum())
        rows.append(
            {
                "step": f"{len(rest)} other items",
                "kind": "item",
                "start": level,
                "end": level + pooled,
                "delta": pooled,
                **empty,
                "claim": ", ".join(case.evidence[i].id for i in rest),
            }
        )
        level += pooled
    rows.append(
        {
            "step": "posterior",
            "kind": "posterior",
            "start": 0.0,
            "end": level,
            "delta": level,
            **empty,
            "claim": (
                f"Posterior odds of {lead_label} ({analysis.percent(lead)}) over "
                f"{run_label} ({analysis.percent(run)})"
            ),
        }
    )
    frame = pd.DataFrame(rows)
    frame["shown"] = frame["delta"].map(_db)
    frame["text"] = frame["delta"].map(lambda v: f"{_db(v):+.1f}")
    frame["grade"] = frame["delta"].map(jeffreys_grade)
    frame["favours"] = [
        "total" if kind != "item" else lead_label if d >= 0 else run_label
        for kind, d in zip(frame["kind"], frame["delta"], strict=True)
    ]
    frame["text_at"] = frame[["start", "end"]].max(axis=1)
    return frame


def waterfall_chart(
    analysis: Analysis, width: int = WIDTH, title: str | None = None, top: int | None = None
):
    """The weight of evidence for the leader over the runner-up as a cumulative waterfall:
    from the prior log-odds, item by item, to the posterior log-odds, in decibans.
    """
    case = analysis.case
    data = waterfall_data(analysis, top=top)
    lead, run = case.hypotheses[analysis.leader], case.hypotheses[analysis.runner_up]
    colours = hypothesis_colours(case)
    steps = list(data["step"])
    tooltip = [
        alt.Tooltip("step:N", title="Step"),
        alt.Tooltip("shown:Q", title="Decibans", format="+.1f"),
        alt.Tooltip("grade:N", title="Jeffreys"),
        alt.Tooltip("favours:N", title="Favours"),
        alt.Tooltip("claim:N", title="Claim"),
        alt.Tooltip("source:N", title="Source"),
        alt.Tooltip("credibility:N", title="Credibility"),
        alt.Tooltip("likelihoods:N", title="Likelihoods"),
    ]
    y = alt.Y("step:N", sort=steps, title=None, axis=alt.Axis(labelLimit=200, labelFontSize=10))
    base = alt.Chart(data).encode(y=y)
    bars = base.mark_bar(height={"band": 0.75}).encode(
        x=alt.X(
            "start:Q", title=f"Decibans for {short_label(lead.label)} over {short_label(run.label)}"
        ),
        x2="end:Q",
        color=alt.Color(
            "favours:N",
            scale=alt.Scale(
                domain=[lead.label, run.label, "total"],
                range=[colours[lead.id], colours[run.id], NEUTRAL],
            ),
            legend=alt.Legend(title="Favours", orient="bottom"),
        ),
        tooltip=tooltip,
    )
    text = base.mark_text(align="left", dx=4, fontSize=9).encode(
        x="text_at:Q", text="text:N", tooltip=tooltip
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#888888").encode(x="x:Q")
    chart = alt.layer(zero, bars, text).properties(width=width, height=ROW * len(steps))
    subtitle = "Each bar starts where the previous one ended; above 0 the leader is ahead"
    return _finish(chart, title, subtitle if title is not None else None)
