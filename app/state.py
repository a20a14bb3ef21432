"""Session state of the dashboard: which case is open, what the sliders moved, caches.

The sliders' numbers live in two places:

* each slider's own widget state (``st.session_state[key]``), which Streamlit drops
  when the slider is not drawn (another page is showing);
* :data:`ADJUST`, a plain dict that survives page changes: at the start of every run
  the values of the sliders drawn in the previous run are copied into it
  (:func:`sync_sliders`), and a slider drawn again starts from it (:func:`slider_start`).

A report of an event has no likelihoods of its own: its event's sliders and matrix
row (keyed by the event's id) move them, and :func:`analysis.scenario.prune` files any
move of a report under its event. The sidebar's switches that break key assumptions
(``broken|<id>``) are kept in the same store and are part of the adjustments.

The Matrix page's editor (:func:`editor_key`) feeds the same :data:`ADJUST` store: at
the start of every run :func:`sync_matrix_edits` checks its pending cell edits and
copies the valid ones in, so a typed number and a moved slider are one override.

Everything the pages show comes from one :class:`~analysis.engine.analyzer.Analysis` of the
adjusted case, cached by (case, file times, adjustments, yardstick): a slider move
reads no YAML and fits no Beta, it applies point values and runs the exact engine.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from analysis.case import Case, Event, Item
from analysis.casefile.judgments import Judgments
from analysis.casefile.schema import check_probability
from analysis.engine import Analysis, run
from analysis.scenario.adjustments import Adjustments, prune

#: The repository holding the bundled cases (the default root when "." has none).
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CASE = "nk-hamas"

#: session_state keys
ADJUST = "adjust"  # {"case": key, and a dict per kind of slider (KINDS)}
UPLOADS = "uploads"  # case name -> Case (uploaded pairs of files, kept in memory)
CASE = "case"  # the case picker's selection
ROOT = "root"

RESET = "sliders_reset"  # set by reset_sliders: a fragment's run then reruns the whole app
EDITOR_GENERATION = "matrix_editor_generation"  # bumped to give the editor a fresh state
EDIT_PROBLEMS = "matrix_edit_problems"  # rejected cell edits, shown once on the Matrix page

#: prefixes of the slider keys; a key is prefix + parts joined by "|"
PRIOR, LIKELIHOOD, CREDIBILITY = "prior", "likelihood", "credibility"
#: prefix of the sidebar's switches that break a key assumption (``broken|<id>``)
BROKEN = "broken"
KINDS = (PRIOR, LIKELIHOOD, CREDIBILITY, BROKEN)
UPLOAD_PREFIX = "upload: "


# -- command line -----------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> tuple[Path, str | None]:
    """``--root`` and ``--case`` from the arguments after ``--`` (as ``ach app`` passes them).

    Without ``--root`` the root is ``.`` when it holds a ``hypotheses/`` folder, else the
    repository (so ``AppTest.from_file`` finds the bundled cases from anywhere).
    """
    argv = sys.argv if argv is None else argv
    # ``streamlit run app.py -- --root X`` hands the script ``[app.py, --root, X]``;
    # accept the separator too, for callers that keep it.
    args = argv[argv.index("--") + 1 :] if "--" in argv else argv[1:]
    root: Path | None = None
    case: str | None = None
    for flag, value in zip(args, [*args[1:], None], strict=False):
        if flag == "--root" and value:
            root = Path(value)
        elif flag == "--case" and value:
            case = value
    if root is None:
        root = Path(".") if (Path(".") / "hypotheses").is_dir() else REPO_ROOT
    return root, case


def root() -> Path:
    """The folder holding hypotheses/ and evidence/ (a test may set ``session_state.root``)."""
    if ROOT not in st.session_state:
        st.session_state[ROOT] = str(parse_args()[0])
    return Path(st.session_state[ROOT])


def first_case(cases: list[str]) -> str | None:
    """The case to open first: ``--case``, else the seed case, else the first found."""
    wanted = parse_args()[1]
    for name in (wanted, DEFAULT_CASE):
        if name and name in cases:
            return name
    return cases[0] if cases else None


# -- loading (cached) -----------------------------------------------------------------------
def _stamp(root: Path, name: str) -> tuple[float, float]:
    """Modification times of the case's two files (a changed file reloads)."""
    stamps = []
    for folder in ("hypotheses", "evidence"):
        try:
            stamps.append((root / folder / f"{name}.yaml").stat().st_mtime_ns)
        except OSError:
            stamps.append(0)
    return tuple(stamps)  # type: ignore[return-value]


@st.cache_resource(max_entries=32, show_spinner=False)
def _load_case(name: str, root: str, stamp: tuple) -> Case:
    from analysis.casefile.loader import load_case

    return load_case(name, root)


def list_cases(root: Path) -> list[str]:
    from analysis.casefile.layout import list_cases as found

    try:
        return list(found(root))
    except OSError:
        return []


@dataclass(frozen=True)
class Opened:
    """The open case as the file (or upload) has it, and a key identifying that version."""

    case: Case
    key: tuple
    uploaded: bool = False


def open_case(selection: str) -> Opened:
    """Load the picked case (raises CaseError with located problems for a bad file)."""
    if selection.startswith(UPLOAD_PREFIX):
        case = st.session_state[UPLOADS][selection.removeprefix(UPLOAD_PREFIX)]
        return Opened(case, ("upload", case.name, case.content_hash), uploaded=True)
    base = root()
    stamp = _stamp(base, selection)
    case = _load_case(selection, str(base.resolve()), stamp)
    return Opened(case, ("file", selection, str(base.resolve()), stamp))


@st.cache_resource(max_entries=256, show_spinner=False)
def _analysis(_case: Case, case_key: tuple, adjust_key: tuple, yardstick: str) -> Analysis:
    from analysis.scenario.adjustments import apply

    return run(apply(_case, adjustments_from_key(adjust_key)), yardstick)


def adjustments_from_key(key: tuple) -> Adjustments:
    priors, likelihoods, credibilities, broken = key
    return Adjustments(dict(priors), dict(likelihoods), dict(credibilities), frozenset(broken))


def analysis_of(opened: Opened, adjustments: Adjustments, yardstick: str) -> Analysis:
    """The exact analysis of the adjusted case (cached)."""
    return _analysis(opened.case, opened.key, adjustments.key(), yardstick)


# -- slider state ---------------------------------------------------------------------------
def slider_key(kind: str, *parts: str) -> str:
    return "|".join((kind, *parts))


def _store(case_key: tuple) -> dict:
    """The adjustments of the open case; opening another case starts afresh."""
    store = st.session_state.get(ADJUST)
    if store is None or store.get("case") != case_key:
        reset_sliders()
        store = {"case": case_key, **{kind: {} for kind in KINDS}}
        st.session_state[ADJUST] = store
    return store


def _slider_moves():
    """``(kind, target, value)`` of every slider and switch drawn last run."""
    for key in list(st.session_state.keys()):
        kind, _, rest = str(key).partition("|")
        if kind not in KINDS or not rest:
            continue
        value = st.session_state.get(key)
        if value is None:
            continue
        target = tuple(rest.split("|")) if kind == LIKELIHOOD else rest
        yield kind, target, bool(value) if kind == BROKEN else float(value)


def held_moves() -> dict[str, dict]:
    """Every unsaved move the session holds, by kind (the adjustments with the sliders
    drawn last run): what :func:`restore_moves` puts back."""
    store = st.session_state.get(ADJUST) or {}
    moves = {kind: dict(store.get(kind, {})) for kind in KINDS}
    for kind, target, value in _slider_moves():
        moves[kind][target] = value
    return moves


def restore_moves(moves: dict[str, dict]) -> None:
    """Make ``moves`` (from :func:`held_moves`) the adjustments, after :func:`reset_sliders`:
    the sliders then start from them."""
    store = st.session_state.get(ADJUST)
    if store is not None:
        for kind in KINDS:
            store[kind] = dict(moves.get(kind, {}))


def sync_sliders(opened: Opened) -> Adjustments:
    """Copy the sliders drawn last run into the adjustments; return them, pruned."""
    store = _store(opened.key[:2])
    for kind, target, value in _slider_moves():
        store[kind][target] = value
    sync_matrix_edits(opened.case, store)
    broken = frozenset(a for a, on in store[BROKEN].items() if on)
    adjustments = prune(
        opened.case,
        Adjustments(dict(store[PRIOR]), dict(store[LIKELIHOOD]), dict(store[CREDIBILITY]), broken),
    )
    store[PRIOR] = dict(adjustments.priors)
    store[LIKELIHOOD] = dict(adjustments.likelihoods)
    store[CREDIBILITY] = dict(adjustments.credibilities)
    store[BROKEN] = dict.fromkeys(adjustments.broken, True)
    return adjustments


def start_value(kind: str, target, file_value: float | bool) -> tuple[str, float | bool]:
    """The key of a slider and the value it starts from: its own state, else the
    adjusted, else the file's value.

    Pass the value as the slider's ``value`` rather than writing it to the slider's state:
    Streamlit scans the whole session state for a keyed slider drawn without a value, once
    per slider on every run.
    """
    key = slider_key(kind, *(target if isinstance(target, tuple) else (target,)))
    if key in st.session_state:
        value = st.session_state[key]
    else:
        value = (st.session_state.get(ADJUST) or {}).get(kind, {}).get(target, file_value)
    return key, bool(value) if kind == BROKEN else float(value)


def slider_start(kind: str, target, file_value: float | bool) -> str:
    """The key of a slider (or an assumption's switch), its state set to the adjusted
    (else the file's) value."""
    key, value = start_value(kind, target, file_value)
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def reset_sliders() -> None:
    """Back to the file's values: forget the adjustments, every slider's state and the
    matrix editor's pending edits (and flag :data:`RESET`: the sidebar's switches need
    drawing again)."""
    st.session_state[RESET] = True
    store = st.session_state.get(ADJUST)
    if store is not None:
        for kind in KINDS:
            store[kind] = {}
    for key in list(st.session_state.keys()):
        if str(key).partition("|")[0] in KINDS:
            del st.session_state[key]
    _fresh_editor()


# -- the matrix editor ------------------------------------------------------------------------
def editor_key() -> str:
    """The key of the Matrix page's likelihood editor (a new one drops its pending edits)."""
    return f"matrix_editor_{st.session_state.get(EDITOR_GENERATION, 0)}"


def _fresh_editor() -> None:
    st.session_state[EDITOR_GENERATION] = st.session_state.get(EDITOR_GENERATION, 0) + 1


#: The matrix editor's own columns (besides one per hypothesis).
EDITOR_COLUMNS = ("Item", "Changed", "Claim")


def editor_columns(case: Case, reserved: tuple[str, ...] = EDITOR_COLUMNS) -> dict[str, str]:
    """Column name -> hypothesis id of a matrix table: the labels, or the ids when two
    labels clash or a label is one of the table's own ``reserved`` column names."""
    labels = [h.label for h in case.hypotheses]
    clash = len(set(labels)) < len(labels) or bool(set(labels) & set(reserved))
    names = list(case.hypothesis_ids) if clash else labels
    return dict(zip(names, case.hypothesis_ids, strict=True))


def check_likelihood(value) -> float | str:
    """A typed likelihood as a float in [0, 1], or what is wrong with it (a sentence).

    The rule is the case files' (:func:`analysis.casefile.schema.check_probability`);
    only the parsing of typed text and the wording are the editor's.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return "is empty; enter a number between 0 and 1"
    try:
        number = float(value) if isinstance(value, str) else value
    except ValueError:
        number = None
    if isinstance(number, bool) or not isinstance(number, int | float):
        return f"{str(value)[:40]!r} is not a number between 0 and 1"
    try:
        return check_probability(number)
    except ValueError:
        return f"{float(number):g} is outside 0..1; a likelihood is a probability"


def likelihood_rows(case: Case) -> list[Item | Event]:
    """The matrix editor's rows: each lone item, and each event once in place of its
    reports (where its first report stands in file order; an event nobody reports last).
    An event's row edits the event's likelihoods, which all its reports share."""
    rows: list[Item | Event] = []
    placed: set[str] = set()
    for item in case.evidence:
        if item.event is None:
            rows.append(item)
        elif item.event not in placed:
            placed.add(item.event)
            rows.append(case.event_by_id[item.event])
    rows += [event for event in case.events if event.id not in placed]
    return rows


def sync_matrix_edits(case: Case, store: dict) -> None:
    """Copy the editor's pending cell edits (rows as :func:`likelihood_rows`) into the adjustments.

    A valid number becomes the cell's likelihood override, exactly as if its slider had
    been moved. A bad entry (empty, not a number, outside 0..1) changes nothing: it is
    described in :data:`EDIT_PROBLEMS` and the editor starts afresh, showing the values
    in force.
    """
    pending = st.session_state.get(editor_key())
    edited = (pending or {}).get("edited_rows") if hasattr(pending, "get") else None
    if not edited:
        return
    columns = editor_columns(case)
    rows = likelihood_rows(case)
    problems = []
    for row, cells in edited.items():
        try:
            item = rows[int(row)]
        except (ValueError, IndexError):
            continue
        for column, value in (cells or {}).items():
            h = columns.get(column)
            if h is None:
                continue
            checked = check_likelihood(value)
            target = (item.id, h)
            if isinstance(checked, str):
                kept = store[LIKELIHOOD].get(target, item.likelihoods[h].value)
                problems.append(f"{item.id} / {column}: {checked}. Kept {kept:.3g}.")
                continue
            store[LIKELIHOOD][target] = checked
            st.session_state.pop(slider_key(LIKELIHOOD, *target), None)  # no stale slider
    if problems:
        st.session_state[EDIT_PROBLEMS] = problems
        _fresh_editor()


def keep_in_address(key: str, value: str | None) -> None:
    """``?key=value`` in the page's address (removed for None), so that a reload, or the
    address passed on, opens the same case, page and analyst."""
    if value and st.query_params.get(key) != value:
        st.query_params[key] = value
    elif not value and key in st.query_params:
        del st.query_params[key]


# -- uncertainty runs (cached by their inputs) ---------------------------------------------------
#: set to "1" by ``ach app``: compile the open case's uncertainty model in the background
PRECOMPILE = "ACH_PRECOMPILE"
_PRECOMPILING: set[tuple] = set()
_PRECOMPILE_LOCK = threading.Lock()


def precompile_uncertainty(case: Case, judgments: Mapping[str, Judgments]) -> None:
    """Start compiling ``case``'s uncertainty model, and the Bayes pool of it and its
    analysts' ``judgments``, in a background thread (once per case version and set of
    judged cells), so that neither the Uncertainty page's first run nor the Analysts
    page's Bayes pool waits for the compiler.

    Only when :data:`PRECOMPILE` is set (``ach app`` sets it): the thread imports PyMC
    into the server, which a plain ``streamlit run`` or a test need not pay for.
    """
    if os.environ.get(PRECOMPILE) != "1":
        return
    judged = tuple(
        sorted((name, len(j.likelihoods), len(j.credibility)) for name, j in judgments.items())
    )
    with _PRECOMPILE_LOCK:
        if (case.content_hash, judged) in _PRECOMPILING:
            return
        _PRECOMPILING.add((case.content_hash, judged))
    threading.Thread(
        target=_compile, args=(case, dict(judgments)), name="ach-precompile", daemon=True
    ).start()


def _compile(case: Case, judgments: dict[str, Judgments]) -> None:
    from analysis.uncertainty.model import describe

    try:
        if describe(case)[0].n_parameters:  # else every number is fixed: no model
            from analysis.uncertainty.sampler import warm_up

            warm_up(case)
        if judgments:
            from analysis.uncertainty.pool import warm_up_pool

            warm_up_pool(case, judgments)
    except Exception:  # the run itself, when asked for, reports any failure
        return


@st.cache_resource(show_spinner=False)
def uncertainty_store() -> dict:
    """Finished uncertainty runs by (case content hash, seed, draws, chains), all sessions."""
    return {}


@st.cache_resource(max_entries=16, show_spinner=False)
def _with_uncertainty(_case: Case, key: tuple, yardstick: str, _summary) -> Analysis:
    return run(_case, yardstick, uncertainty=_summary)


def with_uncertainty(case: Case, key: tuple, yardstick: str, summary) -> Analysis:
    """The analysis of ``case`` with a finished uncertainty run (cached by the run's key)."""
    return _with_uncertainty(case, key, yardstick, summary)


@st.cache_resource(max_entries=64, show_spinner=False)
def _tornado(_analysis: Analysis, key: tuple, top: int):
    from analysis.engine.sensitivity import tornado

    return tornado(_analysis, top=top)


def tornado_of(analysis: Analysis, key: tuple, top: int = 15):
    """The sensitivity bars of ``analysis`` (cached by ``key``: case, adjustments, yardstick)."""
    return _tornado(analysis, key, top)
