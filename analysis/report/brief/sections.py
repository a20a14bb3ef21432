"""The sections of the PDF brief, in reading order, as reportlab flowables.

:func:`story` is the whole document body; :mod:`analysis.report.brief.pdf` adds the page
furniture and writes the file. Numbers come from the :class:`~analysis.engine.analyzer.Analysis`
(presentational choices such as ordering and picking the strongest item are made
here; nothing is recomputed). User text always goes through :func:`esc`.
"""

from __future__ import annotations

import datetime
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from analysis.engine.analyzer import Analysis
from analysis.report import charts as ch
from analysis.report.brief.tables import (
    FONT,
    esc,
    indicator_table,
    matrix_table,
    rating_key,
    source_table,
    styles,
    swatch,
    yardstick_table,
)
from analysis.scales import JEFFREYS, YARDSTICKS, format_percent
from analysis.wording import count, tie_sentence

PAGE = A4
MARGIN = 18 * mm
#: The frame's usable size: the page less its margins and the frame's 6 pt padding.
FRAME_WIDTH = PAGE[0] - 2 * MARGIN - 12
FRAME_HEIGHT = PAGE[1] - 2 * MARGIN - 8 * mm - 12
#: PNG scale of the charts (2 = crisp on screen and paper); 1 chart px = 0.75 pt.
CHART_SCALE = 2.0
PX = 0.75
#: Items shown one by one in the waterfall; the rest are pooled into one step.
WATERFALL_TOP = 12
AS_IN_FILES = "as in the case files"


def long_date(day: datetime.date) -> str:
    """``24 November 2026``."""
    return f"{day.day} {day:%B %Y}"


# -- helpers ----------------------------------------------------------------------------------


def _chart(chart, max_height: float = FRAME_HEIGHT, max_width: float = FRAME_WIDTH) -> Image:
    """A chart as an image at its natural size, shrunk to fit the frame if need be."""
    image = Image(BytesIO(ch.chart_png(chart, scale=CHART_SCALE)))
    px_w, px_h = image.imageWidth, image.imageHeight
    width = min(max_width, px_w / CHART_SCALE * PX)
    height = px_h * width / px_w
    if height > max_height:
        height, width = max_height, px_w * max_height / px_h
    image.drawWidth, image.drawHeight = width, height
    image.hAlign = "LEFT"
    return image


def _bullets(paragraphs: list[Paragraph]) -> ListFlowable:
    return ListFlowable(
        [ListItem(p, leftIndent=12, value="•") for p in paragraphs],
        bulletType="bullet",
        start="•",
        leftIndent=12,
        bulletFontName=FONT,
    )


def _said(analysis: Analysis, k: int, interval: bool = False) -> str:
    """``likely (56%)``: the ICD 203 word beside the percentage; with ``interval`` and an
    uncertainty run, ``likely (56%; 90% interval 23% to 86%)``."""
    u = analysis.uncertainty
    extra = ""
    if interval and u is not None:
        low, high = format_percent(float(u.low[k])), format_percent(float(u.high[k]))
        extra = f"; 90% interval {low} to {high}"
    return f"{esc(analysis.words()[k])} ({analysis.percent(k)}{extra})"


# -- sections -----------------------------------------------------------------------------------


def story(analysis: Analysis, scenario: str | None, today: datetime.date) -> list:
    s = styles()
    case = analysis.case
    story: list = [
        Paragraph(esc(case.title), s.title),
        Paragraph(f"<b>Question:</b> {esc(case.question)}", s.subtitle),
        Paragraph(
            f"Prepared {long_date(today)} · case <b>{esc(case.name)}</b> · "
            f"{count(len(case.hypotheses), 'hypothesis', 'hypotheses')}, "
            f"{count(len(case.evidence), 'evidence item')}, "
            f"{count(len(analysis.sources), 'source')} · "
            f"scenario: {esc(scenario or AS_IN_FILES)}",
            s.small,
        ),
        Spacer(1, 6),
    ]
    story += _bottom_line(analysis)
    story += _key_judgments(analysis)
    story += _evidence_moves(analysis)
    story += _matrix(analysis)
    story += _linchpins(analysis)
    story += _indicators(analysis)
    story += _sources(analysis)
    story += _method(analysis)
    return story


def _bottom_line(analysis: Analysis) -> list:
    s = styles()
    case = analysis.case
    lead, run = analysis.leader, analysis.runner_up
    h = case.hypotheses[lead]
    conf = analysis.confidence
    reasons = "; ".join(esc(r.reason) for r in conf.limiting)
    if len(analysis.tied) > 1:
        labels = [case.hypotheses[k].label for k in analysis.tied]
        tie = tie_sentence(labels, analysis.percent(lead), analysis.words()[lead])
        lines = [Paragraph(f"<b>Bottom line.</b> {esc(tie)}", s.bluf)]
    else:
        lines = [
            Paragraph(
                f"<b>Bottom line.</b> {esc(h.label)} is {_said(analysis, lead, interval=True)}"
                + (f": {esc(h.description)}" if h.description else "."),
                s.bluf,
            ),
            Paragraph(
                f"The nearest alternative, {esc(case.hypotheses[run].label)}, is "
                f"{_said(analysis, run)}.",
                s.bluf,
            ),
        ]
    lines += [
        Paragraph(
            f"We have <b>{esc(conf.level)} confidence</b> in this judgment"
            + (f", because {reasons}." if reasons else "."),
            s.bluf,
        ),
    ]
    box = Table([[lines]], colWidths=[FRAME_WIDTH])
    box.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#EEF1F5")),
                ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(ch.OKABE_ITO[0])),
                ("LEFTPADDING", (0, 0), (-1, -1), 9),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return [box]


def _key_judgments(analysis: Analysis) -> list:
    s = styles()
    case = analysis.case
    colours = ch.hypothesis_colours(case)
    items = []
    for k in analysis.ranking:
        k = int(k)
        h = case.hypotheses[k]
        column = analysis.contribution[:, k]
        drivers = []
        if len(column) and column.max() >= 0.05:
            i = int(column.argmax())
            drivers.append(f"most support from {esc(case.evidence[i].id)} ({column[i]:+.1f} dB)")
        if len(column) and column.min() <= -0.05:
            i = int(column.argmin())
            drivers.append(f"most against from {esc(case.evidence[i].id)} ({column[i]:+.1f} dB)")
        text = (
            f"{swatch(colours[h.id])} <b>{esc(h.label)}</b>: {_said(analysis, k, interval=True)}. "
            f"{esc(h.description)}"
        )
        if drivers:
            text += f" <font color='#555555'>({'; '.join(drivers)})</font>"
        items.append(Paragraph(text, s.body))
    story = [Paragraph("Key judgments", s.h1), _bullets(items)]
    caption = (
        "Posterior probability of each hypothesis, in ICD 203 words"
        + (", with the 90% interval from the uncertainty run" if analysis.uncertainty else "")
        + "."
    )
    story.append(KeepTogether([_chart(ch.posterior_chart(analysis, width=440)), _caption(caption)]))
    u = analysis.uncertainty
    if u is not None:
        story.append(
            Paragraph(
                f"Uncertainty run: {esc(u.sampler or 'PyMC')}, {u.chains} chains × {u.draws} "
                f"draws; largest R-hat {u.r_hat_max:.3f}, smallest effective sample size "
                f"{u.ess_min:.0f}. The intervals show how far the analyst's own imprecision "
                "(ranges, source credibility shared across items) moves the result.",
                s.small,
            )
        )
    return story


def _caption(text: str) -> Paragraph:
    return Paragraph(text, styles().small)


def _evidence_moves(analysis: Analysis) -> list:
    s = styles()
    case = analysis.case
    lead, run = case.hypotheses[analysis.leader], case.hypotheses[analysis.runner_up]
    pooled = len(case.evidence) > WATERFALL_TOP
    intro = Paragraph(
        "Each cell is the weight of evidence, in decibans (dB), that an item adds to a "
        "hypothesis compared with the average hypothesis; the first row is the prior. Read "
        "down a column: the cells add up to the total, which sets the posterior. +10 dB "
        "multiplies the odds by ten, +3 dB roughly doubles them; 0 means the item does not "
        "discriminate.",
        s.body,
    )
    waterfall_note = Paragraph(
        f"From the prior odds, each item adds or removes weight for {esc(lead.label)} over "
        f"{esc(run.label)}; the last bar is the posterior log-odds."
        + (
            f" The {WATERFALL_TOP} weightiest items are shown one by one; the rest are pooled."
            if pooled
            else ""
        ),
        s.body,
    )
    trajectory_note = Paragraph(
        "The posterior after each dated item. Hollow points mark the prior (drawn just "
        "before the first date) and, if any, the undated items taken together after the "
        "last date.",
        s.body,
    )
    heading = Paragraph("How each item moved the conclusion", s.h1)
    return [
        KeepTogether(
            [heading, intro, _chart(ch.contribution_chart(analysis), max_height=FRAME_HEIGHT - 90)]
        ),
        KeepTogether(
            [
                Paragraph(
                    f"{esc(lead.label)} against {esc(run.label)}"
                    if len(analysis.tied) > 1
                    else f"Why {esc(lead.label)} leads {esc(run.label)}",
                    s.h2,
                ),
                waterfall_note,
                _chart(ch.waterfall_chart(analysis, top=WATERFALL_TOP)),
            ]
        ),
        KeepTogether(
            [
                Paragraph("How the picture evolved", s.h2),
                trajectory_note,
                _chart(ch.trajectory_chart(analysis, width=420)),
            ]
        ),
    ]


def _matrix(analysis: Analysis) -> list:
    s = styles()
    story = [
        CondPageBreak(150),
        Paragraph("The ACH matrix", s.h1),
        Paragraph(rating_key(), s.small),
        matrix_table(analysis, FRAME_WIDTH),
    ]
    if analysis.disagreement is not None:
        story += [
            Paragraph("Heuer's count and Bayes disagree", s.h2),
            Paragraph(esc(analysis.disagreement.explanation), s.body),
        ]
    return story


def _linchpins(analysis: Analysis) -> list:
    s = styles()
    case = analysis.case
    story = [CondPageBreak(80), Paragraph("Linchpins", s.h1)]
    items = analysis.linchpin_items
    if not items:
        story.append(
            Paragraph(
                "No single item is a linchpin: removing any one of them leaves "
                f"{esc(case.hypotheses[analysis.leader].label)} in the lead.",
                s.body,
            )
        )
        return story
    story.append(
        Paragraph(
            "Removing any one of these items would change the leading hypothesis: check them "
            "first (Heuer step 6).",
            s.body,
        )
    )
    paragraphs = []
    for i in items:
        item = case.evidence[i]
        without = analysis.posterior_without[i]
        new = analysis.leader_without(i)
        source = case.source_by_id[item.source].name if item.source else "no source named"
        paragraphs.append(
            Paragraph(
                f"<b>{esc(item.id)}</b> ({esc(source)}; credibility "
                f"{esc(case.credibility_of(item).describe())}): {esc(item.claim)} "
                f"<i>Without it, {esc(case.hypotheses[new].label)} would lead with "
                f"{format_percent(float(without[new]))}.</i>",
                s.body,
            )
        )
    story.append(_bullets(paragraphs))
    return story


def _indicators(analysis: Analysis) -> list:
    s = styles()
    table = indicator_table(analysis, FRAME_WIDTH)
    story = [CondPageBreak(100), Paragraph("Indicators to watch", s.h1)]
    if table is None:
        story.append(Paragraph("The case lists no indicators.", s.body))
        return story
    story += [
        Paragraph(
            "Observations not yet made, most informative first: the chance of seeing each "
            "under the current judgment, the information it would give (bits), and the two "
            "leading hypotheses if it is, or is not, seen (Heuer step 8).",
            s.small,
        ),
        table,
    ]
    if len(analysis.indicators) > 12:
        story.append(_caption(f"{len(analysis.indicators) - 12} more indicators in the tool."))
    return story


def _sources(analysis: Analysis) -> list:
    s = styles()
    story = [
        CondPageBreak(100),
        Paragraph("Sources", s.h1),
        Paragraph(
            "Credibility is the probability that the source reports accurately; a weak source "
            "caps how far its reports can move the odds. The share is the part of the weight "
            "separating the two leading hypotheses that rests on the source.",
            s.small,
        ),
        source_table(analysis, FRAME_WIDTH),
    ]
    if analysis.warnings:
        story += [
            Paragraph("Cautions", s.h2),
            _bullets([Paragraph(esc(w), s.body) for w in analysis.warnings]),
        ]
    return story


def _method(analysis: Analysis) -> list:
    s = styles()
    grades = ", ".join(
        f"{word} {'under' if i == 0 else 'to'} {upper:g} dB" if upper != float("inf") else word
        for i, (upper, word) in enumerate(JEFFREYS)
    )
    rules = [
        Paragraph(f"<b>{esc(r.name)}</b> (allows {esc(r.cap)}): {esc(r.reason)}", s.small)
        for r in analysis.confidence.rules
    ]
    return [
        CondPageBreak(200),
        Paragraph("Method note", s.h1),
        Paragraph(
            "The workbench applies Bayes' rule to the hypotheses, which are mutually exclusive "
            "and exhaustive. For each item the analyst states how likely such a report would be "
            "under each hypothesis. Source credibility discounts each report: a report from a "
            "source of credibility c counts as c × the analyst's likelihood plus (1 − c) × the "
            "chance of such a report from an unreliable source, so a weak source cannot move "
            "the odds far, whatever it says. Items are treated as independent given the "
            "hypothesis; several items from one source may be double-counted (see Cautions).",
            s.body,
        ),
        Paragraph(
            "<b>What the numbers mean.</b> A percentage is the probability of a hypothesis given "
            "this evidence, these likelihoods and these credibilities: a statement about the "
            "analyst's judgment made consistent, not a frequency. It is only as good as those "
            "inputs, and it does not cover hypotheses outside the list. Probabilities are "
            "shown in ICD 203 words:",
            s.body,
        ),
        yardstick_table(YARDSTICKS[analysis.yardstick], FRAME_WIDTH),
        Spacer(1, 5),
        Paragraph(
            f"Weights of evidence are in decibans (dB, 10 log10 of a likelihood ratio), graded "
            f"after Jeffreys: {grades}.",
            s.body,
        ),
        Paragraph(
            "<b>Confidence</b> (low, moderate, high) is a separate judgment about the evidence "
            "base, not a probability: each rule below may cap it, and the lowest cap applies.",
            s.body,
        ),
        *rules,
    ]
