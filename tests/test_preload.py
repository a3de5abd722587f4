"""The chart-code preload (ui/preload.py) names the installed Streamlit's own file, the one its frontend imports.

If a Streamlit upgrade renames or splits the file, the preload would silently do nothing (or fetch a second copy):
these fail first. tests/e2e/test_first_start_browser.py checks it in a real browser.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from ui import preload

STATIC_JS = Path(st.__file__).parent / "static" / "static" / "js"


def test_each_chunk_is_one_file_of_the_installed_streamlit():
    files = preload.chunk_files()
    assert [name.split(".")[0] for name in files] == list(preload.CHUNKS)
    assert all((STATIC_JS / name).is_file() for name in files)


def test_streamlits_frontend_imports_the_same_file_by_the_same_relative_name():
    """The browser keeps one module per address: the preload's import and the frontend's must resolve alike."""
    index_html = (STATIC_JS.parent.parent / "index.html").read_text(encoding="utf-8")
    entry = re.findall(r'<script type="module"[^>]* src="\./static/js/(index\.[\w-]+\.js)"', index_html)
    assert len(entry) == 1  # the one script the preload's selector (MAIN_SCRIPT) finds
    text = (STATIC_JS / entry[0]).read_text(encoding="utf-8")
    assert [name for name in preload.chunk_files() if f"import(`./{name}`)" not in text] == []


def test_the_element_hides_itself_and_imports_from_streamlits_own_address():
    html = preload.script()
    assert html.startswith(f"<style>div:has(> .st-key-{preload.KEY}) {{ display: none; }}</style><script>")
    for name in preload.chunk_files():
        assert f'import(new URL("./{name}", main.src).href)' in html
