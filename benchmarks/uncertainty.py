"""Time the uncertainty run and print the figures (the README's performance table).

For the seed case and generated cases of growing N and K:

* first run in a new process, from interpreter start to the summary: cold (an empty
  model store and PyTensor cache: PyMC builds the model and nutpie compiles it, what
  ``make`` pays once per install) and warm (the store, ``.venv/ach-models``, holding the
  compiled model, as ``make run`` and ``make test`` leave it: loaded without PyMC);
* re-sample after changing one number (the compiled model is reused), with R-hat and
  ESS;
* the exact conjugate sampler (:mod:`analysis.testing.conjugate`) drawing as many i.i.d.
  draws (median of five runs, as the re-sample), for scale, and how far the two means
  are apart;
* after warm-up, an added item and an added hypothesis (new structures, same compiled
  model), each re-sampled against the seed's re-sample;
* the ratios of issue 11, each next to its target, all from this one run.

``--routes`` also times one log-density-and-gradient evaluation of the compiled model
with PyMC's ``pm.Beta`` against the logit-Beta potential the model uses, and PyMC's own
``pm.sample`` against nutpie (the comparisons that chose them).

Run: .venv/bin/python benchmarks/uncertainty.py [--routes]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.case import Case, Prob  # noqa: E402
from analysis.casefile.loader import load_case  # noqa: E402
from analysis.testing.synthetic import synthetic_case  # noqa: E402

CASES = ("nk-hamas", "k6-n60")


def get_case(name: str) -> Case:
    if name == "k6-n60":
        return synthetic_case(6, 60, seed=1)
    return load_case(name, ROOT)


def nudge(case: Case, step: float) -> Case:
    """The case with one point likelihood moved by ``step`` (a slider change)."""
    for i, item in enumerate(case.evidence):
        for h, prob in item.likelihoods.items():
            if prob.origin == "point" and 0.1 < prob.value < 0.9:
                likelihoods = {**item.likelihoods, h: Prob(prob.value + step)}
                evidence = list(case.evidence)
                evidence[i] = replace(item, likelihoods=likelihoods)
                return case.with_changes(evidence=tuple(evidence))
    raise ValueError("no point likelihood to move")


def first_run(name: str) -> None:
    """In a fresh process: load, compile and sample once; print the stages as JSON."""
    start = time.perf_counter()
    from analysis.uncertainty.sampler import compiled_model_for, run_uncertainty

    case = get_case(name)
    loaded = time.perf_counter()
    model = compiled_model_for(case)
    compiled = time.perf_counter()
    summary = run_uncertainty(case, seed=0)
    done = time.perf_counter()
    stages = {"load": loaded - start, "compile": compiled - loaded, "sample": done - compiled}
    extra = {"origin": model.origin, "r_hat": summary.r_hat_max, "ess": summary.ess_min}
    print(json.dumps({**stages, **extra}))


def timed_first_run(name: str, empty: str | None) -> tuple[float, dict]:
    """Seconds of a first run in a new process; ``empty``, if given, is an empty folder
    to hold its model store and PyTensor cache (a cold start)."""
    from analysis.uncertainty.native import STORE_VARIABLE

    env = dict(os.environ)
    if empty is not None:
        env["PYTENSOR_FLAGS"] = f"compiledir={empty}/pytensor"
        env[STORE_VARIABLE] = f"{empty}/models"
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--first-run", name],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    total = time.perf_counter() - start
    return total, json.loads(out.stdout.strip().splitlines()[-1])


def resample(case: Case, repeat: int = 5) -> tuple[float, float, float]:
    """Median seconds of a re-sample after a one-number change; worst R-hat, ESS."""
    from analysis.uncertainty.sampler import compiled_model_for, run_uncertainty

    compiled_model_for(case)
    run_uncertainty(case, seed=0)
    times, r_hats, esses = [], [], []
    for k in range(repeat):
        changed = nudge(case, 0.01 * (k + 1))
        assert compiled_model_for(changed) is compiled_model_for(case)
        summary = run_uncertainty(changed, seed=k + 1)
        times.append(summary.seconds)
        r_hats.append(summary.r_hat_max)
        esses.append(summary.ess_min)
    return statistics.median(times), max(r_hats), min(esses)


def exact(case: Case, draws: int, repeat: int = 5) -> float:
    """Median seconds the exact conjugate sampler takes for ``draws`` i.i.d. draws (a
    median of as many runs as the re-sample's)."""
    from analysis.testing.conjugate import sample_exact

    times = []
    for k in range(repeat):
        start = time.perf_counter()
        sample_exact(case, draws, seed=k)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pymc_sample(case: Case, draws: int) -> tuple[float, float]:
    """PyMC's default NUTS on the same model: first call (compiles), then after set_data."""
    import logging

    import pymc as pm

    from analysis.uncertainty.model import bucket, build_model, describe, model_inputs

    logging.getLogger("pymc").setLevel(logging.ERROR)
    structure, data = describe(case)
    size = bucket(structure.n_parameters)
    model = build_model(size, model_inputs(structure, data, size))
    times = []
    for k, target in enumerate((case, nudge(case, 0.02))):
        start = time.perf_counter()
        with model, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pm.set_data(model_inputs(*describe(target), size))
            pm.sample(
                draws=draws,
                tune=300,
                chains=2,
                cores=2,
                random_seed=k,
                progressbar=False,
                compute_convergence_checks=False,
            )
        times.append(time.perf_counter() - start)
    return times[0], times[1]


def gradient_cost(case: Case, repeat: int = 3000) -> dict[str, float]:
    """Microseconds per log density + gradient (NUMBA mode): pm.Beta against the logit-Beta
    potential, both on the same Beta parameters, and the whole model."""
    import pymc as pm
    import pytensor.tensor as pt

    from analysis.uncertainty.model import bucket, build_model, describe, model_inputs

    structure, data = describe(case)
    size = bucket(structure.n_parameters)
    inputs = model_inputs(structure, data, size)
    with pm.Model() as beta:
        pm.Beta("theta", alpha=pm.Data("a", inputs["alpha"]), beta=pm.Data("b", inputs["beta"]))
    with pm.Model() as logit:
        a, b = pm.Data("a", inputs["alpha"]), pm.Data("b", inputs["beta"])
        z = pm.Flat("z", shape=size)
        pm.Potential("p", (-a * pt.softplus(-z) - b * pt.softplus(z)).sum())
    found = {}
    for name, model in (
        ("pm.Beta prior", beta),
        ("logit-Beta potential", logit),
        ("whole model", build_model(size, inputs)),
    ):
        function = model.logp_dlogp_function(mode="NUMBA", ravel_inputs=True)._pytensor_function
        function.trust_input = True
        x = np.full(size, 0.1)
        function(x)
        start = time.perf_counter()
        for _ in range(repeat):
            function(x)
        found[name] = 1e6 * (time.perf_counter() - start) / repeat
    return found


FLOOR = "import numpy, pydantic, yaml, typer, rich"


def import_floor(repeat: int = 3) -> float:
    """Median seconds of a fresh interpreter importing the CLI's basic libraries."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", FLOOR], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def with_added_item(case: Case) -> Case:
    """The case with one more item (a copy of the first lone item under a new id)."""
    first = next(item for item in case.evidence if item.event is None and not item.retracted)
    extra = replace(first, id=f"{first.id}-copy")
    return case.with_changes(evidence=(*case.evidence, extra))


def with_added_hypothesis(case: Case) -> Case:
    """The case with one more hypothesis (even odds for every item and event under it)."""
    from analysis.case import Hypothesis

    extra = Hypothesis("extra", "Another explanation")
    hypotheses = tuple(replace(h, prior=None) for h in (*case.hypotheses, extra))

    def grown(thing):
        if not thing.likelihoods or getattr(thing, "event", None) is not None:
            return thing
        return replace(thing, likelihoods={**thing.likelihoods, "extra": Prob(0.5)}, ratings={})

    return case.with_changes(
        hypotheses=hypotheses,
        evidence=tuple(grown(i) for i in case.evidence),
        events=tuple(grown(e) for e in case.events),
        indicators=tuple(grown(i) for i in case.indicators),
    )


def edits(case: Case) -> dict[str, tuple[float, bool]]:
    """After the seed has run: each structural edit's run time and whether it reused the
    compiled model (no compile)."""
    from analysis.uncertainty.sampler import run_uncertainty

    run_uncertainty(case, seed=0)
    found = {}
    for name, edit in (
        ("added item", with_added_item),
        ("added hypothesis", with_added_hypothesis),
    ):
        changed = edit(case)
        before = _compiled_count()
        start = time.perf_counter()
        run_uncertainty(changed, seed=1)
        found[name] = (time.perf_counter() - start, _compiled_count() == before)
    return found


def _compiled_count() -> int:
    from analysis.uncertainty import sampler

    return len(sampler._CACHE)


def ratio(value: float, target: float) -> str:
    return f"{value:6.2f}x (target <= {target:g}x: {'met' if value <= target else 'NOT met'})"


def main(routes: bool) -> None:
    from analysis.testing.conjugate import exact_posterior
    from analysis.uncertainty.model import bucket, describe
    from analysis.uncertainty.sampler import default_draws, posterior_draws

    floor = import_floor()
    print(
        f"{'case':<9} {'N':>4} {'K':>3} {'params':>6} {'size':>4} {'draws':>5} "
        f"{'cold 1st (s)':>12} {'warm 1st (s)':>12} {'re-sample (s)':>13} {'R-hat':>6} "
        f"{'ESS':>5} {'exact (s)':>9} {'|mean diff|':>11}"
    )
    rows = []
    for name in CASES:
        case = get_case(name)
        structure = describe(case)[0]
        draws = default_draws(structure.n_parameters)
        with tempfile.TemporaryDirectory() as fresh:
            cold, cold_stages = timed_first_run(name, fresh)
        timed_first_run(name, None)  # make sure the store holds this model
        warm, warm_stages = timed_first_run(name, None)
        seconds, r_hat, ess = resample(case)
        exact_seconds = exact(case, 2 * draws)
        mcmc = posterior_draws(case, draws=draws, seed=0)["p_h"].reshape(-1, len(case.hypotheses))
        diff = float(np.max(np.abs(mcmc.mean(axis=0) - exact_posterior(case))))
        print(
            f"{name:<9} {len(case.evidence):>4} {len(case.hypotheses):>3} "
            f"{structure.n_parameters:>6} {bucket(structure.n_parameters):>4} {draws:>5} "
            f"{cold:>12.1f} {warm:>12.1f} {seconds:>13.2f} {r_hat:>6.3f} {ess:>5.0f} "
            f"{exact_seconds:>9.2f} {diff:>11.4f}",
            flush=True,
        )
        rows.append((name, cold_stages, warm_stages, case, draws))
        if name == CASES[0]:
            seed_row = (cold, warm, seconds, exact_seconds, edits(case))

    cold, warm, resampled, exact_seconds, edited = seed_row
    print(f"\nratios, seed case (import floor {floor:.2f} s: python -c '{FLOOR}')")
    print(f"  first result in a new process, model stored / floor {ratio(warm / floor, 20)}")
    print(f"  (cold, empty store: PyMC builds, nutpie compiles: {cold / floor:.1f}x, paid by make)")
    exact_ratio = ratio(resampled / exact_seconds, 5)
    print(f"  re-sample / exact conjugate sampler (same draws)    {exact_ratio}")
    for label, (seconds, reused) in edited.items():
        note = "same compiled model" if reused else "compiled a new model"
        print(f"  {label + ' / re-sample':<52}{ratio(seconds / resampled, 2)} ({note})")

    print("\nfirst-run stages (s): load case / compile or load the model / sample+summary")
    for name, cold_stages, warm_stages, _, _ in rows:
        for label, stages in (("cold", cold_stages), ("warm", warm_stages)):
            print(
                f"  {name:<9} {label}: {stages['load']:.2f} / {stages['compile']:.2f} "
                f"({stages['origin']}) / {stages['sample']:.2f}"
            )
    if not routes:
        return
    print("\nlog density + gradient, one evaluation (us), seed case")
    for label, micro in gradient_cost(rows[0][3]).items():
        print(f"  {label:<22} {micro:8.1f}")
    print("\nsampler comparison, same model (s): first run in-process / re-sample")
    for name, _, _, case, draws in rows:
        first, again = pymc_sample(case, draws)
        print(f"  {name:<9} pm.sample (default NUTS): {first:.1f} / {again:.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--first-run":
        first_run(sys.argv[2])
    else:
        main("--routes" in sys.argv)
