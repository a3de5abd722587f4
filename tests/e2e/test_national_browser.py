"""The National page in a real Chromium, on real police.uk excerpts: the bars, the funnel, the focus and its peers.

The server runs on a demo database with West Mercia's three months and the excerpts of four other forces loaded
(tests/fixtures/), so the test needs nothing beside the checkout. The screenshot goes to tests/artifacts; the one in
docs/ (with all 40 forces of the national archives) is taken by ``benchmarks/pages.py --screenshots``.
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from assurance.domain.national.load import load_national
from assurance.domain.setup import init_database
from assurance.sources.national.archive import read_national
from assurance.store.connection import connect
from tests.e2e.conftest import STARTUP_TIMEOUT_S
from tests.support import FIXTURES, STREET_FILES, streamlit_app

pytestmark = pytest.mark.browser

RERUN_MS = 60_000
BARS = '[data-testid="stPlotlyChart"] .js-plotly-plot .barlayer .trace'
POINTS = '[data-testid="stPlotlyChart"] .js-plotly-plot .scatterlayer .trace .point'


@pytest.fixture(scope="module")
def national_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("national-e2e")
    db = folder / "assurance.duckdb"
    init_database(db, demo=True)
    con = connect(db)
    try:
        load_national(
            con, read_national([*STREET_FILES, FIXTURES / "police_uk_national"], today=date(2026, 12, 6)), "e2e"
        )
    finally:
        con.close()
    with streamlit_app(folder, db, startup_timeout_s=STARTUP_TIMEOUT_S) as server:
        yield server


def test_the_national_page_draws_forces_funnel_and_the_focus_lpa(page: Page, national_server, artifacts) -> None:
    page.goto(f"{national_server.url}/national?lpa=shropshire")
    expect(page.get_by_role("heading", name="England and Wales: recorded crime per 1,000 residents")).to_be_visible(
        timeout=RERUN_MS
    )
    expect(page.locator(BARS).first).to_be_attached(timeout=RERUN_MS)
    expect(page.get_by_text("West Mercia Police (focus)").first).to_be_attached(timeout=RERUN_MS)
    expect(page.get_by_text("Not in the data for 2023/24 Q4:", exact=False).first).to_be_visible(timeout=RERUN_MS)
    expect(page.get_by_text("British Transport Police:", exact=False).first).to_be_visible(timeout=RERUN_MS)
    expect(page.get_by_role("heading", name="Shropshire among every CSP")).to_be_visible(timeout=RERUN_MS)
    assert page.locator(POINTS).count() >= 5  # the funnel's areas, drawn
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.set_viewport_size(
        {"width": 1600, "height": min(page.get_by_test_id("stMain").evaluate("e => e.scrollHeight"), 6000)}
    )
    page.screenshot(path=artifacts / "national.png", full_page=True)
