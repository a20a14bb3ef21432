"""The contribution grid: centred decibans per item and hypothesis, summed to a total row.

The reports of one event sit together, in the order the engine's chain rule weighs them
(the first carries most: each later report adds only what corroboration adds), each
labelled with its event and place. An item that carries no weight (retracted, or resting
on a broken assumption) keeps its row, at zero, labelled why.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from analysis.errors import ChartError
from analysis.report.charts._common import (
    DIVERGING_SCHEME,
    ROW,
    SATURATION_DB,
    _colour_scale,
    _db,
    _finish,
    _item_fields,
    _labels,
    _wrap,
)
from analysis.report.colours import INK_FLIP
from analysis.scales import format_percent

if TYPE_CHECKING:
    from analysis.engine import Analysis


RETRACTED = "retracted"
#: The widest a hypothesis column grows for the longest word of its head (px).
MAX_CELL = 160


def row_names(analysis: Analysis, no_weight: Mapping[int, str] | None = None) -> list[str]:
    """Each item's row name: its id, then ``(retracted)`` (or the reason in
    ``no_weight``) for an item without weight, or ``(event e, report j of n)``."""
    case = analysis.case
    reasons = dict(no_weight or {})
    place: dict[int, str] = {}
    for result in analysis.events:
        for j, i in enumerate(result.items, start=1):
            place[i] = f"{result.event.id} {j}/{len(result.items)}"
    names = []
    for i, item in enumerate(case.evidence):
        why = reasons.get(i) or (RETRACTED if item.retracted else None)
        if why:
            names.append(f"{item.id} ({why}: 0)")
        elif i in place:
            names.append(f"{item.id} ({place[i]})")
        else:
            names.append(item.id)
    return names


def row_order(analysis: Analysis, sort: str = "file") -> list[int]:
    """Item indices in chart order: ``file`` or ``diagnosticity`` order, except that an
    event's reports follow one another where the first of them comes, in the engine's
    chain-rule order (reports without weight after those that count)."""
    if sort == "diagnosticity":
        order = [int(i) for i in analysis.by_diagnosticity]
    elif sort == "file":
        order = list(range(len(analysis.case.evidence)))
    else:
        raise ChartError(f"sort is '{sort}'; choose one of: file, diagnosticity")
    case = analysis.case
    if not case.events:
        return order
    members = {}
    for result in analysis.events:
        counted = list(result.items)
        members[result.event.id] = counted + [
            i for i in case.event_reports[result.event.id] if i not in counted
        ]
    placed: set[str] = set()
    rows: list[int] = []
    for i in order:
        event = case.evidence[i].event
        if event is None:
            rows.append(i)
        elif event not in placed:
            placed.add(event)
            rows += members[event]
    return rows


def contribution_data(
    analysis: Analysis, no_weight: Mapping[int, str] | None = None
) -> pd.DataFrame:
    """Long table of centred decibans: the prior row, one row per item and hypothesis,
    and the total row (``kind`` = ``prior`` / ``item`` / ``total``).

    The prior and item rows of each hypothesis add up to its posterior logit in
    decibans (centred); the total row shows that sum. ``row`` names each item as
    :func:`row_names` does (``no_weight``: item index -> why it carries no weight).
    """
    case = analysis.case
    words = analysis.words()
    names = row_names(analysis, no_weight)
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
                "event": "",
            }
        )
        for i, item in enumerate(case.evidence):
            value = float(analysis.contribution[i, k])
            facts = _item_fields(analysis, i)
            rows.append(
                {
                    "kind": "item",
                    "row": names[i],
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
                    "event": item.event or "",
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
                "event": "",
            }
        )
    return pd.DataFrame(rows)


def contribution_chart(
    analysis: Analysis,
    width: int | None = None,
    title: str | None = None,
    sort: str = "file",
    no_weight: Mapping[int, str] | None = None,
    items: Collection[int] | None = None,
    max_width: int | None = None,
):
    """A heat-mapped grid: rows are the prior, each item (by id) and the total; columns are
    hypotheses; each cell holds the centred decibans it adds to that hypothesis
    (``items``: only these items' rows, the total still counting every item;
    ``max_width``: the widest the grid may be, its columns narrowed and their heads
    wrapped to fit).

    Read down a column: the prior and item cells add up to the total row, the posterior's
    centred logit in decibans (positive = pushed towards that hypothesis). ``sort`` is
    ``"file"`` (case order) or ``"diagnosticity"`` (most diagnostic item first); an
    event's reports stay together either way (:func:`row_order`). ``no_weight`` names why
    an item carries no weight (default: retracted).
    """
    case = analysis.case
    order = row_order(analysis, sort)
    data = contribution_data(analysis, no_weight)
    labels = _labels(case)
    names = row_names(analysis, no_weight)
    if items is not None:
        kept = set(items)
        order = [i for i in order if i in kept]
    rows = ["prior", *(names[i] for i in order), "total"]
    if items is not None:
        data = data[data["row"].isin(rows)]
    longest_word = max((len(word) for label in labels for word in label.split()), default=1)
    # a column as wide as the longest word of its head (about 7 px a character), up to
    # MAX_CELL: a 300-letter word made each column 2100 px, the chart 420 000 px wide
    cell = min(max(72 if len(labels) <= 5 else 56, 7 * longest_word + 8), MAX_CELL)
    width = width or cell * len(labels)
    if max_width is not None and width > max_width:
        width, cell = max_width, max_width // len(labels)
    height = ROW * len(rows)
    tooltip = [
        alt.Tooltip("row:N", title="Row"),
        alt.Tooltip("label:N", title="Hypothesis"),
        alt.Tooltip("shown:Q", title="Decibans", format="+.1f"),
        alt.Tooltip("claim:N", title="Claim"),
        alt.Tooltip("event:N", title="Reports event"),
        alt.Tooltip("source:N", title="Source"),
        alt.Tooltip("credibility:N", title="Credibility"),
        alt.Tooltip("likelihood:N", title="Likelihood L"),
        alt.Tooltip("effective:N", title="Effective P"),
    ]
    x = alt.X("label:N", sort=labels, title=None, axis=None)
    y = alt.Y("row:N", sort=rows, title=None, axis=alt.Axis(labelLimit=320, labelFontSize=10))
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
            f"abs(datum.shown) > {INK_FLIP * SATURATION_DB}", alt.value("white"), alt.value("black")
        ),
        tooltip=tooltip,
    )
    total_box = (
        alt.Chart(data[data["kind"] == "total"])
        .mark_rect(fill=None, stroke="#222222", strokeWidth=1.5)
        .encode(x=x, y=y)
    )
    # the column heads: each label (wrapped) over a strip of the hypothesis's colour
    wrapped = [_wrap(label, max(4, cell // 7)) for label in labels]  # about 7 px a character
    lines = max(len(w) for w in wrapped)
    head_height = 13 * lines + 9
    # one row per line of each label, the last line just above the colour strip: a text
    # with line breaks printed a wrapped Arabic or Hebrew label's lines over each other
    # (vl-convert), where a single line prints in its reading order
    heads = pd.DataFrame(
        [
            {"label": label, "head": line, "top": head_height - 8 - 12 * (len(w) - 1 - i)}
            for label, w in zip(labels, wrapped, strict=True)
            for i, line in enumerate(w)
        ],
        columns=["label", "head", "top"],
    )
    column = alt.X("label:N", sort=labels, axis=None)
    strip = (
        alt.Chart(pd.DataFrame({"label": labels}))
        .mark_rect(height=5, y=head_height - 2.5)
        .encode(x=column, color=alt.Color("label:N", scale=_colour_scale(case), legend=None))
    )
    head_text = (
        alt.Chart(heads)
        .mark_text(baseline="bottom", fontSize=10)
        .encode(x=column, text="head:N", y=alt.Y("top:Q", scale=None, axis=None))
    )
    header = alt.layer(head_text, strip).properties(width=width, height=head_height)
    grid = alt.layer(cells, text, total_box).properties(width=width, height=height)
    chart = alt.vconcat(header, grid, spacing=0).resolve_scale(color="independent")
    subtitle = (
        "Centred decibans per item; each column sums to the total row "
        "(positive: towards that hypothesis)"
    )
    return _finish(chart, title, subtitle if title is not None else None)
