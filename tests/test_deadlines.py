"""Deadlines: the one reader of deadline words, the one way a resolved deadline is written, and where they are kept.

Issue 14, section 2: each recommendation, action and pledge with a deadline carries the words as written
and the ISO date they resolve to, marked when approximate, in `minutes --json`, the seeded meeting file and
the database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from assurance.core.deadlines import (
    DEADLINE_CONVENTION,
    Deadline,
    deadline_date_text,
    deadline_label,
    read_deadline,
    resolve_deadline,
)
from assurance.domain.setup import upgrade
from assurance.store.connection import connect
from assurance.store.schema import migrate, schema_version
from tests.support import SEED_MINUTES

ROOT = Path(__file__).resolve().parent.parent
SEED_JSON = ROOT / "data" / "meetings" / "2024-11-27-aa-performance.json"
MEETING = date(2024, 11, 27)  # the A&A Q2 performance meeting of the seed minutes


def exact(y: int, m: int, d: int) -> Deadline:
    return Deadline(date(y, m, d), False)


def approx(y: int, m: int, d: int) -> Deadline:
    return Deadline(date(y, m, d), True)


@pytest.mark.parametrize(
    ("words", "said_on", "expected"),
    [
        # the seed minutes' four, as written
        ("the 30th of Sept deadline", MEETING, exact(2025, 9, 30)),
        ("31st of Mar 25", MEETING, exact(2025, 3, 31)),
        ("end of Jan 2025", MEETING, approx(2025, 1, 31)),
        ("spring 2025", MEETING, approx(2025, 5, 31)),
        # an exact day, in the ways minutes write one
        ("30/09/2025", MEETING, exact(2025, 9, 30)),
        ("30/09/25", MEETING, exact(2025, 9, 30)),
        ("2025-06-30", MEETING, exact(2025, 6, 30)),
        ("March 31st 2025", MEETING, exact(2025, 3, 31)),
        ("  By  20 December ", MEETING, exact(2024, 12, 20)),
        # no year: the next such day on or after the meeting, across a year boundary
        ("by 20 December", date(2024, 12, 21), exact(2025, 12, 20)),
        ("1st January", MEETING, exact(2025, 1, 1)),
        ("June 30", MEETING, exact(2025, 6, 30)),
        ("27 November", MEETING, exact(2024, 11, 27)),  # the meeting's own day is not yet past
        ("26 November", MEETING, exact(2025, 11, 26)),
        ("the 30th of Sept deadline", date(2025, 10, 1), exact(2026, 9, 30)),
        # a month: its last day, approximate; without a year, the next one ending on or after the meeting
        ("January 2025", MEETING, approx(2025, 1, 31)),
        ("January", MEETING, approx(2025, 1, 31)),
        ("by end of March", MEETING, approx(2025, 3, 31)),
        ("end of the March", MEETING, approx(2025, 3, 31)),
        ("November", MEETING, approx(2024, 11, 30)),
        ("October", MEETING, approx(2025, 10, 31)),
        ("by December", date(2024, 12, 31), approx(2024, 12, 31)),
        ("late May", MEETING, approx(2025, 5, 31)),
        # February in a leap year
        ("end of Feb 2024", MEETING, approx(2024, 2, 29)),
        ("February", date(2023, 11, 27), approx(2024, 2, 29)),
        ("February", MEETING, approx(2025, 2, 28)),
        ("29 Feb", date(2023, 11, 27), exact(2024, 2, 29)),
        ("29 Feb", MEETING, None),  # the next February (2025) has no 29th
        ("29/02/2025", MEETING, None),
        ("winter 2023", MEETING, approx(2024, 2, 29)),
        # a season: its last day, approximate (meteorological: winter ends in the February after)
        ("summer 2025", MEETING, approx(2025, 8, 31)),
        ("autumn 2025", MEETING, approx(2025, 11, 30)),
        ("winter 2024", MEETING, approx(2025, 2, 28)),
        ("late spring 2025", MEETING, approx(2025, 5, 31)),
        ("by the summer", MEETING, approx(2025, 8, 31)),
        ("spring", MEETING, approx(2025, 5, 31)),
        ("autumn", MEETING, approx(2024, 11, 30)),  # this autumn has not ended on 27 November
        ("spring", date(2025, 6, 1), approx(2026, 5, 31)),
        ("winter", MEETING, approx(2025, 2, 28)),
        ("winter", date(2025, 1, 10), approx(2025, 2, 28)),  # the winter already under way
        ("winter", date(2025, 3, 1), approx(2026, 2, 28)),
        # a time frame from the day it was said (the pledges), approximate
        ("over the next three months", MEETING, approx(2025, 2, 27)),
        ("within 6 months", MEETING, approx(2025, 5, 27)),
        ("within 6 months", date(2024, 8, 31), approx(2025, 2, 28)),
        ("in the coming year", MEETING, approx(2025, 11, 27)),
        # not a date: the words are kept and shown as "date not resolved"
        ("the Q3 A&A performance meeting", MEETING, None),  # an action ties to that meeting instead
        ("2024/25 Q4", MEETING, None),
        ("early 2025", MEETING, None),
        ("end of the financial year", MEETING, None),
        ("when the audit is done", MEETING, None),
        ("it may be done", MEETING, None),  # "may" in a sentence is not May
        ("31st of Feb 25", MEETING, None),
        ("", MEETING, None),
        ("   ", MEETING, None),
        (None, MEETING, None),
    ],
)
def test_deadline_words_resolve_to_a_date_and_say_whether_it_is_approximate(words, said_on, expected):
    assert read_deadline(words, said_on) == expected
    assert resolve_deadline(words, said_on) == (expected.day if expected else None)


def test_the_convention_is_stated_for_the_reader():
    for rule in ("spring → 31 May", "summer → 31 Aug", "autumn → 30 Nov", "winter → the end of the February"):
        assert rule in DEADLINE_CONVENTION
    assert "date not resolved" in DEADLINE_CONVENTION and "approx." in DEADLINE_CONVENTION


@pytest.mark.parametrize(
    ("day", "approximate", "words", "date_only", "with_words"),
    [
        (date(2025, 1, 31), True, "end of Jan 2025", "31 Jan 2025 (approx.)", "31 Jan 2025 (approx.) — “end of Jan 2025”"),
        (date(2025, 3, 31), False, "31st of Mar 25", "31 Mar 2025", "31 Mar 2025 — “31st of Mar 25”"),
        # as the database hands them over through pandas
        (pd.Timestamp("2025-05-31"), np.True_, "spring 2025", "31 May 2025 (approx.)",
         "31 May 2025 (approx.) — “spring 2025”"),
        (pd.Timestamp("2025-09-30"), pd.NA, "the 30th of Sept deadline", "30 Sep 2025",
         "30 Sep 2025 — “the 30th of Sept deadline”"),
        (date(2025, 2, 12), None, None, "12 Feb 2025", "12 Feb 2025"),  # a date typed, no words
        (None, None, "when the audit is done", "date not resolved", "date not resolved — “when the audit is done”"),
        (pd.NaT, pd.NA, float("nan"), "–", "no date stated"),
        (None, None, "  ", "–", "no date stated"),
    ],
)  # fmt: skip
def test_one_way_of_writing_a_resolved_deadline(day, approximate, words, date_only, with_words):
    assert deadline_date_text(day, approximate, words) == date_only
    assert deadline_label(day, approximate, words) == with_words


def test_an_action_waiting_for_its_meeting_shows_the_meeting_as_written():
    assert deadline_label(None, None, "Q3 Performance A&A meeting", undated=None) == "Q3 Performance A&A meeting"


# --------------------------------------------------------------------------- minutes --json on the seed


SEED_DEADLINES = [
    ("spring 2025", "2025-05-31", True),
    ("the 30th of Sept deadline", "2025-09-30", False),
    ("31st of Mar 25", "2025-03-31", False),
    ("end of Jan 2025", "2025-01-31", True),
]
SEED_PLEDGE_DEADLINES = [
    ("over the next three months", "2025-02-27", True),
    ("over the next six months", "2025-05-27", True),
    ("over the next six months", "2025-05-27", True),
]


@pytest.fixture(scope="module")
def seed_json() -> dict:
    env = {k: v for k, v in os.environ.items() if k != "ASSURANCE_DB"}
    result = subprocess.run(
        [sys.executable, "-m", "assurance", "minutes", str(SEED_MINUTES), "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _deadlines(rows: list[dict], words: str) -> list[tuple]:
    return [(r[words], r["deadline"], r["deadline_approximate"]) for r in rows]


def test_minutes_json_gives_each_recommendation_its_words_and_resolved_date(seed_json):
    assert _deadlines(seed_json["recommendations"], "deadline_text") == SEED_DEADLINES


def test_minutes_json_gives_each_pledge_the_end_of_its_time_frame(seed_json):
    assert _deadlines(seed_json["pledges"], "deadline_text") == SEED_PLEDGE_DEADLINES


def test_minutes_json_leaves_an_action_due_at_a_meeting_without_a_date_until_it_is_scheduled(seed_json):
    assert _deadlines(seed_json["actions"], "due_text") == [
        ("Q3 Performance A&A meeting", None, None),
        (None, None, None),
        ("A&A Q4 Performance meeting", None, None),
    ]
    assert [a["due_meeting_quarter"] for a in seed_json["actions"]] == ["2024/25 Q3", None, "2024/25 Q4"]


def test_the_seeded_meeting_file_carries_the_same_deadlines():
    meeting = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    assert _deadlines(meeting["recommendations"], "deadline_text") == SEED_DEADLINES
    assert _deadlines(meeting["pledges"], "deadline_text") == SEED_PLEDGE_DEADLINES
    assert [a["deadline"] for a in meeting["actions"]] == [None, None, None]


# --------------------------------------------------------------------------- the database


def test_the_seeded_database_holds_the_words_the_date_and_whether_it_is_approximate(seeded_con):
    recs = seeded_con.execute(
        "SELECT deadline_text, strftime(deadline_date, '%Y-%m-%d'), deadline_approximate FROM recommendations"
        " ORDER BY number"
    ).fetchall()
    assert recs == SEED_DEADLINES
    pledges = seeded_con.execute(
        "SELECT deadline_text, strftime(deadline_date, '%Y-%m-%d'), deadline_approximate FROM pledges ORDER BY id"
    ).fetchall()
    assert pledges == SEED_PLEDGE_DEADLINES
    actions = seeded_con.execute("SELECT due_text, due_date, due_date_approximate FROM actions ORDER BY id").fetchall()
    assert actions == [
        ("Q3 Performance A&A meeting", None, None),
        (None, None, None),
        ("A&A Q4 Performance meeting", None, None),
    ]


def test_an_older_database_gets_its_deadlines_read_when_it_is_upgraded(tmp_path):
    """Rows held before migration 6 get the flag (and a pledge its deadline) from the same reader."""
    con = connect(tmp_path / "old.duckdb")
    migrate(con, target=5)
    con.execute(
        "INSERT INTO meetings (id, held_on, title, kind, quarter_discussed, status) VALUES"
        " ('2024-11-27-aa-performance', DATE '2024-11-27', 'Q2', 'A&A performance', '2024/25 Q2', 'held')"
    )
    con.execute(
        "INSERT INTO recommendations (report, number, subject, deadline_text, deadline_date, meeting_id) VALUES"
        " ('R', 1, 'a', 'spring 2025', DATE '2025-05-31', '2024-11-27-aa-performance'),"
        " ('R', 2, 'b', '31st of Mar 25', DATE '2025-03-31', '2024-11-27-aa-performance'),"
        # a date typed over loose words is exact
        " ('R', 3, 'c', 'by the autumn', DATE '2025-10-31', '2024-11-27-aa-performance'),"
        " ('R', 4, 'd', 'when the audit is done', NULL, '2024-11-27-aa-performance')"
    )
    con.execute(
        "INSERT INTO actions (meeting_id, position, text, owner, due_text, due_meeting_kind, due_meeting_quarter,"
        " due_date) VALUES ('2024-11-27-aa-performance', 1, 'a', 'T/CC', 'end of March', NULL, NULL, NULL),"
        " ('2024-11-27-aa-performance', 2, 'b', 'T/CC', 'Q3 A&A performance meeting', 'A&A performance',"
        " '2024/25 Q3', NULL), ('2024-11-27-aa-performance', 3, 'c', 'T/CC', NULL, NULL, NULL, DATE '2025-01-10')"
    )
    con.execute(
        "INSERT INTO pledges (meeting_id, owner, text, area, metric, direction, horizon_months, baseline_quarter,"
        " due_quarter) VALUES ('2024-11-27-aa-performance', 'T/CC', 'Reducing outstanding suspects over the next"
        " three months', 'shropshire', 'outstanding_suspects', 'decrease', 3, '2024/25 Q2', '2024/25 Q4')"
    )
    upgrade(con)  # what the dashboard and every command do with an older file
    assert schema_version(con) >= 6
    assert con.execute(
        "SELECT number, deadline_date, deadline_approximate FROM recommendations ORDER BY number"
    ).fetchall() == [
        (1, date(2025, 5, 31), True),
        (2, date(2025, 3, 31), False),
        (3, date(2025, 10, 31), False),
        (4, None, None),
    ]
    assert con.execute("SELECT position, due_date, due_date_approximate FROM actions ORDER BY position").fetchall() == [
        (1, date(2025, 3, 31), True),
        (2, None, None),
        (3, date(2025, 1, 10), False),
    ]
    assert con.execute("SELECT deadline_text, deadline_date, deadline_approximate FROM pledges").fetchall() == [
        ("over the next three months", date(2025, 2, 27), True)
    ]
    con.close()


def test_applying_the_seed_minutes_to_an_older_database_upgrades_it_and_stores_the_deadlines(tmp_path):
    path = tmp_path / "old.duckdb"
    con = connect(path)
    migrate(con, target=5)
    con.close()
    env = {k: v for k, v in os.environ.items() if k != "ASSURANCE_DB"}
    result = subprocess.run(
        [sys.executable, "-m", "assurance", "minutes", str(SEED_MINUTES), "--apply", "--db", str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    con = connect(path, read_only=True)
    try:
        assert (
            con.execute(
                "SELECT deadline_text, strftime(deadline_date, '%Y-%m-%d'), deadline_approximate FROM recommendations"
                " ORDER BY number"
            ).fetchall()
            == SEED_DEADLINES
        )
    finally:
        con.close()
