"""The National page under AppTest, on real police.uk excerpts: what it ranks, what it shows apart, what it says."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assurance.domain.national.load import load_national
from assurance.sources.national.archive import read_national
from assurance.store.connection import connect
from tests.support import FIXTURES, STREET_FILES
from ui import pages
from ui.session import _connection

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
NATIONAL = FIXTURES / "police_uk_national"


@pytest.fixture(scope="module")
def national_app_db(seeded_db, tmp_path_factory) -> Path:
    """The seeded demo database with West Mercia's three months and the excerpts of four other forces loaded."""
    path = tmp_path_factory.mktemp("national-app") / "assurance.duckdb"
    shutil.copyfile(seeded_db, path)
    con = connect(path)
    try:
        batch = read_national([*STREET_FILES, NATIONAL], today=date(2026, 12, 6))
        load_national(con, batch, by="tester")
    finally:
        con.close()
    return path


def open_page(db: Path, monkeypatch, **query) -> AppTest:
    monkeypatch.setenv("ASSURANCE_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(pages.path("national"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at) -> list[str]:
    return [
        e.value for kind in ("title", "header", "caption", "markdown", "info", "warning") for e in getattr(at, kind)
    ]


def chart(at, key: str) -> dict:
    (found,) = [c for c in at.get("plotly_chart") if c.proto.id and key in c.proto.id]
    return json.loads(found.proto.spec)


def test_without_national_data_the_page_says_how_to_load_it(app_db, monkeypatch):
    at = open_page(app_db, monkeypatch)
    assert any("No national data is loaded yet" in t for t in texts(at))
    assert not at.get("plotly_chart")


def test_forces_are_ranked_per_1000_with_btp_apart_and_missing_forces_listed(national_app_db, monkeypatch):
    at = open_page(national_app_db, monkeypatch)
    shown = texts(at)
    assert at.title[0].value == "England and Wales: recorded crime per 1,000 residents"
    assert any("Census 2021 usual residents" in t for t in shown)
    assert any(t.startswith("Not in the data for 2023/24 Q4:") and "Metropolitan Police Service" in t for t in shown)
    assert any(t.startswith("British Transport Police:") and "shown apart" in t for t in shown)
    table = at.dataframe[0].value.set_index("Force")
    assert (
        "British Transport Police" in table.index
        and table.loc["British Transport Police", "Rank"] is None
        or str(table.loc["British Transport Police", "Rank"]) in ("<NA>", "None", "nan")
    )
    west_mercia = table.loc["West Mercia Police"]
    assert west_mercia["Crimes"] == 20_281 and west_mercia["Residents"] == 1_299_843
    assert west_mercia["Per 1,000"] == pytest.approx(15.6, abs=0.05)
    slope = chart(at, "national_force_slope")
    names = [t.get("name") for t in slope["data"]]
    assert "Focus" in names and "British Transport Police" not in json.dumps(slope["layout"]["xaxis"])


def test_the_proxy_is_never_called_the_positive_outcome_rate(national_app_db, monkeypatch):
    at = open_page(national_app_db, monkeypatch)
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Not the positive outcome rate.") and "still under investigation" in w for w in warnings)
    assert not any(
        "positive outcome rate" in t.lower() and "not the positive outcome rate" not in t.lower() for t in texts(at)
    )


def test_the_focus_lpa_is_placed_among_the_csps_with_its_default_peers_explained(national_app_db, monkeypatch):
    at = open_page(national_app_db, monkeypatch, lpa="shropshire")
    assert at.header[1].value == "Shropshire among every CSP"
    peers_tables = [d.value for d in at.dataframe if "CSP" in d.value.columns]
    (peers,) = peers_tables
    assert peers["CSP"].iloc[0] == "Shropshire (focus)"
    assert peers["Per 1,000"].iloc[0] == pytest.approx(12.6, abs=0.05)
    assert any("nearest in population (Census 2021, on a log scale)" in t for t in texts(at))


def test_a_partial_quarter_is_named_and_never_ranked(seeded_db, tmp_path, monkeypatch):
    path = tmp_path / "partial.duckdb"
    shutil.copyfile(seeded_db, path)
    con = connect(path)
    try:
        load_national(con, read_national(sorted(NATIONAL.glob("2024-0[12]-*.csv")), today=date(2026, 12, 6)), by="t")
    finally:
        con.close()
    monkeypatch.setattr("assurance.domain.access.role_of", lambda by: "viewer")
    at = open_page(path, monkeypatch)
    assert not [m for m in at.multiselect if m.label.startswith("Choose the peers")]
    assert not [b for b in at.button if b.label == "Save these peers"]
    at = open_page(path, monkeypatch)
    assert at.selectbox(key="national_quarter").options == ["2023/24 Q4 (partial: 2 of 3 months loaded)"]
    assert any(t.startswith("Partial quarter, not ranked:") for t in texts(at))
    assert at.dataframe[0].value["Rank"].isna().all()


def test_an_editor_saves_peers_and_a_viewer_finds_no_form(national_app_db, tmp_path, monkeypatch):
    path = tmp_path / "peers.duckdb"
    shutil.copyfile(national_app_db, path)
    at = open_page(path, monkeypatch)
    at.text_input(key="editor_name").input("Charity Pearce").run()
    (chooser,) = [m for m in at.multiselect if m.label.startswith("Choose the peers of West Mercia Police")]
    chooser.set_value(["suffolk"])
    (save,) = [b for b in at.button if b.label == "Save these peers" and "force" in str(b.proto.form_id)]
    save.click().run()
    assert any("West Mercia Police's peers (saved by" in t and "Suffolk Constabulary" in t for t in texts(at))
    cursor = _connection(str(path)).cursor()  # the app's own connection: DuckDB allows no second one in a process
    try:
        saved = cursor.execute("SELECT members, chosen_by FROM peer_groups WHERE level = 'force'").fetchall()
        audited = cursor.execute("SELECT entity_id, changed_by FROM audit_log WHERE entity = 'peer_group'").fetchall()
    finally:
        cursor.close()
    assert saved == [('["suffolk"]', "Charity Pearce")]
    assert audited == [("force:west-mercia", "Charity Pearce")]
    monkeypatch.setattr("assurance.domain.access.role_of", lambda by: "viewer")
    at = open_page(path, monkeypatch)
    assert not [m for m in at.multiselect if m.label.startswith("Choose the peers")]
    assert not [b for b in at.button if b.label == "Save these peers"]
    # A viewer (a roles file whose default role is viewer) gets the peers in words, and no form to change them.
    roles = tmp_path / "roles.toml"
    roles.write_text('default_role = "viewer"\n', encoding="utf-8")
    monkeypatch.setenv("ASSURANCE_ROLES", str(roles))
    at = open_page(path, monkeypatch)
    at.text_input(key="editor_name").input("Someone").run() if at.text_input else None
    assert any("West Mercia Police's peers (saved by" in t for t in texts(at))
    assert not [m for m in at.multiselect if m.label.startswith("Choose the peers")]
    assert not [b for b in at.button if b.label == "Save these peers"]


def test_the_overview_labels_police_uk_recorded_crime_as_real(national_app_db, monkeypatch):
    monkeypatch.setenv("ASSURANCE_DB", str(national_app_db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["quarter"] = "2023/24 Q4"
    at.run()
    assert not at.exception
    (crime,) = [m for m in at.metric if m.label == "Total recorded crime"]
    assert crime.value == "20,281"  # West Mercia's whole police.uk file for January to March 2024
    assert "🔎 Real: police.uk street-level crimes" in [c.value for c in at.caption]
    assert any(i.value.startswith("Recorded crime for 2023/24 Q4 is real: police.uk") for i in at.info)
    assert any(i.value.startswith("Illustrative demo figures") for i in at.info)  # the other metrics still are
