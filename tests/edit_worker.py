"""A long, deterministic sequence of edits through the library, for tests/test_edit_kill.py.

Run as ``python tests/edit_worker.py DB``: opens the database, prints ``ready <pid>``, then makes each edit in
turn and prints ``done <k>`` (flushed) once edit k has returned, i.e. committed. The test kills this
process at random moments and checks that the database is as after the last ``done`` line or as after
the next edit, never in between. ``DB in K N`` makes the process SIGKILL itself inside edit K, once it
has written its Nth audit row and before it commits; ``DB after K`` right after edit K has committed,
before it says so. ``--serve`` imports the library once and forks a worker per request
read from stdin (see serve()), so that each attempt does not pay for importing pandas again.

Imported by the test too: ``run_edits`` makes the same edits in-process (calling back after each one, to
snapshot the committed state), ``snapshot`` reads a database's content and ``audit_problems`` checks
that the audit trail and the data agree.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from assurance.domain import rebases  # noqa: E402
from assurance.domain.commitments import actions, recommendations  # noqa: E402
from assurance.domain.commitments import agenda as meeting  # noqa: E402
from assurance.domain.commitments.minutes import apply  # noqa: E402
from assurance.sources.minutes import read_minutes  # noqa: E402
from tests.support import LATER_MINUTES  # noqa: E402

BY = "Edit Worker"
SEEDED = "2024-11-27-aa-performance"
SAID_ON = date(2025, 3, 1)  # deadlines are resolved as said on this day, never today
ROUNDS = 6
REBASE_SERIES = ("shropshire", "total_recorded_crime")
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "minutes"
REC_STATUSES = ("open", "in progress", "complete", "closed")
DEADLINES = ("spring 2025", "end of June 2025", "the 30th of Sept deadline", "winter 2025")

Step = Callable[[duckdb.DuckDBPyConnection, dict], object]


def _refused(edit: Step) -> Step:
    """An edit the library must refuse (a ValueError, nothing written): the step changes nothing."""

    def step(con, ctx):
        try:
            edit(con, ctx)
        except ValueError:
            return "refused"
        raise AssertionError("the library accepted an edit it should refuse")

    return step


def _import(text: str) -> Step:
    return lambda con, ctx: apply(con, read_minutes(text).to_meeting_json(), changed_by=BY)


def _rebase_quarters(con) -> list[str]:
    area, metric = REBASE_SERIES
    rows = con.execute(
        "SELECT quarter FROM observations WHERE area = $a AND metric = $m AND value IS NOT NULL ORDER BY quarter",
        {"a": area, "m": metric},
    ).fetchall()
    return [r[0] for r in rows[1:]]  # never the first quarter of the series


def _round(r: int) -> list[tuple[str, Step]]:
    """Thirteen edits of every kind; round r's values differ from every other round's."""
    area, metric = REBASE_SERIES
    rec = r % 4 + 1
    meeting_id = SEEDED if r % 2 else "2025-05-28-aa-performance"

    def add(con, ctx):
        ctx["action"] = actions.add_action(
            con,
            meeting_id=meeting_id,
            text=f"Round {r}: report back on the positive outcomes plan",
            owner="T/CC",
            by=BY,
            due_text="Q4 A&A performance meeting" if r % 2 else "early June",
            due_meeting_quarter="2024/25 Q4" if r % 2 else None,
            metric=metric if r % 3 else None,
            area=area if r % 3 else None,
        )

    def edit(con, ctx):
        changes = {"owner": f"ACC {r}"}
        if r % 2:
            changes["text"] = f"Round {r}: report back on the positive outcomes plan, with figures"
        else:  # a date only for an action due at no meeting: actions.tracker fails on one with both
            changes["due_date"] = date(2025, 6, 1 + r)
        return actions.edit_action(con, ctx["action"], by=BY, **changes)

    def update(con, ctx):
        actions.add_update(con, ctx["action"], text=f"Round {r}: plan presented", given_on=date(2025, 5, 1 + r), by=BY)

    def close(con, ctx):
        if r % 3 == 2:
            actions.set_status(con, ctx["action"], "withdrawn", by=BY, reason=f"superseded in round {r}")
        else:
            actions.set_status(con, ctx["action"], "closed", by=BY)

    def reopen_first(con, ctx):
        actions.set_status(con, 1 + r % 3, ("update given", "open", "closed")[r % 3], by=BY)

    def rec_status(con, ctx):
        return recommendations.edit_recommendation(
            con, rec, by=BY, status=REC_STATUSES[r % 4], evidence=f"Evidence pack {r}"
        )

    def rec_deadline(con, ctx):
        return recommendations.edit_recommendation(
            con, rec, by=BY, said_on=SAID_ON, deadline_text=DEADLINES[r % 4], force_response=f"Response {r}"
        )

    def add_rec(con, ctx):
        recommendations.add_recommendation(
            con,
            report="Worker inspection",
            report_published=date(2025, 1, 1),
            number=100 + r,
            subject=f"Subject of recommendation {100 + r}",
            deadline_text=DEADLINES[(r + 1) % 4],
            by=BY,
            said_on=SAID_ON,
        )

    def rebase(con, ctx):
        quarters = _rebase_quarters(con)
        quarter = quarters[(r // 2) % len(quarters)]
        if r % 2 == 0:
            rebases.add_rebase(con, area, metric, quarter, f"Recording change noted in round {r}", by=BY)
        else:
            rebases.remove_rebase(con, area, metric, quarter, by=BY)

    def agenda_add(con, ctx):
        meeting.add_agenda_item(
            con,
            meeting_id,
            title=f"Item from round {r}",
            notes=f"Notes {r}",
            slides=("text",) if r % 2 else ("hmicfrs", "actions_arising"),
            position=1 + r % 2,
            by=BY,
        )

    def agenda_edit(con, ctx):
        return meeting.edit_agenda_item(
            con, meeting_id, 1 + r % 2, by=BY, title=f"Item from round {r}, renamed", slides=("lpa_focus",)
        )

    def agenda_move(con, ctx):
        meeting.move_agenda_item(con, meeting_id, 1 + r % 2, 3, by=BY)

    def agenda_remove(con, ctx):
        if r % 3 == 1:  # every third round leaves its item on the agenda
            return None
        meeting.remove_agenda_item(con, meeting_id, 3, by=BY)
        return "removed"

    return [
        ("add_action", add),
        ("edit_action", edit),
        ("add_agenda_item", agenda_add),
        ("add_update", update),
        ("set_status", reopen_first),
        ("edit_recommendation status", rec_status),
        ("edit_agenda_item", agenda_edit),
        ("set_status withdrawn" if r % 3 == 2 else "set_status closed", close),
        ("edit_recommendation deadline", rec_deadline),
        ("add_recommendation", add_rec),
        ("remove_rebase" if r % 2 else "add_rebase", rebase),
        ("move_agenda_item", agenda_move),
        ("remove_agenda_item" if r % 3 != 1 else "nothing", agenda_remove),
    ]


def steps() -> list[tuple[str, Step]]:
    """The whole sequence, each edit named by what it does: the same list every time, so that edit k
    always leaves the same content."""
    sequence: list[tuple[str, Step]] = [
        (
            "schedule_meeting",
            lambda con, ctx: actions.schedule_meeting(
                con, held_on=date(2025, 5, 28), quarter_discussed="2024/25 Q4", by=BY
            ),
        ),
        ("use_default_agenda", lambda con, ctx: meeting.use_default_agenda(con, "2025-05-28-aa-performance", by=BY)),
    ]
    imports = {
        1: _import((FIXTURES / "aa-sentence-case-2024-03.txt").read_text(encoding="utf-8")),
        3: _import(LATER_MINUTES),
        5: _import((FIXTURES / "governance-board-ref-style.txt").read_text(encoding="utf-8")),
    }
    for r in range(ROUNDS):
        if r in imports:
            sequence.append(("minutes import", imports[r]))
        sequence += _round(r)
        if r == 2:
            refused = _refused(lambda con, ctx: meeting.use_default_agenda(con, SEEDED, by=BY))
            sequence.append(("refused use_default_agenda", refused))
    return sequence


def run_edits(
    con: duckdb.DuckDBPyConnection, after: Callable[[int], None], before: Callable[[int], None] | None = None
) -> int:
    """Make every edit in turn, calling before(k) as edit k (from 1) starts and after(k) once it has returned
    (committed); returns the number of edits."""
    ctx: dict = {}
    sequence = steps()
    for k, (_, step) in enumerate(sequence, start=1):
        if before is not None:
            before(k)
        step(con, ctx)
        after(k)
    return len(sequence)


def hook_audit(hook: Callable[[], None]) -> Callable[[], None]:
    """Call hook() each time an edit has written its audit rows, inside its transaction (before COMMIT).

    Replaces assurance.store.audit.audit, and the minutes import's audit writer, wherever the library holds
    them; returns a function that puts them back.
    """
    from assurance.domain.commitments.minutes import saving as store
    from assurance.store import audit

    undo = []
    for original in (audit.audit, store._audit_import):

        def hooked(*args, _original=original, **kwargs):
            _original(*args, **kwargs)
            hook()

        for module in [m for name, m in sys.modules.items() if name.split(".")[0] == "assurance"]:
            for name, value in list(vars(module).items()):
                if value is original:
                    setattr(module, name, hooked)
                    undo.append((module, name, original))

    def restore() -> None:
        for module, name, original in undo:
            setattr(module, name, original)

    return restore


# ----------------------------------------------------------------------------- reading a database back


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    """Every user table's row count and the sum of its rows' hashes, leaving out the timestamps the
    database fills in (when a row was written). Two reads whatever the number of tables, so that
    snapshotting every step stays fast; the sum is order-free and counts repeated rows."""
    columns: dict[str, list[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE table_oid IN"
        " (SELECT table_oid FROM duckdb_tables() WHERE NOT internal AND NOT temporary)"
        " AND data_type NOT LIKE 'TIMESTAMP%' ORDER BY table_name, column_index"
    ).fetchall():
        columns.setdefault(table, []).append(f'"{column}"')
    # Table and column names come from the catalogue, never from input.
    sql = " UNION ALL ".join(
        f"SELECT '{table}', count(*), coalesce(sum(hash(t)), 0) FROM (SELECT {', '.join(names)} FROM \"{table}\") AS t"  # noqa: S608
        for table, names in columns.items()
    )
    return {table: (count, int(digest)) for table, count, digest in con.execute(sql).fetchall()}


def audit_problems(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Where the audit trail and the data disagree, read from the database alone (empty: they agree).

    Every action and recommendation written since the seed has its 'create' row and every 'create' row
    its record; each action's updates match its 'update' rows; the last audited status, owner, evidence,
    force's response and due date of each record are its current ones; the rebases stored are those
    created and not deleted; each agenda edited here has the items its audit rows add up to.
    """
    problems = []

    def rows(sql: str, **params) -> list[tuple]:
        return con.execute(sql, params).fetchall()

    for entity, table, seeded in (("action", "actions", 3), ("recommendation", "recommendations", 4)):
        made = {int(r[0]) for r in rows(f"SELECT id FROM {table} WHERE id > $n", n=seeded)}  # noqa: S608
        created = rows(
            "SELECT entity_id::INTEGER, count(DISTINCT id) FROM audit_log WHERE entity = $e AND operation = 'create'"
            " AND field IN ('text', 'subject') GROUP BY 1",
            e=entity,
        )
        if made != {r[0] for r in created} or any(n != 1 for _, n in created):
            problems.append(f"{table} written since the seed {sorted(made)} != their 'create' audit rows {created}")
        current = {r[0]: r[1:] for r in rows(f"SELECT id::VARCHAR, * FROM {table}")}  # noqa: S608
        names = [d[0] for d in con.description][1:]
        last = rows(
            "SELECT entity_id, field, arg_max(new_value, id) FROM audit_log WHERE entity = $e"
            " AND field IN ('status', 'owner', 'evidence', 'force_response', 'due_date') GROUP BY 1, 2",
            e=entity,
        )
        for entity_id, field, value in last:
            now = current.get(entity_id)
            now = None if now is None else now[names.index(field)]
            if field == "status" and value is not None:
                value = value.split(" (")[0]
            if (None if now is None else str(now)) != value:
                problems.append(f"{entity} {entity_id} {field} is {now!r}; its audit trail says {value!r}")
    updates = dict(rows("SELECT action_id::VARCHAR, count(*) FROM action_updates GROUP BY 1"))
    audited = dict(
        rows("SELECT entity_id, count(*) FROM audit_log WHERE entity = 'action' AND operation = 'update' GROUP BY 1")
    )
    if updates != audited:
        problems.append(f"action updates {updates} != their audit rows {audited}")
    stored = {f"{a} {m} {q}" for a, m, q in rows("SELECT area, metric, quarter FROM spc_rebases")}
    replayed: set[str] = set()
    for entity_id, operation in rows("SELECT entity_id, operation FROM audit_log WHERE entity = 'rebase' ORDER BY id"):
        (replayed.add if operation == "create" else replayed.discard)(entity_id)
    if stored != replayed:
        problems.append(f"rebases stored {sorted(stored)} != those the audit trail leaves {sorted(replayed)}")
    for meeting_id, before in ((SEEDED, 4), ("2025-05-28-aa-performance", 0)):
        items = rows("SELECT count(*) FROM agenda_items WHERE meeting_id = $m", m=meeting_id)[0][0]
        added, removed = rows(
            "SELECT count(*) FILTER (operation = 'create'), count(*) FILTER (operation = 'edit' AND new_value IS NULL)"
            " FROM audit_log WHERE entity = 'meeting' AND entity_id = $m"
            " AND regexp_full_match(field, 'agenda item [0-9]+')",
            m=meeting_id,
        )[0]
        if items != before + added - removed:
            problems.append(f"{meeting_id} has {items} agenda items; its audit trail says {before + added - removed}")
    return problems


def _local_single_user_mode() -> None:
    """Edit as an editor whatever roles or sign-in this machine has (as tests/conftest.py does for tests)."""
    from assurance.domain import access

    nowhere = Path(__file__).resolve().parent / "no-access-config-for-the-edit-worker"
    for name in (access.ROLES_ENV, access.SECRETS_ENV):
        os.environ.pop(name, None)
    access.DEFAULT_ROLES_FILE = nowhere / "roles.toml"
    access.SECRETS_FILES = (nowhere / "secrets.toml",)


def main(path: str, die: str | None = None, at: int = 0, nth: int = 1) -> None:
    """Make the edits on the database at path; with die='in', SIGKILL this process inside edit `at` once
    it has written its nth audit row, before it commits; with die='after', once edit `at` has committed
    but before saying so."""
    from assurance.store.connection import connect

    _local_single_user_mode()
    current = [0, 0]  # the edit being made, and the audit rows (or minutes import audits) it has written

    def kill() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    def audited() -> None:
        current[1] += 1
        if die == "in" and current == [at, nth]:
            kill()

    hook_audit(audited)
    con = connect(path)
    print(f"ready {os.getpid()}", flush=True)

    def done(k: int) -> None:
        if die == "after" and k == at:
            kill()
        print(f"done {k}", flush=True)

    run_edits(con, done, before=lambda k: current.__setitem__(slice(None), [k, 0]))
    con.close()
    print("finished", flush=True)


def serve() -> None:
    """Import the library once, then for each line ``DB [in K N | after K]`` read from stdin, fork a
    process that runs main() with those arguments (a fresh process for DuckDB: this one opens none).

    Its lines go to stdout as it makes them; once the next line ``reap`` has been read and it has ended,
    ``exited <code>`` (-9: SIGKILLed). Until then it is not reaped, so its pid cannot be reused by another
    process while the test may still kill it.
    """
    import traceback

    for command in sys.stdin:
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:  # the child: make the edits, never return into the loop
            code = 1
            try:
                main(*command.split()[:2], *(int(a) for a in command.split()[2:]))
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                os._exit(code)
        assert sys.stdin.readline().strip() == "reap"
        _, status = os.waitpid(pid, 0)
        print(f"exited {os.waitstatus_to_exitcode(status)}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        serve()
    else:
        main(sys.argv[1], *(sys.argv[2:3]), *(int(a) for a in sys.argv[3:]))
