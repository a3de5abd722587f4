"""The action tracker: add, edit, update and close actions, every change written to the audit trail.

Nothing is deleted: closing and withdrawing are statuses. Each change runs in one transaction
with its audit rows, so the trail and the tracker can never disagree. Every function checks
its input first and raises ``ValueError`` with a message for a person.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import duckdb
import pandas as pd

from assurance.core.deadlines import NOT_RESOLVED, as_date, deadline_label, read_deadline
from assurance.core.periods import PeriodError, Quarter
from assurance.core.validate import text as _text
from assurance.domain.access import who as _who
from assurance.store import queries
from assurance.store.audit import audit as _audit
from assurance.store.audit import record
from assurance.store.audit import transaction as _transaction

STATUSES = ("open", "update given", "closed", "withdrawn")
OPEN_STATUSES = ("open", "update given")
EDITABLE = ("text", "owner", "due_text", "due_meeting_kind", "due_meeting_quarter", "due_date", "metric", "area")


def _check_refs(cur, fields: dict) -> None:
    if fields.get("due_meeting_quarter"):
        try:
            fields["due_meeting_quarter"] = Quarter.parse(fields["due_meeting_quarter"]).label
        except PeriodError as exc:
            raise ValueError(f"due meeting quarter: {exc}") from exc
        fields.setdefault("due_meeting_kind", "A&A performance")
    for key, table in (("metric", "metrics"), ("area", "areas")):
        value = fields.get(key)
        if value and not cur.execute(f"SELECT count(*) FROM {table} WHERE code = $c", {"c": value}).fetchone()[0]:  # noqa: S608  # nosec B608 # table names from the fixed pair above, values bound
            raise ValueError(f"unknown {key} {value!r}")
    if "due_date" in fields and fields["due_date"] is not None and not isinstance(fields["due_date"], date):
        raise ValueError("the due date must be a date")


def due_meeting_from_text(due_text: str | None, meeting_kind: str, discussed: str | None) -> tuple[str, str] | None:
    """(kind, quarter) of the meeting a due text names, read as the minutes reader reads it ("the Q3 A&A
    performance meeting", "the next A&A meeting"), relative to the quarter the raising meeting discussed."""
    from types import SimpleNamespace

    from assurance.sources.minutes.actions import _due  # the same reading as for imported minutes

    if not (due_text or "").strip() or not discussed:
        return None
    try:
        quarter = Quarter.parse(discussed)
    except PeriodError:
        return None
    text = due_text.strip()
    _, kind, found = _due(text if re.match(r"(?i)(at|by|to|for|before|in|until)\b", text) else f"at {text}",
                          SimpleNamespace(kind=meeting_kind), quarter)  # fmt: skip
    return (kind, found) if kind and found else None


def add_action(
    con: duckdb.DuckDBPyConnection,
    *,
    meeting_id: str,
    text: str,
    owner: str,
    by: str,
    due_text: str | None = None,
    due_meeting_quarter: str | None = None,
    due_date: date | None = None,
    metric: str | None = None,
    area: str | None = None,
) -> int:
    """Record a new open action raised at a meeting; returns its id."""
    who = _who(by)
    fields = {
        "text": _text(text, "action text"),
        "owner": _text(owner, "owner"),
        "due_text": _text(due_text, "due", required=False),
        "due_meeting_quarter": (due_meeting_quarter or "").strip() or None,
        "due_date": due_date,
        "metric": metric or None,
        "area": area or None,
    }
    with _transaction(con) as cur:
        raised = cur.execute(
            "SELECT kind, quarter_discussed, held_on FROM meetings WHERE id = $m", {"m": meeting_id}
        ).fetchone()
        if raised is None:
            raise ValueError(f"there is no meeting {meeting_id!r}")
        if fields["due_text"] and not fields["due_meeting_quarter"]:
            # "Due: Q3 A&A performance meeting" typed on its own still ties the action to that meeting.
            named = due_meeting_from_text(fields["due_text"], raised[0], raised[1])
            if named:
                fields["due_meeting_kind"], fields["due_meeting_quarter"] = named
        _check_refs(cur, fields)
        # A date typed is exact; else the words are read as the minutes' are, from the meeting that raised it
        # ("by 20 December" is the next 20 December after it). An action due at a meeting waits for its date.
        approximate = False if fields["due_date"] else None
        if fields["due_date"] is None and not fields["due_meeting_quarter"]:
            if found := read_deadline(fields["due_text"], as_date(raised[2])):
                fields["due_date"], approximate = found.day, found.approximate
        position = cur.execute(
            "SELECT coalesce(max(position), 0) + 1 FROM actions WHERE meeting_id = $m", {"m": meeting_id}
        ).fetchone()[0]
        action_id = cur.execute(
            "INSERT INTO actions (meeting_id, position, text, owner, due_text, due_meeting_kind, due_meeting_quarter,"
            " due_date, due_date_approximate, status, metric, area) VALUES ($meeting_id, $position, $text, $owner,"
            " $due_text, $due_meeting_kind, $due_meeting_quarter, $due_date, $approximate, 'open', $metric, $area)"
            " RETURNING id",
            {"meeting_id": meeting_id, "position": position, "due_meeting_kind": None, "approximate": approximate}
            | fields,
        ).fetchone()[0]
        _audit(cur, "action", action_id, "create", who, "text", None, fields["text"])
    return int(action_id)


def edit_action(
    con: duckdb.DuckDBPyConnection, action_id: int, *, by: str, said_on: date | None = None, **changes
) -> list[str]:
    """Change some of an action's fields; returns the names of the fields that actually changed.

    New due words are read again (as said on `said_on`, today by default) unless a date is given too or the
    action is due at a named meeting; a date given is exact. Whether the due date is approximate follows the
    words and the date, which are what the audit trail records.
    """
    who = _who(by)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"these fields cannot be edited: {', '.join(sorted(unknown))}")
    if "text" in changes:
        changes["text"] = _text(changes["text"], "action text")
    if "owner" in changes:
        changes["owner"] = _text(changes["owner"], "owner")
    if "due_text" in changes:
        changes["due_text"] = _text(changes["due_text"], "due", required=False)
    changed = []
    with _transaction(con) as cur:
        current = record(cur, "action", action_id)
        _check_refs(cur, changes)
        dated, approximate = "due_date" in changes, None
        if dated:
            approximate = False if changes["due_date"] else None
        elif (
            "due_text" in changes
            and changes["due_text"] != current["due_text"]
            and not changes.get("due_meeting_quarter", current["due_meeting_quarter"])
        ):
            found = read_deadline(changes["due_text"], said_on or date.today())
            changes["due_date"] = found.day if found else None
            dated, approximate = True, found.approximate if found else None
        if dated:
            cur.execute(
                "UPDATE actions SET due_date_approximate = $a WHERE id = $id", {"a": approximate, "id": action_id}
            )
        for field, new in changes.items():
            old = current[field]
            if (as_date(old) if field == "due_date" else old) == new or (old is None and new in ("", None)):
                continue
            # Field names come from the EDITABLE allow-list above, never from input.
            cur.execute(f"UPDATE actions SET {field} = $v WHERE id = $id", {"v": new, "id": action_id})  # noqa: S608  # nosec B608
            _audit(cur, "action", action_id, "edit", who, field, old, new)
            changed.append(field)
    return changed


def add_update(
    con: duckdb.DuckDBPyConnection,
    action_id: int,
    *,
    text: str,
    given_on: date,
    by: str,
    meeting_id: str | None = None,
) -> None:
    """Record an update given on an action; an open action becomes 'update given'."""
    who = _who(by)
    body = _text(text, "update")
    if not isinstance(given_on, date):
        raise ValueError("the update needs the date it was given")
    with _transaction(con) as cur:
        current = record(cur, "action", action_id)
        if current["status"] in ("closed", "withdrawn"):
            raise ValueError(f"action {action_id} is {current['status']}; reopen it before adding an update")
        cur.execute(
            "INSERT INTO action_updates (action_id, given_on, text, meeting_id) VALUES ($a, $d, $t, $m)",
            {"a": action_id, "d": given_on, "t": body, "m": meeting_id},
        )
        _audit(cur, "action", action_id, "update", who, "update", None, f"{given_on.isoformat()}: {body}")
        if current["status"] == "open":
            cur.execute("UPDATE actions SET status = 'update given' WHERE id = $id", {"id": action_id})
            _audit(cur, "action", action_id, "status", who, "status", "open", "update given")


def set_status(
    con: duckdb.DuckDBPyConnection, action_id: int, status: str, *, by: str, reason: str | None = None
) -> None:
    """Close, withdraw or reopen an action (nothing is ever deleted)."""
    who = _who(by)
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}; not {status!r}")
    note = _text(reason, "reason", required=status == "withdrawn")
    with _transaction(con) as cur:
        current = record(cur, "action", action_id)
        if current["status"] == status:
            return
        cur.execute("UPDATE actions SET status = $s WHERE id = $id", {"s": status, "id": action_id})
        new = status if not note else f"{status} ({note})"
        _audit(cur, "action", action_id, "status", who, "status", current["status"], new)


def schedule_meeting(
    con: duckdb.DuckDBPyConnection,
    *,
    held_on: date,
    quarter_discussed: str,
    by: str,
    kind: str = "A&A performance",
    title: str | None = None,
) -> str:
    """Schedule a future meeting; actions due 'at the Qn A&A performance meeting' then resolve to its date."""
    who = _who(by)
    try:
        quarter = Quarter.parse(quarter_discussed).label
    except PeriodError as exc:
        raise ValueError(f"quarter discussed: {exc}") from exc
    if not isinstance(held_on, date):
        raise ValueError("the meeting needs a date")
    meeting_id = f"{held_on.isoformat()}-{'aa-performance' if kind == 'A&A performance' else 'meeting'}"
    title = (title or "").strip() or f"Accountability & Assurance meeting: {quarter.split()[-1]} performance"
    with _transaction(con) as cur:
        if cur.execute("SELECT count(*) FROM meetings WHERE id = $id", {"id": meeting_id}).fetchone()[0]:
            raise ValueError(f"a meeting {meeting_id} is already recorded")
        clash = cur.execute(
            "SELECT id FROM meetings WHERE kind = $k AND quarter_discussed = $q", {"k": kind, "q": quarter}
        ).fetchone()
        if clash:
            raise ValueError(f"the {kind} meeting for {quarter} is already recorded ({clash[0]})")
        cur.execute(
            "INSERT INTO meetings (id, held_on, title, kind, quarter_discussed, status)"
            " VALUES ($id, $d, $t, $k, $q, 'scheduled')",
            {"id": meeting_id, "d": held_on, "t": title, "k": kind, "q": quarter},
        )
        _audit(cur, "meeting", meeting_id, "create", who, "held_on", None, held_on.isoformat())
    return meeting_id


MEETING_LAG_DAYS = 60


def expected_meeting_date(quarter: str) -> date:
    """When the A&A performance meeting for a quarter is expected: about two months after the quarter ends."""
    return Quarter.parse(quarter).end + timedelta(days=MEETING_LAG_DAYS)


def tracker(con: duckdb.DuckDBPyConnection, today: date) -> pd.DataFrame:
    """Every action with its due date resolved, an overdue flag, and the group the meeting reviews it in."""
    frame = queries.frame(con, "action_tracker")
    due = [as_date(d) for d in frame["due_on"]]
    # A meeting named but not yet scheduled is expected about two months after its quarter ends (the Q2
    # meeting of 27 Nov 2024 came 58 days after 30 Sep): past that, the action is probably overdue.
    # An action may name both a meeting and a date ("at the Q3 meeting, by 31 March at the latest"): the
    # meeting's expected date is kept beside the date, and either passing makes it overdue.
    frame["expected_by"] = [
        expected_meeting_date(q) if not isinstance(t, str) and isinstance(q, str) else None
        for t, q in zip(frame["due_meeting_title"], frame["due_meeting_quarter"], strict=True)
    ]
    is_open = frame["status"].isin(OPEN_STATUSES)
    frame["overdue"] = [
        bool(o and ((d is not None and d < today) or (e is not None and e < today)))
        for o, d, e in zip(is_open, due, frame["expected_by"], strict=True)
    ]

    def group(row) -> str:
        if row.status not in OPEN_STATUSES:
            return "Closed or withdrawn"
        if isinstance(row.due_meeting_title, str):
            return f"Due at: {row.due_meeting_title} ({as_date(row.due_on):%-d %b %Y})"
        if isinstance(row.due_meeting_quarter, str):
            return (
                f"Due at: the {row.due_meeting_quarter.split()[-1]} {row.due_meeting_kind} meeting "
                f"(not yet scheduled; expected by {row.expected_by:%b %Y})"
            )
        return "Open, no meeting named"

    def rank(row) -> tuple:
        """The order the meeting reviews them: dated meetings, then unscheduled ones, then the rest."""
        if row.status not in OPEN_STATUSES:
            return (3, "", row.position)
        if isinstance(row.due_meeting_title, str) or as_date(row.due_on):
            return (0, str(as_date(row.due_on)), row.position)
        if isinstance(row.due_meeting_quarter, str):
            return (1, row.due_meeting_quarter, row.position)
        return (2, "", row.position)

    frame["group"] = [group(row) for row in frame.itertuples()]
    order = sorted(range(len(frame)), key=lambda i: rank(frame.iloc[i]) + (str(frame.iloc[i]["raised_on"]),))
    return frame.iloc[order].reset_index(drop=True)


def due_label(row) -> str:
    """When a tracker row is due, as the tracker, the meeting display and the briefing show it:
    '31 Mar 2025 (approx.) — “end of March”'; an action waiting for its meeting to be scheduled shows the
    meeting as written ('Q3 Performance A&A meeting'); no words and no date: 'no date stated'."""
    get = row.get if isinstance(row, dict) else lambda key: getattr(row, key, None)
    waiting = isinstance(get("due_meeting_quarter"), str) and as_date(get("due_on")) is None
    return deadline_label(
        get("due_on"), get("due_approximate"), get("due_text"), undated=None if waiting else NOT_RESOLVED
    )


def history(con: duckdb.DuckDBPyConnection, action_id: int) -> pd.DataFrame:
    return queries.frame(con, "entity_history", entity="action", entity_id=str(action_id))
