"""Uncertainty from imprecise numbers: the PyMC model and its nutpie run.

Importing this package is cheap: ``model`` and ``sampler`` import PyMC only when a run
is asked for, so ``import analysis`` and ``ach analyze`` never pay for it.
"""

import warnings

#: Convergence thresholds (Vehtari et al. 2021): above / below these a run is not trusted.
R_HAT_LIMIT = 1.01
ESS_LIMIT = 400.0
#: The fewest draws per chain a run takes: split in halves, fewer than 6 leave R-hat and
#: ESS nothing to compute, and below 100 they say little.
MIN_DRAWS = 100

# ArviZ 0.23 (imported by PyMC) prints a once-a-day notice of its coming refactor on
# import: meant for developers using ArviZ, not for an analyst starting the dashboard
# or ``make precompile`` (the suite names the same notice in pyproject.toml).
warnings.filterwarnings(
    "ignore", message=r"\s*ArviZ is undergoing a major refactor", category=FutureWarning
)
