"""Server-side cost of the dashboard at two sizes, as ratios (issue 11's targets).

Drives the app with Streamlit's AppTest on the seed case (23 items x 4 hypotheses) and
on a synthetic case of 1000 items x 10 hypotheses written to a temporary folder:

* slider move: set one likelihood slider of an open item on the Weigh page and time the
  script run (median over ``--moves`` moves after three warm-up moves). Target: the
  1000 x 10 move costs at most 1.5x the seed's.
* first render: a new session opening each page (the case is already loaded in the
  process, as it is for every visitor after the first; median of ``--renders``
  sessions). Target: at most 2x the seed's.
* opening the case: the first session on it in this process (YAML read, validated).

The cases take turns, move by move and session by session, so a change in the machine's
load during the run weighs on both sides of a ratio alike.

Run: .venv/bin/python benchmarks/app.py [--moves 30] [--renders 5] [--sizes 1000]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
from streamlit.testing.v1 import AppTest

# setting a session's state before its first run warns that there is no script run yet
# (Streamlit sets its loggers' levels again at every run: a filter stays)
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
    lambda record: "missing ScriptRunContext" not in record.getMessage()
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
APP = ROOT / "app" / "streamlit_app.py"
SEED = ("nk-hamas", ROOT, "likelihood|jcs-channel-unstated|direct")
MOVE_TARGET, RENDER_TARGET = 1.5, 2.0


def session(root: Path, case: str, page: str, item: str | None = None) -> AppTest:
    from app.views.weigh import ORDER, open_key

    at = AppTest.from_file(str(APP), default_timeout=600)
    at.session_state[ORDER] = "file"  # the item moved is the file's first: on page one
    at.session_state["root"] = str(root)
    at.session_state["case"] = case
    at.session_state["page"] = page
    if item is not None:
        at.session_state[open_key(item)] = True  # its expander open, as an analyst would
    return at


def timed_run(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    if at.exception:
        sys.exit(f"the app failed: {at.exception}")
    return 1000 * seconds


def slider_moves(cases, moves: int) -> dict[str, float]:
    """Median ms of a slider move on the Weigh page, per case (the cases take turns)."""
    sessions = {}
    for name, root, slider in cases:
        sessions[name] = at = session(root, name, "weigh", item=slider.split("|")[1])
        at.run()
    times: dict[str, list[float]] = {name: [] for name in sessions}
    for i in range(moves + 3):
        for (name, _root, slider), at in zip(cases, sessions.values(), strict=True):
            at.slider(key=slider).set_value(round(0.05 + 0.01 * (i % 40), 2))
            times[name].append(timed_run(at))
    return {name: statistics.median(t[3:]) for name, t in times.items()}


def first_renders(cases, pages, repeats: int) -> dict[str, dict[str, float]]:
    """Ms of each page's first run in a new session, per case (median of ``repeats``)."""
    times = {name: {page: [] for page in pages} for name, _root, _slider in cases}
    for _ in range(repeats):
        for page in pages:
            for name, root, _slider in cases:
                times[name][page].append(timed_run(session(root, name, page)))
    return {
        name: {page: statistics.median(t) for page, t in by_page.items()}
        for name, by_page in times.items()
    }


def write_synthetic(folder: Path, n: int, k: int = 10) -> str:
    from analysis.casefile.writer import dump_yaml
    from analysis.testing.synthetic import synthetic_case

    case = synthetic_case(k, n, seed=1)
    for sub, text in zip(("hypotheses", "evidence"), dump_yaml(case), strict=True):
        (folder / sub).mkdir(exist_ok=True)
        (folder / sub / f"{case.name}.yaml").write_text(text, encoding="utf-8")
    return case.name


def verdict(ratio: float, target: float) -> str:
    return f"{ratio:5.2f}x (target <= {target:g}x: {'met' if ratio <= target else 'NOT met'})"


def main() -> None:
    from app.views import PAGE_TITLES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=30, help="timed slider moves per case")
    parser.add_argument("--renders", type=int, default=5, help="new sessions per page and case")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000], help="items (x 10)")
    args = parser.parse_args()
    pages = list(PAGE_TITLES)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = [SEED] + [
            (name, folder, "likelihood|e0|h0")
            for name in (write_synthetic(folder, n) for n in args.sizes)
        ]
        session(ROOT, "nk-hamas", "matrix").run()  # imports, outside every figure
        openings = {name: timed_run(session(root, name, "matrix")) for name, root, _ in cases}
        renders = first_renders(cases, pages, args.renders)
        moves = slider_moves(cases, args.moves)
        results = {name: (openings[name], renders[name], moves[name]) for name in openings}
    _seed_open, seed_renders, seed_move = results[SEED[0]]
    print(f"slider move: median of {args.moves}; first render: median of {args.renders}")
    print(f"{'case':<22} {'open (ms)':>9} {'slider move (ms)':>17}  ratio to the seed")
    for name, (opening, _, move) in results.items():
        ratio = "" if name == SEED[0] else verdict(move / seed_move, MOVE_TARGET)
        print(f"{name:<22} {opening:>9.0f} {move:>17.0f}  {ratio}")
    print("\nfirst render of each page (ms)")
    for name, (_, renders, _) in results.items():
        if name == SEED[0]:
            continue
        print(f"  {'page':<12} {'seed':>7} {name:>22}  ratio to the seed")
        for page in pages:
            ratio = renders[page] / seed_renders[page]
            print(
                f"  {page:<12} {seed_renders[page]:>7.0f} {renders[page]:>22.0f}  "
                f"{verdict(ratio, RENDER_TARGET)}"
            )


if __name__ == "__main__":
    main()
