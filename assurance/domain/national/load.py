"""A checked national batch written in ONE transaction, with its provenance; undone the same way.

Re-importing a force's month replaces it (the rows it had are kept, so undoing the new load puts them back);
the same archives imported again change nothing and say so. The load is recorded in ``loads`` and ``load_files``
like every other import, so the Data page lists it and can undo it.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pyarrow as pa

from assurance.core.errors import Refused
from assurance.domain.access import who
from assurance.domain.loads.result import LoadResult
from assurance.sources.national.batch import IMPORTER, VERSION, NationalBatch
from assurance.sources.national.geography import PLACED
from assurance.store import queries
from assurance.store.audit import audit
from assurance.store.transaction import transaction


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def load_national(con: duckdb.DuckDBPyConnection, batch: NationalBatch, by) -> LoadResult:
    """Write the batch's counts, replacing the force-months it gives again; audited, all or nothing."""
    by = who(by)
    started = _now()
    files = pa.table(
        {
            "position": list(range(1, len(batch.files) + 1)),
            "name": [f.name for f in batch.files],
            "sha256": [f.sha256 for f in batch.files],
            "bytes": [f.bytes for f in batch.files],
            "rows": [f.rows for f in batch.files],
            "month": [f.month for f in batch.files],
            "force": [f.force for f in batch.files],
        }
    )
    with transaction(con) as tx:
        same = queries.value(tx, "national_loads_of_files", sha256s=[f.sha256 for f in batch.files])
        if same is not None:
            return LoadResult(
                "already_loaded", f"These files are already loaded (load {same}); nothing changed.", int(same)
            )
        load_id = int(queries.value(tx, "next_load_id"))
        tx.register("batch_files", files)
        tx.register("batch_counts", batch.counts)
        replaced = tx.count("keep_replaced_national_counts", load_id=load_id)
        tx.execute("delete_replaced_national_counts")
        tx.execute("insert_national_counts", load_id=load_id)
        unplaced = _unplaced(batch)
        summary = batch.summary() + (f"; replaced {replaced:,} counted rows of earlier loads" if replaced else "")
        tx.execute(
            "insert_load",
            id=load_id, importer=IMPORTER, importer_version=VERSION, files="; ".join(f.name for f in batch.files),
            rows_read=batch.rows, rows_loaded=batch.rows - unplaced, rows_rejected=unplaced, observations=0,
            replaced=replaced, summary=summary, started_at=started, finished_at=_now(), loaded_by=by,
        )  # fmt: skip
        tx.execute("insert_national_load_files", load_id=load_id)  # one statement for the lot, not one per file
        audit(tx, "load", load_id, "load", by, field="files", new=f"{len(batch.files)} police.uk street files")
    message = f"Loaded as load {load_id}: {summary}."
    return LoadResult("loaded", message, load_id, replaced=replaced)


def _unplaced(batch: NationalBatch) -> int:
    """Rows counted to their force but to no area (no location, outside its area, unknown LSOA, BTP ...)."""
    if batch.counts is None:
        return 0
    import pyarrow.compute as pc

    mask = pc.not_equal(batch.counts["place"], PLACED)
    return int(pc.sum(pc.filter(batch.counts["count"], mask)).as_py() or 0)


def undo_national(con: duckdb.DuckDBPyConnection, load_id: int, by) -> str:
    """Undo a national load in one transaction (audited): its rows go, the rows it replaced come back."""
    by = who(by)
    with transaction(con) as tx:
        later = [row[0] for row in queries.rows(tx, "national_loads_replacing", load_id=load_id)]
        if later:
            ids = ", ".join(str(i) for i in later)
            raise Refused(f"load {ids} replaced figures of load {load_id}: undo load {ids} first")
        removed = tx.count("undo_national_counts", load_id=load_id)
        restored = tx.count("restore_replaced_national_counts", load_id=load_id)
        tx.execute("forget_replaced_national_counts", load_id=load_id)
        tx.execute("mark_load_undone", load_id=load_id, undone_at=_now(), undone_by=by)
        audit(tx, "load", load_id, "undo", by, field="status", old="loaded", new="undone")
    message = f"Load {load_id} undone: {removed:,} counted rows removed"
    return message + (f", {restored:,} replaced rows put back." if restored else ".")
