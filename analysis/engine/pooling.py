"""Several analysts, one question: each analyst's analysis, pooled, and where they differ.

Every analyst's judgments overlay the case (:func:`analysis.casefile.judgments.overlay`);
the case file itself is analyst ``case``. For each analyst the full exact analysis;
pooled (DESIGN.md, "Several analysts"):

* ``linear``: the mean of the analysts' posteriors;
* ``log``: their normalised geometric mean;
* ``bayes``: the hierarchical PyMC pool of :mod:`analysis.uncertainty.pool`.

A **disagreement** is a cell (a likelihood of an item, event or indicator, or a
credibility) to which analysts give
different values; an analyst silent on a cell gives it the case's value. Its *swing*:
set every cell (and the prior) to the mean of the analysts' values (the *middle
ground*), take the middle ground's leading hypothesis, run this one cell over each
analyst's value with all else held, and take the largest minus the smallest
probability of that hypothesis. Disagreements are ranked by swing, largest first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from analysis.case import Case, Event, Item, Prob
from analysis.casefile.judgment_checks import rated
from analysis.casefile.judgments import CASE_ANALYST, Judgments, overlay
from analysis.engine import bayes, weights
from analysis.engine.analyzer import Analysis, analyze

POOLS = ("linear", "log", "bayes")
Pool = Literal["linear", "log", "bayes"]
#: Two values this close are the same judgment.
TOLERANCE = 1e-9

Progress = Callable[[float, str], None]

#: The Bayes pool's sigma_a (spread of an analyst's logits around the pooled value) in
#: words: "how consistent this analyst is with the others". Upper bounds, in logits.
CONSISTENCY_BANDS = ((0.35, "very consistent"), (0.7, "consistent"), (1.2, "somewhat erratic"))


def consistency_word(sigma: float) -> str:
    """``very consistent`` ... ``erratic`` for an analyst's sigma (see CONSISTENCY_BANDS)."""
    for bound, word in CONSISTENCY_BANDS:
        if sigma < bound:
            return word
    return "erratic"


@dataclass(frozen=True)
class Cell:
    """One number analysts can judge: a likelihood (item, hypothesis) or a credibility."""

    kind: Literal["likelihood", "credibility"]
    id: str  # item (reporting no event), event or indicator id; source id for a credibility
    hypothesis: str | None = None

    @property
    def key(self) -> tuple[str, str] | str:
        return (self.id, self.hypothesis) if self.hypothesis is not None else self.id


@dataclass(frozen=True)
class AnalystView:
    """One analyst's view of the case and its full analysis."""

    name: str
    judgments: Judgments | None  # None for the case file itself
    analysis: Analysis

    @property
    def case(self) -> Case:
        return self.analysis.case

    @property
    def posterior(self) -> np.ndarray:
        return self.analysis.posterior

    def explicit(self, cell: Cell) -> bool:
        """True when this analyst set ``cell`` (the case sets every cell)."""
        if self.judgments is None:
            return True
        if cell.kind == "credibility":
            return cell.id in self.judgments.credibility
        key = (cell.id, cell.hypothesis)
        return key in self.judgments.likelihoods or key in self.judgments.ratings

    def why(self, cell: Cell) -> str:
        """The analyst's reason for ``cell`` (their rationale, else the case's), or ''."""
        if self.judgments is not None:
            return self.judgments.rationale.get(cell.id, "")
        if cell.kind == "credibility":
            return ""
        item = owners(self.case).get(cell.id)
        return item.rationale if item is not None else ""


@dataclass(frozen=True)
class Disagreement:
    """A cell the analysts give different values, and how much that matters."""

    cell: Cell
    #: analyst -> the value used (the case's where the analyst is silent)
    values: Mapping[str, float]
    #: the analysts who set this cell themselves (``case`` always does)
    explicit: tuple[str, ...]
    #: the middle ground's leading hypothesis (index into the case's hypotheses)
    leader: int
    #: analyst -> the leader's probability with this cell at that analyst's value
    leader_probability: Mapping[str, float]
    #: analyst -> the leading hypothesis with this cell at that analyst's value
    leader_at: Mapping[str, int]
    swing: float

    @property
    def changes_leader(self) -> bool:
        """True when some analyst's value of this cell alone changes the leader."""
        return len(set(self.leader_at.values())) > 1


@dataclass(frozen=True)
class Pooled:
    """The pooled posterior and, for ``bayes``, what the PyMC pool learnt."""

    method: str
    posterior: np.ndarray  # (K,)
    #: analyst -> posterior mean of sigma_a, the spread of their logits (bayes only)
    sigma: Mapping[str, float] = field(default_factory=dict)
    #: cell -> its pooled value (posterior mean), for the cells the pool sampled (bayes)
    cells: Mapping[Cell, float] = field(default_factory=dict)
    low: np.ndarray | None = None  # 5th percentile (bayes only)
    high: np.ndarray | None = None  # 95th percentile (bayes only)
    r_hat_max: float | None = None
    ess_min: float | None = None
    draws: int = 0
    chains: int = 0
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Panel:
    """Everything about several analysts' judgments of one case."""

    case: Case
    analysts: tuple[AnalystView, ...]  # the case first, then by name
    pooled: Pooled
    middle: Case  # every cell and the prior at the analysts' mean
    middle_posterior: np.ndarray
    disagreements: tuple[Disagreement, ...]  # largest swing first

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.analysts)

    @property
    def posteriors(self) -> np.ndarray:
        """``(A, K)``: each analyst's posterior, in :attr:`analysts` order."""
        return np.array([a.posterior for a in self.analysts])

    def view(self, name: str) -> AnalystView:
        return next(a for a in self.analysts if a.name == name)


# -- pools ---------------------------------------------------------------------------
def linear_pool(posteriors: np.ndarray) -> np.ndarray:
    """The mean of the rows of ``(A, K)`` posteriors."""
    return np.asarray(posteriors, dtype=float).mean(axis=0)


def log_pool(posteriors: np.ndarray) -> np.ndarray:
    """The normalised geometric mean of the rows (computed in log space)."""
    logs = np.log(np.maximum(np.asarray(posteriors, dtype=float), np.finfo(float).tiny))
    return np.exp(bayes.normalise_log(logs.mean(axis=0)))


# -- cells ---------------------------------------------------------------------------
def owners(case: Case) -> dict[str, Item | Event]:
    """Id -> what has likelihood cells: the items that report no event, the events and
    the indicators (a report of an event takes its event's numbers, so has none)."""
    return rated(case)


def statement(case: Case, cell: Cell) -> str:
    """What ``cell``'s likelihood is about: the item's claim or the event's description."""
    owner = owners(case)[cell.id]
    return owner.description if isinstance(owner, Event) else owner.claim


def cells_of(case: Case) -> list[Cell]:
    """Every cell of ``case`` in file order: likelihoods of the items that report no
    event, of the events and of the indicators, then source credibilities."""
    found = [Cell("likelihood", x, h) for x in owners(case) for h in case.hypothesis_ids]
    return found + [Cell("credibility", s.id) for s in case.sources]


def cell_value(case: Case, cell: Cell) -> float:
    """The number the closed form uses for ``cell`` in ``case``."""
    if cell.kind == "credibility":
        return float(case.source_by_id[cell.id].credibility.value)
    return float(owners(case)[cell.id].likelihoods[cell.hypothesis].value)


def with_cells(case: Case, values: Mapping[Cell, float], priors=None) -> Case:
    """``case`` with ``values`` as point numbers (and ``priors`` if given)."""
    judgments = Judgments(
        case=case.name,
        analyst="panel",
        priors=dict(priors or {}),
        likelihoods={
            (c.id, c.hypothesis): Prob(float(v))
            for c, v in values.items()
            if c.kind != "credibility"
        },
        credibility={c.id: Prob(float(v)) for c, v in values.items() if c.kind == "credibility"},
    )
    return overlay(case, judgments)


def posterior_of(case: Case) -> np.ndarray:
    """The exact posterior alone (what a swing needs; the full analysis is not run):
    the engine's weights (:func:`analysis.engine.weights.weigh`), so events and retracted
    items count exactly as in :func:`~analysis.engine.analyzer.analyze`. The total does not
    depend on the order of an event's reports, so file order serves."""
    likelihood, credibility, unreliable = case.evidence_arrays
    order = np.arange(len(case.evidence))
    weighed = weights.weigh(case, order, likelihood, credibility, unreliable)
    return np.exp(bayes.normalise_log(np.log(case.prior) + weighed.log_weight.sum(axis=0)))


# -- the panel -------------------------------------------------------------------------
def analyst_views(
    case: Case, judgments: Mapping[str, Judgments], yardstick: str = "icd203"
) -> tuple[AnalystView, ...]:
    """The case (analyst ``case``) and each analyst by name, each fully analysed."""
    views = [AnalystView(CASE_ANALYST, None, analyze(case, yardstick=yardstick))]
    for name in sorted(judgments):
        j = judgments[name]
        views.append(AnalystView(name, j, analyze(overlay(case, j), yardstick=yardstick)))
    return tuple(views)


def middle_ground(case: Case, views: tuple[AnalystView, ...]) -> Case:
    """Every cell and the prior at the mean of the analysts' values."""
    cells = cells_of(case)
    values = np.array([[cell_value(v.case, c) for c in cells] for v in views])
    means = values.mean(axis=0)
    changed = {c: m for c, m, col in zip(cells, means, values.T, strict=True) if np.ptp(col) > 0}
    prior = np.mean([v.case.prior for v in views], axis=0)
    priors = dict(zip(case.hypothesis_ids, (float(p) for p in prior), strict=True))
    if np.allclose(prior, case.prior, rtol=0, atol=TOLERANCE):
        priors = {}
    return with_cells(case, changed, priors)


def find_disagreements(
    case: Case, views: tuple[AnalystView, ...], middle: Case
) -> tuple[Disagreement, ...]:
    """Every cell the analysts value differently, with its swing, largest first."""
    leader = int(np.argmax(posterior_of(middle)))
    found: list[Disagreement] = []
    for cell in cells_of(case):
        values = {v.name: cell_value(v.case, cell) for v in views}
        if max(values.values()) - min(values.values()) <= TOLERANCE:
            continue
        at: dict[float, np.ndarray] = {}
        for value in values.values():
            if not any(abs(value - seen) <= TOLERANCE for seen in at):
                at[value] = posterior_of(with_cells(middle, {cell: value}))

        def posterior(value: float, at=at) -> np.ndarray:
            return next(p for seen, p in at.items() if abs(value - seen) <= TOLERANCE)

        probability = {n: float(posterior(v)[leader]) for n, v in values.items()}
        found.append(
            Disagreement(
                cell=cell,
                values=values,
                explicit=tuple(v.name for v in views if v.explicit(cell)),
                leader=leader,
                leader_probability=probability,
                leader_at={n: int(np.argmax(posterior(v))) for n, v in values.items()},
                swing=max(probability.values()) - min(probability.values()),
            )
        )
    order = sorted(range(len(found)), key=lambda i: (-found[i].swing, i))
    return tuple(found[i] for i in order)


def pool_posteriors(posteriors: np.ndarray, method: str) -> Pooled:
    """The ``linear`` or ``log`` pool of ``(A, K)`` posteriors."""
    if method == "linear":
        return Pooled("linear", linear_pool(posteriors))
    if method == "log":
        return Pooled("log", log_pool(posteriors))
    raise ValueError(f"pool is {method!r}; choose one of {', '.join(POOLS)}")


def analyse_panel(
    case: Case,
    judgments: Mapping[str, Judgments],
    pool: str = "linear",
    yardstick: str = "icd203",
    *,
    seed: int = 0,
    draws: int | None = None,
    progress: Progress | None = None,
) -> Panel:
    """Each analyst's analysis, the ``pool`` of their posteriors and the disagreements.

    ``bayes`` imports PyMC (through :mod:`analysis.uncertainty.pool`); ``seed`` and
    ``draws`` are its sampler's.
    """
    if pool not in POOLS:
        raise ValueError(f"pool is {pool!r}; choose one of {', '.join(POOLS)}")
    views = analyst_views(case, judgments, yardstick)
    middle = middle_ground(case, views)
    if pool == "bayes":
        from analysis.uncertainty.pool import bayes_pool

        pooled = bayes_pool(case, views, middle, seed=seed, draws=draws, progress=progress)
    else:
        pooled = pool_posteriors(np.array([v.posterior for v in views]), pool)
    return Panel(
        case=case,
        analysts=views,
        pooled=pooled,
        middle=middle,
        middle_posterior=posterior_of(middle),
        disagreements=find_disagreements(case, views, middle),
    )
