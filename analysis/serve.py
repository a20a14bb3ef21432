"""Serving the dashboard: the Streamlit command line ``ach app`` runs, and its checks.

Streamlit's own settings apply (``STREAMLIT_*`` variables, ``.streamlit/config.toml``,
its free-port fallback); ``ach app`` adds only what the analyst asked for and two
safety defaults: case files are often sensitive, so the dashboard listens on loopback
unless ``--host`` or Streamlit's ``server.address`` says otherwise; and an upload may be
no larger than a case file may be (:data:`analysis.casefile.limits.MAX_UPLOAD_MB`),
whatever folder ``ach app`` runs from.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from analysis.casefile.limits import MAX_UPLOAD_MB
from analysis.errors import AchError

LOOPBACK = "127.0.0.1"
SCRIPT = Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py"


class ServeError(AchError, ValueError):
    """An address or port the dashboard cannot be served on."""


def configured_address() -> str | None:
    """``server.address`` as Streamlit's environment and config files set it, else None.

    Streamlit's command line reads ``STREAMLIT_SERVER_ADDRESS`` itself (click's
    environment prefix); its config module reads only the files.
    """
    if os.environ.get("STREAMLIT_SERVER_ADDRESS"):
        return os.environ["STREAMLIT_SERVER_ADDRESS"]
    from streamlit import config

    # reads ~/.streamlit and ./.streamlit config.toml and STREAMLIT_* afresh
    config.get_config_options(force_reparse=True)
    value = config.get_option("server.address")
    return value or None


def check_host(host: str) -> None:
    """Refuse an address that does not resolve or is not one of this machine's."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ServeError(
            f"--host {host!r} is not an address (error: {error}); "
            "give an address of this machine, e.g. 127.0.0.1 or 0.0.0.0"
        ) from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((address[0], 0))
        except OSError as error:
            raise ServeError(
                f"--host {host!r} is not an address of this machine ({error.strerror}); "
                "give one of its own, e.g. 127.0.0.1 or 0.0.0.0"
            ) from None


def check_port(host: str, port: int) -> None:
    """Refuse a port outside 1-65535 or already in use on ``host``."""
    if not 1 <= port <= 65535:
        raise ServeError(
            f"--port {port} is not a port; give a number from 1 to 65535, "
            "or leave --port out to let Streamlit choose a free one"
        )
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise ServeError(
                f"--port {port} cannot be used on {host} ({error.strerror}); choose another, "
                "or leave --port out to let Streamlit choose a free one"
            ) from None


def streamlit_command(
    root: Path, case: str | None, host: str | None, port: int | None
) -> list[str]:
    """The command that serves the dashboard, after checking ``host`` and ``port``.

    ``host`` None means: Streamlit's configured ``server.address``, else loopback.
    ``port`` None means: Streamlit's configured port and its free-port fallback.
    """
    address = host if host is not None else configured_address() or LOOPBACK
    if host is not None:
        check_host(host)
    if port is not None:
        check_port(address, port)
    command = [
        sys.executable, "-m", "streamlit", "run", str(SCRIPT),
        "--server.address", address,
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "viewer",
        "--server.maxUploadSize", str(MAX_UPLOAD_MB),
    ]  # fmt: skip
    if port is not None:
        command += ["--server.port", str(port)]
    command += ["--", "--root", str(root.resolve())]
    if case:
        command += ["--case", case]
    return command
