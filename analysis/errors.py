"""Every error the workbench raises on purpose, under one base class.

Catch :class:`AchError` to catch them all. :class:`CaseError` is the one users see most:
a list of located problems in their case files, printed one per line.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.wording import count

#: The most problems printed at once; a file with thousands of faults gets this many
#: lines and a last line counting the rest, not a screen it cannot be read from.
SHOWN_PROBLEMS = 100


def shown_lines(lines: list[str], limit: int = SHOWN_PROBLEMS, kind: str = "problem") -> list[str]:
    """``lines`` as printed: the first ``limit``, then one line counting the rest
    (``kind``: what the lines are, ``problem`` or ``warning``)."""
    if len(lines) <= limit:
        return list(lines)
    rest = len(lines) - limit
    tail = "; fix these and run again to see them" if kind == "problem" else ""
    return [*lines[:limit], f"... and {count(rest, f'more {kind}')} not shown{tail}"]


class AchError(Exception):
    """Base of every error the workbench raises on purpose (bad input, refused writes)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a case file: where it is and what to do about it."""

    path: str
    line: int
    message: str
    #: for tables (CSV, spreadsheets): the 1-based column, shown as ``file:row:column``
    column: int = 0

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.line and self.column:
            where += f":{self.column}"
        return f"{where}: {self.message}"


class CaseError(AchError):
    """Raised with *every* problem found in a case, never just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.column, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        """One line per problem, as the CLI prints them."""
        return [str(p) for p in self.problems]


class CaseNameError(AchError, ValueError):
    """A case name the format does not allow (see :mod:`analysis.casefile.layout`)."""


class CaseExists(AchError, FileExistsError):
    """A file a save would replace already exists (and replacing was not asked for)."""

    def __init__(self, paths: list):
        self.paths = list(paths)
        super().__init__(
            "already exists: " + ", ".join(str(p) for p in self.paths) + "; choose another name"
        )


class ScenarioError(AchError, ValueError):
    """Adjustments that cannot make a case (e.g. every prior weight at zero)."""


class RangeFitError(AchError, ValueError):
    """A ``[low, high]`` range no Beta distribution can fit."""


class FontError(AchError, RuntimeError):
    """The brief's embedded font (DejaVu Sans) cannot be found."""


class ChartError(AchError, ValueError):
    """A chart asked for with an option it does not have."""


class ChartRenderError(AchError, RuntimeError):
    """A chart could not be rendered: the renderer failed, crashed or timed out."""


class BriefError(AchError, RuntimeError):
    """The brief could not be made (laid out, or its charts rendered)."""
