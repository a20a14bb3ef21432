"""The whole brief as one :class:`~analysis.report.brief.model.Document`: page one
(:mod:`.content`), then the body and the annex (:mod:`.sections`), with the marking and
the provenance line every format prints on each page."""

from __future__ import annotations

import datetime

from analysis import __version__
from analysis.engine.analyzer import Analysis
from analysis.engine.pooling import Panel
from analysis.report.brief.content import BriefInput, long_date, marking, page_one
from analysis.report.brief.model import Document
from analysis.report.brief.sections import after_page_one


def brief_document(
    analysis: Analysis,
    scenario: str | None = None,
    today: datetime.date | None = None,
    panel: Panel | None = None,
) -> Document:
    """The brief of ``analysis``. ``scenario`` says where the numbers came from when they
    differ from the case files (e.g. ``"adjusted from file"``); None means as in the files.
    ``panel`` is the analysts' (:func:`~analysis.engine.pooling.analyse_panel`), which adds
    "Where analysts disagree"."""
    source = BriefInput(analysis, scenario, today or datetime.date.today(), panel)
    case = analysis.case
    footer = (
        f"ACH workbench {__version__} · case {case.name} · content {case.content_hash}"
        + ("" if scenario is None else " · adjusted scenario")
        + f" · {long_date(source.today)}"
    )
    return Document(
        title=case.title,
        subject=case.question,
        marking=marking(analysis),
        footer=footer,
        page_one=tuple(page_one(source)),
        rest=tuple(after_page_one(source)),
    )
