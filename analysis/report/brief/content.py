"""Page one of the brief, for a reader with two minutes, as plain structured text.

:func:`page_one` gives, in order: the title and question; the information cut-off; the
bottom line (the robust judgment first, then the contested one, in the yardstick's
words, then the confidence in a sentence of its own with its reasons in plain words
naming the sources); the key judgments, each written as a possibility; and what would
change the judgment (the most informative indicators, in plain words). Page one holds
no evidence ids and no decibans: those are in the annex
(:mod:`analysis.report.brief.sections`).

Every probability a reader sees goes through :func:`~analysis.scales.reader_percent`
("under 1%", "over 99%"); the dashboard's Overview page draws these same functions.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from analysis.engine import bayes
from analysis.engine.analyzer import Analysis
from analysis.engine.robust import RobustJudgment, robust_judgment
from analysis.report.brief.model import (
    Block,
    Bullets,
    Callout,
    Heading,
    Line,
    Para,
    Run,
    bold,
    italic,
    line,
)
from analysis.report.colours import hypothesis_colours
from analysis.scales import estimative_word, reader_percent

if TYPE_CHECKING:
    from analysis.engine.pooling import Panel
from analysis.wording import (
    as_clause,
    estimative_opening,
    estimative_predicate,
    joined,
    tie_sentence,
)

#: Key judgments list at most this many hypotheses one by one; the rest are pooled.
KEY_JUDGMENTS_SHOWN = 6
#: A robust group of up to this many hypotheses is named; a larger one is said by what
#: it rules out.
GROUP_NAMED = 3
#: "What would change this judgment" names at most this many indicators.
CHANGES_SHOWN = 3
AS_IN_FILES = "as in the case files"
#: Where a sentence ends: a full stop (or ? !) before the capital that opens the next.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(\u201c])")
_MONTHS = tuple(datetime.date(2000, m, 1).strftime("%B") for m in range(1, 13))


@dataclass(frozen=True)
class BriefInput:
    """What the brief is made from: the analysis, where its numbers came from, the day
    it is prepared, and the analysts' panel when judgment files exist (None: none)."""

    analysis: Analysis
    scenario: str | None = None
    today: datetime.date = field(default_factory=datetime.date.today)
    panel: Panel | None = None


# -- dates ---------------------------------------------------------------------------------


def long_date(day: datetime.date | str) -> str:
    """``24 November 2026``; a month-level ``2023-11`` reads ``November 2023`` and a year
    stays a year. Anything else prints as written."""
    text = day.isoformat() if isinstance(day, datetime.date) else str(day)
    parts = text.split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return text
    if len(numbers) == 3 and 1 <= numbers[1] <= 12:
        return f"{numbers[2]} {_MONTHS[numbers[1] - 1]} {numbers[0]}"
    if len(numbers) == 2 and 1 <= numbers[1] <= 12:
        return f"{_MONTHS[numbers[1] - 1]} {numbers[0]}"
    return text


def cut_off(analysis: Analysis) -> str | None:
    """The information cut-off in words: the case's ``as_of``, else its latest dated item
    (:attr:`~analysis.case.Case.cutoff`); None when neither exists."""
    day = analysis.case.cutoff
    return long_date(day) if day else None


def marking(analysis: Analysis) -> str | None:
    """The case's handling marking on one line, or None."""
    value = analysis.case.marking
    return " ".join(value.split()) if value and value.strip() else None


# -- sentences -----------------------------------------------------------------------------


def said(analysis: Analysis, probability: float, interval: tuple[float, float] | None = None):
    """``likely (56%)``; with an interval ``likely (56%; 90% range 23% to 86%)``."""
    word = estimative_word(probability, analysis.yardstick)
    extra = ""
    if interval is not None:
        extra = f"; 90% range {reader_percent(interval[0])} to {reader_percent(interval[1])}"
    return f"{word} ({reader_percent(probability)}{extra})"


def _interval(analysis: Analysis, k: int) -> tuple[float, float] | None:
    u = analysis.uncertainty
    return None if u is None else (float(u.low[k]), float(u.high[k]))


def gist(description: str) -> str:
    """A hypothesis's description up to its first full stop: what page one says of it
    (what it includes and excludes, the sentences after, are in "What each explanation
    covers")."""
    text = " ".join(description.split())
    return _SENTENCE_END.split(text, maxsplit=1)[0]


def possibility(analysis: Analysis, k: int, interval: bool = False) -> str:
    """Hypothesis ``k`` as a judgment about a possibility, never as fact, from the gist
    of its description:
    ``It is likely (56%) that North Korean weapons ... were passed on to Hamas.``"""
    h = analysis.case.hypotheses[k]
    p = float(analysis.posterior[k])
    opening = estimative_opening(estimative_word(p, analysis.yardstick))
    numbers = said(analysis, p, _interval(analysis, k) if interval else None)
    numbers = numbers[numbers.index("(") :]
    clause = as_clause(gist(h.description)) if h.description.strip() else f"{h.label} is right"
    return f"{opening} {numbers} that {clause}."


def _group(analysis: Analysis, members: tuple[int, ...]) -> str:
    labels = [analysis.case.hypotheses[k].label for k in members]
    return labels[0] if len(labels) == 1 else joined(labels)


def robust(analysis: Analysis) -> RobustJudgment | None:
    """The case's robust judgment (see :mod:`analysis.engine.robust`)."""
    return robust_judgment(analysis.posterior, analysis.posterior_without)


def robust_sentence(analysis: Analysis, judgment: RobustJudgment) -> str:
    """The robust judgment in words, for a group of several hypotheses: the group named
    when it is short (up to :data:`GROUP_NAMED`, or no longer than what it leaves out),
    else the few it rules out."""
    opening = estimative_opening(estimative_word(judgment.probability, analysis.yardstick))
    certain = reader_percent(judgment.probability)
    rest = 1.0 - judgment.probability
    excluded = _group(analysis, judgment.excluded)
    word = estimative_word(rest, analysis.yardstick)
    several = len(judgment.excluded) > 1
    predicate = estimative_predicate(word, "are" if several else "is")
    if len(judgment.members) <= max(GROUP_NAMED, len(judgment.excluded)):
        members = _group(analysis, judgment.members)
        together = " together" if several else ""
        claim = f"that the answer is one of {members}; {excluded}{together} {predicate}"
    else:
        none, they = ("none of", "together they") if several else ("not", "it")
        claim = f"that the answer is {none} {excluded}: {they} {predicate}"
    return (
        f"{opening} ({certain}) {claim} ({reader_percent(rest)}). "
        "This holds whichever single report is set aside."
    )


def confidence_sentence(analysis: Analysis, subject: str) -> str:
    """The confidence level in a sentence of its own, with its reasons in plain words."""
    conf = analysis.confidence
    if len(analysis.tied) > 1:  # the rules' reasons speak of a leader: there is none
        return (
            f"We have {conf.level} confidence in {subject}: the evidence does not separate "
            "the tied explanations."
        )
    reasons = [r.plain for r in conf.reasons if r.plain]
    because = f", because {joined(reasons)}" if reasons else ""
    return f"We have {conf.level} confidence in {subject}{because}."


def bottom_line(analysis: Analysis) -> list[Block]:
    """The bottom line up front: robust judgment, contested judgment, confidence."""
    case = analysis.case
    lead, run = analysis.leader, analysis.runner_up
    judgment = robust(analysis)
    paragraphs: list[Line] = []
    if len(analysis.tied) > 1:
        labels = [case.hypotheses[k].label for k in analysis.tied]
        p = float(analysis.posterior[lead])
        tie = tie_sentence(labels, reader_percent(p), estimative_word(p, analysis.yardstick))
        paragraphs.append(line(bold("Bottom line. "), tie))
        subject = "this judgment"
    elif judgment is not None and judgment.members == (lead,):
        paragraphs.append(
            line(
                bold("Bottom line. "),
                possibility(analysis, lead, interval=True),
                " This holds whichever single report is set aside.",
            )
        )
        subject = "this judgment"
    else:
        leader_text = possibility(analysis, lead, interval=True)[:-1]
        contested = f" ({case.hypotheses[lead].label}); {_nearest(analysis, run)}"
        if judgment is None:
            paragraphs.append(line(bold("Bottom line. "), leader_text, contested))
        else:
            paragraphs.append(line(bold("Bottom line. "), robust_sentence(analysis, judgment)))
            opening = "Which of them it is remains open: " + leader_text[0].lower()
            paragraphs.append(line(opening + leader_text[1:], contested))
        subject = f"the judgment that {case.hypotheses[lead].label} is the best explanation"
    paragraphs.append(line(confidence_sentence(analysis, subject)))
    return [Callout(tuple(Para(p, "lead") for p in paragraphs))]


def _nearest(analysis: Analysis, run: int) -> str:
    """``the nearest alternative, Old stock, is unlikely (29%).``"""
    h = analysis.case.hypotheses[run]
    return (
        f"the nearest alternative, {h.label}, is "
        f"{said(analysis, float(analysis.posterior[run]), _interval(analysis, run))}."
    )


def key_judgments(analysis: Analysis) -> list[Block]:
    """One possibility per hypothesis, most likely first; the least likely pooled when
    there are many."""
    case = analysis.case
    colours = hypothesis_colours(case)
    ranking = [int(k) for k in analysis.ranking]
    shown = ranking if len(ranking) <= KEY_JUDGMENTS_SHOWN + 1 else ranking[:KEY_JUDGMENTS_SHOWN]
    items = []
    for k in shown:
        h = case.hypotheses[k]
        items.append(
            line(
                Run("\u25a0 ", colour=colours[h.id]),
                bold(f"{h.label}. "),
                possibility(analysis, k, interval=True),
            )
        )
    others = ranking[len(shown) :]
    if others:
        p = float(analysis.posterior[others].sum())
        items.append(
            line(
                bold(f"The other {len(others)} explanations. "),
                f"Together they are {said(analysis, p)}.",
            )
        )
    return [Heading("Key judgments"), Bullets(tuple(items))]


#: The most rows the brief's per-item chart and tables and its source table show: the
#: most diagnostic items, the sources of most weight (a 5,000-item case made a chart no
#: renderer draws, and a matrix and a source table of a hundred pages).
BRIEF_ROWS = 40


def brief_items(analysis: Analysis) -> list[int] | None:
    """The items the brief shows one by one: the :data:`BRIEF_ROWS` most diagnostic, or
    None when it shows them all."""
    if len(analysis.case.evidence) <= BRIEF_ROWS:
        return None
    return [int(i) for i in analysis.by_diagnosticity[:BRIEF_ROWS]]


def items_left_out(analysis: Analysis) -> str:
    """The sentence saying which items the brief leaves out ('' when none)."""
    n = len(analysis.case.evidence)
    if n <= BRIEF_ROWS:
        return ""
    return (
        f"Only the {BRIEF_ROWS} most diagnostic of the {n:,} items are shown one by one here "
        "and in the matrix; totals and scores count every item. The dashboard's Matrix "
        "page and ach analyze --json give them all."
    )


def outcome(analysis: Analysis, posterior: np.ndarray) -> str:
    """What the judgment would become: ``Old stock would take the lead, unlikely (41%)``."""
    case = analysis.case
    tied = bayes.leaders(posterior)
    new = tied[0]
    p = float(posterior[new])
    word = estimative_word(p, analysis.yardstick)
    label = case.hypotheses[new].label
    if len(tied) > 1:
        labels = joined([case.hypotheses[k].label for k in tied])
        return f"{labels} would be tied at {reader_percent(p)} each, {word}"
    if new != analysis.leader:
        return f"{label} would take the lead, {word} ({reader_percent(p)})"
    if word == estimative_word(float(analysis.posterior[new]), analysis.yardstick):
        return f"{label} would stay {word} ({reader_percent(p)})"
    return f"{label} {estimative_predicate(word, 'would')} ({reader_percent(p)})"


def changes(analysis: Analysis, posterior: np.ndarray) -> bool:
    """Whether an outcome moves the leader (or makes a tie) or the leader's words."""
    yard = analysis.yardstick
    lead = analysis.leader
    return bayes.leaders(posterior) != analysis.tied or estimative_word(
        float(posterior[lead]), yard
    ) != estimative_word(float(analysis.posterior[lead]), yard)


def what_would_change(analysis: Analysis) -> list[Block]:
    """The most informative indicators that would move the judgment, in plain words."""
    story: list[Block] = [Heading("What would change this judgment")]
    if not analysis.indicators:
        story.append(Para(line("The case lists no indicators to watch.")))
        return story
    movers = [
        ind
        for ind in analysis.indicators
        if changes(analysis, ind.if_seen) or changes(analysis, ind.if_not_seen)
    ][:CHANGES_SHOWN]
    if not movers:
        story.append(
            Para(
                line(
                    "None of the developments the analysts watch for would change the "
                    "judgment, seen or not. The most telling of them: "
                    + sentence(analysis.indicators[0].item.claim)
                )
            )
        )
        return story
    items = []
    for ind in movers:
        parts: list[str | Run] = [sentence(ind.item.claim), " ", italic("If so: ")]
        parts.append(outcome(analysis, ind.if_seen))
        if changes(analysis, ind.if_not_seen):
            parts += ["; ", italic("if not: "), outcome(analysis, ind.if_not_seen)]
        items.append(line(*parts, "."))
    story.append(Bullets(tuple(items)))
    return story


def sentence(text: str) -> str:
    """A claim as a sentence ending in a full stop."""
    text = " ".join(text.split())
    return text if text.endswith((".", "?", "!")) else text + "."


def title_block(source: BriefInput) -> list[Block]:
    """Title, question and the information cut-off line."""
    analysis = source.analysis
    case = analysis.case
    date = cut_off(analysis)
    meta: list[str | Run] = [
        bold("Information cut-off: "),
        date or "not stated (no item is dated)",
        f" · Prepared {long_date(source.today)}",
    ]
    if source.scenario:
        meta.append(f" · scenario: {source.scenario}")
    return [
        Heading(case.title, level=0),
        Para(line(bold("Question: "), case.question), "lead"),
        Para(line(*meta), "meta"),
    ]


def page_one(source: BriefInput) -> list[Block]:
    """Everything on page one, in reading order."""
    analysis = source.analysis
    return [
        *title_block(source),
        *bottom_line(analysis),
        *key_judgments(analysis),
        *what_would_change(analysis),
    ]
