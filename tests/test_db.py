"""The database: creation, migration, the analysts' view, and all-or-nothing initialisation."""

import shutil

import duckdb
import pyarrow as pa
import pytest

from assurance.core.errors import DatabaseError
from assurance.domain.setup import init_database, upgrade
from assurance.sources.national.batch import COUNT_SCHEMA
from assurance.store import queries
from assurance.store import schema as store_schema
from assurance.store.connection import connect
from assurance.store.schema import migrate, schema_version
from tests.support import AREA_NAMES, data_counts

QUARTERLY_METRICS_COLUMNS = [
    "area",
    "metric",
    "quarter",
    "value",
    "numerator",
    "denominator",
    "illustrative",
    "source",
]


def test_init_creates_schema_lpas_and_catalogue_without_demo_rows(fresh_db):
    report = init_database(fresh_db)
    assert report.created and report.migrations_applied == list(range(1, store_schema.LATEST_VERSION + 1))
    con = connect(fresh_db, read_only=True)
    areas = con.execute("SELECT name, kind, population, population_source FROM areas ORDER BY sort_order").fetchall()
    assert [a[0] for a in areas] == AREA_NAMES
    assert all(a[2] > 0 and a[3] for a in areas)
    assert con.execute("SELECT count(*) FROM metrics").fetchone()[0] == 12
    assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == 0
    assert schema_version(con) == store_schema.LATEST_VERSION


def test_quarterly_metrics_view_is_the_documented_interface(seeded_con):
    cursor = seeded_con.execute("SELECT * FROM quarterly_metrics LIMIT 1")
    assert [d[0] for d in cursor.description] == QUARTERLY_METRICS_COLUMNS
    row = seeded_con.execute(
        "SELECT value, numerator, denominator, illustrative FROM quarterly_metrics"
        " WHERE area = 'West Mercia' AND metric = 'positive_outcome_rate' AND quarter = '2024/25 Q2'"
    ).fetchone()
    assert round(row[0], 1) == 13.3
    assert row[1] / row[2] * 100 == pytest.approx(row[0], abs=1e-3)
    assert row[3] is True


def test_demo_covers_26_quarters_five_lpas_and_force_all_illustrative(seeded_con):
    quarters = seeded_con.execute(
        "SELECT min(quarter), max(quarter), count(DISTINCT quarter) FROM observations"
    ).fetchone()
    assert quarters == ("2018/19 Q1", "2024/25 Q2", 26)
    assert seeded_con.execute("SELECT count(DISTINCT area) FROM observations").fetchone()[0] == 6
    assert seeded_con.execute("SELECT bool_and(illustrative) FROM observations").fetchone()[0] is True


def test_reinit_keeps_every_row_and_applies_nothing_new(tmp_path):
    path = tmp_path / "a.duckdb"
    init_database(path, demo=True)
    con = connect(path)
    con.execute("UPDATE actions SET status = 'update given' WHERE position = 1")
    before = store_schema.table_counts(con)
    con.close()
    report = init_database(path, demo=True)
    assert report.migrations_applied == [] and not report.created
    con = connect(path, read_only=True)
    # Every data table as it was; the log of what each write changed (bookkeeping, like the migrations) grows.
    assert data_counts(store_schema.table_counts(con)) == data_counts(before)
    # The seeded meeting is not reloaded over an officer's edits.
    assert con.execute("SELECT status FROM actions WHERE position = 1").fetchone()[0] == "update given"


def test_a_database_from_before_short_names_gets_them_on_upgrade_and_keeps_its_rows(tmp_path):
    """Migration 007 adds metrics.short_name; upgrading a version-6 file fills it from the shipped catalogue."""
    path = tmp_path / "v5.duckdb"
    con = connect(path)
    migrate(con, target=6)
    con.execute(
        "INSERT INTO metrics (code, name, unit, direction, combine, combine_over_time, level, sort_order, definition,"
        " source) VALUES ('median_days_to_close', 'Median days to close an investigation', 'days', 'lower', 'none',"
        " 'none', 'lpa', 40, 'old definition', 'old source')"
    )
    assert upgrade(con) == list(range(7, store_schema.LATEST_VERSION + 1))
    assert schema_version(con) == store_schema.LATEST_VERSION
    rows = dict(con.execute("SELECT code, short_name FROM metrics").fetchall())
    assert rows["median_days_to_close"] == "Days to close (median)"
    assert rows["total_recorded_crime"] is None  # the name is short enough: nothing stored
    shown = queries.frame(con, "metric_catalogue").set_index("code")["short_name"]
    assert shown["total_recorded_crime"] == "Total recorded crime"
    assert shown["median_days_to_close"] == "Days to close (median)"
    assert con.execute("SELECT count(*) FROM metrics").fetchone()[0] == 12


def _schema_dir_with(tmp_path, name, sql):
    schema = tmp_path / "schema"
    shutil.copytree(store_schema.SCHEMA_DIR, schema)
    (schema / name).write_text(sql)
    return schema


def _demo_database_and_next_migration(tmp_path, name: str, sql: str):
    """A demo database, its table counts, and a schema folder with one more migration (name, sql) after ours."""
    path = tmp_path / "old.duckdb"
    init_database(path, demo=True)
    con = connect(path)
    schema = _schema_dir_with(tmp_path, f"{store_schema.LATEST_VERSION + 1:03d}_{name}.sql", sql)
    return con, store_schema.table_counts(con), schema


def test_migration_of_an_older_database_loses_no_rows(tmp_path):
    con, before, schema = _demo_database_and_next_migration(
        tmp_path, "add_action_note", "ALTER TABLE actions ADD COLUMN note TEXT;"
    )
    applied = migrate(con, schema_dir=schema)
    assert applied == [store_schema.LATEST_VERSION + 1]
    assert schema_version(con) == store_schema.LATEST_VERSION + 1
    assert data_counts(store_schema.table_counts(con)) == data_counts(before)
    assert con.execute("SELECT count(note) FROM actions").fetchone()[0] == 0


def test_failing_migration_rolls_back_whole(tmp_path):
    con, before, schema = _demo_database_and_next_migration(
        tmp_path,
        "broken",
        "ALTER TABLE actions ADD COLUMN note TEXT; DELETE FROM actions; SELECT * FROM no_such_table;",
    )
    with pytest.raises(duckdb.Error):
        migrate(con, schema_dir=schema)
    assert schema_version(con) == store_schema.LATEST_VERSION
    assert data_counts(store_schema.table_counts(con)) == data_counts(before)
    assert "note" not in [r[0] for r in con.execute("DESCRIBE actions").fetchall()]


def test_database_newer_than_the_program_is_refused(tmp_path):
    path = tmp_path / "new.duckdb"
    init_database(path)
    con = connect(path)
    con.execute("INSERT INTO schema_migrations (version, name) VALUES (99, 'future')")
    with pytest.raises(DatabaseError, match="newer than this program"):
        migrate(con)


def test_foreign_duckdb_file_is_refused(tmp_path):
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales (x INTEGER)")
    con.close()
    with pytest.raises(DatabaseError, match="not an assurance database"):
        init_database(path)


def test_failed_creation_leaves_no_file_behind(tmp_path, monkeypatch):
    path = tmp_path / "new.duckdb"
    monkeypatch.setattr("assurance.domain.seed.DEMO_OBSERVATIONS", tmp_path / "missing.csv")
    with pytest.raises(duckdb.Error):
        init_database(path, demo=True)
    assert list(tmp_path.iterdir()) == []


def test_run_query_binds_parameters(seeded_con):
    frame = queries.frame(seeded_con, "attendees", meeting_id="2024-11-27-aa-performance")
    assert frame["abbreviation"].tolist() == ["PCC", "DPCC", "CP", "CJ", "LM", "T/CC", "T/DCC"]
    # A hostile value is data, never SQL.
    assert queries.frame(seeded_con, "attendees", meeting_id="x' OR '1'='1").empty


# Queries over what officers create in the app: empty until they do.
EMPTY_ON_SEED = {
    "spc_rebases", "audit_log", "action_updates", "entity_history", "role_changes",
    "national_quarters", "national_export",  # the national comparison: empty until archives are imported
}  # fmt: skip
# DataFrames a statement reads by name, registered by its caller inside the transaction (empty here, to prepare).
REGISTERED_FRAMES = {
    "batch_files": pa.table(
        {
            "position": pa.array([], pa.int64()),
            "name": pa.array([], pa.string()),
            "sha256": pa.array([], pa.string()),
            "bytes": pa.array([], pa.int64()),
            "rows": pa.array([], pa.int64()),
            "month": pa.array([], pa.string()),
            "force": pa.array([], pa.string()),
        }  # fmt: skip
    ),
    "batch_counts": COUNT_SCHEMA.empty_table(),
}
SAMPLE_PARAMS = {"meeting_id": "2024-11-27-aa-performance", "action_id": 1, "entity": "action", "entity_id": "1"}
READS = [n for n in queries.names() if not queries.query(n).writes]


@pytest.mark.parametrize("name", [n for n in READS if set(queries.query(n).parameters) <= set(SAMPLE_PARAMS)])
def test_every_named_query_runs_against_the_seeded_database(seeded_con, name):
    params = {k: SAMPLE_PARAMS[k] for k in queries.query(name).parameters}
    frame = queries.frame(seeded_con, name, **params)
    if name not in EMPTY_ON_SEED:
        assert not frame.empty, f"queries/{name}.sql returned no rows on the seeded database"


@pytest.mark.parametrize("name", queries.names())
def test_every_named_statement_binds_against_the_schema(seeded_con, name):
    """Each statement, read or write, prepares against the seeded database: its tables and columns exist."""
    query = queries.query(name)
    if query.script:
        pytest.skip("DDL (a query declared with #) cannot be prepared")
    cursor = seeded_con.cursor()
    for frame_name, frame in REGISTERED_FRAMES.items():
        cursor.register(frame_name, frame)
    try:
        cursor.execute(f"PREPARE checked AS {query.sql.rstrip().rstrip(';')}")
    except duckdb.ParserException as exc:
        # DuckDB's parser prepares no ATTACH at all, whatever it names; the backup's one (it binds the file's
        # path) runs for real in tests/test_backup.py. Every other kind of statement must prepare.
        if "ATTACH_STATEMENT is not a preparable statement" not in str(exc):
            raise
        pytest.skip("DuckDB cannot PREPARE an ATTACH statement")
    finally:
        cursor.close()


def test_every_named_query_documents_itself():
    for name in queries.names():
        assert queries.query(name).doc, f"{queries.query(name).file.name}: query {name} has no docstring"


@pytest.mark.parametrize("bad", ["../schema/001_initial", "Actions", "x;y"])
def test_query_names_are_checked(bad):
    with pytest.raises(ValueError):
        queries.sql(bad)
