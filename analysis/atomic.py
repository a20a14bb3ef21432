"""Atomic writes: a reader never sees half a file, and nothing is replaced by accident.

Permissions: a file that replaces another keeps the mode of the one it replaces (a
brief written over a ``chmod 600`` file stays 600); a new file gets what a plain
``open`` would give, 0666 less the umask.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path


def _umask() -> int:
    """The process umask, read without changing it where Linux allows (thread-safe)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o22)  # elsewhere: the only portable way, briefly set and restored
    os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    """The mode ``path``'s replacement should get: its own if it exists, else the umask's."""
    try:
        current = os.stat(path)
    except OSError:
        return 0o666 & ~_umask()
    if stat.S_ISREG(current.st_mode):
        return stat.S_IMODE(current.st_mode)
    return 0o666 & ~_umask()


def write_beside(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file in ``path``'s folder; return it (not yet moved).

    The file gets the mode :func:`os.replace` onto ``path`` should leave: the mode of
    the file it will replace, else 0666 less the umask (not ``mkstemp``'s private 0600).
    """
    mode = _mode_for(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def write_atomically(path: Path, data: bytes, *, replace: bool = True) -> None:
    """Write ``path`` with ``data`` in one step (a temporary file, then ``os.replace``).

    ``replace=False`` never replaces a file: if ``path`` exists when the step is taken,
    :class:`FileExistsError` (the step is a hard link, which fails on an existing name;
    where the file system has no hard links, an existence check just before it).
    """
    temp = write_beside(path, data)
    try:
        if replace:
            os.replace(temp, path)
            return
        try:
            os.link(temp, path)
        except FileExistsError:
            raise
        except OSError:  # no hard links here (e.g. FAT, some network shares)
            if os.path.lexists(path):
                raise FileExistsError(errno.EEXIST, "File exists", str(path)) from None
            os.replace(temp, path)
            return
        temp.unlink()
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
