"""The action tracker library: every change audited, nothing deleted, bad input refused whole."""

from datetime import date

import pytest

from assurance.core.errors import InvalidInput, Refused
from assurance.domain.commitments import actions
from assurance.domain.setup import init_database
from assurance.store.connection import connect

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


@pytest.mark.parametrize(
    ("call", "kind", "message"),
    [
        (lambda c: actions.edit_action(c, 99, by="CP", owner="T/DCC"), InvalidInput, "there is no action 99"),
        (
            lambda c: actions.add_action(c, meeting_id="nope", text="x", owner="T/CC", by="CP"),
            InvalidInput,
            "no meeting",
        ),
        (
            lambda c: actions.add_action(c, meeting_id=SEED, text="x", owner="T/CC", by="CP", area="atlantis"),
            InvalidInput,
            "unknown area 'atlantis'",
        ),
        (lambda c: actions.edit_action(c, 1, by="CP", metric="crime"), InvalidInput, "unknown metric 'crime'"),
        (lambda c: actions.edit_action(c, 1, by="CP", status="closed"), InvalidInput, "cannot be edited: status"),
        (lambda c: actions.set_status(c, 1, "deleted", by="CP"), InvalidInput, "status must be one of"),
        (
            lambda c: actions.schedule_meeting(c, held_on=date(2025, 2, 26), quarter_discussed="2024/25 Q2", by="CP"),
            Refused,
            "already recorded",
        ),
        (
            lambda c: actions.schedule_meeting(c, held_on=date(2024, 11, 27), quarter_discussed="2024/25 Q3", by="CP"),
            Refused,
            "a meeting 2024-11-27-aa-performance is already recorded",
        ),
    ],
)
def test_a_refusal_says_whether_what_was_typed_or_the_trackers_state_stopped_it(con, call, kind, message):
    """What was typed is wrong: InvalidInput (a page shows an error); the tracker does not allow it now: Refused
    (a page shows a warning). The command line exits 2 for both, and nothing is written."""
    before = counts(con)
    with pytest.raises(kind, match=message) as caught:
        call(con)
    assert (caught.value.exit_code, caught.value.page_kind) == (2, "warning" if kind is Refused else "error")
    assert counts(con) == before


def test_an_update_on_a_closed_action_is_refused_not_called_bad_input(con):
    actions.set_status(con, 1, "closed", by="CP")
    before = counts(con)
    with pytest.raises(Refused, match="action 1 is closed; reopen it before adding an update"):
        actions.add_update(con, 1, text="late", given_on=date(2025, 3, 1), by="CP")
    assert counts(con) == before


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


@pytest.mark.parametrize(
    ("due_text", "due_date", "stored", "label"),
    [
        # words are read from the meeting that raised the action (27 Nov 2024), as the minutes' are
        ("end of March", None, (date(2025, 3, 31), True), "31 Mar 2025 (approx.) — “end of March”"),
        ("by 20 December", None, (date(2024, 12, 20), False), "20 Dec 2024 — “by 20 December”"),
        ("31 March 2025", None, (date(2025, 3, 31), False), "31 Mar 2025 — “31 March 2025”"),
        ("spring 2025", None, (date(2025, 5, 31), True), "31 May 2025 (approx.) — “spring 2025”"),
        # a date typed is exact, whatever the words
        ("end of March", date(2025, 3, 14), (date(2025, 3, 14), False), "14 Mar 2025 — “end of March”"),
        ("as soon as possible", None, (None, None), "date not resolved — “as soon as possible”"),
        # a meeting named: no date until it is scheduled, the meeting shown as written
        ("Q3 A&A performance meeting", None, (None, None), "Q3 A&A performance meeting"),
        (None, None, (None, None), "no date stated"),
    ],
)
def test_a_new_actions_due_words_are_read_as_a_date(con, due_text, due_date, stored, label):
    new = actions.add_action(
        con, meeting_id=SEED, text="Report back", owner="ACC", by="Charity Pearce", due_text=due_text,
        due_date=due_date,
    )  # fmt: skip
    row = con.execute("SELECT due_date, due_date_approximate FROM actions WHERE id = $i", {"i": new}).fetchone()
    assert row == stored
    frame = actions.tracker(con, date(2025, 1, 10)).set_index("id")
    assert actions.due_label(frame.loc[new].to_dict()) == label


def test_new_due_words_are_read_again_and_the_new_date_audited(con):
    new = actions.add_action(con, meeting_id=SEED, text="Report back", owner="ACC", by="LM", due_text="end of March")
    changed = actions.edit_action(con, new, by="Chris Jensen", due_text="by 30 April", said_on=date(2025, 1, 10))
    assert changed == ["due_text", "due_date"]
    row = con.execute("SELECT due_date, due_date_approximate FROM actions WHERE id = $i", {"i": new}).fetchone()
    assert row == (date(2025, 4, 30), False)
    history = actions.history(con, new)
    assert history[["field", "old_value", "new_value"]].values.tolist()[-2:] == [
        ["due_text", "end of March", "by 30 April"],
        ["due_date", "2025-03-31", "2025-04-30"],
    ]
    assert actions.edit_action(con, new, by="Chris Jensen", due_text="once the review is done") == [
        "due_text",
        "due_date",
    ]
    row = con.execute("SELECT due_date, due_date_approximate FROM actions WHERE id = $i", {"i": new}).fetchone()
    assert row == (None, None)
    # the seeded action due at the Q3 meeting keeps waiting for that meeting whatever its words say
    assert actions.edit_action(con, 1, by="Chris Jensen", due_text="Q3 A&A meeting, by 31 March") == ["due_text"]
    assert con.execute("SELECT due_date FROM actions WHERE id = 1").fetchone() == (None,)
