"""West Mercia A&A performance dashboard: the script every browser session runs.

The server is app.py (``streamlit run app.py``), which runs this script for each session; ``streamlit run
dashboard.py`` works too, without app.py's early hints. The database is $ASSURANCE_DB, else data/assurance.duckdb,
created with illustrative demo data on first start.
"""

import streamlit as st

from ui import preload

# Before the imports below (pandas, DuckDB, Plotly: about half a second on a server's first run), so that a new
# visitor's browser evaluates Streamlit's element code meanwhile, not after the page arrives (ui/preload.py).
# Nothing shows.
preload.chart_code()

from assurance.core.errors import DatabaseError  # noqa: E402 (after the preload, on purpose)
from ui import auth, live, pages, selection, session, style  # noqa: E402

MEETING_MODE = st.query_params.get("mode") == "meeting"

st.set_page_config(
    page_title="West Mercia A&A performance",
    page_icon="📊",
    layout="wide",
    initial_sidebar_state="collapsed" if MEETING_MODE else "auto",
    menu_items={"About": "Performance dashboard for the Police and Crime Commissioner for West Mercia."},
)
# With sign-in configured ([auth] in .streamlit/secrets.toml) nothing is shown before the person signs in;
# the meeting display is open to any signed-in viewer. Without it: local single-user mode (see the sidebar).
auth.require_sign_in()
live.drawn()  # the data version this run draws: the page reruns itself when it moves (ui/live.py)


def navigation_page(entry: pages.Page) -> st.Page:
    return st.Page(entry.path, title=entry.title, icon=entry.icon, url_path=entry.url_path, default=entry.default)


if MEETING_MODE:
    # The room's screen: one page, no navigation, no sidebar, nothing that edits (app_pages/meeting.py).
    try:
        st.navigation([navigation_page(pages.MEETING_DISPLAY)], position="hidden").run()
    finally:
        live.track()  # what the display drew, so it redraws when the data change (ui/live.py)
    live.stop()

# Only the pages this person's role gets (ui/pages.py): Streamlit runs no page outside the navigation.
sections = pages.for_role(auth.role())
page = st.navigation(
    {section: [navigation_page(entry) for entry in entries] for section, entries in sections.items()},
    expanded=True,
)
style.page_styles()
try:
    data = session.dataset()
except DatabaseError as exc:
    st.error(f"The dashboard cannot open its database. {exc}", icon="⚠️")
    live.stop()
if data.observations.empty:
    st.warning(
        "The database holds no quarterly figures yet. Load the demo data with "
        "`python -m assurance init --demo`, or import a quarterly return."
    )
    live.stop()
st.session_state["_selection"] = selection.sidebar(data)
with st.sidebar:
    st.caption("Data: illustrative demo figures unless marked otherwise. See “About the data”.")
    st.caption(auth.access_note())
auth.signed_in_sidebar()
try:
    page.run()
finally:
    live.track()  # what this page drew, so it redraws when the data change (ui/live.py)
