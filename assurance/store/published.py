"""Several server processes over one DuckDB file: a write publishes a copy, and readers open the copy.

DuckDB lets one process open a file read-write, and while it does, no other process may open that file at all,
not even to read. One Streamlit process can hold it (the default, "solo" mode: ``ui/session.py``). Several
processes behind a proxy (``python -m assurance serve --processes N``, docs/SCALING.md) run in "shared" mode:

* **No process holds the database.** A write opens the file read-write for that write only (``writing``).
  DuckDB's own lock makes writers take turns: one that finds the file held waits and tries again, for up to
  ``WRITE_WAIT_SECONDS``. There is no database server of our own.
* **After a write commits, the writer publishes a copy**: it checkpoints the file (everything in the main file,
  nothing left in the write-ahead log), copies it to ``<db>.published/v<version>-<id>.duckdb`` under a temporary
  name, renames it into place, then points ``<db>.published/CURRENT`` at it, also by an atomic rename. The
  version is the data version that every committed write raises (``assurance.store.transaction``).
* **Readers open the copy CURRENT names, read-only**, and notice a newer one with one ``stat`` of CURRENT
  (``current``): a few microseconds, so every page run and every open meeting display can afford it.
* The newest ``KEEP`` copies stay; older ones are deleted. A reader that still has one open keeps reading it
  (on Linux an open file outlives its name) until it moves to the newer copy.

A copy costs what copying the file costs (the demo database with the national data loaded is about 16 MB:
tens of milliseconds); writes are rare (an action recorded, a return loaded) next to reads.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from assurance.core.errors import DatabaseError
from assurance.store import queries
from assurance.store.connection import connect

SUFFIX = ".published"
CURRENT = "CURRENT"
KEEP = 3
WRITE_WAIT_SECONDS = 20.0
_COPY = re.compile(r"^v(\d+)-[0-9a-f]+\.duckdb$")
_WRITING = threading.Lock()  # one write at a time in this process; DuckDB's lock does it between processes


@dataclass(frozen=True)
class Published:
    """One published copy: the data version it holds and where it is."""

    version: int
    path: Path


def folder(db: str | os.PathLike[str]) -> Path:
    return Path(f"{db}{SUFFIX}")


_seen: dict[Path, tuple[tuple[int, int, int], Published]] = {}


def current(db: str | os.PathLike[str]) -> Published | None:
    """The copy readers should use now, or None when nothing is published. One stat when nothing changed."""
    pointer = folder(db) / CURRENT
    try:
        st = pointer.stat()
    except FileNotFoundError:
        return None
    key = (st.st_mtime_ns, st.st_size, st.st_ino)
    seen = _seen.get(pointer)
    if seen is not None and seen[0] == key:
        return seen[1]
    text = pointer.read_text(encoding="utf-8").split()
    if len(text) != 2 or not text[0].isdigit() or not _COPY.match(text[1]):
        raise DatabaseError(f"{pointer} does not name a published copy: {' '.join(text)!r}")
    found = Published(int(text[0]), pointer.parent / text[1])
    _seen[pointer] = (key, found)
    return found


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def publish(con: duckdb.DuckDBPyConnection, db: str | os.PathLike[str]) -> Published:
    """Checkpoint ``db`` (held read-write by ``con``, with no write in progress) and publish a copy of it."""
    con.checkpoint()
    version = int(queries.value(con, "data_version"))
    where = folder(db)
    where.mkdir(mode=0o700, exist_ok=True)
    name = f"v{version:012d}-{uuid.uuid4().hex[:8]}.duckdb"
    tmp = where / f".{name}.tmp"
    try:
        shutil.copyfile(db, tmp)
        os.replace(tmp, where / name)
    finally:
        tmp.unlink(missing_ok=True)
    _write_atomic(where / CURRENT, f"{version} {name}\n")
    _prune(where, keep=name)
    return Published(version, where / name)


def _prune(where: Path, keep: str) -> None:
    """Delete all but the newest KEEP copies (and any temporary file a killed writer left behind)."""
    copies = sorted((p for p in where.iterdir() if _COPY.match(p.name)), key=lambda p: int(_COPY.match(p.name)[1]))
    for old in copies[:-KEEP]:
        if old.name != keep:
            old.unlink(missing_ok=True)
    cutoff = time.time() - 3600
    for stray in where.glob(".*.tmp"):
        try:
            if stray.stat().st_mtime < cutoff:
                stray.unlink()
        except OSError:
            pass


def open_for_writing(db: str | os.PathLike[str], wait: float = WRITE_WAIT_SECONDS) -> duckdb.DuckDBPyConnection:
    """The file read-write, waiting while another process writes (DuckDB's lock), for up to ``wait`` seconds."""
    deadline = time.monotonic() + wait
    pause = 0.01
    while True:
        try:
            return connect(db)
        except DatabaseError as exc:
            if "in use" not in str(exc):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseError(
                    f"{db} stayed in use by another program for {wait:.0f} s; nothing was written. Try again."
                ) from exc
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


@contextmanager
def writing(db: str | os.PathLike[str], wait: float = WRITE_WAIT_SECONDS) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database read-write for one write; once the block has committed, a new copy is published."""
    with _WRITING:
        con = open_for_writing(db, wait)
        try:
            before = int(queries.value(con, "data_version"))
            yield con
            published = current(db)
            if int(queries.value(con, "data_version")) != before or published is None or published.version != before:
                publish(con, db)
        finally:
            con.close()


def shared(db: str | os.PathLike[str]) -> bool:
    """Whether server processes share this file (something is published for them)."""
    return (folder(db) / CURRENT).exists()


def stop_sharing(db: str | os.PathLike[str]) -> None:
    """Forget the published copies: one process (solo mode) holds the file from now on, and commands must queue
    their writes for it (its inbox) rather than wait for a lock it never gives back."""
    pointer = folder(db) / CURRENT
    pointer.unlink(missing_ok=True)
    _seen.pop(pointer, None)


@contextmanager
def command_connection(db: str | os.PathLike[str]) -> Iterator[duckdb.DuckDBPyConnection]:
    """A command's read-write connection: where servers share the file, the write waits its turn and is published
    for them (``writing``); otherwise the file as it is (DatabaseError "in use" while a dashboard holds it)."""
    if shared(db):
        with writing(db) as con:
            yield con
        return
    con = connect(db)
    try:
        yield con
    finally:
        con.close()
