"""The live watcher (ui/live.py): a committed write reruns the open pages behind it, but never cuts short a run
already going, such as the run that shows a user's own "saved" message after their change."""

from __future__ import annotations

from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime.app_session import AppSessionState

from tests.support import streamlit_config
from ui import live


class Versions:
    def __init__(self) -> None:
        self.now = (1, "today")

    def __call__(self) -> tuple:
        return self.now


class Sessions:
    """What the watcher asks of Streamlit, by session: busy ones say so, as ``_rerun`` does on its event loop."""

    def __init__(self) -> None:
        self.busy: set[str] = set()
        self.asked: list[tuple[str, tuple]] = []

    def __call__(self, sid: str, page: live.Drawn, busy) -> bool:
        if sid in self.busy:
            busy()
        else:
            self.asked.append((sid, page.now))
        return True


def page(version: int) -> live.Drawn:
    return live.Drawn((version, "today"), "hash-of-actions", "meeting=m&slide=3")


def test_a_session_behind_the_data_is_rerun_once_and_a_current_one_is_left_alone() -> None:
    versions, sessions = Versions(), Sessions()
    watcher = live.Watcher(versions, sessions)
    watcher.track("display", page(1))
    watcher.track("other", page(1))
    watcher.look()
    assert sessions.asked == []  # nothing changed: nobody is rerun
    versions.now = (2, "today")
    watcher.look()
    watcher.look()
    assert sorted(sessions.asked) == [("display", (1, "today")), ("other", (1, "today"))]  # once each


def test_a_running_session_is_not_cut_short_and_is_asked_again_once_its_run_is_over() -> None:
    versions, sessions = Versions(), Sessions()
    watcher = live.Watcher(versions, sessions)
    watcher.track("editor", page(1))
    versions.now = (2, "today")
    sessions.busy.add("editor")  # its run is going (the write was its own, or another's while it ran)
    watcher.look()
    watcher.look()
    assert sessions.asked == []
    sessions.busy.clear()  # the run ended, having drawn from version 1 (another's write came during it)
    watcher.look()
    assert sessions.asked == [("editor", (1, "today"))]


def test_a_run_that_drew_the_new_version_itself_is_not_rerun_after_it() -> None:
    versions, sessions = Versions(), Sessions()
    watcher = live.Watcher(versions, sessions)
    watcher.track("editor", page(1))
    versions.now = (2, "today")  # the editor's own write, in the run that shows "saved"
    sessions.busy.add("editor")
    watcher.look()
    sessions.busy.clear()
    watcher.track("editor", page(2))  # that run ends, having drawn version 2
    watcher.look()
    assert sessions.asked == []  # its "saved" message stays on screen


class Log:
    """The data's log of writes (data_changes), as the watcher reads it: version -> the tables that write changed."""

    def __init__(self) -> None:
        self.written: dict[int, frozenset[str] | None] = {}
        self.reads: list[tuple[int, int]] = []

    def __call__(self, since: int, upto: int) -> frozenset[str] | None:
        self.reads.append((since, upto))
        found: set[str] = set()
        for version in range(since + 1, upto + 1):
            if self.written.get(version) is None:
                return None
            found |= self.written[version]
        return frozenset(found)


def reading(version: int, tables: set[str] | None, slide: int = 3) -> live.Drawn:
    return live.Drawn(
        (version, "today"), "hash-of-meeting", f"slide={slide}", None if tables is None else frozenset(tables)
    )


def test_a_write_to_tables_a_page_did_not_read_leaves_it_as_it_is_until_one_to_its_tables() -> None:
    versions, sessions, log = Versions(), Sessions(), Log()
    watcher = live.Watcher(versions, sessions, log)
    watcher.track("figures", reading(1, {"observations", "agenda_items"}))  # the force's figures slide
    watcher.track("actions", reading(1, {"actions", "agenda_items"}, slide=8))  # the actions arising
    watcher.track("unknown", reading(1, None))  # a page whose reads were not noted: any write redraws it

    log.written[2] = frozenset({"actions", "audit_log"})  # the minute-taker records an action
    versions.now = (2, "today")
    watcher.look()
    watcher.look()
    assert sorted(sid for sid, _ in sessions.asked) == ["actions", "unknown"]
    assert watcher.skipped == 1
    assert log.reads == [(1, 2)]  # the log is read once for every page drawn at the same version

    log.written[3] = frozenset({"observations", "loads"})  # a corrected return
    versions.now = (3, "today")
    watcher.look()
    # The figures slide is redrawn now; compared from version 2, which it was noted as showing already.
    assert ("figures", (2, "today")) in sessions.asked
    assert log.reads[-1] == (2, 3)


def test_a_gap_in_the_log_or_a_new_day_redraws_every_page() -> None:
    versions, sessions, log = Versions(), Sessions(), Log()
    watcher = live.Watcher(versions, sessions, log)
    watcher.track("figures", reading(1, {"observations"}))
    log.written[2] = None  # a restored backup: anything may have changed
    versions.now = (2, "today")
    watcher.look()
    assert [sid for sid, _ in sessions.asked] == ["figures"]

    watcher.track("figures", reading(2, {"observations"}))
    log.written[3] = frozenset({"actions"})
    versions.now = (3, "tomorrow")  # "overdue" turns over at midnight, whatever was written
    watcher.look()
    assert [sid for sid, _ in sessions.asked] == ["figures", "figures"]

    def broken(since: int, upto: int) -> frozenset[str]:
        raise OSError("the copy was pruned while it was read")

    failing = live.Watcher(versions, sessions, broken)
    failing.track("figures", reading(3, {"observations"}))
    versions.now = (4, "tomorrow")
    failing.look()
    assert len(sessions.asked) == 3  # the log could not be read: redraw rather than guess


class App:
    """The three things ``_rerun`` uses of a Streamlit AppSession."""

    def __init__(self, state: AppSessionState, runner: object = None) -> None:
        self._state = state
        self._scriptrunner = runner  # set by Streamlit from the moment a run is asked for until its end is handled
        self._client_state = ClientState(query_string="old=1", page_script_hash="old-hash")
        self.requested: list[ClientState] = []

    def _call_soon_on_event_loop(self, fn) -> None:
        fn()

    def request_rerun(self, state: ClientState) -> None:
        self.requested.append(state)


def test_rerun_asks_streamlit_for_the_page_at_its_address_only_when_no_run_is_going(monkeypatch) -> None:
    busy_calls = []
    idle, running = App(AppSessionState.APP_NOT_RUNNING), App(AppSessionState.APP_IS_RUNNING)
    starting = App(AppSessionState.APP_NOT_RUNNING, runner=object())  # the browser's own rerun, not yet started
    apps = {"idle": idle, "running": running, "starting": starting}
    monkeypatch.setattr(live, "_app_session", apps.get)

    assert live._rerun("idle", page(1), lambda: busy_calls.append("idle"))
    assert [(s.query_string, s.page_script_hash, s.fragment_id) for s in idle.requested] == [
        ("meeting=m&slide=3", "hash-of-actions", "")
    ]
    assert live._rerun("running", page(1), lambda: busy_calls.append("running"))
    assert running.requested == [] and busy_calls == ["running"]
    assert live._rerun("starting", page(1), lambda: busy_calls.append("starting"))
    assert starting.requested == [] and busy_calls == ["running", "starting"]
    assert not live._rerun("closed", page(1), lambda: busy_calls.append("closed"))  # a closed tab is forgotten
    assert busy_calls == ["running", "starting"]


def test_the_server_does_not_force_a_full_garbage_collection_after_every_run() -> None:
    """Streamlit's default (runner.postScriptGC) held the interpreter's lock for longer than a run took, after every
    run, while every other session waited: three quarters of a busy server's CPU (benchmarks/README.md)."""
    assert streamlit_config()["runner"]["postScriptGC"] is False


def test_the_server_runs_without_the_development_file_watcher() -> None:
    """The file watcher (rerun on save) is for development: on a server it watches every module the app imports,
    a tenth of a second of the first run and a polling thread for nothing (benchmarks/README.md)."""
    assert streamlit_config()["server"]["fileWatcherType"] == "none"
