"""Backups and restores of the database file, also while the dashboard holds it.

``python -m assurance backup DIR`` writes ``DIR/<db>-backup-<timestamp>.duckdb``: a new DuckDB file
with every table, view and sequence, copied in ONE read transaction (``COPY FROM DATABASE``), so it
is the database as at one moment, never half of an import. The copy is written under a temporary
name, opened again and its row counts compared with the source's, then renamed into place.

* Nobody holds the file: the command copies it itself (the source attached read-only).
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
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from assurance.core.errors import DatabaseError, Refused
from assurance.domain.access import who
from assurance.store.audit import audit, transaction
from assurance.store.connection import connect
from assurance.store.schema import LATEST_VERSION, schema_version

BACKUP_SUFFIX = ".duckdb"


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


def _literal(text: str) -> str:
    """A file path as a SQL string literal (ATTACH takes no bound parameters)."""
    return "'" + str(text).replace("'", "''") + "'"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _counts(cur: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, int]:
    """Rows per base table of one attached database (names from the catalogue, not from input)."""
    tables = cur.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = $db ORDER BY 1, 2",
        {"db": catalog},
    ).fetchall()
    return {
        name: int(
            cur.execute(f"SELECT count(*) FROM {_quoted(catalog)}.{_quoted(schema)}.{_quoted(name)}").fetchone()[0]  # noqa: S608  # nosec B608 # identifiers from duckdb_tables()
        )
        for schema, name in tables
    }


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def copy_database(con: duckdb.DuckDBPyConnection, dest: Path, source: str | None = None) -> dict[str, int]:
    """Copy a database of con (default: its current one) into the new file dest in one read transaction.

    Written under a temporary name, checked (schema version and rows per table as in the source at the
    moment of the copy), then renamed to dest. Returns the rows per table. Raises DatabaseError.
    """
    dest = Path(dest)
    if dest.exists():
        raise BackupRefused(f"{dest} already exists; a backup never overwrites a file")
    tmp = dest.with_name(f".{dest.name}.part-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    alias = f"backup_{uuid.uuid4().hex}"
    cur = con.cursor()
    attached = False
    try:
        catalog = source or cur.execute("SELECT current_database()").fetchone()[0]
        cur.execute(f"ATTACH {_literal(str(tmp))} AS {alias}")
        attached = True
        cur.execute("BEGIN TRANSACTION")
        try:
            expected = _counts(cur, catalog)
            cur.execute(f"COPY FROM DATABASE {_quoted(catalog)} TO {alias}")
            cur.execute("COMMIT")
        except Exception:
            cur.execute("ROLLBACK")
            raise
        cur.execute(f"DETACH {alias}")
        attached = False
        check = duckdb.connect(str(tmp), read_only=True)
        try:
            got = _counts(check, check.execute("SELECT current_database()").fetchone()[0])
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
        if attached:
            try:
                cur.execute(f"DETACH {alias}")
            except duckdb.Error:
                pass
        cur.close()
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
    """A backup made by this process, the source attached read-only; DatabaseError('... in use ...') if held."""
    db = Path(db)
    if not db.exists():
        raise DatabaseError(f"{db} does not exist; there is nothing to back up")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / backup_name(db)
    mem = duckdb.connect()
    try:
        try:
            mem.execute(f"ATTACH {_literal(str(db))} AS source (READ_ONLY)")
        except duckdb.Error as exc:
            connect(db, read_only=True).close()  # raises the plain 'in use' / 'not a database' message
            raise DatabaseError(f"cannot open {db}: {exc}") from exc
        schema_version_of(mem, "source")
        counts = copy_database(mem, dest, source="source")
    finally:
        mem.close()
    return BackupResult("done", _done_message(dest, counts), str(dest), counts)


def schema_version_of(con: duckdb.DuckDBPyConnection, catalog: str) -> int:
    """The schema version of an attached database; DatabaseError when it is not an assurance database."""
    has = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = $db AND table_name = 'schema_migrations'",
        {"db": catalog},
    ).fetchone()[0]
    if not has:
        raise DatabaseError("it is not an assurance database (no schema version)")
    return int(
        con.execute(f"SELECT coalesce(max(version), 0) FROM {_quoted(catalog)}.schema_migrations").fetchone()[0]  # noqa: S608  # nosec B608 # fixed alias
    )


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
    tmp = db.with_name(f".{db.name}.restore-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    mem = duckdb.connect()
    try:
        try:
            mem.execute(f"ATTACH {_literal(str(backup))} AS source (READ_ONLY)")
        except duckdb.Error as exc:
            raise BackupRefused(f"{backup} is not a database this program can read: {exc}") from None
        try:
            version = schema_version_of(mem, "source")
        except DatabaseError as exc:
            raise BackupRefused(f"{backup}: {exc}") from None
        if version > LATEST_VERSION:
            raise BackupRefused(
                f"{backup} is at schema version {version}, newer than this program knows ({LATEST_VERSION})"
            )
        db.parent.mkdir(parents=True, exist_ok=True)
        counts = copy_database(mem, tmp, source="source")
        mem.close()
        con = connect(tmp)
        try:
            with transaction(con) as cur:
                audit(cur, "database", db.name, "restore", by, field="source", new=str(backup))
            con.execute("CHECKPOINT")
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
        mem.close()
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
