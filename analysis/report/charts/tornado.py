"""The tornado chart: how far the leader's posterior moves as each number varies."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

import altair as alt
import pandas as pd

from analysis.report.charts._common import ROW, WIDTH, _finish
from analysis.scales import format_percent


class _Bar(Protocol):
    label: str
    low_value: float
    high_value: float
    base: float


def tornado_data(bars: Sequence[_Bar]) -> pd.DataFrame:
    """Two rows per sensitivity bar: the base to the low-end value and to the high-end."""
    rows = []
    for bar in bars:
        for end, value in (("low end", bar.low_value), ("high end", bar.high_value)):
            rows.append(
                {
                    "parameter": bar.label,
                    "end": end,
                    "base": float(bar.base),
                    "value": float(value),
                    "percent": format_percent(float(value)),
                    "base_percent": format_percent(float(bar.base)),
                    "swing": abs(float(bar.high_value) - float(bar.low_value)),
                    "range": _range_text(bar),
                }
            )
    return pd.DataFrame(
        rows,
        columns=["parameter", "end", "base", "value", "percent", "base_percent", "swing", "range"],
    )


#: the height (px) of a bar whose label takes two lines
TWO_LINE_ROW = round(1.6 * ROW)


def tornado_chart(
    bars: Sequence[_Bar],
    width: int = WIDTH,
    title: str | None = None,
    leader_label: str | None = None,
):
    """Horizontal bars around the base posterior of the leader: how far it moves when each
    parameter goes to the low or the high end of its range (largest swing on top)."""
    data = tornado_data(bars)
    order = list(dict.fromkeys(b.label for b in sorted(bars, key=_swing, reverse=True)))
    what = f"Posterior of {leader_label}" if leader_label else "Posterior of the leader"
    tooltip = [
        alt.Tooltip("parameter:N", title="Parameter"),
        alt.Tooltip("end:N", title="At its"),
        alt.Tooltip("percent:N", title=what),
        alt.Tooltip("base_percent:N", title="As in the case"),
        alt.Tooltip("range:N", title="Range of the number"),
    ]
    # a label on two lines, the item and then the number (``P(E | hypothesis)``): on one,
    # a long id and a long label were cut before the hypothesis that tells them apart
    axis = alt.Axis(labelLimit=260, labelExpr="split(datum.label, ': ')", labelPadding=6)
    y = alt.Y("parameter:N", sort=order, title=None, axis=axis)
    base = alt.Chart(data).encode(y=y)
    bars_layer = base.mark_bar(height={"band": 0.7}).encode(
        x=alt.X(
            "base:Q",
            title=what,
            scale=alt.Scale(domain=_domain(bars)),
            axis=alt.Axis(format="%"),
        ),
        x2="value:Q",
        color=alt.Color(
            "end:N",
            scale=alt.Scale(domain=["low end", "high end"], range=["#BBBBBB", "#555555"]),
            legend=alt.Legend(title="Parameter at its", orient="bottom"),
        ),
        tooltip=tooltip,
    )
    layers = [bars_layer]
    if bars:
        base_value = float(bars[0].base)
        layers.append(
            alt.Chart(pd.DataFrame({"x": [base_value]}))
            .mark_rule(color="#222222", strokeDash=[4, 2])
            .encode(x="x:Q")
        )
    rows = max(1, len(order))
    chart = alt.layer(*layers).properties(width=width, height=max(60, TWO_LINE_ROW * rows))
    return _finish(chart, title, "Dashed line: the posterior as in the case files")


def _domain(bars: Sequence[_Bar]) -> list[float]:
    """The axis: the span of the bars with a margin, rounded out to 5 points, within 0-1."""
    if not bars:
        return [0.0, 1.0]
    values = [float(v) for b in bars for v in (b.low_value, b.high_value, b.base)]
    low, high = min(values), max(values)
    margin = max(0.02, 0.1 * (high - low))
    return [
        max(0.0, math.floor((low - margin) * 20) / 20),
        min(1.0, math.ceil((high + margin) * 20) / 20),
    ]


def _range_text(bar: _Bar) -> str:
    """The number's range, when the bar says (``analysis.sensitivity`` bars do)."""
    low, high = getattr(bar, "low", None), getattr(bar, "high", None)
    return "" if low is None or high is None else f"{float(low):.2f} to {float(high):.2f}"


def _swing(bar: _Bar) -> float:
    return abs(float(bar.high_value) - float(bar.low_value))
