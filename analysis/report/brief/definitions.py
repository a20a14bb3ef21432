"""The brief's "What each explanation covers": every hypothesis's whole description.

Page one states each hypothesis by the gist of its description (its first sentence,
:func:`~analysis.report.brief.content.gist`); where a description says more (what the
hypothesis includes and excludes, a cut-off date, a rule for mixed cases), the reader
finds it here. No section when every description is one sentence.
"""

from __future__ import annotations

from analysis.report.brief.content import BriefInput, gist, sentence
from analysis.report.brief.model import Block, Bullets, Heading, Para, Run, bold, line
from analysis.report.colours import hypothesis_colours


def explanations(source: BriefInput) -> list[Block]:
    case = source.analysis.case
    described = [h for h in case.hypotheses if h.description.strip()]
    if not any(gist(h.description) != " ".join(h.description.split()) for h in described):
        return []
    colours = hypothesis_colours(case)
    items = tuple(
        line(Run("\u25a0 ", colour=colours[h.id]), bold(f"{h.label}. "), sentence(h.description))
        for h in described
    )
    intro = "Each explanation in full: what it includes and what it leaves to the others."
    return [Heading("What each explanation covers"), Para(line(intro)), Bullets(items)]
