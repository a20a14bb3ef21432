"""Small helpers for the English every view prints."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 item``, ``2 items``; ``plural`` for irregular nouns."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def joined(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def tie_sentence(labels: list[str], percent: str, word: str) -> str:
    """The bottom line when no hypothesis leads: ``No hypothesis leads: A and B are tied...``."""
    return f"No hypothesis leads: {joined(labels)} are tied at {percent} each ({word})."
