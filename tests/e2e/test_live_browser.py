"""Refresh on change, not on a clock (ui/live.py), in one server process: an open page costs nothing while the data
stay as they are (no run of any kind on its websocket), and when a write commits it is drawn again by itself, at the
address it had (a slide reached with the Next button included), with the new figure."""
# ui.live imports streamlit; only its constant is used here.

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import run_streamlit
from tests.support import VIEWPORT, WATCH_FOR_PROBLEMS_JS, ScriptRuns, corrected_return, run_cli
from ui.live import SAFETY_SECONDS

pytestmark = pytest.mark.browser

MEETING = "2024-11-27-aa-performance"
FIRST_DRAW_MS = 60_000
SHOW_MS = 15_000  # generous on a shared 2-CPU machine: the figure is due within about a second of the write
IDLE_S = 8.0


def test_an_open_display_is_quiet_while_nothing_changes_and_redraws_itself_on_the_slide_it_is_on(
    browser: Browser, tmp_path: Path
) -> None:
    with run_streamlit(tmp_path, env={"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}) as server:
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(WATCH_FOR_PROBLEMS_JS)
        try:
            display = context.new_page()
            runs = ScriptRuns(display)
            display.goto(f"{server.url}/?mode=meeting&meeting={MEETING}&slide=2")
            expect(display.get_by_role("button", name="Next ▶")).to_be_visible(timeout=FIRST_DRAW_MS)
            display.get_by_role("button", name="Next ▶").click()  # the slide moves by a button, not the address
            row = display.locator('[data-testid="stMain"] table tr').filter(has_text="Total recorded crime")
            expect(row).to_contain_text("20,122", timeout=FIRST_DRAW_MS)
            assert "slide=3" in display.url

            # Nothing changes: no page run, and at most the one slow safety check (ui/live.py SAFETY_SECONDS).
            time.sleep(1.0)  # the click's own run settles
            before = (runs.asked, runs.finished, runs.fragment_runs)
            time.sleep(IDLE_S)
            assert (runs.asked, runs.finished) == before[:2]
            assert runs.fragment_runs - before[2] <= IDLE_S / SAFETY_SECONDS + 1

            # A corrected return from the command line: the display redraws by itself, on slide 3 still.
            return_file, shown = corrected_return(tmp_path, 1)
            result = run_cli("import", return_file, "--replace", "--db", server.db_path)
            assert result.returncode == 0, result.stdout + result.stderr
            expect(row).to_contain_text(shown["force"], timeout=SHOW_MS)
            assert "slide=3" in display.url
            assert runs.asked == before[0]  # the browser asked for nothing: the server pushed the rerun
            assert display.evaluate("window.__problems || []") == []
        finally:
            context.close()
        assert "Traceback" not in server.log()
