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
#: The most draws per chain a run takes: 13 times the seed case's default, about 2 s
#: there; beyond it the draws of a large case outgrow memory (a hundred million draws
#: asked the sampler for 51 GB).
MAX_DRAWS = 20_000
#: The largest seed: every sampler and generator the runs use takes it as it is.
MAX_SEED = 2**31 - 1
#: The most uncertain numbers a run samples (the compiled size 2048). Measured on this
#: project's 2-core machine: 1537 numbers (K=10, N=150) took 52 s for the first run of a
#: new process, compile included, 14 s to re-sample and 1.6 GB; 10 000 (1000 items x 10)
#: ran past 120 s and 3.4 GB without a result.
MAX_UNCERTAIN = 2048

# ArviZ 0.23 (imported by PyMC) prints a once-a-day notice of its coming refactor on
# import: meant for developers using ArviZ, not for an analyst starting the dashboard
# or ``make precompile`` (the suite names the same notice in pyproject.toml).
warnings.filterwarnings(
    "ignore", message=r"\s*ArviZ is undergoing a major refactor", category=FutureWarning
)
