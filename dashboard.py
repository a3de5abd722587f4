"""West Mercia A&A performance dashboard: entry point.

Run with ``streamlit run dashboard.py``. The database is $ASSURANCE_DB, else
data/assurance.duckdb, created with illustrative demo data on first start.
"""

import streamlit as st

from assurance.core.errors import DatabaseError
from ui import state

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
state.require_sign_in()

if MEETING_MODE:
    # The room's screen: one page, no navigation, no sidebar, nothing that edits (app_pages/meeting.py).
    st.navigation(
        [st.Page("app_pages/meeting.py", title="Meeting", url_path="meeting", default=True)], position="hidden"
    ).run()
    st.stop()

PAGES = {
    "Performance": [
        st.Page("app_pages/overview.py", title="Overview", icon="📈", url_path="overview", default=True),
        st.Page("app_pages/lpa.py", title="LPA against the force", icon="🗺️", url_path="lpa"),
        st.Page("app_pages/compare.py", title="Compare LPAs", icon="⚖️", url_path="compare"),
        st.Page("app_pages/where_to_look.py", title="Where to look", icon="🔎", url_path="where-to-look"),
        st.Page("app_pages/trend.py", title="Trend (SPC)", icon="📉", url_path="trend"),
    ],
    "Commitments": [
        st.Page("app_pages/actions.py", title="Action tracker", icon="✅", url_path="actions"),
        st.Page("app_pages/pledges_claims.py", title="Pledges and figures quoted", icon="🎯", url_path="pledges"),
        st.Page("app_pages/recommendations.py", title="HMICFRS recommendations", icon="🏛️", url_path="recommendations"),
        st.Page("app_pages/commitments.py", title="Meetings and commitments", icon="📝", url_path="commitments"),
        st.Page("app_pages/minutes_import.py", title="Import minutes", icon="📥", url_path="import-minutes"),
    ],
    "Meeting": [
        st.Page("app_pages/briefing.py", title="Briefing pack", icon="📄", url_path="briefing"),
        st.Page("app_pages/meeting.py", title="Meeting room display", icon="🖥️", url_path="meeting"),
    ],
    "Data": [
        st.Page("app_pages/data.py", title="Data: imports and loads", icon="📦", url_path="data"),
        st.Page("app_pages/about_data.py", title="About the data", icon="ℹ️", url_path="about-data"),
        st.Page("app_pages/access.py", title="Access and roles", icon="🔑", url_path="access"),
    ],
}

page = st.navigation(PAGES, expanded=True)
state.page_styles()
try:
    data = state.dataset()
except DatabaseError as exc:
    st.error(f"The dashboard cannot open its database. {exc}", icon="⚠️")
    st.stop()
if data.observations.empty:
    st.warning(
        "The database holds no quarterly figures yet. Load the demo data with "
        "`python -m assurance init --demo`, or import a quarterly return."
    )
    st.stop()
st.session_state["_selection"] = state.sidebar(data)
with st.sidebar:
    st.caption("Data: illustrative demo figures unless marked otherwise. See “About the data”.")
    st.caption(state.access_note())
state.signed_in_sidebar()
page.run()
