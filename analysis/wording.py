"""Small helpers for the English every view prints."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 item``, ``2 items``; ``plural`` for irregular nouns."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
