"""Editing a commitment with its audit trail: the steps the action tracker and the recommendations share.

An edit names some fields and their new values. The fields are checked against what may be edited, their
text is checked, new deadline words are read again (unless a date comes with them), and each field whose
value really changes gets one audit row, in the edit's own transaction; the row is then written once with
what the edit leaves. A record asked for by id that is not there is bad input, with a sentence saying so.
"""

from __future__ import annotations

from datetime import date

from assurance.core.deadlines import as_date, read_deadline
from assurance.core.errors import InvalidInput
from assurance.core.validate import text
from assurance.store import queries
from assurance.store.audit import audit
from assurance.store.transaction import Tx

# The named query that reads one record of each kind by id (queries/actions.sql, queries/recommendations.sql).
BY_ID = {"action": "action_by_id", "recommendation": "recommendation_by_id"}


def only_editable(changes: dict, editable) -> None:
    """InvalidInput naming every field of `changes` that is not in `editable`."""
    unknown = set(changes) - set(editable)
    if unknown:
        raise InvalidInput(f"these fields cannot be edited: {', '.join(sorted(unknown))}")


def check_texts(changes: dict, required: dict[str, str], optional: dict[str, str] | None = None) -> None:
    """Trim and check each text field being changed; `required` and `optional` map a field to its name for a person."""
    for field, what in required.items():
        if field in changes:
            changes[field] = text(changes[field], what)
    for field, what in (optional or {}).items():
        if field in changes:
            changes[field] = text(changes[field], what, required=False)


def current(tx: Tx, entity: str, record_id: int) -> dict:
    """One action or recommendation as stored, read inside the edit's transaction; InvalidInput if there is none."""
    found = queries.records(tx, BY_ID[entity], id=record_id)
    if not found:
        raise InvalidInput(f"there is no {entity} {record_id}")
    return found[0]


def reread_deadline(
    changes: dict, stored: dict, words: str, day: str, said_on: date | None, *, read: bool = True
) -> tuple[bool, bool | None]:
    """(whether the edit sets the date, whether that date is approximate).

    A date given is exact (None: no date). Otherwise new words (field `words`), when `read`, are read again as
    said on `said_on` (today by default) and their date put into `changes[day]`; unreadable words leave no date.
    """
    if day in changes:
        return True, False if changes[day] else None
    if read and words in changes and changes[words] != stored[words]:
        found = read_deadline(changes[words], said_on or date.today())
        changes[day] = found.day if found else None
        return True, found.approximate if found else None
    return False, None


def audit_changes(tx: Tx, entity: str, record_id: int, stored: dict, changes: dict, by: str) -> tuple[dict, list[str]]:
    """One audit row per field whose value changes, in the order of `changes` (a status change is a 'status'
    operation, any other an 'edit'); returns the record as the edit leaves it and the fields that changed.

    A blank value over a field that holds nothing is no change; dates compare as days.
    """
    after = dict(stored)
    changed = []
    for field, new in changes.items():
        old = as_date(stored[field]) if isinstance(stored[field], date) else stored[field]
        if old == new or (old is None and new in ("", None)):
            continue
        audit(tx, entity, record_id, "status" if field == "status" else "edit", by, field, old, new)
        after[field] = new
        changed.append(field)
    return after, changed
