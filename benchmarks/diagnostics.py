"""R-hat and ESS: our vectorised functions against arviz-stats' array functions.

analysis/uncertainty/sampler.py computes the rank-normalised split R-hat and the bulk
ESS (Vehtari et al. 2021) for every parameter at once. arviz-stats (in the lock as
ArviZ's dependency) offers the same as array functions. This times both on draws shaped
like the seed case's run (2 chains x 1500 draws x 127 columns: 103 parameters and the
posteriors) and a K=6, N=60 run (2 x 2000 x 381), and prints the largest disagreement.

Run: .venv/bin/python benchmarks/diagnostics.py
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.uncertainty.sampler import convergence

SHAPES = {"seed (2 x 1500 x 127)": (2, 1500, 127), "K=6 N=60 (2 x 2000 x 381)": (2, 2000, 381)}


def draws(shape: tuple[int, int, int], seed: int = 0) -> np.ndarray:
    """Autocorrelated draws (AR(1), rho 0.3), as a sampler gives."""
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(shape)
    x = np.empty(shape)
    x[:, 0] = noise[:, 0]
    for t in range(1, shape[1]):
        x[:, t] = 0.3 * x[:, t - 1] + noise[:, t]
    return x


def median_ms(function, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def main() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from arviz_stats.base import array_stats

    def theirs(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        moved = np.moveaxis(x, -1, 0)  # (P, chains, draws)
        return (
            array_stats.rhat(moved, chain_axis=-2, draw_axis=-1, method="rank"),
            array_stats.ess(moved, chain_axis=-2, draw_axis=-1, method="bulk"),
        )

    print(
        f"{'draws':<27} {'ours (ms)':>9} {'arviz-stats (ms)':>16} {'max |R-hat diff|':>16} "
        f"{'max ESS rel. diff':>17}"
    )
    for name, shape in SHAPES.items():
        x = draws(shape)
        ours_r, ours_e = convergence(x)
        their_r, their_e = theirs(x)
        print(
            f"{name:<27} {median_ms(lambda x=x: convergence(x)):>9.1f} "
            f"{median_ms(lambda x=x: theirs(x)):>16.1f} "
            f"{np.max(np.abs(ours_r - their_r)):>16.2e} "
            f"{np.max(np.abs(ours_e / their_e - 1)):>17.2e}"
        )


if __name__ == "__main__":
    main()
