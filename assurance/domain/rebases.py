"""SPC rebase points: stored per area and metric, checked before they are written.

A rebase starts a new part of an XmR chart at a quarter, after a known change in the process
(a new recording standard, a new system); each part gets its own mean and limits. A rebase is
only meaningful at a quarter the series has, after its first point, and it needs a reason
that a later reader can check.
"""

from __future__ import annotations

from typing import Any

import duckdb

from assurance.core.periods import Quarter
from assurance.domain.access import LOCAL_USER, who
from assurance.store.audit import audit, transaction

MAX_REASON = 500

_AREA_EXISTS = "SELECT count(*) FROM areas WHERE code = $area"
_METRIC_EXISTS = "SELECT count(*) FROM metrics WHERE code = $metric"
_SERIES_QUARTERS = (
    "SELECT quarter FROM observations WHERE area = $area AND metric = $metric AND value IS NOT NULL ORDER BY quarter"
)
_REBASE_EXISTS = "SELECT count(*) FROM spc_rebases WHERE area = $area AND metric = $metric AND quarter = $quarter"
_INSERT = (
    "INSERT INTO spc_rebases (area, metric, quarter, reason, created_by) "
    "VALUES ($area, $metric, $quarter, $reason, $created_by)"
)
_DELETE = "DELETE FROM spc_rebases WHERE area = $area AND metric = $metric AND quarter = $quarter"
_LIST = (
    "SELECT area, metric, quarter, reason, created_at, created_by FROM spc_rebases "
    "WHERE area = $area AND metric = $metric ORDER BY quarter"
)


def _count(cursor: duckdb.DuckDBPyConnection, sql: str, **params: Any) -> int:
    return int(cursor.execute(sql, params).fetchone()[0])


def _check_series(cursor: duckdb.DuckDBPyConnection, area: str, metric: str) -> None:
    if not _count(cursor, _AREA_EXISTS, area=area):
        raise ValueError(f"Unknown area {area!r}: use an area code such as 'shropshire' or 'force'.")
    if not _count(cursor, _METRIC_EXISTS, metric=metric):
        raise ValueError(f"Unknown metric {metric!r}: use a code from the metric catalogue.")


def _quarter_label(quarter: str) -> str:
    try:
        return Quarter.parse(quarter).label
    except ValueError as exc:
        raise ValueError(f"Bad quarter: {exc}") from None


def _validate(cursor: duckdb.DuckDBPyConnection, area: str, metric: str, quarter: str, reason: str) -> str:
    """The quarter's label if a rebase there can be stored; otherwise a ValueError saying what is wrong."""
    _check_series(cursor, area, metric)
    label = _quarter_label(quarter)
    if not reason.strip():
        raise ValueError("The reason is empty: say what changed at this quarter (e.g. a new recording standard).")
    if len(reason.strip()) > MAX_REASON:
        raise ValueError(f"The reason is {len(reason.strip())} characters long; keep it under {MAX_REASON}.")
    quarters = [row[0] for row in cursor.execute(_SERIES_QUARTERS, {"area": area, "metric": metric}).fetchall()]
    if label not in quarters:
        raise ValueError(f"No {metric} figure for {area} in {label}: a rebase must be at a quarter with data.")
    if label == quarters[0]:
        raise ValueError(
            f"{label} is the first quarter of the {metric} series for {area}: a rebase must come after the first point."
        )
    if _count(cursor, _REBASE_EXISTS, area=area, metric=metric, quarter=label):
        raise ValueError(f"There is already a rebase at {label} for {metric} in {area}.")
    return label


def add_rebase(
    con: duckdb.DuckDBPyConnection, area: str, metric: str, quarter: str, reason: str, by: str | None = None
) -> str:
    """Store a rebase point after checking it; returns the quarter's label. Raises ValueError, writing nothing.

    Without by the change is made as the unnamed local user: an editor in local single-user mode, the
    default role (a viewer, refused) when roles are configured.
    """
    by = who(by or LOCAL_USER)
    with transaction(con) as cursor:
        label = _validate(cursor, area, metric, quarter, reason or "")
        cursor.execute(
            _INSERT,
            {"area": area, "metric": metric, "quarter": label, "reason": reason.strip(), "created_by": by},
        )
        audit(cursor, "rebase", f"{area} {metric} {label}", "create", by, field="reason", new=reason.strip())
    return label


def remove_rebase(con: duckdb.DuckDBPyConnection, area: str, metric: str, quarter: str, by: str | None = None) -> None:
    """Delete a stored rebase point; a ValueError if there is none there (by: as for add_rebase)."""
    by = who(by or LOCAL_USER)
    with transaction(con) as cursor:
        label = _quarter_label(quarter)
        params = {"area": area, "metric": metric, "quarter": label}
        if not _count(cursor, _REBASE_EXISTS, **params):
            raise ValueError(f"There is no rebase at {label} for {metric} in {area} to remove.")
        reason = cursor.execute(
            "SELECT reason FROM spc_rebases WHERE area = $area AND metric = $metric AND quarter = $quarter", params
        ).fetchone()[0]
        cursor.execute(_DELETE, params)
        audit(cursor, "rebase", f"{area} {metric} {label}", "delete", by, field="reason", old=reason)


def list_rebases(con: duckdb.DuckDBPyConnection, area: str, metric: str) -> list[dict[str, Any]]:
    """The stored rebase points for one series, oldest quarter first."""
    cursor = con.cursor()
    try:
        cursor.execute(_LIST, {"area": area, "metric": metric})
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    finally:
        cursor.close()
