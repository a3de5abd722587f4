"""West Mercia A&A performance dashboard: the server. Run with ``streamlit run app.py``.

Streamlit serves the pages, and every browser session runs dashboard.py (the sign-in gate, the navigation and the
page). This file adds one thing to Streamlit's own server: the HTML page tells a new visitor's browser to fetch
the code for the charts, tables and select boxes while it loads Streamlit's own (ui/preload.py), which brings the
first chart a quarter to half a second sooner for a new visitor (benchmarks/README.md). ``streamlit run
dashboard.py`` still works, without that.

The database is $ASSURANCE_DB, else data/assurance.duckdb, created with illustrative demo data on first start.
"""

import streamlit as st
from starlette.middleware import Middleware

from ui.preload import ModulePreloadHints

app = st.App("dashboard.py", middleware=[Middleware(ModulePreloadHints)])
