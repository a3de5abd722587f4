"""assurance/domain/commitments/record.py: what a meeting recorded, asked of the database for that meeting alone."""

from __future__ import annotations

from datetime import date

import pytest

from assurance.domain.commitments.actions import add_action, add_update, schedule_meeting
from assurance.domain.commitments.record import meeting_record, meetings, updates_by_action

SEED = "2024-11-27-aa-performance"


@pytest.fixture()
def con(seeded_copy_con):
    return seeded_copy_con


def test_a_meeting_s_record_holds_only_what_that_meeting_recorded(con):
    later = schedule_meeting(con, held_on=date(2025, 3, 5), quarter_discussed="2024/25 Q3", by="Charity Pearce")
    add_action(con, meeting_id=later, text="Report the Q3 figures", owner="ACC", by="Charity Pearce")

    seeded = meeting_record(con, SEED)
    assert seeded.meeting["title"].startswith("Accountability & Assurance")
    assert seeded.meeting["held_on"] == date(2024, 11, 27)
    assert len(seeded.actions) == 3 and "Report the Q3 figures" not in seeded.actions["text"].tolist()
    assert len(seeded.attendees) == 7 and len(seeded.recommendations) == 4
    assert len(seeded.pledges) == 3 and len(seeded.claims) > 0 and len(seeded.agenda) > 0

    scheduled = meeting_record(con, later)
    assert scheduled.actions["text"].tolist() == ["Report the Q3 figures"]
    assert scheduled.attendees.empty and scheduled.pledges.empty and scheduled.claims.empty
    assert scheduled.recommendations.empty
    assert meetings(con)["id"].tolist()[:2] == [later, SEED]  # latest first


def test_there_is_no_record_of_a_meeting_that_was_not_held(con):
    assert meeting_record(con, "1999-01-01-aa-performance") is None
    assert meeting_record(con, "x' OR '1'='1") is None  # a value is data, never SQL


def test_the_updates_on_each_action_come_from_one_read(con):
    assert updates_by_action(con) == {}
    add_update(con, 2, text="Dates shared with the OPCC", given_on=date(2025, 1, 10), by="Charity Pearce")
    add_update(con, 2, text="Op Presence evaluated", given_on=date(2024, 12, 10), by="Charity Pearce")
    found = updates_by_action(con)
    assert list(found) == [2]
    assert [u["text"] for u in found[2]] == ["Op Presence evaluated", "Dates shared with the OPCC"]  # oldest first
