"""`import`, `template`, `export` and `undo`: real data in (validated, one transaction), out, and back out.

While the dashboard holds the database, a validated batch is queued in its inbox (``inbox``) and the command
waits for the dashboard's answer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assurance.commands.context import CommandFailed, failing, login_name, open_existing, require_database
from assurance.core.errors import AssuranceError, DatabaseError, InvalidInput


def _progress(done: int, of: int, name: str) -> None:
    """The national archives are many files: each counted one is said on stderr (one line, rewritten on a terminal)."""
    line = f"[{done}/{of}] {name}"
    if sys.stderr.isatty():
        print(f"\r{line[:120]:<120}", end="" if done < of else "\n", file=sys.stderr, flush=True)
    elif done == of or done % 10 == 0:
        print(line, file=sys.stderr, flush=True)


def run_import(db: Path, args: argparse.Namespace) -> int:
    """Validate, then load directly or (database held by the dashboard) through the inbox."""
    from assurance.domain.imports import load_batch
    from assurance.domain.setup import upgrade
    from assurance.sources import ImportInvalid, read_any
    from assurance.store.published import command_connection

    with failing(lambda exc: "nothing was loaded; fix these and try again:", ImportInvalid):
        parsed = read_any(args.files, [str(f) for f in args.files], progress=_progress)
    for warning in parsed.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    shown = ", ".join(f.name for f in parsed.files[:6]) + (
        f" and {len(parsed.files) - 6} more" if len(parsed.files) > 6 else ""
    )
    print(f"Read {shown}: {parsed.summary()}.")
    by = args.by or login_name()
    require_database(db, create="init")
    try:
        # Where server processes share the file this waits its turn and publishes the load to them
        # (assurance/store/published.py); a dashboard holding the file makes this "in use": queue it for that one.
        with command_connection(db) as con:
            upgrade(con)  # an older file is migrated as the dashboard migrates it
            result = load_batch(con, parsed, replace=args.replace, by=by)
    except DatabaseError as exc:
        if "in use" not in str(exc):
            raise
        return _import_through_inbox(db, parsed, args, by)
    return _report_result(result)


def _import_through_inbox(db: Path, parsed, args: argparse.Namespace, by: str) -> int:
    from assurance.commands import inbox

    batch = inbox.submit(db, parsed, args.replace, by)
    print(
        f"The database is open in the dashboard: queued as {inbox.inbox_dir(db) / batch}.json; the dashboard loads it."
    )
    if args.no_wait:
        print("Not waiting (--no-wait): see the Data page for the result.")
        return 0
    result = inbox.wait_for_result(db, batch)
    if result is None:
        raise AssuranceError(
            f"no answer from the dashboard within {inbox.WAIT_SECONDS:.0f} s; the batch stays queued and is "
            "loaded when the dashboard next looks (see the Data page)."
        )
    return _report_result(result)


def _report_result(result) -> int:
    """A load's result: printed when it loaded (with what it replaced); raised when it was refused or failed."""
    if result.status == "refused":
        raise CommandFailed(result.message, exit_code=2, details=[c.line() for c in result.conflicts])
    if result.status == "failed":
        raise CommandFailed(result.message)
    print(result.message)
    if result.conflicts:
        print("Replaced (old -> new):")
        for conflict in result.conflicts:
            print(f"  - {conflict.line()}")
    return 0


def run_template(db: Path, args: argparse.Namespace) -> int:
    from assurance.sources.quarterly_template import write_template

    path = Path(args.file)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise InvalidInput("name the template .xlsx or .csv")
    write_template(path)
    print(f"Wrote a blank quarterly return to {path}.")
    return 0


def run_export(db: Path, args: argparse.Namespace) -> int:
    """``export DIR``: every table as CSV and Parquet; ``export national --format csv``: the national comparison."""
    if args.folder == "national":
        return _export_national(db, args)
    if args.format or args.output:
        raise InvalidInput("--format and --output go with `export national`; `export DIR` writes a whole folder")
    from assurance.products.export_folder import export

    con = open_existing(db)
    try:
        counts = export(con, Path(args.folder))
    finally:
        con.close()
    print(f"Exported {len(counts)} tables ({sum(counts.values())} rows) to {args.folder} as CSV and Parquet.")
    return 0


def _export_national(db: Path, args: argparse.Namespace) -> int:
    """One CSV row per quarter, level, area and crime type (docs/national-export.md), to stdout or --output."""
    from assurance.core.downloads import to_csv_bytes
    from assurance.domain.national.figures import export_table

    if (args.format or "csv") != "csv":
        raise InvalidInput(f"--format {args.format}: the national export is written as csv")
    con = open_existing(db)
    try:
        table = export_table(con)
    finally:
        con.close()
    if table.empty:
        raise InvalidInput("there is no national data to export: import police.uk street-level archives first")
    data = to_csv_bytes(table)
    if args.output:
        Path(args.output).write_bytes(data)
        print(f"Wrote {len(table):,} rows ({table['quarter'].nunique()} quarters) to {args.output}.", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def run_undo(db: Path, args: argparse.Namespace) -> int:
    from assurance.domain.imports import undo_load
    from assurance.store.published import command_connection

    require_database(db, create=None)
    with command_connection(db) as con:
        print(undo_load(con, args.load_id, args.by or login_name()))
    return 0
