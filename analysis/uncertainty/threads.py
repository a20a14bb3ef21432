"""Array work split over the machine's two cores.

NumPy releases the GIL inside its sorts, transforms and array loops, and once the
sampler's chains are done both cores are free: the diagnostics and ``P(H | E, theta)``
each hand their independent parts to two threads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Part = TypeVar("Part")
Result = TypeVar("Result")


def in_two_threads(function: Callable[[Part], Result], parts: Sequence[Part]) -> list[Result]:
    """``[function(part) for part in parts]``, two parts at a time, in order."""
    if len(parts) < 2:
        return [function(part) for part in parts]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(function, parts))


__all__ = ["in_two_threads"]
