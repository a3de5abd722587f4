"""Restoring an export folder: the observations and the whole load history, into a database that has none yet.

``read_export`` (``assurance.sources.export_folder``) has checked the folder; the restore writes the observations
and the load history (loads, load_files, monthly and unplaced counts, replaced rows) in ONE transaction into a
database without loads or real figures (a new one, with or without the demo data), and records itself as a load
of its own. Commitments (meetings, actions, ...) are exported for reading but not restored.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from assurance.domain.loads.provenance import record_load, register_police_uk_metrics
from assurance.domain.loads.result import LoadRefused, LoadResult, now
from assurance.sources import ParsedImport
from assurance.sources.export_folder import EXPORT_VERSION, RESTORED_TABLES
from assurance.store import queries
from assurance.store.audit import audit
from assurance.store.transaction import transaction


def restore(con: duckdb.DuckDBPyConnection, parsed: ParsedImport, by: str) -> LoadResult:
    """Restore an export into a database without loads or real figures, in one transaction."""
    folder = Path(parsed.restore_dir or "")
    with transaction(con) as tx:
        loads, real = queries.one(tx, "restore_target_holds")
        if loads or real:
            return LoadResult(
                "refused",
                f"this database already holds {loads} loads and {real} real figures: restore an export into a new "
                "database (python -m assurance init --db NEW.duckdb), then import the folder there.",
            )
        register_police_uk_metrics(tx)  # the restored figures may need them
        tx.execute("remove_observations_before_restore")
        counts = {}
        for table in RESTORED_TABLES:
            path = folder / f"{table}.parquet"
            if not path.is_file():
                continue
            try:  # one named statement per table (queries/loads.sql), its columns by name from the Parquet file
                counts[table] = tx.count(f"restore_{table}", path=str(path))
            except duckdb.Error as exc:  # rolled back whole: the database is as it was
                raise LoadRefused(
                    f"{folder.name}/{table}.parquet does not fit the table {table} ({exc}); nothing was restored"
                ) from None
        load_id = int(queries.value(tx, "next_load_id"))
        stamp = now()
        record_load(
            tx,
            {
                "id": load_id,
                "importer": "export",
                "importer_version": str(EXPORT_VERSION),
                "files": folder.name,
                "rows_read": parsed.rows_read,
                "rows_loaded": parsed.rows_read,
                "rows_rejected": 0,
                "observations": counts.get("observations", 0),
                "replaced": 0,
                "summary": "restore of " + ", ".join(f"{n} {t}" for t, n in counts.items()),
                "started_at": stamp,
                "finished_at": stamp,
                "loaded_by": by,
            },
            parsed.files,
        )
        audit(tx, "load", load_id, "restore", by, field="files", new=str(folder))
    restored = ", ".join(f"{n} {t}" for t, n in counts.items())
    return LoadResult("loaded", f"Restored from {folder.name} as load {load_id}: {restored}.", load_id)
