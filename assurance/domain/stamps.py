"""Stamps that change whenever the data change: keys for the dashboard's caches, so a cache is never stale."""

from __future__ import annotations

import duckdb

from assurance.store import queries


def data_stamp(con: duckdb.DuckDBPyConnection) -> tuple:
    """Changes whenever the quarterly figures or the targets change."""
    return tuple(queries.one(con, "data_stamp"))


def commitments_stamp(con: duckdb.DuckDBPyConnection) -> tuple:
    """Changes whenever actions, recommendations, pledges, claims, meetings, agendas or rebase points change."""
    return tuple(queries.one(con, "commitments_stamp"))
