"""The action tracker and the pledges/claims pages under AppTest: officers add, update and close actions."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import pages

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture()
def tracker(own_app_db):
    """The tracker page on a database of its own (the app keeps a read-write connection to it)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(pages.path("actions"))
    at.run()
    assert not at.exception
    return at


def fill_new_action(at, text: str, owner: str = "T/CC") -> str:
    """Type an action and its owner into the "Add an action" form; the form's key."""
    form = "add_action"
    [a for a in at.text_area if a.label == "Action" and form in str(a.proto.form_id)][0].input(text)
    [t for t in at.text_input if t.label.startswith("Owner") and form in str(t.proto.form_id)][0].input(owner)
    return form


def form_button(at, label, form_key):
    return next(b for b in at.button if b.label == label and form_key in str(b.proto.form_id))


def test_tracker_shows_the_three_seeded_actions_grouped_by_meeting(tracker):
    assert [s.value for s in tracker.subheader][:3] == [
        "Due at: the Q3 A&A performance meeting (not yet scheduled; expected by Mar 2025)",
        "Due at: the Q4 A&A performance meeting (not yet scheduled; expected by May 2025)",
        "Open, no meeting named",
    ]
    texts = [t.value for t in tracker.text]
    assert any("Op Presence" in t for t in texts)
    assert [m.value for m in tracker.metric] == ["3", "2", "0"]


def test_adding_an_action_without_a_name_is_refused(tracker):
    form = fill_new_action(tracker, "Share dates")
    form_button(tracker, "Add action", form).click().run()
    assert "Say who is making the change" in tracker.error[0].value
    assert [m.value for m in tracker.metric] == ["3", "2", "0"]


def test_add_update_close_and_see_history(tracker):
    tracker.text_input(key="editor_name").input("Charity Pearce").run()
    form = fill_new_action(tracker, "<script>alert('x')</script> T/CC to share Op Presence dates")
    form_button(tracker, "Add action", form).click().run()
    assert not tracker.exception
    assert [m.value for m in tracker.metric] == ["4", "2", "0"]
    # The new action's text is shown literally, never as markup.
    assert "<script>alert('x')</script> T/CC to share Op Presence dates" in [t.value for t in tracker.text]

    tracker.text_area(key="update_text_4").input("Dates shared by email on 4 Dec")
    form_button(tracker, "Add update", "update_4").click().run()
    assert any(t.value.startswith("Update ") and "Dates shared by email" in t.value for t in tracker.text)
    assert any("Action 4" in m.value and "Update given" in m.value for m in tracker.markdown)

    tracker.selectbox(key="status_choice_4").select("closed")
    form_button(tracker, "Change status", "status_4").click().run()
    assert [m.value for m in tracker.metric] == ["3", "2", "1"]
    assert "Closed or withdrawn" in [s.value for s in tracker.subheader]
    history = [d.value for d in tracker.dataframe if "Who" in d.value.columns]
    closed = next(h for h in history if "closed" in h["New value"].tolist())
    assert closed["Who"].tolist() == ["Charity Pearce"] * 4
    assert closed["What"].tolist() == ["create", "update", "status", "status"]


def test_pledges_and_claims_page_checks_the_figures(tracker):
    tracker.switch_page(pages.path("pledges_claims"))
    tracker.run()
    assert not tracker.exception
    table = tracker.table[0].value
    assert table["Verdict"].tolist() == ["✓ Agrees"] * 3
    assert table["The data give"].tolist() == ["−9.0%", "13.3%", "+1.0 pp"]
    labels = [m.value for m in tracker.markdown if m.value.startswith("**")]
    assert len(labels) == 3 and all("No data yet" in label for label in labels)


def unescaped(markdown: str) -> str:
    """A caption as a reader sees it: the page escapes Markdown characters in user text."""
    return re.sub(r"\\(.)", r"\1", markdown)


def test_an_action_due_by_loose_words_shows_the_resolved_date_and_the_words(tracker):
    tracker.text_input(key="editor_name").input("Lucy Milner").run()
    form = fill_new_action(tracker, "T/CC to share the Op Presence evaluation")
    (due,) = [t for t in tracker.text_input if t.label.startswith("Due (as agreed") and form in str(t.proto.form_id)]
    assert "spring → 31 May" in due.help  # the convention, where the words are typed
    due.input("by end of March")
    form_button(tracker, "Add action", form).click().run()
    assert not tracker.exception
    captions = [unescaped(c.value) for c in tracker.caption]
    # raised at the meeting of 27 Nov 2024: the next end of March is 2025's, the last day of a month: approximate
    assert any("Due: 31 Mar 2025 (approx.) — “by end of March”" in c for c in captions), captions
    # the seeded actions wait for their meetings, named as written
    assert any("Due: Q3 Performance A&A meeting" in c for c in captions)
    assert any("Due: no date stated" in c for c in captions)


def test_pledges_show_the_end_of_their_time_frame_beside_the_words(tracker):
    tracker.switch_page(pages.path("pledges_claims")).run()
    assert not tracker.exception
    captions = [unescaped(c.value) for c in tracker.caption]
    assert sum("due: 27 Feb 2025 (approx.) — “over the next three months”" in c for c in captions) == 1
    assert sum("due: 27 May 2025 (approx.) — “over the next six months”" in c for c in captions) == 2
