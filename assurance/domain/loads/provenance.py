"""What a load writes beside its figures: its ``loads`` row and its files, and the catalogue rows its figures need."""

from __future__ import annotations

from typing import Any

from assurance.core.metrics import catalogue_rows
from assurance.sources.batch import SourceFile
from assurance.sources.reference import POLICE_UK_METRICS_CSV
from assurance.store.transaction import Tx


def record_load(tx: Tx, load: dict[str, Any], files: list[SourceFile]) -> None:
    """The ``loads`` row (``load``: its columns, see queries/loads.sql ``insert_load``) and one row per file."""
    tx.execute("insert_load", **load)
    tx.executemany(
        "insert_load_file",
        [
            {"load_id": load["id"], "position": position, "name": f.name, "sha256": f.sha256, "bytes": f.bytes,
             "format": f.format, "rows": f.rows}
            for position, f in enumerate(files, start=1)
        ],
    )  # fmt: skip


def register_police_uk_metrics(tx: Tx) -> None:
    """The police.uk metrics in the catalogue table, made by the one metric constructor (as the catalogue's own)."""
    tx.executemany("upsert_metric", catalogue_rows(POLICE_UK_METRICS_CSV))
