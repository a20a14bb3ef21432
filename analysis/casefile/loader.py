"""Loading a case: two YAML files -> one validated, immutable :class:`Case`.

Checking runs in three passes and reports *every* problem, never just the first:

1. reading (:mod:`analysis.casefile.yamlio`): syntax, encoding, tags, duplicate keys, aliases;
2. shape (:mod:`analysis.casefile.schema`): unknown or missing keys, types, ranges, words;
3. cross-references (:mod:`analysis.casefile.crosscheck`): ids, sources, likelihood
   maps, priors, case names, impossible items and ranges no Beta distribution can fit.

The cross-reference pass reads the raw data defensively, so it still runs over the
valid parts of a file whose shape has problems. The case is built
(:mod:`analysis.casefile.build`) only when no problem is left; otherwise
:class:`~analysis.errors.CaseError` carries them all.
"""

from __future__ import annotations

from pathlib import Path

from analysis.case import Case
from analysis.casefile.build import build_case
from analysis.casefile.build import prob as _prob  # noqa: F401 (judgment files read it here)
from analysis.casefile.crosscheck import cross_check, valid_case_name
from analysis.casefile.crosscheck import prior_problems as prior_problems  # re-exported
from analysis.casefile.layout import CASE_NAME_RULE, is_case_name, list_cases
from analysis.casefile.schema import (
    EvidenceFile,
    HypothesesFile,
    options,
    required_keys,
    show,
    validate,
)
from analysis.casefile.yamlio import Document, failed_document, parse_yaml, read_yaml
from analysis.errors import CaseError, Problem
from analysis.nogc import paused_gc

_PLACEHOLDER = "<case>"
_FOLDERS = ("hypotheses", "evidence")


# -- public API ----------------------------------------------------------------------
def load_case(name: str, root: str | Path = ".") -> Case:
    """Load ``root/hypotheses/<name>.yaml`` and ``root/evidence/<name>.yaml``.

    ``name`` is checked before the filesystem is touched and the resolved paths must
    stay under ``root``. Both files must name the case ``name``.
    """
    base = Path(root)
    if not is_case_name(name):
        raise CaseError([_refused_name(name, base)])
    with paused_gc():
        documents = [_read_under(base, f"{folder}/{name}.yaml") for folder in _FOLDERS]
        return _load(documents[0], documents[1], stem=name)


def unopenable(name: str, root: str | Path = ".") -> list[Problem]:
    """Why case ``name`` cannot be opened under ``root`` at all, worded as
    :func:`load_case` words it: a refused name, or a file not found. Empty when both
    files are there; their contents are not read (the dashboard shows their problems)."""
    base = Path(root)
    if not is_case_name(name):
        return [_refused_name(name, base)]
    displays = [f"{folder}/{name}.yaml" for folder in _FOLDERS]
    return [_read_under(base, d).problems[0] for d in displays if not (base / d).is_file()]


def _refused_name(name: str, base: Path) -> Problem:
    return Problem("case name", 0, f"{show(name)} is refused: {CASE_NAME_RULE}; {_available(base)}")


def load_case_files(hypotheses_path: str | Path, evidence_path: str | Path) -> Case:
    """Load a case from two files anywhere (e.g. uploads); its name comes from their content.

    Messages show the paths as given. The two files must name the same case.
    """
    with paused_gc():
        hypotheses = read_yaml(hypotheses_path, str(hypotheses_path))
        evidence = read_yaml(evidence_path, str(evidence_path))
        return _load(hypotheses, evidence, stem=None)


def load_case_texts(
    hypotheses_text: str | bytes,
    evidence_text: str | bytes,
    hypotheses_name: str | None = None,
    evidence_name: str | None = None,
) -> Case:
    """Validate and load a case from the two documents' text, without touching disk.

    The names are only shown in messages; by default ``hypotheses/<case>.yaml`` and
    ``evidence/<case>.yaml`` with the case named in the text.
    """
    with paused_gc():
        hypotheses = parse_yaml(
            hypotheses_text, hypotheses_name or f"hypotheses/{_PLACEHOLDER}.yaml"
        )
        evidence = parse_yaml(evidence_text, evidence_name or f"evidence/{_PLACEHOLDER}.yaml")
        if hypotheses_name is None or evidence_name is None:
            case = valid_case_name(hypotheses) or valid_case_name(evidence) or _PLACEHOLDER
            if hypotheses_name is None:
                hypotheses = hypotheses.renamed(f"hypotheses/{case}.yaml")
            if evidence_name is None:
                evidence = evidence.renamed(f"evidence/{case}.yaml")
        return _load(hypotheses, evidence, stem=None)


# -- reading ---------------------------------------------------------------------------
def _available(base: Path) -> str:
    try:
        cases = list_cases(base)
    except OSError as exc:
        return f"the cases under {base} cannot be listed ({exc.strerror or exc})"
    return f"cases under {base}: {options(cases)}" if cases else f"there are no cases under {base}"


def _read_under(base: Path, display: str) -> Document:
    """Read ``base/display``, refusing anything that resolves outside ``base``."""
    path = base / display
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError) as exc:  # e.g. a symlink loop
        return failed_document(display, 0, f"cannot be resolved ({exc}); fix the link")
    if not resolved.is_relative_to(base.resolve()):
        return failed_document(
            display, 0, f"resolves outside {base}; case files must stay under it"
        )
    try:
        path.stat()
    except FileNotFoundError:
        return failed_document(display, 0, f"file not found; {_available(base)}")
    except NotADirectoryError:  # evidence/ (or the root) is a file
        return failed_document(
            display, 0, f"cannot be read: {Path(display).parent}/ or the root is not a folder"
        )
    except OSError as exc:  # e.g. a folder that can be listed but not searched
        return failed_document(
            display,
            0,
            f"cannot be read ({exc.strerror or exc}); check the permissions of "
            f"{Path(display).parent}/ and the file",
        )
    if not path.is_file():
        return failed_document(display, 0, "is not a regular file; a case file must be one")
    return read_yaml(path, display)


# -- the three passes --------------------------------------------------------------------
def _load(hypotheses: Document, evidence: Document, stem: str | None) -> Case:
    problems = [*hypotheses.problems, *evidence.problems]
    h_model = e_model = None
    for doc, model in ((hypotheses, HypothesesFile), (evidence, EvidenceFile)):
        if doc.data is None:
            keys = options(required_keys(model))
            problems.append(
                Problem(doc.path, 0, f"is empty; it must be a mapping with keys {keys}")
            )
    if hypotheses.usable:
        h_model, found = validate(HypothesesFile, hypotheses)
        problems += found
    if evidence.usable:
        e_model, found = validate(EvidenceFile, evidence)
        problems += found
    problems += cross_check(hypotheses, evidence, stem)
    if problems or h_model is None or e_model is None:
        raise CaseError(problems)
    return build_case(h_model, e_model, hypotheses, evidence)


__all__ = ["load_case", "load_case_files", "load_case_texts"]
