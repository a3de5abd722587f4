"""Describe a proposal for the terminal; validate it against the database; apply it in one transaction."""

from __future__ import annotations

import math
import re
from datetime import date

import duckdb

from assurance.core.deadlines import action_deadline, deadline_label, pledge_deadline, read_deadline
from assurance.core.periods import PeriodError, Quarter
from assurance.domain.access import who
from assurance.domain.commitments.meeting_file import load_meeting
from assurance.sources.minutes.model import (
    COMPARISONS,
    DIRECTIONS,
    IMPORTED_BY,
    LOOSE_DEADLINE_NOTE,
    PERIODS,
    RECOMMENDATION_STATUSES,
    Proposal,
    ProposalInvalid,
)
from assurance.store import queries
from assurance.store.audit import audit
from assurance.store.transaction import Tx, transaction

# --------------------------------------------------------------------------- describe, validate, apply


def describe(proposal: Proposal) -> str:
    """A readable summary of a proposal for the terminal."""
    m = proposal.meeting
    lines = [
        f"Meeting: {m.id or '(no date)'} — {m.title}",
        f"  held on {m.held_on or 'unknown'} {m.starts_at or ''} · kind {m.kind} · performance discussed "
        f"{m.quarter_discussed or 'unknown'}",
        f"  chair {m.chair or '–'} · minutes {m.minute_taker or '–'}",
        f"Attendees ({len(proposal.attendees)}):",
        *[f"  - {a.name} – {a.role} ({a.abbreviation}) [{a.organisation or '–'}]" for a in proposal.attendees],
        f"Agenda ({len(proposal.agenda)}):",
        *[f"  {i}. {a.title}" for i, a in enumerate(proposal.agenda, start=1)],
        f"Actions ({len(proposal.actions)}):",
        *[
            f"  {i}. [{a.owner or 'NO OWNER'}] {a.text}"
            + (
                f"\n     due: {_due(a.__dict__, m.held_on)}"
                + (f" ({a.due_meeting_quarter})" if a.due_meeting_quarter else "")
                if a.due_text
                else ""
            )
            for i, a in enumerate(proposal.actions, start=1)
        ],
        f"Recommendations ({len(proposal.recommendations)}):",
    ]
    for r in proposal.recommendations:
        found = read_deadline(r.deadline_text, m.held_on) if m.held_on else None
        lines.append(
            f"  {r.number}. {r.subject} — deadline {_label(found, r.deadline_text)} ({r.report or 'report unknown'})"
        )
    lines.append(f"Pledges ({len(proposal.pledges)}):")
    lines += [
        f"  - [{p.owner or '–'}] {p.text} → {p.area} {p.metric} {p.direction} over {p.horizon_months or '?'} months"
        + (
            f", by {_label(pledge_deadline(m.held_on, p.horizon_months), p.deadline_text)}"
            if m.held_on and p.horizon_months
            else ""
        )
        for p in proposal.pledges
    ]
    lines.append(f"Claims ({len(proposal.claims)}):")
    lines += [
        f"  - [{c.speaker or '–'}] {c.text} → {c.metric} {c.area} {c.quarter} {c.period} {c.comparison} "
        f"{c.stated_value:+g} (±{c.tolerance:g})"
        for c in proposal.claims
    ]
    if proposal.warnings:
        lines.append(f"Warnings ({len(proposal.warnings)}):")
        lines += [f"  ! {w}" for w in proposal.warnings]
    lines.append("Deadlines: " + LOOSE_DEADLINE_NOTE)
    return "\n".join(lines)


def _label(found, words: str | None) -> str:
    """'31 Jan 2025 (approx.) — “end of Jan 2025”', as the pages show it."""
    return deadline_label(found.day if found else None, found.approximate if found else False, words)


def _due(action: dict, held_on: date | None) -> str:
    if action.get("due_meeting_quarter") or held_on is None:
        return str(action.get("due_text"))
    return _label(action_deadline(action, held_on), action.get("due_text"))


def known_codes(con: duckdb.DuckDBPyConnection | Tx) -> tuple[list[str], list[str]]:
    """(area codes, metric codes) held in the database, in display order."""
    return [r[0] for r in queries.rows(con, "area_codes")], [r[0] for r in queries.rows(con, "metric_codes")]


def _blank(value) -> bool:
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def _check_quarter(value, where: str, problems: list[str], required: bool = True) -> None:
    if _blank(value):
        if required:
            problems.append(f"{where}: the quarter is missing (write it like 2024/25 Q2)")
        return
    try:
        Quarter.parse(str(value))
    except PeriodError as exc:
        problems.append(f"{where}: {exc}")


def _check_date(value, where: str, problems: list[str]) -> None:
    if _blank(value):
        problems.append(f"{where} is missing (YYYY-MM-DD)")
        return
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            raise ValueError(value)
        day = date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: {str(value)[:40]!r} is not a date (YYYY-MM-DD)")
        return
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        problems.append(f"{where}: {day.isoformat()} is not a year from {FIRST_YEAR} to {LAST_YEAR}")


def _as_int(value) -> int | None:
    number = _as_float(value)
    return int(number) if number is not None and number == int(number) else None


def _as_float(value) -> float | None:
    """A finite number, else None (NaN and infinity are not figures anyone stated)."""
    if _blank(value) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


# Every field of a record, by section; the meeting's own fields under "meeting". Anything else is dropped.
FIELDS = {
    "meeting": (
        "id", "held_on", "starts_at", "title", "kind", "quarter_discussed", "chair", "minute_taker", "source_document",
    ),
    "attendees": ("name", "role", "abbreviation", "organisation"),
    "agenda": ("title", "notes"),
    "actions": (
        "text", "owner", "agenda_item", "due_text", "due_meeting_kind", "due_meeting_quarter", "metric", "area",
    ),
    "recommendations": (
        "report", "report_published", "number", "subject", "text", "force_response", "deadline_text", "status",
        "evidence",
    ),
    "pledges": ("owner", "text", "area", "metric", "direction", "horizon_months", "deadline_text"),
    "claims": ("speaker", "text", "metric", "area", "quarter", "period", "comparison", "stated_value", "tolerance"),
}  # fmt: skip
NUMBER_FIELDS = {"agenda_item", "number", "horizon_months", "stated_value", "tolerance"}
SECTION_LABELS = {
    "attendees": "Attendee",
    "agenda": "Agenda item",
    "actions": "Action",
    "recommendations": "Recommendation",
    "pledges": "Pledge",
    "claims": "Claim",
}
FIRST_YEAR, LAST_YEAR = 1990, 2100  # meeting and report dates
MAX_HORIZON_MONTHS = 120
MAX_RECOMMENDATION_NUMBER = 9999


def _shape_problems(proposal: dict) -> list[str]:
    """Sections that are not lists of records, and fields that are not text (or a number where one is wanted).

    The review page and the command hand over JSON-like data; anything else is refused here, before a
    check below could trip over it or the database be asked to store a list as a title.
    """
    problems = []

    def check_fields(record: dict, section: str, where: str) -> None:
        for key in FIELDS[section]:
            value = record.get(key)
            if _blank(value):
                continue
            if key in NUMBER_FIELDS:
                if isinstance(value, bool) or not isinstance(value, str | int | float) and not hasattr(value, "item"):
                    problems.append(f"{where}: the {key.replace('_', ' ')} must be a number")
            elif not isinstance(value, str):
                problems.append(f"{where}: the {key.replace('_', ' ')} must be text, not {type(value).__name__}")

    check_fields(proposal, "meeting", "Meeting")
    for section, label in SECTION_LABELS.items():
        rows = proposal.get(section)
        if rows is None:
            continue
        if not isinstance(rows, list):
            problems.append(f"Meeting: the {section} must be a list of records, not {type(rows).__name__}")
            continue
        for i, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                problems.append(f"{label} {i}: not a record of fields ({', '.join(FIELDS[section])})")
            else:
                check_fields(row, section, f"{label} {i}")
    return problems


def validate(proposal: dict, con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every problem that stops a proposal (in the data/meetings JSON format) from being saved; [] when none."""
    problems: list[str] = []
    if not isinstance(proposal, dict):
        return ["The proposal is not a meeting record"]
    shape = _shape_problems(proposal)
    if shape:
        return shape
    areas, metrics = known_codes(con)
    mid = proposal.get("id")
    if _blank(mid):
        problems.append("Meeting: the id is missing (it is made from the meeting date: enter the date)")
    elif not re.fullmatch(r"\d{4}-\d{2}-\d{2}-[a-z0-9][a-z0-9-]*", str(mid)):
        problems.append(f"Meeting: the id {str(mid)[:60]!r} should look like 2024-11-27-aa-performance")
    elif queries.value(con, "meeting_exists", meeting_id=mid):
        problems.append(f"Meeting {mid} is already in the database")
    _check_date(proposal.get("held_on"), "Meeting: the date", problems)
    for key, label in (("title", "title"), ("kind", "kind")):
        if _blank(proposal.get(key)):
            problems.append(f"Meeting: the {label} is missing")
    pledges = proposal.get("pledges") or []
    _check_quarter(proposal.get("quarter_discussed"), "Meeting: quarter discussed", problems, required=bool(pledges))
    for i, a in enumerate(proposal.get("attendees") or [], start=1):
        for key in ("name", "role"):
            if _blank(a.get(key)):
                problems.append(f"Attendee {i}: the {key} is missing")
    agenda = proposal.get("agenda") or []
    for i, a in enumerate(agenda, start=1):
        if _blank(a.get("title")):
            problems.append(f"Agenda item {i}: the title is missing")
    for i, a in enumerate(proposal.get("actions") or [], start=1):
        where = f"Action {i}"
        if _blank(a.get("text")):
            problems.append(f"{where}: the text is missing")
        if _blank(a.get("owner")):
            problems.append(f"{where}: the owner is missing (e.g. T/CC)")
        item = a.get("agenda_item")
        if not _blank(item) and not (_as_int(item) and 1 <= _as_int(item) <= len(agenda)):
            problems.append(f"{where}: agenda item {item} is not on the agenda (1–{len(agenda)})")
        _check_quarter(a.get("due_meeting_quarter"), f"{where}: due meeting quarter", problems, required=False)
        if not _blank(a.get("area")) and a.get("area") not in areas:
            problems.append(f"{where}: unknown area {str(a.get('area'))[:40]!r} (one of {', '.join(areas)})")
        if not _blank(a.get("metric")) and a.get("metric") not in metrics:
            problems.append(f"{where}: unknown metric {str(a.get('metric'))[:40]!r}")
    seen: set[tuple] = set()
    for i, r in enumerate(proposal.get("recommendations") or [], start=1):
        where = f"Recommendation {r.get('number') if not _blank(r.get('number')) else i}"
        if _blank(r.get("report")):
            problems.append(f"{where}: the report's title is missing")
        number = _as_int(r.get("number"))
        if number is None:
            problems.append(f"{where}: the number is missing")
        elif not 1 <= number <= MAX_RECOMMENDATION_NUMBER:
            problems.append(f"{where}: the number must be from 1 to {MAX_RECOMMENDATION_NUMBER}")
        if _blank(r.get("subject")):
            problems.append(f"{where}: the subject is missing")
        _check_date(r.get("report_published"), f"{where}: the report's publication date", problems)
        if r.get("status", "in progress") not in RECOMMENDATION_STATUSES:
            problems.append(f"{where}: status must be one of {', '.join(RECOMMENDATION_STATUSES)}")
        key = (r.get("report"), _as_int(r.get("number")))
        if key in seen:
            problems.append(f"{where}: listed twice for the same report")
        seen.add(key)
    for i, p in enumerate(pledges, start=1):
        where = f"Pledge {i}"
        for key in ("owner", "text"):
            if _blank(p.get(key)):
                problems.append(f"{where}: the {key} is missing")
        if p.get("area") not in areas:
            problems.append(f"{where}: unknown area {str(p.get('area'))[:40]!r} (one of {', '.join(areas)})")
        if p.get("metric") not in metrics:
            problems.append(f"{where}: unknown metric {str(p.get('metric'))[:40]!r}")
        if p.get("direction") not in DIRECTIONS:
            problems.append(f"{where}: direction must be increase or decrease")
        horizon = _as_int(p.get("horizon_months"))
        if horizon is None or horizon <= 0:
            problems.append(f"{where}: the time frame in months is missing")
        elif horizon > MAX_HORIZON_MONTHS:
            problems.append(f"{where}: a time frame of {horizon} months; at most {MAX_HORIZON_MONTHS} (ten years)")
    for i, c in enumerate(proposal.get("claims") or [], start=1):
        where = f"Claim {i}"
        if _blank(c.get("text")):
            problems.append(f"{where}: the text is missing")
        if c.get("area") not in areas:
            problems.append(f"{where}: unknown area {str(c.get('area'))[:40]!r} (one of {', '.join(areas)})")
        if c.get("metric") not in metrics:
            problems.append(f"{where}: unknown metric {str(c.get('metric'))[:40]!r}")
        _check_quarter(c.get("quarter"), where, problems)
        if c.get("period") not in PERIODS:
            problems.append(f"{where}: period must be one of {', '.join(PERIODS)}")
        if c.get("comparison") not in COMPARISONS:
            problems.append(f"{where}: comparison must be one of {', '.join(COMPARISONS)}")
        if _as_float(c.get("stated_value")) is None:
            problems.append(f"{where}: the stated value is not a number")
        tolerance = _as_float(c.get("tolerance"))
        if tolerance is None or tolerance < 0:
            problems.append(f"{where}: the tolerance must be a number ≥ 0")
    return problems


def _normalised(proposal: dict) -> dict:
    """The proposal with numbers as numbers and blanks as None, ready for load_meeting_file."""

    def plain_value(value):
        if _blank(value):
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
        clean(a, "actions") | {"agenda_item": _as_int(a.get("agenda_item"))} for a in proposal.get("actions") or []
    ]
    out["recommendations"] = [
        clean(r, "recommendations") | {"number": _as_int(r.get("number")), "status": r.get("status", "in progress")}
        for r in proposal.get("recommendations") or []
    ]
    out["pledges"] = [
        clean(p, "pledges") | {"horizon_months": _as_int(p.get("horizon_months"))}
        for p in proposal.get("pledges") or []
    ]
    out["claims"] = [
        clean(c, "claims")
        | {"stated_value": _as_float(c.get("stated_value")), "tolerance": _as_float(c.get("tolerance"))}
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
