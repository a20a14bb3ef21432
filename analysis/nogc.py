"""Pausing Python's cyclic garbage collector while a large, acyclic structure is built.

Loading a case of 5,000 items allocates about a million dicts, lists, tuples and
floats, none of them in a reference cycle. Each allocation burst makes the collector
walk everything allocated so far, which cost a fifth of ``load_case`` at that size
(``benchmarks/cli.py``). Reference counting still frees everything as usual; only the
cycle search waits until the block ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic collector off, restoring it after.

    Only the caller that found it on turns it back on, so nested or concurrent blocks
    (the dashboard's sessions run in threads) always leave it as they found it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


__all__ = ["paused_gc"]
