"""The posterior chart: one bar per hypothesis, with optional 90% interval whiskers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from analysis.report.charts._common import WIDTH, _colour_scale, _finish, _labels
from analysis.scales import YARDSTICK_TITLES, format_percent

#: Width of the column holding "56% · likely" beside the bars.
WORDS_WIDTH = 170

if TYPE_CHECKING:
    from analysis.engine import Analysis


def posterior_data(
    analysis: Analysis, percent: Callable[[float], str] = format_percent
) -> pd.DataFrame:
    """One row per hypothesis (file order): posterior, prior, ICD 203 word, 90% interval.
    ``percent`` formats the probabilities (the brief passes ``reader_percent``)."""
    case = analysis.case
    words = analysis.words()
    u = analysis.uncertainty
    rows = []
    for k, h in enumerate(case.hypotheses):
        p = float(analysis.posterior[k])
        row = {
            "id": h.id,
            "label": h.label,
            "posterior": p,
            "percent": percent(p),
            "word": words[k],
            "text": f"{percent(p)} · {words[k]}",
            "prior": percent(float(analysis.prior[k])),
            "description": h.description,
            "text_at": p,
        }
        if u is not None:
            low, high = float(u.low[k]), float(u.high[k])
            row |= {
                "low": low,
                "high": high,
                "interval": f"{percent(low)} to {percent(high)}",
                "sampled_mean": percent(float(u.mean[k])),
                "text_at": max(p, high),
            }
        rows.append(row)
    return pd.DataFrame(rows)


def posterior_chart(
    analysis: Analysis,
    width: int = WIDTH,
    title: str | None = None,
    words: bool = True,
    percent: Callable[[float], str] = format_percent,
):
    """Horizontal bars of the posterior by hypothesis label, with the percentage and the
    estimative word in a column beside the plot, and 90% interval whiskers when the
    uncertainty run is present. ``width`` is the plot's plus the words'. Pass
    ``words=False`` where the same numbers and words are listed right beside the chart
    (a narrow panel): the plot then takes the whole width. ``percent`` formats the
    probabilities."""
    case = analysis.case
    data = posterior_data(analysis, percent)
    labels = _labels(case)
    has_interval = analysis.uncertainty is not None
    tooltip = [
        alt.Tooltip("label:N", title="Hypothesis"),
        alt.Tooltip("percent:N", title="Posterior"),
        alt.Tooltip("word:N", title=YARDSTICK_TITLES[analysis.yardstick]),
        alt.Tooltip("prior:N", title="Prior"),
    ]
    if has_interval:
        tooltip += [
            alt.Tooltip("interval:N", title="90% interval"),
            alt.Tooltip("sampled_mean:N", title="Sampled mean"),
        ]
    y = alt.Y("label:N", sort=labels, title=None, axis=alt.Axis(labelLimit=220, labelFontSize=12))
    base = alt.Chart(data).encode(y=y)
    bars = base.mark_bar(height={"band": 0.7}).encode(
        x=alt.X(
            "posterior:Q",
            title="Posterior probability",
            scale=alt.Scale(domain=[0, 1]),
            # quarters, the last label kept inside the plot: "80%100%" ran together
            # in a 420 px column (tickCount=5 gave six labels)
            axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1], labelFlush=True),
        ),
        color=alt.Color("label:N", scale=_colour_scale(case), legend=None),
        tooltip=tooltip,
    )
    layers = [bars]
    if has_interval:
        layers.append(
            base.mark_rule(color="#222222", strokeWidth=1.5).encode(
                x="low:Q", x2="high:Q", tooltip=tooltip
            )
        )
        for end in ("low", "high"):
            layers.append(
                base.mark_tick(color="#222222", thickness=1.5, size=10).encode(
                    x=f"{end}:Q", tooltip=tooltip
                )
            )
    height = max(60, 30 * len(labels))
    subtitle = "Whiskers: 90% interval of the uncertainty run" if has_interval else None
    if not words:
        return _finish(alt.layer(*layers).properties(width=width, height=height), title, subtitle)
    # the words sit in their own column, so a bar near 100% never pushes them off the plot
    column = (
        alt.Chart(data)
        .mark_text(align="left", baseline="middle", fontSize=12)
        .encode(
            y=alt.Y("label:N", sort=labels, axis=None),
            x=alt.value(0),
            text="text:N",
            tooltip=tooltip,
        )
        .properties(width=WORDS_WIDTH, height=height)
    )
    plot = alt.layer(*layers).properties(width=max(120, width - WORDS_WIDTH), height=height)
    chart = alt.hconcat(plot, column, spacing=6)
    return _finish(chart, title, subtitle)
