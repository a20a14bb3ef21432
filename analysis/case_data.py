"""A :class:`~analysis.case.Case` as the two YAML documents that reproduce it.

Each number is written as the analyst wrote it (a point, a range, a word; a likelihood
that came from a rating is left to the rating); empty optional keys are left out. The
documents feed the writer (:mod:`analysis.casefile.writer`) and the content hash.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.case import Assumption, Case, Event, Hypothesis, Item, Prob, Source


def case_documents(case: Case) -> tuple[dict, dict]:
    """The two YAML documents (hypotheses, evidence) that reproduce ``case``."""
    hypotheses: dict = {"case": case.name, "title": case.title, "question": case.question}
    if case.as_of is not None:
        hypotheses["as_of"] = case.as_of
    if case.marking is not None:
        hypotheses["marking"] = case.marking
    hypotheses["hypotheses"] = [_hypothesis_data(h) for h in case.hypotheses]
    evidence: dict = {"case": case.name}
    if case.concentration is not None:
        evidence["defaults"] = {"concentration": case.concentration}
    evidence["sources"] = [_source_data(s) for s in case.sources]
    evidence["evidence"] = [_item_data(i) for i in case.evidence]
    if case.events:
        evidence["events"] = [_event_data(e) for e in case.events]
    if case.assumptions:
        evidence["assumptions"] = [_assumption_data(a) for a in case.assumptions]
    if case.indicators:
        evidence["indicators"] = [_item_data(i) for i in case.indicators]
    return hypotheses, evidence


def _hypothesis_data(h: Hypothesis) -> dict:
    data: dict = {"id": h.id, "label": h.label}
    if h.description:
        data["description"] = h.description
    if h.prior is not None:
        data["prior"] = h.prior
    return data


def _source_data(s: Source) -> dict:
    data: dict = {"id": s.id, "name": s.name}
    if s.credibility.origin != "default":
        data["credibility"] = s.credibility.as_written()
    return data


def _numbers_data(data: dict, likelihoods: Mapping[str, Prob], ratings: Mapping[str, str]) -> None:
    numeric = {h: p.as_written() for h, p in likelihoods.items() if p.origin != "rating"}
    if numeric:
        data["likelihoods"] = numeric
    if ratings:
        data["ratings"] = dict(ratings)


def _event_data(event: Event) -> dict:
    data: dict = {"id": event.id, "description": event.description}
    if event.date is not None:
        data["date"] = event.date
    _numbers_data(data, event.likelihoods, event.ratings)
    if event.rationale:
        data["rationale"] = event.rationale
    return data


def _assumption_data(assumption: Assumption) -> dict:
    data: dict = {
        "id": assumption.id,
        "statement": assumption.statement,
        "rests_on": list(assumption.rests_on),
    }
    if assumption.rationale:
        data["rationale"] = assumption.rationale
    return data


def _item_data(item: Item) -> dict:
    data: dict = {"id": item.id, "claim": item.claim}
    if item.date is not None:
        data["date"] = item.date
    if item.source is not None:
        data["source"] = item.source
    if item.event is not None:
        data["event"] = item.event
    else:
        _numbers_data(data, item.likelihoods, item.ratings)
    if item.tags:
        data["tags"] = list(item.tags)
    if item.retracted:
        data["retracted"] = True
    if item.relevance is not None:
        data["relevance"] = item.relevance
    if item.if_unreliable is not None:
        data["if_unreliable"] = item.if_unreliable
    if item.rationale:
        data["rationale"] = item.rationale
    return data


__all__ = ["case_documents"]
