"""Case files on disk -> a validated :class:`~analysis.case.Case` (and back).

``yamlio`` reads YAML safely with line numbers, ``schema`` is the strict pydantic
contract, ``loader`` checks everything and builds the ``Case``.
"""

from analysis.casefile.layout import list_cases
from analysis.casefile.loader import load_case, load_case_files, load_case_texts

__all__ = ["list_cases", "load_case", "load_case_files", "load_case_texts"]
