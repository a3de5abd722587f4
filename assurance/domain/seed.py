"""Load the shipped demo data and the seeded meeting of 27 November 2024."""

from __future__ import annotations

import duckdb

from assurance.core.deadlines import load_meeting_file
from assurance.core.paths import DATA_DIR

DEMO_OBSERVATIONS = DATA_DIR / "demo" / "quarterly_observations.csv"
DEMO_TARGETS = DATA_DIR / "demo" / "targets.csv"
SEED_MEETINGS = sorted((DATA_DIR / "meetings").glob("*.json"))


def load_demo(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the illustrative observations and targets, and (re)load the seeded meetings.

    Real (non-illustrative) observations already loaded are never touched. Runs inside the
    caller's transaction.
    """
    con.execute(
        "DELETE FROM observations WHERE illustrative AND (area, metric, quarter) IN"
        " (SELECT (area, metric, quarter) FROM read_csv($path, header = true, all_varchar = true))",
        {"path": str(DEMO_OBSERVATIONS)},
    )
    con.execute(
        "INSERT INTO observations (area, metric, quarter, value, numerator, denominator, illustrative, source)"
        " SELECT area, metric, quarter, value::DOUBLE, nullif(numerator, '')::DOUBLE, nullif(denominator, '')::DOUBLE,"
        " illustrative::BOOLEAN, source FROM read_csv($path, header = true, all_varchar = true)"
        " ON CONFLICT DO NOTHING",
        {"path": str(DEMO_OBSERVATIONS)},
    )
    con.execute("DELETE FROM targets WHERE illustrative OR name = 'National standard'")
    con.execute(
        "INSERT INTO targets (metric, area, comparison, value, from_quarter, name, basis, illustrative, source)"
        " SELECT metric, nullif(area, ''), comparison, nullif(value, '')::DOUBLE, from_quarter, name, basis,"
        " illustrative::BOOLEAN, source FROM read_csv($path, header = true, all_varchar = true)",
        {"path": str(DEMO_TARGETS)},
    )
    for path in SEED_MEETINGS:
        load_meeting_file(con, path)
