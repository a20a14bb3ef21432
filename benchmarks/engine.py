"""Time a full exact analysis at three sizes and print the figures.

A full analysis is everything ``analyze`` does: effective likelihoods, posterior,
contributions, leave-one-out and linchpins, trajectory, diagnosticity, Heuer's
scores, indicators and confidence. "cold" builds the case's arrays from its
objects first (what a slider move pays); "arrays" times the array maths alone.

Run: .venv/bin/python benchmarks/engine.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from analysis import analyze
from analysis.engine import bayes
from analysis.testing.synthetic import synthetic_case

SIZES = ((4, 15), (10, 1000), (20, 5000))


def median_ms(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def array_maths(case) -> None:
    items = case.evidence
    effective = bayes.effective_likelihood(
        case.likelihood_matrix(items), case.credibility_vector(items), case.unreliable_vector(items)
    )
    log_effective = np.log(effective)
    bayes.log_posterior(case.prior, log_effective)
    bayes.centred_decibans(log_effective)
    bayes.leave_one_out(case.prior, log_effective)
    bayes.trajectory(case.prior, log_effective, np.arange(len(items)))
    bayes.diagnosticity(log_effective)


def main() -> None:
    print(f"{'K':>3} {'N':>5} {'full analysis (ms)':>19} {'array maths (ms)':>17}")
    for k, n in SIZES:
        case = synthetic_case(k, n, seed=1)
        repeat = 50 if n < 2000 else 15
        # a fresh Case object each time, so nothing cached is reused
        full = median_ms(lambda case=case: analyze(case.with_changes()), repeat)
        maths = median_ms(lambda case=case: array_maths(case), repeat)
        print(f"{k:>3} {n:>5} {full:>19.2f} {maths:>17.2f}")
    # the same sizes with every item one of four reports of an event, against no events
    print(f"{'K':>3} {'N':>5} {'with events / without':>22}")
    for k, n in SIZES:
        repeat = 30 if n < 2000 else 7
        plain = synthetic_case(k, n, seed=1)
        grouped = synthetic_case(k, n, seed=1, reports_per_event=4)
        ratios = [
            median_ms(lambda c=grouped: analyze(c.with_changes()), 1)
            / median_ms(lambda c=plain: analyze(c.with_changes()), 1)
            for _ in range(repeat)
        ]
        print(f"{k:>3} {n:>5} {statistics.median(ratios):>22.2f}")


if __name__ == "__main__":
    main()
