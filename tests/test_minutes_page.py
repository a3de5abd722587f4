"""The Import minutes page: read, review, un-accept, save; nothing written before Save; user text never markup."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assurance.domain.setup import init_database
from tests.support import SEED_MINUTES
from ui import pages

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / pages.path("minutes_import"))
SEED = SEED_MINUTES
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture()
def db(tmp_path, monkeypatch) -> Path:
    """A fresh database without the seeded meeting, so the import can add it."""
    path = tmp_path / "import.duckdb"
    init_database(path)
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    return path


def count(path: Path, table: str) -> int:
    """Rows in a table, read through the app's own cached connection (DuckDB allows one configuration per file)."""
    from ui.session import _connection

    return _connection(str(path)).execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


def button(at: AppTest, label: str):
    (found,) = [b for b in at.button if b.label == label]
    return found


def read(at: AppTest, text: str) -> AppTest:
    at.text_area(key="minutes_text").set_value(text)
    button(at, "Read the minutes").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def all_text(at: AppTest) -> list[str]:
    kinds = ("title", "subheader", "caption", "markdown", "info", "warning", "error", "success")
    return [e.value for kind in kinds for e in getattr(at, kind)]


def test_read_proposes_and_writes_nothing_then_save_keeps_only_accepted_items(db):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception and at.title[0].value == "Import minutes"
    read(at, SEED.read_text(encoding="utf-8"))
    actions = at.data_editor(key="minutes_edit_actions").value
    assert len(actions) == 3 and actions["Accept"].all()
    assert list(actions["owner"]) == ["T/CC", "T/CC", "T/CC"]
    assert len(at.data_editor(key="minutes_edit_recommendations").value) == 4
    assert len(at.data_editor(key="minutes_edit_pledges").value) == 3
    assert len(at.data_editor(key="minutes_edit_claims").value) == 3
    # loose deadlines: the page says how they resolve, and shows the dates
    assert any("end of the period" in t for t in all_text(at))
    resolved = [df.value for df in at.dataframe if "Resolves to" in df.value.columns][0]
    assert list(resolved["Resolves to"]) == [
        "31 May 2025 (approx.)",
        "30 Sep 2025",
        "31 Mar 2025",
        "31 Jan 2025 (approx.)",
    ]
    # the year was not written: the page says how it was worked out
    warnings = [df.value for df in at.dataframe if "To check" in df.value.columns][0]
    assert any("Wednesday" in w for w in warnings["To check"])
    assert count(db, "meetings") == 0  # reading writes nothing

    at.session_state["minutes_edit_actions"] = {
        "edited_rows": {1: {"Accept": False}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.text_input(key="editor_name").set_value("Charity Pearce")
    at.run()
    button(at, "Save accepted items").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Saved meeting" in s.value and "2 actions" in s.value for s in at.success)
    assert count(db, "meetings") == 1
    assert count(db, "actions") == 2
    assert count(db, "recommendations") == 4
    from ui.session import _connection

    texts = [r[0] for r in _connection(str(db)).execute("SELECT text FROM actions ORDER BY position").fetchall()]
    assert not any("Op Presence" in t for t in texts)
    assert not at.data_editor  # the review is over


def test_save_without_a_name_or_twice_writes_nothing(db):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    read(at, SEED.read_text(encoding="utf-8"))
    button(at, "Save accepted items").click().run()
    assert any("Nothing was saved" in e.value for e in at.error)
    problems = [df.value for df in at.dataframe if "Problem" in df.value.columns][0]
    assert "Enter your name" in problems["Problem"].iloc[0]
    assert count(db, "meetings") == 0

    at.text_input(key="editor_name").set_value("Charity Pearce")
    button(at, "Save accepted items").click().run()
    assert count(db, "actions") == 3
    read(at, SEED.read_text(encoding="utf-8"))
    button(at, "Save accepted items").click().run()
    problems = [df.value for df in at.dataframe if "Problem" in df.value.columns][0]
    assert any("already in the database" in p for p in problems["Problem"])
    assert count(db, "actions") == 3


def test_html_and_script_in_the_minutes_show_as_literal_text(db):
    text = (
        f"Date: 27th November 2024\nChair: John Campion\n- John Campion – Police and Crime Commissioner (PCC)\n"
        f"Review of Actions\nDiscussion followed.\nACTION: T/CC to check {XSS} by 31st March 2025.\n"
        f"ACTION: Look at {XSS}.\n"
    )
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    read(at, text)
    actions = at.data_editor(key="minutes_edit_actions").value
    assert any(XSS in t for t in actions["text"])
    # the action without an owner is named in a warning: escaped, never markup
    assert any(XSS in w for df in at.dataframe if "To check" in df.value.columns for w in df.value["To check"])
    for value in all_text(at):
        assert "<script" not in value and "<img" not in value
    assert not at.get("html")


@pytest.mark.parametrize(
    ("text", "message"),
    [("   \n ", "The minutes are empty"), ("\x00\x01\x02" * 50, "binary file")],
    ids=["empty", "binary"],
)
def test_bad_pasted_text_gets_a_message_not_a_traceback(db, text, message):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    at.text_area(key="minutes_text").set_value(text)
    button(at, "Read the minutes").click().run()
    assert not at.exception
    assert any(message in e.value for e in at.error)
    assert not at.data_editor


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"\x89PNG\r\n\x1a\n\x00\x00binary", "binary file"), (b"x" * 1_100_000, "over 1 MB are refused")],
    ids=["binary", "huge"],
)
def test_bad_uploaded_files_get_a_message(db, data, message):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    at.file_uploader(key="minutes_file").set_value(("minutes.txt", data, "text/plain"))
    button(at, "Read the minutes").click().run()
    assert not at.exception
    assert any(message in e.value for e in at.error)


def test_an_uploaded_windows_1252_file_is_read(db):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    data = SEED.read_text(encoding="utf-8").encode("cp1252")
    at.file_uploader(key="minutes_file").set_value(("minutes-2024-11-27-aa-performance.txt", data, "text/plain"))
    button(at, "Read the minutes").click().run()
    assert not at.exception
    assert len(at.data_editor(key="minutes_edit_actions").value) == 3
    meeting = at.data_editor(key="minutes_edit_meeting").value.set_index("Field")["Value"]
    assert meeting["Meeting id"] == "2024-11-27-aa-performance"


def test_the_review_tables_show_names_not_codes(db):
    import json

    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    read(at, SEED.read_text(encoding="utf-8"))
    claims = json.loads(at.data_editor[-1].proto.columns)
    labels = {o["value"]: o["label"] for column in ("metric", "area", "period", "comparison")
              for o in claims[column]["type_config"]["options"]}  # fmt: skip
    assert labels["positive_outcome_rate"] == "Positive outcome rate"
    assert labels["telford_and_wrekin"] == "Telford & Wrekin"
    assert labels["force"] == "West Mercia"
    assert labels["year_to_date"] == "year to date"
    assert labels["same_period_last_year"] == "on the same period last year"
