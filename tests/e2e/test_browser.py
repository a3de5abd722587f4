"""The dashboard in a real Chromium: first start seeds the database, the chart draws, links reopen a view.

Streamlit reruns asynchronously, so every check is an auto-waiting ``expect`` with an explicit timeout.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

FIRST_START_MS = 60_000  # the first page view builds the demo database
RERUN_MS = 30_000
CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot'
TRACES = f"{CHART} .scatterlayer .trace"


def expect_no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def save_whole_page(page: Page, path) -> None:
    """Screenshot the whole page: Streamlit scrolls inside stMain, so grow the window to its height first."""
    height = page.get_by_test_id("stMain").evaluate("el => el.scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(int(height), 8000)})
    expect(page.locator(TRACES).first).to_be_visible(timeout=RERUN_MS)
    page.screenshot(path=path, full_page=True)


def quarter_select(page: Page):
    """The sidebar's quarter box: a combobox whose input holds the chosen quarter."""
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name="Quarter")


def test_overview_first_start_draws_the_trend_chart(page: Page, streamlit_server, artifacts) -> None:
    page.goto(streamlit_server.url)
    expect(page.locator(CHART).first).to_be_attached(timeout=FIRST_START_MS)
    expect(page.locator(TRACES).first).to_be_attached(timeout=FIRST_START_MS)
    assert page.locator(TRACES).count() >= 1
    expect(page.get_by_role("heading", name="Force performance, 2024/25 Q2")).to_be_visible(timeout=RERUN_MS)
    expect(page.get_by_text("13.3%", exact=True).first).to_be_visible(timeout=RERUN_MS)
    expect(page.get_by_text("Illustrative demo figures").first).to_be_visible(timeout=RERUN_MS)
    expect_no_exception(page)
    assert streamlit_server.db_path.exists(), f"the app did not create {streamlit_server.db_path}"
    page.screenshot(path=artifacts / "overview.png")
    save_whole_page(page, artifacts / "overview-full.png")


def test_lpa_page_reopens_the_linked_view(page: Page, streamlit_server, artifacts) -> None:
    page.goto(f"{streamlit_server.url}/lpa?quarter=2023/24%20Q2&lpa=herefordshire")
    expect(page.get_by_role("heading", name="Herefordshire against the force")).to_be_visible(timeout=FIRST_START_MS)
    expect(quarter_select(page)).to_have_value("2023/24 Q2", timeout=RERUN_MS)
    expect(page.locator(TRACES).first).to_be_attached(timeout=RERUN_MS)
    expect(page).to_have_url(re.compile(r"/lpa\?.*lpa=herefordshire"), timeout=RERUN_MS)
    expect_no_exception(page)
    page.screenshot(path=artifacts / "lpa-herefordshire.png")


def test_unknown_quarter_and_lpa_get_plain_messages(page: Page, streamlit_server, artifacts) -> None:
    page.goto(f"{streamlit_server.url}/?quarter=nonsense&lpa=atlantis")
    expect(page.get_by_text("is not in the data")).to_be_visible(timeout=FIRST_START_MS)
    expect(page.get_by_text("There is no LPA called")).to_be_visible(timeout=RERUN_MS)
    expect(page.get_by_role("heading", name="Force performance, 2024/25 Q2")).to_be_visible(timeout=RERUN_MS)
    expect(quarter_select(page)).to_have_value("2024/25 Q2", timeout=RERUN_MS)
    expect_no_exception(page)
    page.screenshot(path=artifacts / "unknown-selection.png")


def test_a_deep_link_as_the_first_request_opens_that_page(page: Page, fresh_streamlit_server) -> None:
    """A bookmarked link opened right after the server starts runs the entry point, not the page alone."""
    page.goto(f"{fresh_streamlit_server.url}/lpa?quarter=2023/24%20Q2&lpa=telford_and_wrekin")
    expect(page.get_by_role("heading", name="Telford & Wrekin against the force")).to_be_visible(timeout=FIRST_START_MS)
    expect(quarter_select(page)).to_have_value("2023/24 Q2", timeout=RERUN_MS)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect_no_exception(page)


def test_tables_offer_only_the_product_s_own_neutralised_download(page: Page, streamlit_server, tmp_path) -> None:
    """Streamlit's built-in "Download as CSV" writes cells as they are (formula injection): it is switched off
    (client.disableDataExport); the page's own download goes through assurance/core/downloads.py."""
    page.goto(f"{streamlit_server.url}/compare")
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible(timeout=FIRST_START_MS)
    table.hover()
    toolbar = page.get_by_test_id("stElementToolbar").first
    expect(toolbar.get_by_role("button", name="Search")).to_be_visible(timeout=RERUN_MS)  # the toolbar is there
    expect(toolbar.get_by_role("button", name="Download as CSV")).to_have_count(0)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download this table (CSV)").click()
    saved = tmp_path / "compare.csv"
    info.value.save_as(saved)
    text = saved.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Metric,")
    assert "Total recorded crime" in text
