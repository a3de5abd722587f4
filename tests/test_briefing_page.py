"""The Briefing page under AppTest: it previews the pack, builds it, and offers the PDF and the HTML to download."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import pages

PAGE = str(Path(__file__).resolve().parent.parent / pages.path("briefing"))


@pytest.fixture()
def briefing_page(app_db, monkeypatch):
    monkeypatch.setenv("ASSURANCE_DB", str(app_db))
    monkeypatch.setenv("BRIEFING_CHROMIUM", "none")  # the charts are tested in test_briefing.py; keep this quick
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def headers(at) -> list[str]:
    return [h.value.replace("\\", "") for h in at.header]


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown).replace("\\", "")


def test_the_page_previews_the_pack_with_its_questions_without_the_sidebar(briefing_page):
    assert briefing_page.title[0].value == "Briefing pack"
    assert briefing_page.selectbox(key="briefing_meeting").value == "2024-11-27-aa-performance"
    assert briefing_page.selectbox(key="briefing_lpa").value == "shropshire"
    assert "5. Suggested questions for the Chief Constable" in headers(briefing_page)
    text = markdown(briefing_page)
    assert "Shropshire ranks worst of the five LPAs on 6 of 10 metrics in 2024/25 Q2" in text
    captions = "\n".join(c.value for c in briefing_page.caption).replace("\\", "")
    assert "Rule: An LPA at the bottom on several metrics (lpa_at_bottom)" in captions
    assert len(briefing_page.get("plotly_chart")) == 8
    assert not briefing_page.get("download_button"), "nothing to download before the pack is built"


def test_building_the_pack_offers_the_pdf_and_the_html(briefing_page):
    briefing_page.button[0].click().run()
    assert not briefing_page.exception, [e.value for e in briefing_page.exception]
    downloads = briefing_page.get("download_button")
    assert [d.proto.label for d in downloads] == ["Download the PDF", "Download the HTML"]
    assert briefing_page.success[0].value.startswith("Built: ")
    assert "charts are switched off ($BRIEFING_CHROMIUM=none)" in briefing_page.warning[0].value.replace("\\", "")


def test_another_focus_lpa_changes_the_preview(briefing_page):
    briefing_page.selectbox(key="briefing_lpa").set_value("herefordshire").run()
    assert not briefing_page.exception
    assert "3. Herefordshire against the other LPAs" in headers(briefing_page)


def test_a_new_action_appears_in_the_preview_at_once(tmp_path, seeded_db, monkeypatch):
    """The content is cached between runs and sessions, but never past a change to the commitments."""
    import shutil

    from assurance.domain.commitments.actions import add_action
    from ui import session

    db = tmp_path / "briefing.duckdb"
    shutil.copyfile(seeded_db, db)
    monkeypatch.setenv("ASSURANCE_DB", str(db))
    monkeypatch.setenv("BRIEFING_CHROMIUM", "none")
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert "Publish the Op Presence evaluation" not in markdown(at) + str([t.value for t in at.table])
    # The app's own connection (one per process), as a page of the dashboard would write through it.
    add_action(
        session._connection(str(db)),
        meeting_id="2024-11-27-aa-performance",
        text="Publish the Op Presence evaluation",
        owner="ACC",
        by="Charity Pearce",
    )
    at.run()
    assert not at.exception
    shown = markdown(at) + str([t.value.to_dict() for t in at.table]) + str([d.value.to_dict() for d in at.dataframe])
    assert "Publish the Op Presence evaluation" in shown
