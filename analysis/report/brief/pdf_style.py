"""Fonts, paragraph styles and escaping for the PDF brief (reportlab).

Text is set in an embedded DejaVu Sans, so any Latin, Greek or Cyrillic label prints.
Every string reaches a reportlab Paragraph through :func:`esc`, so markup in a case file
(``<b>``, ``&``, ``</para>``) prints literally.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from analysis.errors import FontError
from analysis.report.charts import font_directory

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
GRID = colors.HexColor("#BBBBBB")
SHADE = colors.HexColor("#EEF1F5")
MUTED = "#555555"
ACCENT = "#E69F00"  # Okabe-Ito orange: the bottom line's rule


def esc(text: object) -> str:
    """Text made safe for a reportlab Paragraph: ``<b>``, ``&`` print literally; characters
    XML cannot hold (controls) are dropped."""
    clean = "".join(c for c in str(text) if c in "\t\n" or ord(c) >= 32)
    return escape(clean, {'"': "&quot;"})


@cache
def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold, oblique) with reportlab, once per process."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

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
    meta: ParagraphStyle
    lead: ParagraphStyle
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=5)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9.5, splitLongWords=True)
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10.5, textColor=MUTED),
        meta=ParagraphStyle(
            "meta", parent=body, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=8
        ),
        lead=ParagraphStyle("lead", parent=body, fontSize=10.5, leading=14.5, spaceAfter=5),
        title=ParagraphStyle("title", fontName=BOLD, fontSize=17, leading=21, spaceAfter=6),
        h1=ParagraphStyle(
            "h1",
            fontName=BOLD,
            fontSize=12.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=5,
            keepWithNext=1,
        ),
        h2=ParagraphStyle(
            "h2", fontName=BOLD, fontSize=10, leading=13, spaceBefore=6, keepWithNext=1
        ),
        cell=cell,
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
    )
