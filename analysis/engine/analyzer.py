"""The exact engine: one call turns a :class:`Case` into an :class:`Analysis`.

Every view (CLI, dashboard, brief) renders from the :class:`Analysis`; none of them
recomputes anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from analysis.case import Case, Item
from analysis.engine import bayes, weights
from analysis.engine.confidence import SUPPORT_DB, Confidence, assess_confidence
from analysis.engine.heuer import Disagreement, HeuerResult, explain_disagreement, heuer_scores
from analysis.engine.weights import AssumptionResult, EventResult
from analysis.scales import LIKELIHOOD_FLOOR, estimative_word, format_percent, jeffreys_grade
from analysis.wording import count

#: One source is said to carry "much of the conclusion" from this share up.
SOURCE_SHARE_WARNING = 0.5


@dataclass(frozen=True)
class UncertaintySummary:
    """What the PyMC run adds: the spread of P(H | E, theta) over the analyst's numbers."""

    mean: np.ndarray
    low: np.ndarray  # 5th percentile
    high: np.ndarray  # 95th percentile
    r_hat_max: float
    ess_min: float
    draws: int = 0
    chains: int = 0
    sampler: str = ""
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    """An indicator to watch, scored under the current posterior."""

    index: int  # position in case.indicators
    item: Item
    probability_seen: float
    expected_information_bits: float
    if_seen: np.ndarray
    if_not_seen: np.ndarray


@dataclass(frozen=True)
class SourceLoad:
    """How much of the conclusion rests on one source."""

    source_id: str
    name: str
    items: tuple[int, ...]
    #: signed weight of evidence for the leader over the runner-up, summed over its items
    leader_weight_db: float
    #: share of the absolute leader-versus-runner-up weight carried by this source
    share: float


@dataclass(frozen=True)
class Analysis:
    """Everything the engine knows about a case. Arrays follow hypothesis file order."""

    case: Case
    yardstick: str
    likelihood: np.ndarray  # (N, K) L as used by the closed form
    credibility: np.ndarray  # (N,)
    unreliable: np.ndarray  # (N,) b
    #: (N, K) each item's weight as a likelihood: P for a lone item, the chain-rule
    #: factor P(R_j | R_1..R_j-1, h) for a report of an event, 1 when retracted
    effective: np.ndarray
    log_effective: np.ndarray  # (N, K) its log; the rows sum to the log likelihood
    posterior: np.ndarray  # (K,)
    contribution: np.ndarray  # (N, K) centred decibans
    prior_contribution: np.ndarray  # (K,) centred decibans of the prior
    posterior_without: np.ndarray  # (N, K)
    linchpin: np.ndarray  # (N,) bool
    diagnosticity: np.ndarray  # (N,) decibans
    trajectory_order: np.ndarray  # (N,) item indices in date order
    trajectory: np.ndarray  # (N, K) posterior after each item of trajectory_order
    indicators: tuple[Indicator, ...]  # ranked, most informative first
    heuer: HeuerResult
    disagreement: Disagreement | None
    sources: tuple[SourceLoad, ...]
    confidence: Confidence
    warnings: tuple[str, ...]
    uncertainty: UncertaintySummary | None = field(default=None)
    events: tuple[EventResult, ...] = ()  # in case.events order
    assumptions: tuple[AssumptionResult, ...] = ()  # in case.assumptions order

    # -- convenient views ------------------------------------------------------------
    @property
    def hypothesis_ids(self) -> tuple[str, ...]:
        return self.case.hypothesis_ids

    @property
    def prior(self) -> np.ndarray:
        return self.case.prior

    @cached_property
    def ranking(self) -> np.ndarray:
        """Hypothesis indices, most probable first."""
        return np.argsort(-self.posterior, kind="stable")

    @property
    def leader(self) -> int:
        return int(self.ranking[0])

    @cached_property
    def by_diagnosticity(self) -> np.ndarray:
        """Item indices, most diagnostic first (file order among equals)."""
        return np.argsort(-self.diagnosticity, kind="stable")

    def leader_without(self, i: int) -> int:
        """The hypothesis that leads once item ``i`` is left out."""
        return int(self.posterior_without[i].argmax())

    @property
    def runner_up(self) -> int:
        return int(self.ranking[1])

    def words(self) -> list[str]:
        """The estimative phrase of each hypothesis's posterior."""
        return [estimative_word(p, self.yardstick) for p in self.posterior]

    def percent(self, k: int) -> str:
        return format_percent(float(self.posterior[k]))

    def weight_of_evidence(self, h: int, g: int) -> np.ndarray:
        """Per-item weight of evidence for hypothesis ``h`` over ``g``, in decibans."""
        return bayes.weight_of_evidence(self.log_effective, h, g)

    def grade(self, decibans: float) -> str:
        """Jeffreys' grade of a weight of evidence."""
        return jeffreys_grade(decibans)

    @property
    def tied(self) -> tuple[int, ...]:
        """Hypotheses sharing the top posterior (one index when the leader is clear)."""
        return bayes.leaders(self.posterior)

    @property
    def linchpin_items(self) -> list[int]:
        return [int(i) for i in np.flatnonzero(self.linchpin)]

    @property
    def linchpin_events(self) -> list[EventResult]:
        """Events of several reports whose removal changes the leader (an event of one
        report is the same as its item)."""
        return [e for e in self.events if e.linchpin and len(e.items) > 1]

    @property
    def linchpin_assumptions(self) -> list[AssumptionResult]:
        return [a for a in self.assumptions if a.linchpin]


def _trajectory_order(items: tuple[Item, ...]) -> np.ndarray:
    """Dated items by date (ISO strings sort as dates), then undated ones in file order."""
    dated = sorted((item.date, i) for i, item in enumerate(items) if item.date)
    undated = [i for i, item in enumerate(items) if not item.date]
    return np.array([i for _, i in dated] + undated, dtype=int)


def _score_indicators(case: Case, posterior: np.ndarray) -> tuple[Indicator, ...]:
    if not case.indicators:
        return ()
    effective = bayes.effective_likelihood(*case.indicator_arrays)
    p_seen, if_seen, if_not, info = bayes.observation_update(posterior, effective)
    found = [
        Indicator(j, item, float(p_seen[j]), float(info[j]), if_seen[j], if_not[j])
        for j, item in enumerate(case.indicators)
    ]
    return tuple(sorted(found, key=lambda ind: -ind.expected_information_bits))


def _source_loads(case: Case, woe: np.ndarray) -> tuple[SourceLoad, ...]:
    total = float(np.abs(woe).sum())
    rows: dict[str, list[int]] = {}
    for i, item in enumerate(case.evidence):
        if item.source is not None and not item.retracted:
            rows.setdefault(item.source, []).append(i)
    loads = []
    for source in case.sources:
        items = rows.get(source.id)
        if not items:
            continue
        weight = float(woe[items].sum())
        share = float(np.abs(woe[items]).sum()) / total if total > 0 else 0.0
        loads.append(SourceLoad(source.id, source.name, tuple(items), weight, share))
    return tuple(loads)


def _linchpin_sources(case: Case, linchpin: np.ndarray) -> tuple[str, ...]:
    """The names of the sources behind the linchpin items, each once, in file order."""
    names: dict[str, None] = {}
    for i in np.flatnonzero(linchpin):
        source = case.evidence[int(i)].source
        if source is not None:
            names[case.source_by_id[source].name] = None
    return tuple(names)


#: A source of this many items or more gets the double-counting caution.
SHARED_ITEMS = 3
#: Sources of several items named one caution each up to this many; more share one,
#: which names this many of them.
SHARED_SOURCES_NAMED = 3


def _warnings(case: Case, loads: tuple[SourceLoad, ...], leader: str, runner: str) -> list[str]:
    notes = []
    shared = [load for load in loads if len(load.items) >= SHARED_ITEMS]
    one_each = len(shared) <= SHARED_SOURCES_NAMED
    for load in loads:
        if load.share >= SOURCE_SHARE_WARNING and len(loads) > 1:
            notes.append(
                f"Source '{load.name}' carries {100 * load.share:.0f}% of the weight separating "
                f"{leader} from {runner} ({count(len(load.items), 'item')}): if it is wrong, "
                "much of the conclusion goes with it."
            )
        if one_each and len(load.items) >= SHARED_ITEMS:
            notes.append(
                f"{len(load.items)} items rest on '{load.name}'. The closed form treats them as "
                "independent, which can double-count one source; the uncertainty run ties "
                "them to one shared credibility."
            )
    if not one_each:  # a thousand sources made a thousand warnings (and brief pages)
        most = sorted(shared, key=lambda load: -len(load.items))[:SHARED_SOURCES_NAMED]
        named = "; ".join(f"'{load.name}', {len(load.items)}" for load in most)
        notes.append(
            f"{len(shared):,} sources carry {SHARED_ITEMS} or more items each (the most: "
            f"{named}; and {len(shared) - len(most):,} more). The closed form treats a "
            "source's items as independent, which can double-count it; the uncertainty run "
            "ties them to one shared credibility."
        )
    return notes


def _impossible(case: Case, effective: np.ndarray) -> list[str]:
    """A warning when every hypothesis is ruled out by some item (a zero likelihood from a
    fully credible source): the evidence then contradicts itself, and the posterior
    reflects only the engine's floor."""
    zero = effective <= LIKELIHOOD_FLOOR
    if len(case.evidence) == 0 or not zero.any(axis=0).all():
        return []
    culprits = ", ".join(
        f"{h.label} by '{case.evidence[int(np.argmax(zero[:, k]))].id}'"
        for k, h in enumerate(case.hypotheses)
    )
    return [
        "The evidence is impossible under every hypothesis: each is ruled out by an item "
        f"that gives it probability 0 from a fully credible source ({culprits}). Check those "
        "zeros, lower a credibility, or add the hypothesis you are missing; until then the "
        "posterior means little."
    ]


#: A hypothesis an item rules out that still holds more than this share of the posterior
#: is held up by nothing but the engine's floor (see :func:`_floor_outweighed`).
RULED_OUT_SHARE = 1e-6


def _floor_outweighed(case: Case, effective: np.ndarray, posterior: np.ndarray) -> list[str]:
    """A warning for each hypothesis an item rules out (a zero likelihood from a fully
    credible source) that the posterior still gives weight: the engine counts the zero
    as :data:`~analysis.scales.LIKELIHOOD_FLOOR`, so the ruled-out hypothesis is weighed
    against the others' priors and likelihoods, and where those are as small (a prior of
    1e-300) it comes out level with them or ahead, where the exact answer gives it 0."""
    zero = effective <= LIKELIHOOD_FLOOR
    found = []
    for k, h in enumerate(case.hypotheses):
        if zero[:, k].any() and posterior[k] > RULED_OUT_SHARE:
            item = case.evidence[int(np.argmax(zero[:, k]))].id
            found.append(
                f"{h.label} holds {format_percent(float(posterior[k]))} although '{item}' "
                f"rules it out (probability 0 from a fully credible source): the engine "
                f"counts a 0 as {LIKELIHOOD_FLOOR:g}, and what the other hypotheses have "
                "(their priors and likelihoods multiplied) is as small. Raise their tiny "
                "priors or likelihoods, or check the zero; until then the posterior means little."
            )
    return found


def analyze(
    case: Case,
    yardstick: str = "icd203",
    uncertainty: UncertaintySummary | None = None,
) -> Analysis:
    """Run the whole exact analysis of ``case`` (and fold in an uncertainty run if given)."""
    prior = case.prior
    likelihood, credibility, unreliable = case.evidence_arrays
    order = _trajectory_order(case.evidence)
    weighed = weights.weigh(case, order, likelihood, credibility, unreliable)
    log_effective = weighed.log_weight
    effective = weighed.effective(case)
    total = np.log(prior) + log_effective.sum(axis=0)
    posterior = np.exp(bayes.normalise_log(total))
    ranking = np.argsort(-posterior, kind="stable")
    leader, runner = int(ranking[0]), int(ranking[1])

    without = bayes.posterior_without(total, weighed.removal)
    linchpin = bayes.lead_changes(without, posterior)
    event_results = weights.event_results(case, weighed, total, posterior)
    assumption_results = weights.assumption_results(case, weighed, total, posterior)
    woe = bayes.weight_of_evidence(log_effective, leader, runner)

    heuer = heuer_scores(case, likelihood)
    disagreement = explain_disagreement(case, heuer, posterior, log_effective)
    loads = _source_loads(case, woe)
    labels = [h.label for h in case.hypotheses]
    top = max(loads, key=lambda s: s.share, default=None)
    supporting = [s for s in loads if s.leader_weight_db >= SUPPORT_DB]
    favour = np.clip(woe, 0.0, None)
    quality = float((favour * credibility).sum() / favour.sum()) if favour.sum() > 0 else None
    interval = None
    if uncertainty is not None:
        interval = (
            float(uncertainty.low[leader]),
            float(uncertainty.high[leader]),
            float(uncertainty.low[runner]),
            float(uncertainty.high[runner]),
        )
    confidence = assess_confidence(
        supporting_sources=len(supporting),
        linchpins=int(linchpin.sum()) + sum(e.linchpin and len(e.items) > 1 for e in event_results),
        top_source_share=top.share if top else 0.0,
        top_source_name=top.name if top else "none",
        supporting_credibility=quality,
        interval=interval,
        supporting_names=tuple(
            s.name for s in sorted(supporting, key=lambda s: -s.leader_weight_db)
        ),
        linchpin_sources=_linchpin_sources(case, linchpin),
        favouring_names=tuple(
            s.name
            for s in sorted(loads, key=lambda s: -s.leader_weight_db)
            if s.leader_weight_db > 0
        ),
    )
    warnings = [*case.warnings, *_warnings(case, loads, labels[leader], labels[runner])]
    single = np.where(case.retracted_mask[:, None], 1.0, weighed.single)
    warnings.extend(_impossible(case, single) or _floor_outweighed(case, single, posterior))
    if uncertainty is not None:
        warnings.extend(uncertainty.warnings)

    return Analysis(
        case=case,
        yardstick=yardstick,
        likelihood=likelihood,
        credibility=credibility,
        unreliable=unreliable,
        effective=effective,
        log_effective=log_effective,
        posterior=posterior,
        contribution=bayes.centred_decibans(log_effective),
        prior_contribution=bayes.centred_decibans(np.log(prior)),
        posterior_without=without,
        linchpin=linchpin,
        diagnosticity=bayes.diagnosticity(log_effective),
        trajectory_order=order,
        trajectory=bayes.trajectory(prior, log_effective, order),
        indicators=_score_indicators(case, posterior),
        heuer=heuer,
        disagreement=disagreement,
        sources=loads,
        confidence=confidence,
        warnings=tuple(warnings),
        uncertainty=uncertainty,
        events=event_results,
        assumptions=assumption_results,
    )
