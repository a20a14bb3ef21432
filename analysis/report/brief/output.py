"""Write the brief in the format its file's extension names: ``.pdf``, ``.docx``, ``.md``.

One :class:`~analysis.report.brief.model.Document` feeds each renderer, so the three
formats hold the same text. Writes are atomic: a reader never sees half a file, and a
folder, device or symlink given as the target is refused, never replaced.
"""

from __future__ import annotations

import errno
import importlib
import os
from pathlib import Path

from analysis.atomic import write_atomically
from analysis.engine.analyzer import Analysis
from analysis.engine.pooling import Panel

#: extension -> (renderer module, download MIME type, name)
FORMATS: dict[str, tuple[str, str, str]] = {
    ".pdf": ("analysis.report.brief.pdf", "application/pdf", "PDF"),
    ".docx": (
        "analysis.report.brief.word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word (DOCX)",
    ),
    ".md": ("analysis.report.brief.markdown", "text/markdown", "Markdown"),
}


class UnknownFormat(ValueError):
    """The output file's extension names no brief format."""


def format_of(path: str | os.PathLike) -> str:
    """The brief format (``.pdf``, ``.docx``, ``.md``) that ``path``'s extension names."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise UnknownFormat(
            f"{path}: the brief's format follows the file's extension, and "
            f"'{suffix or '(none)'}' is none of {', '.join(FORMATS)}; "
            f"name the file e.g. brief.pdf"
        )
    return suffix


def render(
    analysis: Analysis, fmt: str, scenario: str | None = None, panel: Panel | None = None
) -> bytes:
    """The brief in format ``fmt`` (an extension from :data:`FORMATS`) as bytes; with the
    analysts' ``panel`` it says where they disagree."""
    from analysis.report.brief.document import brief_document

    module = importlib.import_module(FORMATS[fmt][0])
    return module.render_document(brief_document(analysis, scenario, panel=panel))


def write_brief(
    analysis: Analysis,
    path: str | os.PathLike,
    scenario: str | None = None,
    panel: Panel | None = None,
    *,
    replace: bool = True,
) -> Path:
    """Write the brief to ``path`` in the format of its extension, atomically
    (``replace=False``: :class:`FileExistsError` rather than replace a file)."""
    target = Path(path)
    if target.is_symlink() or (target.exists() and not target.is_file()):
        # os.replace would swap the link or device itself, not write through it
        raise IsADirectoryError(errno.EISDIR, "not a regular file", str(target))
    fmt = format_of(target)
    write_atomically(target, render(analysis, fmt, scenario, panel), replace=replace)
    return target
