"""`python -m assurance ...`: the command line, its parser, and the one place its errors become exit codes.

Exit codes: 0 success, 2 invalid input or usage (and refusals), 1 any other failure. Every command reads the
database from --db, else $ASSURANCE_DB, else data/assurance.duckdb. Each command lives in its own module
(``database``: init, status, list; ``minutes``; ``data``: import, template, export, undo; ``backup``: backup,
restore; ``briefing``) and raises what goes wrong; ``main`` reports it: an ``AssuranceError`` as
``error: <message>`` with its details under it and its kind's exit code, anything else as one plain line and
exit 1, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from assurance.commands import backup, briefing, data, database, minutes
from assurance.core.errors import AssuranceError
from assurance.core.paths import DB_ENV_VAR, database_path


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help=f"database file (default: ${DB_ENV_VAR}, else data/assurance.duckdb)",
    )
    parser = argparse.ArgumentParser(
        prog="python -m assurance",
        description="West Mercia A&A performance dashboard: database commands.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    database.add_commands(sub, common)
    minutes.add_command(sub, common)
    data.add_commands(sub, common)
    backup.add_commands(sub, common)
    briefing.add_command(sub, common)
    return parser


def report(exc: BaseException) -> int:
    """What a person reads when a command fails, on stderr, and the exit code: the one place for both."""
    if isinstance(exc, AssuranceError):
        print(f"error: {exc}", file=sys.stderr)
        for line in exc.details():
            print(f"  - {line}", file=sys.stderr)
        return exc.exit_code
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    print(f"error: {type(exc).__name__}: {first}", file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage message
        return int(exc.code or 0)
    db = database_path(getattr(args, "db", None))
    try:
        return args.run(db, args)
    except Exception as exc:  # a person gets a sentence, never a traceback
        return report(exc)
