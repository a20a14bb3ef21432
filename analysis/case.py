"""The validated, immutable in-memory form of a case.

A :class:`Case` is what the loader returns and every other part consumes. It holds
the analyst's numbers as written (points, ranges, words, ratings) together with the
single number the closed-form engine uses for each (:attr:`Prob.value`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

import numpy as np

from analysis.scales import DEFAULT_CONCENTRATION, DEFAULT_RELEVANCE

#: How a probability was written: a number, a 90% range, a credibility word, a
#: Heuer rating, or nothing at all (the documented default).
Origin = Literal["point", "range", "word", "rating", "default"]


@dataclass(frozen=True)
class Prob:
    """A probability as the analyst wrote it.

    ``value`` is the number the closed form uses: the point itself, the mean of the
    Beta fitted to a range, the documented number for a word or rating.
    """

    value: float
    origin: Origin = "point"
    low: float | None = None
    high: float | None = None
    word: str | None = None

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
class Item:
    """An item of evidence (observed) or an indicator (not yet observed)."""

    id: str
    claim: str
    #: hypothesis id -> likelihood; complete (ratings fill what numbers leave out)
    likelihoods: Mapping[str, Prob]
    source: str | None = None
    date: str | None = None
    rationale: str = ""
    #: Heuer ratings exactly as given in the file (may be empty or partial)
    ratings: Mapping[str, str] = field(default_factory=dict)
    relevance: str | None = None
    if_unreliable: float | None = None
    line: int = 0

    @property
    def relevance_or_default(self) -> str:
        return self.relevance or DEFAULT_RELEVANCE


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

    def likelihood_matrix(self, items: tuple[Item, ...]) -> np.ndarray:
        """``L[i, h]`` for ``items`` (rows) by hypotheses (columns)."""
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
        hypotheses: dict = {
            "case": self.name,
            "title": self.title,
            "question": self.question,
            "hypotheses": [_hypothesis_data(h) for h in self.hypotheses],
        }
        evidence: dict = {"case": self.name}
        if self.concentration is not None:
            evidence["defaults"] = {"concentration": self.concentration}
        evidence["sources"] = [_source_data(s) for s in self.sources]
        evidence["evidence"] = [_item_data(i) for i in self.evidence]
        if self.indicators:
            evidence["indicators"] = [_item_data(i) for i in self.indicators]
        return hypotheses, evidence

    @cached_property
    def content_hash(self) -> str:
        """A short SHA-256 of the case's content (independent of formatting and comments)."""
        text = json.dumps(self.to_data(), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def with_changes(self, **changes) -> Case:
        """A copy with ``changes`` applied (the cached arrays are recomputed)."""
        return replace(self, **changes)


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


def _item_data(item: Item) -> dict:
    data: dict = {"id": item.id, "claim": item.claim}
    if item.date is not None:
        data["date"] = item.date
    if item.source is not None:
        data["source"] = item.source
    numeric = {h: p.as_written() for h, p in item.likelihoods.items() if p.origin != "rating"}
    if numeric:
        data["likelihoods"] = numeric
    if item.ratings:
        data["ratings"] = dict(item.ratings)
    if item.relevance is not None:
        data["relevance"] = item.relevance
    if item.if_unreliable is not None:
        data["if_unreliable"] = item.if_unreliable
    if item.rationale:
        data["rationale"] = item.rationale
    return data
