"""What each page shows, computed once per data version and shared by every session (``ui.shared``).

A page is "compute the view" here and "draw it" in ``app_pages/``: each function takes the version the page read
at the top of its run and plain parameters (quarter, LPA, metric), and returns read-only results (tables, Plotly
figures, readings) that the page hands to Streamlit as they are.
"""
