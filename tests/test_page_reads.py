"""What each page's run read (ui/live.py, assurance/store/reads.py): an open page redraws after a write to any table
it read and is left as it is after the others, so what a run notes must be complete, whether its figures were
computed in it or reused from another session's run (ui/shared.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import live, pages

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
SEED = "2024-11-27-aa-performance"
EVERY_PAGE = [entry for section in pages.for_role("admin").values() for entry in section]


@pytest.fixture()
def app(app_db, monkeypatch):
    monkeypatch.setenv("ASSURANCE_DB", str(app_db))


def opened(path: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if path:
        at.switch_page(path)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def new_version(path: Path) -> None:
    """Raise the data version, changing no data, through the app's own connection (it holds the file)."""
    from assurance.store.transaction import transaction
    from ui.session import _connection

    with transaction(_connection(str(path))) as tx:
        tx.execute("data_version_at_least", floor=0)


def read(at: AppTest) -> frozenset[str]:
    return at.session_state[live.DRAWN_TABLES]


@pytest.mark.parametrize("entry", EVERY_PAGE, ids=[e.url_path for e in EVERY_PAGE])
def test_a_page_notes_the_same_tables_whether_it_computed_its_views_or_reused_them(app, app_db, entry):
    new_version(app_db)  # nothing shared yet for it: this run computes every view it shows
    at = opened(entry.path)
    computed = read(at)
    at.run()  # every view now comes from the shared cache
    assert read(at) == computed
    another = opened(entry.path)  # another person's session, drawn from what the first computed
    assert read(another) == computed
    assert {"observations", "metrics", "areas"} <= computed  # every page reads the figures for its sidebar


def test_the_meeting_display_notes_actions_only_on_the_slides_that_show_them(app):
    figures = opened(mode="meeting", meeting=SEED, slide="3")  # the force's crime figures
    actions = opened(mode="meeting", meeting=SEED, slide="8")  # the actions arising
    assert "observations" in read(figures) and "actions" not in read(figures)
    assert "actions" in read(actions)


def test_a_page_that_stops_early_notes_its_own_reads_not_the_last_page_s(app):
    """England and Wales with no national data loaded ends its run early (live.stop); the page before it, the
    Overview, read the actions for its markers. What is noted is the England and Wales page's own reads, so a push
    after a write reruns that page, not the Overview."""
    at = opened()
    assert "actions" in read(at)
    at.switch_page(pages.path("national"))
    at.run()
    assert "No national data is loaded yet" in " ".join(i.value for i in at.info)
    assert "national_counts" in read(at) and "actions" not in read(at)
