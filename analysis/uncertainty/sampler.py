"""The uncertainty run: how sure is the conclusion, given how unsure the numbers are?

PyMC states the model (:mod:`analysis.uncertainty.model`); nutpie compiles it and
samples it (chosen by measurement against ``pm.sample``; see the README). The model's
structure is data, so one compiled model per *size* (:func:`~analysis.uncertainty.model.bucket`,
a power of two of uncertain numbers) serves every case that fits it for the life of the
process: a slider change, an added item, hypothesis or event re-samples without a new
compile. Compiled models are also kept on disk (:mod:`analysis.uncertainty.native`), so
a new process loads the machine code in a fraction of a second without importing PyMC.
:func:`sample_compiled` and :func:`compiled` are shared with the analysts' ``bayes``
pool (:mod:`analysis.uncertainty.pool`).

This module is imported only for an uncertainty run: ``import analysis`` and the
closed-form path never load PyMC, PyTensor or nutpie.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from analysis.case import Case
from analysis.engine.analyzer import UncertaintySummary, analyze
from analysis.errors import AchError
from analysis.uncertainty import (
    ESS_LIMIT,
    MAX_DRAWS,
    MAX_SEED,
    MAX_UNCERTAIN,
    MIN_DRAWS,
    R_HAT_LIMIT,
    native,
)
from analysis.uncertainty.diagnostics import convergence
from analysis.uncertainty.model import (
    LOGIT_VAR,
    POSTERIOR_VAR,
    THETA_VAR,
    ModelData,
    Structure,
    beyond_reach,
    bucket,
    build_model,
    describe,
    model_inputs,
    posterior_given,
    theta_of,
)
from analysis.uncertainty.native import NativeModel
from analysis.uncertainty.threads import in_two_threads
from analysis.wording import count

#: Draws per chain when the caller gives none: R-hat is a maximum over every
#: parameter, so larger models need more draws to keep chance excursions below 1.01.
#: At K=6, N=60 (375 numbers) over ten seeds 2000 reached 1.0104 once (a warning);
#: 2500: the worst 1.0056, for a third more time (3000: 1.0055).
DRAWS = 1500
DRAWS_LARGE = 2500
LARGE_MODEL = 150  # parameters
#: Tuning draws per chain: 150 took a tenth fewer gradient evaluations than 300 on the
#: seed case (12 100 against 13 400 per chain), with the worst R-hat and ESS over
#: fifteen seeds 1.0061 and 1433 (300: 1.0081 and 1405). Larger models keep 300: at
#: K=6, N=60 150 saved 6% but one of ten seeds reached R-hat 1.0107 (300: 1.0096 on
#: the same seeds; the mean 1.006 either way), no margin below 1.01.
TUNE = 150
TUNE_LARGE = 300
#: The step size adaptation's goal for the uncertainty run: nutpie's default, 0.8, took
#: a fifth more gradient evaluations on the seed case for the same R-hat and ESS (the
#: logit-Beta posterior is smooth); the analysts' pool keeps nutpie's default.
TARGET_ACCEPT = 0.7
#: The interval reported for each hypothesis.
INTERVAL = (0.05, 0.95)
SAMPLER = "nutpie"

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class CompiledModel:
    """A compiled model, the seconds it took to get, and from where: ``"compiled"``
    (PyMC built it, nutpie compiled it) or ``"stored"`` (loaded from the disk store)."""

    key: Hashable
    compiled: NativeModel
    seconds: float
    origin: str = "compiled"


_CACHE: dict[Hashable, CompiledModel] = {}
_LOCK = threading.Lock()


def compiled(key: Hashable, build: Callable[[], Any], names: tuple[str, ...]) -> CompiledModel:
    """The model ``build()`` (a ``pm.Model``) compiled, storing the variables ``names``:
    once per ``key`` per process, and once per machine while the store
    (:mod:`analysis.uncertainty.native`) keeps it: a new process loads it without
    importing PyMC."""
    with _LOCK:
        found = _CACHE.get(key)
        if found is None:
            start = time.perf_counter()
            path = native.path_for((key, names))
            loaded = native.load(path)
            if loaded is not None:
                found = CompiledModel(key, loaded, time.perf_counter() - start, "stored")
            else:
                model = native.from_pymc(build(), names)
                native.save(model, path)
                found = CompiledModel(key, model, time.perf_counter() - start)
            _CACHE[key] = found
    return found


def clear_cache() -> None:
    """Forget every compiled model (tests and benchmarks use this)."""
    with _LOCK:
        _CACHE.clear()


def compiled_model_for(case: Case, structure: Structure | None = None) -> CompiledModel:
    """The compiled model ``case`` runs on: the one of its size, compiled on first use
    (``structure``: ``case``'s, if the caller has it)."""
    structure = structure or describe(case)[0]
    return compiled_for_size(bucket(structure.n_parameters), case)


def compiled_for_size(size: int, case: Case) -> CompiledModel:
    """The compiled model of ``size`` uncertain numbers (``case`` gives its first data)."""

    def build():
        structure, data = describe(case)
        return build_model(size, model_inputs(structure, data, size))

    return compiled(("uncertainty", size), build, (LOGIT_VAR,))


def sizes_at_hand(n_parameters: int) -> tuple[int, ...]:
    """The compiled sizes a case of ``n_parameters`` uncertain numbers keeps at hand: its
    own and the next one up, which an edit that grows the case needs (none if nothing
    is uncertain; none past :data:`~analysis.uncertainty.MAX_UNCERTAIN`, which no run
    samples)."""
    if n_parameters == 0 or n_parameters > MAX_UNCERTAIN:
        return ()
    size = bucket(n_parameters)
    return tuple(s for s in (size, 2 * size) if s <= bucket(MAX_UNCERTAIN))


def warm_up(case: Case) -> None:
    """Compile and run once everything ``case``'s uncertainty run needs, then compile the
    other sizes at hand, so that the run, and any edit that grows the case, waits for no
    compiler (the dashboard calls this in a background thread at start; ``make`` stores
    the seed case's sizes at install, so there it only loads them)."""
    sizes = sizes_at_hand(describe(case)[0].n_parameters)
    if not sizes:
        return
    run_uncertainty(case, draws=100, tune=50, chains=1)
    for size in sizes[1:]:
        compiled_for_size(size, case)


def sample_compiled(
    model: CompiledModel,
    inputs: dict[str, np.ndarray],
    names: tuple[str, ...],
    *,
    draws: int,
    chains: int,
    tune: int,
    seed: int,
    target_accept: float | None = None,
) -> dict[str, np.ndarray]:
    """Sample ``model`` fed ``inputs``; the draws ``(chains, draws, ...)`` of ``names``
    (``target_accept``: see :func:`analysis.uncertainty.native.sample`)."""
    found = native.sample(
        model.compiled,
        inputs,
        draws=draws,
        chains=chains,
        tune=tune,
        seed=seed,
        target_accept=target_accept,
    )
    return {name: found[name] for name in names if name in found}


def worst_convergence(draws: dict[str, np.ndarray]) -> tuple[float, float]:
    """The largest R-hat and the smallest bulk ESS over every column of ``draws``."""
    return _worst([convergence(np.concatenate([_columns(v) for v in draws.values()], 2))])


def _columns(draws: np.ndarray) -> np.ndarray:
    """``(chains, draws, ...)`` -> ``(chains, draws, P)``: one column per variable's cell."""
    return draws.reshape(draws.shape[0], draws.shape[1], -1)


def _worst(checked: list[tuple[np.ndarray, np.ndarray]]) -> tuple[float, float]:
    """The largest R-hat and the smallest ESS over the columns of every ``(r_hats,
    esses)`` in ``checked`` (NaN where every column's is)."""
    r_hats = np.concatenate([r for r, _ in checked])
    esses = np.concatenate([e for _, e in checked])
    return float(np.nanmax(r_hats)), float(np.nanmin(esses))


def default_draws(n_parameters: int) -> int:
    """Draws per chain for a model of this many uncertain numbers (see :data:`DRAWS_LARGE`)."""
    return DRAWS_LARGE if n_parameters > LARGE_MODEL else DRAWS


def default_tune(n_parameters: int) -> int:
    """Tuning draws per chain for a model of this many uncertain numbers (see :data:`TUNE`)."""
    return TUNE_LARGE if n_parameters > LARGE_MODEL else TUNE


def run_uncertainty(
    case: Case,
    *,
    draws: int | None = None,
    chains: int = 2,
    seed: int = 0,
    tune: int | None = None,
    progress: Progress | None = None,
) -> UncertaintySummary:
    """Sample the analyst's imprecision and summarise ``P(H | E, theta)``.

    ``draws`` per chain defaults to :func:`default_draws` (1500, or 2500 for models
    of more than 150 uncertain numbers), ``tune`` to :func:`default_tune` (150, or
    300). ``progress``, if given, is called as
    ``progress(fraction, message)`` between stages (the dashboard's progress bar).
    The same ``seed`` gives the same numbers.
    """
    report = progress or (lambda fraction, message: None)
    start = time.perf_counter()
    check_seed(seed)
    structure, data = describe(case)
    draws = draws or default_draws(structure.n_parameters)
    if structure.n_parameters == 0:
        report(1.0, "No uncertain numbers: the closed form is exact")
        return _fixed_summary(case, draws, chains, time.perf_counter() - start)
    check_draws(draws)
    check_size(structure.n_parameters)

    report(0.0, "Loading the compiled model (compiling it if this size is new)")
    compiled_model_for(case, structure)
    report(0.5, f"Sampling {chains} chains x {draws} draws")
    posterior, checked = _checked_draws(
        case, draws=draws, chains=chains, tune=tune, seed=seed, described=(structure, data)
    )
    report(0.9, "Checking convergence")
    summary = summarise(posterior, draws=draws, chains=chains, checked=checked)
    report(1.0, "Done")
    notes = (*summary.warnings, *reach_warnings(beyond_reach(case)))
    return replace(summary, warnings=notes, seconds=time.perf_counter() - start)


def check_draws(draws: int) -> None:
    """Refuse fewer than :data:`~analysis.uncertainty.MIN_DRAWS` or more than
    :data:`~analysis.uncertainty.MAX_DRAWS` draws per chain, saying what to do (the
    dashboard shows the message; the CLI's ``--draws`` has the same bounds)."""
    if draws < MIN_DRAWS:
        raise ValueError(
            f"{draws} draws per chain are too few to check the run (R-hat and ESS): "
            f"use at least {MIN_DRAWS}, or 0 for the automatic number"
        )
    if draws > MAX_DRAWS:
        raise ValueError(
            f"{draws} draws per chain are more than a run takes: use at most {MAX_DRAWS}, "
            "or 0 for the automatic number"
        )


class TooLarge(AchError):
    """A case with more uncertain numbers than a run samples."""


def check_size(n_parameters: int) -> None:
    """Refuse a model of more than :data:`~analysis.uncertainty.MAX_UNCERTAIN` uncertain
    numbers before anything is compiled, saying what the results still hold."""
    if n_parameters > MAX_UNCERTAIN:
        raise TooLarge(
            f"the uncertainty run samples at most {MAX_UNCERTAIN:,} uncertain numbers and "
            f"this case has {n_parameters:,} (every likelihood and credibility other than 0 "
            "or 1); the exact posterior, sensitivity and linchpins do not need it"
        )


def check_seed(seed: int) -> None:
    """Refuse a seed outside 0 to :data:`~analysis.uncertainty.MAX_SEED`."""
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"the seed is {seed}; give a whole number from 0 to {MAX_SEED}")


def posterior_draws(
    case: Case, *, draws: int = DRAWS, chains: int = 2, seed: int = 0, tune: int | None = None
) -> dict[str, np.ndarray]:
    """Draws ``(chains, draws, ...)`` of the uncertain numbers ``theta`` (padding left
    out) and of ``p_h`` = P(H | E, theta): what the summary reads (``tune``: see
    :func:`default_tune`)."""
    return _checked_draws(case, draws=draws, chains=chains, tune=tune, seed=seed, check=False)[0]


def _checked_draws(
    case: Case,
    *,
    draws: int,
    chains: int,
    tune: int | None,
    seed: int,
    check: bool = True,
    described: tuple[Structure, ModelData] | None = None,
) -> tuple[dict[str, np.ndarray], list[tuple[np.ndarray, np.ndarray]]]:
    """:func:`posterior_draws` and, if ``check``, the R-hat and ESS of every column
    (:func:`convergence` of ``theta``, then of ``p_h``). ``theta``'s, most of the
    columns, are checked in a second thread while ``P(H | E, theta)`` is computed, so
    both cores stay busy: the seed case's steps after sampling 33-37 -> 29-33 ms (at
    K=6, N=60, where ``P(H | E, theta)`` already takes both cores, no change);
    ``described``: :func:`describe` of ``case``, if the caller has it."""
    structure, data = described or describe(case)
    tune = default_tune(structure.n_parameters) if tune is None else tune
    model = compiled_model_for(case, structure)
    size = model.key[1]
    inputs = model_inputs(structure, data, size)
    settings = dict(draws=draws, chains=chains, tune=tune, seed=seed)
    found = sample_compiled(model, inputs, (LOGIT_VAR,), **settings, target_accept=TARGET_ACCEPT)
    n = structure.n_parameters  # the padding is read by nothing
    theta = theta_of(found[LOGIT_VAR][..., :n])

    def posterior() -> np.ndarray:
        return posterior_given(theta.reshape(-1, n), inputs).reshape(*theta.shape[:2], -1)

    if not check:
        return {THETA_VAR: theta, POSTERIOR_VAR: posterior()}, []
    jobs = [lambda: convergence(_columns(theta)), posterior]
    theta_checked, p = in_two_threads(lambda job: job(), jobs)
    return {THETA_VAR: theta, POSTERIOR_VAR: p}, [theta_checked, convergence(_columns(p))]


def summarise(
    posterior: dict[str, np.ndarray],
    *,
    draws: int,
    chains: int,
    checked: list[tuple[np.ndarray, np.ndarray]] | None = None,
    run: str = "uncertainty",
) -> UncertaintySummary:
    """Mean and 90% interval of ``p_h``; worst R-hat and bulk ESS over all variables
    (``checked``: every variable's ``(r_hats, esses)``, if already computed; ``run``:
    see :func:`convergence_warnings`)."""
    p = posterior[POSTERIOR_VAR]
    flat = p.reshape(-1, p.shape[-1])
    r_hat, ess = _worst(checked) if checked else worst_convergence(posterior)
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
        warnings=tuple(convergence_warnings(r_hat, ess, draws, run)),
    )


#: Each run as its warnings name it, and where its draws per chain are set.
_DRAWS_SETTING = {
    "uncertainty": (
        "The uncertainty run",
        "--draws on the command line, 'Draws per chain' on the Uncertainty page",
    ),
    "pool": ("The Bayes pool", "--draws with --pool bayes on the command line"),
}


def convergence_warnings(
    r_hat: float, ess: float, draws: int, run: str = "uncertainty"
) -> list[str]:
    """Plain-language warnings, with what to do, when the sampler has not done its job
    (``run``: ``uncertainty`` or ``pool``, the run named and where its draws are set)."""
    name, setting = _DRAWS_SETTING[run]
    more = f"rerun with more draws per chain (this run used {draws}; try {2 * draws}: {setting})"
    notes = []
    if not r_hat <= R_HAT_LIMIT:
        notes.append(
            f"{name} has not settled (R-hat {r_hat:.3f} > {R_HAT_LIMIT}), so its "
            f"intervals may be wrong: {more}, or narrow the widest ranges."
        )
    if not ess >= ESS_LIMIT:
        notes.append(
            f"{name} has too few independent draws (effective sample size "
            f"{ess:.0f} < {ESS_LIMIT:.0f}), so its intervals are rough: {more}."
        )
    return notes


def reach_warnings(numbers: list[str], shown: int = 3) -> list[str]:
    """The warning, with what to do, when some uncertain numbers lie beyond the sampler's
    reach (:func:`analysis.uncertainty.model.beyond_reach` names them)."""
    if not numbers:
        return []
    listed = "; ".join(numbers[:shown])
    more = f"; and {len(numbers) - shown} more" if len(numbers) > shown else ""
    return [
        f"The uncertainty run cannot follow {count(len(numbers), 'number')} this close to 0 "
        f"or 1 at the imprecision given ({listed}{more}): the Beta distribution of such a "
        "number puts much of its weight so near 0 or 1 that the sampler cannot explore it, "
        "so the intervals may be wrong even when the run settles. Give a single number a "
        "range (e.g. [0.001, 0.01]) or raise defaults.concentration in the evidence file; "
        "move a range's ends away from 0 and 1."
    ]


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
