"""`backup` and `restore`: a consistent copy of the database (also while the dashboard runs), and back."""

from __future__ import annotations

import argparse
from pathlib import Path

from assurance.commands.context import failing, login_name
from assurance.core.errors import AssuranceError, DatabaseError, InvalidInput


def run_backup(db: Path, args: argparse.Namespace) -> int:
    """Back up directly, or (database held by the dashboard) through the inbox."""
    from assurance.commands import inbox
    from assurance.domain.backup import BackupResult, backup_file

    folder = Path(args.folder)
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is a file; name a folder for the backup")
    try:
        result = backup_file(db, folder)
    except DatabaseError as exc:
        if "in use" not in str(exc):
            raise
        request = inbox.submit_backup(db, folder, login_name())
        print(f"The database is open in the dashboard: asked it for the backup ({inbox.inbox_dir(db) / request}.json).")
        answer = inbox.wait_for_answer(db, request)
        if answer is None:
            raise AssuranceError(
                f"no answer from the dashboard within {inbox.WAIT_SECONDS:.0f} s; the request stays queued "
                "and the dashboard makes the backup when it next looks."
            ) from None
        result = BackupResult.from_dict(answer)
    if result.status != "done":
        raise AssuranceError(result.message)
    print(result.message)
    return 0


def run_restore(db: Path, args: argparse.Namespace) -> int:
    from assurance.domain.backup import BackupRefused, restore

    with failing(lambda exc: f"nothing was restored: {exc}", BackupRefused):
        result = restore(db, Path(args.source), args.by or login_name())
    from assurance.store import published

    if published.shared(db):  # server processes read published copies: give them the restored data now
        with published.writing(db):
            pass
    print(result.message(db))
    return 0
