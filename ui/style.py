"""How the dashboard's pages look: their own CSS, table heights, and the banner over illustrative figures."""

from __future__ import annotations

import streamlit as st

from assurance.domain.performance import ILLUSTRATIVE_NOTE, Dataset, any_illustrative

# Static: written here, never built from user text. Streamlit cuts a metric's label, value, delta and delta
# description, and a page link's label, to one line ending in "…" (or in nothing at all): on a 1366 px screen
# with the sidebar open that hid words that matter ("Median days to close an inv…", "better than 2023/…",
# "Common cau"). Here they wrap instead; the flex row that holds a delta and its description wraps too, so a
# description that does not fit beside its delta goes under it. Tested by tests/e2e/test_screens_browser.py.
PAGE_CSS = """<style>
[data-testid="stMetric"] [data-testid="stMarkdownContainer"], [data-testid="stMetric"] [data-testid="stCaptionContainer"],
[data-testid="stMetric"] [data-testid="stMetricDeltaDescription"], [data-testid="stMetric"] p,
[data-testid="stPageLink-NavLink"] span, [data-testid="stPageLink-NavLink"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
[data-testid="stMetric"] div:has(> [data-testid="stMetricDelta"]) {
  flex-wrap: wrap; overflow: visible !important; row-gap: 0.2rem; }
</style>"""


def page_styles() -> None:
    """The dashboard pages' own CSS (PAGE_CSS); the meeting display has its own (ui/meeting)."""
    st.html(PAGE_CSS)


def table_height(rows: int) -> int:
    """Pixels for st.dataframe to show every row without an inner scroll bar."""
    return 38 + 35 * rows + 2


def illustrative_banner(ds: Dataset, quarter: str | None = None) -> None:
    """The illustrative-figures note, on a page that shows any illustrative figure (of the quarter, if given)."""
    if ds.observations.empty:
        return
    if any_illustrative(ds, quarter):
        st.info(ILLUSTRATIVE_NOTE, icon="🧪")
