"""Getting Streamlit's element code into a new visitor's browser before the first page needs it.

Streamlit's frontend fetches the code that draws an element (a Plotly chart: one file of 4.7 MB; a select box, a
metric, a table, a data grid: smaller ones) only when the first such element arrives, and then evaluates it: most
of a second for the chart code, after the server has already computed the page. Two steps bring that forward:

1. **With the page itself** (``ModulePreloadHints``, the server's middleware in app.py): the HTML page carries a
   ``Link: <…>; rel=modulepreload`` header for each file, so the browser fetches and compiles them while it loads
   Streamlit's own code, before the websocket is open.
2. **At the start of the first run** (``chart_code()``, first thing in dashboard.py): a hidden element imports them,
   so the browser evaluates them while the server opens the database and computes the Overview.

The files are the ones the Overview (the default page) draws; other pages share them.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Streamlit's own file names for its lazily loaded element code ("<Element>.<hash>.js", the hash changes with each
# Streamlit release, so they are looked up in the installed package, never written here).
CHUNKS = ("PlotlyChart", "Selectbox", "Metric", "Table", "DataFrame")
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


def link_header() -> bytes:
    """The ``Link`` header value asking for each of chunk_files(), at the address Streamlit's own index.html uses for
    its code (``./static/js/…``, relative to the page, so that a proxy's path prefix is kept)."""
    return ", ".join(f"<./static/js/{name}>; rel=modulepreload" for name in chunk_files()).encode("ascii")


class ModulePreloadHints:
    """ASGI middleware (app.py): every HTML response (Streamlit's one page, at any page's address) gets the
    ``link_header()``; nothing else is touched. A Streamlit without the files gets no header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.header = link_header()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.header:
            await self.app(scope, receive, send)
            return

        async def send_with_hints(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if any(name == b"content-type" and value.startswith(b"text/html") for name, value in headers):
                    message = {**message, "headers": [*headers, (b"link", self.header)]}
            await send(message)

        await self.app(scope, receive, send_with_hints)
