"""A new visitor's first page: the browser is asked for Streamlit's chart code at the start of the run, not when the
first chart arrives; it fetches it once; nothing of that shows on the page (ui/preload.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

FIRST_START_MS = 60_000
TRACES = '[data-testid="stPlotlyChart"] .js-plotly-plot .scatterlayer .trace'
CHART_CODE = re.compile(r"/static/js/PlotlyChart\.[\w-]+\.js$")
FETCHED_JS = "performance.getEntriesByType('resource').map(e => e.name)"


def test_the_overview_fetches_the_chart_code_once_and_shows_nothing_of_the_preload(
    page: Page, streamlit_server
) -> None:
    page.goto(streamlit_server.url)
    expect(page.locator(TRACES).first).to_be_attached(timeout=FIRST_START_MS)
    # One fetch: the frontend's own import found the module the preload had asked for, at the same address.
    assert len([name for name in page.evaluate(FETCHED_JS) if CHART_CODE.search(name)]) == 1
    hidden = page.locator(".st-key-preload_chart_code")
    expect(hidden).to_be_attached()
    expect(hidden).to_be_hidden()
    # The page starts with its title, right below the block's own padding: no gap where the hidden element sits.
    title = page.get_by_role("heading", name="Force performance, 2024/25 Q2")
    block = page.get_by_test_id("stMainBlockContainer")
    padding = float(block.evaluate("e => getComputedStyle(e).paddingTop").removesuffix("px"))
    assert abs(title.bounding_box()["y"] - block.bounding_box()["y"] - padding) <= 2
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_page_without_charts_still_starts_fetching_the_chart_code(page: Page, streamlit_server) -> None:
    """Asked for at the start of every first run, whatever the page: by the next page, it is compiled."""
    with page.expect_response(lambda response: bool(CHART_CODE.search(response.url)), timeout=FIRST_START_MS):
        page.goto(f"{streamlit_server.url}/about-data")
    expect(page.get_by_role("heading", name="About the data")).to_be_visible(timeout=FIRST_START_MS)
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
