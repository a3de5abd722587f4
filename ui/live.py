"""Open pages redraw when the data they show change, and not otherwise: no page re-reads on a clock.

Every full run of a page notes the data version it drew from (``drawn()``, called by dashboard.py before the page
reads anything). A small fragment, ``watch()``, looks at the version every ``WATCH_SECONDS``: one ``stat`` of the
published copy's pointer or a one-row read (``session.version()``), and it draws nothing. When the version has
moved (a committed write anywhere: an action the minute-taker records, a return loaded from the command line, in
this server process or another), it asks Streamlit for a full rerun, which redraws the page with the new figures.
Today's date is part of what is watched, so "overdue" turns over at midnight on a display left open.

Cost while nothing changes: one fragment run a second per open page (about a millisecond of server time and a
few bytes on the websocket: benchmarks/README.md measures it). From a committed write to the open meeting display:
at most a second to notice, then the page's own run.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from ui import session

WATCH_SECONDS = 1.0
DRAWN = session.DRAWN


def _now() -> tuple:
    return session.version(), date.today()


def drawn() -> None:
    """Note the data version this full run draws from (before anything is read)."""
    try:
        st.session_state[DRAWN] = _now()
    except Exception:  # no database yet: the page says so itself; watch() keeps looking
        st.session_state[DRAWN] = None


@st.fragment(run_every=WATCH_SECONDS)
def watch() -> None:
    """Rerun the page as soon as the data version moves on from the one it drew."""
    try:
        now = _now()
    except Exception:  # a check that failed (a copy replaced mid-read): the next one, a second later, looks again
        return
    if now != st.session_state.get(DRAWN):
        st.rerun()
