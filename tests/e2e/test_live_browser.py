"""Refresh on change, not on a clock (ui/live.py), in one server process: an open page costs nothing while the data
stay as they are (no run of any kind on its websocket), and when a write commits it is drawn again by itself, at the
address it had (a slide reached with the Next button included), with the new figure."""
# ui.live imports streamlit; only its constant is used here.

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import run_streamlit
from tests.support import ROOT, VIEWPORT, WATCH_FOR_PROBLEMS_JS, ScriptRuns, corrected_return, run_cli
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


def until(page: Page, condition: Callable[[], bool], what: str) -> None:
    """Wait for a condition on what the pages' websockets reported (a page's text can show before its run's end)."""
    deadline = time.monotonic() + SHOW_MS / 1000
    while not condition():
        assert time.monotonic() < deadline, f"not seen in time: {what}"
        page.wait_for_timeout(100)  # lets Playwright deliver the websocket frames meanwhile


RECORD_AN_ACTION = """
import sys
from assurance.domain.commitments.actions import add_action
from assurance.store import published
with published.writing(sys.argv[1]) as con:
    add_action(con, meeting_id=sys.argv[2], text=sys.argv[3], owner="ACC Local Policing", by="Minute-taker")
"""


def test_an_action_recorded_redraws_the_slide_that_shows_actions_and_leaves_the_figures_and_other_pages_alone(
    browser: Browser, tmp_path: Path
) -> None:
    """Shared mode (as ``serve`` runs each process): the minute-taker's action is a write to the actions and the
    audit log. The slide of actions arising shows it by itself; the slide of the force's figures and a page that
    reads no actions (England and Wales, reached from the Overview, which does) run nothing at all, and the
    England and Wales page stays where its person put it."""
    env = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", "ASSURANCE_SHARED": "1"}
    with run_streamlit(tmp_path, env=env) as server:
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(WATCH_FOR_PROBLEMS_JS)
        try:
            figures, actions, national = context.new_page(), context.new_page(), context.new_page()
            figure_runs, action_runs, national_runs = ScriptRuns(figures), ScriptRuns(actions), ScriptRuns(national)
            figures.goto(f"{server.url}/?mode=meeting&meeting={MEETING}&slide=3")
            row = figures.locator('[data-testid="stMain"] table tr').filter(has_text="Total recorded crime")
            expect(row).to_contain_text("20,122", timeout=FIRST_DRAW_MS)
            actions.goto(f"{server.url}/?mode=meeting&meeting={MEETING}&slide=8")
            expect(actions.get_by_text("Summary of Actions Arising").first).to_be_visible(timeout=FIRST_DRAW_MS)
            national.goto(server.url)
            expect(national.locator('[data-testid="stPlotlyChart"]').first).to_be_visible(timeout=FIRST_DRAW_MS)
            national.get_by_role("link", name="England and Wales").click()
            expect(national.get_by_text("No national data is loaded yet")).to_be_visible(timeout=FIRST_DRAW_MS)
            runs = (figure_runs, action_runs, national_runs)
            until(national, lambda: all(r.finished >= r.asked for r in runs), "every page's own run finished")
            national.wait_for_timeout(1000)
            before = [(r.asked, r.finished) for r in (figure_runs, action_runs, national_runs)]

            text = "Report the Shropshire positive outcome rate by crime type to the next meeting"
            code = [sys.executable, "-c", RECORD_AN_ACTION, str(server.db_path), MEETING, text]
            result = subprocess.run(code, capture_output=True, text=True, timeout=60, cwd=ROOT)
            assert result.returncode == 0, result.stdout + result.stderr
            expect(actions.get_by_text(text)).to_be_visible(timeout=SHOW_MS)
            # Pushed by the server (its end is reported just after the text shows): the browser asked for nothing.
            until(actions, lambda: action_runs.finished > before[1][1], "the actions slide's pushed run finished")
            assert action_runs.asked == before[1][0]
            time.sleep(1.0)  # time enough for a push to have reached the others, had there been one
            assert [(r.asked, r.finished) for r in (figure_runs, national_runs)] == [before[0], before[2]]
            assert "/national" in national.url  # still where its person put it
            expect(row).to_contain_text("20,122")
            assert [p.evaluate("window.__problems || []") for p in (figures, actions, national)] == [[], [], []]
        finally:
            context.close()
        assert "Traceback" not in server.log()
