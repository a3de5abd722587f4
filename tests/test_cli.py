"""`python -m assurance`: exit codes, messages, and where the database is."""

from pathlib import Path

import duckdb

from tests.support import database_held_by_another_process
from tests.support import run_cli as run

ROOT = Path(__file__).resolve().parent.parent


def test_init_demo_creates_the_database_at_db_option(tmp_path):
    path = tmp_path / "x.duckdb"
    result = run("init", "--demo", "--db", path)
    assert result.returncode == 0, result.stderr
    assert f"Created {path}" in result.stdout
    assert "observations" in result.stdout and "1612 rows" in result.stdout
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT count(*) FROM actions").fetchone()[0] == 3


def test_every_command_reads_assurance_db(tmp_path):
    path = tmp_path / "env.duckdb"
    assert run("init", env_db=path).returncode == 0
    assert path.exists()
    status = run("status", env_db=path)
    assert status.returncode == 0
    assert f"Database: {path}" in status.stdout
    listed = run("list", "actions", env_db=path)
    assert listed.returncode == 0 and listed.stdout.splitlines()[0].startswith("id\tmeeting_id")


def test_db_option_wins_over_the_environment(tmp_path):
    env_path, opt_path = tmp_path / "env.duckdb", tmp_path / "opt.duckdb"
    assert run("--db", opt_path, "init", env_db=env_path).returncode == 0
    assert opt_path.exists() and not env_path.exists()


def test_list_shows_the_seeded_commitments(tmp_path):
    path = tmp_path / "x.duckdb"
    run("init", "--demo", "--db", path)
    recs = run("list", "recommendations", "--db", path)
    assert recs.returncode == 0
    assert "spring 2025\t2025-05-31\tTrue" in recs.stdout  # the last day of spring: approximate
    assert "31st of Mar 25\t2025-03-31\tFalse" in recs.stdout
    assert "(4 recommendations)" in recs.stderr


def test_missing_database_is_a_plain_message_not_a_traceback(tmp_path):
    result = run("status", "--db", tmp_path / "none.duckdb")
    assert result.returncode == 1
    assert "does not exist" in result.stderr and "python -m assurance init --demo" in result.stderr
    assert "Traceback" not in result.stderr


def test_locked_database_says_who_to_stop(tmp_path):
    path = tmp_path / "x.duckdb"
    run("init", "--db", path)
    with database_held_by_another_process(path, seconds=30):
        result = run("init", "--db", path)
        assert result.returncode == 1
        assert "in use by another program" in result.stderr
        assert "Traceback" not in result.stderr


def test_unknown_command_is_a_usage_error(tmp_path):
    result = run("bogus", "--db", tmp_path / "x.duckdb")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_not_an_assurance_database(tmp_path):
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    result = run("init", "--db", path)
    assert result.returncode == 1
    assert "not an assurance database" in result.stderr


def test_minutes_over_the_limit_are_refused_before_they_are_read(tmp_path):
    big = tmp_path / "minutes.txt"
    with open(big, "wb") as handle:
        handle.truncate(50_000_000)  # a sparse 50 MB file
    result = run("minutes", big, "--db", tmp_path / "none.duckdb")
    assert result.returncode == 2
    assert "minutes.txt: it is 50.0 MB; minutes over 1 MB are refused" in result.stderr
    assert "Traceback" not in result.stderr


def test_undo_of_a_load_that_does_not_exist_is_refused_by_name(seeded_db, tmp_path, capsys):
    import shutil

    from assurance.commands.cli import main

    path = tmp_path / "x.duckdb"
    shutil.copyfile(seeded_db, path)
    assert main(["undo", "7", "--db", str(path)]) == 2
    assert capsys.readouterr().err == "error: there is no load 7\n"


def test_an_unexpected_failure_is_one_plain_line_and_exit_1(seeded_db, tmp_path, capsys, monkeypatch):
    import shutil

    import assurance.domain.loads
    from assurance.commands.cli import main

    def broken(*args, **kwargs):
        raise RuntimeError("the disk said no\nLINE 1: details a person cannot use")

    path = tmp_path / "x.duckdb"
    shutil.copyfile(seeded_db, path)
    monkeypatch.setattr(assurance.domain.loads, "undo", broken)
    assert main(["undo", "1", "--db", str(path)]) == 1
    assert capsys.readouterr().err == "error: RuntimeError: the disk said no\n"
