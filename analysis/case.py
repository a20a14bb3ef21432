"""The validated, immutable in-memory form of a case.

A :class:`Case` is what the loader returns and every other part consumes. It holds
the analyst's numbers as written (points, ranges, words, ratings) together with the
single number the closed-form engine uses for each (:attr:`Prob.value`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, field, replace
from functools import cached_property
from typing import Literal

import numpy as np

from analysis.scales import DEFAULT_CONCENTRATION, DEFAULT_RELEVANCE

#: How a probability was written: a number, a 90% range, a credibility word, a
#: Heuer rating, or nothing at all (the documented default).
Origin = Literal["point", "range", "word", "rating", "default"]


@dataclass(frozen=True, slots=True)
class Prob:
    """A probability as the analyst wrote it.

    ``value`` is the number the closed form uses: the point itself, the mean of the
    Beta fitted to a range, the documented number for a word or rating. Slotted: a
    5,000-item case file holds 50,000 of them, 72 bytes each where a dict made it 240.
    """

    value: float
    origin: Origin = "point"
    low: float | None = None
    high: float | None = None
    word: str | None = None

    @classmethod
    def point(cls, value: float) -> Prob:
        """``Prob(value)``, the common case, its slots written directly: half the time
        of the frozen dataclass's ``__init__`` and its five ``object.__setattr__``."""
        made = object.__new__(cls)
        _SET_VALUE(made, value)
        _SET_ORIGIN(made, "point")
        _SET_LOW(made, None)
        _SET_HIGH(made, None)
        _SET_WORD(made, None)
        return made

    @property
    def is_range(self) -> bool:
        return self.origin == "range"

    def as_written(self) -> float | list[float] | str:
        """The YAML value that reproduces this probability."""
        if self.origin == "range":
            return [self.low, self.high]  # type: ignore[list-item]
        if self.origin in ("word", "rating"):
            return self.word  # type: ignore[return-value]
        return self.value

    def describe(self) -> str:
        """Short human text, e.g. ``0.7``, ``[0.5, 0.8] (mean 0.64)``, ``high (0.9)``."""
        if self.origin == "range":
            return f"[{self.low:g}, {self.high:g}] (mean {self.value:.2f})"
        if self.origin in ("word", "rating"):
            return f"{self.word} ({self.value:g})"
        return f"{self.value:g}"


#: Prob's slot writers (its frozen ``__setattr__`` refuses every write)
_SET_VALUE, _SET_ORIGIN, _SET_LOW, _SET_HIGH, _SET_WORD = (
    getattr(Prob, name).__set__ for name in ("value", "origin", "low", "high", "word")
)


@dataclass(frozen=True)
class Hypothesis:
    id: str
    label: str
    description: str = ""
    prior: float | None = None
    line: int = 0


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    credibility: Prob = field(default_factory=lambda: Prob(1.0, "default"))
    line: int = 0


@dataclass(frozen=True)
class _Judged:
    """What an item and an event share: an id, the analyst's reasoning and where it was
    written. The shared keys are keyword-only, after each kind's own fields."""

    id: str
    _: KW_ONLY
    #: Heuer ratings exactly as given in the file (may be empty or partial)
    ratings: Mapping[str, str] = field(default_factory=dict)
    rationale: str = ""
    date: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Item(_Judged):
    """An item of evidence (observed) or an indicator (not yet observed)."""

    claim: str
    #: hypothesis id -> likelihood; complete (ratings fill what numbers leave out)
    likelihoods: Mapping[str, Prob]
    source: str | None = None
    relevance: str | None = None
    if_unreliable: float | None = None
    #: the event this item reports (its likelihoods and ratings are then the event's)
    event: str | None = None
    #: free labels (types, codes, flags), in file order
    tags: tuple[str, ...] = ()
    #: kept on record but carries no weight anywhere
    retracted: bool = False

    @property
    def relevance_or_default(self) -> str:
        return self.relevance or DEFAULT_RELEVANCE


@dataclass(frozen=True)
class Event(_Judged):
    """Something that happened, reported by one or more items (Schum's corroboration).

    ``likelihoods[h]`` is ``q[e, h]`` = P(the event happened | h); the items that report
    it carry no likelihoods of their own.
    """

    description: str
    #: hypothesis id -> likelihood; complete (ratings fill what numbers leave out)
    likelihoods: Mapping[str, Prob]


@dataclass(frozen=True)
class Assumption:
    """A key assumption: if it fails, the items and events resting on it carry no weight."""

    id: str
    statement: str
    #: ids of the evidence items and events that rest on it
    rests_on: tuple[str, ...]
    rationale: str = ""
    line: int = 0


def canonical_json(data: object) -> bytes:
    """``data`` (plain JSON types) as compact UTF-8 JSON with sorted keys: the same bytes
    for the same content, a NumPy number written as the number it holds, as ``json``
    writes a NumPy float (:func:`analysis.jsontext.json_bytes`; orjson writes a
    5,000-item case in 4 ms where ``json.dumps`` took 45 ms)."""
    from analysis.jsontext import json_bytes

    return json_bytes(data, sort_keys=True, default=str)


def _after(day: str | None, cutoff: str | None) -> bool:
    """Whether the date ``day`` falls after ``cutoff`` (ISO dates, either perhaps with a
    time: compared on the shorter, so a time on the cut-off's own day is not after it)."""
    if not day or not cutoff:
        return False
    n = min(len(day), len(cutoff))
    return day[:n] > cutoff[:n]


@dataclass(frozen=True)
class Case:
    """A whole case: the question, its hypotheses and the evidence bearing on them."""

    name: str
    title: str
    question: str
    hypotheses: tuple[Hypothesis, ...]
    sources: tuple[Source, ...]
    evidence: tuple[Item, ...]
    indicators: tuple[Item, ...] = ()
    concentration: float | None = None
    #: where the case was read from (None for a case built in code)
    hypotheses_path: str | None = None
    evidence_path: str | None = None
    events: tuple[Event, ...] = ()
    assumptions: tuple[Assumption, ...] = ()
    #: the information cut-off as written (None: the latest item date)
    as_of: str | None = None
    #: handling marking printed on every brief page (None: none)
    marking: str | None = None

    def __post_init__(self) -> None:
        # An item that reports an event takes the event's likelihoods and ratings, so
        # every view of the matrix rates it by its event (one source for those numbers).
        if not self.events:
            return
        by_id = {e.id: e for e in self.events}

        def reported(item: Item) -> Item:
            event = by_id.get(item.event) if item.event is not None else None
            if event is None or (
                item.likelihoods is event.likelihoods and item.ratings is event.ratings
            ):
                return item
            return replace(item, likelihoods=event.likelihoods, ratings=event.ratings)

        evidence = tuple(reported(item) for item in self.evidence)
        object.__setattr__(self, "evidence", evidence)

    # -- lookups -----------------------------------------------------------------
    @cached_property
    def hypothesis_ids(self) -> tuple[str, ...]:
        return tuple(h.id for h in self.hypotheses)

    @cached_property
    def labels(self) -> dict[str, str]:
        return {h.id: h.label for h in self.hypotheses}

    @cached_property
    def source_by_id(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}

    @cached_property
    def event_by_id(self) -> dict[str, Event]:
        return {e.id: e for e in self.events}

    @cached_property
    def event_reports(self) -> dict[str, tuple[int, ...]]:
        """Event id -> indices (in ``evidence``) of the items reporting it, retracted too."""
        reports: dict[str, list[int]] = {e.id: [] for e in self.events}
        for i, item in enumerate(self.evidence):
            if item.event in reports:
                reports[item.event].append(i)
        return {e: tuple(rows) for e, rows in reports.items()}

    @cached_property
    def event_likelihood(self) -> np.ndarray:
        """``q[e, h]`` for the events (rows) by hypotheses (columns)."""
        return self.likelihood_matrix(self.events)

    @cached_property
    def retracted_mask(self) -> np.ndarray:
        """``(N,)`` True for each retracted evidence item."""
        return np.fromiter(
            (item.retracted for item in self.evidence), dtype=bool, count=len(self.evidence)
        )

    def resting_on(self, assumption: Assumption) -> tuple[int, ...]:
        """Indices of the evidence items resting on ``assumption``: those it names and
        every report of the events it names."""
        named = set(assumption.rests_on)
        return tuple(
            i
            for i, item in enumerate(self.evidence)
            if item.id in named or (item.event is not None and item.event in named)
        )

    @property
    def cutoff(self) -> str | None:
        """The information cut-off: ``as_of`` when given, else the latest item date."""
        if self.as_of is not None:
            return self.as_of
        return max((item.date for item in self.evidence if item.date), default=None)

    @cached_property
    def warnings(self) -> tuple[str, ...]:
        """Located notes about the case that are not errors (an event no item reports)."""
        where = self.evidence_path or "evidence"
        notes = [
            f"{where}:{event.line}: event {event.id!r} is reported by no item, so it carries "
            "no weight; add 'event: " + event.id + "' to the items that report it, or remove it"
            for event in self.events
            if not self.event_reports[event.id]
        ]
        late = [item.date for item in self.evidence if _after(item.date, self.as_of)]
        if late:
            notes.append(
                f"{self.hypotheses_path or 'hypotheses'}: as_of is {self.as_of}, before "
                f"{len(late)} of the items' dates (the latest {max(late)}); a cut-off comes on "
                "or after everything it counts: move as_of, or check those dates"
            )
        return tuple(notes)

    @property
    def effective_concentration(self) -> float:
        """The Beta concentration for point values (the case's, else the default)."""
        return self.concentration if self.concentration is not None else DEFAULT_CONCENTRATION

    def credibility_of(self, item: Item) -> Prob:
        """The credibility of the source behind ``item`` (1 when it names none)."""
        if item.source is None:
            return Prob(1.0, "default")
        return self.source_by_id[item.source].credibility

    # -- arrays for the engine -----------------------------------------------------
    @cached_property
    def prior(self) -> np.ndarray:
        """Prior probabilities in hypothesis order (uniform when none are given)."""
        given = [h.prior for h in self.hypotheses]
        if any(p is None for p in given):
            return np.full(len(given), 1.0 / len(given))
        values = np.array(given, dtype=float)
        return values / values.sum()

    def likelihood_matrix(self, items: tuple[Item, ...] | tuple[Event, ...]) -> np.ndarray:
        """``L[i, h]`` for ``items`` (or events: rows) by hypotheses (columns)."""
        ids = self.hypothesis_ids
        values = np.fromiter(
            (item.likelihoods[h].value for item in items for h in ids),
            dtype=float,
            count=len(items) * len(ids),
        )
        return values.reshape(len(items), len(ids))

    def credibility_vector(self, items: tuple[Item, ...]) -> np.ndarray:
        """``c[s(i)]`` for each of ``items``."""
        return np.fromiter(
            (self.credibility_of(item).value for item in items), dtype=float, count=len(items)
        )

    def unreliable_vector(
        self, items: tuple[Item, ...], likelihood: np.ndarray | None = None
    ) -> np.ndarray:
        """``b[i]``: the given ``if_unreliable``, else the prior-weighted mean of ``L[i, :]``.

        ``likelihood`` is ``likelihood_matrix(items)`` when the caller already has it.
        """
        if likelihood is None:
            likelihood = self.likelihood_matrix(items)
        default = likelihood @ self.prior
        given = np.fromiter(
            (np.nan if item.if_unreliable is None else item.if_unreliable for item in items),
            dtype=float,
            count=len(items),
        )
        return np.where(np.isnan(given), default, given)

    @cached_property
    def evidence_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(L, c, b)`` for the evidence, built once per case object."""
        return self._arrays(self.evidence)

    @cached_property
    def indicator_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(L, c, b)`` for the indicators, built once per case object."""
        return self._arrays(self.indicators)

    def _arrays(self, items: tuple[Item, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        likelihood = self.likelihood_matrix(items)
        return likelihood, self.credibility_vector(items), self.unreliable_vector(items, likelihood)

    # -- provenance ------------------------------------------------------------------
    def to_data(self) -> tuple[dict, dict]:
        """The two YAML documents (hypotheses, evidence) that reproduce this case."""
        from analysis.case_data import case_documents

        return case_documents(self)

    @cached_property
    def content_hash(self) -> str:
        """A short SHA-256 of the case's content (independent of formatting and comments):
        of its two documents as JSON with sorted keys (:func:`canonical_json`)."""
        return hashlib.sha256(canonical_json(self.to_data())).hexdigest()[:16]

    def with_changes(self, **changes) -> Case:
        """A copy with ``changes`` applied (the cached arrays are recomputed)."""
        return replace(self, **changes)
