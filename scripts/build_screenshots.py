"""Build a small case in a real browser from an empty folder; a screenshot of each step.

Starts the dashboard on an empty temporary folder (or ``--root``), drives Debian's
headless Chromium through the Build page as a new user would (question, three
hypotheses, a source, two items, save) and writes docs/build-<n>-<step>.png. The
browser test (tests/test_browser.py) runs the same :func:`build_case`. Usage::

    .venv/bin/python scripts/build_screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HYPOTHESES = [("ann", "Ann took it"), ("bob", "Bob took it")]
ITEMS = [
    ("crumbs", "Crumbs were found on Ann's desk.", ["CC", "0.3", "[0.1, 0.4]"],
     "Ann sits there; crumbs could have been carried."),
    ("camera", "The kitchen camera shows Bob at 12:05 holding a plate.", ["0.2", "C", "N"], ""),
]  # fmt: skip


def _shots():
    spec = importlib.util.spec_from_file_location(
        "screenshots", ROOT / "scripts" / "screenshots.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _main(page):
    return page.locator('[data-testid="stMain"]')


def _apply(page, settle) -> None:
    _main(page).get_by_role("button", name="Apply changes").click()
    settle(page)


def _step(page, settle, name: str) -> None:
    _main(page).get_by_text(name, exact=True).click()
    settle(page)


def _shoot(page, settle, out: Path | None, name: str) -> None:
    if out is None:
        return
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": max(900, int(height))})
    settle(page, quiet=0.5)
    page.screenshot(path=str(out / f"build-{name}.png"))
    page.set_viewport_size({"width": 1400, "height": 900})
    settle(page, quiet=0.3)


def _add(page, settle, button: str, fields: dict[str, str], answers=()) -> None:
    main = _main(page)
    main.get_by_role("button", name=button, exact=True).click()
    settle(page)
    for label, value in fields.items():
        main.get_by_label(label, exact=True).fill(value)
    boxes = main.get_by_placeholder("C, 0.7 or [0.5, 0.8]")
    for n, answer in enumerate(answers):
        boxes.nth(n).fill(answer)
    _apply(page, settle)


def build_case(page, url: str, settle, out: Path | None = None) -> None:
    """From the Build page of an empty folder to a saved case ``cake``."""
    page.goto(f"{url}/?page=build")
    settle(page)
    main = _main(page)
    main.get_by_label("Case name (a-z, 0-9 and '-')").fill("cake")
    main.get_by_label("Title").fill("The missing cake")
    main.get_by_label("Question").fill("Who ate the cake left in the office kitchen?")
    _shoot(page, settle, out, "1-start")
    main.get_by_role("button", name="Start").click()
    settle(page)
    for ident, label in HYPOTHESES:
        _add(page, settle, "Add a hypothesis", {"Id (a-z, 0-9, '_', '-')": ident,
                                          "Label (what readers see)": label})  # fmt: skip
    main.get_by_text("Not sure").nth(1).click()  # exhaustive? not sure
    settle(page)
    main.get_by_role("button", name="Add a 'Something else' hypothesis").click()
    settle(page)
    _shoot(page, settle, out, "2-hypotheses")
    _step(page, settle, "3. Sources")
    _add(page, settle, "Add a source", {"Id": "staff", "Name": "Office staff",
                                  "Credibility: P(the report is accurate)": "medium"})  # fmt: skip
    _shoot(page, settle, out, "3-sources")
    _step(page, settle, "4. Evidence")
    for ident, claim, answers, rationale in ITEMS:
        main.get_by_role("button", name="Add an item").click()
        settle(page)
        main.get_by_label("Id", exact=True).fill(ident)
        main.get_by_label("Claim: what the report says").fill(claim)
        main.get_by_label("Rationale: why these likelihoods").fill(rationale)
        for n, answer in enumerate(answers):
            main.get_by_placeholder("C, 0.7 or [0.5, 0.8]").nth(n).fill(answer)
        _apply(page, settle)
    _shoot(page, settle, out, "4-evidence")
    _step(page, settle, "5. Events")
    event = {"Id": "cake-gone", "What happened": "The cake was eaten between 12:00 and 12:30."}
    _add(page, settle, "Add an event", event, answers=["0.9", "0.9", "0.5"])
    _shoot(page, settle, out, "5-events")
    _step(page, settle, "6. Assumptions")
    assumption = {
        "Id": "camera-clock",
        "The assumption": "The kitchen camera's clock is right.",
        "Rests on (item or event ids, comma-separated)": "camera",
    }
    _add(page, settle, "Add an assumption", assumption)
    _shoot(page, settle, out, "6-assumptions")
    _step(page, settle, "7. Indicators")
    _shoot(page, settle, out, "7-indicators")
    _step(page, settle, "8. Save and export")
    main.get_by_role("button", name="Save", exact=True).click()
    settle(page)
    _shoot(page, settle, out, "8-save")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    shots = _shots()
    if not Path(shots.CHROMIUM).exists():
        sys.exit(f"{shots.CHROMIUM} not found: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as root:
        with shots.serve(root=Path(root)) as url, sync_playwright() as playwright:
            browser = shots.launch(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            build_case(page, url, shots.settle, args.out)
            browser.close()
        print(f"saved {sorted(p.name for p in Path(root).rglob('*.yaml'))}")


if __name__ == "__main__":
    main()
