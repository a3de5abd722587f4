"""A meeting record (``data/meetings/*.json``, or minutes a person accepted) written into the database.

The record's deadlines are always read again from their words and the meeting's date by the one reader
(``assurance.core.deadlines``), so the words and the dates can never disagree; a record's own ``deadline`` fields
(written by ``minutes --json``) are there for a person to read. Runs inside the caller's transaction.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from assurance.core.deadlines import (
    Deadline,
    action_deadline,
    horizon_phrase,
    pledge_deadline,
    pledge_due_quarter,
    read_deadline,
)
from assurance.store import queries
from assurance.store.transaction import Tx

# The fields of each commitment a meeting record gives the database (the dates are worked out here, not read).
ACTION_FIELDS = (
    "text",
    "owner",
    "agenda_item",
    "due_text",
    "due_meeting_kind",
    "due_meeting_quarter",
    "metric",
    "area",
)
RECOMMENDATION_FIELDS = ("report", "number", "subject", "text", "force_response", "deadline_text", "status", "evidence")
PLEDGE_FIELDS = ("owner", "text", "area", "metric", "direction", "horizon_months")
MEETING_FIELDS = ("id", "starts_at", "title", "kind", "quarter_discussed", "chair", "minute_taker", "source_document")


def date_and_flag(found: Deadline | None) -> tuple[date | None, bool | None]:
    """(date, approximate) for the database: (None, None) when there is no date."""
    return (found.day, found.approximate) if found else (None, None)


def load_meeting(tx: Tx, meeting: dict) -> str:
    """Write a meeting and its commitments, unless a meeting with its id is held (edits in the app are kept)."""
    mid = meeting["id"]
    if queries.value(tx, "meeting_exists", meeting_id=mid):
        return mid
    held_on = date.fromisoformat(meeting["held_on"])
    tx.execute("insert_meeting", held_on=held_on, **{k: meeting[k] for k in MEETING_FIELDS})
    tx.executemany(
        "insert_attendee",
        [
            {
                "meeting_id": mid,
                "position": i,
                **{k: a.get(k) for k in ("name", "role", "abbreviation", "organisation")},
            }
            for i, a in enumerate(meeting["attendees"], start=1)
        ],
    )
    tx.executemany(
        "insert_agenda_item",
        [
            {"meeting_id": mid, "position": i, "title": a["title"], "notes": a.get("notes")}
            for i, a in enumerate(meeting["agenda"], start=1)
        ],
    )
    tx.executemany(
        "insert_recorded_action",
        [
            {"meeting_id": mid, "position": i, **{k: a.get(k) for k in ACTION_FIELDS}}
            | dict(zip(("due_date", "due_date_approximate"), date_and_flag(action_deadline(a, held_on)), strict=True))
            for i, a in enumerate(meeting["actions"], start=1)
        ],
    )
    tx.executemany(
        "insert_recorded_recommendation",
        [
            {**{k: rec.get(k) for k in RECOMMENDATION_FIELDS}, "meeting_id": mid}
            | {"report_published": date.fromisoformat(rec["report_published"])}
            | dict(
                zip(
                    ("deadline_date", "deadline_approximate"),
                    date_and_flag(read_deadline(rec.get("deadline_text"), held_on)),
                    strict=True,
                )
            )
            for rec in meeting["recommendations"]
        ],
    )
    tx.executemany(
        "insert_recorded_pledge",
        [
            {"meeting_id": mid, **{k: p.get(k) for k in PLEDGE_FIELDS}}
            | {
                "baseline_quarter": meeting["quarter_discussed"],
                "due_quarter": pledge_due_quarter(held_on, p["horizon_months"]).label,
                # The time frame as said; older files without it: as written in the pledge itself.
                "deadline_text": p.get("deadline_text") or horizon_phrase(p["text"]),
            }
            | dict(
                zip(
                    ("deadline_date", "deadline_approximate"),
                    date_and_flag(pledge_deadline(held_on, p["horizon_months"])),
                    strict=True,
                )
            )
            for p in meeting["pledges"]
        ],
    )
    tx.executemany(
        "insert_recorded_claim",
        [
            {"meeting_id": mid}
            | {
                k: c.get(k)
                for k in (
                    "speaker",
                    "text",
                    "metric",
                    "area",
                    "quarter",
                    "period",
                    "comparison",
                    "stated_value",
                    "tolerance",
                )  # fmt: skip
            }
            for c in meeting["claims"]
        ],
    )
    return mid


def load_meeting_file(tx: Tx, path: Path) -> str:
    """``load_meeting`` for a JSON file in the data/meetings format. Returns the meeting id."""
    return load_meeting(tx, json.loads(Path(path).read_text(encoding="utf-8")))


def _approximate(text: str | None, day: date, said_on: date) -> bool:
    """Whether a date held beside these words is their loose reading ('spring' -> 31 May), not a day typed in."""
    found = read_deadline(text, said_on)
    return bool(found and found.approximate and (found.day.month, found.day.day) == (day.month, day.day))


def fill_deadlines(tx: Tx) -> None:
    """Fill migration 6's columns for the rows already held, reading their words as a new row's are read.

    A date held beside loose words is approximate when it is what they resolve to (a date typed in over them is
    exact). An action with a date in its words but none held (added in the tracker before actions' words were
    read) gets it, resolved from the meeting that raised it. A pledge's deadline is the end of its time frame.
    """
    tx.executemany(
        "set_recommendation_approximate",
        [
            {"id": i, "approximate": _approximate(text, day, said_on)}
            for i, text, day, said_on in queries.rows(tx, "dated_recommendations")
        ],
    )
    updates = []
    for i, text, day, quarter, held_on in queries.rows(tx, "actions_with_meeting_dates"):
        if day is not None:
            updates.append({"id": i, "day": day, "approximate": _approximate(text, day, held_on)})
        elif not quarter and (found := read_deadline(text, held_on)):
            updates.append({"id": i, "day": found.day, "approximate": found.approximate})
    tx.executemany("set_action_due", updates)
    updates = []
    for i, text, horizon, held_on in queries.rows(tx, "pledges_with_meeting_dates"):
        day, approximate = date_and_flag(pledge_deadline(held_on, horizon))
        updates.append({"id": i, "text": horizon_phrase(text), "day": day, "approximate": approximate})
    tx.executemany("set_pledge_deadline", updates)
