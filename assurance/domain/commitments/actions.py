"""The action tracker: add, edit, update and close actions, every change written to the audit trail.

Nothing is deleted: closing and withdrawing are statuses. Each change runs in one transaction
with its audit rows, so the trail and the tracker can never disagree. Every function checks
its input first and raises ``InvalidInput`` with a message for a person (``Refused`` when the
tracker's state does not allow the change: a meeting already recorded, an update on a closed action).
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from assurance.core.deadlines import NOT_RESOLVED, as_date, deadline_label, read_deadline
from assurance.core.errors import InvalidInput, Refused
from assurance.core.periods import PeriodError, Quarter
from assurance.core.validate import text as _text
from assurance.domain.access import who as _who
from assurance.domain.commitments.edits import audit_changes, check_texts, current, only_editable, reread_deadline
from assurance.sources.minutes.actions import due_meeting
from assurance.store import queries
from assurance.store.audit import audit as _audit
from assurance.store.transaction import Tx, transaction

STATUSES = ("open", "update given", "closed", "withdrawn")
OPEN_STATUSES = ("open", "update given")
EDITABLE = ("text", "owner", "due_text", "due_meeting_kind", "due_meeting_quarter", "due_date", "metric", "area")


def _check_refs(tx: Tx, fields: dict) -> None:
    if fields.get("due_meeting_quarter"):
        try:
            fields["due_meeting_quarter"] = Quarter.parse(fields["due_meeting_quarter"]).label
        except PeriodError as exc:
            raise InvalidInput(f"due meeting quarter: {exc}") from exc
        fields.setdefault("due_meeting_kind", "A&A performance")
    area, metric = fields.get("area") or None, fields.get("metric") or None
    area_known, metric_known = queries.one(tx, "codes_known", area=area, metric=metric)
    if metric and not metric_known:
        raise InvalidInput(f"unknown metric {metric!r}")
    if area and not area_known:
        raise InvalidInput(f"unknown area {area!r}")
    if "due_date" in fields and fields["due_date"] is not None and not isinstance(fields["due_date"], date):
        raise InvalidInput("the due date must be a date")


def due_meeting_from_text(due_text: str | None, meeting_kind: str, discussed: str | None) -> tuple[str, str] | None:
    """(kind, quarter) of the meeting a due text names, read as the minutes reader reads it ("the Q3 A&A
    performance meeting", "the next A&A meeting"), relative to the quarter the raising meeting discussed."""
    if not (due_text or "").strip() or not discussed:
        return None
    try:
        quarter = Quarter.parse(discussed)
    except PeriodError:
        return None
    return due_meeting(due_text, meeting_kind, quarter)  # the same reading as for imported minutes


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
    with transaction(con) as tx:
        raised = queries.one(tx, "raising_meeting", meeting_id=meeting_id)
        if raised is None:
            raise InvalidInput(f"there is no meeting {meeting_id!r}")
        if fields["due_text"] and not fields["due_meeting_quarter"]:
            # "Due: Q3 A&A performance meeting" typed on its own still ties the action to that meeting.
            named = due_meeting_from_text(fields["due_text"], raised[0], raised[1])
            if named:
                fields["due_meeting_kind"], fields["due_meeting_quarter"] = named
        _check_refs(tx, fields)
        # A date typed is exact; else the words are read as the minutes' are, from the meeting that raised it
        # ("by 20 December" is the next 20 December after it). An action due at a meeting waits for its date.
        approximate = False if fields["due_date"] else None
        if fields["due_date"] is None and not fields["due_meeting_quarter"]:
            if found := read_deadline(fields["due_text"], as_date(raised[2])):
                fields["due_date"], approximate = found.day, found.approximate
        position = queries.value(tx, "next_action_position", meeting_id=meeting_id)
        [(action_id,)] = tx.execute(
            "insert_action",
            **{"meeting_id": meeting_id, "position": position, "due_meeting_kind": None}
            | fields
            | {"due_date_approximate": approximate},
        )
        _audit(tx, "action", action_id, "create", who, "text", None, fields["text"])
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
    only_editable(changes, EDITABLE)
    check_texts(changes, {"text": "action text", "owner": "owner"}, {"due_text": "due"})
    with transaction(con) as tx:
        stored = current(tx, "action", action_id)
        _check_refs(tx, changes)
        # Words for a named meeting wait for its date; other new words are read again.
        waits = changes.get("due_meeting_quarter", stored["due_meeting_quarter"])
        dated, approximate = reread_deadline(changes, stored, "due_text", "due_date", said_on, read=not waits)
        after, changed = audit_changes(tx, "action", action_id, stored, changes, who)
        if dated or changed:
            if dated:
                after["due_date_approximate"] = approximate
            tx.execute("update_action", id=action_id, **{k: after[k] for k in (*EDITABLE, "due_date_approximate")})
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
        raise InvalidInput("the update needs the date it was given")
    with transaction(con) as tx:
        status = current(tx, "action", action_id)["status"]
        if status in ("closed", "withdrawn"):
            raise Refused(f"action {action_id} is {status}; reopen it before adding an update")
        tx.execute("insert_action_update", action_id=action_id, given_on=given_on, text=body, meeting_id=meeting_id)
        _audit(tx, "action", action_id, "update", who, "update", None, f"{given_on.isoformat()}: {body}")
        if status == "open":
            tx.execute("set_action_status", id=action_id, status="update given")
            _audit(tx, "action", action_id, "status", who, "status", "open", "update given")


def set_status(
    con: duckdb.DuckDBPyConnection, action_id: int, status: str, *, by: str, reason: str | None = None
) -> None:
    """Close, withdraw or reopen an action (nothing is ever deleted)."""
    who = _who(by)
    if status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}; not {status!r}")
    note = _text(reason, "reason", required=status == "withdrawn")
    with transaction(con) as tx:
        old = current(tx, "action", action_id)["status"]
        if old == status:
            return
        tx.execute("set_action_status", id=action_id, status=status)
        _audit(tx, "action", action_id, "status", who, "status", old, status if not note else f"{status} ({note})")


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
        raise InvalidInput(f"quarter discussed: {exc}") from exc
    if not isinstance(held_on, date):
        raise InvalidInput("the meeting needs a date")
    meeting_id = f"{held_on.isoformat()}-{'aa-performance' if kind == 'A&A performance' else 'meeting'}"
    title = (title or "").strip() or f"Accountability & Assurance meeting: {quarter.split()[-1]} performance"
    with transaction(con) as tx:
        if queries.value(tx, "meeting_exists", meeting_id=meeting_id):
            raise Refused(f"a meeting {meeting_id} is already recorded")
        clash = queries.value(tx, "meeting_for_quarter", kind=kind, quarter=quarter)
        if clash:
            raise Refused(f"the {kind} meeting for {quarter} is already recorded ({clash})")
        tx.execute("insert_scheduled_meeting", id=meeting_id, held_on=held_on, title=title, kind=kind, quarter=quarter)
        _audit(tx, "meeting", meeting_id, "create", who, "held_on", None, held_on.isoformat())
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
