"""The demo template: the app's first start copies a demo database seeded once, instead of seeding every new file.

What users rely on: a new database holds exactly what seeding gives, with the seeding's times as of its own
creation; a change to the seed's inputs is never answered with the old template; two servers starting at once on
one new path end with one complete database; without a usable cache the app still seeds in place.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from assurance.domain import seed, setup
from assurance.domain.setup import CACHE_ENV, TEMPLATE_ENV, demo_template, ensure_database, init_database
from assurance.store import queries
from assurance.store.connection import connect
from assurance.store.schema import LATEST_VERSION, table_counts
from tests.support import ROOT, data_counts

SHROPSHIRE_RATE = ("shropshire", "positive_outcome_rate", "2024/25 Q2")


def tables(path) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """Every table's rows in a stable order, its TIMESTAMP columns apart: ({name: rows}, {name: timestamps})."""
    con = connect(path, read_only=True)
    try:
        rows, stamps = {}, {}
        for name in [r[0] for r in queries.rows(con, "base_tables")]:
            frame = con.execute("SELECT * FROM query_table(?)", [name]).df()
            sql = "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND data_type = 'TIMESTAMP'"
            when = [r[0] for r in con.execute(sql, [name]).fetchall()]
            stamps[name] = frame[when]
            rest = frame.drop(columns=when).map(
                lambda v: tuple(v) if hasattr(v, "__len__") and not isinstance(v, str) else v
            )
            rows[name] = rest.sort_values(list(rest.columns)).reset_index(drop=True) if len(rest.columns) else rest
        return rows, stamps
    finally:
        con.close()


def templates(cache) -> list[str]:
    return sorted(p.name for p in cache.iterdir())


def rate(path) -> float:
    con = connect(path, read_only=True)
    try:
        sql = "SELECT value FROM observations WHERE area = ? AND metric = ? AND quarter = ?"
        return con.execute(sql, list(SHROPSHIRE_RATE)).fetchone()[0]
    finally:
        con.close()


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    monkeypatch.delenv(TEMPLATE_ENV, raising=False)
    return folder


def test_a_new_database_from_the_template_holds_exactly_the_rows_seeding_gives(tmp_path, cache):
    demo_template()  # built first, so the database below is a copy made after it
    made_at = datetime.now()
    copied = ensure_database(tmp_path / "copied.duckdb")
    seeded = tmp_path / "seeded.duckdb"
    init_database(seeded, demo=True)

    assert templates(cache) == [f"demo-v{LATEST_VERSION}-{setup.template_key()}.duckdb"]
    copied_rows, copied_stamps = tables(copied)
    seeded_rows, _ = tables(seeded)
    assert list(copied_rows) == list(seeded_rows)
    for name in seeded_rows:
        if name not in ("data_version", "data_changes"):  # writes counted: the copy's re-stamping is one more
            assert_frame_equal(copied_rows[name], seeded_rows[name], obj=name)
    assert copied_rows["data_version"]["version"].iloc[0] >= seeded_rows["data_version"]["version"].iloc[0]
    assert copied_rows["observations"].shape[0] == 1612
    # The times the seeding wrote (demo figures loaded, migrations applied, seeded actions created) are the new
    # database's own, not the template's: "loaded" on the Data page is when this database got the figures.
    stamped = {name: frame for name, frame in copied_stamps.items() if not frame.dropna(how="all").empty}
    assert {"observations", "schema_migrations", "actions"} <= set(stamped)
    assert {name: bool((frame.min() >= made_at).all()) for name, frame in stamped.items()} == dict.fromkeys(
        stamped, True
    )
    con = connect(copied)
    assert [r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY applied_at").fetchall()] == list(
        range(1, LATEST_VERSION + 1)
    )
    con.close()


def test_a_changed_demo_file_builds_a_new_template_and_the_new_database_holds_its_figures(tmp_path, cache, monkeypatch):
    first = ensure_database(tmp_path / "first.duckdb")
    original = rate(first)
    text = seed.DEMO_OBSERVATIONS.read_text(encoding="utf-8")
    row = ",".join(SHROPSHIRE_RATE) + ",11.4054,"
    assert text.count(row) == 1
    changed = tmp_path / "quarterly_observations.csv"
    changed.write_text(text.replace(row, ",".join(SHROPSHIRE_RATE) + ",12.5,"), encoding="utf-8")
    monkeypatch.setattr(seed, "DEMO_OBSERVATIONS", changed)

    second = ensure_database(tmp_path / "second.duckdb")
    assert len(templates(cache)) == 2
    assert (round(original, 4), rate(second), round(rate(first), 4)) == (11.4054, 12.5, 11.4054)


def test_a_changed_query_file_changes_the_template_key(tmp_path, monkeypatch):
    """Schema and SQL are part of the key: a new migration, or an edited one, never gets the old template."""
    before = setup.template_key()
    copy = tmp_path / "queries"
    shutil.copytree(setup.QUERIES_DIR, copy)
    monkeypatch.setattr(setup, "QUERIES_DIR", copy)
    assert setup.template_key() == before
    (copy / "seed.sql").write_text((copy / "seed.sql").read_text(encoding="utf-8") + "\n-- changed\n", encoding="utf-8")
    assert setup.template_key() != before


def test_with_templates_off_the_database_is_seeded_in_place_and_nothing_is_cached(tmp_path, cache, monkeypatch):
    monkeypatch.setenv(TEMPLATE_ENV, "off")
    path = ensure_database(tmp_path / "a.duckdb")
    assert rate(path) == pytest.approx(11.4054)
    assert not cache.exists()


def test_a_cache_that_cannot_be_written_falls_back_to_seeding_in_place(tmp_path, monkeypatch):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(not_a_folder))
    path = ensure_database(tmp_path / "a.duckdb")
    assert rate(path) == pytest.approx(11.4054)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.duckdb", "cache"]


def test_a_damaged_template_is_dropped_and_the_database_seeded_in_place(tmp_path, cache):
    template = demo_template()
    template.chmod(0o644)
    template.write_bytes(b"not a database" * 1000)
    path = ensure_database(tmp_path / "a.duckdb")
    assert rate(path) == pytest.approx(11.4054)
    assert not template.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.duckdb", "cache"]


@pytest.mark.timeout(240)
def test_servers_starting_at_once_end_with_one_complete_database_per_path_and_one_template(tmp_path, cache, seeded_db):
    """Three processes on a cold cache at the same moment: two on one new path, one on another."""
    code = "import sys; from assurance.domain.setup import ensure_database; ensure_database(sys.argv[1])"
    env = {**os.environ, CACHE_ENV: str(cache), "PYTHONPATH": str(ROOT)}
    shared, other = tmp_path / "db" / "shared.duckdb", tmp_path / "db" / "other.duckdb"
    processes = [
        subprocess.Popen([sys.executable, "-c", code, str(path)], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        for path in (shared, shared, other)
    ]
    errors = [p.communicate(timeout=200)[1] for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], errors
    con = connect(seeded_db, read_only=True)
    expected = data_counts(table_counts(con))
    con.close()
    for path in (shared, other):
        con = connect(path, read_only=True)
        assert data_counts(table_counts(con)) == expected
        con.close()
    assert sorted(p.name for p in (tmp_path / "db").iterdir()) == ["other.duckdb", "shared.duckdb"]
    assert templates(cache) == [f"demo-v{LATEST_VERSION}-{setup.template_key()}.duckdb"]


# Modules the Overview's first draw does not need: the briefing pack (PDF, Excel, static chart images), the
# national importers' Arrow code, and test tools. Each costs start-up time for nobody.
NOT_AT_START = ["weasyprint", "kaleido", "openpyxl", "pypdf", "hypothesis", "playwright", "pytest",
                "assurance.products.briefing", "assurance.domain.national.reference"]  # fmt: skip


@pytest.mark.timeout(240)
def test_the_dashboards_first_start_imports_nothing_the_overview_does_not_need(tmp_path, cache):
    """`streamlit run dashboard.py` on a new database, its first run (the Overview), in a process of its own; the
    template is there already, as on every start but a new program version's first."""
    demo_template()
    code = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file(sys.argv[1], default_timeout=120)\n"
        "at.run()\n"
        "assert not at.exception, [e.value for e in at.exception]\n"
        "assert at.get('plotly_chart'), 'the Overview drew no chart'\n"
        "print(' '.join(sorted(name for name in sys.modules)))\n"
    )
    env = {**os.environ, CACHE_ENV: str(cache), "ASSURANCE_DB": str(tmp_path / "new.duckdb"), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "dashboard.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=200,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    loaded = set(result.stdout.split())
    assert "plotly" in loaded and "assurance.domain.performance" in loaded  # the list is really the app's
    assert sorted(m for m in loaded if any(m == n or m.startswith(n + ".") for n in NOT_AT_START)) == []
