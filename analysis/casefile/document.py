"""A parsed YAML file as plain data with the source line of every value.

:class:`Document` is what :mod:`analysis.casefile.yamlio` returns and every later check
reads: the data (plain dicts, lists and scalars), the line of each path, and the
problems found while reading. :data:`INVALID` marks a value already reported.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from analysis.errors import Problem
from analysis.wording import shortened

Path_ = tuple[str | int, ...]


class _Invalid:
    """Marks a value already reported as a problem (rejected tag, cut-off alias bomb)."""

    _instance: _Invalid | None = None

    def __new__(cls) -> _Invalid:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


class Lines(Mapping):
    """The line of every path of a document, the deep ones read again on first need.

    A valid case reads only the lines of its top two levels (sections and their
    entries); the line of a deeper path is wanted only for a problem. So the first
    reading records those two levels (``known``) and ``read_all`` gives every line,
    called once, the first time a path ``known`` lacks is looked up or the whole
    mapping is read: at 5000 items 37 ms of the 360 ms the reading takes, and 79 000
    fewer paths held. A path found in ``known`` has the same line in the full reading.
    Pickled, it is the plain dict of every line.
    """

    def __init__(self, known: dict[Path_, int], read_all: Callable[[], Mapping[Path_, int]]):
        self._known = known
        self._read_all: Callable[[], Mapping[Path_, int]] | None = read_all
        self._lock = threading.Lock()

    def _every(self) -> Mapping[Path_, int]:
        if self._read_all is not None:
            with self._lock:  # one reading however many threads ask at once
                if self._read_all is not None:
                    self._known = dict(self._read_all())
                    self._read_all = None
        return self._known

    def __reduce__(self):
        return dict, (dict(self._every()),)

    def __getitem__(self, path: Path_) -> int:
        found = self._known.get(path)
        return found if found is not None else self._every()[path]

    def __iter__(self) -> Iterator[Path_]:
        return iter(self._every())

    def __len__(self) -> int:
        return len(self._every())

    def __repr__(self) -> str:
        return f"Lines({dict(self._every())!r})"


@dataclass(frozen=True)
class Document:
    """One parsed YAML file: its plain data, the line of every path, and its problems.

    ``data`` is None for an empty document and :data:`INVALID` when the text could not
    be parsed at all.
    """

    path: str
    data: Any = None
    lines: Mapping[Path_, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    @property
    def usable(self) -> bool:
        """True when there is data to validate (parsed, not empty)."""
        return self.data is not None and self.data is not INVALID

    def line(self, path: Path_) -> int:
        """The line of ``path``, else of its nearest recorded ancestor (0 if none)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line:
                return line
        return 0

    def renamed(self, path: str) -> Document:
        """The same document shown under another display path."""
        problems = tuple(replace(p, path=path) for p in self.problems)
        return replace(self, path=path, problems=problems)


def where(path: Path_) -> str:
    """A path as readable text, e.g. ``evidence[3].likelihoods.direct``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return shortened(text, 60) or "the top level"


def failed_document(display: str, line: int, message: str) -> Document:
    """A document that could not be read or parsed, carrying the one problem why."""
    return Document(display, INVALID, {}, (Problem(display, line, message),))


__all__ = ["INVALID", "Document", "Lines", "Path_", "failed_document", "where"]
