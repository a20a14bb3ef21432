"""Save and export: the adjusted scenario as a new case, as YAML, or as the brief (PDF,
Word or Markdown)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

import streamlit as st

from analysis import scenario
from analysis.casefile.layout import case_paths, existing_files, is_case_name
from analysis.errors import AchError, CaseError, CaseExists
from analysis.wording import count, shortened
from app.views.context import View
from app.views.uncertainty import finished_run, with_run
from app.widgets import esc

NAME_KEY = "save_name"
OVERWRITE_KEY = "save_overwrite"
#: bumped after every successful save: the next confirmation is a new, unticked box
SAVE_COUNT = "save_count"
SAVED = "saved_message"  # (name saved, message), shown once after the save's rerun
BRIEFS = "briefs_made"  # format -> (the inputs' key, the brief's bytes), the last made


def overwrite_key(name: str) -> str:
    """The key of the "Replace the existing files" box for one save of ``name``.

    A confirmation covers exactly one save of one name: another name, or the same name
    after a completed save, is another widget, which starts unticked (popping a key
    would not untick the browser's box, which sends its value back).
    """
    return f"{OVERWRITE_KEY}:{st.session_state.get(SAVE_COUNT, 0)}:{name}"


def default_name(view: View) -> str:
    return f"{view.file_case.name}-scenario"


def _save(view: View, name: str, overwrite: bool) -> None:
    try:
        saved = scenario.save(
            view.file_case, view.adjustments, name, root=view.root, overwrite=overwrite
        )
    except CaseExists as error:
        listed = ", ".join(str(p) for p in error.paths)
        st.error(
            f"Not saved: {listed} already exists. Tick the box to replace it, or pick another name."
        )
    except CaseError as error:
        st.error("Not saved: the written case did not validate:\n\n" + "\n".join(error.lines()))
    except AchError as error:
        st.error(f"Not saved: {error}")
    except OSError as error:
        st.error(f"Not saved: {error}")
    else:
        hyp, ev = case_paths(view.root, name)
        st.session_state[SAVED] = (
            name,
            f"Saved case '{saved.name}' ({len(saved.evidence)} items): {hyp} and {ev}. "
            "Pick it in the case list to open it.",
        )
        st.session_state[SAVE_COUNT] = st.session_state.get(SAVE_COUNT, 0) + 1
        st.rerun()  # the case list picks up the new case


def one_line(error: BaseException) -> str:
    """An exception as one short line for the page: its first line (and its kind, for an
    error the workbench did not raise on purpose)."""
    lines = str(error).strip().splitlines()
    text = lines[0] if lines else ""
    if not isinstance(error, AchError):
        text = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return shortened(text, 300)


def scenario_file(view: View, name: str) -> Callable[[], str]:
    """What the "Scenario as YAML" button downloads, made only when it is clicked: the
    whole case's YAML would otherwise be written out on every run of the page."""
    case, adjustments = view.file_case, view.adjustments

    def made() -> str:
        return scenario.scenario_yaml(case, adjustments, name)

    return made


def _panel(view: View):
    """The analysts' panel when anyone has judged the case (the brief then says where
    they disagree, as ``ach brief`` does), else None."""
    if not view.judgments or view.shared_case is None:
        return None
    from app.views.analysts import panel_for

    return panel_for(view)


def _brief(
    view: View, column, fmt: str, title: str, mime: str, file_name: str, sampled: tuple | None
) -> None:
    """One format of the brief: made when asked (a failure is one line in ``column``),
    then offered for download. The brief made is kept for the inputs it was made from
    (``view.key``, and ``sampled``, the finished uncertainty run it carries if any:
    :func:`~app.views.uncertainty.finished_run`): moving a number asks for a new one."""
    from analysis.report.brief.output import render

    made = st.session_state.setdefault(BRIEFS, {})
    key = fmt.replace(".", "_")
    inputs = (view.key, sampled[0] if sampled else None)
    if made.get(fmt, (None,))[0] != inputs:
        if not column.button(f"Make the {title} brief", key=f"make_brief{key}"):
            return
        note = scenario.scenario_note(view.file_case, view.adjustments)
        analysis = with_run(view, sampled)
        try:
            with column.spinner(f"Making the {title} brief..."):
                made[fmt] = (inputs, render(analysis, fmt, note, panel=_panel(view)))
        except Exception as error:  # one request's failure, shown, never the server's
            column.error(f"The {title} brief could not be made: {esc(one_line(error))}")
            return
    column.download_button(
        f"Brief as {title}",
        data=made[fmt][1],
        file_name=file_name,
        mime=mime,
        key=f"download_brief{key}",
        on_click="ignore",
    )


def show(view: View) -> None:
    st.header("Save and export")
    changes = view.changes
    if changes:
        st.markdown(f"The scenario differs from the file in **{count(len(changes), 'number')}**:")
        st.markdown("\n".join(f"- {esc(str(c))}" for c in changes), unsafe_allow_html=True)
    else:
        st.markdown("No number has been moved: saving makes a copy of the case as it is.")

    st.subheader("Save as a new case")
    if NAME_KEY not in st.session_state:
        st.session_state[NAME_KEY] = default_name(view)
    field, _ = st.columns([2, 1])
    name = field.text_input(
        "New case name (lower-case letters, digits and '-')", key=NAME_KEY
    ).strip()
    clash = []
    try:
        clash = existing_files(view.root, name)
    except AchError as error:
        st.error(str(error))
    saved = st.session_state.pop(SAVED, None)
    just_saved = saved is not None and saved[0] == name
    overwrite = False
    if clash and not just_saved:  # the case just written is no clash to warn about
        st.warning(
            "A case with this name exists: "
            + ", ".join(str(p) for p in clash)
            + ". It will not be replaced unless you say so."
        )
        overwrite = st.checkbox("Replace the existing files", key=overwrite_key(name))
    if st.button("Save scenario", key="save", type="primary"):
        _save(view, name, overwrite)
    if saved is not None:
        st.success(saved[1])
    st.caption(
        f"Written atomically into {view.root.resolve()}/hypotheses/ and evidence/, then "
        "loaded back to check it."
    )

    st.subheader("Download")
    safe_name = name if is_case_name(name) else default_name(view)
    st.download_button(
        "Scenario as YAML",
        data=scenario_file(view, safe_name),
        file_name=f"{safe_name}.yaml",
        mime="application/x-yaml",
        key="download_yaml",
        on_click="ignore",
    )
    if importlib.util.find_spec("analysis.report.brief.output") is None:
        st.info("The brief is not available in this installation.")
    else:
        from analysis.report.brief.output import FORMATS

        stem = f"{safe_name if view.adjusted else view.file_case.name}-brief"
        sampled = finished_run(view)  # the Uncertainty page's run for these inputs, if made
        for column, (fmt, (_module, mime, title)) in zip(
            st.columns(len(FORMATS)), FORMATS.items(), strict=True
        ):
            _brief(view, column, fmt, title, mime, f"{stem}{fmt}", sampled)
        if sampled is not None:
            st.caption("The brief includes the uncertainty run made on the Uncertainty page.")
        else:
            st.caption("For a brief with 90% intervals, run the Uncertainty page first.")
    if view.adjusted:
        st.caption("The brief says it shows a scenario adjusted from the file.")
