"""Cross-references between a case's sections: events, assumptions and the ids they use.

Like the rest of the cross-reference pass (see :mod:`analysis.casefile.loader`), these
checks read the raw data defensively, so they still run over the valid parts of a file
whose shape has problems.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pydantic_core import PydanticCustomError

from analysis.casefile.schema import check_id, closest, options, subject
from analysis.casefile.yamlio import Document
from analysis.errors import Problem

#: The sections whose entries share one space of ids.
ID_SECTIONS = ("evidence", "events", "assumptions", "indicators")


def entries(doc: Document, key: str) -> Iterator[tuple[int, dict]]:
    """``(index, entry)`` for each mapping in the list ``doc.data[key]``."""
    items = doc.data.get(key) if doc.usable and isinstance(doc.data, dict) else None
    if isinstance(items, list):
        for index, entry in enumerate(items):
            if isinstance(entry, dict):
                yield index, entry


def passes(check: Callable[[Any], Any], value: Any) -> bool:
    """True when ``check`` accepts ``value``."""
    try:
        check(value)
    except PydanticCustomError:
        return False
    return True


def mismatch(doc: Document, key: str, value: str, expected: str, why: str) -> Problem:
    """A top-level name that must equal another: ``case is 'a'; must be 'b' <why>``,
    located at ``key`` (case names against file names, analysts against file stems)."""
    return Problem(doc.path, doc.line((key,)), f"{key} is {value!r}; must be {expected!r}{why}")


def listed_ids(doc: Document, key: str) -> list[str] | None:
    """The valid ids in ``doc.data[key]`` (None when that is not a list)."""
    if not (isinstance(doc.data, dict) and isinstance(doc.data.get(key), list)):
        return None
    found = [e.get("id") for _, e in entries(doc, key)]
    return list(dict.fromkeys(i for i in found if passes(check_id, i)))


def check_references(doc: Document) -> list[Problem]:
    """Items naming events, and assumptions naming what rests on them."""
    if not (doc.usable and isinstance(doc.data, dict)):
        return []
    event_ids = listed_ids(doc, "events") or []
    return _check_reports(doc, event_ids) + _check_rests_on(doc, event_ids)


def _check_reports(doc: Document, event_ids: list[str]) -> list[Problem]:
    """An item with ``event:`` names a known event and gives no numbers of its own."""
    problems = []
    known = set(event_ids)
    for index, entry in entries(doc, "evidence"):
        event = entry.get("event")
        if not passes(check_id, event):
            continue
        name = subject(("evidence", index), doc.data)
        for key in ("likelihoods", "ratings"):
            if key in entry:
                problems.append(
                    Problem(
                        doc.path,
                        doc.line(("evidence", index, key)),
                        f"{name} reports event {event!r} and also gives {key}; remove them: "
                        "an item that reports an event takes the event's likelihoods",
                    )
                )
        if event not in known:
            fix = (
                f"must be one of the events ({options(event_ids)}){closest(event, event_ids)}"
                if event_ids
                else "must be the id of an event"
            )
            problems.append(
                Problem(
                    doc.path,
                    doc.line(("evidence", index, "event")),
                    f"{name} event is {event!r}; {fix}, or add it under events",
                )
            )
    return problems


def _check_rests_on(doc: Document, event_ids: list[str]) -> list[Problem]:
    """Every id an assumption rests on is an evidence item or an event."""
    listed = (listed_ids(doc, "evidence") or []) + event_ids
    known = set(listed)
    indicators = set(listed_ids(doc, "indicators") or [])
    problems = []
    for index, entry in entries(doc, "assumptions"):
        rests_on = entry.get("rests_on")
        if not isinstance(rests_on, list):
            continue
        name = subject(("assumptions", index), doc.data)
        for position, ref in enumerate(rests_on):
            if not passes(check_id, ref) or ref in known:
                continue
            if ref in indicators:
                why = "is an indicator, not yet observed; an assumption rests on evidence"
            else:
                why = f"names no evidence item or event{closest(ref, listed)}"
            problems.append(
                Problem(
                    doc.path,
                    doc.line(("assumptions", index, "rests_on", position)),
                    f"{name} rests_on {ref!r} {why}; list the ids of the evidence items and "
                    "events that rest on it",
                )
            )
    return problems
