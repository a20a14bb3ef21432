"""The ``bayes`` pool: several analysts' judgments as noisy readings of one latent value.

DESIGN.md, "Several analysts": each explicit judgment ``x[a]`` of a cell (a likelihood
or a credibility) is a reading of one latent value ``L``,

    logit(x[a]) ~ Normal(logit(L), sigma_a),

with one ``sigma_a`` per analyst learnt across all that analyst's cells, so an erratic
analyst counts for less: the pooled value of a cell sits near the precision-weighted
(``1 / sigma_a**2``) mean of the analysts' logits, pulled by the evidence. H is
marginalised as in the uncertainty model, on the same sum
(:func:`analysis.uncertainty.model.log_joint`: lone items, events with corroborating
reports, retracted items left out): the log-sum-exp over hypotheses of ``log prior +
sum_g log P(R_g | h)`` is a potential, and ``p_h`` records P(H | E, L) for every draw.

Choices:

* latent cells are the evidence cells (of lone items and of events) and credibilities
  some analyst (other than the case) sets; every other cell keeps the value everyone
  shares. The case file reads every latent cell;
* ``sigma_a = 0.1 + HalfNormal(1)`` in logits: judgments are written to a couple of
  digits, so no analyst is read as exact (this also keeps the sampler's geometry
  sound when analysts agree exactly); ``logit(L) ~ Normal(0, 2)``;
* the prior and ``b[i]`` are the middle ground's (the analysts' mean);
* readings are clipped to [0.001, 0.999] before the logit.

The model is built and compiled once per structure (which analyst reads which cell);
the numbers enter through ``pm.Data``. Compiling, sampling, diagnostics and warnings
are the uncertainty run's (:mod:`analysis.uncertainty.sampler`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from analysis.case import Case
from analysis.engine.pooling import AnalystView, Cell, Pooled, Progress, posterior_of
from analysis.uncertainty.model import describe, log_joint, report_arrays
from analysis.uncertainty.sampler import (
    check_draws,
    check_seed,
    compiled,
    sample_compiled,
    summarise,
)

SIGMA_FLOOR = 0.1
SIGMA_SCALE = 1.0
LATENT_SD = 2.0
CLIP = 1e-3
LATENT_VAR, SIGMA_VAR, POSTERIOR_VAR = "z", "sigma", "p_h"
#: Tuning draws per chain: the analysts' sigmas and the cells they read form a funnel
#: that 300 tuning draws left unsettled (R-hat 1.025 on the bundled judgments)
POOL_TUNE = 1000
#: Draws per chain by default: the analysts' sigmas mix slowly. On the bundled judgments
#: 2x3000 draws gave a bulk ESS of 219-291 (below ESS_LIMIT: every default run warned);
#: 2x8000 give 602-1400 over seeds 0-9 (worst R-hat 1.0057), sampling in about 1.3 s
POOL_DRAWS = 8000


@dataclass(frozen=True)
class PoolStructure:
    """What the compiled pool depends on; every number is data."""

    n_hypotheses: int
    #: the groups of reports (a lone item, or an event), as in the uncertainty model
    n_groups: int
    n_analysts: int
    #: ``(group, hypothesis)`` of each latent likelihood; latent ``z[0:len]``
    latent_cells: tuple[tuple[int, int], ...]
    #: for each counted report, its source's latent index (after the cells), or -1
    report_latent_source: tuple[int, ...]
    n_latent: int
    #: each reading: the latent it reads and the analyst who gave it
    reading_latent: tuple[int, ...]
    reading_analyst: tuple[int, ...]

    @property
    def n_parameters(self) -> int:
        return self.n_latent + self.n_analysts


def _logit(x: float) -> float:
    x = min(max(x, CLIP), 1.0 - CLIP)
    return float(np.log(x / (1.0 - x)))


def describe_pool(
    case: Case, views: tuple[AnalystView, ...], middle: Case
) -> tuple[PoolStructure, dict[str, np.ndarray], list[Cell]]:
    """The pool's structure, its ``pm.Data`` arrays, and the latent cells in ``z`` order.

    A likelihood cell is a lone item's or an event's (an event's reports follow it);
    the middle ground gives every number no analyst sets, ``b`` and the prior."""
    groups, data = describe(middle)
    ids = case.hypothesis_ids
    judges = [v for v in views if v.judgments is not None]
    owner = [
        case.evidence[g[0]].id if e < 0 else case.events[e].id
        for g, e in zip(groups.groups, groups.group_event, strict=True)
    ]
    wanted = [
        (g, h, Cell("likelihood", owner[g], hid))
        for g in range(len(owner))
        for h, hid in enumerate(ids)
        if any(v.explicit(Cell("likelihood", owner[g], hid)) for v in judges)
    ]
    latent: list[Cell] = [cell for _, _, cell in wanted]
    reports = groups.reports
    used = {case.evidence[i].source for i in reports if case.evidence[i].source is not None}
    latent += [
        Cell("credibility", s.id)
        for s in case.sources
        if s.id in used and any(v.explicit(Cell("credibility", s.id)) for v in judges)
    ]
    index = {cell: j for j, cell in enumerate(latent)}
    reading_latent, reading_analyst, readings = [], [], []
    for a, view in enumerate(views):
        for cell, j in index.items():
            if view.explicit(cell):
                reading_latent.append(j)
                reading_analyst.append(a)
                readings.append(_logit(_value(view.case, cell)))
    sources = [case.evidence[i].source for i in reports]
    structure = PoolStructure(
        n_hypotheses=len(ids),
        n_groups=len(owner),
        n_analysts=len(views),
        latent_cells=tuple((g, h) for g, h, _ in wanted),
        report_latent_source=tuple(
            index.get(Cell("credibility", s), -1) if s else -1 for s in sources
        ),
        n_latent=len(latent),
        reading_latent=tuple(reading_latent),
        reading_analyst=tuple(reading_analyst),
    )
    inputs = {
        "log_prior": data.log_prior.copy(),
        "q_fixed": data.q_fixed.copy(),
        "c_fixed": data.c_fixed[list(reports)].copy(),
        "readings": np.array(readings, dtype=float),
        **report_arrays(groups, data),
    }
    return structure, inputs, latent


def _value(case: Case, cell: Cell) -> float:
    from analysis.engine.pooling import cell_value

    return cell_value(case, cell)


def build_pool_model(structure: PoolStructure, inputs: dict[str, np.ndarray]):
    """The ``pm.Model`` of the pool, its numbers in ``pm.Data`` containers."""
    import pymc as pm
    import pytensor.tensor as pt

    with pm.Model() as model:
        x = {name: pm.Data(name, value) for name, value in inputs.items()}
        sigma = pm.Deterministic(
            SIGMA_VAR,
            SIGMA_FLOOR
            + pm.HalfNormal("sigma_excess", sigma=SIGMA_SCALE, shape=structure.n_analysts),
        )
        z = pm.Normal(LATENT_VAR, mu=0.0, sigma=LATENT_SD, shape=structure.n_latent)
        pm.Normal(
            "reading",
            mu=z[np.array(structure.reading_latent, dtype=int)],
            sigma=sigma[np.array(structure.reading_analyst, dtype=int)],
            observed=x["readings"],
        )
        value = pm.math.sigmoid(z)
        likelihood = x["q_fixed"]
        n_cells = len(structure.latent_cells)
        if n_cells:
            rows, cols = np.array(structure.latent_cells, dtype=int).T
            likelihood = pt.set_subtensor(likelihood[rows, cols], value[:n_cells])
        credibility = x["c_fixed"]
        slot = np.array(structure.report_latent_source, dtype=int)
        uses = np.flatnonzero(slot >= 0)
        if len(uses):
            credibility = pt.set_subtensor(credibility[uses], value[slot[uses]])
        joint = log_joint(likelihood, credibility, x)
        evidence = pt.logsumexp(joint)
        pm.Potential("evidence", evidence)
        pm.Deterministic(POSTERIOR_VAR, pt.exp(joint - evidence))
    return model


def bayes_pool(
    case: Case,
    views: tuple[AnalystView, ...],
    middle: Case,
    *,
    seed: int = 0,
    draws: int | None = None,
    chains: int = 2,
    tune: int = POOL_TUNE,
    progress: Progress | None = None,
) -> Pooled:
    """Sample the hierarchical pool; the mean of P(H | E, L) is the pooled posterior."""
    report = progress or (lambda fraction, message: None)
    start = time.perf_counter()
    check_seed(seed)
    structure, inputs, latent = describe_pool(case, views, middle)
    draws = draws or POOL_DRAWS
    if structure.n_latent == 0:
        report(1.0, "No analyst sets a number of the evidence: nothing to pool")
        return Pooled("bayes", posterior_of(middle), draws=draws, chains=chains)
    check_draws(draws)
    report(0.0, "Compiling the pool (first run of this structure only)")
    names = (LATENT_VAR, SIGMA_VAR, POSTERIOR_VAR)
    model = compiled(("pool", structure), lambda: build_pool_model(structure, inputs), names)
    report(0.5, f"Sampling {chains} chains x {draws} draws")
    found = sample_compiled(model, inputs, names, draws=draws, chains=chains, tune=tune, seed=seed)
    report(0.9, "Checking convergence")
    summary = summarise(found, draws=draws, chains=chains, run="pool")
    sigma = found[SIGMA_VAR].reshape(-1, structure.n_analysts).mean(axis=0)
    z = found[LATENT_VAR].reshape(-1, structure.n_latent)
    cells = (1.0 / (1.0 + np.exp(-z))).mean(axis=0)
    report(1.0, "Done")
    return Pooled(
        method="bayes",
        posterior=summary.mean,
        sigma={v.name: float(s) for v, s in zip(views, sigma, strict=True)},
        cells={cell: float(v) for cell, v in zip(latent, cells, strict=True)},
        low=summary.low,
        high=summary.high,
        r_hat_max=summary.r_hat_max,
        ess_min=summary.ess_min,
        draws=draws,
        chains=chains,
        seconds=time.perf_counter() - start,
        warnings=summary.warnings,
    )
