"""Several server processes over one DuckDB file (assurance/store/published.py, docs/SCALING.md): every committed
write raises the data version; in shared mode a write publishes a copy that readers open read-only; a write waits
its turn behind another process's; a failed write publishes nothing; commands write directly and publish."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from assurance.commands.serve import NGINX, nginx_config
from assurance.core.errors import DatabaseError
from assurance.domain.commitments.actions import add_action
from assurance.store import published, queries
from assurance.store.connection import connect
from tests.support import corrected_return, database_held_by_another_process, run_cli

MEETING = "2024-11-27-aa-performance"


@pytest.fixture()
def db(seeded_db, tmp_path) -> Path:
    path = tmp_path / "shared.duckdb"
    shutil.copyfile(seeded_db, path)
    return path


def _version(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT version FROM data_version").fetchone()[0]
    finally:
        con.close()


def _actions(path: Path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT text FROM actions ORDER BY id").fetchall()]
    finally:
        con.close()


def _add(con, text: str) -> None:
    add_action(con, meeting_id=MEETING, text=text, owner="ACC Local Policing", by="Minute-taker")


def test_every_committed_write_raises_the_data_version_by_one_and_a_refused_one_does_not(db):
    con = connect(db)
    try:
        before = queries.value(con, "data_version")
        _add(con, "Report the Shropshire positive outcome rate by crime type")
        assert queries.value(con, "data_version") == before + 1
        with pytest.raises(ValueError):
            add_action(con, meeting_id=MEETING, text="", owner="ACC", by="Minute-taker")  # no text: refused
        assert queries.value(con, "data_version") == before + 1
    finally:
        con.close()


def test_a_write_publishes_a_copy_that_readers_open_read_only(db):
    with published.writing(db) as con:  # the first publication
        pass
    first = published.current(db)
    assert first is not None and first.version == _version(db)
    with published.writing(db) as con:
        _add(con, "Bring the 999 call handling recovery plan to the next meeting")
    now = published.current(db)
    assert now.version == first.version + 1 and now.path != first.path
    reader = connect(now.path, read_only=True)
    try:
        texts = [r[0] for r in reader.execute("SELECT text FROM actions").fetchall()]
        assert "Bring the 999 call handling recovery plan to the next meeting" in texts
        with pytest.raises(duckdb.Error):
            reader.execute("DELETE FROM actions")  # a copy is for reading
    finally:
        reader.close()
    # The old copy is still the old data: a page still reading it sees a consistent, earlier picture.
    assert "Bring the 999 call handling recovery plan to the next meeting" not in _actions(first.path)


def test_a_failed_write_publishes_nothing_and_leaves_the_file_as_it_was(db):
    with published.writing(db):
        pass
    before = published.current(db)
    rows = _actions(db)
    with pytest.raises(ValueError), published.writing(db) as con:
        add_action(con, meeting_id="no-such-meeting", text="Lost", owner="ACC", by="Minute-taker")
    assert published.current(db) == before
    assert _actions(db) == rows


def test_only_the_newest_copies_are_kept_and_an_open_old_copy_stays_readable(db):
    with published.writing(db):
        pass
    oldest = published.current(db)
    reader = connect(oldest.path, read_only=True)
    try:
        for n in range(published.KEEP + 2):
            with published.writing(db) as con:
                _add(con, f"Action {n}")
        copies = sorted(p.name for p in published.folder(db).glob("v*.duckdb"))
        assert len(copies) == published.KEEP
        assert published.current(db).path.name == copies[-1]
        assert not oldest.path.exists()
        assert reader.execute("SELECT count(*) FROM actions").fetchone()[0] >= 1  # unlinked, still readable
    finally:
        reader.close()


def test_a_write_waits_its_turn_behind_another_process_then_writes(db):
    with published.writing(db):
        pass
    code = f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('ok', flush=True); time.sleep(1.5)"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        with published.writing(db, wait=30) as con:  # DuckDB's lock: retried until the other process lets go
            _add(con, "Written after the other writer")
    finally:
        holder.wait(timeout=30)
    assert "Written after the other writer" in _actions(published.current(db).path)


def test_a_write_that_never_gets_its_turn_says_so_and_writes_nothing(db):
    with published.writing(db):
        pass
    before = published.current(db)
    with database_held_by_another_process(db, seconds=30):
        with pytest.raises(DatabaseError, match=r"stayed in use by another program for 1 s; nothing was written"):
            with published.writing(db, wait=1) as con:
                _add(con, "Never written")
    assert published.current(db) == before
    assert "Never written" not in _actions(db)


def test_concurrent_writers_in_one_process_take_turns_and_every_write_is_published(db):
    with published.writing(db):
        pass
    start = published.current(db).version
    problems = []

    def write(n: int) -> None:
        try:
            with published.writing(db) as con:
                _add(con, f"Concurrent action {n}")
        except Exception as exc:  # collected: the assertion below names it
            problems.append(repr(exc))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert problems == []
    now = published.current(db)
    assert now.version == start + 6
    assert sum(t.startswith("Concurrent action") for t in _actions(now.path)) == 6


def test_the_import_command_writes_directly_and_publishes_where_servers_share_the_file(db, tmp_path):
    with published.writing(db):
        pass
    before = published.current(db).version
    return_file, shown = corrected_return(tmp_path, 0)
    result = run_cli("import", return_file, "--replace", "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "queued" not in result.stdout and "Loaded as load" in result.stdout
    now = published.current(db)
    assert now.version == before + 1
    con = connect(now.path, read_only=True)
    try:
        value = con.execute(
            "SELECT value FROM quarterly_metrics WHERE area = 'Shropshire' AND metric = 'total_recorded_crime' "
            "AND quarter = '2024/25 Q2'"
        ).fetchone()[0]
    finally:
        con.close()
    assert f"{value:,.0f}" == shown["Shropshire"]


def test_a_dashboard_holding_the_file_alone_stops_the_sharing_so_commands_queue_for_it(db):
    with published.writing(db):
        pass
    assert published.shared(db)
    published.stop_sharing(db)
    assert not published.shared(db) and published.current(db) is None


def test_a_damaged_pointer_is_reported_plainly(db):
    published.folder(db).mkdir()
    (published.folder(db) / published.CURRENT).write_text("not a pointer\n", encoding="utf-8")
    with pytest.raises(DatabaseError, match="does not name a published copy"):
        published.current(db)


@pytest.mark.skipif(
    not Path(NGINX).exists() and os.environ.get("CI") != "true",  # in CI a missing nginx fails: .ci/run installs it
    reason="nginx is not installed (apt-get install nginx)",
)
def test_the_nginx_configuration_serve_writes_is_one_nginx_accepts(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_config(tmp_path, "127.0.0.1", 18500, [18501, 18502, 18503]), encoding="utf-8")
    started = time.monotonic()
    check = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert "syntax is ok" in check.stderr and time.monotonic() - started < 30
    text = conf.read_text(encoding="utf-8")
    assert "hash $route consistent" in text  # sticky: a browser keeps to one server process
    assert text.count("server 127.0.0.1:1850") == 3


def test_a_backup_or_an_export_changes_no_data_and_raises_no_version(db, tmp_path):
    from assurance.domain.backup import backup_file
    from assurance.products.export_folder import export

    before = _version(db)
    backup_file(db, tmp_path / "backups")
    con = connect(db)
    try:
        export(con, tmp_path / "export")
    finally:
        con.close()
    assert _version(db) == before


def test_a_restored_backup_gets_a_version_the_replaced_file_never_had_and_is_published(db, tmp_path):
    from assurance.domain.backup import backup_file

    with published.writing(db):
        pass
    backup = backup_file(db, tmp_path / "backups").path
    with published.writing(db) as con:
        _add(con, "Written after the backup")
    passed = published.current(db).version
    result = run_cli("restore", backup, "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    now = published.current(db)
    assert now.version > passed  # a dashboard keyed on (file, version) never takes the old data for the new
    assert "Written after the backup" not in _actions(now.path)
