"""Cost of the Build page as a case grows: one edit, and one redraw, at 5 and 100 items.

* **edit**: a change to one likelihood of a :class:`~analysis.casefile.edit.Draft`,
  then what every edit costs after it: writing both documents back to YAML (ruamel
  round trip) and checking them with the case loader (median of 10);
* **redraw**: the Build page's Evidence step redrawn by AppTest with no change (the
  table of every item plus one item's form), median of 10 runs.

Prints each figure and the 100-item / 5-item ratio.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.casefile.edit import Draft, save_draft  # noqa: E402

APP = ROOT / "app" / "streamlit_app.py"
RUNS = 10


def _case(root: Path, items: int) -> str:
    """A copy of office-leak grown (or cut) to ``items`` evidence items, saved under root."""
    draft = Draft.read(root, "office-leak")
    template = dict(draft.entries("evidence")[1])
    while len(draft.entries("evidence")) > 1:
        draft.remove("evidence", 1)
    for n in range(items - 1):
        draft.add("evidence", {**template, "id": f"extra-{n}"})
    name = f"grown-{items}"
    save_draft(draft, root, name)
    return name


def _edit_ms(root: Path, name: str) -> float:
    draft = Draft.read(root, name)
    times = []
    for run in range(RUNS):
        start = time.perf_counter()
        draft.set(("evidence", 0, "likelihoods", "analyst"), 0.5 + run / 100)
        draft.texts()
        draft.problems()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def _redraw_ms(root: Path, name: str) -> float:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["root"] = str(root)
    at.session_state["page"] = "build"
    at.run()
    at.selectbox(key="build_open_name").set_value(name)
    at.button(key="build_open").click()
    at.run()
    at.radio(key="build_step").set_value("evidence")
    at.run()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        at.run()
        times.append(1000 * (time.perf_counter() - start))
        if at.exception:
            sys.exit(f"the app failed: {at.exception}")
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for sub in ("hypotheses", "evidence"):
            shutil.copytree(ROOT / sub, root / sub)
        figures = {}
        for items in (5, 100):
            name = _case(root, items)
            figures[items] = (_edit_ms(root, name), _redraw_ms(root, name))
            edit, redraw = figures[items]
            print(f"build page, {items} items: edit + YAML + check {edit:.0f} ms; "
                  f"redraw {redraw:.0f} ms")  # fmt: skip
        print(
            f"ratio 100 / 5 items: edit {figures[100][0] / figures[5][0]:.1f}x, "
            f"redraw {figures[100][1] / figures[5][1]:.1f}x"
        )


if __name__ == "__main__":
    main()
