"""The meeting of 27 November 2024, as the minutes record it, is in the database."""

from datetime import date

import pytest

from assurance.core.deadlines import deadline_state, pledge_due_quarter, resolve_deadline

MEETING = "2024-11-27-aa-performance"


def test_meeting_chair_minutes_and_attendees(seeded_con):
    held_on, chair, minutes, quarter = seeded_con.execute(
        "SELECT held_on, chair, minute_taker, quarter_discussed FROM meetings WHERE id = ?", [MEETING]
    ).fetchone()
    assert (held_on, chair, minutes, quarter) == (date(2024, 11, 27), "John Campion", "Lucy Milner", "2024/25 Q2")
    attendees = seeded_con.execute(
        "SELECT name, abbreviation FROM attendees WHERE meeting_id = ? ORDER BY position", [MEETING]
    ).fetchall()
    assert attendees == [
        ("John Campion", "PCC"),
        ("Marc Bayliss", "DPCC"),
        ("Charity Pearce", "CP"),
        ("Chris Jensen", "CJ"),
        ("Lucy Milner", "LM"),
        ("Richard Cooper", "T/CC"),
        ("Rachel Jones", "T/DCC"),
    ]
    agenda = seeded_con.execute("SELECT title FROM agenda_items WHERE meeting_id = ? ORDER BY position", [MEETING])
    assert [a[0] for a in agenda.fetchall()] == [
        "Review of Action Tracker",
        "The Chief Constable's Assessment on Quarterly Performance",
        "Quarterly HMICFRS Update",
        "Summary of Actions Arising",
    ]


def test_three_actions_each_once_owned_by_the_tcc(seeded_con):
    rows = seeded_con.execute(
        "SELECT text, owner, due_text, due_meeting_quarter, status FROM actions WHERE meeting_id = ? ORDER BY position",
        [MEETING],
    ).fetchall()
    assert len(rows) == 3 and len({r[0] for r in rows}) == 3
    assert all(r[1] == "T/CC" and r[4] == "open" for r in rows)
    assert "positive outcomes" in rows[0][0] and rows[0][3] == "2024/25 Q3"
    assert "Op Presence" in rows[1][0] and rows[1][2] is None
    assert "Shropshire" in rows[2][0] and rows[2][3] == "2024/25 Q4"


def test_four_hmicfrs_recommendations_with_deadlines_as_written_and_as_dates(seeded_con):
    rows = seeded_con.execute(
        "SELECT report, report_published, number, deadline_text, deadline_date FROM recommendations ORDER BY number"
    ).fetchall()
    assert [(r[2], r[3], r[4]) for r in rows] == [
        (1, "spring 2025", date(2025, 5, 31)),
        (2, "the 30th of Sept deadline", date(2025, 9, 30)),
        (3, "31st of Mar 25", date(2025, 3, 31)),
        (4, "end of Jan 2025", date(2025, 1, 31)),
    ]
    assert {(r[0], r[1]) for r in rows} == {("Police Response to Anti-Social Behaviour", date(2024, 10, 10))}


def test_three_shropshire_pledges_with_metric_and_horizon(seeded_con):
    rows = seeded_con.execute(
        "SELECT area, metric, direction, horizon_months, baseline_quarter, due_quarter FROM pledges ORDER BY id"
    ).fetchall()
    assert rows == [
        ("shropshire", "outstanding_suspects", "decrease", 3, "2024/25 Q2", "2024/25 Q4"),
        ("shropshire", "positive_outcome_rate", "increase", 6, "2024/25 Q2", "2025/26 Q1"),
        ("shropshire", "sickness_days_per_officer", "decrease", 6, "2024/25 Q2", "2025/26 Q1"),
    ]


def test_figures_quoted_in_the_room_are_recorded_as_claims(seeded_con):
    rows = seeded_con.execute("SELECT metric, period, comparison, stated_value FROM claims ORDER BY id").fetchall()
    assert rows == [
        ("total_recorded_crime", "year_to_date", "same_period_last_year", -9.0),
        ("positive_outcome_rate", "quarter", "none", 13.3),
        ("positive_outcome_rate", "quarter", "same_period_last_year", 1.0),
    ]


SAID = date(2024, 11, 27)


@pytest.mark.parametrize(
    ("text", "resolved"),
    [
        ("spring 2025", date(2025, 5, 31)),
        ("summer 2025", date(2025, 8, 31)),
        ("winter 2025", date(2026, 2, 28)),
        ("end of Jan 2025", date(2025, 1, 31)),
        ("February 2028", date(2028, 2, 29)),
        ("31st of Mar 25", date(2025, 3, 31)),
        ("the 30th of Sept deadline", date(2025, 9, 30)),
        ("1st December", date(2024, 12, 1)),
        ("March 31st 2025", date(2025, 3, 31)),
        ("by March 31, 2025", date(2025, 3, 31)),
        ("June 30", date(2025, 6, 30)),
        ("2025-06-30", date(2025, 6, 30)),
        ("30/06/2025", date(2025, 6, 30)),
        ("31st of Feb 25", None),
        ("the Q3 A&A performance meeting", None),
        ("", None),
        (None, None),
    ],
)
def test_deadlines_as_written_resolve_to_dates(text, resolved):
    assert resolve_deadline(text, SAID) == resolved


@pytest.mark.parametrize(
    ("deadline", "today", "words"),
    [
        (date(2025, 1, 31), date(2025, 2, 1), "overdue by 1 day"),
        (date(2025, 1, 31), date(2025, 1, 31), "due today"),
        (date(2025, 1, 31), date(2025, 1, 21), "10 days left"),
        (None, date(2025, 1, 21), "date not resolved"),
    ],
)
def test_deadline_state_in_words(deadline, today, words):
    assert deadline_state(deadline, today) == words


def test_pledge_horizons_end_in_the_quarter_that_shows_them():
    assert pledge_due_quarter(SAID, 3).label == "2024/25 Q4"
    assert pledge_due_quarter(SAID, 6).label == "2025/26 Q1"
    assert pledge_due_quarter(date(2024, 8, 31), 6).label == "2024/25 Q4"
