"""HMICFRS recommendations: deadline statuses, edits with their audit trail, validation, and the timeline figure."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from assurance.core.errors import InvalidInput, Refused
from assurance.domain.commitments.recommendations import (
    add_recommendation,
    deadline_status,
    edit_recommendation,
    history,
    recommendations_table,
    status_label,
)
from assurance.products.charts.timeline import STATUS_STYLE, deadline_timeline

BEFORE = date(2025, 1, 10)  # between the meeting and the first deadline
TODAY = date(2026, 11, 26)
REPORT = "Police Response to Anti-Social Behaviour"


@pytest.fixture()
def con(seeded_copy_con):
    """A writable copy of the seeded database, one per test (tests/conftest.py)."""
    return seeded_copy_con


def snapshot(con) -> tuple:
    """Everything an edit could touch: the recommendations and the audit trail."""
    recs = con.execute("SELECT * FROM recommendations ORDER BY id").fetchall()
    audit = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    return recs, audit


@pytest.mark.parametrize(
    ("deadline", "status", "expected"),
    [
        (None, "open", "no date"),
        (None, "complete", "complete"),
        (date(2026, 11, 25), "open", "overdue"),
        (date(2020, 1, 1), "in progress", "overdue"),
        (date(2020, 1, 1), "complete", "complete"),
        (date(2020, 1, 1), "closed", "complete"),
        (TODAY, "open", "due within 90 days"),
        (TODAY + timedelta(days=90), "open", "due within 90 days"),
        (TODAY + timedelta(days=91), "in progress", "later"),
        (pd.Timestamp("2027-06-01"), "open", "later"),
        (pd.NaT, "open", "no date"),
    ],
)
def test_deadline_status(deadline, status, expected):
    assert deadline_status(deadline, status, TODAY) == expected


@pytest.mark.parametrize(
    ("status", "days", "expected"),
    [
        ("overdue", -664, "⚠ Overdue by 664 days"),
        ("overdue", -1, "⚠ Overdue by 1 day"),
        ("due within 90 days", 40, "⏳ Due in 40 days"),
        ("due within 90 days", 0, "⏳ Due today"),
        ("later", 141, "○ Later: due in 141 days"),
        ("complete", -5, "✓ Complete"),
        ("no date", pd.NA, "? No date: the deadline as written could not be read as a date"),
    ],
)
def test_status_label(status, days, expected):
    assert status_label(status, days) == expected


def seeded_view(con, today: date) -> pd.DataFrame:
    table = recommendations_table(con, today)
    return table[["number", "deadline_text", "deadline_date", "deadline_status", "days_left", "deadline_words"]]


def test_the_four_seeded_recommendations_on_10_january_2025(con):
    expected = pd.DataFrame(
        {
            "number": [1, 2, 3, 4],
            "deadline_text": ["spring 2025", "the 30th of Sept deadline", "31st of Mar 25", "end of Jan 2025"],
            "deadline_date": pd.to_datetime(["2025-05-31", "2025-09-30", "2025-03-31", "2025-01-31"]),
            "deadline_status": ["later", "later", "due within 90 days", "due within 90 days"],
            "days_left": pd.array([141, 263, 80, 21], dtype="Int64"),
            "deadline_words": ["141 days left", "263 days left", "80 days left", "21 days left"],
        }
    )
    pd.testing.assert_frame_equal(seeded_view(con, BEFORE), expected, check_dtype=False)


def test_every_seeded_recommendation_is_overdue_on_26_november_2026(con):
    table = seeded_view(con, TODAY)
    assert table["deadline_status"].tolist() == ["overdue"] * 4
    assert table["days_left"].tolist() == [-544, -422, -605, -664]
    assert table["deadline_words"].tolist()[3] == "overdue by 664 days"


def test_the_table_keeps_every_column(con):
    table = recommendations_table(con, TODAY)
    for column in ("id", "report", "report_published", "subject", "text", "force_response", "status", "evidence"):
        assert column in table.columns
    assert set(table["report"]) == {REPORT}
    assert table["text"].isna().all()  # the minutes do not record the report's wording


def test_complete_wins_over_overdue(con):
    assert edit_recommendation(con, 4, by="A. Analyst", status="complete") == ["status"]
    table = recommendations_table(con, TODAY).set_index("number")
    assert table.loc[4, "deadline_status"] == "complete"
    assert table.loc[4, "days_left"] == -664  # still reported, for the record
    assert table.loc[3, "deadline_status"] == "overdue"


def test_an_edit_is_written_to_the_audit_trail_field_by_field(con):
    changed = edit_recommendation(
        con, 4, by="  Jane Analyst ", status="complete", evidence="Performance framework live 28 Jan 2025"
    )
    assert changed == ["status", "evidence"]
    row = con.execute("SELECT status, evidence FROM recommendations WHERE id = 4").fetchone()
    assert row == ("complete", "Performance framework live 28 Jan 2025")
    trail = history(con, 4)
    rows = trail[["changed_by", "operation", "field", "old_value", "new_value"]]
    assert rows.astype(object).where(rows.notna(), None).values.tolist() == [
        ["Jane Analyst", "status", "status", "in progress", "complete"],
        ["Jane Analyst", "edit", "evidence", None, "Performance framework live 28 Jan 2025"],
    ]
    assert trail["changed_at"].notna().all()
    entities = con.execute("SELECT DISTINCT entity, entity_id FROM audit_log").fetchall()
    assert entities == [("recommendation", "4")]


def test_new_deadline_words_are_resolved_again(con):
    changed = edit_recommendation(con, 1, by="J. Clerk", deadline_text="end of Feb 2025", said_on=BEFORE)
    assert changed == ["deadline_text", "deadline_date"]
    assert con.execute("SELECT deadline_text, deadline_date FROM recommendations WHERE id = 1").fetchone() == (
        "end of Feb 2025",
        date(2025, 2, 28),
    )
    trail = history(con, 1)[["field", "old_value", "new_value", "changed_by"]].values.tolist()
    assert trail == [
        ["deadline_text", "spring 2025", "end of Feb 2025", "J. Clerk"],
        ["deadline_date", "2025-05-31", "2025-02-28", "J. Clerk"],
    ]
    # A day without a year is the next such day after the words were said.
    edit_recommendation(con, 1, by="J. Clerk", deadline_text="the 30th of Sept deadline", said_on=date(2025, 10, 1))
    assert con.execute("SELECT deadline_date FROM recommendations WHERE id = 1").fetchone() == (date(2026, 9, 30),)


def test_an_explicit_date_overrides_the_words(con):
    changed = edit_recommendation(
        con, 2, by="J. Clerk", deadline_text="by the autumn", deadline_date=date(2025, 10, 31), said_on=BEFORE
    )
    assert changed == ["deadline_text", "deadline_date"]
    assert con.execute("SELECT deadline_text, deadline_date FROM recommendations WHERE id = 2").fetchone() == (
        "by the autumn",
        date(2025, 10, 31),
    )


def test_unreadable_words_leave_no_date(con):
    assert edit_recommendation(con, 3, by="J. Clerk", deadline_text="when the audit is done") == [
        "deadline_text",
        "deadline_date",
    ]
    table = recommendations_table(con, TODAY).set_index("number")
    assert table.loc[3, "deadline_status"] == "no date"
    assert pd.isna(table.loc[3, "days_left"])


def test_an_edit_that_changes_nothing_writes_nothing(con):
    before = snapshot(con)
    assert edit_recommendation(con, 1, by="J. Clerk", status="in progress", deadline_text="spring 2025") == []
    assert edit_recommendation(con, 1, by="J. Clerk", evidence="   ") == []  # blank is the same as none
    assert snapshot(con) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"by": "", "status": "complete"}, "say who is making the change"),
        ({"by": "   ", "evidence": "x"}, "say who is making the change"),
        ({"by": "J. Clerk", "status": "done"}, "the status must be one of open, in progress, complete, closed"),
        ({"by": "J. Clerk", "subject": "  "}, "the subject is empty"),
        ({"by": "J. Clerk", "status": "complete", "subject": ""}, "the subject is empty"),
        ({"by": "J. Clerk", "report": "Another"}, "these fields cannot be edited: report"),
        ({"by": "J. Clerk", "deadline_date": "2025-01-01"}, "the deadline date must be a date"),
        ({"by": "J. Clerk", "evidence": "x" * 2001}, "at most 2,000 are allowed"),
    ],
)
def test_an_invalid_edit_writes_nothing(con, changes, message):
    before = snapshot(con)
    with pytest.raises(ValueError, match=message):
        edit_recommendation(con, 4, **changes)
    assert snapshot(con) == before


def test_editing_a_recommendation_that_does_not_exist(con):
    before = snapshot(con)
    with pytest.raises(ValueError, match="there is no recommendation 99"):
        edit_recommendation(con, 99, by="J. Clerk", status="complete")
    assert snapshot(con) == before


@pytest.mark.parametrize(
    ("call", "kind", "message"),
    [
        (lambda c: edit_recommendation(c, 99, by="J. Clerk", status="complete"), InvalidInput, "no recommendation 99"),
        (lambda c: edit_recommendation(c, 4, by="J. Clerk", status="done"), InvalidInput, "the status must be one of"),
        (lambda c: edit_recommendation(c, 4, by="J. Clerk", report="x"), InvalidInput, "cannot be edited: report"),
        (
            lambda c: add_recommendation(c, **new_recommendation(number=4)),
            Refused,
            "recommendation 4 of “Police Response to Anti-Social Behaviour” is already recorded",
        ),
    ],
)
def test_a_refusal_says_whether_what_was_typed_or_what_is_held_stopped_it(con, call, kind, message):
    """A wrong value is InvalidInput (an error on the page); a recommendation already held is Refused (a warning).
    Both exit 2 from the command line, and nothing is written."""
    before = snapshot(con)
    with pytest.raises(kind, match=message) as caught:
        call(con)
    assert (caught.value.exit_code, caught.value.page_kind) == (2, "warning" if kind is Refused else "error")
    assert snapshot(con) == before


def new_recommendation(**overrides) -> dict:
    return {
        "report": "Police Response to Anti-Social Behaviour",
        "report_published": date(2024, 10, 10),
        "number": 5,
        "subject": "ASB victims' experience",
        "force_response": "A victim survey from April.",
        "deadline_text": "summer 2025",
        "status": "open",
        "by": "J. Clerk",
        "said_on": date(2024, 11, 27),
    } | overrides


def test_add_a_recommendation(con):
    rec_id = add_recommendation(con, **new_recommendation())
    table = recommendations_table(con, BEFORE).set_index("id")
    row = table.loc[rec_id]
    assert (row["number"], row["subject"], row["deadline_text"]) == (5, "ASB victims' experience", "summer 2025")
    assert row["deadline_date"] == pd.Timestamp("2025-08-31")
    assert row["deadline_status"] == "later"
    assert row["status"] == "open"
    trail = history(con, rec_id)
    assert set(trail["operation"]) == {"create"}
    assert set(trail["changed_by"]) == {"J. Clerk"}
    assert dict(zip(trail["field"], trail["new_value"], strict=True)) == {
        "report": REPORT,
        "report_published": "2024-10-10",
        "number": "5",
        "subject": "ASB victims' experience",
        "force_response": "A victim survey from April.",
        "deadline_text": "summer 2025",
        "deadline_date": "2025-08-31",
        "status": "open",
    }


def test_a_deadline_without_a_year_resolves_from_the_day_it_was_said(con):
    rec_id = add_recommendation(
        con, **new_recommendation(deadline_text="the 30th of Sept deadline", said_on=date(2025, 10, 2))
    )
    assert con.execute("SELECT deadline_date FROM recommendations WHERE id = $id", {"id": rec_id}).fetchone() == (
        date(2026, 9, 30),
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"by": ""}, "say who is making the change"),
        ({"report": " "}, "the report name is empty"),
        ({"subject": ""}, "the subject is empty"),
        ({"subject": None}, "the subject is empty"),
        ({"number": 0}, "the recommendation number must be a whole number, 1 or more"),
        ({"number": 2.5}, "the recommendation number must be a whole number, 1 or more"),
        ({"number": True}, "the recommendation number must be a whole number, 1 or more"),
        ({"number": 4}, "recommendation 4 of “Police Response to Anti-Social Behaviour” is already recorded"),
        ({"status": "finished"}, "the status must be one of"),
        ({"report_published": "10/10/2024"}, "the publication date must be a date"),
    ],
)
def test_an_invalid_recommendation_is_not_added(con, overrides, message):
    before = snapshot(con)
    with pytest.raises(ValueError, match=message):
        add_recommendation(con, **new_recommendation(**overrides))
    assert snapshot(con) == before


def test_the_same_number_in_another_report_is_allowed(con):
    rec_id = add_recommendation(con, **new_recommendation(report="Another inspection", number=1))
    assert rec_id > 4


# --- the timeline figure -------------------------------------------------------------------------------------


def marker_traces(fig) -> dict:
    return {trace.name: trace for trace in fig.data if trace.mode == "markers" and trace.name in NAMES}


NAMES = {name for name, _, _ in STATUS_STYLE.values()}


def as_day(value) -> date:
    return pd.Timestamp(value).date()


def test_one_marker_per_recommendation_at_its_deadline(con):
    table = recommendations_table(con, BEFORE)
    fig = deadline_timeline(table, BEFORE)
    traces = marker_traces(fig)
    assert set(traces) == {"Due within 90 days", "Later"}
    points = {y: as_day(x) for trace in traces.values() for x, y in zip(trace.x, trace.y, strict=True)}
    assert len(points) == 4
    assert points["Rec 1: Recording of ASB incidents and crimes"] == date(2025, 5, 31)
    assert points["Rec 4: ASB problem solving plans (PSPs)"] == date(2025, 1, 31)
    assert points["Rec 3: ASB risk assessment and management of…"] == date(2025, 3, 31)
    assert [as_day(x) for x in traces["Due within 90 days"].x] == [date(2025, 3, 31), date(2025, 1, 31)]
    assert traces["Later"].marker.color == "#0072B2" and traces["Later"].marker.symbol == "circle"
    assert traces["Due within 90 days"].marker.color == "#E69F00"
    assert traces["Due within 90 days"].marker.symbol == "diamond"


def test_labels_are_short_and_the_hover_says_it_all(con):
    table = recommendations_table(con, BEFORE)
    fig = deadline_timeline(table, BEFORE)
    labels = list(fig.layout.yaxis.categoryarray)
    assert labels[0] == "Rec 1: Recording of ASB incidents and crimes"
    assert labels[1].startswith("Rec 2: ASB training for Local Policing") and labels[1].endswith("…")
    assert all(len(label) <= 45 for label in labels)
    assert fig.layout.yaxis.autorange == "reversed"  # Rec 1 at the top
    hover = " ".join(text for trace in marker_traces(fig).values() for text in trace.hovertext)
    assert "Rec 2: ASB training for Local Policing, SNT, OCC and CRC staff" in hover
    assert "Deadline as written: spring 2025" in hover
    assert "Resolves to: 31 May 2025 (approx.)" in hover
    assert "Resolves to: 31 Mar 2025<br>" in hover  # "31st of Mar 25" is a day: exact
    assert "Status: in progress; 21 days left" in hover


def test_statuses_by_colour_and_symbol_today(con):
    edit_recommendation(con, 2, by="J. Clerk", status="complete")
    fig = deadline_timeline(recommendations_table(con, TODAY), TODAY)
    traces = marker_traces(fig)
    assert {name: (t.marker.color, t.marker.symbol, len(t.x)) for name, t in traces.items()} == {
        "Overdue": ("#D55E00", "x", 3),
        "Complete": ("#999999", "circle-open", 1),
    }
    assert all(t.showlegend is not False for t in traces.values())


def test_today_is_marked_and_the_next_90_days_shaded(con):
    fig = deadline_timeline(recommendations_table(con, TODAY), TODAY)
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    bands = [s for s in fig.layout.shapes if s.type == "rect"]
    assert [(as_day(s.x0), as_day(s.x1)) for s in lines] == [(TODAY, TODAY)]
    assert [(as_day(s.x0), as_day(s.x1)) for s in bands] == [(TODAY, date(2027, 2, 24))]
    texts = [a.text for a in fig.layout.annotations]
    assert "Today, 26 Nov 2026" in texts
    assert "Next 90 days" in texts
    low, high = (as_day(x) for x in fig.layout.xaxis.range)
    assert low < date(2024, 10, 10) and high > date(2027, 2, 24)  # publication, deadlines and band all in view


def test_spans_run_from_publication_to_deadline(con):
    fig = deadline_timeline(recommendations_table(con, TODAY), TODAY)
    (span,) = [t for t in fig.data if t.mode == "lines"]
    starts = [as_day(x) for x in span.x[0::3]]
    ends = [as_day(x) for x in span.x[1::3]]
    assert starts == [date(2024, 10, 10)] * 4
    assert ends == [date(2025, 5, 31), date(2025, 9, 30), date(2025, 3, 31), date(2025, 1, 31)]


def test_user_text_in_the_hover_is_shown_literally(con):
    edit_recommendation(con, 1, by="J. Clerk", subject="<script>alert(1)</script>")
    fig = deadline_timeline(recommendations_table(con, TODAY), TODAY)
    hover = " ".join(text for trace in marker_traces(fig).values() for text in trace.hovertext)
    assert "<script>" not in hover
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hover


def test_an_empty_table_draws_an_empty_timeline():
    table = pd.DataFrame(
        columns=[
            "report", "report_published", "number", "subject", "deadline_text", "deadline_date", "status",
            "deadline_status", "deadline_words",
        ]
    )  # fmt: skip
    fig = deadline_timeline(table, TODAY)
    assert not marker_traces(fig)
    assert "Today, 26 Nov 2026" in [a.text for a in fig.layout.annotations]


def test_a_deadline_without_a_date_is_still_listed(con):
    edit_recommendation(con, 3, by="J. Clerk", deadline_text="when the audit is done")
    fig = deadline_timeline(recommendations_table(con, TODAY), TODAY)
    assert len(fig.layout.yaxis.categoryarray) == 4
    assert sum(len(t.x) for t in marker_traces(fig).values()) == 3
    (undated,) = [t for t in fig.data if t.name == "No date"]
    assert list(undated.y) == ["Rec 3: ASB risk assessment and management of…"]


def _deadline(con, rec_id: int) -> tuple:
    return con.execute(
        "SELECT deadline_text, deadline_date, deadline_approximate FROM recommendations WHERE id = $id", {"id": rec_id}
    ).fetchone()


def test_the_table_says_which_seeded_deadlines_are_approximate(con):
    table = recommendations_table(con, BEFORE)
    assert table[["deadline_text", "deadline_approximate"]].values.tolist() == [
        ["spring 2025", True],
        ["the 30th of Sept deadline", False],
        ["31st of Mar 25", False],
        ["end of Jan 2025", True],
    ]


def test_an_added_or_edited_deadline_keeps_whether_it_is_approximate(con):
    rec_id = add_recommendation(con, **new_recommendation(deadline_text="by end of March", said_on=BEFORE))
    assert _deadline(con, rec_id) == ("by end of March", date(2025, 3, 31), True)
    edit_recommendation(con, rec_id, by="J. Clerk", deadline_text="31 March 2025", said_on=BEFORE)
    assert _deadline(con, rec_id) == ("31 March 2025", date(2025, 3, 31), False)
    # a date typed over loose words is exact
    edit_recommendation(
        con, rec_id, by="J. Clerk", deadline_text="by the autumn", deadline_date=date(2025, 10, 31), said_on=BEFORE
    )
    assert _deadline(con, rec_id) == ("by the autumn", date(2025, 10, 31), False)
    edit_recommendation(con, rec_id, by="J. Clerk", deadline_text="when the audit is done", said_on=BEFORE)
    assert _deadline(con, rec_id) == ("when the audit is done", None, None)
