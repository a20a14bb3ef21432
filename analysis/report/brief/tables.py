"""Layout pieces of the PDF brief: fonts, paragraph styles and the tables.

Every piece of user text (labels, claims, names, ids) passes through :func:`esc`
before it reaches a reportlab Paragraph, so markup in a case file prints literally.
The numbers come from the :class:`~analysis.engine.analyzer.Analysis`; nothing is recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, Table, TableStyle

from analysis.engine.analyzer import Analysis
from analysis.errors import FontError
from analysis.report.charts import font_directory
from analysis.report.colours import RATING_TINT, hypothesis_colours
from analysis.scales import RATING_MEANING, format_percent

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
GRID = colors.HexColor("#BBBBBB")
SHADE = colors.HexColor("#EEF1F5")
MUTED = "#555555"


def esc(text: object) -> str:
    """User text made safe for a reportlab Paragraph: ``<b>``, ``&`` print literally."""
    return escape(str(text), {'"': "&quot;"})


# -- fonts and styles -------------------------------------------------------------------


@cache
def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold, oblique) with reportlab, once per process."""
    from reportlab.lib.fonts import addMapping

    folder = font_directory()
    if folder is None:
        raise FontError(
            "the brief needs DejaVuSans.ttf: install matplotlib or the fonts-dejavu-core package"
        )
    files = {FONT: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf"}
    for name, file in files.items():
        path = Path(folder) / file
        pdfmetrics.registerFont(TTFont(name, str(path if path.is_file() else folder / files[FONT])))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, BOLD)
    addMapping(FONT, 0, 1, ITALIC)
    addMapping(FONT, 1, 1, BOLD)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    bluf: ParagraphStyle
    bullet: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    cell_right: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=5)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9.5, splitLongWords=True)
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10.5, textColor=MUTED),
        title=ParagraphStyle("title", fontName=BOLD, fontSize=17, leading=21, spaceAfter=4),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=10.5, leading=14),
        h1=ParagraphStyle(
            "h1", fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=5
        ),
        h2=ParagraphStyle("h2", fontName=BOLD, fontSize=10, leading=13, spaceBefore=6),
        bluf=ParagraphStyle("bluf", parent=body, fontSize=11, leading=15, spaceAfter=4),
        bullet=ParagraphStyle("bullet", parent=body, leftIndent=12, bulletIndent=0),
        cell=cell,
        cell_head=ParagraphStyle("cell_head", parent=cell, fontName=BOLD),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
    )


def swatch(colour: str) -> str:
    """A small square in a hypothesis's colour (DejaVu has U+25A0)."""
    return f'<font color="{colour}">\u25a0</font>'


def _table(rows, widths, extra=(), header_rows: int = 1) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # else the cell preamble uses Helvetica
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                *([("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE)] if header_rows else []),
                *extra,
            ]
        )
    )
    return table


# -- the tables ----------------------------------------------------------------------------


def matrix_table(analysis: Analysis, width: float) -> Table:
    """The ACH matrix: items (most diagnostic first) by hypotheses; each cell gives Heuer's
    rating and the analyst's likelihood, tinted by rating; Heuer's scores at the foot."""
    s = styles()
    case = analysis.case
    colours = hypothesis_colours(case)
    k = len(case.hypotheses)
    item_w = min(200.0, width * 0.38)
    diag_w = 40.0
    hyp_w = (width - item_w - diag_w) / k
    head = [Paragraph("Evidence item (source, date): claim", s.cell_head)]
    head += [
        Paragraph(f"{swatch(colours[h.id])} {esc(h.label)}", s.cell_head) for h in case.hypotheses
    ]
    head.append(Paragraph("Diag. dB", s.cell_head))
    rows = [head]
    extra = []
    order = [int(i) for i in analysis.by_diagnosticity]
    for r, i in enumerate(order, start=1):
        item = case.evidence[i]
        where = ", ".join(esc(x) for x in (item.source or "no source", item.date) if x)
        flag = " <b>[linchpin]</b>" if analysis.linchpin[i] else ""
        row = [Paragraph(f"<b>{esc(item.id)}</b> ({where}){flag}: {esc(item.claim)}", s.cell)]
        for j, h in enumerate(case.hypotheses):
            rating = analysis.heuer.ratings[i][j]
            given = analysis.heuer.given[i][j]
            text = f"<b>{esc(rating)}</b>" if given else f"<i>{esc(rating)}</i>"
            row.append(Paragraph(f"{text}<br/>{item.likelihoods[h.id].value:.2f}", s.cell))
            extra.append(
                ("BACKGROUND", (j + 1, r), (j + 1, r), colors.HexColor(RATING_TINT[rating]))
            )
        row.append(Paragraph(f"{analysis.diagnosticity[i]:.1f}", s.cell_right))
        rows.append(row)
    foot = [
        ("Inconsistency (Heuer: I = 1, II = 2)", analysis.heuer.inconsistency, "{:g}"),
        ("Weighted inconsistency (PARC)", analysis.heuer.weighted_inconsistency, "{:.2f}"),
    ]
    for label, values, fmt in foot:
        rows.append(
            [Paragraph(f"<b>{label}</b>", s.cell)]
            + [Paragraph(fmt.format(float(v)), s.cell) for v in values]
            + [Paragraph("", s.cell)]
        )
    rows.append(
        [Paragraph("<b>Posterior (Bayes)</b>", s.cell)]
        + [Paragraph(f"<b>{analysis.percent(j)}</b>", s.cell) for j in range(k)]
        + [Paragraph("", s.cell)]
    )
    extra.append(("BACKGROUND", (0, len(rows) - 3), (-1, -1), SHADE))
    return _table(rows, [item_w] + [hyp_w] * k + [diag_w], extra)


def rating_key() -> str:
    """One line explaining the matrix cells (generated from the rating table)."""
    meanings = ", ".join(f"{r} {m}" for r, m in RATING_MEANING.items())
    return (
        f"Each cell: Heuer's rating ({meanings}); bold where the case gives it, italic where "
        "derived from the likelihood; below it the likelihood P(item | hypothesis) as the "
        "analyst set it. Diag. dB: the item's diagnosticity (largest pairwise weight of "
        "evidence). Items most diagnostic first."
    )


def _top_two(analysis: Analysis, posterior) -> str:
    case = analysis.case
    best = sorted(range(len(posterior)), key=lambda k: -posterior[k])[:2]
    return "; ".join(
        f"{esc(case.hypotheses[k].label)} {format_percent(float(posterior[k]))}" for k in best
    )


def indicator_table(analysis: Analysis, width: float, limit: int = 12) -> Table | None:
    """Indicators to watch, most informative first, with what each outcome would mean."""
    if not analysis.indicators:
        return None
    s = styles()
    head = ["Indicator: what to look for", "Chance seen", "Info (bits)", "If seen", "If not seen"]
    rows = [[Paragraph(h, s.cell_head) for h in head]]
    for ind in analysis.indicators[:limit]:
        rows.append(
            [
                Paragraph(f"<b>{esc(ind.item.id)}</b>: {esc(ind.item.claim)}", s.cell),
                Paragraph(format_percent(ind.probability_seen), s.cell_right),
                Paragraph(f"{ind.expected_information_bits:.2f}", s.cell_right),
                Paragraph(_top_two(analysis, ind.if_seen), s.cell),
                Paragraph(_top_two(analysis, ind.if_not_seen), s.cell),
            ]
        )
    fixed = 48 + 42 + 95 + 95
    return _table(rows, [width - fixed, 48, 42, 95, 95])


def source_table(analysis: Analysis, width: float) -> Table:
    """Each source with its credibility, how many items rest on it and its share of the
    weight separating the leader from the runner-up."""
    s = styles()
    case = analysis.case
    lead = case.hypotheses[analysis.leader].label
    run = case.hypotheses[analysis.runner_up].label
    head = [
        "Source",
        "Credibility",
        "Items",
        "Share of deciding weight",
        f"Net dB for {esc(lead)} over {esc(run)}",
    ]
    rows = [[Paragraph(h, s.cell_head) for h in head]]
    for load in sorted(analysis.sources, key=lambda x: -x.share):
        source = case.source_by_id[load.source_id]
        rows.append(
            [
                Paragraph(f"<b>{esc(load.source_id)}</b>: {esc(load.name)}", s.cell),
                Paragraph(esc(source.credibility.describe()), s.cell),
                Paragraph(str(len(load.items)), s.cell_right),
                Paragraph(f"{100 * load.share:.0f}%", s.cell_right),
                Paragraph(f"{load.leader_weight_db:+.1f}", s.cell_right),
            ]
        )
    fixed = 80 + 34 + 60 + 80
    return _table(rows, [width - fixed, 80, 34, 60, 80])


def yardstick_table(table: tuple[tuple[float, str], ...], width: float) -> Table:
    """A probability yardstick (ICD 203 or PHIA) as a one-row key, from the scales table."""
    s = styles()
    lows = [0.0] + [upper for upper, _ in table[:-1]]
    cells = [
        Paragraph(f"<b>{esc(word)}</b><br/>{100 * lo:.0f}-{100 * hi:.0f}%", s.cell)
        for (hi, word), lo in zip(table, lows, strict=True)
    ]
    return _table([cells], [width / len(cells)] * len(cells), header_rows=0)
