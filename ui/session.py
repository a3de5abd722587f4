"""The server's shared things, one per process: the database connection, the inbox watcher and the cached
dataset, with the data version that tells when the data changed (so no cache is ever stale).

Two ways to run (docs/SCALING.md):

* **solo** (``streamlit run app.py``): this process holds the DuckDB file read-write for its lifetime, reads
  and writes on it, and loads what ``python -m assurance import`` queues in its inbox.
* **shared** (``ASSURANCE_SHARED=1``, set by ``python -m assurance serve --processes N``): no process holds the
  file. Pages read the copy the last write published (``assurance.store.published``), read-only, and move to a
  newer one as soon as it appears; a write opens the file for that write only (``writer()``) and publishes.

Either way ``version()`` is the data version every committed write raises, and is cheap: a one-row read (solo) or
one ``stat`` (shared). Pages key what they compute on it (``ui/shared.py``) and the open pages redraw when it moves
(``ui/live.py``).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb
import streamlit as st

from assurance.core.errors import DatabaseError
from assurance.core.paths import database_path
from assurance.domain.performance import Dataset, load_dataset
from assurance.domain.setup import ensure_database, upgrade
from assurance.store import published, queries, reads
from assurance.store.connection import connect

F = TypeVar("F", bound=Callable)
SHARED_ENV = "ASSURANCE_SHARED"
DRAWN = "_live_drawn_version"  # the data version the session's page was drawn from (ui/live.py)


def shared_mode() -> bool:
    """Whether several server processes share the database (see the module's docstring)."""
    return os.environ.get(SHARED_ENV, "").strip() == "1"


@st.cache_resource(show_spinner="Opening the database…")
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    """Solo mode: one connection per server process; the file is created with demo data on first start."""
    with reads.not_counted():  # what the first page's run reads to make the file is not what it shows
        ensure_database(path)
        published.stop_sharing(path)  # this process holds the file now: commands queue in its inbox, not wait
        con = connect(path)
        upgrade(con)  # a file from an older version of the program is migrated, never rebuilt
    return con


@st.cache_resource(show_spinner=False)
def _inbox_watcher(path: str):
    """One thread per server process loading the batches `python -m assurance import` queues while the app
    holds the database (see assurance/commands/inbox.py), through the same load function, on the app's connection."""

    from assurance.commands.inbox import start_watcher

    return start_watcher(_connection(path), Path(path))


@st.cache_resource(show_spinner="Opening the database…")
def _first_publication(path: str) -> None:
    """Shared mode, once per process: make sure a copy is published (``serve`` publishes one before it starts the
    servers; this covers a server started by hand)."""
    if published.current(path) is None:
        with reads.not_counted():  # what the first page's run reads to make the file is not what it shows
            ensure_database(path)
            with published.writing(path) as con:
                upgrade(con)


@st.cache_resource(show_spinner=False, max_entries=2)
def _copy(copy: str) -> duckdb.DuckDBPyConnection:
    """Shared mode: a published copy, read-only, one connection per process per copy. The previous copy's
    connection stays while a session may still be reading it; older ones are dropped and closed."""
    return connect(copy, read_only=True)


def connection() -> duckdb.DuckDBPyConnection:
    """The connection pages read through (and, in solo mode, write through: see ``writer()``)."""
    path = str(database_path())
    if shared_mode():
        _first_publication(path)
        for _ in range(5):
            found = published.current(path)
            try:
                return _copy(str(found.path))
            except DatabaseError:
                if found.path.exists():
                    raise
                # a burst of writes pruned it between reading CURRENT and opening it: look again
        raise DatabaseError(f"the published copies of {path} kept changing while being opened; reload the page")
    return _connection(path)


def start_inbox_watcher() -> None:
    """Solo mode: make sure this process's inbox watcher runs (``_inbox_watcher``). Called at the end of every page
    run (``ui.live.track()``), not when the connection opens: a server's first run sends its page first, and imports
    the importers the watcher needs (about 40 ms) afterwards. A database that cannot be opened is the page's to
    report, not this call's."""
    if shared_mode():
        return
    try:
        _inbox_watcher(str(database_path()))
    except DatabaseError:
        pass


@contextmanager
def writer() -> Iterator[duckdb.DuckDBPyConnection]:
    """The connection a change is written through: ``with session.writer() as con: add_action(con, ...)``.

    Solo mode: the process's own connection. Shared mode: the file, read-write, for this write only (waiting its
    turn behind another process's write), then published to every server process.
    """
    before = version()
    if shared_mode():
        with published.writing(str(database_path())) as con:
            yield con
    else:
        yield connection()
    # This session's own write needs no second run to show: the run that wrote goes on to draw it (ui/live.py).
    drawn = st.session_state.get(DRAWN)
    if drawn and drawn[0] == before:
        st.session_state[DRAWN] = (version(), *drawn[1:])


def version() -> int:
    """The data version: raised by every committed write. One ``stat`` (shared) or a one-row read (solo)."""
    path = str(database_path())
    if shared_mode():
        _first_publication(path)
        return published.current(path).version
    return int(queries.value(connection(), "data_version"))


def changed_tables(since: int, upto: int, con: duckdb.DuckDBPyConnection | None = None) -> frozenset[str] | None:
    """The tables the writes after version ``since`` up to ``upto`` changed (None: anything may have), read from the
    data's own change log (migration 10) on ``con``, else on this process's connection."""
    rows = queries.rows(con or connection(), "data_changes_since", since=since, upto=upto)
    return reads.changed([(int(v), t) for v, t in rows], since, upto)


def run_version() -> int:
    """The data version this page run draws from: read once at the top of the run (``ui.live.drawn()``) and moved
    on by the session's own writes (``writer()``), so a run reads it once, not once per use; read afresh outside
    a page run. A write by anyone else after that read is drawn by the rerun the live watcher asks for."""
    drawn = st.session_state.get(DRAWN)
    return drawn[0] if drawn else version()


def remembering_reads(fn: F, max_entries: int) -> F:
    """``st.cache_resource`` over ``fn``, keeping with each result the tables its computation read and counting them
    as read by every run that reuses it (``assurance.store.reads``): a page's rerun, drawn from the cache, is
    redrawn after the same writes as the run that computed it (``ui/live.py``). The dataset below and every shared
    view (``ui/shared.py``) are cached this way."""
    computed = functools.update_wrapper(reads.with_reads(fn), fn)  # fn's name, signature and source: the cache key
    cached = st.cache_resource(show_spinner=False, max_entries=max_entries)(computed)

    @functools.wraps(fn)
    def call(*args, **kwargs):
        return reads.replay(cached(*args, **kwargs))

    call.clear = cached.clear
    return call  # type: ignore[return-value]


def _read_dataset(path: str, number: int) -> Dataset:
    """Shared, not copied per session (cache_resource): the Dataset is read-only and keeps its own
    look-up indexes and SPC results, which a per-session copy would rebuild on every run."""
    return load_dataset(connection())


_dataset = remembering_reads(_read_dataset, max_entries=4)


def dataset() -> Dataset:
    """The observations, catalogue, areas and targets, re-read whenever the data change."""
    return _dataset(str(database_path()), run_version())
