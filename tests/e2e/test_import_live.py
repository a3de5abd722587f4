"""An import from the command line while the dashboard is open: the app holds the database, the CLI queues the
validated batch in the inbox, the app's watcher loads it, the CLI exits 0, the open dashboard keeps working."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ROOT, run_streamlit
from tests.support import STREET_FILES

pytestmark = pytest.mark.browser

STREET = STREET_FILES
FIRST_START_MS = 60_000


def test_cli_import_while_the_app_holds_the_database(page: Page, tmp_path: Path) -> None:
    with run_streamlit(tmp_path) as server:
        page.goto(server.url)
        # The Overview has drawn its title: the app has created the database and holds its connection.
        expect(page.get_by_role("heading", name=re.compile("Force performance"))).to_be_visible(timeout=FIRST_START_MS)
        env = {k: v for k, v in os.environ.items() if k != "ASSURANCE_DB"}
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "assurance", "import", *map(str, STREET), "--db", str(server.db_path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        elapsed = time.monotonic() - started
        assert result.returncode == 0, result.stdout + result.stderr
        assert "open in the dashboard: queued as" in result.stdout and "Loaded as load 1" in result.stdout
        assert elapsed < 30
        page.reload()
        expect(page.get_by_test_id("stSidebar")).to_be_visible(timeout=FIRST_START_MS)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        assert "Traceback" not in server.log()
    con = duckdb.connect(str(server.db_path), read_only=True)
    try:
        assert con.execute("SELECT status FROM loads").fetchall() == [("loaded",)]
        crimes = con.execute(
            "SELECT count(*), sum(value) FILTER (WHERE area = 'force') FROM observations"
            " WHERE metric = 'police_uk_crimes' AND quarter = '2023/24 Q4'"
        ).fetchall()[0]
        assert crimes[0] == 6 and crimes[1] > 19000
    finally:
        con.close()
