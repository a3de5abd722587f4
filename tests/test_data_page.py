"""The Data page under AppTest: upload, validation report, preview, conflicts and confirm, loads list, undo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.support import STREET_FILES
from ui import pages

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / pages.path("data"))
STREET = STREET_FILES
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"


@pytest.fixture()
def data_page(own_app_db) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def upload(at: AppTest, paths: list[Path]) -> AppTest:
    at.file_uploader(key="data_uploads").set_value([(p.name, p.read_bytes(), "text/csv") for p in paths])
    return at.run()


def loads_table(at: AppTest):
    return next(d.value for d in at.dataframe if "Load" in d.value.columns)


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts)


def test_first_view_lists_the_shipped_figures_and_offers_the_template(data_page):
    assert data_page.title[0].value == "Data: imports and loads"
    loads = loads_table(data_page)
    assert loads["Status"].tolist() == ["shipped"] and loads["Figures in place"].tolist() == ["1,612"]
    assert loads["By"].tolist() == ["–"] and loads["Load"].tolist() == ["–"]  # no empty 'None' cells
    assert "Open Government Licence" in texts(data_page)
    assert len(data_page.get("download_button")) == 2


def test_upload_preview_confirm_and_the_load_is_listed_then_undone(data_page):
    at = upload(data_page, STREET)
    assert not at.exception
    shown = texts(at)
    assert "12 quarterly figures" in shown and "could not be placed in an LPA" in shown
    assert at.button(key="data_load").disabled  # no name yet
    at.text_input(key="editor_name").input("Test Analyst").run()
    at.button(key="data_load").click().run()
    assert not at.exception
    assert "Loaded as load 1" in at.success[0].value
    loads = loads_table(at)
    assert loads["Load"].tolist()[0] == "1" and loads["By"].tolist()[0] == "Test Analyst"
    assert "Load 1:" in at.expander[0].label and "(loaded)" in at.expander[0].label
    # The load's monthly counts, one row per month, measure and LPA (summed over categories).
    from assurance.domain.loads import monthly_counts
    from ui.session import _connection

    in_place = monthly_counts(_connection(os.environ["ASSURANCE_DB"]), 1)
    expected = in_place.groupby(["month", "measure", "area"], as_index=False)["count"].sum()
    months = next(d.value for d in at.dataframe if list(d.value.columns) == ["month", "measure", "area", "count"])
    assert months.to_dict("records") == expected.to_dict("records") and len(months) == 3 * 2 * 5
    # The same files again change nothing.
    at = upload(at, STREET)
    at.button(key="data_load").click().run()
    assert "already loaded (load 1)" in at.success[0].value
    at.button(key="undo_1").click().run()
    assert not at.exception
    assert "Load 1 undone" in at.success[0].value
    assert "(undone)" in at.expander[0].label


def test_a_bad_file_shows_every_problem_and_no_load_button(data_page):
    at = upload(data_page, [FIXTURES / "unknown_area.csv"])
    assert "Nothing can be loaded" in at.error[0].value
    problems = at.dataframe[0].value
    assert problems[["file", "row", "column"]].values.tolist() == [["unknown_area.csv", 3, "area"]]
    assert "did you mean" in problems["problem"][0]
    assert not [b for b in at.button if b.key == "data_load"]


def test_a_partial_quarter_is_flagged(data_page):
    at = upload(data_page, STREET[:2])
    assert any("partial quarter" in w.value for w in at.warning)


def test_conflicts_need_the_replace_box(data_page):
    at = upload(data_page, [FIXTURES / "conflicts_with_demo.csv"])
    at.text_input(key="editor_name").input("Test Analyst").run()
    assert any("differ from data already loaded" in w.value for w in at.warning)
    conflicts = at.dataframe[1].value
    assert conflicts["Now"].tolist() == ["4191"] and conflicts["In the file"].tolist() == ["1234"]
    assert at.button(key="data_load").disabled
    at.checkbox(key="data_replace").check().run()
    at.button(key="data_load").click().run()
    assert "Replaced 1 rows" in at.success[0].value
