"""Asking a new visitor's browser for Streamlit's chart code at the start of the first run, not at the first chart.

Streamlit's frontend fetches the code that draws a Plotly chart (one file of 4.7 MB) only when the first chart
arrives, and then compiles it: most of a second, after the server has already computed the page. Asked for first
thing, the browser fetches and compiles it while the server opens the database and computes the Overview.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import streamlit as st

# Streamlit's own file names for its lazily loaded element code ("<Element>.<hash>.js", the hash changes with each
# Streamlit release, so they are looked up in the installed package, never written here).
CHUNKS = ("PlotlyChart",)
_CHUNK_FILE = re.compile(r"^[A-Za-z]+\.[A-Za-z0-9_-]+\.js$")
KEY = "preload_chart_code"
MAIN_SCRIPT = 'script[type="module"][src*="/static/js/index."]'  # Streamlit's entry script, in its index.html


@cache
def chunk_files() -> tuple[str, ...]:
    """The installed Streamlit's file for each of CHUNKS; none for a chunk it does not have (or has twice)."""
    folder = Path(st.__file__).parent / "static" / "static" / "js"
    found = []
    for chunk in CHUNKS:
        names = [p.name for p in folder.glob(f"{chunk}.*.js") if _CHUNK_FILE.match(p.name)]
        if len(names) == 1:
            found.append(names[0])
    return tuple(found)


def script() -> str | None:
    """The hidden element's HTML: a style that hides it (with the gap Streamlit leaves between elements) and a script
    importing each chunk from where Streamlit's own code is served (its main script's address, so that a proxy's
    path prefix is kept, and the browser reuses the module when the first chart asks for it)."""
    files = chunk_files()
    if not files:
        return None
    imports = "".join(f"import(new URL({json.dumps('./' + name)}, main.src).href).catch(() => {{}});" for name in files)
    return (
        f"<style>div:has(> .st-key-{KEY}) {{ display: none; }}</style>"  # its box, and the gap around it
        f"<script>{{ const main = document.querySelector({json.dumps(MAIN_SCRIPT)});"
        f" if (main) {{ {imports} }} }}</script>"
    )


def chart_code() -> None:
    """Start the browser fetching and compiling Streamlit's chart code now (nothing shows on the page).

    The script is the program's own constant text naming Streamlit's own static files: no data, no user text."""
    html = script()
    if html is None:  # a Streamlit without these files: charts load as they always did
        return
    with st.container(key=KEY):
        st.html(html, unsafe_allow_javascript=True)
