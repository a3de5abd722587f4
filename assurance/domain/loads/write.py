"""Loading one validated batch: ONE transaction, conflicts refused unless replaced, replaced rows kept for undo.

``load(con, parsed, replace=False, by=...)`` writes it all in one transaction (a failure or a killed process
leaves the database as it was): a ``loads`` row (importer and version, rows read/loaded/rejected,
started/finished, by whom), ``load_files`` (name, SHA-256, bytes, rows), the observations with their
``load_id``, the monthly police.uk counts, the unplaced rows by reason, and an ``audit_log`` row (entity
'load'). Conflicts refuse the load unless ``replace``; replaced rows are kept in ``replaced_observations`` /
``replaced_monthly_counts`` with the replacing load's id. The same files (same SHA-256 set) as a load still in
place change nothing and say so. A batch that is an export folder is restored (``restore``).
"""

from __future__ import annotations

import duckdb

from assurance.domain.access import who
from assurance.domain.loads.conflicts import (
    MONTHLY_FIELDS,
    OBSERVATION_FIELDS,
    UNPLACED_FIELDS,
    Plan,
    plan,
    rows_of,
)
from assurance.domain.loads.provenance import record_load, register_police_uk_metrics
from assurance.domain.loads.restore import restore
from assurance.domain.loads.result import LoadResult, now
from assurance.sources import ParsedImport
from assurance.sources.reference import police_uk_metric_codes
from assurance.store import queries
from assurance.store.audit import audit
from assurance.store.transaction import Tx, transaction


def _already_loaded(tx: Tx, parsed: ParsedImport) -> int | None:
    """The id of a load still in place made from exactly these files (by SHA-256), if any."""
    wanted = sorted(f.sha256 for f in parsed.files)
    if not wanted:
        return None
    found = queries.value(tx, "load_of_the_same_files", sha256s=wanted)
    return None if found is None else int(found)


def load(
    con: duckdb.DuckDBPyConnection, parsed: ParsedImport, replace: bool = False, by: str | None = None
) -> LoadResult:
    """Write a validated batch in one transaction; refuse conflicts unless replace."""
    by = who(by)
    if parsed.restore_dir:
        return restore(con, parsed, by=by)
    started = now()
    with transaction(con) as tx:
        same = _already_loaded(tx, parsed)
        if same is not None:
            return LoadResult("already_loaded", f"These files are already loaded (load {same}); nothing changed.", same)
        found = plan(tx, parsed)
        if found.conflicts and not replace:
            return LoadResult(
                "refused",
                f"{len(found.conflicts)} figures conflict with data already loaded; nothing changed. "
                "Load with --replace (or tick 'replace existing' on the Data page) to replace them.",
                conflicts=found.conflicts,
            )
        observations = [
            o for o in parsed.observations if (o["area"], o["metric"], o["quarter"]) not in found.skip_observations
        ]
        monthly = [m for m in parsed.monthly if (m["month"], m["measure"]) not in found.skip_months]
        unplaced = [u for u in parsed.unplaced if (u["month"], u["measure"]) not in found.skip_months]
        if not observations and not monthly:
            return LoadResult("unchanged", "Every figure in these files is already loaded; nothing changed.")
        load_id = int(queries.value(tx, "next_load_id"))
        if {o["metric"] for o in parsed.observations} & police_uk_metric_codes():
            register_police_uk_metrics(tx)  # when a batch first brings their figures
        replaced = _replace_rows(tx, load_id, found)
        stamp = now()
        tx.execute(
            "insert_batch_observations",
            rows=rows_of(observations, OBSERVATION_FIELDS),
            load_id=load_id,
            loaded_at=stamp,
        )
        tx.execute("insert_batch_monthly_counts", rows=rows_of(monthly, MONTHLY_FIELDS), load_id=load_id)
        tx.execute("insert_batch_unplaced_counts", rows=rows_of(unplaced, UNPLACED_FIELDS), load_id=load_id)
        summary = parsed.summary()
        if found.unchanged_observations or found.unchanged_months:
            summary += (
                f"; unchanged and kept from earlier loads: {found.unchanged_observations} figures,"
                f" {found.unchanged_months} months"
            )
        record_load(
            tx,
            {
                "id": load_id,
                "importer": " + ".join(i.split(" ")[0] for i in parsed.importers),
                "importer_version": " + ".join(i.split(" ")[-1] for i in parsed.importers),
                "files": "; ".join(f.name for f in parsed.files),
                "rows_read": parsed.rows_read,
                "rows_loaded": parsed.rows_loaded,
                "rows_rejected": parsed.rows_rejected,
                "observations": len(observations),
                "replaced": replaced,
                "summary": summary,
                "started_at": started,
                "finished_at": now(),
                "loaded_by": by,
            },
            parsed.files,
        )
        audit(tx, "load", load_id, "load", by, field="files", new="; ".join(f.name for f in parsed.files))
    message = f"Loaded as load {load_id}: {summary}."
    if replaced:
        message += f" Replaced {replaced} rows (kept; undoing load {load_id} puts them back)."
    return LoadResult("loaded", message, load_id, found.conflicts, len(observations), len(monthly), replaced)


def _replace_rows(tx: Tx, load_id: int, found: Plan) -> int:
    """Move the rows the load replaces into replaced_* (kept for undo); return how many."""
    count = 0
    for area, metric, quarter in found.observation_keys_to_replace:
        tx.execute("keep_replaced_observation", load_id=load_id, area=area, metric=metric, quarter=quarter)
        tx.execute("remove_replaced_observation", area=area, metric=metric, quarter=quarter)
        count += 1
    for month, measure in found.month_keys_to_replace:
        count += tx.count("keep_replaced_monthly_counts", load_id=load_id, month=month, measure=measure)
        tx.execute("remove_replaced_monthly_counts", month=month, measure=measure)
    return count
