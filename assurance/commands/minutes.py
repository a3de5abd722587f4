"""`minutes`: read meeting minutes and print what they propose; with --apply, validate and save it."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assurance.commands.context import failing, require_database
from assurance.core.errors import InvalidInput


def run_minutes(db: Path, args: argparse.Namespace) -> int:
    """Read a minutes file; print a summary or the JSON; with --apply validate and save. Exit 2 on invalid input."""
    from assurance.domain.commitments.minutes import describe
    from assurance.sources.minutes import MAX_MINUTES_BYTES, MinutesError, ProposalInvalid, decode_minutes, read_minutes

    path = Path(args.file)
    if not path.is_file():
        raise InvalidInput(f"no such minutes file: {args.file}")
    size = path.stat().st_size
    if size > MAX_MINUTES_BYTES:  # refused before it is read
        raise InvalidInput(
            f"{args.file}: it is {size / 1e6:.1f} MB; minutes over {MAX_MINUTES_BYTES / 1e6:g} MB are refused"
        )
    with failing(lambda exc: f"{args.file}: {exc}", MinutesError):
        with open(path, "rb") as handle:  # bounded even if the file grows meanwhile
            data = handle.read(MAX_MINUTES_BYTES + 1)
        proposal = read_minutes(decode_minutes(data, source=path.name), source=str(args.file), meeting_date=args.date)
    meeting = proposal.to_meeting_json()
    if args.json:
        print(json.dumps(meeting, indent=2, ensure_ascii=False))
        for warning in proposal.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    elif not args.apply:
        print(describe(proposal))
    if not args.apply:
        return 0
    from assurance.domain.commitments.minutes import apply, saved_counts
    from assurance.domain.setup import upgrade
    from assurance.store.published import command_connection

    require_database(db, create="init")
    with command_connection(db) as con:  # waits its turn and publishes where servers share the file
        upgrade(con)  # a database from an older version is migrated first, as the app does on start
        with failing(lambda exc: f"{args.file}: nothing was saved; fix these and try again:", ProposalInvalid):
            mid = apply(con, meeting, changed_by=args.by)
    counts = ", ".join(f"{n} {what}" for what, n in saved_counts(meeting).items())
    print(f"Saved meeting {mid} to {db}: {counts}.", file=sys.stderr if args.json else sys.stdout)
    return 0
