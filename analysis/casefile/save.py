"""Saving a case under a name: both files written atomically, validated, or nothing.

:func:`save_texts` writes ``hypotheses/NAME.yaml`` and ``evidence/NAME.yaml`` under a
root, refuses to replace an existing file unless asked, loads the result back to prove
it valid, and on any failure restores what was there before.

Saves are race-free, between threads and between processes: each save holds an
exclusive ``flock`` on the ``ROOT/hypotheses`` folder itself (no lock file is left
behind) from its check to its rollback, and a save that must not replace claims each
file with ``os.link``, which fails if the file exists, even one written by something
that ignores the lock. Of two
saves under one name at the same moment one is saved and the other is refused with
:class:`~analysis.errors.CaseExists`; a rollback removes only the files its own save
created.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from analysis.atomic import write_beside
from analysis.case import Case
from analysis.casefile.layout import case_paths
from analysis.errors import CaseExists


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the save lock of the cases under one root: ``flock`` on ``folder`` (blocking).

    Each call opens the folder anew, so two threads of one process exclude each other
    as two processes do.
    """
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the last descriptor releases the lock


def _claim(temp: Path, path: Path) -> bool:
    """Put ``temp`` at ``path`` only if ``path`` does not exist (atomically); False if it does."""
    try:
        os.link(temp, path)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        if path.exists():  # no hard links here: the lock alone keeps savers apart
            return False
        os.replace(temp, path)
        return True
    return True


def _same_file(path: Path, identity: tuple[int, int]) -> bool:
    try:
        info = os.stat(path)
    except OSError:
        return False
    return (info.st_dev, info.st_ino) == identity


def save_texts(
    name: str,
    hypotheses_text: str,
    evidence_text: str,
    root: str | Path = ".",
    overwrite: bool = False,
) -> Case:
    """Write case ``name``'s two documents under ``root``; return the case as loaded back.

    Raises :class:`~analysis.errors.CaseExists` when a file would be replaced and
    ``overwrite`` is False (also when another save took the name first),
    :class:`~analysis.errors.CaseNameError` for a bad name, and
    :class:`~analysis.errors.CaseError` if the written files do not load (they are then
    removed, or the old ones restored).
    """
    paths = case_paths(root, name)
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(paths[0].parent):
        found = [p for p in paths if p.exists()]
        if found and not overwrite:
            raise CaseExists(found)
        backups = {p: p.read_bytes() for p in found}
        texts = (hypotheses_text, evidence_text)
        temps = [write_beside(p, t.encode("utf-8")) for p, t in zip(paths, texts, strict=True)]
        identities = {}
        for temp in temps:
            info = os.stat(temp)
            identities[temp] = (info.st_dev, info.st_ino)
        placed: list[Path] = []
        try:
            for temp, path in zip(temps, paths, strict=True):
                if overwrite:
                    os.replace(temp, path)
                elif not _claim(temp, path):
                    raise CaseExists([path])
                placed.append(path)
            return _load_back(name, root)
        except BaseException:
            for temp, path in zip(temps, paths, strict=True):
                if path in backups:
                    path.write_bytes(backups[path])
                elif path in placed and _same_file(path, identities[temp]):
                    path.unlink(missing_ok=True)
            raise
        finally:
            for temp in temps:
                temp.unlink(missing_ok=True)


def _load_back(name: str, root: str | Path) -> Case:
    from analysis.casefile.loader import load_case

    return load_case(name, root)
