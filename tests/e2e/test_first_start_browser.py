"""A new visitor's first page: the browser is asked for Streamlit's element code with the page and at the start of
the run, not when the first chart arrives; it fetches each file once; nothing of that shows on the page
(ui/preload.py, app.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ui import preload

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


def test_the_page_asks_for_the_element_code_before_the_websocket_opens(page: Page, streamlit_server) -> None:
    """app.py's hints (ui/preload.py): the HTML page names each file with rel=modulepreload, so a new visitor's
    browser fetches them with Streamlit's own code, before the session starts; each is still fetched only once."""
    events: list[str] = []
    page.on("request", lambda request: events.append(request.url))
    page.on("websocket", lambda socket: events.append(f"websocket {socket.url}"))
    response = page.goto(f"{streamlit_server.url}/compare")
    assert response is not None and response.headers["content-type"].startswith("text/html")
    files = preload.chunk_files()
    assert response.headers["link"] == ", ".join(f"<./static/js/{name}>; rel=modulepreload" for name in files)
    expect(page.get_by_role("heading", name=re.compile("against the other LPAs"))).to_be_visible(timeout=FIRST_START_MS)
    socket = next(i for i, event in enumerate(events) if event.startswith("websocket"))
    for name in files:
        fetched = [i for i, url in enumerate(events) if url.endswith(f"/static/js/{name}")]
        assert len(fetched) == 1, (name, fetched)
        assert fetched[0] < socket, f"{name} was asked for after the websocket opened"
    # Only the page carries the hints: not Streamlit's other answers.
    assert "link" not in page.request.get(f"{streamlit_server.url}/_stcore/health").headers
    expect(page.get_by_test_id("stException")).to_have_count(0)
