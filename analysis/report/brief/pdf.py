"""The PDF brief: a stand-alone document an analyst hands to a decision maker.

``render_brief(analysis)`` lays out, in order: title, question, date and scenario; the
bottom line up front (the leading hypothesis in ICD 203 words, then the confidence
in a sentence of its own); key judgments, one per hypothesis; the posterior chart
(with 90% intervals when the uncertainty run is present); how each item moved the
conclusion (the dashboard's contribution chart, the leader-versus-runner-up waterfall,
the trajectory); the ACH matrix; linchpins; indicators to watch; sources; a method
note. Every page carries a footer with the engine version, the case's content hash,
the date and "page n of m".

Charts come from :mod:`analysis.report.charts` (the dashboard's own definitions) rendered
offline by vl-convert; text uses an embedded DejaVu Sans, so any Unicode label prints;
all user text is escaped (:func:`analysis.report.brief.tables.esc`). The sections live in
:mod:`analysis.report.brief.sections`, fonts, styles and tables in
:mod:`analysis.report.brief.tables`.
"""

from __future__ import annotations

import datetime
import errno
import os
from dataclasses import dataclass
from functools import partial
from io import BytesIO
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from analysis import __version__
from analysis.atomic import write_atomically
from analysis.engine.analyzer import Analysis
from analysis.report.brief.sections import MARGIN, PAGE, long_date, story
from analysis.report.brief.tables import FONT

# -- public API ----------------------------------------------------------------------------


def render_brief(analysis: Analysis, scenario: str | None = None) -> bytes:
    """The brief as PDF bytes. ``scenario`` says where the numbers came from when they
    differ from the case files (e.g. ``"adjusted from file"``); None means as in the files.
    """
    buffer = BytesIO()
    today = datetime.date.today()
    footer = _Footer(
        title=analysis.case.title,
        left=(
            f"ACH workbench {__version__} · case {analysis.case.name} · "
            f"content {analysis.case.content_hash}"
            + ("" if scenario is None else " · adjusted scenario")
        ),
        date=long_date(today),
    )
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 4 * mm,
        bottomMargin=MARGIN + 4 * mm,
        title=analysis.case.title,
        subject=analysis.case.question,
        author="ACH workbench",
        creator=f"ach-workbench {__version__}",
        initialFontName=FONT,  # else every page's preamble pulls in Helvetica
    )
    doc.build(
        story(analysis, scenario, today),
        canvasmaker=partial(_FooterCanvas, footer=footer),
    )
    return buffer.getvalue()


def write_brief(analysis: Analysis, path: str | os.PathLike, scenario: str | None = None) -> Path:
    """Write the brief to ``path`` atomically (a temporary file in the same folder, then
    ``os.replace``), so a reader never sees half a PDF."""
    target = Path(path)
    if target.is_symlink() or (target.exists() and not target.is_file()):
        # os.replace would swap the link or device itself, not write through it
        raise IsADirectoryError(errno.EISDIR, "not a regular file", str(target))
    write_atomically(target, render_brief(analysis, scenario))
    return target


# -- page furniture --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Footer:
    title: str
    left: str
    date: str


class _FooterCanvas(Canvas):
    """Draws the footer (and a running title after page 1) once the page count is known."""

    def __init__(self, *args, footer: _Footer, **kwargs):
        super().__init__(*args, **kwargs)
        self._footer = footer
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
        width, _height = self._pagesize
        f = self._footer
        self.saveState()
        self.setStrokeColor(colors.HexColor("#BBBBBB"))
        self.setLineWidth(0.5)
        self.line(MARGIN, MARGIN, width - MARGIN, MARGIN)
        self.setFillColor(colors.HexColor("#555555"))
        self.setFont(FONT, 7)
        page = f"Page {self._pageNumber} of {total}"
        room = width - 2 * MARGIN - stringWidth(page, FONT, 7) - 12
        self.drawString(MARGIN, MARGIN - 10, _fit(f"{f.left} · {f.date}", room))
        self.drawRightString(width - MARGIN, MARGIN - 10, page)
        if self._pageNumber > 1:
            self.drawString(
                MARGIN, self._pagesize[1] - MARGIN + 2, _fit(f.title, width - 2 * MARGIN)
            )
        self.restoreState()


def _fit(text: str, room: float, size: float = 7) -> str:
    """``text`` cut with an ellipsis to fit ``room`` points at ``size`` (footer font)."""
    if stringWidth(text, FONT, size) <= room:
        return text
    while text and stringWidth(text + "…", FONT, size) > room:
        text = text[:-1]
    return text + "…"


__all__ = ["render_brief", "write_brief"]
