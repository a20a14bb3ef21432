"""The dashboard in a real browser: Debian's headless Chromium driven by Playwright.

Skipped (with the reason) when /usr/bin/chromium is absent, unless
``ACH_REQUIRE_BROWSER=1`` (CI installs Chromium and sets it): then it fails.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from analysis.casefile.loader import load_case
from analysis.engine.analyzer import analyze

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
ITEM = "jcs-channel-unstated"  # its first slider: the likelihood under direct, 0.65


def _helpers():
    """scripts/screenshots.py: starting the server, launching Chromium, waiting."""
    spec = importlib.util.spec_from_file_location(
        "screenshots", ROOT / "scripts" / "screenshots.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture(scope="module")
def browser_page():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is absent (apt-get install -y chromium to run this test)"
        if os.environ.get("ACH_REQUIRE_BROWSER") == "1":
            pytest.fail(message + "; ACH_REQUIRE_BROWSER=1 requires it")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    shots = _helpers()
    with shots.serve("nk-hamas") as url, sync_playwright() as playwright:
        browser = shots.launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        yield page, url, shots.settle, shots.slide_to
        browser.close()


def _posterior_text(page) -> str:
    """The posterior lines of the Weigh page's result column."""
    text = page.locator('[data-testid="stMain"]').inner_text()
    return text[text.index("Posterior") : text.index("Analytic confidence")]


def test_sliding_with_the_keyboard_changes_the_posterior(browser_page):
    page, url, settle, slide_to = browser_page
    page.goto(f"{url}/?page=weigh")
    settle(page)

    case = load_case("nk-hamas", ROOT)
    analysis = analyze(case)
    before = _posterior_text(page)
    for k, h in enumerate(case.hypotheses):
        assert f"{h.label}: {analysis.percent(k)} · {analysis.words()[k]}" in before

    page.get_by_text(re.compile(f"^{ITEM}")).first.click()
    settle(page)
    expander = page.locator('[data-testid="stExpander"]').filter(has_text=ITEM).first
    # the slider thumb is a visually hidden <input type="range"> (react-aria)
    thumb = expander.locator('[data-testid="stSlider"]').nth(0).locator('input[type="range"]')
    assert float(thumb.input_value()) == pytest.approx(0.65)
    slide_to(page, thumb, 0.35, "ArrowLeft")
    settle(page)
    after = _posterior_text(page)
    assert float(thumb.input_value()) == pytest.approx(0.35)
    assert after != before
    assert "file:" in after  # the changed posterior shows the file's beside it
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-weigh-moved.png"))

    slide_to(page, thumb, 0.65, "ArrowRight")  # back to the file's value
    settle(page)
    assert float(thumb.input_value()) == pytest.approx(0.65)
    assert _posterior_text(page) == before


def _open_item(page, settle, item: str):
    """Open ``item``'s expander on the Weigh page; its first slider's thumb."""
    page.get_by_text(re.compile(f"^{item}")).first.click()
    settle(page)
    expander = page.locator('[data-testid="stExpander"]').filter(has_text=item).first
    return expander.locator('[data-testid="stSlider"]').nth(0).locator('input[type="range"]')


def test_a_move_on_the_weigh_page_shows_on_the_other_pages(browser_page):
    """The Weigh page reruns alone on a move (a fragment); the other pages read the same
    moves: the Overview's posterior and the sidebar's follow it."""
    from analysis.scenario.adjustments import Adjustments, apply

    page, url, settle, slide_to = browser_page
    page.goto(f"{url}/?page=weigh")
    settle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert "beside the sliders" in sidebar.inner_text()
    thumb = _open_item(page, settle, ITEM)
    slide_to(page, thumb, 0.35, "ArrowLeft")
    settle(page)
    case = load_case("nk-hamas", ROOT)
    moved = analyze(apply(case, Adjustments(likelihoods={(ITEM, "direct"): 0.35})))
    assert "1 change from the file" in page.locator('[data-testid="stMain"]').inner_text()
    sidebar.get_by_text("Overview").click()
    settle(page)
    shown = sidebar.inner_text()
    for k, h in enumerate(case.hypotheses):
        assert f"{h.label}: {moved.percent(k)}" in shown, (h.label, shown)
    assert "1 change from the file" in shown


def test_a_case_file_edited_on_disk_shows_at_the_next_move(browser_page, tmp_path):
    """A move reruns the Weigh page alone, yet a changed case file is read again and the
    whole app redraws with it (its title here)."""
    import shutil

    for folder in ("hypotheses", "evidence"):
        (tmp_path / folder).mkdir()
        shutil.copy(ROOT / folder / "office-leak.yaml", tmp_path / folder)
    case = load_case("office-leak", tmp_path)
    shots = _helpers()
    page = browser_page[0].context.browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        with shots.serve("office-leak", root=tmp_path) as url:
            page.goto(f"{url}/?page=weigh")
            shots.settle(page)
            thumb = _open_item(page, shots.settle, case.evidence[0].id)
            hypotheses = tmp_path / "hypotheses" / "office-leak.yaml"
            hypotheses.write_text(
                hypotheses.read_text().replace(case.title, case.title + " (edited)")
            )
            thumb.focus()
            page.keyboard.press("End")
            shots.settle(page)
            assert f"{case.title} (edited)" in page.locator('[data-testid="stMain"]').inner_text()
    finally:
        page.close()


def test_the_scenario_yaml_downloads(browser_page):
    page, url, settle, _ = browser_page
    page.goto(f"{url}/?page=export")
    settle(page)
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Scenario as YAML").click()
    assert download.value.suggested_filename == "nk-hamas-scenario.yaml"
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "hypotheses/nk-hamas-scenario.yaml" in text.splitlines()[0]
    hypotheses, evidence = yaml.safe_load_all(text)
    assert hypotheses["case"] == "nk-hamas-scenario" and evidence["evidence"]


def test_every_page_renders_without_an_exception(browser_page):
    page, url, settle, _ = browser_page
    shots = _helpers()
    for name in shots.PAGES:
        page.goto(f"{url}/?page={name}")
        settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0, name
    page.screenshot(path=str(ARTIFACTS / "browser-last-page.png"))


def test_the_pdf_brief_downloads(browser_page):
    page, url, settle, _ = browser_page
    page.goto(f"{url}/?page=export")
    settle(page)
    page.get_by_role("button", name="Make the PDF brief").click()
    button = page.get_by_role("button", name="Brief as PDF")
    button.wait_for(timeout=180_000)
    with page.expect_download(timeout=120_000) as download:
        button.click()
    assert download.value.suggested_filename == "nk-hamas-brief.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_ach_app_opens_the_named_case_under_its_root(browser_page, tmp_path):
    """``ach app CASE --root DIR`` (the real command) serves DIR's case, not the seed case."""
    import shutil
    import subprocess
    import sys
    import time
    import urllib.request

    root, elsewhere = tmp_path / "cases", tmp_path / "elsewhere"
    elsewhere.mkdir()
    for folder in ("hypotheses", "evidence"):
        (root / folder).mkdir(parents=True)
        for name in ("office-leak", "nk-hamas"):
            shutil.copy(ROOT / folder / f"{name}.yaml", root / folder)
    # a title found only under this root, so the page proves which root it read
    hypotheses = root / "hypotheses" / "office-leak.yaml"
    original = load_case("office-leak", ROOT).title
    hypotheses.write_text(hypotheses.read_text().replace(original, original + " (copy)"))
    title = load_case("office-leak", root).title
    assert title.endswith("(copy)")
    shots = _helpers()
    port = shots.free_port()
    ach = Path(sys.executable).with_name("ach")
    process = subprocess.Popen(
        [str(ach), "app", "office-leak", "--root", str(root), "--port", str(port)],
        cwd=elsewhere,  # no cases here: the root must come from --root
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                assert process.poll() is None, "ach app exited"
                assert time.monotonic() < deadline, "ach app did not start"
                time.sleep(0.5)
        # a second page of the module's browser (one Playwright per process)
        page = browser_page[0].context.browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        shots.settle(page)
        text = page.locator('[data-testid="stMain"]').inner_text()
        page.close()
        assert title in text
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_case_is_built_and_saved_from_an_empty_folder(browser_page, tmp_path):
    """A new user's path: the Build page on an empty folder, three hypotheses, two items,
    an event and an assumption, saved."""
    from typer.testing import CliRunner

    from analysis.cli import app

    spec = importlib.util.spec_from_file_location(
        "build_screenshots", ROOT / "scripts" / "build_screenshots.py"
    )
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)  # type: ignore[union-attr]
    shots = _helpers()
    with shots.serve(root=tmp_path) as url:
        page = browser_page[0].context.browser.new_page(viewport={"width": 1400, "height": 900})
        try:
            builder.build_case(page, url, shots.settle)
            assert "Saved case 'cake'" in page.locator('[data-testid="stMain"]').inner_text()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "browser-build-saved.png"))
        finally:
            page.close()
    case = load_case("cake", tmp_path)
    assert len(case.hypotheses) == 3 and [i.id for i in case.evidence] == ["crumbs", "camera"]
    assert case.evidence[0].ratings["ann"] == "CC" and case.evidence[1].rationale == ""
    assert [e.id for e in case.events] == ["cake-gone"]
    assert case.assumptions[0].rests_on == ("camera",)
    result = CliRunner().invoke(app, ["analyze", "cake", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output


def test_case_text_that_looks_like_links_makes_no_link_in_the_browser(browser_page, tmp_path):
    """The browser's markdown renderer linked http://, www. and e-mail addresses in case
    text even when escaped (21 links on this case's Overview): none is left, and the text
    still reads as written."""
    shots = _helpers()
    evil = "http://127.0.0.1:9/x.png www.example.com kim@example.com"
    for folder, name, text in (
        ("hypotheses", "links", {"case": "links", "title": f"T {evil}", "question": f"Q {evil}",
                                  "hypotheses": [{"id": "a", "label": f"A {evil}"},
                                                 {"id": "b", "label": "B"}]}),
        ("evidence", "links", {"case": "links", "sources": [{"id": "s", "name": f"S {evil}"}],
                               "evidence": [{"id": "e1", "claim": f"C {evil}", "source": "s",
                                             "likelihoods": {"a": 0.8, "b": 0.3}}]}),
    ):  # fmt: skip
        (tmp_path / folder).mkdir()
        (tmp_path / folder / f"{name}.yaml").write_text(yaml.safe_dump(text), encoding="utf-8")
    page = browser_page[0].context.browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        with shots.serve("links", root=tmp_path) as url:
            for name in ("overview", "matrix", "sensitivity"):
                page.goto(f"{url}/?page={name}")
                shots.settle(page)
                hrefs = page.eval_on_selector_all(
                    '[data-testid="stMain"] a', "els => els.map(e => e.getAttribute('href'))"
                )
                assert not [h for h in hrefs if h and not h.startswith("#")], (name, hrefs)
            text = page.locator('[data-testid="stMain"]').inner_text().replace("\u200b", "")
            assert f"T {evil}" in text
    finally:
        page.close()


def test_in_a_900_px_window_the_sliders_stack_and_the_posterior_keeps_its_width(browser_page):
    """Beside the open sidebar a 900 px window left each of four sliders about 30 px
    wide and the posterior chart none: columns now wrap under 1100 px, the posterior
    above the sliders."""
    shots = _helpers()
    page = browser_page[0].context.browser.new_page(viewport={"width": 900, "height": 1000})
    try:
        page.goto(f"{browser_page[1]}/?page=weigh")
        shots.settle(page)
        _open_item(page, shots.settle, "event f7-in-hamas-hands")
        expander = page.locator('[data-testid="stExpander"]').filter(has_text="f7-in-hamas-hands")
        sliders = expander.first.locator('[data-testid="stSlider"]')
        widths = [sliders.nth(k).bounding_box()["width"] for k in range(sliders.count())]
        assert len(widths) == 4 and min(widths) > 200, widths
        charts = page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]')
        assert charts.count() >= 1 and charts.first.bounding_box()["width"] > 250
        # the posterior comes first: under the 760 px slider box a move showed nothing
        tabs = page.locator('[data-testid="stMain"] [data-testid="stTabs"]').first
        assert charts.first.bounding_box()["y"] < tabs.bounding_box()["y"]
    finally:
        page.close()
