"""The PDF brief: the brief's text model (:mod:`analysis.report.brief.model`) laid out
with reportlab.

``render_brief(analysis)`` builds the :class:`~analysis.report.brief.model.Document`
(:func:`~analysis.report.brief.document.brief_document`) and sets each block: headings,
paragraphs, bullet lists, the shaded bottom-line box, tables (tinted cells, repeated
header rows) and charts (the dashboard's own Altair charts as vl-convert PNGs). Every
page carries the marking (when the case gives one) at its top and bottom, and a footer
with the engine version, the case's content hash, the date and "Page n of m".
All text passes through :func:`~analysis.report.brief.pdf_style.esc`.
"""

from __future__ import annotations

import os
from functools import partial
from io import BytesIO
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from analysis import __version__
from analysis.engine.analyzer import Analysis
from analysis.errors import BriefError
from analysis.report.brief import model as m
from analysis.report.brief.pdf_bidi import para, visual
from analysis.report.brief.pdf_style import ACCENT, BOLD, FONT, GRID, SHADE, esc, styles

PAGE = A4
MARGIN = 18 * mm
#: The frame's usable size: the page less its margins and the frame's 6 pt padding.
FRAME_WIDTH = PAGE[0] - 2 * MARGIN - 12
FRAME_HEIGHT = PAGE[1] - 2 * MARGIN - 10 * mm - 12
#: PNG scale of the charts (2 = crisp on screen and paper); 1 chart px = 0.75 pt.
CHART_SCALE = 2.0
PX = 0.75


def render_brief(analysis: Analysis, scenario: str | None = None) -> bytes:
    """The brief as PDF bytes. ``scenario`` says where the numbers came from when they
    differ from the case files (e.g. ``"adjusted from file"``); None means as in the files.
    """
    from analysis.report.brief.document import brief_document

    return render_document(brief_document(analysis, scenario))


def render_document(doc: m.Document) -> bytes:
    """A :class:`~analysis.report.brief.model.Document` as PDF bytes."""
    buffer = BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 5 * mm,
        bottomMargin=MARGIN + 5 * mm,
        title=doc.title,
        subject=doc.subject,
        author="ACH workbench",
        creator=f"ach-workbench {__version__}",
        initialFontName=FONT,  # else every page's preamble pulls in Helvetica
    )
    try:
        template.build(story(doc.blocks), canvasmaker=partial(_FurnitureCanvas, doc=doc))
    except LayoutError as error:  # a block no page can hold, whatever the case's text
        first = " ".join(str(error).split())[:160]
        raise BriefError(f"the PDF brief cannot be laid out ({first})") from None
    return buffer.getvalue()


def write_brief(analysis: Analysis, path: str | os.PathLike, scenario: str | None = None) -> Path:
    """Write the brief to ``path`` in the format its extension names (see
    :mod:`analysis.report.brief.output`), atomically."""
    from analysis.report.brief.output import write_brief as write

    return write(analysis, path, scenario)


# -- blocks -> flowables ---------------------------------------------------------------------


def markup(runs: m.Line) -> str:
    """Runs as reportlab paragraph markup, every text escaped."""
    out = []
    for run in runs:
        text = esc(run.text).replace("\n", "<br/>")
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        if run.colour:
            text = f'<font color="{run.colour}">{text}</font>'
        out.append(text)
    return "".join(out)


#: Room (points) a heading of each level needs below it, else it starts a new page.
HEADING_ROOM = {0: 160.0, 1: 140.0, 2: 90.0}


def story(blocks: tuple[m.Block, ...]) -> list[Flowable]:
    """The flowables of ``blocks``; a heading starts a new page when little room is
    left, and stays on one page with the paragraphs and the chart that follow it."""
    out: list[Flowable] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if not isinstance(block, m.Heading):
            out += flowables(block)
            i += 1
            continue
        group = flowables(block)
        i += 1
        while i < len(blocks) and isinstance(blocks[i], m.Para):
            group += flowables(blocks[i])
            i += 1
        if i < len(blocks) and isinstance(blocks[i], m.Chart):
            group += flowables(blocks[i])
            i += 1
        out += [CondPageBreak(HEADING_ROOM[min(block.level, 2)]), KeepTogether(group)]
    return out


def flowables(block: m.Block) -> list[Flowable]:
    s = styles()
    if isinstance(block, m.Heading):
        style = (s.title, s.h1, s.h2)[min(block.level, 2)]
        return [para(esc(block.text), style)]
    if isinstance(block, m.Para):
        return [para(markup(block.runs), getattr(s, block.style))]
    if isinstance(block, m.Bullets):
        return [_bullets([para(markup(item), s.body) for item in block.items])]
    if isinstance(block, m.Callout):
        return [_callout(block)]
    if isinstance(block, m.Table):
        return [_table(block), Spacer(1, 6)]
    if isinstance(block, m.Chart):
        image = _chart(block.make(), FRAME_HEIGHT * block.height, FRAME_WIDTH * block.width)
        if not block.caption:
            return [image]
        return [KeepTogether([image, para(esc(block.caption), s.small)])]
    if isinstance(block, m.PageBreak):
        return [PageBreak()]
    raise TypeError(f"not a brief block: {block!r}")


def _bullets(paragraphs: list[Flowable]) -> ListFlowable:
    return ListFlowable(
        [ListItem(p, leftIndent=12, value="•") for p in paragraphs],
        bulletType="bullet",
        start="•",
        leftIndent=12,
        bulletFontName=FONT,
    )


def _callout(block: m.Callout) -> Table:
    s = styles()
    lines = [para(markup(p.runs), getattr(s, p.style)) for p in block.paragraphs]
    # splitInRow: a box taller than a page (a 20,000-character description) continues
    # on the next one instead of failing the layout
    box = Table([[lines]], colWidths=[FRAME_WIDTH], splitInRow=1)
    box.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(ACCENT)),
                ("LEFTPADDING", (0, 0), (-1, -1), 9),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return box


def _cell(c: m.Cell) -> Flowable:
    s = styles()
    text = "<br/>".join(markup(runs) for runs in c.lines)
    return para(text, s.cell_right if c.align == "right" else s.cell)


def _table(block: m.Table) -> Table:
    rows = [[_cell(c) for c in block.header]]
    rows += [[_cell(c) for c in row] for row in block.rows]
    total = sum(block.widths)
    widths = [FRAME_WIDTH * w / total for w in block.widths]
    extra = [
        ("BACKGROUND", (j, r), (j, r), colors.HexColor(c.tint))
        for r, row in enumerate(block.rows, start=1)
        for j, c in enumerate(row)
        if c.tint
    ]
    if block.foot:
        extra.append(("BACKGROUND", (0, len(rows) - block.foot), (-1, -1), SHADE))
    # splitInRow: a row taller than a page (a claim of 20,000 characters) splits
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
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
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                *extra,
            ]
        )
    )
    return table


def _chart(chart, max_height: float, max_width: float) -> Image:
    """A chart as an image at its natural size, shrunk to fit if need be."""
    from analysis.report.charts import chart_png

    image = Image(BytesIO(chart_png(chart, scale=CHART_SCALE)))
    px_w, px_h = image.imageWidth, image.imageHeight
    width = min(max_width, px_w / CHART_SCALE * PX)
    height = px_h * width / px_w
    if height > max_height:
        height, width = max_height, px_w * max_height / px_h
    image.drawWidth, image.drawHeight = width, height
    image.hAlign = "LEFT"
    return image


# -- page furniture --------------------------------------------------------------------------


class _FurnitureCanvas(Canvas):
    """Draws the marking, the footer and a running title once the page count is known."""

    def __init__(self, *args, doc: m.Document, **kwargs):
        super().__init__(*args, **kwargs)
        self._brief = doc
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._furniture(total)
            super().showPage()
        super().save()

    def _furniture(self, total: int) -> None:
        width, height = self._pagesize
        doc = self._brief
        room = width - 2 * MARGIN
        self.saveState()
        self.setStrokeColor(GRID)
        self.setLineWidth(0.5)
        self.line(MARGIN, MARGIN, width - MARGIN, MARGIN)
        self.setFillColor(colors.HexColor("#555555"))
        self.setFont(FONT, 7)
        page = f"Page {self._pageNumber} of {total}"
        self.drawString(
            MARGIN, MARGIN - 10, visual(_fit(doc.footer, room - stringWidth(page, FONT, 7) - 12))
        )
        self.drawRightString(width - MARGIN, MARGIN - 10, page)
        if self._pageNumber > 1:
            self.drawString(MARGIN, height - MARGIN - 2, visual(_fit(doc.title, room)))
        if doc.marking:
            self.setFillColor(colors.black)
            self.setFont(BOLD, 9)
            text = visual(_fit(doc.marking, room, 9, BOLD))
            self.drawCentredString(width / 2, height - MARGIN + 8, text)
            self.drawCentredString(width / 2, MARGIN - 24, text)
        self.restoreState()


def _fit(text: str, room: float, size: float = 7, font: str = FONT) -> str:
    """``text`` cut with an ellipsis to fit ``room`` points at ``size``."""
    text = " ".join(text.split())
    if stringWidth(text, font, size) <= room:
        return text
    while text and stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text + "…"


__all__ = ["render_brief", "render_document", "write_brief"]
