"""Screenshots of each lesson of the Learn page: docs/learn-<n>-<lesson>.png before the
student commits, and docs/learn-<n>-<lesson>-feedback.png after (the first question
answered wrongly, the others rightly, so both kinds of feedback show). Usage::

    .venv/bin/python scripts/learn_screenshots.py [--port 8607] [--out docs]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import CHROMIUM, launch, serve, settle  # noqa: E402

from analysis import analyze  # noqa: E402
from analysis.casefile.loader import load_case  # noqa: E402
from analysis.course.exercises import exercise  # noqa: E402
from analysis.course.lessons import LESSONS  # noqa: E402


def _grow(page) -> None:
    script = "() => document.querySelector('[data-testid=stMain]').scrollHeight"
    height = page.evaluate(script)
    page.set_viewport_size({"width": 1400, "height": max(1000, int(height))})
    settle(page, quiet=0.5, timeout=240)


def _shot(page, path: Path) -> None:
    _grow(page)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1400, "height": 1000})
    print(path)


def _answer(page, lesson) -> None:
    task = exercise(lesson.id, analyze(load_case(lesson.case, ROOT)))
    radios = page.locator('[data-testid="stRadio"]')
    for q, choice in enumerate(task.choices):
        pick = (choice.answer + 1) % len(choice.options) if q == 0 else choice.answer
        radios.nth(2 + q).locator("[data-testid=stRadioOption]").nth(pick).click()
        settle(page, quiet=0.5, timeout=240)
    if lesson.id == "matrix":  # rate three cells: a blank matrix is not committed
        _rate_cells(page, rows=3)
    if task.bottom_line is not None:
        area = page.locator('[data-testid="stMain"] textarea').first
        area.fill("It is likely that the junior analyst leaked the memo, with low confidence.")
        area.press("Control+Enter")
        settle(page, quiet=0.5, timeout=240)


def _rate_cells(page, rows: int) -> None:
    """Type a rating into the first ``rows`` cells of the matrix's second hypothesis
    (typing "C" picks the first option it begins, CC): at the 1400 px viewport, that
    column's middle lies 560 px into the grid; the rows are 35 px, under a 35 px header."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    for row in range(rows):
        page.mouse.dblclick(box["x"] + 560, box["y"] + 35 * (row + 1) + 17)
        page.wait_for_timeout(600)
        page.keyboard.type("C")
        page.wait_for_timeout(300)
        page.keyboard.press("Enter")
        page.wait_for_timeout(600)
    settle(page, quiet=0.5, timeout=240)


def shoot(out: Path, port: int | None) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as root:
        for folder in ("hypotheses", "evidence"):
            shutil.copytree(ROOT / folder, Path(root) / folder)  # a root of its own
        with serve(None, Path(root), port) as url, sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/?page=learn")
            settle(page, timeout=240)
            for lesson in LESSONS:
                radios = page.locator('[data-testid="stRadio"]')
                radios.nth(1).locator("[data-testid=stRadioOption]").nth(lesson.number - 1).click()
                settle(page, timeout=240)
                name = f"learn-{lesson.number}-{lesson.id}"
                _shot(page, out / f"{name}.png")
                _answer(page, lesson)
                page.get_by_role("button", name="Commit my answers").click()
                settle(page, timeout=240)
                _shot(page, out / f"{name}-feedback.png")
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} not found: apt-get install -y chromium")
    shoot(args.out, args.port)


if __name__ == "__main__":
    main()
