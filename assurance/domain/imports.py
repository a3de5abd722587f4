"""Any checked batch into the database, and any load back out: the one door for the command line, the inbox and
the Data page.

A quarterly return, West Mercia's police.uk files or an export folder (``ParsedImport``) go through
``assurance.domain.loads``; police.uk archives for the national comparison (``NationalBatch``) through
``assurance.domain.national.load``. Undoing a load asks which kind it was.
"""

from __future__ import annotations

import duckdb

from assurance.domain import loads
from assurance.domain.loads.result import LoadRefused, LoadResult
from assurance.domain.national.load import load_national, undo_national
from assurance.sources.batch import ParsedImport
from assurance.sources.national.batch import IMPORTER as NATIONAL
from assurance.sources.national.batch import NationalBatch
from assurance.store import queries


def load_batch(
    con: duckdb.DuckDBPyConnection, batch: ParsedImport | NationalBatch, replace: bool = False, by=None
) -> LoadResult:
    """Write a checked batch in one transaction, whichever kind it is. A national batch replaces the force-months
    it gives again without asking (undo puts them back); other figures that differ need ``replace``."""
    if isinstance(batch, NationalBatch):
        return load_national(con, batch, by)
    return loads.load(con, batch, replace=replace, by=by)


def undo_load(con: duckdb.DuckDBPyConnection, load_id: int, by) -> str:
    """Undo a load of any kind (audited); the rows it replaced come back."""
    state = queries.one(con, "load_state", load_id=load_id)
    if state is not None and state[0] == "loaded" and state[1] == NATIONAL:
        return undo_national(con, load_id, by)
    return loads.undo(con, load_id, by)


__all__ = ["LoadRefused", "LoadResult", "load_batch", "undo_load"]
