"""Streamlit glue shared by the pages: connection, cached data, the sidebar's selections."""
