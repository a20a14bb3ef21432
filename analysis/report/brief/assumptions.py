"""The brief's "Key assumptions": what the judgment takes for granted, and what becomes of
the bottom line if each fails (the engine's
:class:`~analysis.engine.weights.AssumptionResult`: posterior if it fails, leader if it
fails, linchpin). Linchpin assumptions come first, then the rest by how far their
failure would move the leading explanation.

The body section is in plain words (no ids); the annex table gives each assumption's id
and the ids resting on it.
"""

from __future__ import annotations

from analysis.engine.weights import AssumptionResult
from analysis.report.brief.content import BriefInput, outcome, sentence
from analysis.report.brief.model import (
    Block,
    Bullets,
    Heading,
    Para,
    Table,
    bold,
    cell,
    italic,
    line,
)
from analysis.report.brief.tables import top_two
from analysis.wording import count


def ranked(source: BriefInput) -> list[AssumptionResult]:
    """Linchpins first, then by how far a failure moves the leader's probability."""
    analysis = source.analysis
    lead = analysis.leader
    base = float(analysis.posterior[lead])

    def key(a: AssumptionResult) -> tuple[bool, float, int]:
        return (not a.linchpin, -abs(base - float(a.posterior_if_fails[lead])), a.index)

    return sorted(analysis.assumptions, key=key)


def _rests(result: AssumptionResult) -> str:
    n = len(result.items)
    if n == 0:
        return "No report that counts rests on it."
    return f"{count(n, 'report')} {'rests' if n == 1 else 'rest'} on it."


def key_assumptions(source: BriefInput) -> list[Block]:
    """The body section (nothing when the case states no assumptions)."""
    analysis = source.analysis
    if not analysis.assumptions:
        return []
    lead = analysis.case.hypotheses[analysis.leader].label
    intro = (
        "What the judgment takes for granted. If an assumption fails, the reports resting "
        "on it carry no weight; a linchpin assumption is one whose failure would put another "
        "explanation in the lead."
    )
    if not analysis.linchpin_assumptions:
        intro += f" None of these is a linchpin: if any one fails, {lead} still leads."
    items = []
    for result in ranked(source):
        a = result.assumption
        fails = outcome(analysis, result.posterior_if_fails)
        said = (
            (bold("A linchpin:"), f" if it fails, {fails}. ")
            if result.linchpin
            else (f"If it fails, {fails}. ",)
        )
        parts = [bold(sentence(a.statement)), " ", *said, _rests(result)]
        if a.rationale.strip():
            parts += [" ", italic(sentence(a.rationale))]
        items.append(line(*parts))
    return [Heading("Key assumptions"), Para(line(intro)), Bullets(tuple(items))]


def assumption_table(source: BriefInput) -> list[Block]:
    """The annex table: each assumption's id, what rests on it (ids), the result if it fails."""
    analysis = source.analysis
    if not analysis.assumptions:
        return []
    header = (
        cell(bold("Assumption")),
        cell(bold("Rests on it")),
        cell(bold("If it fails: the most likely")),
    )
    rows = tuple(
        (
            cell(bold(r.assumption.id), f": {r.assumption.statement}"),
            cell(", ".join(r.assumption.rests_on)),
            cell(
                top_two(analysis, r.posterior_if_fails),
                *((bold(" [linchpin]"),) if r.linchpin else ()),
            ),
        )
        for r in ranked(source)
    )
    return [
        Heading("Key assumptions in detail", 2),
        Para(
            line(
                "Each assumption with the items and events resting on it; if it fails they "
                "carry no weight (credibility 0), which gives the posterior shown."
            ),
            "small",
        ),
        Table(header, rows, (0.45, 0.3, 0.25)),
    ]
