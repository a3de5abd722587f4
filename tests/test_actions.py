"""The action tracker library: every change audited, nothing deleted, bad input refused whole."""

from datetime import date

import pytest

from assurance import actions
from assurance.db import connect, init_database

SEED = "2024-11-27-aa-performance"


@pytest.fixture()
def con(tmp_path):
    path = tmp_path / "a.duckdb"
    init_database(path, demo=True)
    con = connect(path)
    yield con
    con.close()


def counts(con):
    return tuple(
        con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
        for t in ("actions", "action_updates", "audit_log", "meetings")
    )


def test_tracker_groups_open_actions_by_the_meeting_they_are_due_at(con):
    frame = actions.tracker(con, date(2025, 1, 10))
    assert frame["group"].tolist() == [
        "Due at: the Q3 A&A performance meeting (not yet scheduled; expected by Mar 2025)",
        "Due at: the Q4 A&A performance meeting (not yet scheduled; expected by May 2025)",
        "Open, no meeting named",
    ]
    assert not frame["overdue"].any()


def test_an_action_waiting_for_a_meeting_that_never_got_recorded_is_probably_overdue(con):
    frame = actions.tracker(con, date(2025, 4, 15)).set_index("id")
    assert frame.loc[1, "expected_by"] == date(2025, 3, 1)  # 31 Dec 2024 + 60 days
    assert frame.loc[1, "overdue"] and not frame.loc[3, "overdue"] and not frame.loc[2, "overdue"]


def test_scheduling_the_q3_meeting_gives_its_actions_a_date_and_an_overdue_flag(con):
    actions.schedule_meeting(con, held_on=date(2025, 2, 26), quarter_discussed="2024/25 Q3", by="Charity Pearce")
    before = actions.tracker(con, date(2025, 2, 20)).set_index("id")
    assert before.loc[1, "due_on"].date() == date(2025, 2, 26)
    assert before.loc[1, "group"].startswith("Due at: Accountability & Assurance meeting: Q3 performance (26 Feb 2025)")
    assert not before.loc[1, "overdue"]
    after = actions.tracker(con, date(2025, 3, 1)).set_index("id")
    assert after.loc[1, "overdue"] and not after.loc[3, "overdue"]


def test_add_edit_update_and_close_are_each_audited_with_old_and_new_values(con):
    new_id = actions.add_action(
        con,
        meeting_id=SEED,
        text="T/CC to share the Op Presence dates",
        owner="T/CC",
        by="Lucy Milner",
        due_date=date(2024, 12, 6),
        area="force",
    )
    assert actions.edit_action(
        con, new_id, by="Chris Jensen", owner="T/DCC", text="T/CC to share the Op Presence dates"
    ) == ["owner"]
    actions.add_update(con, new_id, text="Dates shared by email", given_on=date(2024, 12, 4), by="Chris Jensen")
    actions.set_status(con, new_id, "closed", by="Charity Pearce")
    history = actions.history(con, new_id)
    rows = history[["changed_by", "operation", "field", "old_value", "new_value"]].astype(object)
    assert rows.where(rows.notna(), None).values.tolist() == [
        ["Lucy Milner", "create", "text", None, "T/CC to share the Op Presence dates"],
        ["Chris Jensen", "edit", "owner", "T/CC", "T/DCC"],
        ["Chris Jensen", "update", "update", None, "2024-12-04: Dates shared by email"],
        ["Chris Jensen", "status", "status", "open", "update given"],
        ["Charity Pearce", "status", "status", "update given", "closed"],
    ]
    row = con.execute("SELECT status, owner FROM actions WHERE id = ?", [new_id]).fetchone()
    assert row == ("closed", "T/DCC")


def test_withdrawing_needs_a_reason_and_keeps_the_row(con):
    with pytest.raises(ValueError, match="reason is empty"):
        actions.set_status(con, 2, "withdrawn", by="CP")
    actions.set_status(con, 2, "withdrawn", by="CP", reason="Superseded by the Christmas briefing")
    assert con.execute("SELECT status FROM actions WHERE id = 2").fetchone()[0] == "withdrawn"
    assert actions.history(con, 2)["new_value"].iloc[-1] == "withdrawn (Superseded by the Christmas briefing)"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: actions.add_action(c, meeting_id=SEED, text="x", owner="T/CC", by=""), "say who"),
        (lambda c: actions.add_action(c, meeting_id=SEED, text="  ", owner="T/CC", by="CP"), "action text is empty"),
        (lambda c: actions.add_action(c, meeting_id="nope", text="x", owner="T/CC", by="CP"), "no meeting 'nope'"),
        (
            lambda c: actions.add_action(c, meeting_id=SEED, text="x", owner="T/CC", by="CP", metric="crime"),
            "unknown metric 'crime'",
        ),
        (
            lambda c: actions.add_action(c, meeting_id=SEED, text="x", owner="T/CC", by="CP", due_meeting_quarter="Q3"),
            "due meeting quarter",
        ),
        (lambda c: actions.add_action(c, meeting_id=SEED, text="x" * 2001, owner="T/CC", by="CP"), "at most 2,000"),
        (lambda c: actions.edit_action(c, 1, by="CP", status="closed"), "cannot be edited: status"),
        (lambda c: actions.edit_action(c, 99, by="CP", owner="T/DCC"), "no action 99"),
        (lambda c: actions.set_status(c, 1, "deleted", by="CP"), "status must be one of"),
        (lambda c: actions.add_update(c, 1, text="", given_on=date(2025, 1, 1), by="CP"), "update is empty"),
        (
            lambda c: actions.schedule_meeting(c, held_on=date(2025, 2, 26), quarter_discussed="2024/25 Q2", by="CP"),
            "already recorded",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(con, call, message):
    before = counts(con)
    with pytest.raises(ValueError, match=message):
        call(con)
    assert counts(con) == before


def test_updates_cannot_be_added_to_a_closed_action(con):
    actions.set_status(con, 1, "closed", by="CP")
    with pytest.raises(ValueError, match="is closed; reopen it"):
        actions.add_update(con, 1, text="late", given_on=date(2025, 3, 1), by="CP")


def test_text_is_stored_as_given_never_interpreted(con):
    xss = "<script>alert('x')</script> '; DROP TABLE actions; --"
    new_id = actions.add_action(con, meeting_id=SEED, text=xss, owner="T/CC", by="CP")
    assert con.execute("SELECT text FROM actions WHERE id = ?", [new_id]).fetchone()[0] == xss


@pytest.mark.parametrize(
    ("due_text", "quarter", "expected"),
    [
        ("Q3 A&A performance meeting", None, "2024/25 Q3"),  # typed on its own, read as the minutes are
        ("at the next A&A meeting", None, "2024/25 Q3"),
        ("the Q1 Performance A&A meeting", None, "2025/26 Q1"),  # the next Q1 after the quarter discussed
        ("Q3 A&A performance meeting", "2024/25 Q4", "2024/25 Q4"),  # a quarter chosen wins
        ("31 March 2025", None, None),
    ],
)
def test_the_due_text_alone_ties_a_new_action_to_the_meeting_it_names(con, due_text, quarter, expected):
    new = actions.add_action(
        con, meeting_id=SEED, text="Report back", owner="ACC", by="Charity Pearce",
        due_text=due_text, due_meeting_quarter=quarter,
    )  # fmt: skip
    row = con.execute("SELECT due_meeting_kind, due_meeting_quarter FROM actions WHERE id = $i", {"i": new}).fetchone()
    assert row == (("A&A performance", expected) if expected else (None, None))
    frame = actions.tracker(con, date(2025, 1, 10)).set_index("id")
    if expected:
        assert frame.loc[new, "group"].startswith(f"Due at: the {expected.split()[-1]} A&A performance meeting")


def test_an_action_with_both_a_meeting_and_a_date_is_tracked_by_both(con):
    new = actions.add_action(
        con, meeting_id=SEED, text="Report back", owner="ACC", by="Charity Pearce",
        due_meeting_quarter="2024/25 Q3", due_date=date(2025, 2, 1),
    )  # fmt: skip
    before = actions.tracker(con, date(2025, 1, 10)).set_index("id")
    assert (
        before.loc[new, "group"] == "Due at: the Q3 A&A performance meeting (not yet scheduled; expected by Mar 2025)"
    )
    assert not before.loc[new, "overdue"]
    assert actions.tracker(con, date(2025, 2, 2)).set_index("id").loc[new, "overdue"]  # its date has passed
