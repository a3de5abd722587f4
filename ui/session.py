"""The server's shared things, one per process: the database connection, the inbox watcher and the cached
dataset, with the stamps that tell when the data changed (so no cache is ever stale)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import streamlit as st

from assurance.core.paths import database_path
from assurance.domain.performance import Dataset, load_dataset
from assurance.domain.setup import ensure_database, upgrade
from assurance.domain.stamps import commitments_stamp as _commitments_stamp
from assurance.domain.stamps import data_stamp
from assurance.store.connection import connect


@st.cache_resource(show_spinner="Opening the database…")
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    """One connection per server process; the file is created with demo data on first start."""
    ensure_database(path)
    con = connect(path)
    upgrade(con)  # a file from an older version of the program is migrated, never rebuilt
    return con


@st.cache_resource(show_spinner=False)
def _inbox_watcher(path: str):
    """One thread per server process loading the batches `python -m assurance import` queues while the app
    holds the database (see assurance/commands/inbox.py), through the same load function, on the app's connection."""

    from assurance.commands.inbox import start_watcher

    return start_watcher(_connection(path), Path(path))


def connection() -> duckdb.DuckDBPyConnection:
    path = str(database_path())
    con = _connection(path)
    _inbox_watcher(path)
    return con


@st.cache_resource(show_spinner=False, max_entries=4)
def _dataset(path: str, stamp: tuple) -> Dataset:
    """Shared, not copied per session (cache_resource): the Dataset is read-only and keeps its own
    look-up indexes and SPC results, which a per-session copy would rebuild on every run."""
    return load_dataset(_connection(path))


def commitments_stamp() -> tuple:
    """Changes whenever actions, recommendations, pledges, claims, meetings, agendas or rebase points change."""
    return _commitments_stamp(connection())


def stamp() -> tuple:
    """The data and the commitments together: a cache keyed on this is never stale."""
    return data_stamp(connection()), commitments_stamp()


def dataset() -> Dataset:
    """The observations, catalogue, areas and targets, re-read whenever the data change."""
    con = connection()
    return _dataset(str(database_path()), data_stamp(con))
