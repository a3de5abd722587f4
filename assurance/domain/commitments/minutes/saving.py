"""Saving a reviewed proposal: validated first, then the meeting and all it holds written and audited at once."""

from __future__ import annotations

from datetime import date

import duckdb

from assurance.core.deadlines import read_deadline
from assurance.domain.access import who
from assurance.domain.commitments.meeting_file import load_meeting
from assurance.domain.commitments.minutes.checks import FIELDS, as_float, as_int, blank, validate
from assurance.sources.minutes.model import IMPORTED_BY, ProposalInvalid
from assurance.store import queries
from assurance.store.audit import audit
from assurance.store.transaction import Tx, transaction


def _normalised(proposal: dict) -> dict:
    """The proposal with numbers as numbers and blanks as None, ready for load_meeting_file."""

    def plain_value(value):
        if blank(value):
            return None
        if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars from a data editor
            value = value.item()
        return value.strip() if isinstance(value, str) else value

    def clean(row: dict, section: str) -> dict:
        """Every field of the section (None when absent, so load_meeting_file has each parameter); no others."""
        return {k: plain_value(row.get(k)) for k in FIELDS[section]}

    out = clean(proposal, "meeting")
    out["attendees"] = [clean(a, "attendees") for a in proposal.get("attendees") or []]
    out["agenda"] = [clean(a, "agenda") for a in proposal.get("agenda") or []]
    out["actions"] = [
        clean(a, "actions") | {"agenda_item": as_int(a.get("agenda_item"))} for a in proposal.get("actions") or []
    ]
    out["recommendations"] = [
        clean(r, "recommendations") | {"number": as_int(r.get("number")), "status": r.get("status", "in progress")}
        for r in proposal.get("recommendations") or []
    ]
    out["pledges"] = [
        clean(p, "pledges") | {"horizon_months": as_int(p.get("horizon_months"))} for p in proposal.get("pledges") or []
    ]
    out["claims"] = [
        clean(c, "claims")
        | {"stated_value": as_float(c.get("stated_value")), "tolerance": as_float(c.get("tolerance"))}
        for c in proposal.get("claims") or []
    ]
    return out


def apply(con: duckdb.DuckDBPyConnection, proposal: dict, *, changed_by: str = IMPORTED_BY) -> str:
    """Validate, then save the meeting and everything accepted in it in ONE transaction; return the meeting id.

    Raises ProposalInvalid (listing every problem) before anything is written. A recommendation already held
    (same report and number) is updated with this meeting's response and deadline rather than duplicated.
    """
    changed_by = who(changed_by)
    problems = validate(proposal, con)
    if problems:
        raise ProposalInvalid(problems)
    meeting = _normalised(proposal)
    held_on = date.fromisoformat(meeting["held_on"])
    with transaction(con) as tx:
        existing, new = [], []
        for rec in meeting["recommendations"]:
            found = queries.value(tx, "recommendation_id", report=rec["report"], number=rec["number"])
            (existing if found is not None else new).append((found, rec))
        mid = load_meeting(tx, meeting | {"recommendations": [r for _, r in new]})
        updates = []
        for rec_id, rec in existing:
            found = read_deadline(rec["deadline_text"], held_on)
            new_values = {
                "force_response": rec["force_response"],
                "deadline_text": rec["deadline_text"],
                "deadline_date": found.day if found else None,
                "deadline_approximate": found.approximate if found else None,
                "meeting_id": mid,
            }
            old_values = dict(zip(new_values, queries.one(tx, "recommendation_response", id=rec_id), strict=True))
            tx.execute("update_recommendation_response", id=rec_id, **new_values)
            updates += [
                (rec_id, field, old_values[field], value)
                for field, value in new_values.items()
                if old_values[field] != value
            ]
        _audit_import(tx, mid, changed_by, {rec_id for rec_id, _ in existing}, updates)
    return mid


def _audit_import(tx: Tx, mid: str, changed_by: str, updated: set[int], updates: list[tuple]) -> None:
    """Record everything the import created (the meeting, its actions, new recommendations, pledges and figures
    quoted) and every field it changed on a recommendation already held, old and new, in the audit trail."""
    created = [("meeting", mid, "title", queries.value(tx, "meeting_title", meeting_id=mid))]
    created += [
        (entity, str(entity_id), field, value)
        for entity, entity_id, field, value in queries.rows(tx, "created_in_meeting", meeting_id=mid)
        if not (entity == "recommendation" and entity_id in updated)
    ]
    for entity, entity_id, field, value in created:
        audit(tx, entity, entity_id, "create", changed_by, field, None, value)
    for rec_id, field, old, new in updates:
        audit(tx, "recommendation", rec_id, "update", changed_by, field, old, new)


def saved_counts(proposal: dict) -> dict[str, int]:
    """How many of each kind of item a proposal holds (for 'what was saved' messages)."""
    return {
        key: len(proposal.get(key) or [])
        for key in ("attendees", "agenda", "actions", "recommendations", "pledges", "claims")
    }
