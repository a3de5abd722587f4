"""`python -m assurance import | template | export | undo`: exit codes, messages, an unchanged database on
refusal, a process killed mid-import, and the inbox used while another process holds the database."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from assurance.store import schema
from tests.support import STREET_FILES
from tests.support import run_cli as run

ROOT = Path(__file__).resolve().parent.parent
STREET = STREET_FILES
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"


def snapshot(path: Path) -> tuple:
    con = duckdb.connect(str(path), read_only=True)
    try:
        observations = con.execute(
            "SELECT md5(string_agg(concat_ws('|', area, metric, quarter, value, numerator, denominator,"
            " illustrative, source, note, load_id), ';' ORDER BY area, metric, quarter)) FROM observations"
        ).fetchall()[0][0]
        return schema.table_counts(con), observations
    finally:
        con.close()


@pytest.fixture()
def dbfile(seeded_db, tmp_path) -> Path:
    path = tmp_path / "cli.duckdb"
    shutil.copyfile(seeded_db, path)
    return path


# One bad file per validation rule: (files, file named in the message, row, column, words of the message).
BAD = [
    (["missing_column.csv"], "missing_column.csv", 1, "value", "missing column"),
    (["unexpected_column.csv"], "unexpected_column.csv", 1, "lpa_name", "unexpected column"),
    (["unknown_area.csv"], "unknown_area.csv", 3, "area", "unknown area 'Shropshre' (did you mean \"shropshire\"?)"),
    (["unknown_metric.csv"], "unknown_metric.csv", 2, "metric", 'did you mean "Total recorded crime"?'),
    (["malformed_quarter.csv"], "malformed_quarter.csv", 2, "quarter", "'2030 Q1' is not a financial quarter"),
    (["not_a_number.csv"], "not_a_number.csv", 2, "value", "'12a' is not a number"),
    (["rate_out_of_range.csv"], "rate_out_of_range.csv", 2, "value", "150 is outside 0-100"),
    (["numerator_above_denominator.csv"], "numerator_above_denominator.csv", 2, "numerator", "above the denominator"),
    (["negative_count.csv"], "negative_count.csv", 2, "value", "negative (-5)"),
    (["duplicate_key.csv"], "duplicate_key.csv", 3, None, "is also on row 2"),
    (["force_only_metric.csv"], "force_only_metric.csv", 2, "area", "reported for the force only"),
    (["rate_disagrees.csv"], "rate_disagrees.csv", 2, "value", "does not match numerator/denominator"),
    (["parts_for_a_count.csv"], "parts_for_a_count.csv", 2, "numerator", "which is not a rate"),
    (["empty.csv"], "empty.csv", None, None, "the file is empty (0 bytes)"),
    (["unknown_header.csv"], "unknown_header.csv", 1, None, "the header is not one this program reads"),
    (["not_a_workbook.xlsx"], "not_a_workbook.xlsx", None, None, "not a readable .xlsx workbook"),
    (["street_bad_month.csv"], "street_bad_month.csv", 2, "Month", "'2024-13' is not a month"),
    (["street_short_row.csv"], "street_short_row.csv", 3, None, "the row has 8 fields"),
    (["street_empty_crime_type.csv"], "street_empty_crime_type.csv", 2, "Crime type", "empty"),
    (["street_jan_a.csv", "street_jan_b.csv"], "street_jan_b.csv", None, None, "the same file as"),
    (["conflicts_with_demo.csv"], None, None, None, "shropshire total_recorded_crime 2024/25 Q2"),
]  # fmt: skip


@pytest.fixture(scope="module")
def shared_db(seeded_db, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bad") / "bad.duckdb"
    shutil.copyfile(seeded_db, path)
    return path


@pytest.mark.parametrize("files, name, row, column, words", BAD, ids=[b[0][0].rsplit(".", 1)[0] for b in BAD])
def test_each_bad_file_exits_2_names_the_place_and_changes_nothing(shared_db, files, name, row, column, words):
    before = snapshot(shared_db)
    result = run("import", *[FIXTURES / f for f in files], "--db", shared_db)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert words in result.stderr
    problem = next(line for line in result.stderr.splitlines() if words in line)
    if name:
        where = f"{FIXTURES / name}" + (f", row {row}" if row else "") + (f", column {column!r}" if column else "")
        assert problem.strip().startswith(f"- {where}"), problem
        assert "expected" in problem
    assert snapshot(shared_db) == before


def test_import_real_files_then_again_then_status(dbfile):
    first = run("import", *STREET, "--db", dbfile, "--by", "Analyst")
    assert first.returncode == 0, first.stderr
    assert "Loaded as load 1" in first.stdout and "not placed in an LPA" in first.stdout
    before = snapshot(dbfile)
    second = run("import", *STREET, "--db", dbfile)
    assert second.returncode == 0 and "already loaded (load 1); nothing changed" in second.stdout
    assert snapshot(dbfile) == before
    status = run("status", "--db", dbfile)
    assert "loads" in status.stdout and "monthly_counts" in status.stdout


def test_replace_prints_the_diff_and_undo_restores(dbfile):
    before = snapshot(dbfile)
    refused = run("import", FIXTURES / "conflicts_with_demo.csv", "--db", dbfile)
    assert refused.returncode == 2 and "--replace" in refused.stderr
    replaced = run("import", FIXTURES / "conflicts_with_demo.csv", "--replace", "--db", dbfile)
    assert replaced.returncode == 0, replaced.stderr
    assert "Replaced (old -> new):" in replaced.stdout
    assert "shropshire total_recorded_crime 2024/25 Q2: differs from the illustrative demo figure" in replaced.stdout
    undone = run("undo", "1", "--db", dbfile, "--by", "Analyst")
    assert undone.returncode == 0 and "put back" in undone.stdout
    assert snapshot(dbfile)[1] == before[1]
    again = run("undo", "1", "--db", dbfile)
    assert again.returncode == 2 and "already undone" in again.stderr


def test_template_export_and_restore(dbfile, tmp_path):
    assert run("template", tmp_path / "t.xlsx").returncode == 0
    assert (tmp_path / "t.xlsx").stat().st_size > 0
    assert run("template", tmp_path / "t.txt").returncode == 2
    assert run("import", *STREET, "--db", dbfile).returncode == 0
    exported = run("export", tmp_path / "out", "--db", dbfile)
    assert exported.returncode == 0 and "CSV and Parquet" in exported.stdout
    target = tmp_path / "new.duckdb"
    assert run("init", "--db", target).returncode == 0
    restored = run("import", tmp_path / "out", "--db", target)
    assert restored.returncode == 0, restored.stderr
    assert snapshot(target)[1] == snapshot(dbfile)[1]


def test_missing_file_and_missing_database(tmp_path):
    result = run("import", tmp_path / "nope.csv", "--db", tmp_path / "x.duckdb")
    assert result.returncode == 2 and "no such file" in result.stderr
    result = run("import", FIXTURES / "good_return.csv", "--db", tmp_path / "x.duckdb")
    assert result.returncode == 1 and "does not exist" in result.stderr and "Traceback" not in result.stderr


def big_return(path: Path) -> int:
    """A valid quarterly return of tens of thousands of rows in quarters the demo data does not use."""
    lpas = ["herefordshire", "north_worcestershire", "shropshire", "south_worcestershire", "telford_and_wrekin"]
    lines = ["area,metric,quarter,value,numerator,denominator,source,note"]
    for year in range(1900, 2010):
        quarter = f"{year}/{(year + 1) % 100:02d}"
        for n in range(1, 5):
            for lpa in lpas:
                lines.append(f"{lpa},total_recorded_crime,{quarter} Q{n},{year + n},,,generated,")
                lines.append(f"{lpa},victim_satisfaction,{quarter} Q{n},,{n * 10},100,generated,")
                lines.append(f"{lpa},open_investigations,{quarter} Q{n},{n},,,generated,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def test_a_process_killed_during_import_leaves_the_database_before_or_after(seeded_db, tmp_path):
    source = tmp_path / "big.csv"
    big_return(source)
    done = tmp_path / "done.duckdb"
    shutil.copyfile(seeded_db, done)
    started = time.monotonic()
    assert run("import", source, "--db", done).returncode == 0
    duration = time.monotonic() - started
    before, after = snapshot(seeded_db), snapshot(done)
    assert before != after
    rng = random.Random(5)
    seen = set()
    for attempt in range(5):
        target = tmp_path / f"kill{attempt}.duckdb"
        shutil.copyfile(seeded_db, target)
        env = {k: v for k, v in os.environ.items() if k != "ASSURANCE_DB"}
        process = subprocess.Popen(
            [sys.executable, "-m", "assurance", "import", str(source), "--db", str(target)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(duration * rng.uniform(0.4, 1.0))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        state = snapshot(target)
        assert state in (before, after), f"attempt {attempt}: the database is neither as before nor as after"
        seen.add("after" if state == after else "before")
    assert seen  # which of the two depends on timing; never anything in between


HOLDER = """
import sys, time
from pathlib import Path
from assurance.store.connection import connect
from assurance.commands.inbox import start_watcher
con = connect(sys.argv[1])
watcher = start_watcher(con, Path(sys.argv[1]), interval=0.5)
print("holding", flush=True)
time.sleep(60)
"""


def test_while_another_process_holds_the_database_the_cli_queues_and_waits(dbfile):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(dbfile)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        started = time.monotonic()
        result = run("import", *STREET, "--db", dbfile, "--by", "Analyst", timeout=60)
        assert result.returncode == 0, result.stderr
        assert "queued as" in result.stdout and "Loaded as load 1" in result.stdout
        assert time.monotonic() - started < 30
        refused = run("import", FIXTURES / "conflicts_with_demo.csv", "--db", dbfile, timeout=60)
        assert refused.returncode == 2 and "differs from the illustrative demo figure" in refused.stderr
        queued = run("import", FIXTURES / "good_return.csv", "--no-wait", "--db", dbfile, timeout=60)
        assert queued.returncode == 0 and "Not waiting" in queued.stdout
        time.sleep(2)
    finally:
        holder.kill()
        holder.wait()
    con = duckdb.connect(str(dbfile), read_only=True)
    try:
        loads = con.execute("SELECT id, loaded_by, status FROM loads ORDER BY id").fetchall()
        assert loads[0] == (1, "Analyst", "loaded") and len(loads) == 2
        assert con.execute("SELECT count(*) FROM observations WHERE metric = 'police_uk_crimes'").fetchall()[0][0] == 6
    finally:
        con.close()
