"""The brief as a Word document (python-docx), for analysts to edit into their template.

Same :class:`~analysis.report.brief.model.Document` as the PDF and Markdown, laid out
with Word's own styles (Title, Heading 1-2, List Bullet, Table Grid) so that a house
template restyles it. Charts are the PDF's PNGs. The marking (when the case gives one)
is in every page's header and footer, with the provenance line and "Page n of m".
All text goes in as plain runs (python-docx escapes XML), never as markup.
"""

from __future__ import annotations

import re
from io import BytesIO

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from analysis.report.brief import model as m

#: Characters XML 1.0 cannot hold: dropped (python-docx would refuse the whole text).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
PAGE_WIDTH_MM = 210
MARGIN_MM = 18
TEXT_WIDTH_MM = PAGE_WIDTH_MM - 2 * MARGIN_MM
SIZES = {"body": 10, "small": 8.5, "meta": 8.5, "lead": 11}
MUTED = RGBColor(0x55, 0x55, 0x55)
SHADE = "EEF1F5"


def clean(text: object) -> str:
    return _NOT_XML.sub("", str(text))


def _property(text: object, limit: int = 255) -> str:
    """A document property: one line, cut with an ellipsis to ``limit`` characters."""
    flat = " ".join(clean(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _runs(paragraph, runs: m.Line, size: float | None = None, colour=None) -> None:
    for r in runs:
        run = paragraph.add_run(clean(r.text))
        run.bold = r.bold or None
        run.italic = r.italic or None
        if size:
            run.font.size = Pt(size)
        if r.colour:
            run.font.color.rgb = RGBColor.from_string(r.colour.lstrip("#").upper())
        elif colour is not None:
            run.font.color.rgb = colour


def _shade(element, fill: str) -> None:
    """Background shading of a table cell's or paragraph's properties."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#").upper())
    element.append(shd)


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in."""
    run = paragraph.add_run()
    begin, text, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = code
    end.set(qn("w:fldCharType"), "end")
    for part in (begin, text, end):
        run._r.append(part)


def _furniture(document, doc: m.Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    header = section.header.paragraphs[0]
    footer = section.footer.paragraphs[0]
    if doc.marking:
        for p in (header, footer):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _runs(p, (m.bold(doc.marking),), 9)
        footer = section.footer.add_paragraph()
    _runs(footer, (m.Run(f"{doc.footer} · Page "),), 7, MUTED)
    _field(footer, "PAGE")
    _runs(footer, (m.Run(" of "),), 7, MUTED)
    _field(footer, "NUMPAGES")


def _table(document, block: m.Table) -> None:
    columns = len(block.header)
    table = document.add_table(rows=1, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    total = sum(block.widths)
    widths = [Mm(TEXT_WIDTH_MM * w / total) for w in block.widths]
    size = 7.5 if block.small else 9
    rows = [block.header, *block.rows]
    foot_from = len(rows) - block.foot
    for r, row in enumerate(rows):
        cells = table.rows[0].cells if r == 0 else table.add_row().cells
        for j, (c, target) in enumerate(zip(row, cells, strict=True)):
            target.width = widths[j]
            p = target.paragraphs[0]
            for n, runs in enumerate(c.lines):
                if n:
                    p.add_run().add_break()
                _runs(p, runs, size)
            if c.align == "right":
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fill = c.tint or (SHADE if r == 0 or r >= foot_from else None)
            if fill:
                _shade(target._tc.get_or_add_tcPr(), fill)
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)


def _chart(document, block: m.Chart) -> None:
    from analysis.report.charts import chart_png

    png = chart_png(block.make(), scale=2.0)
    document.add_picture(BytesIO(png), width=Mm(TEXT_WIDTH_MM * min(block.width, 0.9)))
    if block.caption:
        p = document.add_paragraph()
        _runs(p, (m.Run(block.caption),), SIZES["small"], MUTED)


def _block(document, block: m.Block) -> None:
    if isinstance(block, m.Heading):
        document.add_heading(clean(block.text), level=block.level)
    elif isinstance(block, m.Para):
        p = document.add_paragraph()
        _runs(
            p, block.runs, SIZES[block.style], MUTED if block.style in ("small", "meta") else None
        )
    elif isinstance(block, m.Bullets):
        for item in block.items:
            _runs(document.add_paragraph(style="List Bullet"), item, SIZES["body"])
    elif isinstance(block, m.Callout):
        for para in block.paragraphs:
            p = document.add_paragraph()
            _shade(p._p.get_or_add_pPr(), SHADE)
            _runs(p, para.runs, SIZES[para.style])
    elif isinstance(block, m.Table):
        _table(document, block)
        document.add_paragraph()
    elif isinstance(block, m.Chart):
        _chart(document, block)
    elif isinstance(block, m.PageBreak):
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    else:
        raise TypeError(f"not a brief block: {block!r}")


def render_document(doc: m.Document) -> bytes:
    """The document as DOCX bytes."""
    document = new_document()
    # the file's properties hold at most 255 characters each (python-docx refuses more)
    document.core_properties.title = _property(doc.title)
    document.core_properties.subject = _property(doc.subject)
    document.core_properties.author = "ACH workbench"
    document.styles["Normal"].font.size = Pt(SIZES["body"])
    _furniture(document, doc)
    for block in doc.blocks:
        _block(document, block)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
