"""The loader's last step: validated models -> the immutable :class:`~analysis.case.Case`.

Each number keeps how it was written (:class:`~analysis.case.Prob`); a likelihood left
out of the numbers takes its rating's documented value; an item reporting an event
takes the event's numbers (the :class:`~analysis.case.Case` fills them in).
"""

from __future__ import annotations

from analysis.case import Assumption, Case, Event, Hypothesis, Item, Prob, Source
from analysis.casefile.schema import (
    EventEntry,
    EvidenceEntry,
    EvidenceFile,
    HypothesesFile,
    IndicatorEntry,
)
from analysis.casefile.yamlio import Document
from analysis.elicit import range_mean
from analysis.scales import CREDIBILITY_WORDS, RATING_LIKELIHOOD


def prob(value: float | tuple[float, float] | str) -> Prob:
    """The :class:`Prob` of a checked value: a number, a range or a credibility word."""
    if type(value) is float:
        return Prob.point(value)
    if isinstance(value, str):
        return Prob(CREDIBILITY_WORDS[value], "word", word=value)
    if isinstance(value, tuple):
        low, high = value
        return Prob(range_mean(low, high), "range", low=low, high=high)
    return Prob(float(value), "point")


def _likelihoods(
    entry: IndicatorEntry | EventEntry, hypothesis_ids: tuple[str, ...]
) -> dict[str, Prob]:
    """Every hypothesis's likelihood: the number given, else the rating's documented one."""
    return {
        h: prob(entry.likelihoods[h])
        if h in entry.likelihoods
        else Prob(RATING_LIKELIHOOD[entry.ratings[h]], "rating", word=entry.ratings[h])
        for h in hypothesis_ids
    }


def _item(entry: IndicatorEntry, hypothesis_ids: tuple[str, ...], line: int) -> Item:
    event = entry.event if isinstance(entry, EvidenceEntry) else None
    # an item reporting an event takes the event's numbers (the Case fills them in)
    likelihoods = {} if event is not None else _likelihoods(entry, hypothesis_ids)
    return Item(
        id=entry.id,
        claim=entry.claim,
        likelihoods=likelihoods,
        source=entry.source,
        date=entry.date,
        rationale=entry.rationale,
        ratings=dict(entry.ratings),
        relevance=entry.relevance,
        if_unreliable=entry.if_unreliable,
        line=line,
        event=event,
        tags=tuple(dict.fromkeys(entry.tags)),
        retracted=isinstance(entry, EvidenceEntry) and entry.retracted,
    )


def build_case(h: HypothesesFile, e: EvidenceFile, h_doc: Document, e_doc: Document) -> Case:
    hypotheses = tuple(
        Hypothesis(x.id, x.label, x.description, x.prior, line=h_doc.line(("hypotheses", i)))
        for i, x in enumerate(h.hypotheses)
    )
    ids = tuple(x.id for x in hypotheses)
    sources = tuple(
        Source(
            s.id,
            s.name,
            Prob(1.0, "default") if s.credibility is None else prob(s.credibility),
            line=e_doc.line(("sources", i)),
        )
        for i, s in enumerate(e.sources)
    )
    return Case(
        name=h.case,
        title=h.title,
        question=h.question,
        hypotheses=hypotheses,
        sources=sources,
        evidence=tuple(
            _item(x, ids, e_doc.line(("evidence", i))) for i, x in enumerate(e.evidence)
        ),
        indicators=tuple(
            _item(x, ids, e_doc.line(("indicators", i))) for i, x in enumerate(e.indicators)
        ),
        concentration=e.defaults.concentration,
        hypotheses_path=h_doc.path,
        evidence_path=e_doc.path,
        events=tuple(
            Event(
                x.id,
                x.description,
                _likelihoods(x, ids),
                ratings=dict(x.ratings),
                rationale=x.rationale,
                date=x.date,
                line=e_doc.line(("events", i)),
            )
            for i, x in enumerate(e.events)
        ),
        assumptions=tuple(
            Assumption(
                x.id, x.statement, tuple(x.rests_on), x.rationale, e_doc.line(("assumptions", i))
            )
            for i, x in enumerate(e.assumptions)
        ),
        as_of=h.as_of,
        marking=h.marking,
    )


__all__ = ["build_case", "prob"]
