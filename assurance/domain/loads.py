"""Loading a validated batch: conflicts, one transaction, provenance, undo, export and restore.

The one code path for the Data page, the CLI and the dashboard's inbox watcher:

- ``read_files(paths)`` (from ``assurance.sources``) parses and validates in memory;
- ``check_against(con, parsed)`` compares the batch with what the database holds: figures that
  would change (old vs new), illustrative demo figures it would replace, months already loaded
  with other counts; identical figures are "unchanged" and skipped;
- ``load(con, parsed, replace=False, by=...)`` writes it all in ONE transaction (BEGIN ... COMMIT,
  ROLLBACK on any error, so a failure or a killed process leaves the database as it was): a
  ``loads`` row (importer and version, rows read/loaded/rejected, started/finished, by whom),
  ``load_files`` (name, SHA-256, bytes, rows), the observations with their ``load_id``, the monthly
  police.uk counts, the unplaced rows by reason, and an ``audit_log`` row (entity 'load').
  Conflicts refuse the load unless ``replace``; replaced rows are kept in ``replaced_observations``
  / ``replaced_monthly_counts`` with the replacing load's id. The same files (same SHA-256 set) as a
  load still in place change nothing and say so.
- ``undo(con, load_id, by)``: one transaction: the load's observations and monthly counts are removed,
  the rows it replaced are put back, the load is marked 'undone' (kept, with when and by whom) and an
  audit row written. A load whose rows a later load replaced is undone only after that later one.
- ``export(con, folder)`` writes every table as CSV (text formula-neutralised) and Parquet with a
  manifest; ``read_export`` + ``load`` restore the observations and the whole load history
  (loads, load_files, monthly and unplaced counts, replaced rows) into a database that has no loads
  and no real figures yet (a new one, with or without the demo data). Commitments (meetings,
  actions, ...) are exported for reading but not restored.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from assurance.core.errors import Refused
from assurance.domain.access import who
from assurance.sources.common import (
    POLICE_UK_METRICS_CSV,
    ImportInvalid,
    ParsedImport,
    SourceFile,
    ValidationReport,
    police_uk_metric_codes,
)
from assurance.store import queries
from assurance.store.audit import audit, transaction

EXPORT_VERSION = 1
# The police.uk metrics into the catalogue table, by column name (the table has gained columns since: short_name).
POLICE_UK_METRICS_SQL = (
    "INSERT INTO metrics (code, name, unit, direction, combine, combine_over_time, level, scale, decimals, headline,"
    " sort_order, numerator_label, denominator_label, definition, source)"
    " SELECT code, name, unit, direction, combine, combine_over_time, level, scale::DOUBLE, decimals::INTEGER,"
    " headline::BOOLEAN, sort_order::INTEGER, nullif(numerator_label, ''), nullif(denominator_label, ''), definition,"
    " source FROM read_csv($path, header = true, all_varchar = true) ON CONFLICT DO NOTHING"
)
RESTORED_TABLES = (
    "observations", "loads", "load_files", "monthly_counts", "unplaced_counts", "replaced_observations",
    "replaced_monthly_counts",
)  # fmt: skip


class LoadRefused(Refused):
    """A load or undo that cannot be done as asked, with a message for a person."""


@dataclass(frozen=True)
class Conflict:
    table: str  # 'observations' or 'monthly_counts'
    key: str  # e.g. 'shropshire police_uk_crimes 2023/24 Q4' or '2024-01 crimes'
    old: str
    new: str
    reason: str

    def line(self) -> str:
        return f"{self.key}: {self.reason}: {self.old} -> {self.new}"


@dataclass
class Plan:
    conflicts: list[Conflict] = field(default_factory=list)
    unchanged_observations: int = 0
    unchanged_months: int = 0
    observation_keys_to_replace: list[tuple] = field(default_factory=list)
    month_keys_to_replace: list[tuple] = field(default_factory=list)
    skip_observations: set = field(default_factory=set)
    skip_months: set = field(default_factory=set)


@dataclass
class LoadResult:
    status: str  # 'loaded', 'already_loaded', 'refused', 'unchanged'
    message: str
    load_id: int | None = None
    conflicts: list[Conflict] = field(default_factory=list)
    observations_written: int = 0
    monthly_written: int = 0
    replaced: int = 0

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "message": self.message,
            "load_id": self.load_id,
            "conflicts": [c.__dict__ for c in self.conflicts],
            "observations_written": self.observations_written,
            "monthly_written": self.monthly_written,
            "replaced": self.replaced,
        }

    @classmethod
    def from_dict(cls, data: dict) -> LoadResult:
        data = dict(data)
        data["conflicts"] = [Conflict(**c) for c in data.get("conflicts", [])]
        return cls(**data)


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _same(a, b) -> bool:
    none_a = a is None or (isinstance(a, float) and math.isnan(a))
    none_b = b is None or (isinstance(b, float) and math.isnan(b))
    if none_a or none_b:
        return none_a and none_b
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))


def _frames(parsed: ParsedImport) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    obs = pd.DataFrame(
        parsed.observations,
        columns=["area", "metric", "quarter", "value", "numerator", "denominator", "source", "note"],
    ).astype({"value": "float64", "numerator": "float64", "denominator": "float64", "note": "object"})
    monthly = pd.DataFrame(parsed.monthly, columns=["area", "month", "measure", "category", "count"]).astype(
        {"count": "int64"}
    )
    unplaced = pd.DataFrame(parsed.unplaced, columns=["month", "measure", "reason", "count", "example"]).astype(
        {"count": "int64", "example": "object"}
    )
    return obs, monthly, unplaced


def _plan(cur: duckdb.DuckDBPyConnection, parsed: ParsedImport) -> Plan:
    """Compare the batch with the database (inside the caller's transaction or snapshot)."""
    plan = Plan()
    obs, monthly, _ = _frames(parsed)
    cur.register("new_obs", obs)
    cur.register("new_monthly", monthly)
    try:
        existing = cur.execute(
            "SELECT n.area, n.metric, n.quarter, n.value, n.numerator, n.denominator,"
            " o.value, o.numerator, o.denominator, o.illustrative, o.load_id"
            " FROM new_obs AS n JOIN observations AS o USING (area, metric, quarter)"
            " ORDER BY n.metric, n.quarter, n.area"
        ).fetchall()
        for area, metric, quarter, value, num, den, old_value, old_num, old_den, old_ill, old_load in existing:
            key = (area, metric, quarter)
            same = _same(value, old_value) and _same(num, old_num) and _same(den, old_den)
            if same and not old_ill:
                plan.unchanged_observations += 1
                plan.skip_observations.add(key)
                continue
            origin = "illustrative demo figure" if old_ill else f"load {old_load}" if old_load else "shipped figure"
            reason = f"replaces the {origin}" if same else f"differs from the {origin}"
            old = _fmt(old_value) + (f" ({_fmt(old_num)}/{_fmt(old_den)})" if old_den is not None else "")
            new = _fmt(value) + (f" ({_fmt(num)}/{_fmt(den)})" if den is not None and not math.isnan(den) else "")
            plan.conflicts.append(Conflict("observations", " ".join(key), old, new, reason))
            plan.observation_keys_to_replace.append(key)
        groups = cur.execute("SELECT DISTINCT month, measure FROM new_monthly ORDER BY month, measure").fetchall()
        for month, measure in groups:
            old_rows = cur.execute(
                "SELECT area, category, count, load_id FROM monthly_counts WHERE month = $m AND measure = $s",
                {"m": month, "s": measure},
            ).fetchall()
            if not old_rows:
                continue
            old = {(a, c): n for a, c, n, _ in old_rows}
            new_part = monthly[(monthly["month"] == month) & (monthly["measure"] == measure)]
            new = {(r.area, r.category): int(r.count) for r in new_part.itertuples()}
            if old == new:
                plan.unchanged_months += 1
                plan.skip_months.add((month, measure))
                continue
            changed = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
            shown = "; ".join(f"{a} {c}: {old.get((a, c), 0)} -> {new.get((a, c), 0)}" for a, c in changed[:5])
            more = f" (and {len(changed) - 5} more)" if len(changed) > 5 else ""
            plan.conflicts.append(
                Conflict(
                    "monthly_counts",
                    f"{month} {measure}",
                    f"{sum(old.values())} in load {old_rows[0][3]}",
                    f"{sum(new.values())}",
                    f"already loaded with other counts: {shown}{more}",
                )
            )
            plan.month_keys_to_replace.append((month, measure))
    finally:
        cur.unregister("new_obs")
        cur.unregister("new_monthly")
    return plan


def check_against(con: duckdb.DuckDBPyConnection, parsed: ParsedImport) -> list[Conflict]:
    """What the batch would change in the database (empty: it loads without --replace)."""
    if parsed.restore_dir:
        return []
    cur = con.cursor()
    try:
        return _plan(cur, parsed).conflicts
    finally:
        cur.close()


def _already_loaded(cur: duckdb.DuckDBPyConnection, parsed: ParsedImport) -> int | None:
    """The id of a load still in place made from exactly these files (by SHA-256), if any."""
    wanted = sorted(f.sha256 for f in parsed.files)
    if not wanted:
        return None
    rows = cur.execute(
        "SELECT l.id, list(f.sha256 ORDER BY f.sha256) FROM loads AS l JOIN load_files AS f ON f.load_id = l.id"
        " WHERE l.status = 'loaded' GROUP BY l.id ORDER BY l.id"
    ).fetchall()
    for load_id, shas in rows:
        if list(shas) == wanted:
            return int(load_id)
    return None


def _register_police_uk_metrics(cur: duckdb.DuckDBPyConnection, parsed: ParsedImport) -> None:
    """Add the police.uk metrics to the catalogue table when a batch first brings their figures."""
    needed = {o["metric"] for o in parsed.observations} & police_uk_metric_codes()
    if not needed:
        return
    cur.execute(
        POLICE_UK_METRICS_SQL,
        {"path": str(POLICE_UK_METRICS_CSV)},
    )


def load(
    con: duckdb.DuckDBPyConnection, parsed: ParsedImport, replace: bool = False, by: str | None = None
) -> LoadResult:
    """Write a validated batch in one transaction; refuse conflicts unless replace."""
    by = who(by)
    if parsed.restore_dir:
        return restore(con, parsed, by=by)
    started = _now()
    with transaction(con) as cur:
        same = _already_loaded(cur, parsed)
        if same is not None:
            return LoadResult("already_loaded", f"These files are already loaded (load {same}); nothing changed.", same)
        plan = _plan(cur, parsed)
        if plan.conflicts and not replace:
            return LoadResult(
                "refused",
                f"{len(plan.conflicts)} figures conflict with data already loaded; nothing changed. "
                "Load with --replace (or tick 'replace existing' on the Data page) to replace them.",
                conflicts=plan.conflicts,
            )
        obs, monthly, unplaced = _frames(parsed)
        if plan.skip_observations:
            keys = list(zip(obs["area"], obs["metric"], obs["quarter"], strict=True))
            obs = obs.loc[[k not in plan.skip_observations for k in keys]]
        if plan.skip_months:
            keys = list(zip(monthly["month"], monthly["measure"], strict=True))
            monthly = monthly.loc[[k not in plan.skip_months for k in keys]]
        if plan.skip_months:
            keys = list(zip(unplaced["month"], unplaced["measure"], strict=True))
            unplaced = unplaced.loc[[k not in plan.skip_months for k in keys]]
        if obs.empty and monthly.empty:
            return LoadResult("unchanged", "Every figure in these files is already loaded; nothing changed.")
        load_id = int(cur.execute("SELECT coalesce(max(id), 0) + 1 FROM loads").fetchall()[0][0])
        _register_police_uk_metrics(cur, parsed)
        replaced = _replace_rows(cur, load_id, plan)
        now = _now()
        cur.register("new_obs", obs)
        cur.register("new_monthly", monthly)
        cur.register("new_unplaced", unplaced)
        cur.execute(
            "INSERT INTO observations (area, metric, quarter, value, numerator, denominator, illustrative, source,"
            " note, loaded_at, load_id) SELECT area, metric, quarter, value, numerator, denominator, false, source,"
            " note, $now, $id FROM new_obs",
            {"now": now, "id": load_id},
        )
        cur.execute(
            "INSERT INTO monthly_counts SELECT area, month, measure, category, count, $id FROM new_monthly",
            {"id": load_id},
        )
        cur.execute(
            "INSERT INTO unplaced_counts SELECT $id, month, measure, reason, count, example FROM new_unplaced",
            {"id": load_id},
        )
        for name in ("new_obs", "new_monthly", "new_unplaced"):
            cur.unregister(name)
        summary = parsed.summary()
        if plan.unchanged_observations or plan.unchanged_months:
            summary += (
                f"; unchanged and kept from earlier loads: {plan.unchanged_observations} figures,"
                f" {plan.unchanged_months} months"
            )
        cur.execute(
            "INSERT INTO loads (id, importer, importer_version, files, rows_read, rows_loaded, rows_rejected,"
            " observations, replaced, summary, started_at, finished_at, loaded_by, status) VALUES ($id, $importer,"
            " $version, $files, $read, $loaded, $rejected, $obs, $replaced, $summary, $started, $finished, $by,"
            " 'loaded')",
            {
                "id": load_id,
                "importer": " + ".join(i.split(" ")[0] for i in parsed.importers),
                "version": " + ".join(i.split(" ")[-1] for i in parsed.importers),
                "files": "; ".join(f.name for f in parsed.files),
                "read": parsed.rows_read,
                "loaded": parsed.rows_loaded,
                "rejected": parsed.rows_rejected,
                "obs": len(obs),
                "replaced": replaced,
                "summary": summary,
                "started": started,
                "finished": _now(),
                "by": by,
            },
        )
        cur.executemany(
            "INSERT INTO load_files VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(load_id, i, f.name, f.sha256, f.bytes, f.format, f.rows) for i, f in enumerate(parsed.files, start=1)],
        )
        audit(cur, "load", load_id, "load", by, field="files", new="; ".join(f.name for f in parsed.files))
    message = f"Loaded as load {load_id}: {summary}."
    if replaced:
        message += f" Replaced {replaced} rows (kept; undoing load {load_id} puts them back)."
    return LoadResult("loaded", message, load_id, plan.conflicts, len(obs), len(monthly), replaced)


def _replace_rows(cur: duckdb.DuckDBPyConnection, load_id: int, plan: Plan) -> int:
    """Move the rows the load replaces into replaced_* (kept for undo); return how many."""
    count = 0
    for area, metric, quarter in plan.observation_keys_to_replace:
        params = {"id": load_id, "a": area, "m": metric, "q": quarter}
        cur.execute(
            "INSERT INTO replaced_observations SELECT $id, area, metric, quarter, value, numerator, denominator,"
            " illustrative, source, note, loaded_at, load_id FROM observations"
            " WHERE area = $a AND metric = $m AND quarter = $q",
            params,
        )
        cur.execute(
            "DELETE FROM observations WHERE area = $a AND metric = $m AND quarter = $q",
            {"a": area, "m": metric, "q": quarter},
        )
        count += 1
    for month, measure in plan.month_keys_to_replace:
        params = {"id": load_id, "month": month, "measure": measure}
        count += cur.execute(
            "INSERT INTO replaced_monthly_counts SELECT $id, area, month, measure, category, count, load_id"
            " FROM monthly_counts WHERE month = $month AND measure = $measure",
            params,
        ).fetchall()[0][0]
        cur.execute(
            "DELETE FROM monthly_counts WHERE month = $month AND measure = $measure",
            {"month": month, "measure": measure},
        )
    return count


def undo(con: duckdb.DuckDBPyConnection, load_id: int, by: str | None) -> str:
    """Undo a load in one transaction (audited); the rows it replaced come back. Raises LoadRefused."""
    by = who(by)
    with transaction(con) as cur:
        row = cur.execute("SELECT status, importer FROM loads WHERE id = $id", {"id": load_id}).fetchall()[0]
        if row is None:
            raise LoadRefused(f"there is no load {load_id}")
        if row[0] != "loaded":
            raise LoadRefused(f"load {load_id} is already undone")
        if row[1] == "export":
            raise LoadRefused("a restore from an export cannot be undone; restore into a new database instead")
        later = cur.execute(
            "SELECT DISTINCT r.load_id FROM (SELECT load_id, old_load_id FROM replaced_observations UNION ALL"
            " SELECT load_id, old_load_id FROM replaced_monthly_counts) AS r JOIN loads AS l ON l.id = r.load_id"
            " WHERE r.old_load_id = $id AND l.status = 'loaded' ORDER BY 1",
            {"id": load_id},
        ).fetchall()
        if later:
            ids = ", ".join(str(r[0]) for r in later)
            raise LoadRefused(f"load {ids} replaced figures of load {load_id}: undo load {ids} first")
        removed = cur.execute("DELETE FROM observations WHERE load_id = $id", {"id": load_id}).fetchall()[0][0]
        removed += cur.execute("DELETE FROM monthly_counts WHERE load_id = $id", {"id": load_id}).fetchall()[0][0]
        restored = cur.execute(
            "INSERT INTO observations (area, metric, quarter, value, numerator, denominator, illustrative, source,"
            " note, loaded_at, load_id) SELECT area, metric, quarter, value, numerator, denominator, illustrative,"
            " source, note, loaded_at, old_load_id FROM replaced_observations WHERE load_id = $id",
            {"id": load_id},
        ).fetchall()[0][0]
        restored += cur.execute(
            "INSERT INTO monthly_counts SELECT area, month, measure, category, count, old_load_id"
            " FROM replaced_monthly_counts WHERE load_id = $id",
            {"id": load_id},
        ).fetchall()[0][0]
        cur.execute("DELETE FROM replaced_observations WHERE load_id = $id", {"id": load_id})
        cur.execute("DELETE FROM replaced_monthly_counts WHERE load_id = $id", {"id": load_id})
        cur.execute(
            "UPDATE loads SET status = 'undone', undone_at = $now, undone_by = $by WHERE id = $id",
            {"id": load_id, "now": _now(), "by": by},
        )
        audit(cur, "load", load_id, "undo", by, field="status", old="loaded", new="undone")
    message = f"Load {load_id} undone: {removed} rows removed"
    return message + (f", {restored} replaced rows put back." if restored else ".")


# ----------------------------------------------------------------------------- reading loads back


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> pd.DataFrame:
    cur = con.cursor()
    try:
        return cur.execute(sql, params or {}).df()
    finally:
        cur.close()


def monthly_counts(con: duckdb.DuckDBPyConnection, load_id: int | None = None) -> pd.DataFrame:
    """Monthly police.uk counts in place (of one load, or all), with the area names."""
    return _frame(
        con,
        "SELECT m.load_id, a.name AS area, m.month, m.measure, m.category, m.count FROM monthly_counts AS m"
        " JOIN areas AS a ON a.code = m.area WHERE $id IS NULL OR m.load_id = $id"
        " ORDER BY m.month, m.measure, a.sort_order, m.category",
        {"id": load_id},
    )


def unplaced_counts(con: duckdb.DuckDBPyConnection, load_id: int | None = None) -> pd.DataFrame:
    """police.uk rows not placed in an LPA, by load, month, measure and reason."""
    return _frame(
        con,
        "SELECT load_id, month, measure, reason, count, example FROM unplaced_counts"
        " WHERE $id IS NULL OR load_id = $id ORDER BY load_id, month, measure, reason",
        {"id": load_id},
    )


def load_files(con: duckdb.DuckDBPyConnection, load_id: int) -> pd.DataFrame:
    return _frame(
        con,
        "SELECT position, name, sha256, bytes, format, rows FROM load_files WHERE load_id = $id ORDER BY position",
        {"id": load_id},
    )


def load_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every load with its provenance, newest first, then one row for the figures shipped with the product."""
    return queries.frame(con, "load_list")


def monthly_totals(con: duckdb.DuckDBPyConnection, load_id: int) -> pd.DataFrame:
    """The monthly counts a load put in place, summed over categories, per month, measure and LPA."""
    return queries.frame(con, "monthly_totals", load_id=load_id)


# ----------------------------------------------------------------------------- export and restore


def export(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    """Every table as <name>.csv (formula-neutralised text, UTF-8 with BOM) and <name>.parquet, plus manifest.json."""
    from assurance.core.downloads import to_csv_bytes
    from assurance.store.schema import schema_version

    folder.mkdir(parents=True, exist_ok=True)
    cur = con.cursor()
    try:
        names = [
            r[0]
            for r in cur.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY table_name"
            ).fetchall()
        ]
        counts = {}
        for name in names:
            # Names come from the catalogue, not from input; identifiers cannot be bound.
            frame = cur.execute(f'SELECT * FROM "{name}"').df()  # noqa: S608  # nosec B608
            counts[name] = len(frame)
            (folder / f"{name}.csv").write_bytes(to_csv_bytes(frame))
            target = str(folder / f"{name}.parquet").replace("'", "''")
            cur.execute(f"COPY \"{name}\" TO '{target}' (FORMAT parquet)")  # nosec B608 # table names from the catalogue, the path quoted
        manifest = {
            "export_version": EXPORT_VERSION,
            "schema_version": schema_version(cur),
            "exported_at": _now().isoformat(),
            "tables": counts,
            # So a restore can tell a file changed, damaged or swapped since the export from the one written.
            "sha256": {name: _sha(folder / f"{name}.parquet") for name in names},
        }
    finally:
        cur.close()
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return counts


def read_export(folder: Path, report: ValidationReport) -> ParsedImport:
    """Check an export folder (manifest, Parquet files, row counts) and describe it as a batch to restore."""
    name = folder.name
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        tables = dict(manifest["tables"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        report.add(f"{name}/manifest.json", None, None, f"not a readable export manifest ({exc})", "manifest.json")
        raise ImportInvalid(report) from None
    from assurance.store.schema import LATEST_VERSION

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
            if table in digests and digests[table] != _sha(path):
                report.add(
                    f"{name}/{table}.parquet", None, None, "changed since the export was written (its SHA-256 differs)",
                    "the file as exported",
                )  # fmt: skip
                continue
            try:
                # Decoded in full, not only the footer's row count: a file damaged inside is caught here.
                con.execute(
                    "CREATE OR REPLACE TEMP TABLE export_check AS SELECT * FROM read_parquet($p)", {"p": str(path)}
                )
                rows = con.execute("SELECT count(*) FROM export_check").fetchall()[0][0]
            except duckdb.Error as exc:
                report.add(f"{name}/{table}.parquet", None, None, f"not readable ({exc})", "a Parquet file")
                continue
            if rows != tables[table]:
                report.add(
                    f"{name}/{table}.parquet", None, None, f"{rows} rows", f"{tables[table]} rows (the manifest)"
                )
            digest_path = path
            parsed.files.append(
                SourceFile(f"{name}/{table}.parquet", "", _sha(digest_path), path.stat().st_size, "export", rows)
            )
            parsed.rows_read += rows
    finally:
        con.close()
    if report.problems:
        raise ImportInvalid(report)
    parsed.rows_loaded = parsed.rows_read
    return parsed


def _sha(path: Path) -> str:
    from assurance.sources.common import sha256_of

    return sha256_of(path)


def restore(con: duckdb.DuckDBPyConnection, parsed: ParsedImport, by: str) -> LoadResult:
    """Restore an export into a database without loads or real figures, in one transaction."""
    folder = Path(parsed.restore_dir or "")
    with transaction(con) as cur:
        loads, real = cur.execute(
            "SELECT (SELECT count(*) FROM loads), (SELECT count(*) FROM observations WHERE NOT illustrative)"
        ).fetchall()[0]
        if loads or real:
            return LoadResult(
                "refused",
                f"this database already holds {loads} loads and {real} real figures: restore an export into a new "
                "database (python -m assurance init --db NEW.duckdb), then import the folder there.",
            )
        # Police.uk metrics may be needed by the restored figures.
        cur.execute(
            POLICE_UK_METRICS_SQL,
            {"path": str(POLICE_UK_METRICS_CSV)},
        )
        cur.execute("DELETE FROM observations")
        counts = {}
        for table in RESTORED_TABLES:
            path = folder / f"{table}.parquet"
            if not path.is_file():
                continue
            columns = [r[0] for r in cur.execute(f'DESCRIBE "{table}"').fetchall()]  # nosec B608 # table names from the fixed RESTORED_TABLES
            names = ", ".join(f'"{c}"' for c in columns)
            try:
                counts[table] = cur.execute(
                    f'INSERT INTO "{table}" ({names}) SELECT {names} FROM read_parquet($p)',  # noqa: S608  # nosec B608 # names from DESCRIBE of a fixed table list
                    {"p": str(path)},
                ).fetchall()[0][0]
            except duckdb.Error as exc:  # rolled back whole: the database is as it was
                raise LoadRefused(
                    f"{folder.name}/{table}.parquet does not fit the table {table} ({exc}); nothing was restored"
                ) from None
        load_id = int(cur.execute("SELECT coalesce(max(id), 0) + 1 FROM loads").fetchall()[0][0])
        now = _now()
        cur.execute(
            "INSERT INTO loads (id, importer, importer_version, files, rows_read, rows_loaded, rows_rejected,"
            " observations, replaced, summary, started_at, finished_at, loaded_by, status) VALUES ($id, 'export',"
            " $version, $files, $read, $read, 0, $obs, 0, $summary, $now, $now, $by, 'loaded')",
            {
                "id": load_id,
                "version": str(EXPORT_VERSION),
                "files": folder.name,
                "read": parsed.rows_read,
                "obs": counts.get("observations", 0),
                "summary": "restore of " + ", ".join(f"{n} {t}" for t, n in counts.items()),
                "now": now,
                "by": by,
            },
        )
        cur.executemany(
            "INSERT INTO load_files VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(load_id, i, f.name, f.sha256, f.bytes, f.format, f.rows) for i, f in enumerate(parsed.files, 1)],
        )
        audit(cur, "load", load_id, "restore", by, field="files", new=str(folder))
    restored = ", ".join(f"{n} {t}" for t, n in counts.items())
    return LoadResult("loaded", f"Restored from {folder.name} as load {load_id}: {restored}.", load_id)
