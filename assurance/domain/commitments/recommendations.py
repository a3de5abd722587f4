"""HMICFRS recommendations: how each deadline stands today, and adding and editing them with an audit trail.

A deadline is kept as written ("spring 2025", "the 30th of Sept deadline") beside the date it
resolves to; a loose deadline resolves to the end of the named period (spring: 31 May). Nothing
is deleted: a finished recommendation is 'complete' or 'closed'. Every change runs in one
transaction with its audit rows (``entity='recommendation'``), and every function checks its
input first and raises ``InvalidInput`` with a message for a person (``Refused`` for a recommendation
already recorded).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from assurance.core.deadlines import DEADLINE_CONVENTION, as_date, deadline_state, read_deadline
from assurance.core.errors import InvalidInput, Refused
from assurance.core.validate import text as _text
from assurance.domain.access import who as _who
from assurance.domain.commitments.edits import audit_changes, check_texts, current, only_editable, reread_deadline
from assurance.store import queries
from assurance.store.audit import audit as _audit
from assurance.store.transaction import transaction

ENTITY = "recommendation"
STATUSES = ("open", "in progress", "complete", "closed")
DONE_STATUSES = ("complete", "closed")
DUE_SOON_DAYS = 90
# The deadline statuses, in the order a reader cares about them.
DEADLINE_STATUSES = ("overdue", "due within 90 days", "later", "complete", "no date")
EDITABLE = ("subject", "text", "force_response", "deadline_text", "deadline_date", "status", "evidence")
LOOSE_DEADLINES_NOTE = DEADLINE_CONVENTION


def deadline_status(deadline_date, status: str, today: date) -> str:
    """'complete', 'overdue', 'due within 90 days', 'later' or 'no date'; a complete or closed status wins."""
    if status in DONE_STATUSES:
        return "complete"
    day = as_date(deadline_date)
    if day is None:
        return "no date"
    days = (day - today).days
    if days < 0:
        return "overdue"
    if days <= DUE_SOON_DAYS:
        return "due within 90 days"
    return "later"


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def status_label(deadline_status_value: str, days_left) -> str:
    """The deadline status in words with a symbol, e.g. '⚠ Overdue by 664 days', '⏳ Due in 40 days', '✓ Complete'."""
    days = None if days_left is None or pd.isna(days_left) else int(days_left)
    if deadline_status_value == "complete":
        return "✓ Complete"
    if deadline_status_value == "no date" or days is None:
        return "? No date: the deadline as written could not be read as a date"
    if deadline_status_value == "overdue":
        return f"⚠ Overdue by {_days(-days)}"
    if days == 0:
        return "⏳ Due today"
    if deadline_status_value == "due within 90 days":
        return f"⏳ Due in {_days(days)}"
    return f"○ Later: due in {_days(days)}"


def recommendations_table(con: duckdb.DuckDBPyConnection, today: date) -> pd.DataFrame:
    """Every recommendation, with its deadline status today, days left (negative when overdue) and those in words."""
    frame = queries.frame(con, "recommendations")
    deadlines = [as_date(d) for d in frame["deadline_date"]]
    frame["deadline_status"] = [deadline_status(d, s, today) for d, s in zip(deadlines, frame["status"], strict=True)]
    frame["days_left"] = pd.array([None if d is None else (d - today).days for d in deadlines], dtype="Int64")
    frame["deadline_words"] = [deadline_state(d, today) for d in deadlines]
    return frame


def _status(value: str | None) -> str:
    status = (value or "").strip().lower()
    if status not in STATUSES:
        raise InvalidInput(f"the status must be one of {', '.join(STATUSES)}; not {value!r}")
    return status


def _optional_date(value, what: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return as_date(value)
    raise InvalidInput(f"the {what} must be a date")


def _number(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value) or value < 1:
        raise InvalidInput(f"the recommendation number must be a whole number, 1 or more; not {value!r}")
    return int(value)


def add_recommendation(
    con: duckdb.DuckDBPyConnection,
    *,
    report: str,
    report_published: date | None,
    number: int,
    subject: str,
    text: str | None = None,
    force_response: str | None = None,
    deadline_text: str | None = None,
    status: str = "open",
    evidence: str | None = None,
    by: str,
    said_on: date | None = None,
) -> int:
    """Record a recommendation from an HMICFRS report; its deadline is resolved as said on `said_on` (today)."""
    who = _who(by)
    fields = {
        "report": _text(report, "report name"),
        "report_published": _optional_date(report_published, "publication date"),
        "number": _number(number),
        "subject": _text(subject, "subject"),
        "text": _text(text, "recommendation text", required=False),
        "force_response": _text(force_response, "force's response", required=False),
        "deadline_text": _text(deadline_text, "deadline", required=False),
        "status": _status(status),
        "evidence": _text(evidence, "evidence", required=False),
    }
    found = read_deadline(fields["deadline_text"], said_on or date.today())
    fields["deadline_date"] = found.day if found else None
    fields["deadline_approximate"] = found.approximate if found else None
    with transaction(con) as tx:
        if queries.value(tx, "recommendation_id", report=fields["report"], number=fields["number"]) is not None:
            raise Refused(
                f"recommendation {fields['number']} of “{fields['report']}” is already recorded; "
                "edit it instead, or give another number"
            )
        [(rec_id,)] = tx.execute("insert_recommendation", **fields)
        for field, value in fields.items():
            # the approximate flag follows the words and the date, which are both recorded
            if value is not None and field != "deadline_approximate":
                _audit(tx, ENTITY, rec_id, "create", who, field, None, value)
    return int(rec_id)


def edit_recommendation(
    con: duckdb.DuckDBPyConnection, rec_id: int, *, by: str, said_on: date | None = None, **changes
) -> list[str]:
    """Change some fields of a recommendation; returns the names of the fields that actually changed.

    A new ``deadline_text`` is resolved again (as said on `said_on`, today by default); an explicit
    ``deadline_date`` overrides that (and is exact). Unreadable words leave the deadline without a date.
    Whether the date is approximate follows the words and the date; those two are what the audit trail records.
    """
    who = _who(by)
    only_editable(changes, EDITABLE)
    check_texts(
        changes,
        {"subject": "subject"},
        {
            "text": "recommendation text",
            "force_response": "force's response",
            "evidence": "evidence",
            "deadline_text": "deadline",
        },
    )
    if "status" in changes:
        changes["status"] = _status(changes["status"])
    if "deadline_date" in changes:
        changes["deadline_date"] = _optional_date(changes["deadline_date"], "deadline date")
    with transaction(con) as tx:
        stored = current(tx, ENTITY, rec_id)
        dated, approximate = reread_deadline(changes, stored, "deadline_text", "deadline_date", said_on)
        # deadline_text first, so the audit trail reads words-then-date.
        ordered = {field: changes[field] for field in sorted(changes, key=EDITABLE.index)}
        after, changed = audit_changes(tx, ENTITY, rec_id, stored, ordered, who)
        if dated or changed:
            if dated:
                after["deadline_approximate"] = approximate
            tx.execute("update_recommendation", id=rec_id, **{k: after[k] for k in (*EDITABLE, "deadline_approximate")})
    return changed


def history(con: duckdb.DuckDBPyConnection, rec_id: int) -> pd.DataFrame:
    """The changes to one recommendation from the audit trail, oldest first."""
    return queries.frame(con, "entity_history", entity=ENTITY, entity_id=str(rec_id))
