"""Loading: one transaction, provenance, same file twice, conflicts and --replace, undo, export and restore."""

from __future__ import annotations

import copy
from pathlib import Path

import duckdb
import pytest

from assurance.commands.inbox import process_inbox, submit, wait_for_result
from assurance.domain import setup
from assurance.domain.loads import LoadRefused, check_against, load, monthly_counts, undo, unplaced_counts
from assurance.products.export_folder import export
from assurance.sources import read_files
from assurance.store import schema
from assurance.store.connection import connect
from tests.support import STREET_FILES

ROOT = Path(__file__).resolve().parent.parent
STREET = STREET_FILES
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"


def snapshot(con: duckdb.DuckDBPyConnection) -> tuple:
    """Every table's row count and a checksum of the observations: equal snapshots, equal data."""
    observations = con.execute(
        "SELECT md5(string_agg(concat_ws('|', area, metric, quarter, value, numerator, denominator, illustrative,"
        " source, note, load_id), ';' ORDER BY area, metric, quarter)) FROM observations"
    ).fetchall()[0][0]
    return schema.table_counts(con), observations


@pytest.fixture()
def con(seeded_copy_con):
    """A writable copy of the seeded database, one per test (tests/conftest.py)."""
    return seeded_copy_con


@pytest.fixture(scope="module")
def street():
    return read_files(STREET)


def write_return(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("area,metric,quarter,value,numerator,denominator,source,note\n" + "\n".join(rows) + "\n")
    return path


def test_load_records_provenance_and_the_figures_reach_quarterly_metrics(con, street):
    result = load(con, street, by="Analyst A")
    assert result.status == "loaded" and result.load_id == 1
    row = con.execute(
        "SELECT importer, importer_version, files, rows_read, rows_loaded, rows_rejected, loaded_by, status"
        " FROM loads WHERE id = 1"
    ).fetchall()[0]
    assert row == (
        "police_uk_street",
        "1.0",
        "; ".join(p.name for p in STREET),
        23883,
        street.rows_loaded,
        street.rows_rejected,
        "Analyst A",
        "loaded",
    )
    shas = con.execute("SELECT sha256 FROM load_files WHERE load_id = 1 ORDER BY position").fetchall()
    import hashlib

    assert [s[0] for s in shas] == [hashlib.sha256(p.read_bytes()).hexdigest() for p in STREET]
    view = con.execute(
        "SELECT area, value, illustrative, source FROM quarterly_metrics WHERE metric = 'police_uk_crimes'"
        " AND quarter = '2023/24 Q4' ORDER BY area"
    ).fetchall()
    assert len(view) == 6 and not any(r[2] for r in view)
    assert all("Open Government Licence" in r[3] for r in view)
    assert con.execute("SELECT count(*) FROM observations WHERE load_id = 1").fetchall()[0][0] == 12
    assert con.execute("SELECT count(*) FROM metrics WHERE code LIKE 'police_uk_%'").fetchall()[0][0] == 4
    assert not monthly_counts(con, 1).empty and unplaced_counts(con, 1)["count"].sum() == street.rows_rejected
    audit = con.execute("SELECT entity, entity_id, operation, changed_by FROM audit_log").fetchall()
    assert audit == [("load", "1", "load", "Analyst A")]


def test_same_files_twice_change_nothing(con, street):
    load(con, street, by="A")
    before = snapshot(con)
    again = load(con, read_files(STREET), by="A")
    assert again.status == "already_loaded" and "already loaded (load 1)" in again.message
    assert snapshot(con) == before


def test_identical_figures_from_other_files_are_unchanged_not_conflicts(con, tmp_path):
    first = write_return(tmp_path, "a.csv", ["Shropshire,total_recorded_crime,2016/17 Q1,10,,,,"])
    second = write_return(tmp_path, "b.csv", ["shropshire,Total recorded crime,2016/17 Q1,10.0,,,,"])
    assert load(con, read_files([first]), by="A").status == "loaded"
    before = snapshot(con)
    result = load(con, read_files([second]), by="A")
    assert result.status == "unchanged" and snapshot(con) == before


def test_conflict_refused_without_replace_then_replaced_and_undone(con, tmp_path):
    first = write_return(tmp_path, "q.csv", ["Shropshire,total_recorded_crime,2016/17 Q1,10,,,,"])
    second = write_return(tmp_path, "q2.csv", ["Shropshire,total_recorded_crime,2016/17 Q1,12,,,,"])
    load(con, read_files([first]), by="A")
    after_first = snapshot(con)
    parsed = read_files([second])
    conflicts = check_against(con, parsed)
    assert [(c.key, c.old, c.new) for c in conflicts] == [("shropshire total_recorded_crime 2016/17 Q1", "10", "12")]
    refused = load(con, parsed, by="A")
    assert refused.status == "refused" and refused.conflicts == conflicts
    assert snapshot(con) == after_first
    replaced = load(con, parsed, replace=True, by="B")
    assert replaced.status == "loaded" and replaced.replaced == 1 and replaced.conflicts == conflicts
    assert con.execute("SELECT value, load_id FROM observations WHERE quarter = '2016/17 Q1'").fetchall() == [(12.0, 2)]
    with pytest.raises(LoadRefused, match="undo load 2 first"):
        undo(con, 1, "A")
    assert "1 replaced rows put back" in undo(con, 2, "B")
    counts, observations = snapshot(con)
    assert observations == after_first[1]
    assert con.execute("SELECT status, undone_by FROM loads WHERE id = 2").fetchall() == [("undone", "B")]
    assert con.execute("SELECT operation FROM audit_log ORDER BY id").fetchall() == [("load",), ("load",), ("undo",)]
    with pytest.raises(LoadRefused, match="already undone"):
        undo(con, 2, "B")


def test_real_figures_replace_illustrative_demo_rows_only_when_asked_and_undo_restores_them(con, tmp_path):
    path = FIXTURES / "conflicts_with_demo.csv"
    before = snapshot(con)
    refused = load(con, read_files([path]), by="A")
    assert refused.status == "refused" and "illustrative demo figure" in refused.conflicts[0].reason
    assert snapshot(con) == before
    loaded = load(con, read_files([path]), replace=True, by="A")
    assert loaded.status == "loaded"
    assert con.execute(
        "SELECT value, illustrative FROM observations WHERE area = 'shropshire' AND metric = 'total_recorded_crime'"
        " AND quarter = '2024/25 Q2'"
    ).fetchall() == [(1234.0, False)]
    undo(con, loaded.load_id, "A")
    assert snapshot(con)[1] == before[1]


def test_undo_removes_a_police_uk_load_and_a_reload_works(con, street):
    before = snapshot(con)[1]
    result = load(con, street, by="A")
    undo(con, result.load_id, "A")
    assert snapshot(con)[1] == before
    assert monthly_counts(con).empty
    assert load(con, street, by="A").status == "loaded"  # undone files may be loaded again


def test_a_changed_month_conflicts_and_replace_swaps_the_month(con, tmp_path, street):
    load(con, street, by="A")
    changed = tmp_path / "2024-01-west-mercia-street.csv"
    lines = STREET[0].read_bytes().split(b"\r\n")
    changed.write_bytes(b"\r\n".join(lines[:1000] + lines[1050:]))  # 50 fewer rows in January
    parsed = read_files([changed])
    conflicts = check_against(con, parsed)
    assert {c.key for c in conflicts} >= {"2024-01 crimes"}
    result = load(con, parsed, replace=True, by="A")
    assert result.status == "loaded" and result.replaced > 0
    # January alone is a partial quarter: the old quarterly figures stay as they were.
    assert con.execute("SELECT count(*) FROM observations WHERE load_id = 1").fetchall()[0][0] == 12


def test_a_failure_inside_the_transaction_leaves_the_database_as_it_was(con, tmp_path):
    parsed = read_files([write_return(tmp_path, "q.csv", ["Shropshire,total_recorded_crime,2016/17 Q1,10,,,,"])])
    broken = copy.deepcopy(parsed)
    broken.observations.append({**broken.observations[0], "quarter": "not a quarter"})  # fails the CHECK
    before = snapshot(con)
    with pytest.raises(duckdb.Error):
        load(con, broken, by="A")
    assert snapshot(con) == before


def test_export_writes_every_table_and_restores_into_a_new_database(con, street, tmp_path):
    load(con, street, by="A")
    folder = tmp_path / "export"
    counts = export(con, folder)
    assert set(counts) == set(schema.table_counts(con))
    for table in counts:
        assert (folder / f"{table}.csv").is_file() and (folder / f"{table}.parquet").is_file()
    target = tmp_path / "restored.duckdb"
    setup.init_database(target)
    restored = connect(target)
    try:
        parsed = read_files([folder])
        assert parsed.restore_dir
        result = load(restored, parsed, by="B")
        assert result.status == "loaded"
        assert snapshot(restored)[1] == snapshot(con)[1]
        for table in ("loads", "load_files", "monthly_counts", "unplaced_counts"):
            assert schema.table_counts(restored)[table] == counts[table] + (1 if table == "loads" else 0) + (
                len(parsed.files) if table == "load_files" else 0
            )
        again = load(restored, read_files([folder]), by="B")
        assert again.status == "refused" and "new database" in again.message
        with pytest.raises(LoadRefused, match="cannot be undone"):
            undo(restored, result.load_id, "B")
    finally:
        restored.close()


def test_export_csv_neutralises_formulas(con, tmp_path):
    load(
        con,
        read_files([write_return(tmp_path, "q.csv", ["Shropshire,total_recorded_crime,2016/17 Q1,1,,,,=1+2"])]),
        by="A",
    )
    export(con, tmp_path / "out")
    assert "'=1+2" in (tmp_path / "out" / "observations.csv").read_text(encoding="utf-8-sig")


def test_inbox_batch_is_loaded_by_the_watcher_function_with_the_same_result(con, street, tmp_path):
    dbfile = tmp_path / "loads.duckdb"
    batch = submit(dbfile, street, replace=False, by="C")
    assert (tmp_path / "loads.duckdb.inbox" / f"{batch}.json").is_file()
    done = process_inbox(con, dbfile)
    assert [(b, r.status) for b, r in done] == [(batch, "loaded")]
    result = wait_for_result(dbfile, batch, timeout=1)
    assert result.status == "loaded" and result.load_id == 1
    assert con.execute("SELECT loaded_by FROM loads").fetchall() == [("C",)]
    assert not list((tmp_path / "loads.duckdb.inbox").iterdir())
