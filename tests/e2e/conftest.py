"""Real-browser fixtures: Debian's Chromium driven by Playwright, and one Streamlit server per session.

The browser is the system one at /usr/bin/chromium (``apt-get install chromium chromium-driver``);
``playwright install`` is never needed. The server gets a database path that does not exist yet,
so the tests also cover the app's first start, which seeds the demo data.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"  # git-ignored
VIEWPORT = {"width": 1600, "height": 1000}
STARTUP_TIMEOUT_S = 60


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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@dataclass(frozen=True)
class Server:
    url: str
    db_path: Path
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@contextmanager
def run_streamlit(folder: Path) -> Iterator[Server]:
    """`streamlit run dashboard.py` on a free port with a not-yet-existing database in folder."""
    db_path = folder / "db" / "assurance.duckdb"
    assert not db_path.exists()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = folder / "streamlit.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "dashboard.py",
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    env = {**os.environ, "ASSURANCE_DB": str(db_path)}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(url=url, db_path=db_path, log_path=log_path)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _healthy(url):
            if process.poll() is not None:
                pytest.fail(
                    f"streamlit exited with code {process.returncode} before answering:\n{server.log()}", pytrace=False
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"streamlit did not answer {url}/_stcore/health within {STARTUP_TIMEOUT_S} s:\n{server.log()}",
                    pytrace=False,
                )
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


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
