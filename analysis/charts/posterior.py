"""The posterior chart: one bar per hypothesis, with optional 90% interval whiskers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from ..scales import format_percent
from ._common import WIDTH, _colour_scale, _finish, _labels

if TYPE_CHECKING:
    from ..engine import Analysis


def posterior_data(analysis: Analysis) -> pd.DataFrame:
    """One row per hypothesis (file order): posterior, prior, ICD 203 word, 90% interval."""
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
            "percent": format_percent(p),
            "word": words[k],
            "text": f"{format_percent(p)} · {words[k]}",
            "prior": format_percent(float(analysis.prior[k])),
            "description": h.description,
            "text_at": p,
        }
        if u is not None:
            low, high = float(u.low[k]), float(u.high[k])
            row |= {
                "low": low,
                "high": high,
                "interval": f"{format_percent(low)} to {format_percent(high)}",
                "sampled_mean": format_percent(float(u.mean[k])),
                "text_at": max(p, high),
            }
        rows.append(row)
    return pd.DataFrame(rows)


def posterior_chart(analysis: Analysis, width: int = WIDTH, title: str | None = None):
    """Horizontal bars of the posterior by hypothesis label, with the percentage and ICD
    203 word beside each bar, and 90% interval whiskers when the uncertainty run is present.
    """
    case = analysis.case
    data = posterior_data(analysis)
    labels = _labels(case)
    has_interval = analysis.uncertainty is not None
    tooltip = [
        alt.Tooltip("label:N", title="Hypothesis"),
        alt.Tooltip("percent:N", title="Posterior"),
        alt.Tooltip("word:N", title="ICD 203"),
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
            axis=alt.Axis(format="%", tickCount=5),
        ),
        color=alt.Color("label:N", scale=_colour_scale(case), legend=None),
        tooltip=tooltip,
    )
    text = base.mark_text(align="left", dx=5, fontSize=12).encode(
        x="text_at:Q", text="text:N", tooltip=tooltip
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
    layers.append(text)
    chart = alt.layer(*layers).properties(width=width, height=max(60, 30 * len(labels)))
    subtitle = "Whiskers: 90% interval of the uncertainty run" if has_interval else None
    return _finish(chart, title, subtitle)
