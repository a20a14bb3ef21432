"""The trajectory chart: the posterior of each hypothesis over the item dates."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd

from analysis.report.charts._common import WIDTH, _colour_scale, _finish, _labels
from analysis.scales import YARDSTICK_TITLES, estimative_word, format_percent
from analysis.wording import count

if TYPE_CHECKING:
    from analysis.case import Case
    from analysis.engine import Analysis


def trajectory_data(analysis: Analysis) -> pd.DataFrame:
    """The posterior by date, one row per hypothesis and step.

    Steps: the prior; then, for each distinct date, the posterior after the last item of
    that date (``analysis.trajectory`` is already in date order); then, if any item is
    undated, the final posterior after those items. The prior sits one *pad* before the
    first date and the undated step one pad after the last (a pad is 8% of the dated
    span, at least one day); ``synthetic`` marks those two positions, which are not
    real dates. Without any dated item the x position is the item count instead.
    """
    case = analysis.case
    items = case.evidence
    order = [int(i) for i in analysis.trajectory_order]
    dated = [(step, i) for step, i in enumerate(order) if items[i].date]
    undated = [(step, i) for step, i in enumerate(order) if not items[i].date]
    words_of = lambda p: [estimative_word(float(x), analysis.yardstick) for x in p]  # noqa: E731

    steps: list[dict[str, Any]] = []
    if dated:
        days = [date.fromisoformat(str(items[i].date)[:10]) for _, i in dated]
        span = (max(days) - min(days)).days
        pad = timedelta(days=max(1, math.ceil(0.08 * span)))
        steps.append({"when": min(days) - pad, "label": "prior", "items": "", "p": analysis.prior})
        by_day: dict[date, list[tuple[int, int]]] = {}
        for (step, i), day in zip(dated, days, strict=True):
            by_day.setdefault(day, []).append((step, i))
        for day, group in by_day.items():
            last_step = group[-1][0]
            steps.append(
                {
                    "when": day,
                    "label": str(items[group[-1][1]].date),
                    "items": ", ".join(items[i].id for _, i in group),
                    "p": analysis.trajectory[last_step],
                }
            )
        if undated:
            steps.append(
                {
                    "when": max(days) + pad,
                    "label": f"+{len(undated)} undated",
                    "items": ", ".join(items[i].id for _, i in undated),
                    "p": analysis.trajectory[undated[-1][0]],
                }
            )
    else:
        steps.append({"when": 0, "label": "prior", "items": "", "p": analysis.prior})
        for step, i in undated:
            steps.append(
                {
                    "when": step + 1,
                    "label": f"item {step + 1}",
                    "items": items[i].id,
                    "p": analysis.trajectory[step],
                }
            )
    rows = []
    for s in steps:
        words = words_of(s["p"])
        synthetic = s["label"] == "prior" or s["label"].endswith("undated")
        for k, h in enumerate(case.hypotheses):
            p = float(s["p"][k])
            rows.append(
                {
                    "when": pd.Timestamp(s["when"]) if dated else s["when"],
                    "step": s["label"],
                    "synthetic": synthetic,
                    "items": s["items"] or "(none: the prior)",
                    "id": h.id,
                    "label": h.label,
                    "posterior": p,
                    "percent": format_percent(p),
                    "word": words[k],
                }
            )
    return pd.DataFrame(rows)


def trajectory_chart(analysis: Analysis, width: int = WIDTH, title: str | None = None):
    """The posterior after each item on a time axis (item dates), one line per hypothesis.

    The prior is drawn just before the first date and undated items (if any) as one
    step just after the last date, both marked with hollow points and named in the
    subtitle; see :func:`trajectory_data`. Lines are steps: a posterior holds until
    the next dated item.
    """
    case = analysis.case
    data = trajectory_data(analysis)
    labels = _labels(case)
    dated = any(item.date for item in case.evidence)
    tooltip = [
        alt.Tooltip("step:N", title="Date" if dated else "Step"),
        alt.Tooltip("label:N", title="Hypothesis"),
        alt.Tooltip("percent:N", title="Posterior"),
        alt.Tooltip("word:N", title=YARDSTICK_TITLES[analysis.yardstick]),
        alt.Tooltip("items:N", title="After items"),
    ]
    if dated:
        x = alt.X("when:T", title="Date", axis=alt.Axis(format="%d %b %Y", labelAngle=-30))
    else:
        x = alt.X("when:Q", title="Items taken into account", axis=alt.Axis(tickMinStep=1))
    colour = alt.Color(
        "label:N",
        scale=_colour_scale(case),
        sort=labels,
        title=None,
        legend=alt.Legend(orient="bottom", columns=min(4, len(labels)), labelLimit=200),
    )
    y = alt.Y(
        "posterior:Q", title="Posterior", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")
    )
    base = alt.Chart(data).encode(x=x, y=y, color=colour)
    lines = base.mark_line(interpolate="step-after", strokeWidth=2).encode(tooltip=tooltip)
    real = base.transform_filter("!datum.synthetic").mark_point(filled=True, size=40)
    synthetic = base.transform_filter("datum.synthetic").mark_point(
        filled=False, size=50, strokeWidth=1.5
    )
    chart = alt.layer(lines, real.encode(tooltip=tooltip), synthetic.encode(tooltip=tooltip))
    chart = chart.properties(width=width, height=220)
    return _finish(chart, title, trajectory_note(case) if title is not None else None)


def trajectory_note(case: Case) -> str:
    """How to read :func:`trajectory_chart` of ``case``: what its points and steps are
    (its subtitle, the dashboard's caption and the brief's text)."""
    if not any(item.date for item in case.evidence):
        return (
            "No item is dated: the posterior after each item, in file order; the hollow "
            "point is the prior."
        )
    n_undated = sum(1 for item in case.evidence if not item.date)
    undated = (
        f" and the {count(n_undated, 'undated item')}, taken together after the last date"
        if n_undated
        else ""
    )
    return (
        "The posterior after each dated item. Hollow points mark the prior (drawn just "
        f"before the first date){undated}."
    )
