"""What every command needs from around it: the database file, who runs it, dates typed, errors with context.

A command raises; ``assurance.commands.cli.main`` turns what it raises into what a person reads and the exit
code, in one place. ``failing`` puts what the command was doing in front of a library error ("nothing was
restored: ...") without changing how it exits.
"""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb

from assurance.core.errors import AssuranceError, DatabaseError
from assurance.store.connection import connect
from assurance.store.schema import schema_version


class CommandFailed(AssuranceError):
    """A failure the command reports: a message, the lines under it, and how the command exits."""

    def __init__(self, message: str, *, exit_code: int = 1, details: list[str] | None = None):
        super().__init__(message)
        self.exit_code = exit_code
        self._details = list(details or [])

    def details(self) -> list[str]:
        return self._details


@contextmanager
def failing(say: Callable[[AssuranceError], str], *kinds: type[AssuranceError]) -> Iterator[None]:
    """An error of these kinds raised in the block is reported as ``say(error)``, its details and exit kept."""
    try:
        yield
    except kinds as exc:
        raise CommandFailed(say(exc), exit_code=exc.exit_code, details=exc.details()) from exc


def require_database(db: Path, create: str | None = "init --demo") -> None:
    """DatabaseError naming the file when it does not exist, and (``create``) the command that makes it."""
    if not db.exists():
        how = f"; create it with: python -m assurance {create} --db {db}" if create else ""
        raise DatabaseError(f"{db} does not exist{how}")


def open_existing(db: Path) -> duckdb.DuckDBPyConnection:
    """The database, read-only, after checking it exists and is one of this program's."""
    require_database(db)
    con = connect(db, read_only=True)
    schema_version(con)
    return con


def login_name() -> str:
    """Who runs the command, as recorded with what it writes (when no --by is given)."""
    try:
        return f"{getpass.getuser()} (command line)"
    except Exception:  # no login name in some containers
        return "command line"


def iso_date(text: str) -> date:
    """A date typed as YYYY-MM-DD (an argparse type: a usage error otherwise)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None
