"""Meetings and the commitments made in them: actions, HMICFRS recommendations, pledges, claims.

Deadlines are kept as written ("spring 2025", "31st of Mar 25") beside the date they
resolve to, so the words of the meeting are never lost to a guess.
"""

from __future__ import annotations

import calendar
import json
import re
from datetime import date
from pathlib import Path

import duckdb

from assurance.periods import Quarter

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {calendar.month_name[number].lower(), calendar.month_abbr[number].lower()}
}
_MONTHS["sept"] = 9
# A season resolves to its last day (meteorological seasons): a deadline is the end of the period.
_SEASON_END = {"spring": (5, 31), "summer": (8, 31), "autumn": (11, 30), "fall": (11, 30)}
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}\b\.?(?:\s+(?P<year>\d{{4}}|\d{{2}}))?\b"
)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\b\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?(?:\s+(?P<year>\d{{4}}))?\b")
_MONTH_YEAR = re.compile(rf"\b(?:(?P<end>end\s+of)\s+)?{_MONTH}\b\.?\s+(?P<year>\d{{4}})\b")
_SEASON = re.compile(r"\b(?P<season>spring|summer|autumn|fall|winter)\s+(?P<year>\d{4})\b")
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_UK = re.compile(r"\b(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4}|\d{2})\b")


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def resolve_deadline(text: str | None, said_on: date) -> date | None:
    """The date a deadline as written resolves to; None when it cannot be read.

    A day and month without a year is the next such date on or after the day it was said;
    "end of Jan 2025" and "January 2025" are the month's last day; a season is its last day
    (spring: 31 May; summer: 31 Aug; autumn: 30 Nov; winter: the end of February following).
    """
    if not text:
        return None
    words = text.strip().lower()
    try:
        if match := _ISO.search(words):
            return date(int(match["year"]), int(match["month"]), int(match["day"]))
        if match := _UK.search(words):
            return date(_year(match["year"]), int(match["month"]), int(match["day"]))
        if match := _DAY_MONTH.search(words):
            month = _MONTHS[match["month"]]
            day = int(match["day"])
            year = _year(match["year"])
            if year is None:
                year = said_on.year
                if date(year, month, day) < said_on:
                    year += 1
            return date(year, month, day)
        if (match := _MONTH_DAY.search(words)) and not _MONTH_YEAR.search(words):
            month, day = _MONTHS[match["month"]], int(match["day"])
            year = _year(match["year"])
            if year is None:
                year = said_on.year + (1 if date(said_on.year, month, day) < said_on else 0)
            return date(year, month, day)
        if match := _MONTH_YEAR.search(words):
            return _month_end(int(match["year"]), _MONTHS[match["month"]])
        if match := _SEASON.search(words):
            year = int(match["year"])
            if match["season"] == "winter":
                return _month_end(year + 1, 2)
            month, day = _SEASON_END[match["season"]]
            return date(year, month, day)
    except ValueError:
        return None
    return None


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def pledge_due_quarter(said_on: date, horizon_months: int) -> Quarter:
    """The quarter whose data shows whether a pledge 'over the next N months' was kept."""
    return Quarter.containing(add_months(said_on, horizon_months))


def _insert_many(con: duckdb.DuckDBPyConnection, sql: str, rows: list[dict]) -> None:
    """executemany, except that a meeting with no pledges (say) inserts nothing rather than failing."""
    if rows:
        con.executemany(sql, rows)


def _action_due(action: dict, held_on: date) -> date | None:
    """An action due at a named future meeting has no date until that meeting is scheduled."""
    if action.get("due_meeting_quarter"):
        return None
    return resolve_deadline(action.get("due_text"), held_on)


def load_meeting_file(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """Load a meeting and its commitments from a JSON file, unless that meeting is already held.

    An existing meeting is left alone, so edits made in the app are never overwritten.
    Runs inside the caller's transaction. Returns the meeting id.
    """
    meeting = json.loads(Path(path).read_text(encoding="utf-8"))
    mid = meeting["id"]
    held_on = date.fromisoformat(meeting["held_on"])
    exists = con.execute("SELECT count(*) FROM meetings WHERE id = $mid", {"mid": mid}).fetchone()[0]
    if exists:
        return mid
    con.execute(
        "INSERT INTO meetings (id, held_on, starts_at, title, kind, quarter_discussed, chair, minute_taker,"
        " source_document, status) VALUES ($id, $held_on, $starts_at, $title, $kind, $quarter_discussed, $chair,"
        " $minute_taker, $source_document, 'held')",
        {
            k: meeting[k]
            for k in (
                "id",
                "starts_at",
                "title",
                "kind",
                "quarter_discussed",
                "chair",
                "minute_taker",
                "source_document",
            )
        }
        | {"held_on": held_on},
    )
    _insert_many(
        con,
        "INSERT INTO attendees (meeting_id, position, name, role, abbreviation, organisation)"
        " VALUES ($mid, $position, $name, $role, $abbreviation, $organisation)",
        [{"mid": mid, "position": i, **a} for i, a in enumerate(meeting["attendees"], start=1)],
    )
    _insert_many(
        con,
        "INSERT INTO agenda_items (meeting_id, position, title, notes) VALUES ($mid, $position, $title, $notes)",
        [{"mid": mid, "position": i, **a} for i, a in enumerate(meeting["agenda"], start=1)],
    )
    _insert_many(
        con,
        "INSERT INTO actions (meeting_id, position, text, owner, agenda_item, due_text, due_meeting_kind,"
        " due_meeting_quarter, due_date, status, metric, area) VALUES ($mid, $position, $text, $owner, $agenda_item,"
        " $due_text, $due_meeting_kind, $due_meeting_quarter, $due_date, 'open', $metric, $area)",
        [
            {"metric": None, "area": None, "mid": mid, "position": i, "due_date": _action_due(a, held_on), **a}
            for i, a in enumerate(meeting["actions"], start=1)
        ],
    )
    _insert_many(
        con,
        "INSERT INTO recommendations (report, report_published, number, subject, text, force_response, deadline_text,"
        " deadline_date, status, evidence, meeting_id) VALUES ($report, $report_published, $number, $subject, $text,"
        " $force_response, $deadline_text, $deadline_date, $status, $evidence, $mid)",
        [
            {
                "text": None,
                "evidence": None,
                **rec,
                "report_published": date.fromisoformat(rec["report_published"]),
                "deadline_date": resolve_deadline(rec["deadline_text"], held_on),
                "mid": mid,
            }
            for rec in meeting["recommendations"]
        ],
    )
    baseline = meeting["quarter_discussed"]
    _insert_many(
        con,
        "INSERT INTO pledges (meeting_id, owner, text, area, metric, direction, horizon_months, baseline_quarter,"
        " due_quarter) VALUES ($mid, $owner, $text, $area, $metric, $direction, $horizon_months, $baseline,"
        " $due_quarter)",
        [
            {
                "mid": mid,
                **p,
                "baseline": baseline,
                "due_quarter": pledge_due_quarter(held_on, p["horizon_months"]).label,
            }
            for p in meeting["pledges"]
        ],
    )
    _insert_many(
        con,
        "INSERT INTO claims (meeting_id, speaker, text, metric, area, quarter, period, comparison, stated_value,"
        " tolerance) VALUES ($mid, $speaker, $text, $metric, $area, $quarter, $period, $comparison, $stated_value,"
        " $tolerance)",
        [{"mid": mid, **c} for c in meeting["claims"]],
    )
    return mid


def as_date(value) -> date | None:
    """A date from a database value, or None for NULL/NaT."""
    if value is None:
        return None
    try:
        if value != value:  # NaN / NaT
            return None
    except TypeError:
        pass
    if hasattr(value, "date") and callable(value.date):
        return value.date()
    return value if isinstance(value, date) else None


def date_text(value) -> str:
    day = as_date(value)
    return f"{day.day} {day:%b %Y}" if day else "–"


def deadline_state(deadline, today: date) -> str:
    """How a deadline stands today, in words: 'overdue by 12 days', 'due today', '40 days left'."""
    day = as_date(deadline)
    if day is None:
        return "date not resolved"
    days = (day - today).days
    if days < 0:
        return f"overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "due today"
    return f"{days} day{'s' if days != 1 else ''} left"
