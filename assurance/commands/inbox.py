"""Importing while the dashboard is running: a folder of validated batches beside the database.

DuckDB lets one process hold a database file read-write, and while it does no other process can
open the file at all. The dashboard holds it for its whole life (one connection per server
process). So an import from the command line works like this:

1. ``python -m assurance import FILE...`` reads and validates the files itself (every problem is
   reported there, exit 2, nothing queued).
2. It tries to open the database. If it can, it loads the batch directly, in one transaction.
3. If the file is locked by the dashboard, it writes the validated batch (plain JSON: the counted
   figures, the files' names and SHA-256, ``--replace`` and who asked) into ``<db>.inbox/`` beside
   the database, atomically (a temporary name, then ``os.replace``), prints that the dashboard will
   load it, and waits (up to 90 s; ``--no-wait`` to return at once) for ``<batch>.result.json``.
   It exits 0 when loaded (or already loaded / unchanged), 2 when refused (conflicts without
   ``--replace``, listed), 1 when no answer came in time (the batch stays queued and is loaded when
   the dashboard next looks).
4. ``python -m assurance backup DIR`` queues a request (``{"kind": "backup", "folder": ...}``) the same way;
   the watcher answers it with a consistent copy made on the app's connection (``assurance/domain/backup.py``).
5. In the dashboard process a watcher thread, started once per server (``st.cache_resource`` in
   ``ui/session.py``), notices a new request within ``TICK_SECONDS`` (it looks at the inbox folder's
   modification time, a ``stat``, and lists the folder only when that moved, or every ``POLL_SECONDS`` in
   case a clock or file system hides a change) and loads each batch through the same
   ``assurance.domain.loads.load`` on the app's own connection (a cursor, one transaction), then writes
   the result file and removes the batch. Pages read through a cursor, so a page that is drawing
   sees the data before or after the load, never half of it; the load raises the data version, so every
   open page redraws with the new figures within a second (``ui/live.py``) without a restart.

Where several server processes share the database (``python -m assurance serve``), none holds it: the command
waits its turn for DuckDB's lock and writes directly, then publishes (``assurance.store.published``).

A batch that cannot be read is answered with status 'failed' and moved aside as ``*.bad``.

The inbox is created readable and writable by its owner only (0700). The watcher only acts on a request
written by the account the dashboard runs as, and no bigger than ``MAX_BATCH_BYTES``; anything else is
answered 'refused' and moved aside. A queued load still passes the role check of ``assurance.domain.access.who``
for the identity it names (``--by``, else ``<login> (command line)``): the inbox never widens who may write.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from datetime import datetime
from pathlib import Path

import duckdb

from assurance.domain.loads import LoadResult
from assurance.sources.batch import ParsedImport
from assurance.sources.national.batch import NationalBatch

POLL_SECONDS = 5.0  # a full look at the inbox at least this often
TICK_SECONDS = 0.1  # how often the folder's modification time is looked at (one stat)
WAIT_SECONDS = 90.0
RESULT_SUFFIX = ".result.json"
KEEP_RESULTS_SECONDS = 24 * 3600
MAX_BATCH_BYTES = 512 * 1024**2  # counted figures, not raw rows: a real batch is a few MB at most


def inbox_dir(db: Path) -> Path:
    return Path(f"{db}.inbox")


def _make_inbox(db: Path) -> Path:
    """The inbox folder, created for its owner only (0700) when it does not exist yet."""
    folder = inbox_dir(db)
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _refusal(path: Path) -> str | None:
    """Why a request file may not be acted on, or None: not written by this account, or too big."""
    info = path.stat()
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return f"it was written by another account (uid {info.st_uid}); only the dashboard's own account may queue"
    if info.st_size > MAX_BATCH_BYTES:
        return f"it is {info.st_size:,} bytes; a request is at most {MAX_BATCH_BYTES:,} bytes"
    return None


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def submit(db: Path, parsed: ParsedImport | NationalBatch, replace: bool, by: str) -> str:
    """Queue a validated batch for the running dashboard; return its id (the file name without .json)."""
    folder = _make_inbox(db)
    body = json.dumps(
        {
            "kind": "national" if isinstance(parsed, NationalBatch) else "batch",
            "batch": json.loads(parsed.to_json()),
            "replace": replace,
            "by": by,
            "submitted_at": datetime.now().isoformat(),
        }
    )
    batch_id = f"{datetime.now():%Y%m%dT%H%M%S%f}-{hashlib.sha256(body.encode()).hexdigest()[:12]}"
    _write_atomic(folder / f"{batch_id}.json", body)
    return batch_id


def pending(db: Path) -> list[Path]:
    folder = inbox_dir(db)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.json") if not p.name.endswith(RESULT_SUFFIX))


def submit_backup(db: Path, folder: Path, by: str) -> str:
    """Ask the running dashboard for a backup of the database into folder (absolute); return the request id."""
    inbox = _make_inbox(db)
    body = json.dumps(
        {"kind": "backup", "folder": str(Path(folder).resolve()), "by": by, "submitted_at": datetime.now().isoformat()}
    )
    request_id = f"{datetime.now():%Y%m%dT%H%M%S%f}-{hashlib.sha256(body.encode()).hexdigest()[:12]}"
    _write_atomic(inbox / f"{request_id}.json", body)
    return request_id


def wait_for_answer(db: Path, batch_id: str, timeout: float = WAIT_SECONDS, poll: float = 0.05) -> dict | None:
    """The dashboard's answer to a queued request as a dict, or None when none came within timeout seconds."""
    path = inbox_dir(db) / f"{batch_id}{RESULT_SUFFIX}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            try:
                answer = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                time.sleep(poll)
                continue
            path.unlink(missing_ok=True)
            return answer
        time.sleep(poll)
    return None


def wait_for_result(db: Path, batch_id: str, timeout: float = WAIT_SECONDS, poll: float = 0.05) -> LoadResult | None:
    """The dashboard's answer to a batch, or None when none came within timeout seconds."""
    answer = wait_for_answer(db, batch_id, timeout, poll)
    return None if answer is None else LoadResult.from_dict(answer)


def _backup(con: duckdb.DuckDBPyConnection, db: Path, data: dict) -> dict:
    """A backup request answered on the dashboard's connection (one read transaction, see assurance/domain/backup.py)."""
    from assurance.domain.backup import BackupResult, backup_with

    try:
        return backup_with(con, db, Path(str(data["folder"]))).to_dict()
    except Exception as exc:  # an answer for the CLI, never a dead watcher
        return BackupResult("failed", f"the dashboard could not make the backup: {type(exc).__name__}: {exc}").to_dict()


def process_inbox(con: duckdb.DuckDBPyConnection, db: Path) -> list[tuple[str, LoadResult]]:
    """Load every queued batch, oldest first, each in its own transaction; write each result file."""
    from assurance.domain.imports import load_batch

    done = []
    for path in pending(db):
        batch_id = path.name[: -len(".json")]
        try:
            why = _refusal(path)
        except OSError:  # taken away meanwhile
            continue
        if why:
            result = LoadResult("refused", f"the dashboard did not act on request {batch_id}: {why}")
            os.replace(path, path.with_suffix(".bad"))
            _write_atomic(path.with_name(f"{batch_id}{RESULT_SUFFIX}"), json.dumps(result.to_dict()))
            done.append((batch_id, result))
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("kind") == "backup":
                _write_atomic(path.with_name(f"{batch_id}{RESULT_SUFFIX}"), json.dumps(_backup(con, db, data)))
                path.unlink(missing_ok=True)
                continue
            kind = NationalBatch if data.get("kind") == "national" else ParsedImport
            parsed = kind.from_json(json.dumps(data["batch"]))
            result = load_batch(con, parsed, replace=bool(data.get("replace")), by=str(data.get("by") or "inbox"))
        except Exception as exc:  # an answer for the CLI, never a dead watcher
            result = LoadResult("failed", f"the dashboard could not load the batch: {type(exc).__name__}: {exc}")
            if isinstance(exc, (ValueError, KeyError, TypeError)) and not isinstance(exc, duckdb.Error):
                os.replace(path, path.with_suffix(".bad"))
        _write_atomic(path.with_name(f"{batch_id}{RESULT_SUFFIX}"), json.dumps(result.to_dict()))
        path.unlink(missing_ok=True)
        done.append((batch_id, result))
    _forget_old_results(db)
    return done


def _forget_old_results(db: Path) -> None:
    folder = inbox_dir(db)
    cutoff = time.time() - KEEP_RESULTS_SECONDS
    for path in folder.glob(f"*{RESULT_SUFFIX}") if folder.is_dir() else []:
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


class InboxWatcher(threading.Thread):
    """Polls the inbox of one database every ``interval`` seconds in the dashboard process."""

    def __init__(self, con: duckdb.DuckDBPyConnection, db: Path, interval: float = POLL_SECONDS):
        super().__init__(name=f"assurance-inbox-{db.name}", daemon=True)
        self.con, self.db, self.interval = con, Path(db), interval
        self.stopped = threading.Event()
        self.processed: list[tuple[str, LoadResult]] = []
        self.last_error: str | None = None

    def _folder_changed(self) -> tuple | None:
        try:
            st = inbox_dir(self.db).stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_ino)

    def run(self) -> None:
        seen: tuple | None = ()
        next_full = 0.0
        while not self.stopped.is_set():
            now = self._folder_changed()
            if now != seen or time.monotonic() >= next_full:
                # Taken before the look: a request written meanwhile moves the time again and is seen next tick
                # (the watcher's own result files do too, which costs one more listing that finds nothing).
                seen, next_full = now, time.monotonic() + self.interval
                try:
                    self.processed.extend(process_inbox(self.con, self.db))
                    self.last_error = None
                except Exception as exc:  # keep watching; the Data page shows the last error
                    self.last_error = f"{type(exc).__name__}: {exc}"
            self.stopped.wait(TICK_SECONDS)

    def stop(self) -> None:
        self.stopped.set()


def start_watcher(con: duckdb.DuckDBPyConnection, db: Path, interval: float | None = None) -> InboxWatcher:
    seconds = interval if interval is not None else float(os.environ.get("ASSURANCE_INBOX_POLL_SECONDS", POLL_SECONDS))
    watcher = InboxWatcher(con, db, seconds)
    watcher.start()
    return watcher
