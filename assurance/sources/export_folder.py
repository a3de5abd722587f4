"""An export folder (``python -m assurance export``), read back as a batch to restore: checked, never trusted.

``check_manifest`` checks manifest.json's shape at the entry point; ``read_export`` checks every Parquet file
the manifest names (present, unchanged since the export by its SHA-256, decoded in full, the row count the
manifest gives) and describes the folder as a ``ParsedImport`` whose ``restore_dir`` the loader restores
(``assurance.domain.loads.restore``). The folder is written by ``assurance.products.export_folder``.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from assurance.sources.batch import ParsedImport, SourceFile
from assurance.sources.files import sha256_of, size_text
from assurance.sources.report import ImportInvalid, ValidationReport
from assurance.store import queries
from assurance.store.schema import LATEST_VERSION

EXPORT_VERSION = 1
# The tables a restore writes back: the figures and their whole load history.
RESTORED_TABLES = (
    "observations", "loads", "load_files", "monthly_counts", "unplaced_counts", "replaced_observations",
    "replaced_monthly_counts",
)  # fmt: skip
MAX_MANIFEST_BYTES = 1024**2


def check_manifest(folder: Path, report: ValidationReport) -> bool:
    """An export's manifest.json: a JSON object whose versions are whole numbers and whose tables are counts.

    Checked here, at the entry point, so that a damaged or hand-edited manifest is refused with what is
    wrong rather than failing further in (``read_export`` trusts the types it is given).
    """
    where = f"{folder.name}/manifest.json"
    expected = "manifest.json as `python -m assurance export` writes it"
    path = folder / "manifest.json"
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        report.add(where, None, None, f"the manifest is {size_text(path.stat().st_size)}", expected)
        return False
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        report.add(where, None, None, f"not readable JSON ({str(exc)[:100]})", expected)
        return False
    if not isinstance(manifest, dict):
        kind = {list: "a list", str: "text", type(None): "null", bool: "true or false"}.get(type(manifest), "a number")
        report.add(where, None, None, f"the manifest is {kind}, not a JSON object", expected)
        return False
    before = len(report.problems)
    for key in ("export_version", "schema_version"):
        value = manifest.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int):
            report.add(where, None, key, f"{str(value)[:40]!r} is not a version number", "a whole number")
    tables = manifest.get("tables")
    if not isinstance(tables, dict):
        report.add(where, None, "tables", "missing or not an object", "each table's name and its number of rows")
    else:
        for table, rows in tables.items():
            if isinstance(rows, bool) or not isinstance(rows, int) or rows < 0:
                report.add(where, None, "tables", f"{table[:40]!r}: {str(rows)[:40]!r} rows", "a number of rows")
    return len(report.problems) == before


def read_export(folder: Path, report: ValidationReport) -> ParsedImport:
    """Check an export folder (manifest, Parquet files, row counts) and describe it as a batch to restore."""
    name = folder.name
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        tables = dict(manifest["tables"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        report.add(f"{name}/manifest.json", None, None, f"not a readable export manifest ({exc})", "manifest.json")
        raise ImportInvalid(report) from None
    if int(manifest.get("schema_version", 0)) > LATEST_VERSION:
        report.add(f"{name}/manifest.json", None, None, "written by a newer program", f"schema <= {LATEST_VERSION}")
    con = duckdb.connect(":memory:")
    parsed = ParsedImport(restore_dir=str(folder.resolve()), importers=[f"export {EXPORT_VERSION}"])
    try:
        for table in RESTORED_TABLES:
            path = folder / f"{table}.parquet"
            if table not in tables:
                if table == "observations":
                    report.add(name, None, None, "the export has no observations", "observations.parquet")
                continue
            if not path.is_file():
                report.add(f"{name}/{table}.parquet", None, None, "missing", "every table in the manifest")
                continue
            digests = manifest.get("sha256") if isinstance(manifest.get("sha256"), dict) else {}
            sha = sha256_of(path)
            if table in digests and digests[table] != sha:
                report.add(
                    f"{name}/{table}.parquet", None, None, "changed since the export was written (its SHA-256 differs)",
                    "the file as exported",
                )  # fmt: skip
                continue
            try:
                # Decoded in full, not only the footer's row count: a file damaged inside is caught here.
                rows = queries.value(con, "parquet_rows_decoded", path=str(path))
            except duckdb.Error as exc:
                report.add(f"{name}/{table}.parquet", None, None, f"not readable ({exc})", "a Parquet file")
                continue
            if rows != tables[table]:
                report.add(
                    f"{name}/{table}.parquet", None, None, f"{rows} rows", f"{tables[table]} rows (the manifest)"
                )
            parsed.files.append(SourceFile(f"{name}/{table}.parquet", "", sha, path.stat().st_size, "export", rows))
            parsed.rows_read += rows
    finally:
        con.close()
    if report.problems:
        raise ImportInvalid(report)
    parsed.rows_loaded = parsed.rows_read
    return parsed
