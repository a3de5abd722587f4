"""Backup and restore: a round trip, a backup while another process holds the database, exit codes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from assurance.commands.cli import main
from assurance.core.errors import DatabaseError
from assurance.domain.backup import BackupRefused, backup_file, backup_with, restore
from assurance.domain.commitments.actions import add_action
from assurance.store.connection import connect
from assurance.store.schema import table_counts
from tests.support import data_counts, run_cli

ROOT = Path(__file__).resolve().parent.parent

# The dashboard's side, without a browser: a process that holds the database read-write on one connection
# and runs the inbox watcher on it, as ui/session.py does.
HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from assurance.store.connection import connect
    from assurance.commands.inbox import start_watcher
    db = Path(sys.argv[1])
    con = connect(db)
    start_watcher(con, db, interval=0.2)
    print("ready", flush=True)
    sys.stdin.read()  # hold the file until the test closes stdin
    """
)


@pytest.fixture()
def db(seeded_db, tmp_path) -> Path:
    path = tmp_path / "live" / "assurance.duckdb"
    path.parent.mkdir()
    shutil.copyfile(seeded_db, path)
    return path


def _counts(path: Path) -> dict[str, int]:
    con = connect(path, read_only=True)
    try:
        return table_counts(con)
    finally:
        con.close()


@contextmanager
def held_by_another_process(path: Path) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == "ready", process.stderr.read()
        yield process
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _add_an_action(path: Path) -> None:
    con = connect(path)
    try:
        add_action(
            con,
            meeting_id="2024-11-27-aa-performance",
            text="An action added after the backup",
            owner="ACC",
            by="Tester",
        )
    finally:
        con.close()


def test_round_trip_brings_back_the_data_as_at_the_backup(db, tmp_path, capsys) -> None:
    before = _counts(db)
    assert main(["backup", str(tmp_path / "backups"), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Backed up ") and "backups" in out
    (backup,) = (tmp_path / "backups").glob("assurance-backup-*.duckdb")
    assert _counts(backup) == before
    assert backup.stat().st_mode & 0o777 == 0o600  # a whole copy of the database is its owner's only

    _add_an_action(db)
    assert _counts(db)["actions"] == before["actions"] + 1

    assert main(["restore", str(tmp_path / "backups"), "--db", str(db), "--by", "Restorer"]) == 0
    out = capsys.readouterr().out
    assert "Restored" in out and "before-restore-" in out
    after = _counts(db)
    assert data_counts(after) == data_counts({**before, "audit_log": before["audit_log"] + 1})  # the restore is audited
    (previous,) = db.parent.glob("assurance.duckdb.before-restore-*")
    assert _counts(previous)["actions"] == before["actions"] + 1  # the file as it was, kept
    con = connect(db, read_only=True)
    try:
        assert con.execute("SELECT operation, changed_by FROM audit_log WHERE entity = 'database'").fetchall() == [
            ("restore", "Restorer")
        ]
        # Anything may have changed: every open page redraws (a NULL list of tables in the log of writes).
        assert con.execute("SELECT tables FROM data_changes ORDER BY version DESC LIMIT 1").fetchone() == (None,)
    finally:
        con.close()
    _add_an_action(db)  # the restored file is a working database: sequences carried over, no key collisions
    assert not list(db.parent.glob(".*restore*")), "no temporary file left behind"


def test_backup_while_another_process_holds_the_database(db, tmp_path) -> None:
    before = _counts(db)
    with held_by_another_process(db):
        with pytest.raises(DatabaseError, match="in use"):
            connect(db, read_only=True)
        started = time.monotonic()
        result = run_cli("backup", str(tmp_path / "backups"), "--db", str(db), timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "open in the dashboard: asked it for the backup" in result.stdout
        assert "Backed up " in result.stdout
        assert time.monotonic() - started < 60

        refused = run_cli("restore", str(tmp_path / "backups"), "--db", str(db), timeout=60)
        assert refused.returncode == 1
        assert "is in use" in refused.stderr and "stop the dashboard" in refused.stderr
        assert "Nothing was changed" in refused.stderr and "Traceback" not in refused.stderr
    (backup,) = (tmp_path / "backups").glob("assurance-backup-*.duckdb")
    assert _counts(backup) == before
    assert _counts(db) == before
    assert not list(db.parent.glob("*.before-restore-*"))
    assert not list((db.parent / "assurance.duckdb.inbox").glob("*.json"))


def test_backup_never_overwrites_and_is_consistent_with_the_source(db, tmp_path) -> None:
    first = backup_file(db, tmp_path / "b")
    second = backup_file(db, tmp_path / "b")
    assert first.path != second.path and first.counts == second.counts == _counts(db)


def test_backups_one_after_another_on_the_dashboards_connection_are_each_whole(db, tmp_path) -> None:
    """The copy's file is attached under a fixed alias: let go after each copy, and one left over is replaced."""
    con = connect(db)
    try:
        first = backup_with(con, db, tmp_path / "b")
        add_action(con, meeting_id="2024-11-27-aa-performance", text="Added between", owner="Analyst", by="Tester")
        con.execute("ATTACH ':memory:' AS backup_target")  # as a copy killed half-way would leave it
        second = backup_with(con, db, tmp_path / "b")
        expected = table_counts(con)
    finally:
        con.close()
    assert _counts(Path(second.path)) == expected == second.counts
    assert second.counts["actions"] == _counts(Path(first.path))["actions"] + 1


def test_restore_refuses_what_is_not_a_backup(db, tmp_path, capsys) -> None:
    not_db = tmp_path / "notes-backup-1.duckdb"
    not_db.write_text("not a database")
    assert main(["restore", str(not_db), "--db", str(db)]) == 2
    assert "nothing was restored" in capsys.readouterr().err
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    with pytest.raises(BackupRefused, match="not an assurance database"):
        restore(db, other, "Tester")
    assert main(["restore", str(tmp_path / "empty"), "--db", str(db)]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["restore", str(tmp_path / "empty"), "--db", str(db)]) == 2
    assert "holds no backup" in capsys.readouterr().err
    assert not list(db.parent.glob("*.before-restore-*"))


def test_backup_exit_codes(tmp_path, capsys) -> None:
    assert main(["backup", str(tmp_path / "b"), "--db", str(tmp_path / "missing.duckdb")]) == 1
    assert "does not exist" in capsys.readouterr().err
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert main(["backup", str(a_file), "--db", str(tmp_path / "missing.duckdb")]) == 2
    assert "is a file" in capsys.readouterr().err


def test_restore_into_a_missing_database_creates_it(db, tmp_path) -> None:
    result = backup_file(db, tmp_path / "b")
    target = tmp_path / "new" / "assurance.duckdb"
    restored = restore(target, Path(result.path), "Tester")
    assert restored.previous is None
    assert _counts(target)["actions"] == _counts(db)["actions"]
