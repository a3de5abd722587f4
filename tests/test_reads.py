"""What each write changed, and what a page read (assurance/store/reads.py): the log of writes an open page is
compared with, so that it redraws after a write to data it shows, and only then."""

from __future__ import annotations

import pytest

from assurance.domain.commitments.actions import add_action
from assurance.domain.loads import load
from assurance.domain.setup import init_database
from assurance.sources import read_files
from assurance.store import queries, reads
from assurance.store.connection import connect
from assurance.store.schema import table_names
from assurance.store.transaction import CHANGES_KEPT, transaction
from tests.support import FIXTURES

MEETING = "2024-11-27-aa-performance"
CORRECTED = FIXTURES / "imports" / "conflicts_with_demo.csv"  # Shropshire's crime, 2024/25 Q2


def last_change(con) -> tuple[int, list[str] | None]:
    version, tables = con.execute("SELECT version, tables FROM data_changes ORDER BY version DESC LIMIT 1").fetchone()
    assert version == queries.value(con, "data_version")  # one row per version, written with it
    return version, tables


def test_a_query_names_the_tables_it_reads_with_views_resolved_and_bookkeeping_left_out():
    # quarterly_metrics is a view over observations_in_use, which unions the national figures in.
    assert {"observations", "areas", "national_counts"} <= reads.tables_in("SELECT * FROM quarterly_metrics")
    assert reads.tables_in("-- actions are not read here\nSELECT version FROM data_version") == frozenset()
    assert reads.tables_in("SELECT a.text FROM actions AS a JOIN meetings AS m ON m.id = a.meeting_id") == {
        "actions",
        "meetings",
    }
    assert queries.tables("data_version") == frozenset()  # read on every run: it must never make a page redraw


def test_every_table_a_page_can_read_is_known_to_the_log(seeded_con):
    """The tables named in queries/schema/ are the database's own: none is missing, so no read goes uncounted."""
    known, views = reads.schema()
    in_file = set(table_names(seeded_con)) - reads.BOOKKEEPING
    assert in_file == set(known)
    assert set(views) == {
        r[0] for r in seeded_con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    }


def test_each_committed_write_logs_the_tables_it_wrote_and_a_refused_one_logs_nothing(seeded_copy_con):
    con = seeded_copy_con
    add_action(con, meeting_id=MEETING, text="Report Shropshire's outcomes by crime type", owner="ACC", by="Clerk")
    version, tables = last_change(con)
    assert "actions" in tables and "audit_log" in tables
    assert "observations" not in tables  # a page showing only figures is left as it is

    with pytest.raises(ValueError):
        add_action(con, meeting_id=MEETING, text="", owner="ACC", by="Clerk")  # refused: nothing commits
    assert last_change(con) == (version, tables)

    load(con, read_files([CORRECTED]), replace=True, by="test")
    _, tables = last_change(con)
    assert "observations" in tables and "actions" not in tables


def test_a_migration_logs_that_anything_may_have_changed(tmp_path):
    path = tmp_path / "new.duckdb"
    init_database(path, demo=False)
    con = connect(path, read_only=True)
    try:
        rows = con.execute("SELECT version, tables FROM data_changes ORDER BY version").fetchall()
        # From migration 10 (which creates the log) on, every write has its row; the migration's own says "anything".
        assert rows[0][1] is None
        assert [v for v, _ in rows] == list(range(rows[0][0], queries.value(con, "data_version") + 1))
    finally:
        con.close()


def test_the_log_keeps_only_the_latest_writes(seeded_copy_con):
    con = seeded_copy_con
    for _ in range(CHANGES_KEPT + 3):
        with transaction(con) as tx:
            tx.execute("data_version_at_least", floor=0)  # the cheapest write there is: it changes nothing
    versions = [v for (v,) in con.execute("SELECT version FROM data_changes ORDER BY version").fetchall()]
    latest = queries.value(con, "data_version")
    assert versions == list(range(latest - CHANGES_KEPT + 1, latest + 1))


@pytest.mark.parametrize(
    ("rows", "since", "upto", "expected"),
    [
        ([(4, ["actions"]), (5, ["audit_log", "actions"])], 3, 5, {"actions", "audit_log"}),
        ([(4, ["actions"]), (5, None)], 3, 5, None),  # a restore or a migration: anything
        ([(5, ["actions"])], 3, 5, None),  # version 4's row is gone (pruned, or a restored file's history)
        ([], 5, 5, set()),  # nothing written since
    ],
)
def test_what_the_writes_between_two_versions_changed(rows, since, upto, expected):
    got = reads.changed(rows, since, upto)
    assert got == (None if expected is None else frozenset(expected))


def test_a_recording_counts_what_is_read_inside_it_and_passes_it_outwards(seeded_con):
    reads.start_run()
    with reads.recording() as inner:
        queries.frame(seeded_con, "areas")
    assert "areas" in inner
    kept = reads.with_reads(lambda: queries.frame(seeded_con, "metric_catalogue"))()
    assert "metrics" in kept[1]
    reads.replay(kept)  # a cached result reused: its tables count again
    assert {"areas", "metrics"} <= reads.end_run()
    assert reads.end_run() is None  # the run's tables are taken once
    queries.frame(seeded_con, "areas")  # outside any run: nothing kept, nothing fails
    assert reads.end_run() is None
