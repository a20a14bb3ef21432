"""Altair charts of an :class:`~analysis.engine.Analysis`, shared by the dashboard and the PDF.

Every chart is defined once here: the dashboard shows the Altair object, the brief
renders the same object to PNG with :func:`chart_png` (vl-convert, offline). Charts only
*present* the engine's arrays; none recomputes the maths.

Conventions (DESIGN.md, "Presentation, everywhere"):

* each hypothesis keeps one colour everywhere (:func:`hypothesis_colours`, Okabe-Ito);
* people read hypothesis *labels*, items are named by id;
* probabilities via :func:`~analysis.scales.format_percent` beside the ICD 203 word,
  decibans rounded to one decimal;
* tooltips trace each number to the item, source, credibility and likelihoods.

Altair, pandas and vl-convert are imported here only, so ``import analysis`` stays light.
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import altair as alt
import numpy as np
import pandas as pd

from .scales import estimative_word, format_percent, jeffreys_grade

if TYPE_CHECKING:
    from .case import Case, Item
    from .engine import Analysis

#: Okabe & Ito's colour-blind-safe palette, in the order hypotheses take it (yellow and
#: black last: yellow is the weakest on white). Beyond eight hypotheses, Paul Tol's
#: colour-blind-safe "muted" scheme continues the sequence.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)
TOL_MUTED: tuple[str, ...] = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)
PALETTE: tuple[str, ...] = OKABE_ITO + TOL_MUTED

#: Diverging scheme for "for / against" (ColorBrewer PRGn: colour-blind safe, and
#: unlike the hypothesis colours, so a cell's colour never reads as a hypothesis).
DIVERGING_SCHEME = "purplegreen"
#: Decibans at which the contribution grid's colour saturates (Jeffreys: "strong"; a
#: single item rarely moves a centred logit further).
SATURATION_DB = 10.0
#: The font every chart asks for; :func:`chart_png` registers it with vl-convert.
FONT = "DejaVu Sans"
NEUTRAL = "#555555"

#: Default sizes (pixels at scale 1). The dashboard may override with ``width=``.
WIDTH = 460
ROW = 18


# -- fonts --------------------------------------------------------------------------


@cache
def font_directory() -> Path | None:
    """A folder holding DejaVuSans.ttf: matplotlib's copy, else Debian's, else None.

    matplotlib is located without being imported (its import is slow).
    """
    candidates: list[Path] = []
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.submodule_search_locations:
        candidates += [
            Path(p) / "mpl-data" / "fonts" / "ttf" for p in spec.submodule_search_locations
        ]
    candidates.append(Path("/usr/share/fonts/truetype/dejavu"))
    for folder in candidates:
        if (folder / "DejaVuSans.ttf").is_file() and (folder / "DejaVuSans-Bold.ttf").is_file():
            return folder
    return None


# -- colours ------------------------------------------------------------------------


def hypothesis_colours(case: Case) -> dict[str, str]:
    """One colour per hypothesis id, by file order, the same in every chart and the PDF."""
    return {h.id: PALETTE[k % len(PALETTE)] for k, h in enumerate(case.hypotheses)}


def _colour_scale(case: Case, field: str = "label") -> alt.Scale:
    colours = hypothesis_colours(case)
    domain = [getattr(h, field) for h in case.hypotheses]
    return alt.Scale(domain=domain, range=[colours[h.id] for h in case.hypotheses])


def _labels(case: Case) -> list[str]:
    return [h.label for h in case.hypotheses]


# -- shared text helpers ----------------------------------------------------------------


def _wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap of ``text`` into lines of about ``width`` characters."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _db(value: float) -> float:
    """Decibans as shown: one decimal (and never ``-0.0``)."""
    return round(float(value), 1) + 0.0


def _db_text(value: float) -> str:
    return f"{_db(value):+.1f} dB"


def _source_name(case: Case, item: Item) -> str:
    if item.source is None:
        return "(no source named)"
    return case.source_by_id[item.source].name


def _likelihood_text(case: Case, item: Item) -> str:
    return "; ".join(f"{case.labels[h]}: {item.likelihoods[h].describe()}" for h in case.labels)


def _item_fields(analysis: Analysis, i: int) -> dict[str, Any]:
    """The traceable facts behind item ``i``, for tooltips."""
    case = analysis.case
    item = case.evidence[i]
    return {
        "item": item.id,
        "claim": item.claim,
        "date": item.date or "undated",
        "source": _source_name(case, item),
        "credibility": case.credibility_of(item).describe(),
        "likelihoods": _likelihood_text(case, item),
    }


def _finish(chart: alt.TopLevelMixin, title: str | None, subtitle: str | None = None):
    """Common look: font, no view border, optional title and subtitle."""
    if title is not None:
        chart = chart.properties(
            title=alt.TitleParams(title, subtitle=subtitle or "", anchor="start", fontSize=13)
        )
    return chart.configure(font=FONT).configure_view(stroke=None)


# -- posterior ---------------------------------------------------------------------------


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


# -- contribution ------------------------------------------------------------------------


def contribution_data(analysis: Analysis) -> pd.DataFrame:
    """Long table of centred decibans: the prior row, one row per item and hypothesis,
    and the total row (``kind`` = ``prior`` / ``item`` / ``total``).

    The prior and item rows of each hypothesis add up to its posterior logit in
    decibans (centred); the total row shows that sum.
    """
    case = analysis.case
    words = analysis.words()
    rows = []
    for k, h in enumerate(case.hypotheses):
        prior_db = float(analysis.prior_contribution[k])
        rows.append(
            {
                "kind": "prior",
                "row": "prior",
                "id": h.id,
                "label": h.label,
                "db": prior_db,
                "shown": _db(prior_db),
                "text": f"{_db(prior_db):+.1f}",
                "claim": f"Prior probability {format_percent(float(analysis.prior[k]))}",
                "source": "",
                "credibility": "",
                "likelihood": "",
                "effective": "",
            }
        )
        for i, item in enumerate(case.evidence):
            value = float(analysis.contribution[i, k])
            facts = _item_fields(analysis, i)
            rows.append(
                {
                    "kind": "item",
                    "row": item.id,
                    "id": h.id,
                    "label": h.label,
                    "db": value,
                    "shown": _db(value),
                    "text": f"{_db(value):+.1f}",
                    "claim": facts["claim"],
                    "source": facts["source"],
                    "credibility": facts["credibility"],
                    "likelihood": item.likelihoods[h.id].describe(),
                    "effective": f"{float(analysis.effective[i, k]):.3f}",
                }
            )
    frame = pd.DataFrame(rows)
    totals = frame.groupby("id", sort=False)["db"].sum()
    for k, h in enumerate(case.hypotheses):
        total = float(totals[h.id])
        rows.append(
            {
                "kind": "total",
                "row": "total",
                "id": h.id,
                "label": h.label,
                "db": total,
                "shown": _db(total),
                "text": f"{_db(total):+.1f}",
                "claim": (
                    f"Sum of the column: the posterior's centred logit. Posterior "
                    f"{analysis.percent(k)} ({words[k]})"
                ),
                "source": "",
                "credibility": "",
                "likelihood": "",
                "effective": "",
            }
        )
    return pd.DataFrame(rows)


def contribution_chart(
    analysis: Analysis, width: int | None = None, title: str | None = None, sort: str = "file"
):
    """A heat-mapped grid: rows are the prior, each item (by id) and the total; columns are
    hypotheses; each cell holds the centred decibans it adds to that hypothesis.

    Read down a column: the prior and item cells add up to the total row, the posterior's
    centred logit in decibans (positive = pushed towards that hypothesis). ``sort`` is
    ``"file"`` (case order) or ``"diagnosticity"`` (most diagnostic item first).
    """
    case = analysis.case
    data = contribution_data(analysis)
    labels = _labels(case)
    order = list(range(len(case.evidence)))
    if sort == "diagnosticity":
        order = [int(i) for i in np.argsort(-analysis.diagnosticity, kind="stable")]
    elif sort != "file":
        raise ValueError(f"sort is '{sort}'; choose one of: file, diagnosticity")
    rows = ["prior", *(case.evidence[i].id for i in order), "total"]
    longest_word = max((len(word) for label in labels for word in label.split()), default=1)
    cell = max(72 if len(labels) <= 5 else 56, 7 * longest_word + 8)
    width = width or cell * len(labels)
    height = ROW * len(rows)
    tooltip = [
        alt.Tooltip("row:N", title="Row"),
        alt.Tooltip("label:N", title="Hypothesis"),
        alt.Tooltip("shown:Q", title="Decibans", format="+.1f"),
        alt.Tooltip("claim:N", title="Claim"),
        alt.Tooltip("source:N", title="Source"),
        alt.Tooltip("credibility:N", title="Credibility"),
        alt.Tooltip("likelihood:N", title="Likelihood L"),
        alt.Tooltip("effective:N", title="Effective P"),
    ]
    x = alt.X("label:N", sort=labels, title=None, axis=None)
    y = alt.Y("row:N", sort=rows, title=None, axis=alt.Axis(labelLimit=200, labelFontSize=10))
    base = alt.Chart(data).encode(x=x, y=y)
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            "shown:Q",
            title="dB",
            scale=alt.Scale(
                scheme=DIVERGING_SCHEME,
                domain=[-SATURATION_DB, SATURATION_DB],
                domainMid=0,
                clamp=True,
            ),
            legend=alt.Legend(orient="bottom", gradientLength=200, titleFontSize=10),
        ),
        tooltip=tooltip,
    )
    text = base.mark_text(fontSize=10).encode(
        text="text:N",
        color=alt.condition(
            f"abs(datum.shown) > {0.6 * SATURATION_DB}", alt.value("white"), alt.value("black")
        ),
        tooltip=tooltip,
    )
    total_box = (
        alt.Chart(data[data["kind"] == "total"])
        .mark_rect(fill=None, stroke="#222222", strokeWidth=1.5)
        .encode(x=x, y=y)
    )
    # the column heads: each label (wrapped) over a strip of the hypothesis's colour
    wrapped = [_wrap(label, max(8, cell // 7)) for label in labels]
    lines = max(len(w) for w in wrapped)
    head_height = 13 * lines + 9
    heads = pd.DataFrame(
        {
            "label": labels,
            "head": ["\n".join(w) for w in wrapped],
            # multi-line text grows downwards from its first line: lift taller labels
            "top": [head_height - 8 - 12 * (len(w) - 1) for w in wrapped],
        }
    )
    head_base = alt.Chart(heads).encode(x=alt.X("label:N", sort=labels, axis=None))
    strip = head_base.mark_rect(height=5, y=head_height - 2.5).encode(
        color=alt.Color("label:N", scale=_colour_scale(case), legend=None)
    )
    head_text = head_base.mark_text(
        lineBreak="\n", lineHeight=12, baseline="bottom", fontSize=10
    ).encode(text="head:N", y=alt.Y("top:Q", scale=None, axis=None))
    header = alt.layer(head_text, strip).properties(width=width, height=head_height)
    grid = alt.layer(cells, text, total_box).properties(width=width, height=height)
    chart = alt.vconcat(header, grid, spacing=0).resolve_scale(color="independent")
    subtitle = (
        "Centred decibans per item; each column sums to the total row "
        "(positive: towards that hypothesis)"
    )
    return _finish(chart, title, subtitle if title is not None else None)


# -- trajectory ---------------------------------------------------------------------------


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
    n_undated = sum(1 for item in case.evidence if not item.date)
    tooltip = [
        alt.Tooltip("step:N", title="Date" if dated else "Step"),
        alt.Tooltip("label:N", title="Hypothesis"),
        alt.Tooltip("percent:N", title="Posterior"),
        alt.Tooltip("word:N", title="ICD 203"),
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
    notes = []
    if dated:
        notes.append("Hollow points: the prior (before the first date)")
        if n_undated:
            notes.append(f"{n_undated} undated item(s), added after the last date")
    else:
        notes.append("No item is dated: steps in file order")
    return _finish(chart, title, "; ".join(notes) if title is not None else None)


# -- waterfall ------------------------------------------------------------------------------


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
        x=alt.X("start:Q", title=f"Decibans for {lead.label} over {run.label}"),
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


# -- tornado ----------------------------------------------------------------------------------


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
    y = alt.Y("parameter:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    base = alt.Chart(data).encode(y=y)
    bars_layer = base.mark_bar(height={"band": 0.7}).encode(
        x=alt.X(
            "base:Q",
            title=what,
            scale=alt.Scale(domain=[0, 1]),
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
    chart = alt.layer(*layers).properties(width=width, height=max(60, ROW * max(1, len(order))))
    return _finish(chart, title, "Dashed line: the posterior as in the case files")


def _range_text(bar: _Bar) -> str:
    """The number's range, when the bar says (``analysis.sensitivity`` bars do)."""
    low, high = getattr(bar, "low", None), getattr(bar, "high", None)
    return "" if low is None or high is None else f"{float(low):.2f} to {float(high):.2f}"


def _swing(bar: _Bar) -> float:
    return abs(float(bar.high_value) - float(bar.low_value))


# -- rendering ---------------------------------------------------------------------------------


@cache
def _register_fonts() -> None:
    import vl_convert

    folder = font_directory()
    if folder is not None:
        vl_convert.register_font_directory(str(folder))


def chart_png(chart, scale: float = 2.0) -> bytes:
    """Render ``chart`` to PNG offline (vl-convert; no remote data, fonts or URLs)."""
    import vl_convert

    _register_fonts()
    return vl_convert.vegalite_to_png(chart.to_dict(), scale=scale, allowed_base_urls=[])


def chart_svg(chart) -> str:
    """Render ``chart`` to SVG offline."""
    import vl_convert

    _register_fonts()
    return vl_convert.vegalite_to_svg(chart.to_dict(), allowed_base_urls=[])
