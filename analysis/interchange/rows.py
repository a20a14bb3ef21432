"""A case written in the CSV/XLSX layout of :mod:`analysis.interchange.table`.

Values are written as the analyst wrote them (numbers, words, ranges, ratings), so
reading the rows back gives the same case.
"""

from __future__ import annotations

from typing import Any

from analysis.case import Case, Item, Prob
from analysis.interchange.table import COLUMNS, EXTRA_COLUMNS, join_list


def _written(prob: Prob | None, rating: str | None) -> Any:
    value = None if prob is None or prob.origin == "rating" else prob.as_written()
    if isinstance(value, list):
        value = f"[{value[0]:g}, {value[1]:g}]"
    if rating is None:
        return value
    return rating if value is None else f"{value} ({rating})"


def _extra_columns(case: Case) -> list[str]:
    items = (*case.evidence, *case.indicators)
    wanted = {
        "kind": bool(case.indicators or case.events or case.assumptions),
        "if_unreliable": any(i.if_unreliable is not None for i in items),
        "event": any(i.event is not None for i in case.evidence),
        "retracted": any(i.retracted for i in case.evidence),
        "rests_on": bool(case.assumptions),
    }
    return [column for column in EXTRA_COLUMNS if wanted[column]]


def case_rows(case: Case) -> list[list[Any]]:
    """The case in the table layout: the header, the ``#`` rows, then one row per entry."""
    ids = case.hypothesis_ids
    taken = COLUMNS + EXTRA_COLUMNS
    header = [*COLUMNS, *(f"{h} (hypothesis)" if h in taken else h for h in ids),
              *_extra_columns(case)]  # fmt: skip
    first = len(COLUMNS)

    def row(**cells: Any) -> list[Any]:
        out = [None] * len(header)
        for name, value in cells.items():
            if name in header:
                out[header.index(name)] = value
        return out

    def per_hypothesis(name: str, values: list[Any]) -> list[Any]:
        out = row(id=name)
        out[first : first + len(values)] = values
        return out

    rows = [header, row(id="#title", claim=case.title), row(id="#question", claim=case.question)]
    for name, value in (("#marking", case.marking), ("#as_of", case.as_of)):
        if value is not None:
            rows.append(row(id=name, claim=value))
    rows.append(per_hypothesis("#label", [h.label for h in case.hypotheses]))
    if any(h.description for h in case.hypotheses):
        rows.append(
            per_hypothesis("#description", [h.description or None for h in case.hypotheses])
        )
    if case.hypotheses[0].prior is not None:
        rows.append(per_hypothesis("#prior", [h.prior for h in case.hypotheses]))
    if case.concentration is not None:
        rows.append(row(id="#concentration", claim=case.concentration))
    for source in case.sources:
        credibility = (
            None if source.credibility.origin == "default" else _written(source.credibility, None)
        )
        rows.append(row(id="#source", claim=source.name, source=source.id, credibility=credibility))
    for item in case.evidence:
        rows.append(_item_row(case, item, row, "evidence"))
    for event in case.events:
        out = row(id=event.id, claim=event.description, date=event.date, kind="event",
                  rationale=event.rationale or None)  # fmt: skip
        out[first : first + len(ids)] = [
            _written(event.likelihoods[h], event.ratings.get(h)) for h in ids
        ]
        rows.append(out)
    for assumption in case.assumptions:
        rows.append(row(id=assumption.id, claim=assumption.statement, kind="assumption",
                        rests_on=join_list(assumption.rests_on),
                        rationale=assumption.rationale or None))  # fmt: skip
    for item in case.indicators:
        rows.append(_item_row(case, item, row, "indicator"))
    return rows


def _item_row(case: Case, item: Item, row, kind: str) -> list[Any]:
    cells: dict[str, Any] = {
        "id": item.id, "claim": item.claim, "source": item.source, "relevance": item.relevance,
        "date": item.date, "rationale": item.rationale or None, "kind": kind,
        "if_unreliable": item.if_unreliable, "tags": join_list(item.tags),
        "event": item.event, "retracted": "true" if item.retracted else None,
    }  # fmt: skip
    if item.source is not None and case.source_by_id[item.source].credibility.origin != "default":
        cells["credibility"] = _written(case.source_by_id[item.source].credibility, None)
    out = row(**cells)
    if item.event is None:
        first = len(COLUMNS)
        out[first : first + len(case.hypothesis_ids)] = [
            _written(item.likelihoods[h], item.ratings.get(h)) for h in case.hypothesis_ids
        ]
    return out
