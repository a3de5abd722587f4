"""Starting and stopping the dashboard for real-browser tests and benchmarks, without pytest.

tests/e2e/conftest.py wraps ``streamlit_app`` in its fixtures (and turns a failed start into
``pytest.fail``); the scripts in benchmarks/ use it directly after putting the repository root on
``sys.path``. Nothing here imports pytest or Playwright.
"""

from __future__ import annotations

import asyncio
import base64
import os
import socket
import subprocess
import sys
import time
import tomllib
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


def data_counts(counts: dict[str, int]) -> dict[str, int]:
    """Row counts by table (``assurance.store.schema.table_counts``) of the data alone: the bookkeeping left out (the
    migrations applied, the data version, the log of what each write changed, which grows with every write)."""
    from assurance.store.reads import BOOKKEEPING

    return {name: n for name, n in counts.items() if name not in BOOKKEEPING}


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


def free_port_block(count: int, attempts: int = 50) -> int:
    """The first of ``count`` consecutive free ports on 127.0.0.1 (``python -m assurance serve`` takes its port and
    the next N for its servers)."""
    for _ in range(attempts):
        first = free_port()
        if first + count > 65536:
            continue
        held: list[socket.socket] = []
        try:
            for port in range(first, first + count):
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                held.append(sock)
                sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for sock in held:
                sock.close()
    raise RuntimeError(f"no {count} consecutive free ports found in {attempts} attempts")


def connections_to(ports) -> dict[int, int]:
    """How many established TCP connections each local port is serving now (from /proc/net/tcp): behind nginx,
    each open Streamlit session is one websocket to its server process, so this says which process serves whom."""
    counts = dict.fromkeys(ports, 0)
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local_port, state = int(fields[1].rsplit(":", 1)[1], 16), fields[3]
            if state == "01" and local_port in counts:  # 01: ESTABLISHED
                counts[local_port] += 1
    return counts


# Demo total recorded crime for 2024/25 Q2, the five LPAs (the force's is their sum, 20,122).
DEMO_CRIME_2024_25_Q2 = {
    "Herefordshire": 2702,
    "North Worcestershire": 4535,
    "Shropshire": 4191,
    "South Worcestershire": 5024,
    "Telford and Wrekin": 3670,
}


def corrected_return(folder: Path, number: int) -> tuple[Path, dict[str, str]]:
    """A corrected return for 2024/25 Q2 with new total recorded crime for every LPA (each ``number`` its own
    figures), and the figures a page then shows, as shown: number 0 gives ``{"force": "25,122", "Shropshire": "5,191"}``."""
    extra = 1000 + 37 * number
    lines = ["area,metric,quarter,value,numerator,denominator,source,note"]
    lines += [
        f"{area},total_recorded_crime,2024/25 Q2,{value + extra},,,,corrected return {number}"
        for area, value in DEMO_CRIME_2024_25_Q2.items()
    ]
    path = Path(folder) / f"return-{number}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    force = sum(DEMO_CRIME_2024_25_Q2.values()) + 5 * extra
    return path, {"force": f"{force:,}", "Shropshire": f"{DEMO_CRIME_2024_25_Q2['Shropshire'] + extra:,}"}


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


def streamlit_config() -> dict:
    """The settings in the project's .streamlit/config.toml, the ones every server started from the checkout uses."""
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def server_script(checkout: Path = ROOT) -> str:
    """What `streamlit run` starts in a checkout: app.py (the server with its early hints), else dashboard.py (an
    older checkout, or a bare comparison app)."""
    return "app.py" if (checkout / "app.py").is_file() else "dashboard.py"


@contextmanager
def streamlit_app(
    folder: Path,
    db_path: Path,
    env: dict[str, str] | None = None,
    startup_timeout_s: float = STARTUP_TIMEOUT_S,
    poll_s: float = 0.2,
    checkout: Path = ROOT,
    port: int | None = None,
) -> Iterator[Server]:
    """`streamlit run app.py` on a free port (or ``port``) with ``ASSURANCE_DB=db_path``, its log in
    folder/streamlit.log.

    Yields once the server answers its health check; raises ServerStartError (after stopping the process) if
    it exits first or does not answer within startup_timeout_s. ``env`` adds environment variables; ``checkout``
    runs another checkout's server (its app.py, or its dashboard.py when it has no app.py: benchmarks/pages.py
    --compare-with). The server is stopped on leaving the block.
    """
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = Path(folder) / "streamlit.log"
    command = [
        sys.executable, "-m", "streamlit", "run", server_script(checkout),
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


@contextmanager
def serve_cluster(db_path: Path, processes: int, run: Path) -> Iterator:
    """``python -m assurance serve``'s cluster, started in process (``assurance.commands.serve.start``): nginx on a
    free port, ``processes`` Streamlit servers on the next ports, sharing db_path (created with demo data when
    missing), their logs and nginx's files in run. Yields the ``Cluster``; stops everything on leaving the block."""
    from assurance.commands import serve

    cluster = serve.start(Path(db_path), processes, free_port_block(processes + 1), Path(run))
    try:
        yield cluster
    finally:
        cluster.stop()


def cluster_logs(cluster) -> str:
    """Every server process's log (a replaced process appends to its predecessor's) and nginx's error log."""
    paths = dict.fromkeys([*cluster.logs, cluster.run / "nginx-error.log", cluster.run / "nginx.log"])
    return "\n".join(
        f"==> {path.name}\n{path.read_text(encoding='utf-8', errors='replace')}" for path in paths if path.exists()
    )


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

    Every open page also runs a small fragment every 10 s that checks the data version (ui/live.py's safety check);
    the browser asks for those runs itself, with the fragment's id. They are kept apart from the full runs. The
    reruns the server pushes when the data change are asked for by nobody, so they have no request to be timed
    from: they count in ``finished``, not in ``durations``.

    ``durations`` holds, per finished run, the seconds from the browser sending its ``rerun_script`` message to it
    receiving the server's ``script_finished``: the server's run time plus the local websocket, without the
    browser's drawing. The kind says which run: ``"page"`` a full run the browser asked for (R, a widget),
    ``"fragment"`` a version check that found nothing new, ``"redraw"`` a full run that answered a pending check
    (timed from the check's request). ``asked`` counts the full runs the browser asked for,
    ``finished`` the full runs that finished successfully (``finished_at``: when, by ``time.time()``), and
    ``fragment_runs`` the checks that finished.
    """

    def __init__(self, page=None) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._back, self._forward = BackMsg, ForwardMsg
        self.asked = 0  # full reruns the browser has asked for
        self._finished_when_asked = 0
        self.finished = 0
        self.finished_at: list[float] = []
        self.fragment_runs = 0
        self.failed: list[str] = []
        self.durations: list[tuple[str, float]] = []  # ("page" | "fragment" | "redraw", seconds)
        self._asked: float | None = None
        self._asked_fragment: float | None = None
        if page is not None:
            page.on("websocket", self._socket)

    def _socket(self, socket) -> None:
        socket.on("framesent", self._sent)
        socket.on("framereceived", self._received)

    def _sent(self, payload, at: float | None = None) -> None:
        if not isinstance(payload, bytes):
            return
        message = self._back.FromString(payload)
        if message.WhichOneof("type") != "rerun_script":
            return
        now = time.perf_counter() if at is None else at
        if message.rerun_script.fragment_id:
            if self._asked_fragment is None:
                self._asked_fragment = now
            return
        self.asked += 1
        self._finished_when_asked = self.finished
        if self._asked is None:  # a second request before the answer: time from the first
            self._asked = now

    def _received(self, payload, at: float | None = None) -> None:
        if not isinstance(payload, bytes):
            return
        message = self._forward.FromString(payload)
        if message.WhichOneof("type") != "script_finished":
            return
        status = self._forward.ScriptFinishedStatus
        now = time.perf_counter() if at is None else at
        if message.script_finished == status.FINISHED_SUCCESSFULLY:
            if self._asked is not None:
                self.durations.append(("page", now - self._asked))
            elif self._asked_fragment is not None:  # the check saw a new version and reran the page
                self.durations.append(("redraw", now - self._asked_fragment))
            self._asked = self._asked_fragment = None  # a full run answers any check asked meanwhile too
            self.finished += 1
            self.finished_at.append(time.time())
        elif message.script_finished == status.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
            if self._asked_fragment is not None:
                self.durations.append(("fragment", now - self._asked_fragment))
                self._asked_fragment = None
            self.fragment_runs += 1
        elif message.script_finished != status.FINISHED_EARLY_FOR_RERUN:
            self.failed.append(status.Name(message.script_finished))

    def times(self, *kinds: str, since: int = 0, until: int | None = None) -> list[float]:
        """The durations of the given kinds (all kinds when none is given), from the ``since``-th run on, and before
        the ``until``-th when it is given."""
        return [seconds for kind, seconds in self.durations[since:until] if not kinds or kind in kinds]

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
        ``script_finished`` yet, or a version check is running), so R is pressed again whenever no full rerun
        request has left the browser within resend_s seconds; a press the app ignores does nothing, so the extra
        presses never start a second run.
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


class BrowserClockRuns(ScriptRuns):
    """The same script runs, timed by the browser's own clock: Chromium's network-layer timestamps of the websocket
    frames (CDP's ``Network.webSocketFrameSent`` / ``Received``), not the moment this process heard of them through
    Playwright. Under load the two differ: the events queue in Playwright's driver and in this process. For
    ``benchmarks/load.py --browser-clock``, which reports both; ``cdp`` is a CDP session on the page, and the caller
    sends ``Network.enable`` on it. Only frames small enough to be a rerun request or a run's end are decoded."""

    SMALL_FRAME = 4096  # characters of base64: a rerun_script or script_finished message is far smaller

    def __init__(self, cdp) -> None:
        super().__init__(None)
        cdp.on("Network.webSocketFrameSent", lambda event: self._frame(event, sent=True))
        cdp.on("Network.webSocketFrameReceived", lambda event: self._frame(event, sent=False))

    def _frame(self, event: dict, *, sent: bool) -> None:
        response = event["response"]
        if response.get("opcode") != 2 or len(response["payloadData"]) > self.SMALL_FRAME:  # 2: a binary frame
            return
        payload = base64.b64decode(response["payloadData"])
        (self._sent if sent else self._received)(payload, at=event["timestamp"])


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
