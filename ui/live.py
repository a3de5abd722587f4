"""Open pages redraw when the data they show change, and not otherwise: no page re-reads on a clock.

**One watcher per server process** (a thread, started with the first page run) looks at the data version every
``TICK_SECONDS``: a one-row read on the process's own connection (solo) or one ``stat`` of the published copy's
pointer (shared: ``assurance.store.published``). When it has moved (a committed write anywhere: an action the
minute-taker records, a return loaded from the command line, in this process or another), it asks Streamlit to
rerun every open session of this process that drew an older version and read a table written since (the data's
log of writes, ``assurance.store.reads``), and each redraws with the new figures; the others run nothing. A
session's run ends by noting what it drew (``track()``: the version, its page and its address), so the rerun is of
the same page at the same address (the meeting, the slide). Today's date is watched too, so "overdue" turns over
at midnight on a display left open.

While nothing changes an open page costs the server almost nothing: one slow check every ``SAFETY_SECONDS`` that
the browser asks for (it brings a page back after its server process died and the browser reconnected to another,
which cannot push to a page it has never run). (A fragment with ``run_every`` that checked each second, the first
design, cost each open display 4-10% of a core in Streamlit's own fragment machinery: benchmarks/README.md.)

A page run reads the version once, at its top (``drawn()``; ``ui.session.run_version()`` hands it to the rest of
the run), and the watcher never cuts a run short: a session busy running when the version moves is rerun once
that run is over, if it drew an older version.

Streamlit has no public call to rerun another session, so ``_rerun`` uses the one its own "run on save" uses
(``AppSession.request_rerun``, scheduled on the session's event loop), kept in this one function. If a Streamlit
upgrade moves it, ``push_supported()`` is false, the pages fall back to a fragment that checks every
``FALLBACK_SECONDS`` and the server's log says so once; tests/e2e/test_live_browser.py checks the push works.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import NoReturn
from urllib.parse import urlencode

import streamlit as st

from assurance.store import reads
from ui import session

TICK_SECONDS = 0.2
FALLBACK_SECONDS = 2.0
SAFETY_SECONDS = 10.0
DRAWN = session.DRAWN
DRAWN_TABLES = "_live_drawn_tables"  # the tables the session's last full run read
Changes = Callable[[int, int], "frozenset[str] | None"]  # (since, upto) -> the tables written; None: anything
_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Drawn:
    """What one session last drew: the data version and date, where (its page and address), and the tables its run
    read (None: not known, so any write redraws it)."""

    now: tuple
    page_script_hash: str
    query_string: str
    tables: frozenset[str] | None = None


def unaffected(tables: frozenset[str] | None, then: tuple | None, now: tuple, changes: Changes) -> bool:
    """Whether a page that read ``tables`` when drawn at ``then`` (version, date) shows nothing the writes up to
    ``now`` changed: the same day, and each write since named only other tables. Anything unknown says no."""
    if tables is None or then is None or then[1] != now[1]:
        return False
    try:
        changed = changes(then[0], now[0])
    except Exception:  # a copy pruned under the read, say: redraw rather than guess
        return False
    return changed is not None and not (changed & tables)


def _now() -> tuple:
    return session.version(), date.today()


def drawn() -> None:
    """Note the data version this full run draws from (before anything is read), and start noting the tables the
    run reads (``assurance.store.reads``)."""
    reads.start_run()
    try:
        st.session_state[DRAWN] = _now()
    except Exception:  # no database yet: the page says so itself; the watcher keeps looking
        st.session_state[DRAWN] = None


# ------------------------------------------------------------------------------------------- Streamlit's side


def _session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def _app_session(session_id: str):
    from streamlit import runtime

    if not runtime.exists():
        return None
    info = runtime.get_instance()._session_mgr.get_active_session_info(session_id)
    return info.session if info is not None else None


def push_supported() -> bool:
    """Whether this Streamlit offers what ``_rerun`` needs."""
    try:
        from streamlit.proto.ClientState_pb2 import ClientState  # noqa: F401
        from streamlit.runtime.app_session import AppSession, AppSessionState

        return hasattr(AppSessionState, "APP_IS_RUNNING") and all(
            hasattr(AppSession, name) for name in ("request_rerun", "_call_soon_on_event_loop")
        )
    except ImportError:
        return False


def _rerun(session_id: str, page: Drawn, busy: Callable[[], None]) -> bool:
    """Ask Streamlit to rerun one session's page at its address; False when the session has gone.

    A session whose script is running is left to finish (``busy`` is called instead): a push must never cut short
    the run of a user's own change, which shows its "saved" message once. Its run ends by noting what it drew, and
    the watcher's next look reruns it then if that is already behind. (The check is on the session's event loop,
    where Streamlit creates a run's script runner, and marks the run as started before its callbacks write.)
    """
    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.runtime.app_session import AppSessionState

    app = _app_session(session_id)
    if app is None:
        return False

    def on_its_loop() -> None:  # the session's own event loop, as Streamlit's "run on save" does it
        # A script runner exists from the moment a run is asked for (the browser's own, say) until Streamlit has
        # handled the run's end: asking then would stop that run, and with it the change a person just made.
        if (
            getattr(app, "_scriptrunner", None) is not None
            or getattr(app, "_state", None) == AppSessionState.APP_IS_RUNNING
        ):
            busy()
            return
        state = ClientState()
        state.CopyFrom(app._client_state)  # the widget values the browser last sent
        state.query_string = page.query_string  # the address as the run left it (a slide moved by a button, say)
        state.page_script_hash = page.page_script_hash
        state.fragment_id = ""
        app.request_rerun(state)

    app._call_soon_on_event_loop(on_its_loop)
    return True


# ------------------------------------------------------------------------------------------------ the watcher


class Watcher(threading.Thread):
    """One per server process: reruns the sessions that drew an older version as soon as the version moves."""

    def __init__(
        self,
        read: Callable[[], tuple],
        rerun: Callable[[str, Drawn, Callable[[], None]], bool] = _rerun,
        changes: Changes = lambda since, upto: None,
    ) -> None:
        super().__init__(name="assurance-live", daemon=True)
        self.read, self.rerun, self.changes = read, rerun, changes
        self.skipped = 0  # sessions left as they were, because no write since touched what they show
        self.sessions: dict[str, Drawn] = {}
        self.lock = threading.Lock()
        self.stopped = threading.Event()

    def track(self, session_id: str, page: Drawn) -> None:
        with self.lock:
            self.sessions[session_id] = page

    def look(self) -> None:
        """One look: rerun every session behind the current version whose page read a table written since (one
        still running is asked again later); the others are noted as up to date, untouched."""
        now = self.read()
        with self.lock:
            behind = [(sid, page) for sid, page in self.sessions.items() if page.now != now]
        changes = functools.cache(self.changes)  # one read of the change log per version a page was drawn at
        for sid, page in behind:
            asked = Drawn(now, page.page_script_hash, page.query_string, page.tables)
            untouched = unaffected(page.tables, page.now, now, changes)
            with self.lock:
                if self.sessions.get(sid) is not page:  # it drew again meanwhile
                    continue
                # Marked as drawn now, so it is asked once; its own run tracks it again when done.
                self.sessions[sid] = asked
            if untouched:
                self.skipped += 1
                continue
            if not self.rerun(sid, page, lambda sid=sid, asked=asked, page=page: self._later(sid, asked, page)):
                with self.lock:
                    self.sessions.pop(sid, None)  # closed tab

    def _later(self, session_id: str, asked: Drawn, page: Drawn) -> None:
        """The session was busy running: keep it behind, so the next look asks again (unless its run noted itself)."""
        with self.lock:
            if self.sessions.get(session_id) is asked:
                self.sessions[session_id] = page

    def run(self) -> None:
        failing = None  # the last failure logged, so a lasting one is logged once, not five times a second
        while not self.stopped.wait(TICK_SECONDS):
            try:
                self.look()
                failing = None
            except Exception as exc:  # a read racing a new copy: the next look, 0.2 s later, tries again
                if repr(exc) != failing:
                    failing = repr(exc)
                    _LOG.warning("the data version could not be read (open pages redraw once it can): %s", exc)


def _version_reader() -> Callable[[], tuple]:
    """The cheapest read of the version for this process, outside any page run."""
    from assurance.core.paths import database_path
    from assurance.store import published, queries

    path = str(database_path())
    if session.shared_mode():
        return lambda: (published.current(path).version, date.today())
    con = session.connection()
    return lambda: (int(queries.value(con, "data_version")), date.today())


def _changes_reader() -> Changes:
    """What the writes between two versions changed, read from the data's change log outside any page run: on the
    process's own connection (solo), or on the newest published copy, opened for that read (shared)."""
    from assurance.core.paths import database_path
    from assurance.store import published
    from assurance.store.connection import connect

    path = str(database_path())
    if not session.shared_mode():
        con = session.connection()
        return lambda since, upto: session.changed_tables(since, upto, con)

    def changes(since: int, upto: int) -> frozenset[str] | None:
        found = published.current(path)
        if found is None or found.version < upto:
            return None
        con = connect(found.path, read_only=True)
        try:
            return session.changed_tables(since, upto, con)
        finally:
            con.close()

    return changes


@st.cache_resource(show_spinner=False)
def _watcher(path: str) -> Watcher:
    """Started once per server process and database file."""
    watcher = Watcher(_version_reader(), changes=_changes_reader())
    watcher.start()
    return watcher


@st.cache_resource(show_spinner=False)
def _fallback_noted() -> bool:
    _LOG.warning("this Streamlit cannot rerun a session from outside it: open pages check every %ss", FALLBACK_SECONDS)
    return True


def stop() -> NoReturn:
    """End the page's run here, as ``st.stop()`` does, having noted what it drew (``track``). After ``st.stop()``
    Streamlit refuses every call, session state included, so a page that stopped early ("no national data yet")
    would never be tracked: it would not redraw when its data arrive, and a push meant for the page the session
    showed before would take it back there. Pages stop through this, never ``st.stop()`` (tests/test_architecture.py).
    """
    track()
    st.stop()
    raise AssertionError("st.stop() ends the run")  # pragma: no cover


def track() -> None:
    """At the end of a full run: note what this session drew, so the watcher reruns it when the data change. Once
    per run: the ``finally`` after a page that stopped (``stop()``) finds it done."""
    from assurance.core.paths import database_path

    tables = reads.end_run()
    if tables is None:  # noted already by stop(), or no run began (drawn() was never reached)
        return
    try:
        session.start_inbox_watcher()
    except Exception as exc:  # called in a finally: never hide the page's own outcome
        _LOG.warning("could not start the inbox watcher: %s", exc)
    now = st.session_state.get(DRAWN)
    st.session_state[DRAWN_TABLES] = tables
    if not push_supported():
        _fallback_noted()
        _fallback_check()
        return
    _safety_check()
    from streamlit import runtime

    sid = _session_id()
    if not runtime.exists() or sid is None or now is None:  # outside a server (AppTest), or no database yet
        return
    try:
        query = urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
        _watcher(str(database_path())).track(sid, Drawn(now, _page_script_hash(), query, tables))
    except Exception as exc:  # called in a finally: never hide the page's own outcome; the page still works
        _LOG.warning("could not note what this session drew: %s", exc)


def _page_script_hash() -> str:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.page_script_hash if ctx is not None else ""


def _check() -> None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not ctx.fragment_ids_this_run:  # part of a full run, whose drawn() has just read it
        return
    try:
        now = _now()
    except Exception:  # a copy replaced mid-read: the next check looks again
        return
    then = st.session_state.get(DRAWN)
    if now == then:
        return
    if unaffected(st.session_state.get(DRAWN_TABLES), then, now, session.changed_tables):
        st.session_state[DRAWN] = now  # nothing it shows was written: as good as drawn from the new version
        return
    st.rerun()


@st.fragment(run_every=FALLBACK_SECONDS)
def _fallback_check() -> None:
    """Only where ``push_supported()`` is false: rerun the page when the version moved."""
    _check()


@st.fragment(run_every=SAFETY_SECONDS)
def _safety_check() -> None:
    """The browser's own slow look, beside the watcher's push: it brings back a page whose server process died and
    whose browser reconnected to another, which knows nothing of it yet (the push needs a run to know a page)."""
    _check()
