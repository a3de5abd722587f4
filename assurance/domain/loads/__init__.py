"""Loads: a validated batch into the database, and back out: plan, load, undo, restore, history.

The one code path for the Data page, the CLI and the dashboard's inbox watcher:

- ``read_files(paths)`` (``assurance.sources``) parses and validates in memory;
- ``check_against(con, parsed)`` (``conflicts``) compares the batch with what the database holds;
- ``load(con, parsed, replace=False, by=...)`` (``write``) writes it in ONE transaction with its provenance
  (``provenance``); an export folder is restored (``restore``);
- ``undo(con, load_id, by)`` (``undo``) takes a load back out, putting back the rows it replaced;
- ``load_history``, ``load_files``, ``monthly_counts``, ``monthly_totals``, ``unplaced_counts`` (``history``) read
  loads back.

The export folder itself is written by ``assurance.products.export_folder`` and read back by
``assurance.sources.export_folder``. Every statement is a named query in ``queries/loads.sql``.
"""

from assurance.domain.loads.conflicts import check_against
from assurance.domain.loads.history import load_files, load_history, monthly_counts, monthly_totals, unplaced_counts
from assurance.domain.loads.restore import restore
from assurance.domain.loads.result import Conflict, LoadRefused, LoadResult
from assurance.domain.loads.undo import undo
from assurance.domain.loads.write import load

__all__ = [
    "Conflict",
    "LoadRefused",
    "LoadResult",
    "check_against",
    "load",
    "load_files",
    "load_history",
    "monthly_counts",
    "monthly_totals",
    "restore",
    "undo",
    "unplaced_counts",
]
