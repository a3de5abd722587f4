"""The meeting-mode library: slide kinds from titles, the slide list, slide contents, and agenda edits."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from assurance.core.errors import InvalidInput, Refused
from assurance.domain.commitments import agenda as lib
from assurance.domain.commitments.actions import add_action, schedule_meeting, tracker
from assurance.domain.commitments.recommendations import recommendations_table, status_label
from assurance.domain.performance import load_dataset
from assurance.products.meeting import content as slide_content
from assurance.products.meeting import slides as slide_list
from assurance.store import queries

SEED = "2024-11-27-aa-performance"
TODAY = date(2024, 11, 27)


@pytest.fixture()
def con(seeded_copy_con):
    """A writable copy of the seeded database, one per test (tests/conftest.py)."""
    return seeded_copy_con


def agenda_and_audit(con) -> tuple[list[tuple], int]:
    rows = con.execute(
        "SELECT i.meeting_id, i.position, i.title, i.notes, s.slides FROM agenda_items i LEFT JOIN agenda_slides s"
        " USING (meeting_id, position) ORDER BY 1, 2"
    ).fetchall()
    return rows, con.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def seed_meeting(con) -> dict:
    frame = lib.meetings(con)
    return frame[frame["id"] == SEED].iloc[0].to_dict()


@pytest.mark.parametrize(
    ("title", "kinds"),
    [
        ("Review of Action Tracker", ("actions_review",)),
        ("The Chief Constable's Assessment on Quarterly Performance", ("cc_assessment", "lpa_focus")),
        ("Quarterly HMICFRS Update", ("hmicfrs",)),
        ("Summary of Actions Arising", ("actions_arising",)),
        ("Actions arising", ("actions_arising",)),
        ("HMICFRS PEEL inspection: findings", ("hmicfrs",)),
        ("Update on the ASB inspection", ("hmicfrs",)),
        ("Force performance", ("cc_assessment", "lpa_focus")),
        ("LPA focus", ("lpa_focus",)),
        ("Shropshire LPA performance", ("lpa_focus",)),
        ("Any other business", ("text",)),
        ("Performances of the choir", ("text",)),  # whole words only
        ("", ("text",)),
        (None, ("text",)),
    ],
)
def test_slide_kinds_are_inferred_from_the_title(title, kinds):
    assert lib.infer_slides(title) == kinds


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (None, None),
        ("", None),
        (" , ", None),
        ([], None),
        ("hmicfrs", "hmicfrs"),
        (" CC_assessment , lpa_focus ", "cc_assessment,lpa_focus"),
        (["text", "actions_arising"], "text,actions_arising"),
    ],
)
def test_slide_kinds_are_normalised(value, stored):
    assert lib.normalise_slides(value) == stored


@pytest.mark.parametrize(
    ("value", "message"),
    [("charts", "there is no slide kind 'charts'"), ("text,hmicfrs,text", "repeated: text")],
)
def test_bad_slide_kinds_are_refused(value, message):
    with pytest.raises(ValueError, match=message):
        lib.normalise_slides(value)


@pytest.mark.parametrize(
    ("stored", "title", "kinds"),
    [
        (None, "Quarterly HMICFRS Update", ("hmicfrs",)),
        ("text", "Quarterly HMICFRS Update", ("text",)),
        ("hmicfrs,nonsense", "Anything", ("hmicfrs",)),
        ("nonsense", "Quarterly HMICFRS Update", ("hmicfrs",)),
    ],
)
def test_stored_kinds_win_over_the_title(stored, title, kinds):
    assert lib.slide_kinds(stored, title) == kinds


def test_the_seed_meeting_gives_a_title_slide_and_seven_agenda_slides(seeded_con):
    meeting = seed_meeting(seeded_con)
    slides = slide_list.build_slides(meeting, lib.agenda(seeded_con, SEED), "2024/25 Q2", "Shropshire")
    assert [(s.number, s.key, s.item) for s in slides] == [
        (1, "title", None),
        (2, "actions_review", 1),
        (3, "cc_assessment", 2),
        (4, "cc_assessment-2", 2),
        (5, "lpa_focus", 2),
        (6, "lpa_focus-2", 2),
        (7, "hmicfrs", 3),
        (8, "actions_arising", 4),
    ]
    assert slides[0].heading == "Accountability & Assurance meeting: Q2 performance"
    assert slides[0].subheading == "Wednesday 27 November 2024, 10:00"
    assert slides[1].heading == "Review of Action Tracker"
    assert slides[1].notes == "No outstanding actions, previous actions had been addressed and completed."
    assert slides[2].subheading == "Crime and outcomes: West Mercia, 2024/25 Q2, against the targets"
    assert slides[4].subheading == "Shropshire against the other LPAs, 2024/25 Q2"


def test_an_empty_agenda_builds_only_the_title_slide(seeded_con):
    meeting = seed_meeting(seeded_con)
    empty = lib.agenda(seeded_con, "no-such-meeting")
    assert [s.kind for s in slide_list.build_slides(meeting, empty, None, "Shropshire")] == ["title"]
    default = slide_list.build_slides(meeting, lib.default_agenda_frame(), None, "Shropshire")
    assert [s.key for s in default][1:] == [
        "actions_review", "cc_assessment", "cc_assessment-2", "lpa_focus", "lpa_focus-2", "hmicfrs", "actions_arising",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "today", "expected"),
    [
        ([], TODAY, None),
        ([("a", "2024-11-27", "held"), ("b", "2025-02-12", "scheduled")], TODAY, "a"),  # today's
        ([("a", "2024-11-27", "held"), ("b", "2025-02-12", "scheduled")], date(2024, 12, 1), "b"),  # next scheduled
        (
            [("a", "2024-11-27", "held"), ("b", "2025-02-12", "scheduled"), ("c", "2025-05-20", "scheduled")],
            date(2024, 12, 1),
            "b",
        ),
        ([("a", "2024-11-27", "held"), ("z", "2024-08-01", "held")], date(2026, 1, 1), "a"),  # latest held
        ([("f", "2030-01-01", "held")], TODAY, "f"),  # only a future one
    ],
)
def test_the_default_meeting(rows, today, expected):
    frame = pd.DataFrame(
        [{"id": i, "held_on": pd.Timestamp(d), "status": s} for i, d, s in rows], columns=["id", "held_on", "status"]
    )
    assert lib.default_meeting(frame, today) == expected


@pytest.mark.parametrize(
    ("text", "count", "number", "message"),
    [
        (None, 8, 1, None),
        ("", 8, 1, None),
        ("3", 8, 3, None),
        (" 8 ", 8, 8, None),
        ("9", 8, 8, "There is no slide 9: this meeting has 8. Showing slide 8."),
        ("0", 8, 1, "There is no slide 0; showing slide 1 of 8."),
        ("-2", 8, 1, "There is no slide -2; showing slide 1 of 8."),
        ("three", 8, 1, "“three” is not a slide number; showing slide 1 of 8."),
    ],
)
def test_slide_number_from_the_url(text, count, number, message):
    assert slide_list.slide_number(text, count) == (number, message)


def test_assessment_slides_show_value_change_target_and_spc(seeded_con):
    ds = load_dataset(seeded_con)
    first, illustrative = slide_content.assessment_table(ds, "2024/25 Q2", 1)
    assert illustrative
    assert list(first.columns) == [
        "Metric",
        "2024/25 Q2",
        "On 2023/24 Q2",
        "Year to date on last year",
        "Target",
        "SPC",
    ]
    row = first.set_index("Metric").loc["Positive outcome rate"]
    assert row.to_dict() == {
        "2024/25 Q2": "13.3%",
        "On 2023/24 Q2": "+1.0 pp",
        "Year to date on last year": "+1.3 pp",
        "Target": "✗ Not met (≥ 14.0%) *",
        "SPC": "▲ Improvement (higher)",
    }
    assert first.set_index("Metric").loc["Total recorded crime", "On 2023/24 Q2"] == "−9.1%"
    # The figure the T/CC quoted: "a 9% reduction so far this year".
    assert first.set_index("Metric").loc["Total recorded crime", "Year to date on last year"] == "−9.0%"
    second, _ = slide_content.assessment_table(ds, "2024/25 Q2", 2)
    assert second.set_index("Metric").loc["999 calls answered within 10 seconds", "Target"] == "✗ Not met (≥ 90.0%)"
    assert len(first) == len(second) == 6
    assert set(first["Metric"]).isdisjoint(second["Metric"])


def test_the_focus_slide_ranks_and_compares_with_the_force(seeded_con):
    ds = load_dataset(seeded_con)
    table, _ = slide_content.focus_table(ds, "2024/25 Q2", "shropshire")
    row = table.set_index("Metric").loc["Positive outcome rate"]
    assert row.to_dict() == {
        "Shropshire": "11.4%",
        "Rank (1 = best)": "5 of 5 (worst)",
        "Gap to the force": "1.9 pp below the force",
        "SPC": "▲ Improvement (higher)",
    }
    chart = slide_content.focus_chart_data(ds, "2024/25 Q2", "shropshire")
    assert chart["name"].tolist()[-1] == "Shropshire" and chart["focus"].tolist() == [False] * 4 + [True]
    assert chart["value"].is_monotonic_decreasing


def test_actions_arising_lists_the_meetings_actions_newest_last(seeded_con):
    frame = slide_content.arising_actions(tracker(seeded_con, TODAY), SEED)
    assert frame["No."].tolist() == [1, 2, 3]
    assert frame["Action"].iloc[1] == "T/CC to inform the OPCC of the details of the forthcoming Op Presence."
    assert frame["Due"].tolist() == ["Q3 Performance A&A meeting", "no date stated", "A&A Q4 Performance meeting"]


def test_the_review_shows_actions_due_at_the_meeting_reviewing_them(con):
    assert slide_content.review_actions(tracker(con, TODAY), seed_meeting(con), TODAY).empty  # as the minutes say
    q3 = schedule_meeting(con, held_on=date(2025, 2, 12), quarter_discussed="2024/25 Q3", by="Charity Pearce")
    frame = lib.meetings(con)
    meeting = frame[frame["id"] == q3].iloc[0].to_dict()
    today = date(2025, 2, 12)
    review = slide_content.review_actions(tracker(con, today), meeting, today)
    assert review["Action"].tolist() == [
        "T/CC to provide an update at the Q3 Performance A&A meeting on plans to improve positive outcomes "
        "following the stabilising of improvements."
    ]
    assert review["Due"].tolist() == ["12 Feb 2025 — “Q3 Performance A&A meeting”"]  # the meeting's date: exact
    assert review["Status"].tolist() == ["○ Open"]
    # An action raised at the Q3 meeting itself is not reviewed at it.
    add_action(con, meeting_id=q3, text="New", owner="T/CC", by="LM", due_date=date(2025, 1, 1))
    assert len(slide_content.review_actions(tracker(con, today), meeting, today)) == 1


def test_overdue_actions_are_reviewed_and_flagged(con):
    add_action(
        con, meeting_id=SEED, text="Share the Op Presence dates", owner="T/CC", by="LM", due_date=date(2024, 12, 20)
    )
    q3 = schedule_meeting(con, held_on=date(2025, 2, 12), quarter_discussed="2024/25 Q3", by="Charity Pearce")
    frame = lib.meetings(con)
    meeting = frame[frame["id"] == q3].iloc[0].to_dict()
    review = slide_content.review_actions(tracker(con, date(2025, 2, 12)), meeting, date(2025, 2, 12))
    overdue = review.set_index("Action").loc["Share the Op Presence dates"]
    assert overdue["Status"] == "○ Open · ⚠ Overdue" and overdue["Due"] == "20 Dec 2024"


def test_hmicfrs_slide_keeps_deadlines_as_said_and_as_dates(seeded_con):
    recs = recommendations_table(seeded_con, date(2025, 3, 1))
    table = slide_content.hmicfrs_table(recs, status_label)
    assert table.to_dict("records")[0] == {
        "No.": "1",
        "Recommendation": "Recording of ASB incidents and crimes",
        "Deadline as said": "spring 2025",
        "Date": "31 May 2025 (approx.)",
        "Progress": "◐ In progress",
        "Today": "○ Later: due in 91 days",
    }
    assert table["Today"].tolist()[3] == "⚠ Overdue by 29 days"
    assert table[["Deadline as said", "Date"]].values.tolist() == [
        ["spring 2025", "31 May 2025 (approx.)"],
        ["the 30th of Sept deadline", "30 Sep 2025"],
        ["31st of Mar 25", "31 Mar 2025"],
        ["end of Jan 2025", "31 Jan 2025 (approx.)"],
    ]
    assert slide_content.report_names(recs) == ["“Police Response to Anti-Social Behaviour”, published 10 Oct 2024"]


@pytest.mark.parametrize(
    ("texts", "keep", "shown", "hidden"),
    [
        ([], "first", [], 0),
        (["a" * 10] * 3, "first", [0, 1, 2], 0),
        (["a" * 150, "b", "c"], "first", [0, 1], 1),  # 3 lines + 1 line fill 4
        (["a" * 150, "b", "c"], "last", [1, 2], 1),
        (["a" * 500], "first", [0], 0),  # one row always shows
    ],
)
def test_fit_rows(texts, keep, shown, hidden):
    frame = pd.DataFrame({"Action": texts, "i": range(len(texts))})
    rows, left_off = slide_content.fit_rows(frame, "Action", lines=4, chars_per_line=50, keep=keep)
    assert rows["i"].tolist() == shown and left_off == hidden


# --- agenda edits ---------------------------------------------------------------------------------


def test_rename_and_set_slide_kinds_with_the_audit_trail(con):
    changed = lib.edit_agenda_item(
        con, SEED, 3, by="Charity Pearce", title="HMICFRS: ASB report", slides="hmicfrs,text"
    )
    assert changed == ["title", "slides"]
    agenda = lib.agenda(con, SEED)
    assert agenda.loc[2, ["title", "slides", "kinds"]].tolist() == [
        "HMICFRS: ASB report",
        "hmicfrs,text",
        "hmicfrs,text",
    ]
    audit = queries.frame(con, "entity_history", entity="meeting", entity_id=SEED).astype(object)
    audit = audit.where(audit.notna(), None)
    assert audit[["field", "old_value", "new_value", "changed_by"]].values.tolist() == [
        ["agenda item 3 title", "Quarterly HMICFRS Update", "HMICFRS: ASB report", "Charity Pearce"],
        ["agenda item 3 slides", None, "hmicfrs,text", "Charity Pearce"],
    ]
    # Saving the same again changes nothing and writes nothing.
    assert lib.edit_agenda_item(con, SEED, 3, by="CP", title="HMICFRS: ASB report", slides=["hmicfrs", "text"]) == []
    # Clearing the kinds goes back to inferring them from the title.
    assert lib.edit_agenda_item(con, SEED, 3, by="CP", slides=[]) == ["slides"]
    assert lib.agenda(con, SEED).loc[2, "kinds"] == "hmicfrs"


def test_add_move_and_remove_items(con):
    assert lib.add_agenda_item(con, SEED, title="Any other business", notes="None raised.", by="CP") == 5
    assert lib.add_agenda_item(con, SEED, title="LPA focus: Shropshire", slides="lpa_focus", by="CP", position=3) == 3
    titles = lambda: lib.agenda(con, SEED)["title"].tolist()  # noqa: E731
    assert titles() == [
        "Review of Action Tracker",
        "The Chief Constable's Assessment on Quarterly Performance",
        "LPA focus: Shropshire",
        "Quarterly HMICFRS Update",
        "Summary of Actions Arising",
        "Any other business",
    ]
    lib.edit_agenda_item(con, SEED, 2, by="CP", slides="cc_assessment")
    lib.move_agenda_item(con, SEED, 5, 1, by="CP")
    agenda = lib.agenda(con, SEED)
    assert agenda["title"].tolist()[:3] == [
        "Summary of Actions Arising",
        "Review of Action Tracker",
        "The Chief Constable's Assessment on Quarterly Performance",
    ]
    # The stored kinds move with their items.
    assert agenda["slides"].tolist()[2:4] == ["cc_assessment", "lpa_focus"]
    lib.remove_agenda_item(con, SEED, 6, by="CP")
    assert titles()[-1] == "Quarterly HMICFRS Update" and len(titles()) == 5
    audit = queries.frame(con, "entity_history", entity="meeting", entity_id=SEED)
    assert audit["operation"].tolist() == ["create", "create", "edit", "edit", "edit", "edit"]
    assert audit["field"].tolist()[-2:] == ["agenda order", "agenda item 6"]
    assert audit["old_value"].tolist()[-1] == "Any other business"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: lib.add_agenda_item(c, SEED, title="AOB", by=" "), "say who is making the change"),
        (lambda c: lib.add_agenda_item(c, SEED, title="  ", by="CP"), "title is empty"),
        (lambda c: lib.add_agenda_item(c, SEED, title="x" * 201, by="CP"), "at most 200"),
        (lambda c: lib.add_agenda_item(c, SEED, title="AOB", slides="video", by="CP"), "no slide kind 'video'"),
        (lambda c: lib.add_agenda_item(c, "nope", title="AOB", by="CP"), "there is no meeting 'nope'"),
        (lambda c: lib.add_agenda_item(c, SEED, title="AOB", by="CP", position=7), "position 1 to 5"),
        (lambda c: lib.edit_agenda_item(c, SEED, 9, title="AOB", by="CP"), "the agenda has no item 9"),
        (lambda c: lib.edit_agenda_item(c, SEED, 1, meeting_id="x", by="CP"), "cannot be edited: meeting_id"),
        (lambda c: lib.edit_agenda_item(c, SEED, 1, title="", by="CP"), "title is empty"),
        (lambda c: lib.move_agenda_item(c, SEED, 1, 0, by="CP"), "cannot move an item to 0"),
        (lambda c: lib.move_agenda_item(c, SEED, 1, 2, by=""), "say who"),
        (lambda c: lib.remove_agenda_item(c, SEED, 5, by="CP"), "no item 5"),
        (lambda c: lib.use_default_agenda(c, SEED, by="CP"), "already has an agenda"),
    ],
)
def test_refused_edits_write_nothing(con, call, message):
    before = agenda_and_audit(con)
    with pytest.raises(ValueError, match=message):
        call(con)
    assert agenda_and_audit(con) == before


@pytest.mark.parametrize(
    ("call", "kind"),
    [
        (lambda c: lib.add_agenda_item(c, "nope", title="AOB", by="CP"), InvalidInput),
        (lambda c: lib.add_agenda_item(c, SEED, title="AOB", slides="video", by="CP"), InvalidInput),
        (lambda c: lib.edit_agenda_item(c, SEED, 9, title="AOB", by="CP"), InvalidInput),
        (lambda c: lib.move_agenda_item(c, SEED, 1, 0, by="CP"), InvalidInput),
        (lambda c: lib.use_default_agenda(c, SEED, by="CP"), Refused),
    ],
)
def test_an_agenda_refusal_says_whether_the_request_or_the_meeting_stopped_it(con, call, kind):
    """A position or kind that is not there is InvalidInput (an error); a meeting that already has an agenda is
    Refused (a warning). Both exit 2 from the command line."""
    before = agenda_and_audit(con)
    with pytest.raises(kind) as caught:
        call(con)
    assert (caught.value.exit_code, caught.value.page_kind) == (2, "warning" if kind is Refused else "error")
    assert agenda_and_audit(con) == before


def test_a_new_meeting_can_take_the_default_agenda(con):
    q3 = schedule_meeting(con, held_on=date(2025, 2, 12), quarter_discussed="2024/25 Q3", by="CP")
    assert lib.agenda(con, q3).empty
    assert lib.use_default_agenda(con, q3, by="Chris Jensen") == 5
    agenda = lib.agenda(con, q3)
    assert agenda["kinds"].tolist() == ["actions_review", "cc_assessment", "lpa_focus", "hmicfrs", "actions_arising"]
    audit = queries.frame(con, "entity_history", entity="meeting", entity_id=q3)
    assert audit["changed_by"].tolist()[-5:] == ["Chris Jensen"] * 5


def test_the_actions_slides_show_a_due_date_with_the_words_as_agreed(con):
    add_action(con, meeting_id=SEED, text="Share the evaluation", owner="T/CC", by="LM", due_text="by end of March")
    add_action(con, meeting_id=SEED, text="Share the dates", owner="T/CC", by="LM", due_text="by 20 December")
    add_action(con, meeting_id=SEED, text="Report", owner="T/CC", by="LM", due_text="once the review is done")
    arising = slide_content.arising_actions(tracker(con, TODAY), SEED)
    assert arising["Due"].tolist()[3:] == [
        "31 Mar 2025 (approx.) — “by end of March”",
        "20 Dec 2024 — “by 20 December”",
        "date not resolved — “once the review is done”",
    ]
    q3 = schedule_meeting(con, held_on=date(2025, 2, 12), quarter_discussed="2024/25 Q3", by="Charity Pearce")
    frame = lib.meetings(con)
    meeting = frame[frame["id"] == q3].iloc[0].to_dict()
    review = slide_content.review_actions(tracker(con, date(2025, 2, 12)), meeting, date(2025, 2, 12)).set_index(
        "Action"
    )
    assert review.loc["Share the dates", "Due"] == "20 Dec 2024 — “by 20 December”"


def test_fit_rows_counts_the_tallest_cell_and_each_row_s_padding():
    frame = pd.DataFrame({"Action": ["a" * 40] * 4, "Due": ["the Q3 A&A performance meeting"] * 4, "i": range(4)})
    # Alone, each row's action is one line: four rows fill four lines.
    assert slide_content.fit_rows(frame, "Action", lines=4, chars_per_line=50)[1] == 0
    # The due date wraps to two lines in a narrow column: two rows fill four lines.
    rows, hidden = slide_content.fit_rows(frame, "Action", lines=4, chars_per_line=50, wraps={"Due": 16})
    assert rows["i"].tolist() == [0, 1] and hidden == 2
    # Padding of half a line a row: three one-line rows take 4.5 lines, so two fit in four.
    rows, hidden = slide_content.fit_rows(frame, "Action", lines=4, chars_per_line=50, row_lines=0.5, keep="last")
    assert rows["i"].tolist() == [2, 3] and hidden == 2
