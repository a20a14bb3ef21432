"""Server-side time of a slider move on the dashboard (seed case, Weigh page).

Drives the app with Streamlit's AppTest: set one likelihood slider, run the script,
time the run. Prints the median of 20 moves (after two warm-up moves). Target: under
250 ms. The time covers the whole script run: reading the slider state, applying the
adjustments, the exact engine, and drawing every widget and chart of the page.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app" / "streamlit_app.py"
SLIDER = "likelihood|jcs-rockets-nk-made|none"
MOVES = 20
TARGET_MS = 250.0


def main() -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["page"] = "weigh"
    at.run()
    if at.exception:
        sys.exit(f"the app failed: {at.exception}")
    values = [round(0.05 + 0.01 * (i % 40), 2) for i in range(MOVES + 2)]
    times = []
    for value in values:
        at.slider(key=SLIDER).set_value(value)
        start = time.perf_counter()
        at.run()
        times.append(1000 * (time.perf_counter() - start))
        if at.exception:
            sys.exit(f"the app failed: {at.exception}")
    times = times[2:]  # warm-up
    median = statistics.median(times)
    print(
        f"app slider move (nk-hamas, Weigh page, AppTest): median {median:.0f} ms over "
        f"{len(times)} moves (min {min(times):.0f}, max {max(times):.0f}); target < "
        f"{TARGET_MS:.0f} ms: {'met' if median < TARGET_MS else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
