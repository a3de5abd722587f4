"""How the dashboard copes with many people at once: run times, write to display, idle CPU, and failures survived.

Page run times alone, with 20 sessions on one process and 40 on two behind nginx; how soon a committed write reaches
the open meeting display; what an idle display costs; whether every session comes back after nginx restarts or a
server process is killed.

Run from the repository root with ``python benchmarks/load.py`` (``--quick`` for small numbers, ``--only PART,...``
for some parts). A script, not a test: it prints figures and never fails on them; it exits non-zero only when it
could not run. It needs Debian's Chromium at /usr/bin/chromium (never ``playwright install``) and, for the cluster
parts, nginx at /usr/sbin/nginx. See benchmarks/README.md for what it measures and the latest figures.

One headless Chromium, one browser context (one Streamlit session) per person, driven with Playwright's async API.
The parts, in the order they run:

* ``single``: one ``streamlit run app.py`` (solo mode: the process holds the database) on a new database;
  each page alone, opened, then rerun ``--reruns`` times with R (Streamlit's rerun key), each time waiting until
  it is drawn. Every open page also checks the data version every 10 s (ui/live.py's safety check, beside the
  server's push): those checks are timed apart from the runs.
* ``imports``: on that server, with one meeting display open, ``python -m assurance import`` of a corrected return,
  ``--imports`` times, each with new figures. It goes through the inbox (the server holds the database).
* ``idle``: ``--idle-displays`` meeting displays open on that server, nothing changing, for ``--idle-seconds``:
  the CPU the server process uses per display, and Chromium's, read from /proc.
* ``solo``: ``--sessions`` sessions (the mix below) on that server: the dashboard sessions each rerun their page,
  wait until it is drawn, pause ``--think`` seconds and start again, the meeting displays stay open, for
  ``--window`` seconds; then the imports again while that goes on. The runs of the window (the mix) and those
  while the imports went on (each write reruns every open page at once: a wave) are reported apart.
* ``cluster``: ``python -m assurance serve``'s cluster (``assurance.commands.serve.start``): ``--processes``
  Streamlit processes in shared mode behind nginx with sticky sessions, on a new database; the idle displays as in
  ``idle``; imports with one display open, then ``--cluster-sessions`` sessions (the mix, twice over by default)
  as in ``solo``, then imports under that load. The import writes the database directly and publishes it (no inbox).
* ``scenarios``: on the cluster, ``--scenario-sessions`` sessions open; nginx stopped and started again while a
  return is imported; then the server process serving the most sessions killed with SIGKILL and replaced
  (``Cluster.restart_dead``, as ``serve`` does) while another is imported. Every session must come back by itself
  on its own page, drawn, with the latest figure where it shows one.

Times per page (median and nearest-rank 95th percentile):

* **run**: from the browser sending its ``rerun_script`` message on the websocket to it receiving the server's
  ``script_finished``: the server's script run (queueing for the GIL included) plus the local websocket,
  without the browser's drawing (``tests/support.py`` ``ScriptRuns``). The moments are when this script hears of
  the frames from Playwright; ``--browser-clock`` also times each run by Chromium's own timestamps of the same
  frames (``BrowserClockRuns``, a CDP session per page) and prints how far apart the two clocks are.
* **drawn**: from pressing R until the run has finished and the page is drawn: no element still marked stale,
  no skeleton waiting for JavaScript, no running indicator, the page's key element there. Chromium shares the
  machine, so under load this includes its drawing of every open tab: drawn minus run is the browser's share.
* **check**: the safety check of the data version each open page runs every 10 s (a fragment run), request to
  answer.

An import: the CLI's start and exit; the commit: on the cluster ``data_version.changed_at``, read afterwards from the
published copy (DuckDB stamps it at the start of the write's transaction, a few milliseconds before the commit for
these small returns, so commit -> display is if anything overstated); on one process, which holds the file, the
moment its inbox watcher wrote its answer, just after the commit (a thread looks for the file every 2 ms); then the
moment the server's websocket message carrying the new figure reached the display's page, and the moment the figure
was in the page (both ``Date.now()`` in the page, the first before Streamlit's JavaScript handles the message). The
difference of the last two is the browser's part. All on the one machine's clock.

Idle CPU and the CPU during each load window: CPU seconds from /proc/<pid>/stat of this script's child processes by
role (the server processes, nginx, Chromium's processes, Playwright's driver and this script), over wall time, and
the whole machine's from /proc/stat, so that other people's work on a shared machine shows.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    WATCH_FOR_PROBLEMS_JS,
    BrowserClockRuns,
    ScriptRuns,
    cluster_logs,
    connections_to,
    corrected_return,
    problems_seen,
    serve_cluster,
    streamlit_app,
)

MEETING = "2024-11-27-aa-performance"
Q = "2024/25%20Q2"
CRIME_ROW = ("table tr", "Total recorded crime")


@dataclass(frozen=True)
class View:
    name: str
    path: str
    key: str  # CSS selector of the element that shows the page is there
    meeting: bool = False
    # Where the page shows total recorded crime for 2024/25 Q2: (CSS selector, text beside the figure, whose
    # figure: "force" or "Shropshire"), to see the latest figure arrive; None where it is only in a chart or grid.
    shows: tuple[str, str, str] | None = None


VIEWS = {
    "overview": View(
        "Overview",
        f"/?quarter={Q}&lpa=shropshire",
        '[data-testid="stMetricValue"]',
        shows=('[data-testid="stMetric"]', "Total recorded crime", "force"),
    ),
    "compare": View("Compare LPAs", f"/compare?quarter={Q}&lpa=shropshire", '[data-testid="stPlotlyChart"]'),
    "lpa": View("LPA against the force", f"/lpa?quarter={Q}&lpa=shropshire", '[data-testid="stPlotlyChart"]'),
    "trend": View(
        "Trend (SPC)",
        f"/trend?quarter={Q}&lpa=shropshire&metric=total_recorded_crime&area=shropshire",
        '[data-testid="stPlotlyChart"]',
        shows=('[data-testid="stAlertContentInfo"]', "total recorded crime was", "Shropshire"),
    ),
    "meeting3": View(
        "Meeting display, force slide",
        f"/?mode=meeting&meeting={MEETING}&slide=3",
        "table",
        meeting=True,
        shows=(*CRIME_ROW, "force"),
    ),
    "meeting5": View(
        "Meeting display, Shropshire slide",
        f"/?mode=meeting&meeting={MEETING}&slide=5",
        "table",
        meeting=True,
        shows=(*CRIME_ROW, "Shropshire"),
    ),
}
# The mix of tests/e2e/test_load.py, per 20 sessions: 4 Overview, 2 Compare, 2 LPA, 4 Trend, 4 + 4 meeting displays;
# interleaved so that a smaller number (--quick) still has some of each kind.
BLOCK = ["overview", "meeting3", "trend", "meeting5", "compare", "overview", "meeting3", "trend", "meeting5", "lpa"]
OPEN_AT_ONCE = 4
STALE = (
    '[data-stale="true"], [data-testid="stSkeleton"], [data-testid="stStatusWidgetRunningIcon"],'
    ' [data-testid="stStatusWidgetRunningManIcon"], [data-testid="stConnectionStatus"]'
)
# Drawn (nothing in STALE), the key element there and, when asked, the figure: the time (Date.now()) or false.
READY_JS = """([stale, key, shows]) => {
  if (document.querySelector(stale) || !document.querySelector(key)) return false;
  if (shows) {
    const [selector, label, figure] = shows;
    const found = [...document.querySelectorAll(selector)].some((el) => {
      const text = el.innerText || '';
      return text.includes(label) && text.includes(figure);
    });
    if (!found) return false;
  }
  return Date.now();
}"""
# Resolves with Date.now() as soon as the figure is in the page (a MutationObserver, so no polling delay).
SHOWN_JS = """([selector, label, figure]) => new Promise((resolve) => {
  const look = () => [...document.querySelectorAll(selector)].some((el) => {
    const text = el.innerText || '';
    return text.includes(label) && text.includes(figure);
  });
  if (look()) { resolve(Date.now()); return; }
  const observer = new MutationObserver(() => {
    if (look()) { observer.disconnect(); resolve(Date.now()); }
  });
  observer.observe(document, {subtree: true, childList: true, characterData: true});
})"""
# What the display shows where SHOWN_JS looks (after it waited in vain): the text of the matching elements, and
# whether Streamlit still counts itself connected.
SHOWING_JS = """([selector, label]) => {
  const texts = [...document.querySelectorAll(selector)].map((el) => el.innerText || '').filter((t) => t.includes(label));
  const app = document.querySelector('[data-testid="stApp"]');
  return `${texts.join(' | ').replace(/\\s+/g, ' ').slice(0, 300) || 'nothing of it'}`
    + ` (script ${app ? app.getAttribute('data-test-script-state') : 'no app'},`
    + ` ${document.querySelector('[data-testid="stConnectionStatus"]') ? 'connection status shown' : 'connected'})`;
}"""
# In the page, before Streamlit's own code: the moment (Date.now()) the first websocket message carrying a watched
# text (a new figure, as the page shows it) reached the page, before the page's JavaScript has handled it.
FRAMES_JS = """
(() => {
  const Native = window.WebSocket;
  window.__watchFor = [];
  window.__arrived = {};
  const decoder = new TextDecoder('utf-8');
  class Watched extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (!window.__watchFor.length || !(event.data instanceof ArrayBuffer)) return;
        const now = Date.now();
        const text = decoder.decode(event.data);
        for (const wanted of window.__watchFor) {
          if (!(wanted in window.__arrived) && text.includes(wanted)) window.__arrived[wanted] = now;
        }
      });
    }
  }
  window.WebSocket = Watched;
})();
"""
OPEN_TIMEOUT_MS = 180_000
RUN_TIMEOUT_S = 120
RECOVER_TIMEOUT_S = 90
TRANSIENT = "connection status"  # Streamlit's "Connecting" while its server is away: expected in the scenarios
PARTS = ("single", "imports", "idle", "solo", "cluster", "scenarios")
ON_SOLO = {"single", "imports", "idle", "solo"}
ON_CLUSTER = {"cluster", "scenarios"}
FULL = {"reruns": 10, "imports": 5, "sessions": 20, "window": 60.0, "idle_displays": 8, "idle_seconds": 30.0,
        "scenario_sessions": 12}  # fmt: skip
QUICK = {"reruns": 3, "imports": 2, "sessions": 8, "window": 15.0, "idle_displays": 4, "idle_seconds": 10.0,
         "scenario_sessions": 6}  # fmt: skip


def mix(count: int) -> list[str]:
    return [BLOCK[i % len(BLOCK)] for i in range(count)]


@dataclass
class Target:
    """Where the sessions go: one solo server, or nginx in front of a cluster."""

    mode: str  # "solo" (the server holds the database; imports go through its inbox) or "shared"
    url: str
    db_path: Path
    cluster: object = None


@dataclass
class Session:
    view: View
    page: object = None
    runs: ScriptRuns | None = None
    drawn: list[float] = field(default_factory=list)
    first: int = 0  # runs recorded before the measurement began
    window_end: int | None = None  # runs recorded when the window of load ended (the imports under load follow)
    window_drawn: int | None = None  # the same for `drawn`
    navigations: int = 0  # documents loaded: more than one is a reload (it would lose what WATCH_FOR_PROBLEMS_JS saw)
    errors: list[str] = field(default_factory=list)  # what stopped this session's work (a timeout)
    clock: ScriptRuns | None = None  # with --browser-clock: the same runs by the browser's own timestamps

    def times(self, *kinds: str, during: str = "window") -> list[float]:
        """Run times of the given kinds: in the window of load (all of them when the session had no window), with
        ``during="imports"`` in the imports under load that followed it, with ``during="both"`` in either."""
        if during == "imports":
            return [] if self.window_end is None else self.runs.times(*kinds, since=self.window_end)
        if during == "both":
            return self.runs.times(*kinds, since=self.first)
        return self.runs.times(*kinds, since=self.first, until=self.window_end)

    def drawn_times(self, during: str = "window") -> list[float]:
        if during == "imports":
            return [] if self.window_drawn is None else self.drawn[self.window_drawn :]
        return self.drawn[: self.window_drawn]


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def spread(values: list[float]) -> str:
    if not values:
        return f"{'–':>7} {'–':>7}"
    return f"{statistics.median(values):>6.2f}s {p95(values):>6.2f}s"


# --- CPU, from /proc --------------------------------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds used so far) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    rest = text[text.rindex(")") + 2 :].split()  # after "pid (comm) ": state, ppid, ... utime is the 12th
    return int(rest[1]), (int(rest[11]) + int(rest[12])) / CLOCK_TICKS


def _role(pid: int) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "other"
    for needle, role in (("streamlit", "server"), ("nginx", "nginx"), ("chrom", "browser"), ("playwright", "driver")):
        if needle in command:
            return role
    return "other"  # an import or a backup from the command line


def our_processes() -> dict[int, tuple[str, float]]:
    """This script and every process it started (servers, nginx, Playwright's driver, Chromium): role, CPU s."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (found := _stat(int(entry.name))) is not None:
            stats[int(entry.name)] = found
    children = defaultdict(list)
    for pid, (parent, _) in stats.items():
        children[parent].append(pid)
    me = os.getpid()
    ours = {me: ("driver", stats[me][1])}  # this script drives the browser with Playwright
    todo = [me]
    while todo:
        for child in children[todo.pop()]:
            ours[child] = (_role(child), stats[child][1])
            todo.append(child)
    return ours


def server_memory() -> list[tuple[float, float]]:
    """(resident MB now, peak resident MB over its life) of each server process this script started."""
    found = []
    for pid, (role, _) in our_processes().items():
        if role != "server":
            continue
        try:
            status = dict(
                line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if "VmRSS" in status and "VmHWM" in status:
            found.append(tuple(int(status[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM")))
    return found


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all processes, everyone's), from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / CLOCK_TICKS


@dataclass
class CpuUse:
    wall: float
    by_role: dict[str, float]  # CPU seconds
    machine: float  # CPU seconds the whole machine was busy, everyone's

    def cores(self, role: str) -> float:
        return self.by_role.get(role, 0.0) / self.wall

    def line(self) -> str:
        ours = sum(self.by_role.values())
        roles = ", ".join(
            f"{role} {self.cores(role):.2f}" for role in ("server", "nginx", "browser", "driver", "other")
        )
        return (
            f"{self.wall:.0f} s; cores busy: {roles} (ours {ours / self.wall:.2f}); the whole machine "
            f"{self.machine / self.wall:.2f} of {os.cpu_count()}, so others' work {(self.machine - ours) / self.wall:.2f}"
        )


class CpuMeter:
    """CPU used by our processes (by role) and by the whole machine between start and ``stop()``. A process that
    ends in between is not counted (none does in the idle and load windows)."""

    def __init__(self) -> None:
        self.start = our_processes()
        self.machine = machine_busy()
        self.t0 = time.monotonic()

    def stop(self) -> CpuUse:
        end = our_processes()
        wall = time.monotonic() - self.t0
        by_role: dict[str, float] = defaultdict(float)
        for pid, (role, cpu) in end.items():
            by_role[role] += cpu - self.start.get(pid, (role, 0.0))[1]
        return CpuUse(wall, dict(by_role), machine_busy() - self.machine)


# --- Sessions ---------------------------------------------------------------------------------------------------


BROWSER_CLOCK = False  # --browser-clock


async def open_session(browser, url: str, view: View) -> Session:
    session = Session(view)
    context = await browser.new_context(viewport=VIEWPORT)
    await context.add_init_script(WATCH_FOR_PROBLEMS_JS)
    await context.add_init_script(FRAMES_JS)
    session.page = await context.new_page()
    session.runs = ScriptRuns(session.page)
    if BROWSER_CLOCK:  # a second listener for every frame: it adds load of its own (see the report)
        cdp = await context.new_cdp_session(session.page)
        session.clock = BrowserClockRuns(cdp)
        await cdp.send("Network.enable")

    def loaded(_) -> None:
        session.navigations += 1

    session.page.on("load", loaded)  # a document loaded (not the history changes Streamlit makes to the query)
    await session.page.goto(url + view.path, wait_until="commit", timeout=OPEN_TIMEOUT_MS)
    await session.page.wait_for_function(READY_JS, arg=[STALE, view.key, None], timeout=OPEN_TIMEOUT_MS)
    return session


async def open_sessions(browser, url: str, codes: list[str]) -> list[Session]:
    sessions: list[Session] = []
    for first in range(0, len(codes), OPEN_AT_ONCE):
        batch = codes[first : first + OPEN_AT_ONCE]
        sessions += await asyncio.gather(*(open_session(browser, url, VIEWS[code]) for code in batch))
    return sessions


async def close(sessions: list[Session]) -> None:
    for session in sessions:
        if not session.page.is_closed():
            await session.page.context.close()


async def rerun_and_draw(session: Session) -> None:
    pressed = await session.runs.rerun(session.page, RUN_TIMEOUT_S)
    await session.page.wait_for_function(READY_JS, arg=[STALE, session.view.key, None], timeout=RUN_TIMEOUT_S * 1000)
    session.drawn.append(time.perf_counter() - pressed)


def at_own_address(session: Session) -> bool:
    """The page's address is still the one it was opened at (Streamlit may re-encode the query)."""
    now, then = urlsplit(session.page.url), urlsplit(session.view.path)
    return now.path == then.path and parse_qs(now.query) == parse_qs(then.query)


async def problems(sessions: list[Session]) -> list[dict]:
    found = []
    for session in sessions:
        if not session.page.is_closed():
            found += [{**p, "view": session.view.name} for p in await problems_seen(session.page)]
    return found


def split_problems(found: list[dict]) -> tuple[list[dict], list[dict]]:
    """(what a user must never see, transient connection statuses)."""
    return [p for p in found if p["what"] != TRANSIENT], [p for p in found if p["what"] == TRANSIENT]


# --- Imports ----------------------------------------------------------------------------------------------------


@dataclass
class Timing:
    """One import, every moment by the machine's clock (time.time())."""

    started: float  # the CLI started
    exited: float  # the CLI exited
    committed: float | None  # data_version.changed_at of the write
    arrived: float | None  # the server's message carrying the new figure reached the display's page
    shown: float | None  # the new figure was in the display's page (None: not within RUN_TIMEOUT_S)
    missed: str | None = None  # when it was not shown: the figure, and what the display showed instead

    def parts(self) -> dict[str, float | None]:
        commit, shown = self.committed, self.shown
        return {
            "start_shown": None if shown is None else shown - self.started,
            "exit": self.exited - self.started,
            "commit_shown": None if commit is None or shown is None else shown - commit,
            "commit_arrived": None if commit is None or self.arrived is None else self.arrived - commit,
            "browser": None if self.arrived is None or shown is None else shown - self.arrived,
            "exit_shown": None if shown is None else shown - self.exited,
        }


def published_commit(db: Path) -> float | None:
    """Shared mode: when the last write committed (``data_version.changed_at``), read from the published copy."""
    import duckdb

    from assurance.store import published

    copy = published.current(db)
    if copy is None:
        return None
    con = duckdb.connect(str(copy.path), read_only=True)
    try:
        changed = con.execute("SELECT changed_at FROM data_version").fetchone()[0]
    finally:
        con.close()
    return changed.timestamp()  # a naive local time, as DuckDB wrote it


def answer_written(db: Path, done: threading.Event) -> float | None:
    """Solo mode: when the server's inbox watcher wrote its answer to the import (``<batch>.result.json``, written
    just after the load's commit). The CLI reads and removes it within 0.05 s, so a thread of its own looks for it
    every 2 ms, whatever the event loop is busy with."""
    folder = Path(f"{db}.inbox")
    try:
        old = {entry.name for entry in os.scandir(folder)}
    except OSError:
        old = set()
    while not done.is_set():
        try:
            for entry in os.scandir(folder):
                if entry.name.endswith(".result.json") and entry.name not in old:
                    return entry.stat().st_mtime
        except OSError:  # no inbox yet, or the file went between the listing and the stat
            pass
        time.sleep(0.002)
    return None


async def one_import(target: Target, folder: Path, number: int, display: Session) -> Timing:
    return_file, figures = corrected_return(folder, number)
    selector, label, whose = display.view.shows
    await display.page.evaluate("(figure) => window.__watchFor.push(figure)", figures[whose])
    visible = asyncio.create_task(display.page.evaluate(SHOWN_JS, [selector, label, figures[whose]]))
    env = {k: v for k, v in os.environ.items() if k != "ASSURANCE_DB"}
    command = [sys.executable, "-m", "assurance", "import", str(return_file), "--replace", "--db", str(target.db_path)]
    done = threading.Event()
    solo = target.mode == "solo"
    answered = asyncio.create_task(asyncio.to_thread(answer_written, target.db_path, done)) if solo else None
    started = time.time()
    process = await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await process.communicate()
    exited = time.time()
    done.set()
    text = output.decode()
    # Solo: the server holds the database, so the CLI queues the batch in its inbox. Shared: it writes directly.
    if process.returncode != 0 or "Loaded as load" not in text or ("queued as" in text) != solo:
        visible.cancel()
        how = "through the inbox" if solo else "directly"
        raise SystemExit(f"the import did not load {how} (exit {process.returncode}):\n{text}")
    try:
        shown, missed = await asyncio.wait_for(visible, RUN_TIMEOUT_S) / 1000, None
    except TimeoutError:  # a stale display: the very thing to report, so the run goes on and says so
        showing = await display.page.evaluate(SHOWING_JS, [selector, label])
        shown, missed = None, f"{figures[whose]!r} not shown within {RUN_TIMEOUT_S} s; the display showed {showing!r}"
    committed = await answered if solo else published_commit(target.db_path)
    arrived = await display.page.evaluate("(figure) => window.__arrived[figure] || null", figures[whose])
    return Timing(started, exited, committed, arrived / 1000 if arrived else None, shown, missed)


async def imports(target: Target, folder: Path, display: Session, numbers: range) -> list[Timing]:
    results = []
    for number in numbers:
        results.append(await one_import(target, folder, number, display))
        await asyncio.sleep(1.5)  # let the display settle (and its next check pass) before the next write
    return results


# --- Parts ------------------------------------------------------------------------------------------------------


async def part_single(browser, target: Target, args) -> dict:
    found = {}
    for code, view in VIEWS.items():
        session = await open_session(browser, target.url, view)
        session.first = len(session.runs.durations)
        for _ in range(args.reruns):
            await rerun_and_draw(session)
            await asyncio.sleep(0.5)
        found[code] = {"run": session.times("page"), "drawn": session.drawn, "check": session.times("fragment")}
        print(f"  one session, {view.name}: run {spread(found[code]['run'])}", flush=True)
        await close([session])
    return found


async def part_imports(browser, target: Target, args, folder: Path, numbers: range) -> list[Timing]:
    display = await open_session(browser, target.url, VIEWS["meeting5"])
    try:
        await asyncio.sleep(2)
        found = await imports(target, folder, display, numbers)
    finally:
        await close([display])
    print(f"  imports without load ({target.mode}): {len(found)} done", flush=True)
    return found


async def part_idle(browser, target: Target, args) -> dict:
    baseline = CpuMeter()
    await asyncio.sleep(min(10.0, args.idle_seconds))
    alone = baseline.stop()
    displays = await open_sessions(browser, target.url, ["meeting3", "meeting5"] * (args.idle_displays // 2))
    displays += await open_sessions(browser, target.url, ["meeting3"] * (args.idle_displays % 2))
    try:
        await asyncio.sleep(5)  # the first loads' after-work settles
        checks = sum(s.runs.fragment_runs for s in displays)
        meter = CpuMeter()
        await asyncio.sleep(args.idle_seconds)
        used = meter.stop()
        checks = sum(s.runs.fragment_runs for s in displays) - checks
        failed = [f for s in displays for f in s.runs.failed]
        seen = await problems(displays)
    finally:
        await close(displays)
    print(f"  idle: {len(displays)} displays, {used.line()}", flush=True)
    return {"n": len(displays), "alone": alone, "open": used, "checks": checks, "failed": failed, "problems": seen}


async def part_load(browser, target: Target, count: int, args, folder: Path, numbers: range) -> dict:
    started = time.perf_counter()
    sessions = await open_sessions(browser, target.url, mix(count))
    opened = time.perf_counter() - started
    print(f"  {len(sessions)} sessions open in {opened:.1f} s", flush=True)
    extra = []
    display = next((s for s in sessions if s.view.meeting), None)
    if display is None:  # too few sessions for the mix's first display
        display = await open_session(browser, target.url, VIEWS["meeting5"])
        extra.append(display)
    for session in sessions:
        session.first = len(session.runs.durations)
    stop = asyncio.Event()

    async def keep_busy(session: Session) -> None:
        while not stop.is_set():
            try:
                await rerun_and_draw(session)
            except Exception as exc:  # a page that stopped answering: counted, and its work stops
                session.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
                return
            await asyncio.sleep(args.think)

    busy = [asyncio.create_task(keep_busy(s)) for s in sessions if not s.view.meeting]
    try:
        meter = CpuMeter()
        await asyncio.sleep(args.window)
        cpu = meter.stop()
        for session in sessions:  # what follows is the imports' part: every write reruns every open page at once
            session.window_end, session.window_drawn = len(session.runs.durations), len(session.drawn)
        timings = await imports(target, folder, display, numbers)
        print(f"  imports under the load of {len(sessions)} sessions: {len(timings)} done", flush=True)
    finally:
        stop.set()
        await asyncio.wait(busy, timeout=RUN_TIMEOUT_S)
        for task in busy:
            task.cancel()
    everyone = sessions + extra
    found = {
        "count": len(sessions),
        "open_s": opened,
        "cpu": cpu,
        "memory": server_memory(),  # after the window and the imports under load
        "imports": timings,
        "pages": {},
        "problems": await problems(everyone),
        "failed_runs": [f for s in everyone for f in s.runs.failed],
        "stopped": [f"{s.view.name}: {e}" for s in everyone for e in s.errors],
        "reloaded": sum(max(0, s.navigations - 1) for s in everyone),
        "stale": [t.missed for t in timings if t.missed],
    }
    for code in VIEWS:
        mine = [s for s in sessions if s.view is VIEWS[code]]
        # Nobody presses R on a meeting display: its runs under load are the redraws a safety check was waiting for
        # (the pushed ones are asked for by nobody; they are timed as commit -> display instead).
        kind = "redraw" if VIEWS[code].meeting else "page"
        found["pages"][code] = {
            "run": [t for s in mine for t in s.times(kind)],
            "drawn": [t for s in mine for t in s.drawn_times()],
            "run_imports": [t for s in mine for t in s.times(kind, during="imports")],
            "drawn_imports": [t for s in mine for t in s.drawn_times(during="imports")],
            # both together, as this script counted them until 2026-12-07 (and the first load.py, whose imports under
            # load reran no page but the meeting displays on their 3 s clock)
            "run_both": [t for s in mine for t in s.times(kind, during="both")],
            "check": [t for s in mine for t in s.times("fragment")],
            "redraw": [t for s in mine for t in s.times("redraw")],
            "sessions": len(mine),
        }
    if BROWSER_CLOCK:
        found["clock"] = clock_pairs(sessions)
    await close(everyone)
    return found


def clock_pairs(sessions: list[Session]) -> dict:
    """The pages' runs timed both ways (this process's clock, the browser's), in the window and in the waves; only
    sessions whose two records hold the same runs in the same order are compared."""
    pairs: dict = {"window": [], "imports": [], "compared": 0, "sessions": 0}
    for session in sessions:
        if session.view.meeting or session.clock is None:
            continue
        pairs["sessions"] += 1
        ours, browsers = session.runs.durations, session.clock.durations
        if [kind for kind, _ in ours] != [kind for kind, _ in browsers]:
            continue
        pairs["compared"] += 1
        for index, ((kind, here), (_, there)) in enumerate(zip(ours, browsers, strict=True)):
            if kind == "page" and index >= session.first:
                part = "window" if session.window_end is None or index < session.window_end else "imports"
                pairs[part].append((here, there))
    return pairs


async def wait_recovered(session: Session, figures: dict[str, str], committed: float, since: float) -> float | None:
    """Seconds from ``since`` (time.time()) until the session is connected, drawn, at its own address, with the
    latest figure where it shows one, and has finished a full run after the write committed at ``committed`` (so
    a page whose websocket was cut has come back, even one that shows no figure to look for); None when it did not
    within RECOVER_TIMEOUT_S."""
    view = session.view
    shows = [view.shows[0], view.shows[1], figures[view.shows[2]]] if view.shows else None
    deadline = time.monotonic() + RECOVER_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            ready = await session.page.evaluate(READY_JS, [STALE, view.key, shows])
        except Exception:  # the page is between two documents (it should not reload, but if it does: wait)
            ready = False
        if ready and any(t >= committed for t in session.runs.finished_at) and at_own_address(session):
            return time.time() - since
        await asyncio.sleep(0.1)
    return None


async def scenario(name: str, sessions: list[Session], action, target: Target, folder: Path, number: int) -> dict:
    """Run action (a coroutine function) and an import at once, then wait until every session has come back."""
    before = {id(s): len(await problems_seen(s.page)) for s in sessions}
    started = time.time()
    return_file, figures = corrected_return(folder, number)
    env = {k: v for k, v in os.environ.items() if k != "ASSURANCE_DB"}
    command = [sys.executable, "-m", "assurance", "import", str(return_file), "--replace", "--db", str(target.db_path)]
    process = await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    detail = await action()
    output, _ = await process.communicate()
    imported = process.returncode == 0 and "Loaded as load" in output.decode()
    committed = published_commit(target.db_path) if imported else None
    if committed is None:  # nothing to wait for: say so rather than wait for a figure that will not come
        committed = started
    back = await asyncio.gather(*(wait_recovered(s, figures, committed, started) for s in sessions))
    new, reconnected = [], 0
    for session in sessions:
        seen = await problems_seen(session.page)
        mine = [{**p, "view": session.view.name} for p in seen[before[id(session)] :]]
        reconnected += any(p["what"] == TRANSIENT for p in mine)
        new += mine
    errors, transient = split_problems(new)
    result = {
        "name": name,
        "detail": detail,
        "imported": imported,
        "import_output": output.decode(),
        "back": [t for t in back if t is not None],
        "not_back": [s.view.name for s, t in zip(sessions, back, strict=True) if t is None],
        "errors": errors,
        "transient": transient,
        "reconnected": reconnected,
        "committed_after": committed - started,
    }
    print(
        f"  {name}: {len(result['back'])}/{len(sessions)} sessions back, slowest {max(result['back'], default=0):.1f} s; "
        f"import {'ok' if imported else 'FAILED'}; {len(errors)} errors, {len(transient)} connection statuses",
        flush=True,
    )
    return result


async def part_scenarios(browser, target: Target, args, folder: Path, numbers: range) -> dict:
    cluster = target.cluster
    sessions = await open_sessions(browser, target.url, mix(args.scenario_sessions))
    first, second = numbers[0], numbers[1]
    try:

        async def restart_nginx() -> str:
            cluster.stop_nginx()
            await asyncio.sleep(1.0)
            cluster.start_nginx()
            return "nginx stopped, started again 1 s later"

        async def kill_a_server() -> str:
            counts = connections_to(cluster.backends)
            port = max(counts, key=counts.get)
            killed = cluster.servers[port]
            os.kill(killed.pid, signal.SIGKILL)
            await asyncio.to_thread(killed.wait, 10)
            await asyncio.sleep(0.5)  # serve's loop looks every 0.5 s
            cluster.restart_dead()
            return f"killed the process on port {port}, which held {counts[port]} of {sum(counts.values())} websockets"

        results = [await scenario("nginx restart + import", sessions, restart_nginx, target, folder, first)]
        await asyncio.to_thread(cluster.wait_ready)
        results.append(await scenario("kill -9 of a server + import", sessions, kill_a_server, target, folder, second))
        await asyncio.to_thread(cluster.wait_ready)
        failed = [f for s in sessions for f in s.runs.failed]
        reloaded = sum(max(0, s.navigations - 1) for s in sessions)
    finally:
        await close(sessions)
    return {"count": len(sessions), "results": results, "failed_runs": failed, "reloaded": reloaded}


def lower_browser_priority(nice: int) -> None:
    """Set every thread of our Chromium processes to ``nice``. Chromium, run as root here, raises some of its own
    threads' priority (nice -8 for its browser and display threads), above the servers'; `nice` at launch does not
    hold, as each thread has its own priority on Linux. Applied again each second during a measurement, for the
    tabs' new processes and Chromium's own changes."""
    for pid, (role, _) in our_processes().items():
        if role != "browser":
            continue
        try:
            threads = [int(t.name) for t in Path(f"/proc/{pid}/task").iterdir()]
        except OSError:
            continue
        for tid in threads:
            try:
                if os.getpriority(os.PRIO_PROCESS, tid) != nice:
                    os.setpriority(os.PRIO_PROCESS, tid, nice)
            except OSError:
                pass  # a thread that has just ended


async def keep_browser_low(args: argparse.Namespace, stop: asyncio.Event) -> None:
    while args.browser_nice and not stop.is_set():
        lower_browser_priority(args.browser_nice)
        await asyncio.sleep(1.0)


async def benchmark(args: argparse.Namespace, folder: Path) -> dict:
    from playwright.async_api import async_playwright

    figures: dict = {}
    numbers = iter(range(10_000))

    def next_numbers(count: int) -> range:
        start = next(numbers)
        for _ in range(count - 1):
            next(numbers)
        return range(start, start + count)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        stop_lowering = asyncio.Event()
        lowering = asyncio.create_task(keep_browser_low(args, stop_lowering))
        try:
            if args.parts & ON_SOLO:
                print("One Streamlit process (solo mode)", flush=True)
                (folder / "solo").mkdir()
                # As deployed: no file watcher (it would rerun the app whenever someone edits the working tree).
                no_watcher = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
                with streamlit_app(folder / "solo", folder / "solo" / "db" / "assurance.duckdb", env=no_watcher) as s:
                    target = Target("solo", s.url, s.db_path)
                    if "single" in args.parts:
                        figures["single"] = await part_single(browser, target, args)
                    else:  # the first page view builds the demo database: not part of any figure
                        await close([await open_session(browser, target.url, VIEWS["overview"])])
                    if "imports" in args.parts:
                        figures["import_quiet"] = await part_imports(
                            browser, target, args, folder, next_numbers(args.imports)
                        )
                    if "idle" in args.parts:
                        figures["idle"] = await part_idle(browser, target, args)
                    if "solo" in args.parts:
                        figures["solo"] = await part_load(
                            browser, target, args.sessions, args, folder, next_numbers(args.imports)
                        )
                    figures["solo_traceback"] = "Traceback" in s.log()
            if args.parts & ON_CLUSTER:
                print(f"{args.processes} Streamlit processes behind nginx (shared mode)", flush=True)
                (folder / "cluster").mkdir()
                with serve_cluster(folder / "cluster" / "assurance.duckdb", args.processes, folder / "run") as cluster:
                    target = Target("shared", f"http://127.0.0.1:{cluster.port}", cluster.db, cluster)
                    # A first page on each process, most likely (the route cookie is random): not in any figure.
                    await close(await open_sessions(browser, target.url, ["overview"] * 2 * args.processes))
                    if "cluster" in args.parts:
                        figures["idle_cluster"] = await part_idle(browser, target, args)
                        figures["cluster_quiet"] = await part_imports(
                            browser, target, args, folder, next_numbers(args.imports)
                        )
                        figures["cluster"] = await part_load(
                            browser, target, args.cluster_sessions, args, folder, next_numbers(args.imports)
                        )
                    if "scenarios" in args.parts:
                        figures["scenarios"] = await part_scenarios(browser, target, args, folder, next_numbers(2))
                    logs = cluster_logs(cluster)
                    figures["cluster_traceback"] = "Traceback" in logs
                    figures["nginx_errors"] = sum("[error]" in line for line in logs.splitlines())
        finally:
            stop_lowering.set()
            await lowering
            await browser.close()
    return figures


# --- Report -----------------------------------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0]
    return f"{model}, {os.cpu_count()} CPUs; Python {platform.python_version()}; load average {load:.1f} at the end"


def report_pages(figures: dict, args: argparse.Namespace) -> None:
    single, solo, cluster = figures.get("single"), figures.get("solo"), figures.get("cluster")
    if not (single or solo or cluster):
        return
    print(f"\nPage run times: median and 95th percentile (nearest rank); {args.reruns} runs per page alone")
    header = f"  {'page':<36}"
    if single:
        header += f" {'1 session: run':>15} {'drawn':>15}"
    for name, load in (("solo", solo), ("cluster", cluster)):
        if load:
            what = f"{load['count']} sessions" + (f", {args.processes} processes" if name == "cluster" else "")
            header += f"   {what + ': run':>26} {'drawn':>15}  runs"
    print(header)

    def rows(indent: str, run: str, drawn: str | None) -> None:
        """One line per page: its `run` (and `drawn`) times alone, then under each load."""
        for code, view in VIEWS.items():
            line = f"  {indent + view.name:<36}"
            if single:
                alone = single[code]
                line += f" {spread(alone.get(run, [])):>15} {spread(alone.get(drawn, [])) if drawn else '':>15}"
            for load in (solo, cluster):
                if load:
                    page = load["pages"][code]
                    line += f"   {spread(page[run]):>26} {spread(page[drawn]) if drawn else '':>15}  {len(page[run])}"
            print(line)

    rows("", "run", "drawn")
    print(
        f"  While the imports under load went on (each write reruns every open page at once), after the {args.window:.0f} s:"
    )
    rows("  ", "run_imports", "drawn_imports")
    print("  Version checks (the browser's slow safety check, ui/live.py SAFETY_SECONDS), request to answer:")
    rows("  ", "check", None)
    print(f"  (the loads' columns: the {args.window:.0f} s of load, then the imports' part apart;")
    print("  run: the server's script run and the local websocket; drawn: until Chromium has drawn it, so drawn")
    print("  minus run is the browser's share, on the same CPUs; under load the browser draws every open tab.")
    print("  Nobody presses R on a meeting display: under load its row counts only the redraws that a safety check")
    print("  happened to be waiting for; the server pushes the others, unasked, so they are timed as a committed")
    print("  write -> the open meeting display, below.)")
    for name, load in (("solo", solo), ("cluster", cluster)):
        if load:
            print(f"  {name}: {load['count']} sessions opened {OPEN_AT_ONCE} at a time in {load['open_s']:.1f} s")
            print(f"  {name}: CPU during the {args.window:.0f} s of load: {load['cpu'].line()}")
            memory = ", ".join(f"{now:.0f} MB (peak {peak:.0f} MB)" for now, peak in load.get("memory", []))
            print(f"  {name}: server memory after the load (resident): {memory or 'not read'}")


def report_imports(label: str, timings: list[Timing] | None) -> None:
    if not timings:
        return
    rows = [t.parts() for t in timings]

    def col(key: str) -> str:
        values = [r[key] for r in rows if r[key] is not None]
        missing = len(rows) - len(values)
        return spread(values) + (f" ({missing} not read)" if missing else "")

    print(f"  {label} ({len(rows)} imports)")
    lines = [
        ("commit -> the new figure in the display's page", "commit_shown"),
        ("  the server's part: commit -> its message reached the page", "commit_arrived"),
        ("  the browser's part: message -> figure in the page", "browser"),
        ("CLI start -> the new figure in the display's page", "start_shown"),
        ("CLI start -> CLI exit", "exit"),
        ("CLI exit -> the new figure in the display's page", "exit_shown"),
    ]
    for text, key in lines:
        print(f"    {text:<62} {col(key)}")
    each = ", ".join(
        "NOT SHOWN"
        if r["start_shown"] is None
        else f"{r['start_shown']:.1f}/{r['commit_shown']:.1f}"
        if r["commit_shown"] is not None
        else f"{r['start_shown']:.1f}/–"
        for r in rows
    )
    print(f"    each (CLI start / commit -> shown, s): {each}")
    for timing in timings:
        if timing.missed:
            print(f"    STALE DISPLAY: {timing.missed}")
    if any(r["commit_shown"] is None for r in rows):
        print("    (the commit is before the CLI's exit, so CLI exit -> figure is a lower bound on commit -> figure)")


def report_idle(idle: dict | None, where: str) -> None:
    if not idle:
        return
    used, alone, n = idle["open"], idle["alone"], idle["n"]
    per = used.wall * n
    print(f"\nIdle meeting displays: {n} open on {where}, nothing changing, {used.wall:.0f} s")
    print(
        f"  server processes: {100 * used.by_role.get('server', 0) / per:.2f}% of a core per display "
        f"({used.cores('server'):.3f} cores for {n}; with no display open {alone.cores('server'):.3f})"
    )
    print(
        f"  browser (Chromium's processes): {100 * used.by_role.get('browser', 0) / per:.2f}% of a core per display "
        f"({used.cores('browser'):.3f} cores); this script and Playwright's driver {used.cores('driver'):.3f} cores"
    )
    rate = idle["checks"] / (used.wall * n) if used.wall else 0
    print(f"  version checks: {idle['checks']} ({rate:.2f} per display per second); CPU: {used.line()}")
    print(f"  problems: {idle['problems'] or 'none'}; failed runs: {idle['failed'] or 'none'}")


def report_errors(label: str, load: dict | None) -> None:
    """Under load nothing is stopped, so every problem counts, a lost connection too."""
    if not load:
        return
    print(f"  {label}: problems seen in the browser: {load['problems'] or 'none'}")
    print(f"  {label}: script runs that ended in an error: {load['failed_runs'] or 'none'}")
    print(
        f"  {label}: sessions that stopped answering: {load['stopped'] or 'none'}; pages reloaded: {load['reloaded']}"
    )
    print(f"  {label}: a new figure never shown on the meeting display: {load.get('stale') or 'none'}")


def report_scenarios(scenarios: dict | None) -> None:
    if not scenarios:
        return
    print(f"\nScenarios on the cluster, {scenarios['count']} sessions open, an import during each")
    for result in scenarios["results"]:
        back = result["back"]
        print(f"  {result['name']}: {result['detail']}")
        print(
            f"    back on their page with the latest figure: {len(back)}/{scenarios['count']}, "
            f"median {statistics.median(back) if back else 0:.1f} s, slowest {max(back, default=0):.1f} s "
            f"(from the start of the scenario; the import committed {result['committed_after']:.1f} s after it)"
        )
        if result["not_back"]:
            print(f"    NOT back within {RECOVER_TIMEOUT_S} s: {result['not_back']}")
        print(f"    the import: {'loaded' if result['imported'] else 'FAILED: ' + result['import_output']}")
        print(
            f"    expected, transient: {len(result['transient'])} connection statuses in "
            f"{result['reconnected']} sessions (their websocket was cut and came back)"
        )
        print(f"    errors (exceptions, error messages, dialogs): {result['errors'] or 'none'}")
    print(f"  script runs that ended in an error: {scenarios['failed_runs'] or 'none'}")
    print(f"  pages reloaded: {scenarios['reloaded']}")


def report_goals(figures: dict) -> None:
    """The issue's table: each figure against its goal (the cold start is benchmarks/pages.py's)."""
    print("\nAgainst the goals (issue 17)")

    def worst(load: dict, key: str = "run") -> str:
        pages = {c: p for c, p in load["pages"].items() if p[key]}
        highest = max(pages, key=lambda c: p95(pages[c][key]), default=None)
        if highest is None:
            return "–"
        low = min(p95(p[key]) for p in pages.values())
        return f"{low:.2f}–{p95(pages[highest][key]):.2f} s (worst: {VIEWS[highest].name})"

    def runs(load: dict) -> str:
        checks = [t for p in load["pages"].values() for t in p["check"]]
        check = f"; version checks p95 {p95(checks):.2f} s" if checks else ""
        imports = len(load["imports"] or [])
        return (
            f"{worst(load)} in the window of load; {worst(load, 'run_imports')} while {imports} imports "
            f"reran every page; {worst(load, 'run_both')} both together{check}"
        )

    if "solo" in figures:
        print(f"  {figures['solo']['count']} sessions, one process, run p95 per page: {runs(figures['solo'])}  [≤ 2 s]")
    if "cluster" in figures:
        load = figures["cluster"]
        count = (
            len(load["problems"])
            + len(load["failed_runs"])
            + len(load["stopped"])
            + len(load["stale"])
            + int(figures["cluster_traceback"])
        )
        print(
            f"  {load['count']} sessions, cluster, run p95 per page: {runs(load)}; errors: {count}  [≤ 3 s, 0 errors]"
        )
    for label, timings, goal in (
        ("under the solo load", figures.get("solo", {}).get("imports"), "p95 ≤ 3 s"),
        ("without load, solo", figures.get("import_quiet"), "median ≤ 2 s"),
        ("under the cluster load", figures.get("cluster", {}).get("imports"), "p95 ≤ 3 s"),
        ("without load, cluster", figures.get("cluster_quiet"), "median ≤ 2 s"),
    ):
        values = [t.parts()["commit_shown"] for t in timings or []]
        values = [v for v in values if v is not None]
        missed = sum(1 for t in timings or [] if t.missed)
        if values or missed:
            shown = f"median {statistics.median(values):.2f} s, p95 {p95(values):.2f} s" if values else "none shown"
            not_shown = f"; NOT SHOWN within {RUN_TIMEOUT_S} s: {missed}" if missed else ""
            print(f"  commit -> open meeting display, {label}: {shown}{not_shown}  [{goal}]")
    for key, where in (("idle", "one process"), ("idle_cluster", "cluster")):
        if key in figures:
            idle = figures[key]
            per = idle["open"].wall * idle["n"]
            print(
                f"  idle meeting display, {where}: server {100 * idle['open'].by_role.get('server', 0) / per:.2f}% of a "
                f"core each, browser {100 * idle['open'].by_role.get('browser', 0) / per:.2f}%  [≤ 2% each]"
            )
    print("  cold start -> first chart: see benchmarks/pages.py  [≤ 3 s]")


def report_clock(figures: dict) -> None:
    """--browser-clock: the pages' run times by this script's clock against the browser's own."""
    loads = [(name, figures[name]["clock"]) for name in ("solo", "cluster") if "clock" in figures.get(name, {})]
    if not loads:
        return
    print("\nThe run times' clock (--browser-clock): this script's (Playwright's events, as in every figure above)")
    print("against the browser's network-layer timestamps of the same websocket frames; median and 95th percentile")
    for name, clock in loads:
        print(
            f"  {name}: {clock['compared']} of {clock['sessions']} dashboard sessions compared (those whose two records"
            " hold the same runs; the meeting displays ask for no runs)"
        )
        for part, label in (("window", "the window of load"), ("imports", "the imports' waves")):
            pairs = clock[part]
            if not pairs:
                continue
            ours, browsers = [a for a, _ in pairs], [b for _, b in pairs]
            differences = [a - b for a, b in pairs]
            print(
                f"    {label} ({len(pairs)} runs): this script {spread(ours)}, the browser {spread(browsers)}; "
                f"difference {spread(differences)}, largest {max(differences, key=abs):+.2f} s"
            )
    print("  (a positive difference: this script counted the run longer than the browser saw it)")


def report(figures: dict, args: argparse.Namespace) -> None:
    print(f"\n{machine()}")
    report_pages(figures, args)
    report_clock(figures)
    if any(k in figures for k in ("import_quiet", "solo", "cluster_quiet", "cluster")):
        print("\nA committed write -> the open meeting display: median and 95th percentile")
        report_imports("one process, without load (through the inbox)", figures.get("import_quiet"))
        report_imports(
            f"one process, {figures['solo']['count']} sessions working" if "solo" in figures else "",
            figures.get("solo", {}).get("imports"),
        )
        report_imports(f"{args.processes} processes behind nginx, without load", figures.get("cluster_quiet"))
        report_imports(
            f"{args.processes} processes, {figures['cluster']['count']} sessions working"
            if "cluster" in figures
            else "",
            figures.get("cluster", {}).get("imports"),
        )
        print("  (the commit: on the cluster data_version.changed_at in the published copy, stamped at the start of")
        print("  the write's transaction; on one process the moment its inbox watcher wrote its answer, just after)")
    report_idle(figures.get("idle"), "one server process")
    report_idle(figures.get("idle_cluster"), f"{args.processes} server processes behind nginx (shared mode)")
    if "solo" in figures or "cluster" in figures:
        print("\nWhat a user must never see")
        report_errors("one process", figures.get("solo"))
        report_errors("cluster", figures.get("cluster"))
    report_scenarios(figures.get("scenarios"))
    if "solo_traceback" in figures:
        print(f"\nTraceback in the solo server's log: {'YES' if figures['solo_traceback'] else 'no'}")
    if "cluster_traceback" in figures:
        print(f"Traceback in any cluster log: {'YES' if figures['cluster_traceback'] else 'no'}")
        print(f"nginx [error] lines (an upstream refusing while it was killed is expected): {figures['nginx_errors']}")
    report_goals(figures)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts to run (default all): {PARTS}")
    parser.add_argument("--quick", action="store_true", help=f"small numbers to see that it works: {QUICK}")
    parser.add_argument("--reruns", type=int, help="runs per page with one session (default 10)")
    parser.add_argument("--imports", type=int, help="imports in each import measurement (default 5)")
    parser.add_argument("--sessions", type=int, help="sessions on one process (default 20)")
    parser.add_argument("--cluster-sessions", type=int, help="sessions on the cluster (default twice --sessions)")
    parser.add_argument("--processes", type=int, default=2, help="server processes in the cluster (default 2)")
    parser.add_argument("--window", type=float, help="seconds of load before the imports (default 60)")
    parser.add_argument("--think", type=float, default=2.0, help="pause between a page's reruns (default 2 s)")
    parser.add_argument("--idle-displays", type=int, help="meeting displays for the idle CPU (default 8)")
    parser.add_argument("--idle-seconds", type=float, help="seconds the idle CPU is measured over (default 30)")
    parser.add_argument("--scenario-sessions", type=int, help="sessions open during the scenarios (default 12)")
    parser.add_argument(
        "--browser-nice",
        type=int,
        default=0,
        help="keep every Chromium thread at nice N (default 0: as Chromium sets them, some above the servers)",
    )
    parser.add_argument(
        "--browser-clock",
        action="store_true",
        help="also time every run by the browser's own timestamps of the websocket frames, and print how far this "
        "script's clock is from them (a second listener per page: it loads the machine too)",
    )
    args = parser.parse_args()
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.cluster_sessions is None:
        args.cluster_sessions = 2 * args.sessions
    args.parts = {p.strip() for p in args.only.split(",") if p.strip()}
    unknown = args.parts - set(PARTS)
    if unknown or not args.parts:
        parser.error(f"--only takes parts among {', '.join(PARTS)}; not {', '.join(sorted(unknown)) or 'nothing'}")
    return args


def main() -> None:
    args = arguments()
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} not found: apt-get install chromium (never `playwright install`)")
    if args.parts & ON_CLUSTER:
        from assurance.commands.serve import NGINX

        if not Path(NGINX).exists():
            raise SystemExit(f"{NGINX} not found: apt-get install nginx (or leave out --only cluster,scenarios)")
    print(
        f"Load average at the start: {os.getloadavg()[0]:.1f}; parts: {', '.join(p for p in PARTS if p in args.parts)}"
        + (f"; Chromium's threads kept at nice {args.browser_nice}" if args.browser_nice else "")
    )
    global BROWSER_CLOCK
    BROWSER_CLOCK = args.browser_clock
    with tempfile.TemporaryDirectory(prefix="assurance-load-") as folder:
        figures = asyncio.run(benchmark(args, Path(folder)))
    report(figures, args)


if __name__ == "__main__":
    main()
