"""Reading loads back: the load history with provenance, and one load's files, monthly and unplaced counts."""

from __future__ import annotations

import duckdb
import pandas as pd

from assurance.store import queries


def load_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every load with its provenance, newest first, then one row for the figures shipped with the product."""
    return queries.frame(con, "load_list")


def monthly_counts(con: duckdb.DuckDBPyConnection, load_id: int | None = None) -> pd.DataFrame:
    """Monthly police.uk counts in place (of one load, or all), with the area names."""
    return queries.frame(con, "load_monthly_counts", load_id=load_id)


def monthly_totals(con: duckdb.DuckDBPyConnection, load_id: int) -> pd.DataFrame:
    """The monthly counts a load put in place, summed over categories, per month, measure and LPA."""
    return queries.frame(con, "monthly_totals", load_id=load_id)


def unplaced_counts(con: duckdb.DuckDBPyConnection, load_id: int | None = None) -> pd.DataFrame:
    """police.uk rows not placed in an LPA, by load, month, measure and reason."""
    return queries.frame(con, "load_unplaced_counts", load_id=load_id)


def load_files(con: duckdb.DuckDBPyConnection, load_id: int) -> pd.DataFrame:
    """The files of one load, in the order they were given, with their SHA-256."""
    return queries.frame(con, "load_file_list", load_id=load_id)
