"""The ACH workbench dashboard: ``ach app`` or ``streamlit run app/streamlit_app.py``.

Arguments after ``--``: ``--root DIR`` (folder with hypotheses/ and evidence/) and
``--case NAME`` (the case to open first; default the seed case ``nk-hamas``).

One entry point; each page is a function in :mod:`app.views`. Every page renders
from one :class:`~analysis.engine.analyzer.Analysis` of the adjusted case; nothing here
computes the analysis.
"""

from __future__ import annotations

import sys
from pathlib import Path

# ``streamlit run`` puts app/ itself on sys.path; the package lives one level up.
_REPO = str(Path(__file__).resolve().parent.parent)
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

import hashlib  # noqa: E402

import streamlit as st  # noqa: E402

from analysis.errors import CaseError  # noqa: E402
from analysis.scales import YARDSTICKS  # noqa: E402
from analysis.wording import count  # noqa: E402
from app import identity, state  # noqa: E402
from app.views import (  # noqa: E402
    PAGE_TITLES,
    analysts,
    build,
    export,
    indicators,
    learn,
    matrix,
    movement,
    overview,
    sensitivity,
    uncertainty,
    weigh,
)
from app.views.context import View  # noqa: E402
from app.widgets import esc, narrow_windows, posterior_lines, problem_lines  # noqa: E402

_SHOW = {
    "overview": overview.show,
    "matrix": matrix.show,
    "weigh": weigh.show,
    "movement": movement.show,
    "sensitivity": sensitivity.show,
    "indicators": indicators.show,
    "uncertainty": uncertainty.show,
    "learn": learn.show,
    "analysts": analysts.show,
    "export": export.show,
    "build": lambda view: build.show(view.root),  # main() shows it before opening a case
}
PAGES = {key: (title, _SHOW[key]) for key, title in PAGE_TITLES.items()}
YARDSTICK_NAMES = {"icd203": "ICD 203 (US)", "phia": "PHIA (UK)"}
UPLOAD_SEEN = "upload_seen"
UPLOAD_ERRORS = "upload_errors"


def _upload_section() -> None:
    """A pair of YAML files to open as a case; problems show as the CLI prints them."""
    with st.sidebar.expander("Upload a case (two YAML files)"):
        hyp = st.file_uploader("Hypotheses file", type=["yaml", "yml"], key="upload_hypotheses")
        ev = st.file_uploader("Evidence file", type=["yaml", "yml"], key="upload_evidence")
        if hyp is None or ev is None:
            st.session_state.pop(UPLOAD_ERRORS, None)
            return
        hyp_bytes, ev_bytes = hyp.getvalue(), ev.getvalue()
        seen = hashlib.sha256(hyp_bytes + b"\0" + ev_bytes).hexdigest()
        if st.session_state.get(UPLOAD_SEEN) != seen:
            st.session_state[UPLOAD_SEEN] = seen
            _open_upload(hyp_bytes, ev_bytes, hyp.name, ev.name)
        errors = st.session_state.get(UPLOAD_ERRORS)
        if errors:
            st.error(f"The uploaded case has {count(len(errors), 'problem')}:")
            problem_lines(errors)


def _open_upload(hyp_bytes: bytes, ev_bytes: bytes, hyp_name: str, ev_name: str) -> None:
    from analysis.casefile.loader import load_case_texts

    try:
        case = load_case_texts(hyp_bytes, ev_bytes, f"hypotheses/{hyp_name}", f"evidence/{ev_name}")
    except CaseError as error:
        st.session_state[UPLOAD_ERRORS] = error.lines()
        return
    st.session_state.pop(UPLOAD_ERRORS, None)
    st.session_state.setdefault(state.UPLOADS, {})[case.name] = case
    st.session_state[state.CASE] = state.UPLOAD_PREFIX + case.name


def _sidebar_top() -> tuple[str | None, str, str]:
    """Case picker, upload and page choice; returns (case selection, page, yardstick)."""
    st.sidebar.title("ACH workbench")
    picker = st.sidebar.container()
    _upload_section()
    cases = state.list_cases(state.root())
    uploads = st.session_state.setdefault(state.UPLOADS, {})
    options = cases + [state.UPLOAD_PREFIX + name for name in uploads]
    if state.CASE not in st.session_state and st.query_params.get("case") in cases:
        st.session_state[state.CASE] = st.query_params["case"]  # a reload, or ?case=name
    if st.session_state.get(state.CASE) not in options:
        st.session_state[state.CASE] = state.first_case(cases) or (options[0] if options else None)
    selection = picker.selectbox(
        "Case", options, key=state.CASE, help=f"Cases under {state.root().resolve()}"
    )
    state.keep_in_address("case", selection if selection in cases else None)
    if "page" not in st.session_state and st.query_params.get("page") in PAGES:
        st.session_state["page"] = st.query_params["page"]  # a link such as ?page=weigh
    if "page" not in st.session_state and not options:
        st.session_state["page"] = "build"  # an empty folder: start by building a case
    page = st.sidebar.radio("Page", list(PAGES), format_func=lambda p: PAGES[p][0], key="page")
    state.keep_in_address("page", page)
    yardstick = st.sidebar.selectbox(
        "Estimative language",
        list(YARDSTICKS),
        format_func=lambda y: YARDSTICK_NAMES.get(y, y),
        key="yardstick",
    )
    return selection, page or "overview", yardstick or "icd203"


def _sidebar_bottom(view: View, page: str) -> None:
    with st.sidebar:
        st.divider()
        st.markdown("**Posterior now**")
        if learn.hides_posterior(page):  # it would give the exercise's answer away
            st.caption("Hidden on the Learn page, so it cannot anchor your answers.")
        else:
            posterior_lines(view.analysis, view.file_analysis if view.adjusted else None)
        n = len(view.changes)
        if n:
            st.markdown(f"● **{count(n, 'change')}** from the file")
            st.button("Reset to the file's values", key="reset", on_click=state.reset_sliders)
        else:
            st.caption(view.unchanged_note)


def _assumption_switches(case) -> None:
    """A switch per key assumption that breaks it: its items carry no weight on every page."""
    if not case.assumptions:
        return
    with st.sidebar:
        st.divider()
        st.markdown("**Key assumptions**")
        st.caption("Break one to see the case without the evidence resting on it.")
        for assumption in case.assumptions:
            st.toggle(
                f"Break {assumption.id}",
                key=state.slider_start(state.BROKEN, assumption.id, False),
                help=esc(f"{assumption.statement} Rests on: {', '.join(assumption.rests_on)}."),
            )


def _broken_note(view: View) -> None:
    """Which key assumptions are broken, and what no longer counts (every page)."""
    from analysis.engine.failing import resting_rows

    case = view.file_case
    for assumption in case.assumptions:
        if assumption.id in view.adjustments.broken:
            rows = resting_rows(case, [assumption.id])
            items = ", ".join(case.evidence[i].id for i in rows)
            st.warning(
                f"Assumption **{assumption.id}** broken ({esc(assumption.statement)}): "
                f"{count(len(rows), 'item')} resting on it "
                + ("carries" if len(rows) == 1 else "carry")
                + " no weight here"
                + (f" ({esc(items)})." if items else "."),
            )


def _sidebar_weigh() -> None:
    """The sidebar's foot on the Weigh page, which shows the posterior beside its sliders."""
    with st.sidebar:
        st.divider()
        st.caption(
            "The posterior and the changes from the file are beside the sliders (above "
            "them in a narrow window)."
        )


def _view(opened: state.Opened, personal: identity.Personal, yardstick: str) -> View:
    seen, adjustments = personal.seen, personal.adjustments
    return View(
        root=state.root(),
        file_case=seen.case,
        adjustments=adjustments,
        analysis=state.analysis_of(seen, adjustments, yardstick),
        file_analysis=state.analysis_of(seen, type(adjustments)(), yardstick),
        key=(seen.key, adjustments.key(), yardstick),
        uploaded=opened.uploaded,
        shared_case=opened.case,
        judgments=personal.judgments,
        panel_key=personal.panel_key,
        seen_as=personal.who,
        analyst=personal.name,
    )


def _title(view: View, opened: state.Opened, personal: identity.Personal, page: str) -> None:
    """The case's title and question, whose view and how far the scenario moved (not on
    the Weigh page, which draws this once per full run and lists the changes itself)."""
    st.markdown(f"### {esc(opened.case.title)}", unsafe_allow_html=True)
    moved = bool(view.adjustments) and page != "weigh"
    n = len(view.changes) if moved else 0
    parts = [
        esc(opened.case.question) if page != "overview" else "",  # the Overview prints it
        "uploaded case" if opened.uploaded else "",
        personal.status,
        f"**scenario: {count(n, 'change')} from the file**" if moved else "",
    ]
    if any(parts):
        st.caption(" · ".join(part for part in parts if part))
    _broken_note(view)


def _page(opened: state.Opened, personal: identity.Personal, page: str, yardstick: str) -> None:
    """The main area: the view of the open case with the sliders' moves, then the page
    (and the sidebar's foot, except on the Weigh page, whose fragment cannot draw there)."""
    view = _view(opened, personal, yardstick)
    if page not in ("learn", "weigh"):  # the lessons use their own bundled cases; the Weigh
        _title(view, opened, personal, page)  # page's title stands outside its fragment
    if page != "weigh":
        _sidebar_bottom(view, page)
    PAGES[page][1](view)


#: session_state key: the personal view a full run made, for the Weigh page's fragment
FULL_RUN = "weigh_full_run"


@st.fragment
def _weigh(selection: str, yardstick: str, name: str | None, key: tuple) -> None:
    """The Weigh page as a fragment: a slider move (or an item opened) reruns it alone,
    not the sidebar. On such a rerun the case is looked at again; if its files changed or
    broke since the full run that drew the sidebar (``key``), or the sliders were reset
    (the sidebar's switches with them), the whole app reruns."""
    personal = st.session_state.pop(FULL_RUN, None)
    if personal is None:  # this fragment alone reruns
        try:
            opened = state.open_case(selection)
        except CaseError:
            opened = None
        if opened is None or opened.key != key or st.session_state.pop(state.RESET, False):
            st.rerun(scope="app")
        personal = identity.personal_view(opened, name, notes=st)
    else:
        opened = state.open_case(selection)
    _page(opened, personal, "weigh", yardstick)


def main() -> None:
    # no page_icon: a Material icon is fetched from the internet on every page load;
    # Streamlit's bundled favicon needs no network
    st.set_page_config(page_title="ACH workbench", layout="wide")
    narrow_windows()
    selection, page, yardstick = _sidebar_top()
    if page == "build":  # works without an open case (e.g. in an empty folder)
        build.show(state.root())
        return
    if selection is None:
        st.error(
            f"No cases under {state.root().resolve()}: it needs hypotheses/<case>.yaml and "
            "evidence/<case>.yaml. Build one on the Build page, or upload a pair of files in "
            "the sidebar."
        )
        return
    try:
        opened = state.open_case(selection)
    except CaseError as error:
        st.error(f"The case '{selection}' has problems:")
        problem_lines(error.lines())
        return
    name = identity.sidebar(opened)
    state.precompile_uncertainty(opened.case, identity.judgments_of(opened)[0])
    personal = identity.personal_view(opened, name)  # before the switches it may reset
    _assumption_switches(opened.case)
    st.session_state.pop(state.RESET, None)  # this run draws everything afresh
    if page == "weigh":
        _sidebar_weigh()
        _title(_view(opened, personal, yardstick), opened, personal, page)
        st.session_state[FULL_RUN] = personal
        _weigh(selection, yardstick, name, opened.key)
    else:
        _page(opened, personal, page, yardstick)


main()
