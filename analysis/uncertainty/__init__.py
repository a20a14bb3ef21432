"""Uncertainty from imprecise numbers: the PyMC model and its nutpie run.

Importing this package is cheap: ``model`` and ``sampler`` import PyMC only when a run
is asked for, so ``import analysis`` and ``ach analyze`` never pay for it.
"""
