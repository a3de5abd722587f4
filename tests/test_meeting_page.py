"""Meeting mode under AppTest: the slides of the seed meeting, navigation, live actions, read-only by construction."""

from __future__ import annotations

import ast
import json
import re
import time
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assurance.domain.commitments import actions, recommendations
from assurance.domain.commitments import agenda as meeting
from assurance.store.connection import connect
from ui import pages

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
SEED = "2024-11-27-aa-performance"
NAV_BUTTONS = ["◀ Previous", "Next ▶", "Page up", "Page down"]
INPUT_KINDS = (
    "text_input", "text_area", "number_input", "date_input", "time_input", "selectbox", "multiselect", "radio",
    "checkbox", "toggle", "slider", "select_slider", "color_picker", "chat_input",
)  # fmt: skip
WRITE_FUNCTIONS = {
    *meeting.WRITE_FUNCTIONS,
    "add_action", "edit_action", "add_update", "set_status", "schedule_meeting",
    "add_recommendation", "edit_recommendation",
}  # fmt: skip
assert set(WRITE_FUNCTIONS) <= set(dir(actions)) | set(dir(meeting)) | set(dir(recommendations))


@pytest.fixture()
def db(own_app_db) -> Path:
    return own_app_db


def display(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["mode"] = "meeting"
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def table(at, n: int = 0) -> list[dict]:
    return [{k: unescape(str(v)) for k, v in row.items()} for row in at.table[n].value.to_dict("records")]


def words(at) -> list[str]:
    return [
        unescape(e.value) for kind in ("title", "subheader", "markdown", "caption", "warning") for e in at.get(kind)
    ]


def position(at) -> str:
    return next(c.value for c in at.caption if re.fullmatch(r"\d+ / \d+.*", c.value))


def assert_read_only_display(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    for kind in INPUT_KINDS:
        assert not at.get(kind), f"meeting mode shows a {kind}"
    assert [b.label for b in at.button] == NAV_BUTTONS
    assert not at.get("form") and not at.get("link_button") and not at.get("download_button")


def test_title_slide_opens_the_seed_meeting(db):
    at = display(meeting=SEED, slide="1")
    assert_read_only_display(at)
    assert at.title[0].value == "Accountability & Assurance meeting: Q2 performance"
    text = words(at)
    assert "Wednesday 27 November 2024, 10:00" in text
    assert "Chair: John Campion" in text
    assert "Performance discussed: 2024/25 Q2 (July to September 2024)" in text
    assert any(t.startswith("1. Review of Action Tracker") and "4. Summary of Actions Arising" in t for t in text)
    assert "Illustrative demo figures" in at.info[0].value
    assert position(at) == "1 / 8"


def test_next_and_previous_move_through_the_slides_in_the_url(db):
    at = display(meeting=SEED, slide="1")
    at.button(key="meeting_next").click().run()
    assert at.query_params["slide"] == "2"
    assert at.title[0].value == "Review of Action Tracker" and position(at) == "2 / 8"
    at.button(key="meeting_page_down").click().run()
    assert at.query_params["slide"] == "3"
    at.button(key="meeting_previous").click().run()
    at.button(key="meeting_page_up").click().run()
    assert at.query_params["slide"] == "1"
    at.button(key="meeting_previous").click().run()  # no slide 0
    assert at.query_params["slide"] == "1" and at.title[0].value.startswith("Accountability")
    assert_read_only_display(at)


def test_the_last_slide_stays_put_on_next(db):
    at = display(meeting=SEED, slide="8")
    at.button(key="meeting_next").click().run()
    assert at.query_params["slide"] == "8" and position(at) == "8 / 8"


def test_without_parameters_the_latest_meeting_opens_at_slide_one(db):
    at = display()
    assert_read_only_display(at)
    assert at.query_params["meeting"] == SEED and at.query_params["slide"] == "1"
    assert at.title[0].value == "Accountability & Assurance meeting: Q2 performance"


def test_action_review_slide(db):
    at = display(meeting=SEED, slide="2")
    assert_read_only_display(at)
    assert at.subheader[0].value == "Open actions due at this meeting, and any overdue"
    text = words(at)
    assert "From the agenda: No outstanding actions, previous actions had been addressed and completed." in text
    assert "✓ No outstanding actions: none is due at this meeting and none is overdue." in text


def test_assessment_slides_show_the_figures_against_targets_with_spc(db):
    at = display(meeting=SEED, slide="3")
    assert_read_only_display(at)
    rows = {r["Metric"]: r for r in table(at)}
    assert rows["Positive outcome rate"] == {
        "Metric": "Positive outcome rate",
        "2024/25 Q2": "13.3%",
        "On 2023/24 Q2": "+1.0 pp",
        "Year to date on last year": "+1.3 pp",
        "Target": "✗ Not met (≥ 14.0%) *",
        "SPC": "▲ Improvement (higher)",
    }
    assert rows["Total recorded crime"]["On 2023/24 Q2"] == "−9.1%"
    assert "* Illustrative target, not an adopted one." in words(at)
    at.query_params["slide"] = "4"
    at.run()
    rows = {r["Metric"]: r for r in table(at)}
    assert rows["999 calls answered within 10 seconds"]["Target"] == "✗ Not met (≥ 90.0%)"
    assert at.subheader[0].value == "Response and service: West Mercia, 2024/25 Q2, against the targets"


def test_lpa_focus_slides_table_and_chart(db):
    at = display(meeting=SEED, slide="5")
    assert_read_only_display(at)
    rows = {r["Metric"]: r for r in table(at)}
    assert rows["Positive outcome rate"]["Shropshire"] == "11.4%"
    assert rows["Positive outcome rate"]["Rank (1 = best)"] == "5 of 5 (worst)"
    assert rows["Positive outcome rate"]["Gap to the force"] == "1.9 pp below the force"
    assert rows["Outstanding suspects"]["SPC"] == "▲ Concern (higher)"

    at.query_params["slide"] = "6"
    at.run()
    assert_read_only_display(at)
    (chart,) = at.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    layout = spec["layout"]
    assert layout["font"]["size"] >= 20
    assert layout["xaxis"]["tickfont"]["size"] >= 20 and layout["yaxis"]["tickfont"]["size"] >= 20
    assert layout["xaxis"]["title"]["font"]["size"] >= 20
    assert all(a["font"]["size"] >= 20 for a in layout.get("annotations", []))
    assert spec["data"][0]["textfont"]["size"] >= 20
    assert "<b>▶ Shropshire (focus)</b>" in spec["data"][0]["y"]


def test_lpa_focus_follows_the_lpa_parameter(db):
    at = display(meeting=SEED, slide="5", lpa="herefordshire")
    assert at.subheader[0].value == "Herefordshire against the other LPAs, 2024/25 Q2"
    assert "Herefordshire" in at.table[0].value.columns
    at = display(meeting=SEED, slide="5", lpa="atlantis")
    assert any("There is no LPA called “atlantis”" in w for w in words(at))
    assert "Shropshire" in at.table[0].value.columns


def test_hmicfrs_slide(db):
    at = display(meeting=SEED, slide="7")
    assert_read_only_display(at)
    first = table(at)[0]
    assert first["Recommendation"] == "Recording of ASB incidents and crimes"
    assert first["Deadline as said"] == "spring 2025" and first["Date"] == "31 May 2025 (approx.)"
    assert [(r["Deadline as said"], r["Date"]) for r in table(at)][1:] == [
        ("the 30th of Sept deadline", "30 Sep 2025"),
        ("31st of Mar 25", "31 Mar 2025"),
        ("end of Jan 2025", "31 Jan 2025 (approx.)"),
    ]
    assert any("approx.: the last day of the month, season or time frame said" in w for w in words(at))
    assert first["Progress"] == "◐ In progress"
    assert first["Today"].startswith(("⚠ Overdue by", "⏳ Due in", "○ Later"))
    assert [r["Deadline as said"] for r in table(at)] == [
        "spring 2025",
        "the 30th of Sept deadline",
        "31st of Mar 25",
        "end of Jan 2025",
    ]
    assert "Report: “Police Response to Anti-Social Behaviour”, published 10 Oct 2024" in words(at)


def test_actions_arising_slide_is_live(db):
    at = display(meeting=SEED, slide="8")
    assert_read_only_display(at)
    assert at.title[0].value == "Summary of Actions Arising"
    rows = table(at)
    assert [r["No."] for r in rows] == ["1", "2", "3"]
    assert rows[1]["Action"] == "T/CC to inform the OPCC of the details of the forthcoming Op Presence."
    assert rows[0]["Due"] == "Q3 Performance A&A meeting"

    # The minute-taker records an action in another session (same server process, same database).
    minute_taker = AppTest.from_file(APP, default_timeout=60).run()
    minute_taker.switch_page(pages.path("actions")).run()
    minute_taker.text_input(key="editor_name").input("Lucy Milner").run()
    form = "add_action"
    next(a for a in minute_taker.text_area if a.label == "Action" and form in str(a.proto.form_id)).input(
        "*T/CC* to share the # of Op Presence officers"
    )
    next(t for t in minute_taker.text_input if t.label.startswith("Owner") and form in str(t.proto.form_id)).input(
        "T/CC"
    )
    next(b for b in minute_taker.button if b.label == "Add action" and form in str(b.proto.form_id)).click().run()
    assert not minute_taker.exception

    at.run()  # what the fragment's timer does every few seconds
    rows = table(at)
    assert [r["No."] for r in rows] == ["1", "2", "3", "4"]
    assert rows[-1]["Action"] == "*T/CC* to share the # of Op Presence officers"  # literal, not Markdown
    assert rows[-1]["Owner"] == "T/CC"


def test_a_meeting_with_many_actions_shows_the_newest(db):
    con = connect(db)
    try:
        for n in range(1, 9):
            actions.add_action(con, meeting_id=SEED, text=f"Extra action {n} " + "word " * 20, owner="T/CC", by="LM")
    finally:
        con.close()
    at = display(meeting=SEED, slide="8")
    rows = table(at)
    assert rows[-1]["Action"].startswith("Extra action 8 ")
    assert len(rows) < 11
    assert any(w.endswith("earlier actions not shown: see the action tracker.") for w in words(at))


@pytest.mark.parametrize(
    ("query", "message", "heading"),
    [
        ({"meeting": "2099-01-01-nope", "slide": "1"}, "There is no meeting “2099\\-01\\-01\\-nope”", "Accountability"),
        ({"meeting": SEED, "slide": "42"}, "There is no slide 42: this meeting has 8. Showing slide 8.", "Summary"),
        ({"meeting": SEED, "slide": "<b>x</b>"}, "is not a slide number; showing slide 1 of 8.", "Accountability"),
    ],
)
def test_unknown_meeting_or_slide_gets_a_plain_message(db, query, message, heading):
    at = display(**query)
    assert_read_only_display(at)
    assert any(message in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.title[0].value.startswith(heading)


def test_a_meeting_without_an_agenda_shows_the_default_agenda(db):
    con = connect(db)
    try:
        q3 = actions.schedule_meeting(con, held_on=date(2025, 2, 12), quarter_discussed="2024/25 Q3", by="CP")
    finally:
        con.close()
    at = display(meeting=q3, slide="2")
    assert_read_only_display(at)
    assert any("showing the default A&A agenda" in w.value for w in at.warning)
    assert at.title[0].value == "Review of the action tracker"
    # The Q3 meeting reviews the action due at it.
    assert table(at)[0]["Action"].startswith("T/CC to provide an update at the Q3 Performance A&A meeting")


def test_meeting_mode_writes_nothing(db):
    con = connect(db)
    try:
        before = con.execute("SELECT (SELECT count(*) FROM audit_log), (SELECT count(*) FROM actions)").fetchone()
    finally:
        con.close()
    at = display(meeting=SEED, slide="1")
    for _ in range(8):
        at.button(key="meeting_next").click().run()
        assert_read_only_display(at)
    con = connect(db)  # the same configuration as the app's connection, so DuckDB shares the open database
    try:
        assert (
            con.execute("SELECT (SELECT count(*) FROM audit_log), (SELECT count(*) FROM actions)").fetchone() == before
        )
    finally:
        con.close()


def _imported_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
    return names


def _called_names(tree: ast.AST) -> set[str]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            out.add(node.attr)
        elif isinstance(node, ast.Name):
            out.add(node.id)
    return out


@pytest.mark.parametrize("module", ["meeting.py", "meeting_chart.py"])
def test_the_display_code_cannot_reach_a_write_function(module):
    """ui/meeting.py and the chart it draws (all that meeting mode runs) neither import nor name a function that
    writes."""
    tree = ast.parse((ROOT / "ui" / module).read_text())
    assert not (_imported_names(tree) | _called_names(tree)) & WRITE_FUNCTIONS
    assert "form" not in _called_names(tree) and "text_input" not in _called_names(tree)


def test_the_page_runs_only_the_display_in_meeting_mode():
    """app_pages/meeting.py: the meeting-mode branch calls display() alone; the writes live inside _editor()."""
    tree = ast.parse((ROOT / pages.path("meeting")).read_text())
    top_level_imports = _imported_names(
        ast.Module(body=[n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)], type_ignores=[])
    )
    assert not top_level_imports & WRITE_FUNCTIONS
    assert "assurance.domain.commitments.actions" not in top_level_imports
    (branch,) = [n for n in tree.body if isinstance(n, ast.If)]
    assert ast.unparse(branch.test) == "st.query_params.get('mode') == 'meeting'"
    assert [ast.unparse(s) for s in branch.body] == ["display.display()"]
    assert [ast.unparse(s) for s in branch.orelse] == ["_editor()"]
    editor = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_editor")
    assert _called_names(editor) & WRITE_FUNCTIONS  # the writes are there, and only there


def test_each_slide_runs_fast_when_warm(db):
    at = display(meeting=SEED, slide="1")
    timings = {}
    for n in range(1, 9):
        at.query_params["slide"] = str(n)
        at.run()  # warm
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            at.run()
            best = min(best, time.perf_counter() - start)
        timings[n] = best
    assert max(timings.values()) < 0.3, timings


# --- the preparation page (no mode parameter) -------------------------------------------------------


@pytest.fixture()
def prep(db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(pages.path("meeting")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_preparation_page_lists_the_slides_and_links_to_the_display(prep):
    assert prep.title[0].value == "Meeting room display"
    assert prep.selectbox(key="meeting_choice").value == SEED
    (link,) = prep.get("link_button")
    assert link.proto.url == f"?mode=meeting&meeting={SEED}&slide=1"
    slides = prep.table[0].value
    assert len(slides) == 8
    assert slides["Agenda item"].tolist()[:3] == [
        "Title slide",
        "1. Review of Action Tracker",
        "2. The Chief Constable's Assessment on Quarterly Performance",
    ]


def test_editing_the_agenda_needs_a_name_and_is_audited(prep, db):
    form = f"agenda_{SEED}_3"
    title = next(t for t in prep.text_input if t.label == "Title" and form in str(t.proto.form_id))
    title.input("HMICFRS: Anti-Social Behaviour report")
    next(b for b in prep.button if b.label == "Save item" and form in str(b.proto.form_id)).click().run()
    assert any("say who is making the change" in e.value for e in prep.error)

    prep.text_input(key="editor_name").input("Charity Pearce").run()
    title = next(t for t in prep.text_input if t.label == "Title" and form in str(t.proto.form_id))
    title.input("HMICFRS: Anti-Social Behaviour report")
    next(b for b in prep.button if b.label == "Save item" and form in str(b.proto.form_id)).click().run()
    assert not prep.exception
    assert any(s.value.startswith("Saved.") for s in prep.success)
    assert "3. HMICFRS: Anti-Social Behaviour report" in prep.table[0].value["Agenda item"].tolist()

    prep.button(key=f"up_{SEED}_4").click().run()
    items = prep.table[0].value["Agenda item"].tolist()
    assert items[-2:] == ["3. Summary of Actions Arising", "4. HMICFRS: Anti-Social Behaviour report"]

    add = f"agenda_add_{SEED}"
    prep.text_input(key="agenda_add_title").input("Any other business")
    next(b for b in prep.button if b.label == "Add item" and add in str(b.proto.form_id)).click().run()
    assert prep.table[0].value["Agenda item"].tolist()[-1] == "5. Any other business"

    con = connect(db)
    try:
        who = con.execute("SELECT DISTINCT changed_by FROM audit_log WHERE entity = 'meeting'").fetchall()
    finally:
        con.close()
    assert who == [("Charity Pearce",)]


def test_a_failed_reread_keeps_the_last_good_slide(db, monkeypatch):
    at = display(meeting=SEED, slide="8")
    assert len(table(at)) == 3

    def broken(*args, **kwargs):
        raise RuntimeError("the database is busy")

    import ui.meeting
    from ui.session import _connection

    working = ui.meeting.tracker
    monkeypatch.setattr(ui.meeting, "tracker", broken)
    # A committed write: the display must re-read (an unchanged version is drawn from the shared view, no read).
    actions.add_action(_connection(str(db)), meeting_id=SEED, text="Report back on Op Presence", owner="T/CC", by="LM")
    at.run()
    assert not at.exception and not at.error
    assert len(table(at)) == 3 and at.title[0].value == "Summary of Actions Arising"
    assert position(at) == "8 / 8 · updating…"
    assert "the database is busy" in at.session_state["_meeting_last_error"]
    # Only the tracker is put back: monkeypatch.undo() would also drop the test's ASSURANCE_DB, and the app would
    # then open the checkout's own data/assurance.duckdb.
    monkeypatch.setattr(ui.meeting, "tracker", working)
    at.run()
    assert position(at) == "8 / 8", at.session_state["_meeting_last_error"]
    assert len(table(at)) == 4
