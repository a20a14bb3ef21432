"""Small helpers for the English every view prints."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 item``, ``2 items``; ``plural`` for irregular nouns."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def shortened(text: str, limit: int) -> str:
    """``text`` if it has at most ``limit`` characters, else its first ``limit - 3`` and
    "..." (every place that clips a long text for display uses this)."""
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


#: Longest hypothesis label a table's column head, a chart's axis title or legend shows
#: (the hypotheses section of the brief gives each in full): ten labels of 300
#: characters made a brief's header row taller than a page, and one long label made a
#: chart's axis title run to thousands of pixels.
SHORT_LABEL = 60


def short_label(label: str) -> str:
    """A hypothesis label as a heading, an axis or a legend shows it (:data:`SHORT_LABEL`)."""
    return shortened(label, SHORT_LABEL)


def joined(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def tie_sentence(labels: list[str], percent: str, word: str) -> str:
    """The bottom line when no hypothesis leads: ``No hypothesis leads: A and B are tied...``."""
    return f"No hypothesis leads: {joined(labels)} are tied at {percent} each ({word})."


def who_leads(labels: list[str]) -> str:
    """``A leads``, or for a tie ``A, B and C are tied``."""
    return f"{labels[0]} leads" if len(labels) == 1 else f"{joined(labels)} are tied"


def leaders_cell(labels: list[str], percent: str) -> str:
    """A table's leader: ``A (57%)``, or for a tie ``tied: A, B and C (32% each)``."""
    if len(labels) == 1:
        return f"{labels[0]} ({percent})"
    return f"tied: {joined(labels)} ({percent} each)"


#: First words after which a sentence's capital is only grammar (lower-cased inside a
#: clause); any other capital (a name: "North Korea", "Hamas") is kept.
_COMMON_OPENINGS = frozenset(
    {
        *("a", "an", "another", "any", "each", "every", "he", "her", "his", "it", "its"),
        *("many", "most", "no", "nobody", "none", "one", "our", "some", "someone", "that"),
        *("somebody", "the", "their", "there", "these", "they", "this", "those", "we"),
    }
)


def as_clause(sentence: str) -> str:
    """A sentence made into a clause that follows "that": the final full stop dropped,
    the first letter lower-cased when the first word is a common one ("The weapons were
    ..." -> "the weapons were ..."); names keep their capital."""
    text = " ".join(sentence.split()).rstrip(".").rstrip()
    first = text.split(" ", 1)[0]
    if first.lower() in _COMMON_OPENINGS and first[:1].isupper() and first[1:].islower():
        return text[0].lower() + text[1:]
    return text


def estimative_opening(word: str) -> str:
    """The opening that turns an estimative phrase into a judgment about a possibility:
    ``It is likely``, ``It is almost certain``, ``There is almost no chance``,
    ``There is a roughly even chance``, ``There is a realistic possibility``."""
    if word.split()[-1] in ("chance", "possibility"):
        return f"There is {word}" if word.startswith("almost no") else f"There is a {word}"
    return f"It is {word}"


def estimative_predicate(word: str, verb: str = "is") -> str:
    """An estimative phrase as what a hypothesis is or has: ``is likely``, ``has almost
    no chance``, ``has a remote chance``, ``is a realistic possibility``; with
    ``verb="would"``: ``would be likely``, ``would have almost no chance``, ...; with
    ``verb="are"`` (several hypotheses): ``are likely``, ``have almost no chance``."""
    last = word.split()[-1]
    be, have = {"would": ("would be", "would have"), "are": ("are", "have")}.get(
        verb, ("is", "has")
    )
    if last == "chance":
        return f"{have} {word}" if word.startswith("almost no") else f"{have} a {word}"
    if last == "possibility":
        return f"{be} a {word}"
    return f"{be} {word}"
