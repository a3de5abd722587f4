"""Two server processes behind nginx (``python -m assurance serve``): a corrected return reaches the open pages by
itself, and the pages come back, on the right slide with the latest figure, after a server process is killed with
``kill -9`` and after nginx restarts, each time with an import going on.

The cluster is ``assurance.commands.serve.start`` on free ports, over a copy of the seeded database. One browser
context holds the meeting room display (slide 3: the force's crime figures) and the Overview; the two pages share
its route cookie, so nginx sends both to the same server process, the one the test then kills. Nobody touches
either page: every new figure arrives through the data version (ui/live.py). While a process is down or nginx
restarts, Streamlit shows its connection status for a moment; that is expected, and told apart from what a user
must never see (an exception, an error message, a dialog). The benchmark version, with dozens of sessions and
timings, is ``benchmarks/load.py --only scenarios``.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from assurance.commands.serve import NGINX
from assurance.core.errors import AssuranceError
from tests.support import (
    VIEWPORT,
    WATCH_FOR_PROBLEMS_JS,
    cluster_logs,
    connections_to,
    corrected_return,
    run_cli,
    serve_cluster,
)

pytestmark = pytest.mark.browser

MEETING = "2024-11-27-aa-performance"
DISPLAY = f"/?mode=meeting&meeting={MEETING}&slide=3"
OVERVIEW = "/?quarter=2024/25%20Q2&lpa=shropshire"
SLIDE_3 = "Crime and outcomes: West Mercia, 2024/25 Q2, against the targets"
DEMO_FORCE_CRIME = "20,122"
FIRST_DRAW_MS = 60_000  # two server processes starting their first sessions on 2 shared CPUs
SHOW_MS = 15_000  # generous: a new figure is due within a second or two of the write, a reconnection a few seconds
TRANSIENT = "connection status"  # Streamlit's "Connecting" while its server is away: expected here


@pytest.fixture()
def cluster(seeded_db: Path, tmp_path: Path) -> Iterator:
    if not Path(NGINX).exists():
        message = f"nginx is not installed ({NGINX}): apt-get install nginx (.ci/run installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    db = tmp_path / "assurance.duckdb"
    shutil.copyfile(seeded_db, db)
    with ExitStack() as stack:
        try:
            running = stack.enter_context(serve_cluster(db, 2, tmp_path / "run"))
        except AssuranceError as exc:
            pytest.fail(f"the cluster did not start: {exc}", pytrace=False)
        yield running


def _force_crime_on_display(page: Page):
    return page.locator('[data-testid="stMain"] table tr').filter(has_text="Total recorded crime")


def _force_crime_on_overview(page: Page):
    return page.get_by_test_id("stMetric").filter(has_text="Total recorded crime").get_by_test_id("stMetricValue")


def _import(db: Path, folder: Path, number: int) -> str:
    """A corrected return loaded from the command line; the force's new figure, as the pages show it."""
    return_file, shown = corrected_return(folder, number)
    result = run_cli("import", return_file, "--replace", "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    # No process holds the database: the command wrote it directly (no inbox) and published it.
    assert "Loaded as load" in result.stdout and "queued as" not in result.stdout, result.stdout
    return shown["force"]


def _at(page: Page, address: str) -> bool:
    """Whether the page's address is still the one it was opened at (Streamlit may re-encode its query)."""
    now, then = urlsplit(page.url), urlsplit(address)
    return now.path == then.path and parse_qs(now.query) == parse_qs(then.query)


def _both_show(display: Page, overview: Page, figure: str) -> None:
    """Each page is the one it was, drawn again with the figure, without anyone touching it."""
    expect(_force_crime_on_display(display)).to_contain_text(figure, timeout=SHOW_MS)
    expect(display.get_by_text(SLIDE_3)).to_be_visible()
    assert _at(display, DISPLAY), display.url
    expect(_force_crime_on_overview(overview)).to_have_text(figure, timeout=SHOW_MS)
    assert _at(overview, OVERVIEW), overview.url


def _problems(*pages: Page) -> tuple[list, list[int]]:
    """What a user must never see, recorded on the pages so far; and how many times each page showed the transient
    connection status."""
    seen = [page.evaluate("window.__problems || []") for page in pages]
    errors = [p for found in seen for p in found if p["what"] != TRANSIENT]
    return errors, [sum(p["what"] == TRANSIENT for p in found) for found in seen]


def test_pages_follow_imports_and_come_back_after_a_killed_server_and_an_nginx_restart(
    browser: Browser, cluster, tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{cluster.port}"
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(WATCH_FOR_PROBLEMS_JS)
    try:
        display = context.new_page()
        display.goto(url + DISPLAY)
        expect(_force_crime_on_display(display)).to_contain_text(DEMO_FORCE_CRIME, timeout=FIRST_DRAW_MS)
        overview = context.new_page()
        overview.goto(url + OVERVIEW)
        expect(_force_crime_on_overview(overview)).to_have_text(DEMO_FORCE_CRIME, timeout=FIRST_DRAW_MS)

        # 1. A corrected return, written by the command line while both pages are open.
        _both_show(display, overview, _import(cluster.db, tmp_path, 1))
        assert _problems(display, overview) == ([], [0, 0])

        # 2. kill -9 the process serving both pages (one websocket each), then an import while it is replaced.
        sessions = connections_to(cluster.backends)
        port = max(sessions, key=sessions.get)
        assert sessions[port] >= 2, f"both pages' websockets should be on one process: {sessions}"
        killed = cluster.servers[port]
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait(timeout=10)
        assert cluster.restart_dead() == [port]
        _both_show(display, overview, _import(cluster.db, tmp_path, 2))
        errors, reconnecting = _problems(display, overview)
        assert errors == [], errors
        assert min(reconnecting) >= 1, f"both pages should have shown that they were reconnecting: {reconnecting}"
        cluster.wait_ready()

        # 3. nginx restarts, then an import.
        cluster.stop_nginx()
        cluster.start_nginx()
        _both_show(display, overview, _import(cluster.db, tmp_path, 3))
        errors, after_restart = _problems(display, overview)
        assert errors == [], errors
        again = [after - before for after, before in zip(after_restart, reconnecting, strict=True)]
        assert min(again) >= 1, f"both pages should have reconnected through the new nginx: {again}"
    finally:
        context.close()
    logs = cluster_logs(cluster)
    assert "Traceback" not in logs, logs
