"""Starting and stopping the dashboard for real-browser tests and benchmarks, without pytest.

tests/e2e/conftest.py wraps ``streamlit_app`` in its fixtures (and turns a failed start into
``pytest.fail``); the scripts in benchmarks/ use it directly after putting the repository root on
``sys.path``. Nothing here imports pytest or Playwright.
"""

from __future__ import annotations

import asyncio
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

ROOT = Path(__file__).resolve().parents[1]
# Real public files the tests read, copied into the repository (tests/fixtures/SOURCES.md) so that the suite
# passes on a bare clone, with nothing beside the checkout (tests/test_repository.py checks it).
FIXTURES = ROOT / "tests" / "fixtures"
POLICE_UK = FIXTURES / "police_uk"
STREET_FILES = [POLICE_UK / f"2024-0{month}-west-mercia-street.csv" for month in (1, 2, 3)]
OUTCOMES_EXCERPT = POLICE_UK / "2024-01-west-mercia-outcomes-first78rows.csv"
SEED_MINUTES = FIXTURES / "minutes" / "minutes-2024-11-27-aa-performance.txt"
# The areas in display order (data/areas.csv): the five LPAs, then the force.
AREA_NAMES = [
    "Herefordshire", "North Worcestershire", "Shropshire", "South Worcestershire", "Telford & Wrekin", "West Mercia",
]  # fmt: skip
CHROMIUM = Path("/usr/bin/chromium")  # Debian's browser; never `playwright install`
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
VIEWPORT = {"width": 1600, "height": 1000}
STARTUP_TIMEOUT_S = 60


@contextmanager
def database_held_by_another_process(path: Path, seconds: int = 60) -> Iterator[None]:
    """Another process holds the DuckDB file open read-write for the block (so this one cannot open it at all)."""
    code = f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('ok', flush=True); time.sleep({seconds})"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"  # nosec B101 # a test helper's own check
        yield
    finally:
        holder.kill()
        holder.wait()


class ServerStartError(RuntimeError):
    """Streamlit exited, or did not answer its health check in time; the message carries its log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    """True when the Streamlit server at url answers ``/_stcore/health`` with ok."""
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


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def streamlit_app(
    folder: Path,
    db_path: Path,
    env: dict[str, str] | None = None,
    startup_timeout_s: float = STARTUP_TIMEOUT_S,
    poll_s: float = 0.2,
    checkout: Path = ROOT,
) -> Iterator[Server]:
    """`streamlit run dashboard.py` on a free port with ``ASSURANCE_DB=db_path``, its log in folder/streamlit.log.

    Yields once the server answers its health check; raises ServerStartError (after stopping the process) if
    it exits first or does not answer within startup_timeout_s. ``env`` adds environment variables; ``checkout``
    runs another checkout's dashboard.py (benchmarks/pages.py --compare-with). The server is stopped on leaving
    the block.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = Path(folder) / "streamlit.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "dashboard.py",
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    full_env = {**os.environ, **(env or {}), "ASSURANCE_DB": str(db_path)}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=checkout, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(url=url, db_path=Path(db_path), log_path=log_path)
    try:
        deadline = time.monotonic() + startup_timeout_s
        while not healthy(url):
            if process.poll() is not None:
                raise ServerStartError(
                    f"streamlit exited with code {process.returncode} before answering:\n{server.log()}"
                )
            if time.monotonic() > deadline:
                raise ServerStartError(
                    f"streamlit did not answer {url}/_stcore/health within {startup_timeout_s:g} s:\n{server.log()}"
                )
            time.sleep(poll_s)
        yield server
    finally:
        stop(process)


# --- Watching a page in a browser (Playwright's async API; the page object is passed in) -----------------------

# What a user must never see: an exception, an st.error, the connection-lost status or dialog, and on the
# meeting display the "updating…" note that means a re-read failed and an older slide stays up. A
# MutationObserver records each as it appears, so one that comes and goes between two looks is caught too.
WATCH_FOR_PROBLEMS_JS = """
(() => {
  window.__problems = [];
  const kinds = [
    ['[data-testid="stException"]', 'exception'],
    ['[data-testid="stAlertContentError"]', 'error message'],
    ['[data-testid="stConnectionStatus"]', 'connection status'],
    ['[role="dialog"]', 'dialog'],
  ];
  const seen = new WeakSet();
  const updating = new WeakSet();
  const look = () => {
    for (const [selector, what] of kinds) {
      for (const el of document.querySelectorAll(selector)) {
        if (seen.has(el)) continue;
        seen.add(el);
        window.__problems.push({what, text: (el.innerText || '').slice(0, 300), url: location.href});
      }
    }
    for (const el of document.querySelectorAll('.st-key-meeting_position')) {
      const stale = (el.innerText || '').includes('updating');
      if (stale && !updating.has(el)) {
        updating.add(el);
        window.__problems.push({what: 'meeting slide kept after a failed read', text: el.innerText, url: location.href});
      } else if (!stale) {
        updating.delete(el);
      }
    }
  };
  new MutationObserver(look).observe(document, {subtree: true, childList: true, characterData: true});
})();
"""


async def problems_seen(page) -> list[dict]:
    """What WATCH_FOR_PROBLEMS_JS (added with ``context.add_init_script``) has recorded on this page."""
    return await page.evaluate("window.__problems || []")


class ScriptRuns:
    """The script runs of one Streamlit page, read from its websocket: each rerun the browser asks for and when
    the server reported it finished.

    ``durations`` holds, per finished run, the seconds from the browser sending its ``rerun_script`` message to
    it receiving the server's ``script_finished``: the server's script-run time plus the local websocket, without
    the browser's drawing. ``finished`` counts full runs (not fragment reruns) that finished successfully.
    """

    def __init__(self, page) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._back, self._forward = BackMsg, ForwardMsg
        self.asked = 0  # rerun requests the browser has sent
        self._finished_when_asked = 0
        self.finished = 0
        self.fragment_runs = 0
        self.failed: list[str] = []
        self.durations: list[tuple[str, float]] = []  # ("page" | "fragment", seconds)
        self._asked: float | None = None
        page.on("websocket", self._socket)

    def _socket(self, socket) -> None:
        socket.on("framesent", self._sent)
        socket.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        if not isinstance(payload, bytes):
            return
        message = self._back.FromString(payload)
        if message.WhichOneof("type") == "rerun_script":
            self.asked += 1
            self._finished_when_asked = self.finished
            if self._asked is None:  # a second request before the answer: time from the first
                self._asked = time.perf_counter()

    def _received(self, payload) -> None:
        if not isinstance(payload, bytes):
            return
        message = self._forward.FromString(payload)
        if message.WhichOneof("type") != "script_finished":
            return
        status = self._forward.ScriptFinishedStatus
        kind = {status.FINISHED_SUCCESSFULLY: "page", status.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "fragment"}.get(
            message.script_finished
        )
        if kind is None:
            if message.script_finished != status.FINISHED_EARLY_FOR_RERUN:
                self.failed.append(status.Name(message.script_finished))
            return
        if self._asked is not None:
            self.durations.append((kind, time.perf_counter() - self._asked))
            self._asked = None
        if kind == "page":
            self.finished += 1
        else:
            self.fragment_runs += 1

    async def wait_finished(self, more_than: int, timeout_s: float) -> None:
        """Until more than ``more_than`` full runs have finished (TimeoutError after timeout_s)."""
        deadline = time.monotonic() + timeout_s
        while self.finished <= more_than:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no script run finished within {timeout_s:g} s")
            await asyncio.sleep(0.02)

    async def rerun(self, page, timeout_s: float, resend_s: float = 3.0) -> float:
        """Press R (Streamlit's rerun key) and wait until the run it starts has finished; return the time of the
        first press (``time.perf_counter``).

        The app ignores R while it still counts a run as going (it may not have handled the last
        ``script_finished`` yet), so R is pressed again whenever no rerun request has left the browser within
        resend_s seconds; a press the app ignores does nothing, so the extra presses never start a second run.
        """
        asked = self.asked
        pressed = time.perf_counter()
        deadline = time.monotonic() + timeout_s
        while self.asked == asked:
            await page.keyboard.press("r")
            resend = time.monotonic() + resend_s
            while self.asked == asked and time.monotonic() < resend:
                await asyncio.sleep(0.02)
            if time.monotonic() > deadline:
                raise TimeoutError(f"the page sent no rerun request within {timeout_s:g} s of pressing R")
        # The first full run to finish after the request left is the one it started.
        await self.wait_finished(self._finished_when_asked, max(1.0, deadline - time.monotonic()))
        return pressed


def run_cli(*args, env_db=None, cwd=None, timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m assurance ARGS`` in a subprocess, as a person runs it: $ASSURANCE_DB only when ``env_db`` is
    given (never the developer's own), output captured as text."""
    env = {k: v for k, v in os.environ.items() if k != "ASSURANCE_DB"}
    if env_db is not None:
        env["ASSURANCE_DB"] = str(env_db)
    return subprocess.run(
        [sys.executable, "-m", "assurance", *map(str, args)],
        cwd=cwd or ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def table_contents(con_or_path) -> dict[str, tuple]:
    """Every table's row count and an MD5 of all its rows: equal means the same content, byte for byte."""
    import duckdb

    con = duckdb.connect(str(con_or_path), read_only=True) if isinstance(con_or_path, (str, Path)) else con_or_path
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY table_name"
            ).fetchall()
        ]
        return {
            name: con.execute(
                "SELECT count(*), md5(coalesce(string_agg(CAST(t AS VARCHAR), chr(10)"  # noqa: S608
                f" ORDER BY CAST(t AS VARCHAR)), '')) FROM \"{name}\" AS t"
            ).fetchone()
            for name in names
        }
    finally:
        if con is not con_or_path:
            con.close()


# Minutes that discuss recommendation 4 of the seeded report again: applying them updates it.
LATER_MINUTES = """Date: Wednesday 26th February 2025 – 10:00hrs
Chair: John Campion
- John Campion – Police and Crime Commissioner (PCC)
Quarterly HMICFRS Update
The PCC asked about the “Police Response to Anti-Social Behaviour” report, published on the 10th of October 2024.
Recommendation 4:
The framework is now expected to be live by the end of April 2025.
"""
