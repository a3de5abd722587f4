"""Backups and restores of the database file, also while the dashboard holds it.

``python -m assurance backup DIR`` writes ``DIR/<db>-backup-<timestamp>.duckdb``: a new DuckDB file
with every table, view and sequence, copied in ONE read transaction (``COPY FROM DATABASE``), so it
is the database as at one moment, never half of an import. The copy is written under a temporary
name, opened again and its row counts compared with the source's, then renamed into place.

* Nobody holds the file: the command copies it itself (the source opened read-only).
* The dashboard holds it (DuckDB lets one process open the file): the command queues a backup
  request in the inbox beside the database (``assurance/commands/inbox.py``); the dashboard's watcher makes
  the copy on its own connection and writes the answer, which the command waits for.

``python -m assurance restore FILE_OR_DIR`` (a backup file, or a folder: its newest backup) refuses
while anyone holds the database. It copies the backup into a temporary file beside the database,
checks it, records the restore in its audit trail, keeps the current file as
``<db>.before-restore-<timestamp>`` (a hard link, so the database path is never missing) and moves
the new file into place with one ``os.replace``: a crash leaves the old database or the new one.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from assurance.core.errors import DatabaseError, Refused
from assurance.domain.access import who
from assurance.store import queries
from assurance.store.audit import audit
from assurance.store.connection import connect
from assurance.store.schema import LATEST_VERSION, schema_version
from assurance.store.transaction import Tx, transaction

BACKUP_SUFFIX = ".duckdb"
# The copy's file is attached under one fixed alias (queries/backup.sql): one copy at a time in a process.
_ONE_COPY_AT_A_TIME = threading.Lock()


class BackupRefused(Refused):
    """A backup or restore that cannot be done as asked, with a message for a person."""


@dataclass
class BackupResult:
    status: str  # 'done' or 'failed'
    message: str
    path: str | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"status": self.status, "message": self.message, "path": self.path, "counts": self.counts}

    @classmethod
    def from_dict(cls, data: dict) -> BackupResult:
        return cls(
            status=str(data["status"]),
            message=str(data["message"]),
            path=data.get("path"),
            counts={str(k): int(v) for k, v in (data.get("counts") or {}).items()},
        )


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _counts(target: duckdb.DuckDBPyConnection | Tx, catalog: str) -> dict[str, int]:
    """Rows per base table of one database (names from the catalogue, passed as a value to query_table)."""
    return {
        name: int(
            queries.value(target, "row_count", table_name=f"{_quoted(catalog)}.{_quoted(schema)}.{_quoted(name)}")
        )
        for schema, name in queries.rows(target, "database_tables", database_name=catalog)
    }


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def copy_database(con: duckdb.DuckDBPyConnection, dest: Path) -> dict[str, int]:
    """Copy the database con has open into the new file dest, in one read transaction.

    Written under a temporary name, checked (schema version and rows per table as in the source at the
    moment of the copy), then renamed to dest. Returns the rows per table. Raises DatabaseError.
    """
    dest = Path(dest)
    if dest.exists():
        raise BackupRefused(f"{dest} already exists; a backup never overwrites a file")
    tmp = dest.with_name(f".{dest.name}.part-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        with _ONE_COPY_AT_A_TIME:
            try:
                with transaction(con, changes_data=False) as tx:
                    tx.execute("detach_backup_target")  # one a failed copy may have left attached
                    tx.execute("attach_backup_target", path=str(tmp))
                with transaction(con, changes_data=False) as tx:  # the counts and the copy see the same moment
                    expected = _counts(tx, queries.value(tx, "current_database"))
                    tx.execute("copy_to_backup_target")
            finally:
                with transaction(con, changes_data=False) as tx:
                    tx.execute("detach_backup_target")
        check = connect(tmp, read_only=True)
        try:
            got = _counts(check, queries.value(check, "current_database"))
            version = schema_version(check)
        finally:
            check.close()
        if got != expected or version < 1:
            raise DatabaseError(f"the copy does not match the database (rows {got} against {expected}); not kept")
        os.chmod(tmp, 0o600)  # a whole copy of the database: its owner's only, wherever it is left
        _fsync(tmp)
        os.replace(tmp, dest)
        return got
    except duckdb.Error as exc:
        raise DatabaseError(f"the copy failed: {exc}") from exc
    finally:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            leftover.unlink(missing_ok=True)


def backup_name(db: Path, now: datetime | None = None) -> str:
    return f"{Path(db).stem}-backup-{(now or datetime.now()):%Y%m%dT%H%M%S%f}{BACKUP_SUFFIX}"


def backup_with(con: duckdb.DuckDBPyConnection, db: Path, folder: Path) -> BackupResult:
    """A backup of the database open on con (the dashboard's connection) into folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / backup_name(db)
    counts = copy_database(con, dest)
    return BackupResult("done", _done_message(dest, counts), str(dest), counts)


def _done_message(dest: Path, counts: dict[str, int]) -> str:
    return f"Backed up {len(counts)} tables ({sum(counts.values()):,} rows) to {dest}."


def held(db: Path) -> bool:
    """Whether another program (the dashboard) holds the database file open."""
    try:
        con = connect(db, read_only=True)
    except DatabaseError as exc:
        if "in use" in str(exc):
            return True
        raise
    con.close()
    return False


def backup_file(db: Path, folder: Path) -> BackupResult:
    """A backup made by this process, the source opened read-only; DatabaseError('... in use ...') if held."""
    db = Path(db)
    if not db.exists():
        raise DatabaseError(f"{db} does not exist; there is nothing to back up")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / backup_name(db)
    source = connect(db, read_only=True)  # the plain 'in use' / 'not a database' messages
    try:
        assurance_version(source)
        counts = copy_database(source, dest)
    finally:
        source.close()
    return BackupResult("done", _done_message(dest, counts), str(dest), counts)


def assurance_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of the database con has open; DatabaseError when it is not an assurance database."""
    try:
        version = schema_version(con)
    except DatabaseError:
        version = 0
    if version < 1:
        raise DatabaseError("it is not an assurance database (no schema version)")
    return version


def find_backup(path: Path) -> Path:
    """The backup file named, or the newest backup in a folder; BackupRefused if there is none."""
    path = Path(path)
    if path.is_dir():
        found = sorted(p for p in path.glob(f"*-backup-*{BACKUP_SUFFIX}") if p.is_file())
        if not found:
            raise BackupRefused(f"{path} holds no backup (files named *-backup-*{BACKUP_SUFFIX})")
        return found[-1]
    if not path.is_file():
        raise BackupRefused(f"{path} does not exist")
    return path


@dataclass
class RestoreResult:
    source: Path
    previous: Path | None
    counts: dict[str, int]

    def message(self, db: Path) -> str:
        kept = f" The previous database is kept as {self.previous}." if self.previous else ""
        return f"Restored {db} from {self.source}: {len(self.counts)} tables, {sum(self.counts.values()):,} rows.{kept}"


def _data_version(db: Path) -> int:
    """The data version the file has reached (0 before migration 9, or when it cannot be read)."""
    try:
        con = connect(db, read_only=True)
    except DatabaseError:
        return 0
    try:
        return int(queries.value(con, "data_version"))
    except duckdb.Error:  # an older schema without the table: nothing a dashboard can have keyed on
        return 0
    finally:
        con.close()


def restore(db: Path, source: Path, by: str | None, now: datetime | None = None) -> RestoreResult:
    """Replace the database file with a backup, never leaving a half-written file (see the module docstring).

    Raises BackupRefused (not a backup, newer schema) or DatabaseError (the database is in use).
    """
    by = who(by)
    db = Path(db)
    backup = find_backup(source)
    if db.exists() and held(db):
        raise DatabaseError(
            f"{db} is in use (the dashboard or another command holds it): stop the dashboard, then restore again. "
            "Nothing was changed."
        )
    stamp = f"{(now or datetime.now()):%Y%m%dT%H%M%S}"
    passed = _data_version(db) if db.exists() else 0
    tmp = db.with_name(f".{db.name}.restore-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        try:
            source = connect(backup, read_only=True)
        except DatabaseError as exc:
            raise BackupRefused(f"{backup} is not a database this program can read: {exc.__cause__ or exc}") from None
        try:
            try:
                version = assurance_version(source)
            except DatabaseError as exc:
                raise BackupRefused(f"{backup}: {exc}") from None
            if version > LATEST_VERSION:
                raise BackupRefused(
                    f"{backup} is at schema version {version}, newer than this program knows ({LATEST_VERSION})"
                )
            db.parent.mkdir(parents=True, exist_ok=True)
            counts = copy_database(source, tmp)
        finally:
            source.close()
        con = connect(tmp)
        try:
            with transaction(con) as tx:
                audit(tx, "database", db.name, "restore", by, field="source", new=str(backup))
                if passed and queries.value(tx, "data_version_to_raise"):
                    tx.execute("data_version_at_least", floor=passed)  # then raised by one as the write commits
                    tx.changed_everything()  # every open page redraws: the whole file is another one
            con.checkpoint()
        finally:
            con.close()
        _fsync(tmp)
        previous = None
        if db.exists():
            previous = db.with_name(f"{db.name}.before-restore-{stamp}")
            n = 1
            while previous.exists():
                n += 1
                previous = db.with_name(f"{db.name}.before-restore-{stamp}-{n}")
            try:
                os.link(db, previous)  # the database path is never missing: link, then replace
            except OSError:  # a file system without hard links
                shutil.copy2(db, previous)
            wal = Path(f"{db}.wal")
            if wal.exists():  # a WAL left by a crash belongs to the old file, never to the restored one
                os.replace(wal, Path(f"{previous}.wal"))
        os.replace(tmp, db)
        _fsync_dir(db.parent)
        counts["audit_log"] = counts.get("audit_log", 0) + 1
        return RestoreResult(backup, previous, counts)
    finally:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            leftover.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
