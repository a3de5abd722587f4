"""Every problem that stops a proposal (in the data/meetings JSON format) from being saved, each naming its place.

The review page and the command hand over JSON-like data a person may have edited: the shape is checked first
(lists of records, text where text is wanted), then each section's fields against the rules and the database's
areas and metrics. Nothing here writes.
"""

from __future__ import annotations

import math
import re
from datetime import date

import duckdb

from assurance.core.periods import PeriodError, Quarter
from assurance.sources.minutes.model import COMPARISONS, DIRECTIONS, PERIODS, RECOMMENDATION_STATUSES
from assurance.store import queries
from assurance.store.transaction import Tx


def known_codes(con: duckdb.DuckDBPyConnection | Tx) -> tuple[list[str], list[str]]:
    """(area codes, metric codes) held in the database, in display order."""
    return [r[0] for r in queries.rows(con, "area_codes")], [r[0] for r in queries.rows(con, "metric_codes")]


def blank(value) -> bool:
    """Whether a value counts as not given: None, NaN, NaT, pandas NA or blank text (a data editor gives all of them)."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def _check_quarter(value, where: str, problems: list[str], required: bool = True) -> None:
    if blank(value):
        if required:
            problems.append(f"{where}: the quarter is missing (write it like 2024/25 Q2)")
        return
    try:
        Quarter.parse(str(value))
    except PeriodError as exc:
        problems.append(f"{where}: {exc}")


def _check_date(value, where: str, problems: list[str]) -> None:
    if blank(value):
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


def as_int(value) -> int | None:
    """A whole number, else None."""
    number = as_float(value)
    return int(number) if number is not None and number == int(number) else None


def as_float(value) -> float | None:
    """A finite number, else None (NaN and infinity are not figures anyone stated)."""
    if blank(value) or isinstance(value, bool):
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
            if blank(value):
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
    if blank(mid):
        problems.append("Meeting: the id is missing (it is made from the meeting date: enter the date)")
    elif not re.fullmatch(r"\d{4}-\d{2}-\d{2}-[a-z0-9][a-z0-9-]*", str(mid)):
        problems.append(f"Meeting: the id {str(mid)[:60]!r} should look like 2024-11-27-aa-performance")
    elif queries.value(con, "meeting_exists", meeting_id=mid):
        problems.append(f"Meeting {mid} is already in the database")
    _check_date(proposal.get("held_on"), "Meeting: the date", problems)
    for key, label in (("title", "title"), ("kind", "kind")):
        if blank(proposal.get(key)):
            problems.append(f"Meeting: the {label} is missing")
    pledges = proposal.get("pledges") or []
    _check_quarter(proposal.get("quarter_discussed"), "Meeting: quarter discussed", problems, required=bool(pledges))
    for i, a in enumerate(proposal.get("attendees") or [], start=1):
        for key in ("name", "role"):
            if blank(a.get(key)):
                problems.append(f"Attendee {i}: the {key} is missing")
    agenda = proposal.get("agenda") or []
    for i, a in enumerate(agenda, start=1):
        if blank(a.get("title")):
            problems.append(f"Agenda item {i}: the title is missing")
    for i, a in enumerate(proposal.get("actions") or [], start=1):
        where = f"Action {i}"
        if blank(a.get("text")):
            problems.append(f"{where}: the text is missing")
        if blank(a.get("owner")):
            problems.append(f"{where}: the owner is missing (e.g. T/CC)")
        item = a.get("agenda_item")
        if not blank(item) and not (as_int(item) and 1 <= as_int(item) <= len(agenda)):
            problems.append(f"{where}: agenda item {item} is not on the agenda (1–{len(agenda)})")
        _check_quarter(a.get("due_meeting_quarter"), f"{where}: due meeting quarter", problems, required=False)
        if not blank(a.get("area")) and a.get("area") not in areas:
            problems.append(f"{where}: unknown area {str(a.get('area'))[:40]!r} (one of {', '.join(areas)})")
        if not blank(a.get("metric")) and a.get("metric") not in metrics:
            problems.append(f"{where}: unknown metric {str(a.get('metric'))[:40]!r}")
    seen: set[tuple] = set()
    for i, r in enumerate(proposal.get("recommendations") or [], start=1):
        where = f"Recommendation {r.get('number') if not blank(r.get('number')) else i}"
        if blank(r.get("report")):
            problems.append(f"{where}: the report's title is missing")
        number = as_int(r.get("number"))
        if number is None:
            problems.append(f"{where}: the number is missing")
        elif not 1 <= number <= MAX_RECOMMENDATION_NUMBER:
            problems.append(f"{where}: the number must be from 1 to {MAX_RECOMMENDATION_NUMBER}")
        if blank(r.get("subject")):
            problems.append(f"{where}: the subject is missing")
        _check_date(r.get("report_published"), f"{where}: the report's publication date", problems)
        if r.get("status", "in progress") not in RECOMMENDATION_STATUSES:
            problems.append(f"{where}: status must be one of {', '.join(RECOMMENDATION_STATUSES)}")
        key = (r.get("report"), as_int(r.get("number")))
        if key in seen:
            problems.append(f"{where}: listed twice for the same report")
        seen.add(key)
    for i, p in enumerate(pledges, start=1):
        where = f"Pledge {i}"
        for key in ("owner", "text"):
            if blank(p.get(key)):
                problems.append(f"{where}: the {key} is missing")
        if p.get("area") not in areas:
            problems.append(f"{where}: unknown area {str(p.get('area'))[:40]!r} (one of {', '.join(areas)})")
        if p.get("metric") not in metrics:
            problems.append(f"{where}: unknown metric {str(p.get('metric'))[:40]!r}")
        if p.get("direction") not in DIRECTIONS:
            problems.append(f"{where}: direction must be increase or decrease")
        horizon = as_int(p.get("horizon_months"))
        if horizon is None or horizon <= 0:
            problems.append(f"{where}: the time frame in months is missing")
        elif horizon > MAX_HORIZON_MONTHS:
            problems.append(f"{where}: a time frame of {horizon} months; at most {MAX_HORIZON_MONTHS} (ten years)")
    for i, c in enumerate(proposal.get("claims") or [], start=1):
        where = f"Claim {i}"
        if blank(c.get("text")):
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
        if as_float(c.get("stated_value")) is None:
            problems.append(f"{where}: the stated value is not a number")
        tolerance = as_float(c.get("tolerance"))
        if tolerance is None or tolerance < 0:
            problems.append(f"{where}: the tolerance must be a number ≥ 0")
    return problems
