"""Where a case lives on disk: the one rule for case names, and the paths under a root.

A case ``NAME`` is ``ROOT/hypotheses/NAME.yaml`` plus ``ROOT/evidence/NAME.yaml``; an
analyst's own numbers are ``ROOT/judgments/NAME/ANALYST.yaml``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from analysis.errors import CaseNameError

#: Case names the format allows (the file stem). Always matched with ``fullmatch``;
#: the length cap keeps both file names well under every file system's limit, and the
#: first character is no '-' (``-x`` would read as an option on the command line).
CASE_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")

#: What a case name may hold, in the words every message uses.
CASE_NAME_RULE = (
    "a case name may use only a-z, 0-9 and '-', at most 64 of them, and must not begin with '-'"
)


def is_case_name(name: object) -> bool:
    """True when ``name`` is a string the case-name rule accepts (no trailing newline)."""
    return isinstance(name, str) and CASE_PATTERN.fullmatch(name) is not None


def check_name(name: object) -> str:
    """``name`` itself when it is a valid case name; otherwise :class:`CaseNameError`."""
    if not is_case_name(name):
        raise CaseNameError(f"case name {name!r} is not allowed; {CASE_NAME_RULE}")
    return name  # type: ignore[return-value]


def case_paths(root: str | Path, name: str) -> tuple[Path, Path]:
    """The hypotheses and evidence files of case ``name`` under ``root`` (name checked)."""
    check_name(name)
    base = Path(root)
    return base / "hypotheses" / f"{name}.yaml", base / "evidence" / f"{name}.yaml"


def existing_files(root: str | Path, name: str) -> list[Path]:
    """Which of the two files of case ``name`` already exist under ``root``."""
    return [p for p in case_paths(root, name) if p.exists()]


def list_cases(root: str | Path = ".") -> list[str]:
    """Case names with a file in both ``hypotheses/`` and ``evidence/`` under ``root``."""
    base = Path(root)

    def stems(folder: str) -> set[str]:
        return {p.stem for p in yaml_files(base / folder) if is_case_name(p.stem) and p.is_file()}

    return sorted(stems("hypotheses") & stems("evidence"))


def yaml_files(directory: Path) -> list[Path]:
    """The ``*.yaml`` files of ``directory`` (hidden ones left out; none where there is no
    such folder). Raises OSError where the folder exists but cannot be listed: a folder
    that cannot be read is not an empty one."""
    try:
        names = os.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [directory / n for n in names if n.endswith(".yaml") and not n.startswith(".")]


#: The folder under a root holding each case's judgment files.
JUDGMENTS = "judgments"


def judgments_display(name: str, analyst: str) -> str:
    """``judgments/<case>/<analyst>.yaml``, relative to the root (as messages show it)."""
    return f"{JUDGMENTS}/{name}/{analyst}.yaml"


def judgment_path(root: str | Path, name: str, analyst: str) -> Path:
    """The judgment file of ``analyst`` for case ``name`` under ``root`` (both checked)."""
    check_name(name)
    if not isinstance(analyst, str) or not re.fullmatch(r"[a-z0-9_-]+", analyst):
        raise CaseNameError(f"analyst name {analyst!r} may use only a-z, 0-9, '_' and '-'")
    return Path(root) / judgments_display(name, analyst)


def misplaced_judgments(root: str | Path, name: str) -> list[str]:
    """What under ``root`` looks meant as ``name``'s judgments but would not be read,
    each a phrase after its path: ``judgments/<name>`` that is a file, a ``kim.yml``."""
    top = Path(root) / JUDGMENTS
    if not is_case_name(name) or not top.exists():
        return []
    if not top.is_dir():
        return [
            f"{JUDGMENTS}: is not a folder; judgment files go in {JUDGMENTS}/{name}/<analyst>.yaml"
        ]
    folder, shown = top / name, f"{JUDGMENTS}/{name}"
    if not folder.exists():
        return []
    if not folder.is_dir():
        return [f"{shown}: is not a folder; judgment files go in {shown}/<analyst>.yaml"]
    return [
        f"{shown}/{n}: is not read; a judgment file ends in .yaml: rename it {Path(n).stem}.yaml"
        for n in sorted(os.listdir(folder))
        if not n.startswith(".")
        and n.lower().endswith((".yml", ".yaml"))
        and not n.endswith(".yaml")
    ]


def list_analysts(root: str | Path, name: str) -> list[str]:
    """The stems of ``judgments/<name>/*.yaml`` under ``root``, sorted (bad names too,
    so that the loader reports them); OSError where the folder cannot be listed."""
    if not is_case_name(name):
        return []
    return sorted(p.stem for p in yaml_files(Path(root) / JUDGMENTS / name))
