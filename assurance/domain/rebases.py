"""SPC rebase points: stored per area and metric, checked before they are written.

A rebase starts a new part of an XmR chart at a quarter, after a known change in the process
(a new recording standard, a new system); each part gets its own mean and limits. A rebase is
only meaningful at a quarter the series has, after its first point, and it needs a reason
that a later reader can check. A request that names what is not there (an area, a metric, a
quarter without data, a rebase to remove) is ``InvalidInput``; a second rebase at the same
quarter is ``Refused``. Either way nothing is written.
"""

from __future__ import annotations

from typing import Any

import duckdb

from assurance.core.errors import InvalidInput, Refused
from assurance.core.periods import Quarter
from assurance.domain.access import LOCAL_USER, who
from assurance.store import queries
from assurance.store.audit import audit
from assurance.store.transaction import Tx, transaction

MAX_REASON = 500


def _check_series(tx: Tx, area: str, metric: str) -> None:
    area_known, metric_known = queries.one(tx, "codes_known", area=area, metric=metric)
    if not area_known:
        raise InvalidInput(f"Unknown area {area!r}: use an area code such as 'shropshire' or 'force'.")
    if not metric_known:
        raise InvalidInput(f"Unknown metric {metric!r}: use a code from the metric catalogue.")


def _quarter_label(quarter: str) -> str:
    try:
        return Quarter.parse(quarter).label
    except ValueError as exc:
        raise InvalidInput(f"Bad quarter: {exc}") from None


def _reason_at(tx: Tx, area: str, metric: str, quarter: str) -> str | None:
    """The reason of the rebase stored at this quarter of the series; None when there is none."""
    return queries.value(tx, "rebase_reason", area=area, metric=metric, quarter=quarter)


def _validate(tx: Tx, area: str, metric: str, quarter: str, reason: str) -> str:
    """The quarter's label if a rebase there can be stored; otherwise InvalidInput or Refused saying what is wrong."""
    _check_series(tx, area, metric)
    label = _quarter_label(quarter)
    if not reason.strip():
        raise InvalidInput("The reason is empty: say what changed at this quarter (e.g. a new recording standard).")
    if len(reason.strip()) > MAX_REASON:
        raise InvalidInput(f"The reason is {len(reason.strip())} characters long; keep it under {MAX_REASON}.")
    quarters = [row[0] for row in queries.rows(tx, "rebase_candidates", area=area, metric=metric)]
    if label not in quarters:
        raise InvalidInput(f"No {metric} figure for {area} in {label}: a rebase must be at a quarter with data.")
    if label == quarters[0]:
        raise InvalidInput(
            f"{label} is the first quarter of the {metric} series for {area}: a rebase must come after the first point."
        )
    if _reason_at(tx, area, metric, label) is not None:
        raise Refused(f"There is already a rebase at {label} for {metric} in {area}.")
    return label


def add_rebase(
    con: duckdb.DuckDBPyConnection, area: str, metric: str, quarter: str, reason: str, by: str | None = None
) -> str:
    """Store a rebase point after checking it; returns the quarter's label. Raises InvalidInput or Refused, writing
    nothing.

    Without by the change is made as the unnamed local user: an editor in local single-user mode, the
    default role (a viewer, refused) when roles are configured.
    """
    by = who(by or LOCAL_USER)
    with transaction(con) as tx:
        label = _validate(tx, area, metric, quarter, reason or "")
        tx.execute("insert_rebase", area=area, metric=metric, quarter=label, reason=reason.strip(), created_by=by)
        audit(tx, "rebase", f"{area} {metric} {label}", "create", by, field="reason", new=reason.strip())
    return label


def remove_rebase(con: duckdb.DuckDBPyConnection, area: str, metric: str, quarter: str, by: str | None = None) -> None:
    """Delete a stored rebase point; InvalidInput if there is none there (by: as for add_rebase)."""
    by = who(by or LOCAL_USER)
    with transaction(con) as tx:
        label = _quarter_label(quarter)
        reason = _reason_at(tx, area, metric, label)
        if reason is None:
            raise InvalidInput(f"There is no rebase at {label} for {metric} in {area} to remove.")
        tx.execute("delete_rebase", area=area, metric=metric, quarter=label)
        audit(tx, "rebase", f"{area} {metric} {label}", "delete", by, field="reason", old=reason)


def list_rebases(con: duckdb.DuckDBPyConnection, area: str, metric: str) -> list[dict[str, Any]]:
    """The stored rebase points for one series, oldest quarter first."""
    return queries.records(con, "series_rebases", area=area, metric=metric)
