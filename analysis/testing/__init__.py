"""Test-only helpers: random cases and the exact sampler that checks PyMC.

Nothing the CLI or the dashboard runs imports this package.
"""
