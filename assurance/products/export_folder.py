"""``python -m assurance export``: every table as CSV (for people) and Parquet (for a restore), with a manifest.

The CSVs are formula-neutralised UTF-8 with a BOM (``assurance.core.downloads``), so a spreadsheet opens them
safely; the Parquet files keep every value exactly, and manifest.json gives each table's rows and SHA-256 so a
restore (``assurance.sources.export_folder``, then ``assurance.domain.loads``) can tell a file changed, damaged
or swapped since the export. Everything is read in ONE transaction: the folder is the database at one moment.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from assurance.core.downloads import to_csv_bytes
from assurance.domain.loads.result import now
from assurance.sources.export_folder import EXPORT_VERSION
from assurance.sources.files import sha256_of
from assurance.store import queries
from assurance.store.schema import schema_version, table_names
from assurance.store.transaction import transaction


def export(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    """Every table as <name>.csv (formula-neutralised text, UTF-8 with BOM) and <name>.parquet, plus manifest.json."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    with transaction(con, changes_data=False) as tx:  # one snapshot; the statements only read the database
        names = table_names(tx)
        for name in names:
            frame = queries.frame(tx, "table_rows", table_name=name)
            counts[name] = len(frame)
            (folder / f"{name}.csv").write_bytes(to_csv_bytes(frame))
            tx.execute("table_to_parquet", table_name=name, path=str(folder / f"{name}.parquet"))
        version = schema_version(tx)
    manifest = {
        "export_version": EXPORT_VERSION,
        "schema_version": version,
        "exported_at": now().isoformat(),
        "tables": counts,
        # So a restore can tell a file changed, damaged or swapped since the export from the one written.
        "sha256": {name: sha256_of(folder / f"{name}.parquet") for name in names},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return counts
