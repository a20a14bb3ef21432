"""The uncertainty run: how sure is the conclusion, given how unsure the numbers are?

PyMC states the model (:mod:`analysis.uncertainty.model`); nutpie compiles it once
per case *structure* and samples it (chosen by measurement: a re-sample of the seed
case takes about 0.3 s against about 2 s for ``pm.sample``; see the README). The
compiled model lives for the life of the process, so a case that differs only in its
numbers re-samples without a new compile.

This module is imported only for an uncertainty run: ``import analysis`` and the
closed-form path never load PyMC, PyTensor or nutpie.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from analysis.case import Case
from analysis.engine.analyzer import UncertaintySummary, analyze
from analysis.uncertainty import ESS_LIMIT, R_HAT_LIMIT
from analysis.uncertainty.model import (
    CREDIBILITY_VAR,
    LIKELIHOOD_VAR,
    POSTERIOR_VAR,
    ModelData,
    Structure,
    build_model,
    describe,
)

#: Draws per chain when the caller gives none: R-hat is a maximum over every
#: parameter, so larger models need more draws to keep chance excursions below 1.01.
DRAWS = 1500
DRAWS_LARGE = 2000
LARGE_MODEL = 150  # parameters
TUNE = 300
#: The interval reported for each hypothesis.
INTERVAL = (0.05, 0.95)
SAMPLER = "nutpie"

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class CompiledUncertaintyModel:
    """A compiled model for one case structure; feed it any case of that structure."""

    structure: Structure
    model: Any  # pm.Model
    compiled: Any  # nutpie CompiledPyMCModel
    seconds: float  # time spent building and compiling


_CACHE: dict[Structure, CompiledUncertaintyModel] = {}
_LOCK = threading.Lock()


def compiled_model_for(case: Case) -> CompiledUncertaintyModel:
    """The compiled model for ``case``'s structure: compiled on first use, then reused."""
    structure, data = describe(case)
    with _LOCK:
        found = _CACHE.get(structure)
        if found is None:
            found = _compile(structure, data)
            _CACHE[structure] = found
    return found


def clear_cache() -> None:
    """Forget every compiled model (tests and benchmarks use this)."""
    with _LOCK:
        _CACHE.clear()


def _compile(structure: Structure, data: ModelData) -> CompiledUncertaintyModel:
    import nutpie  # PyMC 5.28 / nutpie 0.16 emit no warnings here (checked under -W error)

    start = time.perf_counter()
    model = build_model(structure, data)
    compiled = nutpie.compile_pymc_model(model)
    return CompiledUncertaintyModel(structure, model, compiled, time.perf_counter() - start)


def default_draws(structure: Structure) -> int:
    """Draws per chain for a model of this size (see :data:`DRAWS_LARGE`)."""
    return DRAWS_LARGE if structure.n_parameters > LARGE_MODEL else DRAWS


def run_uncertainty(
    case: Case,
    *,
    draws: int | None = None,
    chains: int = 2,
    seed: int = 0,
    tune: int = TUNE,
    progress: Progress | None = None,
) -> UncertaintySummary:
    """Sample the analyst's imprecision and summarise ``P(H | E, theta)``.

    ``draws`` per chain defaults to :func:`default_draws` (1500, or 2000 for models
    of more than 150 uncertain numbers). ``progress``, if given, is called as
    ``progress(fraction, message)`` between stages (the dashboard's progress bar).
    The same ``seed`` gives the same numbers.
    """
    report = progress or (lambda fraction, message: None)
    start = time.perf_counter()
    structure, data = describe(case)
    draws = draws or default_draws(structure)
    if structure.n_parameters == 0:
        report(1.0, "No uncertain numbers: the closed form is exact")
        return _fixed_summary(case, draws, chains, time.perf_counter() - start)

    report(0.0, "Compiling the model (first run of this case structure only)")
    compiled = compiled_model_for(case)
    report(0.5, f"Sampling {chains} chains x {draws} draws")
    posterior = _sample(compiled, data, draws=draws, chains=chains, tune=tune, seed=seed)
    report(0.9, "Checking convergence")
    summary = summarise(posterior, draws=draws, chains=chains)
    report(1.0, "Done")
    return replace(summary, seconds=time.perf_counter() - start)


def posterior_draws(
    case: Case, *, draws: int = DRAWS, chains: int = 2, seed: int = 0, tune: int = TUNE
) -> dict[str, np.ndarray]:
    """Draws ``(chains, draws, ...)`` of ``L``, ``c`` and ``p_h`` (what the summary reads)."""
    _, data = describe(case)
    compiled = compiled_model_for(case)
    return _sample(compiled, data, draws=draws, chains=chains, tune=tune, seed=seed)


def _sample(
    compiled: CompiledUncertaintyModel,
    data: ModelData,
    *,
    draws: int,
    chains: int,
    tune: int,
    seed: int,
) -> dict[str, np.ndarray]:
    import nutpie

    trace = nutpie.sample(
        compiled.compiled.with_data(**data.as_dict()),
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed,
        progress_bar=False,
        save_warmup=False,
    )
    names = (LIKELIHOOD_VAR, CREDIBILITY_VAR, POSTERIOR_VAR)
    return {name: trace.posterior[name].values for name in names if name in trace.posterior}


def summarise(posterior: dict[str, np.ndarray], *, draws: int, chains: int) -> UncertaintySummary:
    """Mean and 90% interval of ``p_h``; worst R-hat and bulk ESS over all variables."""
    p = posterior[POSTERIOR_VAR]
    flat = p.reshape(-1, p.shape[-1])
    columns = np.concatenate([v.reshape(v.shape[0], v.shape[1], -1) for v in posterior.values()], 2)
    r_hats, esses = convergence(columns)
    r_hat, ess = float(np.nanmax(r_hats)), float(np.nanmin(esses))
    low, high = np.quantile(flat, INTERVAL, axis=0)
    return UncertaintySummary(
        mean=flat.mean(axis=0),
        low=low,
        high=high,
        r_hat_max=r_hat,
        ess_min=ess,
        draws=draws,
        chains=chains,
        sampler=SAMPLER,
        warnings=tuple(convergence_warnings(r_hat, ess, draws)),
    )


def convergence_warnings(r_hat: float, ess: float, draws: int) -> list[str]:
    """Plain-language warnings, with what to do, when the sampler has not done its job."""
    more = f"rerun with more draws (--draws {2 * draws}; this run used {draws} per chain)"
    notes = []
    if not r_hat <= R_HAT_LIMIT:
        notes.append(
            f"The uncertainty run has not settled (R-hat {r_hat:.3f} > {R_HAT_LIMIT}), so its "
            f"intervals may be wrong: {more}, or narrow the widest ranges."
        )
    if not ess >= ESS_LIMIT:
        notes.append(
            f"The uncertainty run has too few independent draws (effective sample size "
            f"{ess:.0f} < {ESS_LIMIT:.0f}), so its intervals are rough: {more}."
        )
    return notes


def _fixed_summary(case: Case, draws: int, chains: int, seconds: float) -> UncertaintySummary:
    posterior = analyze(case).posterior
    return UncertaintySummary(
        mean=posterior,
        low=posterior.copy(),
        high=posterior.copy(),
        r_hat_max=1.0,
        ess_min=float(draws * chains),
        draws=draws,
        chains=chains,
        sampler="none (every number is fixed)",
        seconds=seconds,
    )


# -- convergence diagnostics ------------------------------------------------------------
# ArviZ's rank-normalised split R-hat and bulk ESS (Vehtari et al. 2021), vectorised
# over the last axis: ``az.rhat``/``az.ess`` loop over variables in Python, which
# costs 0.5 s for the 380 parameters of a K=6, N=60 case. tests/test_uncertainty.py
# checks these agree with ArviZ.


def _split(x: np.ndarray) -> np.ndarray:
    """``(chains, draws, P)`` -> ``(2 chains, draws // 2, P)``."""
    half = x.shape[1] // 2
    return np.concatenate([x[:, :half], x[:, -half:]], axis=0)


def _z_scale(x: np.ndarray) -> np.ndarray:
    from scipy import special, stats

    n = x.shape[0] * x.shape[1]
    rank = stats.rankdata(x.reshape(n, -1), method="average", axis=0)
    return special.ndtri((rank - 0.375) / (n + 0.25)).reshape(x.shape)


def _rhat(x: np.ndarray) -> np.ndarray:
    n = x.shape[1]
    between = n * np.var(x.mean(axis=1), axis=0, ddof=1)
    within = np.var(x, axis=1, ddof=1).mean(axis=0)
    return np.sqrt((between / within + n - 1) / n)


def convergence(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rank-normalised split R-hat and bulk ESS of each column of ``(chains, draws, P)``."""
    split = _split(np.asarray(x, dtype=float))
    z = _z_scale(split)
    folded = np.abs(split - np.median(split.reshape(-1, split.shape[-1]), axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        r_hat = np.maximum(_rhat(z), _rhat(_z_scale(folded)))
        ess = _ess(z)
    return r_hat, ess


def _ess(z: np.ndarray) -> np.ndarray:
    """Effective sample size of split, z-scaled draws ``(chains, draws, P)``."""
    m, n, _ = z.shape
    centred = z - z.mean(axis=1, keepdims=True)
    size = 1 << (2 * n - 1).bit_length()
    spectrum = np.fft.rfft(centred, n=size, axis=1)
    acov = np.fft.irfft(spectrum * np.conjugate(spectrum), n=size, axis=1)[:, :n] / n
    mean_var = acov[:, 0].mean(axis=0) * n / (n - 1.0)
    var_plus = mean_var * (n - 1.0) / n + np.var(z.mean(axis=1), axis=0, ddof=1)
    rho = 1.0 - (mean_var - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    # Geyer's initial positive then monotone sequence over pairs (rho[2k], rho[2k+1]);
    # the sum stops before the first pair that is not positive.
    n_pairs = (n - 1) // 2
    pairs = rho[: 2 * n_pairs].reshape(n_pairs, 2, -1).sum(axis=1)
    ends = np.vstack([pairs[1:] <= 0, np.ones((1, pairs.shape[1]), bool)])
    first = np.argmax(ends, axis=0) + 1
    ran_out = first >= n_pairs
    stop = np.where(ran_out, n_pairs - 1, first)
    kept = np.arange(n_pairs)[:, None] < stop[None, :]
    monotone = np.minimum.accumulate(pairs, axis=0)
    tail = rho[2 * stop, np.arange(rho.shape[1])]
    tail = np.where(ran_out, tail, np.maximum(tail, 0.0))
    tau = -1.0 + 2.0 * np.where(kept, monotone, 0.0).sum(axis=0) + tail
    total = m * n
    tau = np.maximum(tau, 1.0 / np.log10(total))
    return np.where(np.isfinite(tau), total / tau, np.nan)
