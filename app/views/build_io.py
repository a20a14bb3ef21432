"""The Build page's way in and out: start, open, import; save, duplicate, export.

Saving goes through :func:`analysis.casefile.edit.save_draft`: nothing invalid is
written, a file changed on disk since it was read is never overwritten (the page
offers to reload it or to save under another name), and another case is never replaced.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from analysis.case import Case
from analysis.casefile.edit import Conflict, Draft, save_draft
from analysis.errors import CaseError, CaseExists, CaseNameError, Problem
from analysis.interchange import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    MEDIA_TYPES,
    export_case,
    export_warnings,
)
from analysis.interchange import read_foreign as read_foreign_file
from analysis.wording import count
from app import build_state as bs
from app.state import list_cases
from app.widgets import problem_lines

CONFLICT = bs.CONFLICT


def _lines(problems: list[Problem]) -> None:
    problem_lines(problems)


def start_panel(root: Path) -> None:
    """Begin: a new case, an existing one, or an imported file."""
    new, existing, imported = st.columns(3)
    with new.form("build_new"):
        st.markdown("**A new case**")
        name = st.text_input("Case name (a-z, 0-9 and '-')", key="build_new_name")
        title = st.text_input("Title", key="build_new_title")
        question = st.text_area("Question", key="build_new_question", height=80)
        if st.form_submit_button("Start", type="primary", key="build_new_start"):
            _start_new(root, name.strip(), title.strip(), question.strip())
    with existing.container(border=True):
        st.markdown("**Edit a case**")
        cases = list_cases(root)
        if cases:
            chosen = st.selectbox("Case", cases, key="build_open_name")
            if st.button("Open", key="build_open"):
                bs.start(Draft.read(root, chosen))
                st.rerun()
        else:
            st.caption(f"No cases under {root.resolve()} yet.")
    with imported.container(border=True):
        st.markdown("**Import from another ACH tool**")
        upload = st.file_uploader(
            "PARC ACH .achz, CSV or XLSX", type=list(IMPORT_FORMATS), key="build_upload"
        )
        name = st.text_input("New case name", key="build_import_name")
        if upload is not None and st.button("Import", key="build_import"):
            _import(root, upload.name, upload.getvalue(), name.strip())


def _start_new(root: Path, name: str, title: str, question: str) -> None:
    try:
        draft = Draft.new(name, title, question)
    except CaseNameError as error:
        st.error(str(error))
        return
    if name in list_cases(root):
        st.error(f"A case named '{name}' exists under {root}; open it, or pick another name.")
        return
    bs.start(draft)
    st.session_state["build_step"] = "hypotheses"
    st.rerun()


def imported_draft(filename: str, data: bytes, name: str) -> tuple[Draft, list[Problem]]:
    """A new draft named ``name`` from an uploaded file, and the import's warnings.

    Raises :class:`~analysis.errors.CaseNameError` or :class:`~analysis.errors.CaseError`.
    """
    Draft.new(name)  # checks the name first
    imported = read_foreign_file(data, filename, Path(filename).suffix.lstrip(".").lower())
    return Draft.from_data(name, imported.hypotheses, imported.evidence), imported.warnings


def _import(root: Path, filename: str, data: bytes, name: str) -> None:
    try:
        draft, warnings = imported_draft(filename, data, name)
    except CaseNameError as error:
        st.error(str(error))
        return
    except CaseError as error:
        st.error(f"{filename} cannot be imported ({count(len(error.problems), 'problem')}):")
        _lines(error.problems)
        return
    if name in list_cases(root):
        st.error(f"A case named '{name}' exists under {root}; pick another name.")
        return
    from app.views.build import SAVE_STEP  # the page module imports this one

    bs.start(draft)
    message = f"Imported {filename}. Check each step, then save it (step {SAVE_STEP})."
    if warnings:
        message += " " + " ".join(str(w) for w in warnings)
    bs.notice("success", message)
    st.rerun()


def save_panel(root: Path, case: Case | None, problems: list[Problem]) -> None:
    current = bs.draft()
    assert current is not None
    st.subheader("Save")
    if problems:
        st.error(
            f"Not ready to save: {count(len(problems), 'problem')}, as `ach validate` "
            "prints them. Each also shows beside its field."
        )
        _lines(problems)
    target = (
        root / "hypotheses" / f"{current.name}.yaml",
        root / "evidence" / f"{current.name}.yaml",
    )
    st.caption(f"Writes {target[0]} and {target[1]} atomically; `ach validate` reads them.")
    if st.button("Save", key="build_save", type="primary", disabled=bool(problems)):
        _save(root, None)
    conflict = st.session_state.get(CONFLICT)
    if conflict:
        st.error(
            "Not saved: the files changed on disk since this page read them: "
            + "; ".join(conflict)
            + ". Reload them (your edits are dropped), or save yours under another name."
        )
        if st.button("Reload from disk", key="build_reload"):
            st.session_state.pop(CONFLICT, None)
            bs.start(Draft.read(root, current.name))
            bs.notice("info", f"Reloaded '{current.name}' from disk.")
            st.rerun()
    st.subheader("Save a copy under another name")
    st.caption("Duplicate the case to try a variant; you then edit the copy.")
    other = st.text_input("New case name", key="build_copy_name").strip()
    if st.button("Save a copy", key="build_copy", disabled=bool(problems) or not other):
        _save(root, other)
    st.subheader("Export")
    if case is None:
        st.caption("Downloads appear when the case has no problems.")
        return
    columns = st.columns(len(EXPORT_FORMATS) + 1)
    hyp_text, ev_text = current.texts()
    columns[0].download_button(
        "YAML (both files)", f"{hyp_text}---\n{ev_text}", f"{current.name}.yaml",
        mime="application/x-yaml", key="build_download_yaml", on_click="ignore",
    )  # fmt: skip
    for column, fmt in zip(columns[1:], EXPORT_FORMATS, strict=True):
        column.download_button(
            fmt.upper(), lambda fmt=fmt: export_case(case, fmt), f"{current.name}.{fmt}",
            mime=MEDIA_TYPES[fmt], key=f"build_download_{fmt}", on_click="ignore",
        )  # fmt: skip
    for fmt in EXPORT_FORMATS:
        for warning in export_warnings(case, fmt):
            st.caption(f"{fmt.upper()}: {warning[0].upper()}{warning[1:]}.")


def _save(root: Path, name: str | None) -> None:
    current = bs.draft()
    assert current is not None
    try:
        saved = save_draft(current, root, name)
    except Conflict as error:
        st.session_state[CONFLICT] = error.changes
        st.rerun()
    except CaseExists as error:
        st.error(f"Not saved: {error}. Pick another name.")
    except CaseNameError as error:
        st.error(f"Not saved: {error}")
    except CaseError as error:
        st.error("Not saved:")
        _lines(error.problems)
    except OSError as error:
        st.error(f"Not saved: {error}")
    else:
        st.session_state.pop(CONFLICT, None)
        bs.saved()
        bs.notice(
            "success",
            f"Saved case '{saved.name}' ({count(len(saved.hypotheses), 'hypothesis', 'hypotheses')}"
            f", {count(len(saved.evidence), 'evidence item')}) under {root}. "
            "Pick it in the sidebar to analyse it.",
        )
        st.rerun()
