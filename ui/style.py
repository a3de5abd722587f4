"""How the dashboard's pages look: their own CSS, table heights, and the banner over illustrative figures."""

from __future__ import annotations

import math

import streamlit as st

from assurance.domain.performance import ILLUSTRATIVE_NOTE, Dataset, any_illustrative, police_uk_note

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


# The meeting display's own look (ui/meeting.py): read from the back of the room, no text that carries information
# under MIN_TEXT_PX on a 1920 x 1080 screen (tests/e2e/test_meeting_browser.py measures every slide); headings and
# the chart's bar labels are larger.
MIN_TEXT_PX = 28
# A slide is laid out for a SLIDE_WIDTH_PX x SLIDE_HEIGHT_PX screen and scaled to the screen it is shown on as a
# whole, as a slide deck is (SLIDE_SCALE_CSS): on a 1366 x 768 projector everything is 0.71 times its size on a
# 1920 x 1080 screen, the same share of the screen, and the slide fits as it does there.
SLIDE_WIDTH_PX, SLIDE_HEIGHT_PX = 1920, 1080
SLIDE_SIDE_PX = 48  # the slide's padding left and right, the navigation bar's too (MEETING_CSS)
CHART_WIDTH_PX = SLIDE_WIDTH_PX - 2 * SLIDE_SIDE_PX  # the focus chart, as wide as the slide's content
CHART_HEIGHT_PX = 580
# Static: written here, never built from user text (SIDE is the constant above).
MEETING_CSS = """<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
#MainMenu, footer { display: none !important; }
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] { background: #ffffff; color: #111111; }
[data-testid="stMainBlockContainer"], .block-container {
  padding: 1.2rem SIDE 5.5rem SIDE !important; max-width: 100% !important; }  /* the bottom clears the nav bar */
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: 28px !important; line-height: 1.35; color: #111111; }
[data-testid="stMain"] h1 { font-size: 52px !important; line-height: 1.15; color: #111111; padding: 0.2rem 0 0.3rem 0; }
[data-testid="stMain"] h3 { font-size: 34px !important; color: #111111; font-weight: 600; padding: 0 0 0.6rem 0; }
[data-testid="stMain"] table { width: 100%; }
[data-testid="stMain"] table th, [data-testid="stMain"] table td {
  font-size: 28px !important; color: #111111 !important; line-height: 1.3; padding: 0.45rem 0.75rem !important;
  vertical-align: top; }
[data-testid="stMain"] table th { font-weight: 700; background: #f0f0f0; }
[data-testid="stMain"] table td [data-testid="stMarkdownContainer"] { max-width: none !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
  font-size: 28px !important; line-height: 1.3; color: #333333 !important; opacity: 1 !important; }
.st-key-meeting_position p { text-align: right; }
.st-key-meeting_nav { position: fixed; left: 0; right: 0; bottom: 0; z-index: 100; background: #ffffff;
  border-top: 2px solid #dddddd; padding: 0.6rem SIDE; }
.st-key-meeting_nav button { min-height: 3.4rem; padding: 0.3rem 1.6rem; border: 2px solid #111111; }
.st-key-meeting_nav button p, .st-key-meeting_nav button kbd { font-size: 28px !important; font-weight: 600; }
.st-key-meeting_nav button kbd { color: #333333; line-height: 1; }
.st-key-meeting_clicker { position: absolute !important; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
[data-testid="stAlert"] p { font-size: 28px !important; }
</style>""".replace("SIDE", f"{SLIDE_SIDE_PX}px")

# The scale is the screen's size over the slide's, the smaller of width and height, so the slide always fits; CSS
# zoom applies it to the slide's content (the fixed navigation bar included). Streamlit sizes a Plotly chart to the
# width its container has on screen, and Plotly draws at that size in the chart's own, zoomed, pixels: zoomed, the
# chart would be scaled twice. So the chart's block undoes the zoom (Streamlit then measures, and Plotly draws, the
# chart at its size on a 1920 x 1080 screen), a transform scales the drawn chart (transforms are not measured), the
# boxes around it let a chart scaled up overflow them (the chart's block clips it instead), and margins hand back
# (or, scaled up, add) the room the unscaled block would take.
#
# The exact scale needs CSS typed arithmetic (a length divided by a length: Chrome, Edge, Safari). A browser without
# it (Firefox, today) takes the largest of SCALE_STEPS that fits, from media queries: the common screens' own scales,
# exact on them, and a little small between them. Static: built from the constants here, never from user text.
SCALE_SCREENS = (
    (800, 600), (1024, 768), (1152, 864), (1280, 720), (1366, 768), (1440, 900), (1536, 864), (1600, 900),
    (1680, 1050), (1920, 1080), (2048, 1152), (2560, 1440), (3200, 1800), (3840, 2160),
)  # fmt: skip
SCALE_STEPS = sorted({min(w / SLIDE_WIDTH_PX, h / SLIDE_HEIGHT_PX) for w, h in SCALE_SCREENS})


def _scale_ladder() -> str:
    """One media query per step: the step applies on a screen at least the slide's size times it."""
    rules = [f".stApp {{ --slide-scale: {SCALE_STEPS[0]:.6f}; }}"]
    for step in SCALE_STEPS[1:]:
        width, height = (math.ceil(round(side * step, 3)) for side in (SLIDE_WIDTH_PX, SLIDE_HEIGHT_PX))
        rules.append(
            f"@media (min-width: {width}px) and (min-height: {height}px) {{ .stApp {{ --slide-scale: {step:.6f}; }} }}"
        )
    return "\n".join(rules)


SLIDE_SCALE_CSS = f"""<style>
{_scale_ladder()}
@supports (zoom: calc(100vw / {SLIDE_WIDTH_PX}px)) {{
  .stApp {{ --slide-scale: min(calc(100vw / {SLIDE_WIDTH_PX}px), calc(100vh / {SLIDE_HEIGHT_PX}px)); }} }}
[data-testid="stMainBlockContainer"] {{ zoom: var(--slide-scale); }}
.st-key-meeting_chart {{ overflow: hidden !important; }}
.st-key-meeting_plot {{ zoom: calc(1 / var(--slide-scale)); width: {CHART_WIDTH_PX}px !important; max-width: none !important;
  flex: none !important; margin: 0 calc({CHART_WIDTH_PX}px * var(--slide-scale) - {CHART_WIDTH_PX}px)
  calc({CHART_HEIGHT_PX}px * var(--slide-scale) - {CHART_HEIGHT_PX}px) 0; }}
.st-key-meeting_plot .js-plotly-plot {{ transform: scale(var(--slide-scale)); transform-origin: 0 0; }}
.st-key-meeting_plot [data-testid="stElementContainer"], .st-key-meeting_plot [data-testid="stFullScreenFrame"],
.st-key-meeting_plot [data-testid="stPlotlyChart"] {{ overflow: visible !important; }}
</style>"""


def page_styles() -> None:
    """The dashboard pages' own CSS (PAGE_CSS); the meeting display has its own (ui/meeting)."""
    st.html(PAGE_CSS)


def table_height(rows: int) -> int:
    """Pixels for st.dataframe to show every row without an inner scroll bar."""
    return 38 + 35 * rows + 2


def banner_notes(ds: Dataset, quarter: str | None = None) -> tuple[tuple[str, str], ...]:
    """(note, icon) for the illustrative figures and the police.uk ones among them (of the quarter, if given)."""
    if ds.observations.empty:
        return ()
    notes = [(ILLUSTRATIVE_NOTE, "🧪")] if any_illustrative(ds, quarter) else []
    if real := police_uk_note(ds, quarter):
        notes.append((real, "🔎"))
    return tuple(notes)


def show_banners(notes: tuple[tuple[str, str], ...]) -> None:
    for note, icon in notes:
        st.info(note, icon=icon)


def illustrative_banner(ds: Dataset, quarter: str | None = None) -> None:
    """The illustrative-figures note, on a page that shows any illustrative figure (of the quarter, if given)."""
    show_banners(banner_notes(ds, quarter))
