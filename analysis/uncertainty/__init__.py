"""Uncertainty from imprecise numbers: the PyMC model and its nutpie run.

Importing this package is cheap: ``model`` and ``sampler`` import PyMC only when a run
is asked for, so ``import analysis`` and ``ach analyze`` never pay for it.
"""

#: Convergence thresholds (Vehtari et al. 2021): above / below these a run is not trusted.
R_HAT_LIMIT = 1.01
ESS_LIMIT = 400.0
