"""Time the uncertainty run and print the figures (the README's performance table).

For the seed case and a generated K=6, N=60 case:

* cold first run: a new process with an empty PyTensor compile cache (a fresh
  ``compiledir``), from interpreter start to the summary;
* warm first run: a new process with the disk cache present;
* re-sample after changing one number (the compiled model is reused), with R-hat and
  ESS;
* the exact conjugate sampler (:mod:`analysis.testing.conjugate`) drawing as many i.i.d.
  draws, for scale, and how far the two means are apart;
* PyMC's own ``pm.sample`` (default NUTS) on the same model, first run and
  re-sample, the comparison that chose nutpie.

Run: .venv/bin/python benchmarks/uncertainty.py
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
from analysis.testing.conjugate import exact_posterior, sample_exact  # noqa: E402
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
    compiled_model_for(case)
    compiled = time.perf_counter()
    summary = run_uncertainty(case, seed=0)
    done = time.perf_counter()
    stages = {"load": loaded - start, "compile": compiled - loaded, "sample": done - compiled}
    print(json.dumps({**stages, "r_hat": summary.r_hat_max, "ess": summary.ess_min}))


def timed_first_run(name: str, compiledir: str | None) -> tuple[float, dict]:
    env = dict(os.environ)
    if compiledir is not None:
        env["PYTENSOR_FLAGS"] = f"compiledir={compiledir}"
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


def exact(case: Case, draws: int) -> float:
    """Seconds the exact conjugate sampler takes for ``draws`` i.i.d. draws."""
    start = time.perf_counter()
    sample_exact(case, draws, seed=0)
    return time.perf_counter() - start


def pymc_sample(case: Case, draws: int) -> tuple[float, float]:
    """PyMC's default NUTS on the same model: first call (compiles), then after set_data."""
    import logging

    import pymc as pm

    from analysis.uncertainty.model import build_model, describe

    logging.getLogger("pymc").setLevel(logging.ERROR)
    structure, data = describe(case)
    model = build_model(structure, data)
    times = []
    for k, target in enumerate((case, nudge(case, 0.02))):
        start = time.perf_counter()
        with model, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pm.set_data(describe(target)[1].as_dict())
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
    """The case with one more item (a copy of the first under a new id): a new structure."""
    extra = replace(case.evidence[0], id=f"{case.evidence[0].id}-copy")
    return case.with_changes(evidence=(*case.evidence, extra))


def structural_edit(case: Case) -> float:
    """Seconds of the run after adding an item, in a process that has run ``case``."""
    from analysis.uncertainty.sampler import run_uncertainty

    run_uncertainty(case, seed=0)
    start = time.perf_counter()
    run_uncertainty(with_added_item(case), seed=1)
    return time.perf_counter() - start


def ratio(value: float, target: float) -> str:
    return f"{value:6.2f}x (target <= {target:g}x: {'met' if value <= target else 'NOT met'})"


def print_ratios(floor: float, seed_row: tuple) -> None:
    cold, warm, resampled, exact_seconds, edit = seed_row
    print(f"\nratios, seed case (import floor {floor:.2f} s: python -c '{FLOOR}')")
    print(f"  first result in a new process, cold cache / floor   {ratio(cold / floor, 20)}")
    print(f"  first result in a new process, warm cache / floor   {ratio(warm / floor, 20)}")
    exact_ratio = ratio(resampled / exact_seconds, 5)
    print(f"  re-sample / exact conjugate sampler (same draws)    {exact_ratio}")
    print(f"  run after adding an item / re-sample                {ratio(edit / resampled, 2)}")


def main() -> None:
    from analysis.uncertainty.model import describe
    from analysis.uncertainty.sampler import default_draws, posterior_draws

    print(
        f"{'case':<9} {'params':>6} {'draws':>5} {'cold 1st (s)':>12} {'warm 1st (s)':>12} "
        f"{'re-sample (s)':>13} {'R-hat':>6} {'ESS':>5} {'exact (s)':>9} {'|mean diff|':>11}"
    )
    rows = []
    for name in CASES:
        case = get_case(name)
        structure = describe(case)[0]
        draws = default_draws(structure.n_parameters)
        with tempfile.TemporaryDirectory() as fresh:
            cold, cold_stages = timed_first_run(name, fresh)
        timed_first_run(name, None)  # make sure the default cache holds this model
        warm, warm_stages = timed_first_run(name, None)
        seconds, r_hat, ess = resample(case)
        exact_seconds = exact(case, 2 * draws)
        mcmc = posterior_draws(case, draws=draws, seed=0)["p_h"].reshape(-1, len(case.hypotheses))
        diff = float(np.max(np.abs(mcmc.mean(axis=0) - exact_posterior(case))))
        print(
            f"{name:<9} {structure.n_parameters:>6} {draws:>5} {cold:>12.1f} {warm:>12.1f} "
            f"{seconds:>13.2f} {r_hat:>6.3f} {ess:>5.0f} {exact_seconds:>9.2f} {diff:>11.4f}"
        )
        rows.append((name, cold_stages, warm_stages, case, draws))
        if name == CASES[0]:
            seed_row = (cold, warm, seconds, exact_seconds, structural_edit(case))
    print_ratios(import_floor(), seed_row)

    print("\nfirst-run stages (s): load+import / compile / sample")
    for name, cold_stages, warm_stages, _, _ in rows:
        for label, stages in (("cold", cold_stages), ("warm", warm_stages)):
            print(
                f"  {name:<9} {label}: {stages['load']:.1f} / {stages['compile']:.1f} / "
                f"{stages['sample']:.2f}"
            )

    print("\nsampler comparison, same model (s): first run in-process / re-sample")
    for name, _, _, case, draws in rows:
        first, again = pymc_sample(case, draws)
        print(f"  {name:<9} pm.sample (default NUTS): {first:.1f} / {again:.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--first-run":
        first_run(sys.argv[2])
    else:
        main()
