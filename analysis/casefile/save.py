"""Saving a case under a name: both files written atomically, validated, or nothing.

:func:`save_texts` writes ``hypotheses/NAME.yaml`` and ``evidence/NAME.yaml`` under a
root, refuses to replace an existing file unless asked, loads the result back to prove
it valid, and on any failure restores what was there before.
"""

from __future__ import annotations

import os
from pathlib import Path

from analysis.atomic import write_beside
from analysis.case import Case
from analysis.casefile.layout import case_paths, existing_files
from analysis.errors import CaseExists


def save_texts(
    name: str,
    hypotheses_text: str,
    evidence_text: str,
    root: str | Path = ".",
    overwrite: bool = False,
) -> Case:
    """Write case ``name``'s two documents under ``root``; return the case as loaded back.

    Raises :class:`~analysis.errors.CaseExists` when a file would be replaced and
    ``overwrite`` is False, :class:`~analysis.errors.CaseNameError` for a bad name, and
    :class:`~analysis.errors.CaseError` if the written files do not load (they are then
    removed, or the old ones restored).
    """
    from analysis.casefile.loader import load_case

    hyp_path, ev_path = case_paths(root, name)
    found = existing_files(root, name)
    if found and not overwrite:
        raise CaseExists(found)
    backups = {p: p.read_bytes() for p in found}
    for path in (hyp_path, ev_path):
        path.parent.mkdir(parents=True, exist_ok=True)
    temps = [
        write_beside(hyp_path, hypotheses_text.encode("utf-8")),
        write_beside(ev_path, evidence_text.encode("utf-8")),
    ]
    try:
        os.replace(temps[0], hyp_path)
        os.replace(temps[1], ev_path)
        return load_case(name, root)
    except BaseException:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        for path in (hyp_path, ev_path):
            if path in backups:
                path.write_bytes(backups[path])
            else:
                path.unlink(missing_ok=True)
        raise
