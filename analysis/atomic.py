"""Atomic writes: a reader never sees half a file, and nothing is replaced by accident."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_beside(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file in ``path``'s folder; return it (not yet moved).

    The file gets the permissions a plain ``open`` would give (0666 less the umask),
    not ``mkstemp``'s private 0600. Move it into place with :func:`os.replace`.
    """
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step (a temporary file, then ``os.replace``)."""
    temp = write_beside(path, data)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
