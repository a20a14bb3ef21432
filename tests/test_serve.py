"""``ach app``: Streamlit's own settings apply, loopback by default, bad addresses refused."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from analysis.cli import app
from analysis.serve import LOOPBACK, streamlit_command

ACH = Path(sys.executable).with_name("ach")
URL = re.compile(rb"URL: (http://[\d.]+:(\d+))")


def _option(command: list[str], name: str) -> str | None:
    return command[command.index(name) + 1] if name in command else None


def free_port() -> int:
    """A loopback port no one listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def bare_env(tmp_path, monkeypatch):
    """No Streamlit settings from this machine: an empty HOME and a folder without config."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for key in [k for k in os.environ if k.startswith("STREAMLIT_")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_no_port_is_passed_unless_asked(bare_env):
    command = streamlit_command(ROOT, "nk-hamas", None, None)
    assert "--server.port" not in command
    assert _option(command, "--server.address") == LOOPBACK


def test_a_given_port_and_host_are_passed(bare_env):
    port = free_port()  # a fixed number may be taken by a dashboard already running
    command = streamlit_command(ROOT, None, "127.0.0.1", port)
    assert _option(command, "--server.port") == str(port)
    assert _option(command, "--server.address") == "127.0.0.1"


def test_streamlit_server_address_from_the_environment_applies(bare_env, monkeypatch):
    monkeypatch.setenv("STREAMLIT_SERVER_ADDRESS", "0.0.0.0")
    assert _option(streamlit_command(ROOT, None, None, None), "--server.address") == "0.0.0.0"


def test_streamlit_server_address_from_config_toml_applies(bare_env):
    (bare_env / ".streamlit").mkdir()
    (bare_env / ".streamlit" / "config.toml").write_text('[server]\naddress = "0.0.0.0"\n')
    code = (
        "from pathlib import Path; from analysis.serve import streamlit_command; "
        "c = streamlit_command(Path('.'), None, None, None); "
        "print(c[c.index('--server.address') + 1])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=bare_env
    )
    assert out.stdout.strip() == "0.0.0.0"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--port", "99999"], "--port 99999 is not a port"),
        (["--port", "0"], "--port 0 is not a port"),
        (["--host", "999.1.1.1"], "--host '999.1.1.1' is not an address"),
        (["--host", "not a host name"], "is not an address"),
    ],
)
def test_bad_host_or_port_exits_2_with_one_line(args, expected):
    result = CliRunner().invoke(app, ["app", "nk-hamas", "--root", str(ROOT), *args])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0]
    assert "Traceback" not in result.output


def test_a_port_in_use_is_refused(bare_env):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["app", "--root", str(ROOT), "--port", str(port)])
    assert result.exit_code == 2
    assert f"--port {port} cannot be used" in result.output


def _wait_for_url(process: subprocess.Popen, deadline: float) -> tuple[str, int]:
    seen = b""
    os.set_blocking(process.stdout.fileno(), False)
    while time.monotonic() < deadline:
        chunk = process.stdout.read() or b""
        seen += chunk
        match = URL.search(seen)
        if match:
            return match.group(1).decode(), int(match.group(2))
        assert process.poll() is None, f"ach app exited: {seen.decode(errors='replace')}"
        time.sleep(0.2)
    raise AssertionError(f"no URL printed: {seen.decode(errors='replace')}")


def test_two_dashboards_without_a_port_both_serve(bare_env):
    """The second moves to a free port (Streamlit's fallback) and says where it is."""
    processes = [
        subprocess.Popen(
            [str(ACH), "app", "nk-hamas", "--root", str(ROOT)],
            cwd=bare_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(2)
    ]
    try:
        deadline = time.monotonic() + 120
        found = [_wait_for_url(p, deadline) for p in processes]
        assert len({port for _, port in found}) == 2
        for url, _ in found:
            assert url.startswith(f"http://{LOOPBACK}:")
            with urllib.request.urlopen(url + "/_stcore/health", timeout=10) as response:
                assert response.status == 200
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
            process.stdout.close()


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("../x", "case name: '../x' is refused"),
        ("nonexist", "hypotheses/nonexist.yaml: file not found"),
    ],
)
def test_a_case_that_cannot_be_opened_is_refused_before_the_server_starts(
    monkeypatch, case, expected
):
    started = []
    monkeypatch.setattr("subprocess.run", lambda *a, **k: started.append(a))
    monkeypatch.setattr("subprocess.Popen", lambda *a, **k: started.append(a))
    result = CliRunner().invoke(app, ["app", case, "--root", str(ROOT)])
    assert result.exit_code == 2, result.output
    assert any(line.startswith(expected) for line in result.output.splitlines()), result.output
    assert "Starting the dashboard" not in result.output and not started
