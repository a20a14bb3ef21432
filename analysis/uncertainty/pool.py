"""The ``bayes`` pool: several analysts' judgments as noisy readings of one latent value.

DESIGN.md, "Several analysts": each explicit judgment ``x[a]`` of a cell (a likelihood
or a credibility) is a reading of one latent value ``L``,

    logit(x[a]) ~ Normal(logit(L), sigma_a),

with one ``sigma_a`` per analyst learnt across all that analyst's cells, so an erratic
analyst counts for less: the pooled value of a cell sits near the precision-weighted
(``1 / sigma_a**2``) mean of the analysts' logits, pulled by the evidence. H is
marginalised as in the uncertainty model, on the same sum
(:func:`analysis.uncertainty.model.log_evidence`: lone items, events with corroborating
reports, retracted items left out): ``log P(E | L)`` is a potential, and P(H | E, L) is
computed for every draw afterwards, by the uncertainty model's own NumPy sum
(:func:`analysis.uncertainty.model.posterior_given`).

Choices:

* latent cells are the evidence cells (of lone items and of events) and credibilities
  some analyst (other than the case) sets; every other cell keeps the value everyone
  shares. The case file reads every latent cell;
* ``sigma_a = 0.1 + HalfNormal(1)`` in logits: judgments are written to a couple of
  digits, so no analyst is read as exact (this also keeps the sampler's geometry
  sound when analysts agree exactly); ``logit(L) ~ Normal(0, 2)``;
* the prior and ``b[i]`` are the middle ground's (the analysts' mean);
* readings are clipped to [0.001, 0.999] before the logit.

The model's *structure is data*, as the uncertainty model's: which analyst reads
which cell, and which cell each likelihood and credibility of the sum is, are index
arrays in ``pm.Data``. Only the number of latent values and of analysts are fixed when
it is compiled, each padded to a power of two (:func:`pool_size`; a padding latent or
analyst is read by nothing and keeps its prior), so an analyst who sets one more number,
an added item or hypothesis, or one more analyst within the size is new data for the
same compiled model, and the store (:mod:`analysis.uncertainty.native`) keeps it for
every later process. Sampling, diagnostics and warnings are the uncertainty run's
(:mod:`analysis.uncertainty.sampler`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from analysis.case import Case
from analysis.casefile.judgments import Judgments
from analysis.engine.pooling import AnalystView, Cell, Pooled, Progress, posterior_of
from analysis.uncertainty.model import (
    POSTERIOR_VAR,
    bucket,
    describe,
    log_evidence,
    number_indices,
    posterior_given,
    prior_factors,
    report_arrays,
    theta_of,
)
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
LATENT_VAR, SIGMA_VAR = "z", "sigma"
#: The variables the compiled pool stores.
NAMES = (LATENT_VAR, SIGMA_VAR)
#: The fewest analysts a compiled pool is sized for (a power of two): the case and
#: three colleagues, as the bundled judgments have.
SMALLEST_PANEL = 4
#: Tuning draws per chain: the analysts' sigmas and the cells they read form a funnel
#: that 300 tuning draws left unsettled (R-hat 1.025 on the bundled judgments)
POOL_TUNE = 1000
#: Draws per chain by default: the analysts' sigmas mix slowly. On the bundled judgments
#: 2x3000 draws gave a bulk ESS of 219-291 (below ESS_LIMIT: every default run warned);
#: 2x8000 give 602-1400 over seeds 0-9 (worst R-hat 1.0057), sampling in about 1.3 s
POOL_DRAWS = 8000
#: The sampler's target acceptance rate (nutpie's default is 0.8): the funnel between a
#: sigma and a cell only two analysts read defeated it. With one more cell set by one
#: analyst of the bundled judgments, 20 seeds at 0.8 warned 4 times (worst ESS 8, 60,
#: 81); at 0.9 none did (worst ESS 537; the bundled judgments alone: worst 1098, where
#: 0.8 gave 758), for a tenth more time per run
POOL_TARGET_ACCEPT = 0.9


@dataclass(frozen=True)
class PoolStructure:
    """Which analyst reads which cell, and where each latent value enters the sum."""

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

    @property
    def size(self) -> tuple[int, int]:
        """The compiled pool this structure runs on (see :func:`pool_size`)."""
        return pool_size(self.n_latent, self.n_analysts)


def pool_size(n_latent: int, n_analysts: int) -> tuple[int, int]:
    """The compiled pool's sizes for ``n_latent`` latent values and ``n_analysts``: each
    a power of two (latents from 8, as the uncertainty model's :func:`bucket`;
    analysts from :data:`SMALLEST_PANEL`)."""
    panel = max(SMALLEST_PANEL, 1 << max(n_analysts - 1, 0).bit_length())
    return bucket(n_latent), panel


def sizes_at_hand(structure: PoolStructure) -> tuple[tuple[int, int], ...]:
    """The compiled pools a panel keeps at hand: its own size and the one with twice the
    latent values, which analysts setting more numbers of the case grow into (none when
    nothing is pooled)."""
    if structure.n_latent == 0:
        return ()
    latent, panel = structure.size
    return (latent, panel), (2 * latent, panel)


def _logit(x: float) -> float:
    x = min(max(x, CLIP), 1.0 - CLIP)
    return float(np.log(x / (1.0 - x)))


def describe_pool(
    case: Case, views: tuple[AnalystView, ...], middle: Case
) -> tuple[PoolStructure, dict[str, np.ndarray], list[Cell]]:
    """The pool's structure, its ``pm.Data`` arrays, and the latent cells in ``z`` order.

    A likelihood cell is a lone item's or an event's (an event's reports follow it);
    the middle ground gives every number no analyst sets, ``b`` and the prior. The
    arrays have the uncertainty model's layout (:func:`~analysis.uncertainty.model.
    model_inputs`): ``numbers`` = every group cell's and every report's fixed value,
    then the latent values; ``q_index`` and ``c_index`` pick each group cell and each
    report's credibility, ``reading_latent`` and ``reading_analyst`` each reading's
    latent value and analyst."""
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
    q_index, c_index = number_indices(
        len(owner), len(ids), structure.latent_cells, np.array(structure.report_latent_source)
    )
    inputs = {
        "log_prior": data.log_prior.copy(),
        **prior_factors(data.log_prior),
        "fixed": np.concatenate([data.q_fixed.ravel(), data.c_fixed[list(reports)]]),
        "q_index": q_index,
        "c_index": c_index,
        "readings": np.array(readings, dtype=float),
        "reading_latent": np.array(reading_latent, dtype=np.int64),
        "reading_analyst": np.array(reading_analyst, dtype=np.int64),
        **report_arrays(groups, data),
    }
    return structure, inputs, latent


def _value(case: Case, cell: Cell) -> float:
    from analysis.engine.pooling import cell_value

    return cell_value(case, cell)


def build_pool_model(size: tuple[int, int], inputs: dict[str, np.ndarray]):
    """The ``pm.Model`` of the pool for ``size`` = (latent values, analysts), its
    structure and numbers ``inputs`` held in ``pm.Data`` containers (any panel that fits
    ``size`` can be fed to it)."""
    import pymc as pm
    import pytensor.tensor as pt

    n_latent, n_analysts = size
    with pm.Model() as model:
        x = {name: pm.Data(name, value) for name, value in inputs.items()}
        sigma = pm.Deterministic(
            SIGMA_VAR,
            SIGMA_FLOOR + pm.HalfNormal("sigma_excess", sigma=SIGMA_SCALE, shape=n_analysts),
        )
        z = pm.Normal(LATENT_VAR, mu=0.0, sigma=LATENT_SD, shape=n_latent)
        # each reading ~ Normal(z[its cell], sigma[its analyst]), up to a constant
        spread = sigma[x["reading_analyst"]]
        error = (x["readings"] - z[x["reading_latent"]]) / spread
        pm.Potential("readings_given", (-0.5 * pt.sqr(error) - pt.log(spread)).sum())
        numbers = pt.concatenate([x["fixed"], pm.math.sigmoid(z)])
        pm.Potential("evidence", log_evidence(numbers, x))
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
    report(0.0, "Loading the compiled pool (compiling it if this size is new)")
    model = compiled_pool(structure.size, inputs)
    report(0.5, f"Sampling {chains} chains x {draws} draws")
    settings = dict(draws=draws, chains=chains, tune=tune, seed=seed)
    found = sample_compiled(model, inputs, NAMES, **settings, target_accept=POOL_TARGET_ACCEPT)
    report(0.9, "Checking convergence")
    # the padding is read by nothing: only the panel's own latents and analysts count
    z = found[LATENT_VAR][..., : structure.n_latent]
    sigma = found[SIGMA_VAR][..., : structure.n_analysts]
    theta = theta_of(z)
    p = posterior_given(theta.reshape(-1, structure.n_latent), inputs)
    drawn = {LATENT_VAR: z, SIGMA_VAR: sigma, POSTERIOR_VAR: p.reshape(*z.shape[:2], -1)}
    summary = summarise(drawn, draws=draws, chains=chains, run="pool")
    report(1.0, "Done")
    return Pooled(
        method="bayes",
        posterior=summary.mean,
        sigma={v.name: float(s) for v, s in zip(views, sigma.mean(axis=(0, 1)), strict=True)},
        cells={cell: float(v) for cell, v in zip(latent, theta.mean(axis=(0, 1)), strict=True)},
        low=summary.low,
        high=summary.high,
        r_hat_max=summary.r_hat_max,
        ess_min=summary.ess_min,
        draws=draws,
        chains=chains,
        seconds=time.perf_counter() - start,
        warnings=summary.warnings,
    )


def compiled_pool(size: tuple[int, int], inputs: dict[str, np.ndarray]):
    """The compiled pool of ``size`` (``inputs``: a panel's arrays, its first data)."""
    return compiled(("pool", size), lambda: build_pool_model(size, inputs), NAMES)


def warm_up_pool(case: Case, judgments: Mapping[str, Judgments], *, next_size: bool = True):
    """Compile (or load from the store) the pools the panel of ``case`` and its
    ``judgments`` keeps at hand (:func:`sizes_at_hand`; only its own if not
    ``next_size``), so that its Bayes pool, and analysts setting more numbers, wait for
    no compiler: the dashboard calls this in a background thread at start, ``make``
    for the seed case at install. The compiled models, none if nothing is pooled."""
    from analysis.engine.pooling import analyst_views, middle_ground

    views = analyst_views(case, judgments)
    structure, inputs, _ = describe_pool(case, views, middle_ground(case, views))
    sizes = sizes_at_hand(structure)
    return [compiled_pool(size, inputs) for size in sizes[: None if next_size else 1]]
