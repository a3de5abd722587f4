"""Planning a load: what the batch would change in the database, before anything is written.

``plan`` compares the batch with what the database holds (inside the load's transaction, or on the connection
for the Data page's preview): figures that would change (old vs new), illustrative demo figures it would
replace, months already loaded with other counts. Identical figures are "unchanged": skipped, not conflicts.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb

from assurance.domain.loads.result import Conflict
from assurance.sources import ParsedImport
from assurance.store import queries
from assurance.store.transaction import Tx

# The fields of a batch's rows, as the named statements take them (queries/loads.sql).
OBSERVATION_FIELDS = ("area", "metric", "quarter", "value", "numerator", "denominator", "source", "note")
MONTHLY_FIELDS = ("area", "month", "measure", "category", "count")
UNPLACED_FIELDS = ("month", "measure", "reason", "count", "example")


@dataclass
class Plan:
    conflicts: list[Conflict] = field(default_factory=list)
    unchanged_observations: int = 0
    unchanged_months: int = 0
    observation_keys_to_replace: list[tuple] = field(default_factory=list)
    month_keys_to_replace: list[tuple] = field(default_factory=list)
    skip_observations: set = field(default_factory=set)
    skip_months: set = field(default_factory=set)


def rows_of(records: Iterable[dict], fields: tuple[str, ...]) -> list[dict]:
    """A batch's rows with exactly the fields a statement takes (a list of structs, bound as one parameter)."""
    return [{name: record.get(name) for name in fields} for record in records]


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


def plan(target: duckdb.DuckDBPyConnection | Tx, parsed: ParsedImport) -> Plan:
    """Compare the batch with the database (inside the caller's transaction, or on the connection)."""
    result = Plan()
    _plan_observations(target, parsed, result)
    _plan_months(target, parsed, result)
    return result


def _plan_observations(target: duckdb.DuckDBPyConnection | Tx, parsed: ParsedImport, result: Plan) -> None:
    existing = queries.rows(
        target, "batch_observations_in_place", rows=rows_of(parsed.observations, OBSERVATION_FIELDS)
    )
    for area, metric, quarter, value, num, den, old_value, old_num, old_den, old_ill, old_load in existing:
        key = (area, metric, quarter)
        same = _same(value, old_value) and _same(num, old_num) and _same(den, old_den)
        if same and not old_ill:
            result.unchanged_observations += 1
            result.skip_observations.add(key)
            continue
        origin = "illustrative demo figure" if old_ill else f"load {old_load}" if old_load else "shipped figure"
        reason = f"replaces the {origin}" if same else f"differs from the {origin}"
        old = _fmt(old_value) + (f" ({_fmt(old_num)}/{_fmt(old_den)})" if old_den is not None else "")
        new = _fmt(value) + (f" ({_fmt(num)}/{_fmt(den)})" if den is not None and not math.isnan(den) else "")
        result.conflicts.append(Conflict("observations", " ".join(key), old, new, reason))
        result.observation_keys_to_replace.append(key)


def _plan_months(target: duckdb.DuckDBPyConnection | Tx, parsed: ParsedImport, result: Plan) -> None:
    batch: dict[tuple[str, str], dict[tuple[str, str], int]] = defaultdict(dict)
    for m in parsed.monthly:
        batch[(m["month"], m["measure"])][(m["area"], m["category"])] = int(m["count"])
    for month, measure in sorted(batch):
        old_rows = queries.rows(target, "monthly_counts_in_place", month=month, measure=measure)
        if not old_rows:
            continue
        old = {(a, c): n for a, c, n, _ in old_rows}
        new = batch[(month, measure)]
        if old == new:
            result.unchanged_months += 1
            result.skip_months.add((month, measure))
            continue
        changed = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        shown = "; ".join(f"{a} {c}: {old.get((a, c), 0)} -> {new.get((a, c), 0)}" for a, c in changed[:5])
        more = f" (and {len(changed) - 5} more)" if len(changed) > 5 else ""
        result.conflicts.append(
            Conflict(
                "monthly_counts",
                f"{month} {measure}",
                f"{sum(old.values())} in load {old_rows[0][3]}",
                f"{sum(new.values())}",
                f"already loaded with other counts: {shown}{more}",
            )
        )
        result.month_keys_to_replace.append((month, measure))


def check_against(con: duckdb.DuckDBPyConnection, parsed: ParsedImport) -> list[Conflict]:
    """What the batch would change in the database (empty: it loads without --replace)."""
    if parsed.restore_dir:
        return []
    return plan(con, parsed).conflicts
