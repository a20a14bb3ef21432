"""Several analysts side by side: one stacked bar of the posterior per analyst and pool."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import altair as alt
import numpy as np
import pandas as pd

from analysis.report.charts._common import WIDTH, _colour_scale, _finish, _labels
from analysis.scales import estimative_word, format_percent

if TYPE_CHECKING:
    from analysis.engine.pooling import Panel


def analysts_data(
    panel: Panel, pools: Mapping[str, np.ndarray] | None = None, yardstick: str = "icd203"
) -> pd.DataFrame:
    """One row per (analyst or pool, hypothesis): probability, percent and words.

    ``pools`` maps a pool's method to its posterior (default: the panel's own pool).
    """
    case = panel.case
    pools = pools if pools is not None else {panel.pooled.method: panel.pooled.posterior}
    rows = []
    whose = [(a.name, "analyst", a.posterior) for a in panel.analysts]
    whose += [(f"pooled: {m}", "pool", p) for m, p in pools.items()]
    for order, (name, kind, posterior) in enumerate(whose):
        start = 0.0
        for k, h in enumerate(case.hypotheses):
            p = float(posterior[k])
            rows.append(
                {
                    "who": name,
                    "kind": kind,
                    "order": order,
                    "label": h.label,
                    "hypothesis_order": k,
                    "probability": p,
                    "start": start,
                    "end": start + p,
                    "percent": format_percent(p),
                    "word": estimative_word(p, yardstick),
                }
            )
            start += p
    return pd.DataFrame(rows)


def analysts_chart(
    panel: Panel,
    pools: Mapping[str, np.ndarray] | None = None,
    width: int = WIDTH,
    title: str | None = None,
    yardstick: str = "icd203",
):
    """Each analyst's posterior (and each pool's) as one 100% bar, coloured by hypothesis."""
    data = analysts_data(panel, pools, yardstick)
    order = list(dict.fromkeys(data.sort_values("order")["who"]))
    bars = (
        alt.Chart(data)
        .mark_bar(stroke="white", strokeWidth=1)
        .encode(
            y=alt.Y("who:N", sort=order, title=None, axis=alt.Axis(labelLimit=160)),
            x=alt.X(
                "start:Q",
                title="Probability",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            x2="end:Q",
            color=alt.Color(
                "label:N",
                scale=_colour_scale(panel.case),
                sort=_labels(panel.case),
                legend=alt.Legend(title=None, orient="right", labelLimit=220),
            ),
            tooltip=[
                alt.Tooltip("who:N", title="Analyst"),
                alt.Tooltip("label:N", title="Hypothesis"),
                alt.Tooltip("percent:N", title="Probability"),
                alt.Tooltip("word:N", title="In words"),
            ],
        )
    )
    text = (
        alt.Chart(data[data["probability"] >= 0.12])
        .mark_text(color="white", fontSize=11)
        .encode(
            y=alt.Y("who:N", sort=order),
            x=alt.X("middle:Q"),
            text="percent:N",
        )
        .transform_calculate(middle="(datum.start + datum.end) / 2")
    )
    chart = alt.layer(bars, text).properties(width=width, height=max(60, 30 * len(order)))
    return _finish(chart, title)
