"""What every page is given: the open case, the adjustments and their analysis."""

from __future__ import annotations

from dataclasses import dataclass
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

    @property
    def case(self) -> Case:
        """The adjusted case."""
        return self.analysis.case

    @property
    def adjusted(self) -> bool:
        return bool(self.adjustments)
