"""The HMICFRS recommendations page under AppTest: the table, the timeline, edits through the forms, safe text.

The app keeps one read-write DuckDB connection per file for the life of the process, so each test
gets its own copy of the seeded database and reads back through the page or that same connection.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import pages
from ui.session import _connection

PAGE = str(Path(__file__).resolve().parent.parent / pages.path("recommendations"))
XSS = "<script>alert(1)</script>"


@pytest.fixture()
def db_path(own_app_db) -> Path:
    return own_app_db


@pytest.fixture()
def page(db_path) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rec_table(at):
    (table,) = at.table
    return table.value.set_index("No.")


def expander(at, number: int):
    (found,) = [e for e in at.expander if e.label.startswith(f"Rec {number}:")]
    return found


def audit_rows(path: Path) -> list[tuple]:
    cursor = _connection(str(path)).cursor()
    try:
        return cursor.execute("SELECT entity_id, field, old_value, new_value, changed_by FROM audit_log").fetchall()
    finally:
        cursor.close()


def test_the_page_shows_the_four_recommendations(page):
    assert page.title[0].value == "HMICFRS recommendations"
    assert any("Police Response to Anti" in h.value for h in page.subheader)
    assert any("published 10 Oct 2024" in c.value for c in page.caption)
    table = rec_table(page)
    assert table.index.tolist() == ["1", "2", "3", "4"]
    assert table.loc["1", "Deadline (as written)"] == "spring 2025"
    assert table.loc["1", "Resolves to"] == "31 May 2025 (approx.)"
    assert table.loc["4", "Deadline (as written)"] == "end of Jan 2025"
    assert table.loc["4", "Resolves to"] == "31 Jan 2025 (approx.)"
    assert table.loc["2", "Resolves to"] == "30 Sep 2025"
    assert table.loc["3", "Resolves to"] == "31 Mar 2025"
    assert table.loc["4", "Status"] == "in progress"
    assert table.loc["4", "Deadline status"].startswith("⚠ Overdue by ")
    assert set(table["Recommendation (report's wording)"]) == {"not recorded in the minutes"}
    assert table.loc["1", "Force's response"].startswith("Processes, procedures and policies refined")
    assert any("spring → 31 May" in c.value for c in page.caption)


def test_the_page_draws_the_timeline(page):
    (chart,) = page.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    names = {trace.get("name") for trace in spec["data"]}
    assert "Overdue" in names  # every seeded deadline has passed by the time this suite runs
    texts = [a["text"] for a in spec["layout"]["annotations"]]
    assert any(t.startswith("Today, ") for t in texts)
    assert "Next 90 days" in texts
    assert "recommendations_timeline" in chart.proto.id


def test_completing_a_recommendation_through_the_form(page, db_path):
    page.text_input(key="editor_name").input("Jane Analyst")
    page.selectbox(key="rec_4_status").select("complete")
    page.text_area(key="rec_4_evidence").input("Framework live 28 Jan 2025")
    expander(page, 4).button[0].click()
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    assert [s.value for s in page.success] == ["Rec 4: ASB problem solving plans (PSPs): saved (status, evidence)."]
    table = rec_table(page)
    assert table.loc["4", "Status"] == "complete"
    assert table.loc["4", "Deadline status"] == "✓ Complete"
    assert table.loc["4", "Evidence"] == "Framework live 28 Jan 2025"
    assert table.loc["3", "Status"] == "in progress"
    (trail,) = expander(page, 4).dataframe
    history = trail.value
    assert history[["Who", "Field", "Change"]].values.tolist() == [
        ["Jane Analyst", "status", "in progress → complete"],
        ["Jane Analyst", "evidence", "– → Framework live 28 Jan 2025"],
    ]
    assert audit_rows(db_path) == [
        ("4", "status", "in progress", "complete", "Jane Analyst"),
        ("4", "evidence", None, "Framework live 28 Jan 2025", "Jane Analyst"),
    ]
    # The chart shows it complete too.
    spec = json.loads(page.get("plotly_chart")[0].proto.spec)
    assert "Complete" in {trace.get("name") for trace in spec["data"]}


def test_saving_without_a_name_changes_nothing(page, db_path):
    page.selectbox(key="rec_4_status").select("complete")
    expander(page, 4).button[0].click()
    page.run()
    assert not page.exception
    assert [e.value for e in page.error] == [
        "say who is making the change: the audit trail records a name for every change"
    ]
    assert not page.success
    assert rec_table(page).loc["4", "Status"] == "in progress"
    assert audit_rows(db_path) == []


def test_evidence_is_shown_literally(page, db_path):
    page.text_input(key="editor_name").input("Jane Analyst")
    page.text_area(key="rec_2_evidence").input(XSS)
    expander(page, 2).button[0].click()
    page.run()
    assert not page.exception
    assert rec_table(page).loc["2", "Evidence"] == XSS
    (trail,) = expander(page, 2).dataframe
    assert trail.value["Change"].tolist() == [f"– → {XSS}"]
    rendered = [m.value for m in page.markdown] + [e.label for e in page.expander] + [c.value for c in page.caption]
    assert not any("<script" in text for text in rendered)


def test_adding_a_recommendation_through_the_form(page, db_path):
    page.text_input(key="editor_name").input("Jane Analyst")
    page.text_input(key="rec_add_report").input("Police Response to Anti-Social Behaviour")
    page.number_input(key="rec_add_number").set_value(5)
    page.text_input(key="rec_add_subject").input("ASB victims' experience")
    page.text_input(key="rec_add_deadline").input("summer 2025")
    (add,) = [b for b in page.button if b.label == "Add recommendation"]
    add.click()
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    assert [s.value for s in page.success] == ["Recommendation 5 of “Police Response to Anti-Social Behaviour” added."]
    table = rec_table(page)
    assert table.loc["5", "Deadline (as written)"] == "summer 2025"
    assert table.loc["5", "Resolves to"] == "31 Aug 2025 (approx.)"
    assert table.loc["5", "Status"] == "open"
    assert {row[4] for row in audit_rows(db_path)} == {"Jane Analyst"}


def test_adding_a_duplicate_number_shows_the_reason(page, db_path):
    page.text_input(key="editor_name").input("Jane Analyst")
    page.text_input(key="rec_add_report").input("Police Response to Anti-Social Behaviour")
    page.number_input(key="rec_add_number").set_value(4)
    page.text_input(key="rec_add_subject").input("Again")
    (add,) = [b for b in page.button if b.label == "Add recommendation"]
    add.click()
    page.run()
    # A recommendation already held is refused (core/errors.py: Refused, shown as a warning), not a wrong value.
    assert [e.value for e in page.warning] == [
        "recommendation 4 of “Police Response to Anti-Social Behaviour” is already recorded; "
        "edit it instead, or give another number"
    ]
    assert [e.value for e in page.error] == []
    assert len(rec_table(page)) == 4
    assert audit_rows(db_path) == []


def test_each_deadline_shows_its_words_beside_the_date_they_resolve_to(page):
    table = rec_table(page)
    assert table[["Deadline (as written)", "Resolves to"]].values.tolist() == [
        ["spring 2025", "31 May 2025 (approx.)"],
        ["the 30th of Sept deadline", "30 Sep 2025"],
        ["31st of Mar 25", "31 Mar 2025"],
        ["end of Jan 2025", "31 Jan 2025 (approx.)"],
    ]
    # the convention is in the help of the field where a deadline is typed, and under the table
    helps = [t.help for t in page.text_input if t.label == "Deadline (as written)"]
    assert helps and all("spring → 31 May" in h and "winter → the end of the February" in h for h in helps)
    assert any("approx." in c.value and "date not resolved" in c.value for c in page.caption)


def test_words_that_cannot_be_read_show_date_not_resolved(page, db_path):
    page.text_input(key="editor_name").input("J. Clerk")
    page.text_input(key="rec_3_deadline_text").input("when the audit is done")
    expander(page, 3).button[0].click()
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    assert "could not be read as a date" in page.success[0].value
    table = rec_table(page)
    assert table.loc["3", "Deadline (as written)"] == "when the audit is done"
    assert table.loc["3", "Resolves to"] == "date not resolved"
