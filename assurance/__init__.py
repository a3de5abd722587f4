"""West Mercia A&A performance dashboard: the library (no Streamlit here)."""

__version__ = "0.1.0"
