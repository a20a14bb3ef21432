"""Overview: page one of the brief, exactly as a reader of the brief will read it.

Drawn from the brief's own text functions (:func:`analysis.report.brief.content.page_one`)
and its Markdown renderer, so the dashboard and the brief cannot say different things;
case text goes through the dashboard's one escape (:func:`app.widgets.esc`).
"""

from __future__ import annotations

import streamlit as st

from analysis import scenario
from analysis.report.brief import model as m
from analysis.report.brief.content import BriefInput, marking, page_one
from analysis.report.brief.markdown import block_lines, inline
from app.views.context import View
from app.views.uncertainty import finished_run, with_run
from app.widgets import esc


def show(view: View) -> None:
    note = scenario.scenario_note(view.file_case, view.adjustments)
    mark = marking(view.analysis)
    if mark:
        st.markdown(f"**{esc(mark)}**")
    analysis = with_run(view, finished_run(view))  # as the brief: with the page's run, if made
    for block in page_one(BriefInput(analysis, note)):
        if isinstance(block, m.Heading) and block.level == 0:
            continue  # the case's title heads every page already
        if isinstance(block, m.Callout):
            with st.container(border=True):
                for paragraph in block.paragraphs:
                    st.markdown(inline(paragraph.runs, esc))
            continue
        st.markdown("\n".join(block_lines(block, esc)))
    st.caption(
        "This is page one of the brief. The Matrix and the other pages hold the detail; "
        "Save and export downloads the whole brief as PDF, Word or Markdown."
    )
