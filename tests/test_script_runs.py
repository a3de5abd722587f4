"""tests/support.ScriptRuns, which the load test and benchmarks/load.py time page runs with, tells the version
checks every open page runs every 10 s (ui/live.py's safety check) from the full runs: fed the websocket frames
Streamlit sends, in the orders a real page sees them."""

from __future__ import annotations

import base64

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.support import BrowserClockRuns, ScriptRuns

CHECK = "57dfef2121d15bbc4a72d98f90f6ddd9"  # a fragment id, as the browser sends it
STATUS = ForwardMsg.ScriptFinishedStatus


class Page:
    """What ScriptRuns uses of a Playwright page and its websocket: the event hooks, so frames can be fed in."""

    def __init__(self) -> None:
        self.handlers: dict[str, object] = {}

    def on(self, event: str, handler) -> None:
        self.handlers[event] = handler


def _connected() -> tuple[ScriptRuns, Page]:
    page, socket = Page(), Page()
    runs = ScriptRuns(page)
    page.handlers["websocket"](socket)
    return runs, socket


def _ask(socket: Page, fragment: str = "") -> None:
    message = BackMsg()
    message.rerun_script.query_string = "quarter=2024/25%20Q2"
    if fragment:
        message.rerun_script.fragment_id = fragment
        message.rerun_script.is_auto_rerun = True
    socket.handlers["framesent"](message.SerializeToString())


def _finished(socket: Page, status: int) -> None:
    message = ForwardMsg()
    message.script_finished = status
    socket.handlers["framereceived"](message.SerializeToString())


def test_a_version_check_is_timed_as_a_check_and_is_not_a_rerun_the_browser_asked_for():
    runs, socket = _connected()
    _ask(socket, CHECK)
    _finished(socket, STATUS.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
    assert [kind for kind, _ in runs.durations] == ["fragment"]
    assert (runs.asked, runs.finished, runs.fragment_runs) == (0, 0, 1)


def test_a_rerun_pressed_while_a_check_runs_is_timed_from_its_own_request():
    runs, socket = _connected()
    _ask(socket, CHECK)
    _ask(socket)  # R, while the check is still running
    _finished(socket, STATUS.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
    _finished(socket, STATUS.FINISHED_SUCCESSFULLY)
    assert [kind for kind, _ in runs.durations] == ["fragment", "page"]
    assert (runs.asked, runs.finished, len(runs.finished_at)) == (1, 1, 1)
    assert runs.times("page") == [runs.durations[1][1]]


def test_a_check_that_finds_new_data_reruns_the_page_timed_as_a_redraw():
    runs, socket = _connected()
    _ask(socket, CHECK)
    _finished(socket, STATUS.FINISHED_EARLY_FOR_RERUN)  # st.rerun() in the check
    _finished(socket, STATUS.FINISHED_SUCCESSFULLY)
    assert [kind for kind, _ in runs.durations] == ["redraw"]
    assert (runs.asked, runs.finished, runs.failed) == (0, 1, [])


def test_a_run_that_fails_is_listed():
    runs, socket = _connected()
    _ask(socket)
    _finished(socket, STATUS.FINISHED_WITH_COMPILE_ERROR)
    assert runs.failed == ["FINISHED_WITH_COMPILE_ERROR"]


def test_the_runs_of_a_stretch_of_time_are_the_ones_between_two_counts():
    runs, socket = _connected()
    for _ in range(3):
        _ask(socket)
        _finished(socket, STATUS.FINISHED_SUCCESSFULLY)
    first, second, third = runs.times("page")
    assert runs.times("page", since=1, until=2) == [second]
    assert runs.times("page", since=1) == [second, third]
    assert runs.times("page", until=1) == [first]


def _cdp_frame(cdp: Page, event: str, message, timestamp: float, opcode: int = 2) -> None:
    payload = base64.b64encode(message.SerializeToString()).decode()
    cdp.handlers[f"Network.webSocketFrame{event}"](
        {"timestamp": timestamp, "response": {"opcode": opcode, "payloadData": payload}}
    )


def test_by_the_browsers_clock_a_run_is_timed_from_the_frames_own_timestamps():
    """load.py --browser-clock: the same runs, timed by Chromium's timestamps of the frames (CDP events), whenever
    this process happens to hear of them; a text frame or a large one (a page's elements) is not decoded."""
    cdp = Page()
    runs = BrowserClockRuns(cdp)
    asked, check, finished = BackMsg(), BackMsg(), ForwardMsg()
    asked.rerun_script.query_string = "quarter=2024/25%20Q2"
    check.rerun_script.fragment_id = CHECK
    finished.script_finished = STATUS.FINISHED_SUCCESSFULLY
    _cdp_frame(cdp, "Sent", asked, 100.25)
    _cdp_frame(cdp, "Received", finished, 100.0, opcode=1)  # a text frame: not Streamlit's
    big = ForwardMsg()
    big.script_finished = STATUS.FINISHED_SUCCESSFULLY
    big.hash = "x" * BrowserClockRuns.SMALL_FRAME  # as large as a page's elements: skipped
    _cdp_frame(cdp, "Received", big, 100.5)
    _cdp_frame(cdp, "Received", finished, 101.0)
    _cdp_frame(cdp, "Sent", check, 102.0)
    _cdp_frame(cdp, "Received", finished, 103.5)  # the check found new data: a redraw
    assert runs.durations == [("page", 0.75), ("redraw", 1.5)]
    assert (runs.asked, runs.finished) == (1, 2)
