"""One analyst's dashboard session for the two-analysts race test, in its own process.

Streamlit's AppTest is not thread-safe: each run installs its own runtime in the
process-wide ``Runtime._instance`` and sets it to None when the run ends, and it patches
the global ``config.get_option``. Two AppTest sessions running at once in one process
therefore pull the runtime from under each other: the other script thread dies with
"Runtime hasn't been created!", its page is cut short, and the next slider lookup fails
with a KeyError. A real server has one runtime for all its sessions, so the app itself
is not at fault; the test runs each session in a process of its own instead.

Usage: python race_session.py ROOT NAME V1,V2,V3 MEETING_DIR
Before each move the session writes ``MEETING_DIR/NAME-STEP`` and waits for the other
session's file of the same step, so both move at the same moment.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from streamlit.testing.v1 import AppTest  # noqa: E402

APP = HERE.parent / "app" / "streamlit_app.py"
WAIT = 300  # seconds to wait for the other session at each step


def meet(folder: Path, name: str, step: int) -> None:
    (folder / f"{name}-{step}").touch()
    deadline = time.monotonic() + WAIT
    while sum(1 for _ in folder.glob(f"*-{step}")) < 2:
        if time.monotonic() > deadline:
            sys.exit(f"{name}: the other session never reached step {step}")
        time.sleep(0.01)


def main(root: str, name: str, values: str, meeting: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=300)
    at.session_state["root"] = root
    at.session_state["page"] = "weigh"
    at.session_state["analyst_name"] = name
    at.session_state["weigh_open:e1"] = True  # the items' expanders open: sliders drawn
    at.session_state["weigh_open:e2"] = True
    at.run()
    for step, value in enumerate(float(v) for v in values.split(",")):
        meet(Path(meeting), name, step)
        at.slider(key="likelihood|e1|a").set_value(value).run()
        at.slider(key=f"likelihood|e2|{'abc'[step]}").set_value(value).run()
        if at.exception:
            sys.exit(f"{name}: {at.exception[0].value}")


if __name__ == "__main__":
    main(*sys.argv[1:5])
