"""Every page shows all it says: at 1366×768 and at 1920×1080 no text is cut off, and a screenshot of each is kept.

The pages are the ones in the navigation (ui/pages.py, the registry dashboard.py builds it from, so a new page is
swept too), in local single-user mode (no sign-in), where the person is an editor and gets every page. One Streamlit
server (the session's) and one browser serve the whole sweep; each window size has its own browser context. What counts as cut, and what is left out of the check and why, is in screen_checks.py:
DOM text clipped by its own box or an ancestor's (ellipsis, overflow hidden, a sideways scroll bar), st.dataframe
headers measured against the grid's own column widths, and Plotly text (axis titles, ticks, legends, annotations)
outside the chart's SVG.

Screenshots of whole pages go to tests/artifacts/screens/<page>-<width>x<height>.png on every run, for a person to
look at, and into docs/screens/ (committed) where one is missing or UPDATE_DOCS_SCREENSHOTS=1 asks for new ones: a
run never leaves the checkout changed by a few pixels of anti-aliasing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ROOT
from tests.e2e.screen_checks import cut_text, listed, settled
from ui import pages

pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (1920, 1080)]
SCREENS = ROOT / "docs" / "screens"
FIRST_START_MS = 60_000
MAX_SHOT_HEIGHT = 6000


PAGES = [(entry.url_path, entry.default) for entry in pages.PAGES]  # an editor's navigation (local mode): all


def test_the_sweep_covers_every_page_in_the_navigation() -> None:
    on_disk = {p.stem for p in (ROOT / "app_pages").glob("*.py")} - {"__init__"}
    assert len(PAGES) == len(on_disk) == 16, (PAGES, on_disk)
    assert {entry.name for entry in pages.PAGES} == on_disk
    assert sum(default for _, default in PAGES) == 1


def save_whole_page(page: Page, path: Path) -> None:
    """Screenshot the whole page: Streamlit scrolls inside stMain, so grow the window to its height first."""
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    full = page.get_by_test_id("stMain").evaluate("el => el.scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height, min(int(full), MAX_SHOT_HEIGHT))})
    settled(page)
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size({"width": width, "height": height})


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_no_page_cuts_its_text(browser: Browser, streamlit_server, artifacts, width: int, height: int) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    shots = artifacts / "screens"
    shots.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    problems: list[str] = []
    try:
        for path, default in PAGES:
            page.goto(f"{streamlit_server.url}/{'' if default else path}")
            settled(page, FIRST_START_MS)
            # An open dialog ("Page not found") would hide the page from the checks (aria-hidden): none may be open.
            expect(page.get_by_role("dialog")).to_have_count(0)
            expect(page.get_by_test_id("stException")).to_have_count(0)
            found = cut_text(page)
            if found:
                problems.append(f"{path} at {width}x{height}:\n{listed(found)}")
            name = f"{path}-{width}x{height}.png"
            save_whole_page(page, shots / name)
            if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1" or not (SCREENS / name).exists():
                shutil.copyfile(shots / name, SCREENS / name)
    finally:
        context.close()
    assert not problems, "Text cut off:\n" + "\n".join(problems)
