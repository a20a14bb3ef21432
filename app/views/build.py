"""Build: a case from nothing, or any case edited, step by step (Heuer's steps 1 and 2).

The page works on a draft (:mod:`app.build_state`), never on the files: every edit is
checked by the case loader at once, problems show beside their fields in the CLI's
words, the last edit can be undone, and nothing is written until a save, which
refuses anything invalid (:mod:`app.views.build_io`).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from analysis.wording import count
from app import build_state as bs
from app.views import build_io
from app.views.build_fill import fill_panel
from app.views.build_lists import list_section

STEPS = {
    "question": "1. Question",
    "hypotheses": "2. Hypotheses",
    "sources": "3. Sources",
    "evidence": "4. Evidence",
    "events": "5. Events",
    "assumptions": "6. Assumptions",
    "indicators": "7. Indicators",
    "save": "8. Save and export",
}
#: The number of the save step, as messages cite it.
SAVE_STEP = STEPS["save"].split(".")[0]
STEP = "build_step"
EXCLUSIVE, EXHAUSTIVE = "build_exclusive", "build_exhaustive"
ANSWERS = ["Not answered", "Yes", "No", "Not sure"]
SOMETHING_ELSE = {
    "id": "something-else",
    "label": "Something else",
    "description": "None of the other hypotheses: an explanation not yet thought of.",
}


def show(root: Path) -> None:
    st.header("Build a case")
    bs.show_notice()
    current = bs.draft()
    if current is None:
        build_io.start_panel(root)
        return
    case, problems, located = bs.checked()
    saved = "a new case, not saved yet" if current.origin is None else f"from {root}"
    status = (
        f"**{count(len(problems), 'problem')}** to fix before saving"
        if problems
        else "valid: ready to save"
    )
    head, undo, close = st.columns([4, 1, 1])
    head.markdown(f"Editing **{current.name}** ({saved}) · {status}")
    if undo.button("Undo last edit", key="build_undo", disabled=not bs.can_undo()):
        bs.undo()
        st.rerun()
    if close.button("Close", key="build_close", help="Stop editing (unsaved edits are lost)"):
        bs.close()
        st.rerun()
    step = st.radio(
        "Step", list(STEPS), format_func=STEPS.get, horizontal=True, key=STEP,
        label_visibility="collapsed",
    )  # fmt: skip
    general = located.get((), [])
    for message in general:
        st.error(message, icon="⚠️")
    for warning in case.warnings if case is not None else ():
        st.warning(warning.split(": ", 1)[-1])  # valid, but worth fixing
    if step == "question":
        _question(located)
    elif step == "hypotheses":
        _hypotheses()
    elif step == "sources":
        list_section("sources", "Sources", "Who reported each item, and how far to trust them.")
    elif step == "evidence":
        fill_panel(current)
        list_section(
            "evidence",
            "Evidence",
            "Each item is a report from a source. For each hypothesis, answer: if it were "
            "true, how likely is this report?",
        )
    elif step == "events":
        list_section(
            "events",
            "Events",
            "Something that happened, reported by one or more items: its likelihoods are "
            "set once here, and each report names it in its 'Reports the event' field, so "
            "several reports of one event corroborate it instead of counting twice.",
        )
    elif step == "assumptions":
        list_section(
            "assumptions",
            "Key assumptions",
            "What the analysis takes for granted. For each, the items and events that rest "
            "on it: the analysis shows how the conclusion moves if it fails.",
        )
    elif step == "indicators":
        list_section(
            "indicators",
            "Indicators",
            "What you would expect to see next under each hypothesis, not yet observed.",
        )
    else:
        build_io.save_panel(root, case, problems)


def _question(located: dict) -> None:
    current = bs.draft()
    assert current is not None
    st.subheader("The question")
    st.caption("What you are trying to explain, in one sentence a reader can answer.")
    hyp = current.documents[0]
    prefix = f"build_q|{bs.generation()}"
    with st.form(f"{prefix}|form"):
        name = st.text_input(
            "Case name (file name: a-z, 0-9 and '-')", current.name, key=f"{prefix}|name",
            disabled=current.origin is not None,
            help="Saved as hypotheses/NAME.yaml and evidence/NAME.yaml. To change the name "
            f"of a saved case, save a copy under another name (step {SAVE_STEP}).",
        )  # fmt: skip
        title = st.text_input("Title", str(hyp.get("title") or ""), key=f"{prefix}|title")
        for message in located.get(("title",), []):
            st.error(message, icon="⚠️")
        question = st.text_area(
            "Question", str(hyp.get("question") or ""), key=f"{prefix}|question", height=80
        )
        for message in located.get(("question",), []):
            st.error(message, icon="⚠️")
        left, right = st.columns(2)
        marking = left.text_input(
            "Handling marking (optional, printed on every brief page)",
            str(hyp.get("marking") or ""), key=f"{prefix}|marking",
        )  # fmt: skip
        as_of = right.text_input(
            "Information cut-off, YYYY-MM-DD (optional; default the latest item date)",
            str(hyp.get("as_of") or ""), key=f"{prefix}|as_of",
        )  # fmt: skip
        for field in ("marking", "as_of"):
            for message in located.get((field,), []):
                st.error(message, icon="⚠️")
        submitted = st.form_submit_button("Apply changes", type="primary", key=f"{prefix}|apply")
    if submitted:
        try:
            bs.edit(lambda d: _set_question(d, name.strip(), title, question, marking, as_of))
        except ValueError as error:
            bs.notice("error", str(error))
        st.rerun()


def _set_question(d, name: str, title: str, question: str, marking: str, as_of: str) -> None:
    if name != d.name:
        d.rename(name)
    d.set(("title",), title.strip())
    d.set(("question",), question.strip())
    d.set(("marking",), marking.strip() or None)
    d.set(("as_of",), as_of.strip() or None)


def _hypotheses() -> None:
    current = bs.draft()
    assert current is not None
    st.subheader("The hypotheses (step 1 of ACH)")
    st.markdown(
        "List every explanation a reasonable person could hold. ACH weighs them against "
        "each other, so exactly one of them should be true."
    )
    left, right = st.columns(2)
    exclusive = left.radio(
        "Are they **mutually exclusive** (at most one can be true)?", ANSWERS, key=EXCLUSIVE,
        horizontal=True,
    )  # fmt: skip
    exhaustive = right.radio(
        "Are they **exhaustive** (one of them must be true)?", ANSWERS, key=EXHAUSTIVE,
        horizontal=True,
    )  # fmt: skip
    if exclusive in ("No", "Not sure"):
        left.info(
            "Rewrite overlapping hypotheses so they cannot both hold: merge them, or split "
            "one into its distinct versions ('acted alone' and 'acted with help')."
        )
    ids = [str(h.get("id")) for h in current.entries("hypotheses") if isinstance(h, dict)]
    if exhaustive in ("No", "Not sure") and SOMETHING_ELSE["id"] not in ids:
        right.info(
            "When unsure, add a 'something else' hypothesis: it keeps probability for the "
            "explanation nobody has thought of, and evidence that fits none of the others "
            "will show up as support for it."
        )
        if right.button("Add a 'Something else' hypothesis", key="build_something_else"):
            bs.edit(lambda d: d.add("hypotheses", dict(SOMETHING_ELSE)))
            bs.notice("success", "Added 'Something else'. Rate every item against it too.")
            st.rerun()
    list_section(
        "hypotheses",
        "Hypotheses",
        "Removing a hypothesis also removes its likelihoods from every item; renaming its "
        "id renames them.",
    )
    fill_panel(current)
