"""A chart renderer failure is one request's error, never a process abort (issue 9)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import altair as alt
import pandas as pd
import pytest

from analysis.errors import ChartRenderError
from analysis.report.charts import chart_png, chart_svg, worker

PNG_MAGIC = b"\x89PNG"


def _chart(title: str = "fine"):
    data = pd.DataFrame({"x": [1, 2]})
    return alt.Chart(data).mark_bar().encode(x="x").properties(title=title)


def test_a_renderer_panic_is_an_error_and_the_next_chart_renders():
    # vl-convert panics (NonXmlChar) on U+0001 and, run in-process, aborts with SIGABRT
    with pytest.raises(ChartRenderError, match="crashed"):
        chart_png(_chart("a\x01b"))
    assert chart_png(_chart(), scale=1.0).startswith(PNG_MAGIC)
    assert chart_svg(_chart()).lstrip().startswith("<svg")


def test_the_calling_process_survives_a_renderer_panic():
    script = textwrap.dedent(
        """
        import altair as alt, pandas as pd
        from analysis.report.charts import chart_png
        chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_bar().encode(x="x")
        try:
            chart_png(chart.properties(title="\\x1b[2J"))
        except Exception as error:
            print(type(error).__name__)
        """
    )
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ChartRenderError"


def test_a_render_past_the_time_limit_is_an_error(monkeypatch):
    monkeypatch.setattr(worker, "TIMEOUT", 0.0)
    with pytest.raises(ChartRenderError, match="longer than"):
        chart_png(_chart())
    monkeypatch.undo()
    assert chart_png(_chart(), scale=1.0).startswith(PNG_MAGIC)


def test_more_than_5000_rows_render():
    data = pd.DataFrame({"x": range(6000), "y": range(6000)})
    chart = alt.Chart(data).mark_point().encode(x="x", y="y")
    assert chart_png(chart, scale=1.0).startswith(PNG_MAGIC)
