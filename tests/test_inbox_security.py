"""The import inbox beside the database: private to the dashboard's account, and requests from any other
account (or absurdly large) are refused without touching the database."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from assurance.commands import inbox
from assurance.sources import read_files
from assurance.store.connection import connect
from assurance.store.schema import table_counts

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "fixtures" / "imports" / "good_return.csv"


@pytest.fixture()
def db(seeded_db, tmp_path) -> Path:
    path = tmp_path / "inbox.duckdb"
    shutil.copyfile(seeded_db, path)
    return path


def test_the_inbox_is_private_to_its_owner(db) -> None:
    inbox.submit(db, read_files([GOOD]), replace=False, by="analyst")
    mode = stat.S_IMODE(inbox.inbox_dir(db).stat().st_mode)
    assert mode == 0o700, oct(mode)


def _process(db: Path):
    con = connect(db)
    try:
        before = table_counts(con)
        done = inbox.process_inbox(con, db)
        after = table_counts(con)
    finally:
        con.close()
    return before, done, after


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root")
def test_a_request_written_by_another_account_is_refused(db) -> None:
    batch = inbox.submit(db, read_files([GOOD]), replace=False, by="analyst")
    queued = inbox.inbox_dir(db) / f"{batch}.json"
    os.chown(queued, 65534, 65534)  # nobody
    before, done, after = _process(db)
    assert after == before
    [(batch_id, result)] = done
    assert batch_id == batch and result.status == "refused"
    assert "written by another account (uid 65534)" in result.message
    assert queued.with_suffix(".bad").exists() and not queued.exists()
    answer = json.loads((inbox.inbox_dir(db) / f"{batch}{inbox.RESULT_SUFFIX}").read_text(encoding="utf-8"))
    assert answer["status"] == "refused"


def test_an_oversized_request_is_refused(db, monkeypatch) -> None:
    batch = inbox.submit(db, read_files([GOOD]), replace=False, by="analyst")
    monkeypatch.setattr(inbox, "MAX_BATCH_BYTES", 100)
    before, done, after = _process(db)
    assert after == before
    assert done[0][1].status == "refused"
    assert "a request is at most 100 bytes" in done[0][1].message
    assert (inbox.inbox_dir(db) / f"{batch}.bad").exists()


def test_a_request_from_this_account_is_loaded(db) -> None:
    inbox.submit(db, read_files([GOOD]), replace=True, by="analyst")
    before, done, after = _process(db)
    assert done[0][1].status == "loaded", done[0][1].message
    assert after["loads"] == before["loads"] + 1
