"""Chart rendering in a child process, so that a renderer crash is one request's error.

vl-convert is native code: on some input it panics and aborts the whole process,
which in the dashboard would cut off every user at once. Here it runs in one
long-lived child process (this file run as a script, which imports only vl-convert),
started on first use and restarted after a crash. A request that kills the child,
fails inside it or takes longer than :data:`TIMEOUT` seconds raises
:class:`~analysis.errors.ChartRenderError`; the calling process carries on.

The protocol, over the child's stdin and stdout: a request is one JSON line
``{"format": "png" | "svg", "spec": ..., "scale": ..., "fonts": folder | null}``; the
answer is one status byte (``0`` ok, ``1`` error), an 8-byte big-endian length and that
many bytes (the image, or the error message in UTF-8).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

#: Longest a single chart may take to render, in seconds.
TIMEOUT = 120.0


class _Worker:
    """The child process and the lock that gives it one request at a time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, "-I", str(Path(__file__).resolve())],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "RUST_BACKTRACE": "0"},
            )
        return self.process

    def _stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()
            for pipe in (self.process.stdin, self.process.stdout):
                if pipe is not None:
                    with contextlib.suppress(OSError):  # a broken pipe to a dead child
                        pipe.close()
        self.process = None

    def render(self, request: dict) -> bytes:
        from analysis.errors import ChartRenderError  # not at the top: the child lacks it

        with self.lock:
            process = self._start()
            assert process.stdin is not None and process.stdout is not None
            try:
                process.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
                process.stdin.flush()
                head = _read(process.stdout.fileno(), 9)
                body = _read(process.stdout.fileno(), int.from_bytes(head[1:], "big"))
            except (OSError, EOFError, TimeoutError) as exc:
                self._stop()
                raise ChartRenderError(f"the chart renderer stopped ({_why(exc)})") from None
            if head[0] != 0:
                raise ChartRenderError(f"the chart renderer refused the chart ({body.decode()})")
            return body


def _why(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return f"it took longer than {TIMEOUT:g} s"
    return "it crashed on this chart"


def _read(fd: int, size: int) -> bytes:
    """Exactly ``size`` bytes from ``fd`` within :data:`TIMEOUT` (EOFError if it closes)."""
    chunks, left = [], size
    deadline = time.monotonic() + TIMEOUT
    while left:
        wait = deadline - time.monotonic()
        if wait <= 0 or not select.select([fd], [], [], wait)[0]:
            raise TimeoutError
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


_WORKER = _Worker()
atexit.register(_WORKER._stop)


def render(spec: dict, fmt: str, scale: float = 1.0, fonts: str | None = None) -> bytes:
    """``spec`` (a Vega-Lite dict) as PNG or SVG bytes, rendered in the child process."""
    return _WORKER.render({"format": fmt, "spec": spec, "scale": scale, "fonts": fonts})


def _serve() -> None:
    """The child's loop: read requests from stdin, answer on stdout, until stdin closes."""
    import vl_convert

    out = sys.stdout.buffer
    registered: set[str] = set()
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
            fonts = request.get("fonts")
            if fonts and fonts not in registered:
                vl_convert.register_font_directory(fonts)
                registered.add(fonts)
            if request["format"] == "svg":
                body = vl_convert.vegalite_to_svg(request["spec"], allowed_base_urls=[]).encode()
            else:
                body = vl_convert.vegalite_to_png(
                    request["spec"], scale=request["scale"], allowed_base_urls=[]
                )
            status = 0
        except Exception as exc:  # the error goes back to the caller, one line
            status, body = 1, (str(exc).splitlines() or [type(exc).__name__])[0][:300].encode()
        out.write(bytes([status]) + len(body).to_bytes(8, "big") + body)
        out.flush()


if __name__ == "__main__":
    _serve()
