"""Real-browser fixtures: Debian's Chromium driven by Playwright, and one Streamlit server per session.

The browser is the system one at /usr/bin/chromium (``apt-get install chromium chromium-driver``);
``playwright install`` is never needed. The server gets a database path that does not exist yet,
so the tests also cover the app's first start, which seeds the demo data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from tests.support import (  # noqa: F401  (free_port, _healthy, Server: re-exported for the tests that import them here)
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    STARTUP_TIMEOUT_S,
    VIEWPORT,
    Server,
    ServerStartError,
    free_port,
    streamlit_app,
)
from tests.support import healthy as _healthy  # noqa: F401

ARTIFACTS = ROOT / "tests" / "artifacts"  # git-ignored


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch options, pointed at the system Chromium."""
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} not found: install Debian's browser with "
            "`apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver` "
            "(never `playwright install`)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A wide desktop window, the size the screenshots are taken at."""
    return {**browser_context_args, "viewport": VIEWPORT}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@contextmanager
def run_streamlit(folder: Path, *, env: dict[str, str] | None = None) -> Iterator[Server]:
    """`streamlit run app.py` on a free port with a not-yet-existing database in folder.

    ``env`` adds environment variables for the server (the database is always folder/db/assurance.duckdb).
    """
    db_path = folder / "db" / "assurance.duckdb"
    assert not db_path.exists()
    with ExitStack() as stack:
        try:
            server = stack.enter_context(streamlit_app(folder, db_path, env=env, startup_timeout_s=STARTUP_TIMEOUT_S))
        except ServerStartError as exc:
            pytest.fail(str(exc), pytrace=False)
        yield server


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the session, started on a database that does not exist yet."""
    with run_streamlit(tmp_path_factory.mktemp("e2e")) as server:
        yield server


@pytest.fixture()
def fresh_streamlit_server(tmp_path: Path) -> Iterator[Server]:
    """A server of its own, for tests about what the very first request sees."""
    with run_streamlit(tmp_path) as server:
        yield server
