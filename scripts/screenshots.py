"""Screenshots of every dashboard page for the README: docs/app-<page>.png.

Starts the dashboard on a free loopback port, drives Debian's headless Chromium
through Playwright and saves one PNG per page. Usage::

    .venv/bin/python scripts/screenshots.py [--case nk-hamas] [--out docs]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.views import PAGE_TITLES  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = tuple(PAGE_TITLES)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(case: str | None = None, root: Path = ROOT, port: int | None = None) -> Iterator[str]:
    """Run the dashboard on 127.0.0.1 (``port``, else a free one) until the block ends;
    yield its URL."""
    port = port or free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "streamlit_app.py"),
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--client.toolbarMode", "viewer",
        "--", "--root", str(root),
    ]  # fmt: skip
    if case:
        command += ["--case", case]
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below)
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                log.seek(0)
                output = log.read().decode(errors="replace")
                raise RuntimeError(f"streamlit exited with {process.returncode}:\n{output}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit did not answer within 180 s")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def slide_to(page, thumb, target: float, key: str, limit: int = 200) -> None:
    """Press ``key`` on a focused slider thumb until its value reaches ``target``.

    A press that lands while the app reruns may be lost, so the value is checked
    after each one rather than counting presses.
    """
    for _ in range(limit):
        if abs(float(thumb.input_value()) - target) < 1e-6:
            return
        thumb.focus()
        page.keyboard.press(key)
        page.wait_for_timeout(60)
    raise AssertionError(f"slider stuck at {thumb.input_value()}, wanted {target}")


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def settle(page, quiet: float = 1.0, timeout: float = 180.0) -> None:
    """Wait until the app has finished running and the page has stopped changing."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0
        skeleton = page.locator('[data-testid="stSkeleton"]').count() > 0
        digest = hashlib.sha256(page.content().encode()).hexdigest()
        if running or skeleton or digest != last:
            last, since = digest, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.2)
    raise TimeoutError("the page kept changing")


def shoot(out: Path, case: str | None, pages=PAGES) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serve(case) as url, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for name in pages:
            page.goto(f"{url}/?page={'weigh' if name == 'export' else name}")
            settle(page)
            # on the seed case, open an item and move a slider, as analysts do
            if name in ("weigh", "export") and case in (None, "nk-hamas"):
                page.get_by_text("jcs-channel-unstated", exact=False).first.click()
                settle(page)
                item = page.locator('[data-testid="stExpander"]')
                item = item.filter(has_text="jcs-channel-unstated").first
                thumb = item.locator('[data-testid="stSlider"]').nth(0).locator("input")
                slide_to(page, thumb, 0.35, "ArrowLeft")
                settle(page)
            if name == "export":  # the same session, so the scenario is kept
                page.locator('[data-testid="stSidebar"]').get_by_text("Save and export").click()
                settle(page)
            if name == "uncertainty":
                page.get_by_role("button", name="Run the uncertainty analysis").click()
                settle(page, quiet=2.0, timeout=600)
            if name == "analysts":  # open the disagreement that matters most
                page.locator('[data-testid="stExpander"]').first.click()
                settle(page)
            path = out / f"app-{name}.png"
            if name != "weigh":  # the main area scrolls inside the app: grow the window
                height = page.evaluate(
                    "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
                )
                page.set_viewport_size({"width": 1400, "height": max(1000, int(height))})
                settle(page, quiet=0.5)
            page.screenshot(path=str(path))
            page.set_viewport_size({"width": 1400, "height": 1000})
            written.append(path)
            print(path)
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", default="nk-hamas")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--page", action="append", choices=PAGES, help="only these pages")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} not found: apt-get install -y chromium")
    shoot(args.out, args.case, tuple(args.page or PAGES))


if __name__ == "__main__":
    main()
