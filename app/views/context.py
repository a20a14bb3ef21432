"""What every page is given: the open case, the adjustments and their analysis, and
the analysts' judgments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from analysis.case import Case
from analysis.engine.analyzer import Analysis
from analysis.scenario.adjustments import Adjustments


@dataclass(frozen=True)
class View:
    """The open case as the file has it, the analyst's adjustments, and the analyses."""

    root: Path
    file_case: Case
    adjustments: Adjustments
    #: the exact analysis of the adjusted case (what every page shows)
    analysis: Analysis
    #: the exact analysis of the case as the file has it
    file_analysis: Analysis
    #: identifies (case version, adjustments, yardstick) for caches of derived results
    key: tuple = ()
    uploaded: bool = False
    #: the case as its files have it (``file_case`` is an analyst's view when one is open)
    shared_case: Case | None = None
    #: every analyst's judgments of the case (analyst -> Judgments)
    judgments: Mapping = field(default_factory=dict)
    #: identifies (case version, judgment files) for caches of the analysts' panel
    panel_key: tuple = ()
    #: whose numbers ``file_case`` holds (None: the case's) and who is saving (None: nobody)
    seen_as: str | None = None
    analyst: str | None = None

    @property
    def case(self) -> Case:
        """The adjusted case."""
        return self.analysis.case

    @property
    def structure(self) -> tuple:
        """Identifies what the pages show but the numbers: the case version (the file's,
        or an analyst's view of it) and the yardstick, without the adjustments."""
        return (self.key[0], self.key[2]) if self.key else ()

    @cached_property
    def changes(self) -> list:
        """Every adjusted number as a reader sees it (:func:`analysis.scenario.describe`),
        worked out once per run: the title, the sidebar and the page all list or count them."""
        from analysis.scenario import describe

        return describe(self.file_case, self.adjustments)

    @property
    def adjusted(self) -> bool:
        return bool(self.adjustments)

    @property
    def unchanged_note(self) -> str:
        """What the numbers are when nothing is adjusted: the file's, or whose judgments."""
        if self.seen_as is None:
            return "All numbers as in the file."
        if self.seen_as == self.analyst:
            return "All numbers as in your judgments."
        return f"All numbers as in {self.seen_as}'s judgments (read only)."

    def no_weight(self, i: int) -> str | None:
        """Why evidence item ``i`` carries no weight in the scenario: ``retracted`` in the
        file, or ``assumption broken`` (it rests on a broken one); None: it counts."""
        if self.file_case.evidence[i].retracted:
            return "retracted"
        if self.case.evidence[i].retracted:
            return "assumption broken"
        return None
