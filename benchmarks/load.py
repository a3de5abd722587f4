"""How the dashboard copes with 20 people at once: page run times with 1 and with 20 sessions, and an import's time.

Run from the repository root with ``python benchmarks/load.py``. A script, not a test: it prints figures and
never fails on them. It needs Debian's Chromium at /usr/bin/chromium (never ``playwright install``). See
benchmarks/README.md for what it measures and the latest figures.

One ``streamlit run dashboard.py`` on a new database in a temporary folder, one headless Chromium, one browser
context (one Streamlit session) per person, driven with Playwright's async API:

1. **One session**: each page alone, opened, then rerun ``--reruns`` times with R (Streamlit's rerun key),
   each time waiting until it is drawn; the meeting display alone for ``--reruns`` of its own 3 s refreshes.
2. **Import without load**: with one meeting display open (so the dashboard holds the database),
   ``python -m assurance import`` of a corrected return, ``--imports`` times, each with new figures.
3. **Twenty sessions**: 12 on the dashboard pages, each rerunning its page, waiting until it is drawn,
   pausing ``--think`` seconds and starting again, and 8 on the meeting display, refreshing itself every 3 s,
   for ``--window`` seconds; then the ``--imports`` imports again while that goes on.

Times per page:

* **run**: from the browser sending its ``rerun_script`` message on the websocket to it receiving the server's
  ``script_finished``: the server's script run (queueing for the GIL included) plus the local websocket,
  without the browser's drawing.
* **drawn** (dashboard pages): from pressing R until the run has finished and the page is drawn: no element
  still marked stale, no skeleton waiting for JavaScript, no running indicator, the page's key element there.
  The test's own Chromium shares the machine, so under load this includes the browser's drawing time for 20
  tabs on the same CPUs.

Import: from starting the CLI to its exit (validation, queued in the inbox, the dashboard's watcher
polling every 5 s, the load, the answer), and to the meeting display showing the new figure (plus up to
one 3 s refresh).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    WATCH_FOR_PROBLEMS_JS,
    ScriptRuns,
    problems_seen,
    streamlit_app,
)

MEETING = "2024-11-27-aa-performance"
Q = "2024/25%20Q2"


@dataclass(frozen=True)
class View:
    name: str
    path: str
    key: str  # CSS selector of the element that shows the page is there
    meeting: bool = False


VIEWS = {
    "overview": View("Overview", f"/?quarter={Q}&lpa=shropshire", '[data-testid="stMetricValue"]'),
    "compare": View("Compare LPAs", f"/compare?quarter={Q}&lpa=shropshire", '[data-testid="stPlotlyChart"]'),
    "lpa": View("LPA against the force", f"/lpa?quarter={Q}&lpa=shropshire", '[data-testid="stPlotlyChart"]'),
    "trend": View(
        "Trend (SPC)",
        f"/trend?quarter={Q}&lpa=shropshire&metric=total_recorded_crime&area=shropshire",
        '[data-testid="stPlotlyChart"]',
    ),
    "meeting3": View(
        "Meeting display, force slide", f"/?mode=meeting&meeting={MEETING}&slide=3", "table", meeting=True
    ),
    "meeting5": View(
        "Meeting display, Shropshire slide", f"/?mode=meeting&meeting={MEETING}&slide=5", "table", meeting=True
    ),
}
# The same mix as tests/e2e/test_load.py: 12 dashboard sessions, 8 meeting displays.
MIX = ["overview"] * 4 + ["compare"] * 2 + ["lpa"] * 2 + ["trend"] * 4 + ["meeting3"] * 4 + ["meeting5"] * 4
OPEN_AT_ONCE = 4
DRAWN_JS = """(key) => !document.querySelector(
  '[data-stale="true"], [data-testid="stSkeleton"], [data-testid="stStatusWidgetRunningIcon"],'
  + ' [data-testid="stStatusWidgetRunningManIcon"]') && !!document.querySelector(key)"""
OPEN_TIMEOUT_MS = 180_000
RUN_TIMEOUT_S = 120
# Demo total recorded crime, 2024/25 Q2; each import adds its own amount to every LPA.
DEMO_CRIME = {
    "Herefordshire": 2702,
    "North Worcestershire": 4535,
    "Shropshire": 4191,
    "South Worcestershire": 5024,
    "Telford and Wrekin": 3670,
}


@dataclass
class Session:
    view: View
    page: object = None
    runs: ScriptRuns | None = None
    drawn: list[float] = field(default_factory=list)
    first: int = 0  # runs recorded before the measurement began


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def spread(values: list[float]) -> str:
    if not values:
        return f"{'–':>7} {'–':>7}"
    return f"{statistics.median(values):>6.2f}s {p95(values):>6.2f}s"


async def open_session(browser, url: str, view: View) -> Session:
    session = Session(view)
    context = await browser.new_context(viewport=VIEWPORT)
    await context.add_init_script(WATCH_FOR_PROBLEMS_JS)
    session.page = await context.new_page()
    session.runs = ScriptRuns(session.page)
    await session.page.goto(url + view.path, wait_until="commit", timeout=OPEN_TIMEOUT_MS)
    await session.page.wait_for_function(DRAWN_JS, arg=view.key, timeout=OPEN_TIMEOUT_MS)
    return session


async def rerun_and_draw(session: Session) -> None:
    pressed = await session.runs.rerun(session.page, RUN_TIMEOUT_S)
    await session.page.wait_for_function(DRAWN_JS, arg=session.view.key, timeout=RUN_TIMEOUT_S * 1000)
    session.drawn.append(time.perf_counter() - pressed)


def run_times(session: Session) -> list[float]:
    return [seconds for _, seconds in session.runs.durations[session.first :]]


def corrected_return(folder: Path, number: int) -> tuple[Path, str]:
    """A return for 2024/25 Q2 with new total recorded crime for every LPA; and Shropshire's figure as shown."""
    extra = 1000 + 37 * number
    lines = ["area,metric,quarter,value,numerator,denominator,source,note"]
    lines += [f"{area},total_recorded_crime,2024/25 Q2,{value + extra},,,," for area, value in DEMO_CRIME.items()]
    path = folder / f"return-{number}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, f"{DEMO_CRIME['Shropshire'] + extra:,}"


async def one_import(db_path: Path, return_file: Path, shown: str, display: Session) -> tuple[float, float]:
    """(CLI start to exit, CLI start to the display showing Shropshire's new figure) in seconds."""
    env = {k: v for k, v in os.environ.items() if k != "ASSURANCE_DB"}
    command = [sys.executable, "-m", "assurance", "import", str(return_file), "--replace", "--db", str(db_path)]
    start = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    visible = asyncio.create_task(
        display.page.locator("table tr")
        .filter(has_text="Total recorded crime")
        .filter(has_text=shown)
        .wait_for(timeout=RUN_TIMEOUT_S * 1000)
    )
    output, _ = await process.communicate()
    exited = time.perf_counter() - start
    text = output.decode()
    if process.returncode != 0 or "queued as" not in text:
        visible.cancel()
        raise SystemExit(f"the import did not go through the inbox (exit {process.returncode}):\n{text}")
    await visible
    return exited, time.perf_counter() - start


async def imports(db_path: Path, folder: Path, display: Session, count: int, first_number: int) -> list[tuple]:
    results = []
    for n in range(count):
        return_file, shown = corrected_return(folder, first_number + n)
        results.append(await one_import(db_path, return_file, shown, display))
    return results


async def benchmark(args: argparse.Namespace, folder: Path) -> dict:
    from playwright.async_api import async_playwright

    figures: dict = {"single": {}, "loaded": {}}
    # As deployed: no file watcher (it would rerun the app whenever someone edits the working tree).
    no_watcher = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    with streamlit_app(folder, folder / "db" / "assurance.duckdb", env=no_watcher) as server:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                all_sessions: list[Session] = []
                # 1. One session at a time.
                for code, view in VIEWS.items():
                    session = await open_session(browser, server.url, view)
                    all_sessions.append(session)
                    session.first = len(session.runs.durations)
                    if view.meeting:
                        while len(session.runs.durations) - session.first < args.reruns:
                            await asyncio.sleep(0.5)
                    else:
                        for _ in range(args.reruns):
                            await rerun_and_draw(session)
                            await asyncio.sleep(0.5)
                    figures["single"][code] = (run_times(session), session.drawn)
                    print(f"  one session, {view.name}: {spread(run_times(session))}", flush=True)
                    if code == "meeting5":
                        display = session  # kept open: the imports are watched on it
                    else:
                        await session.page.context.close()

                # 2. Imports with nothing else going on.
                figures["import_quiet"] = await imports(server.db_path, folder, display, args.imports, 0)
                print(f"  imports without load: {figures['import_quiet']}", flush=True)
                await display.page.context.close()

                # 3. Twenty sessions.
                started = time.perf_counter()
                sessions = []
                for first in range(0, args.sessions, OPEN_AT_ONCE):
                    codes = MIX[first : min(first + OPEN_AT_ONCE, args.sessions)]
                    sessions += await asyncio.gather(*(open_session(browser, server.url, VIEWS[c]) for c in codes))
                figures["open_s"] = time.perf_counter() - started
                print(f"  {len(sessions)} sessions open in {figures['open_s']:.1f} s", flush=True)
                all_sessions += sessions
                for session in sessions:
                    session.first = len(session.runs.durations)
                stop = asyncio.Event()

                async def keep_busy(session: Session) -> None:
                    while not stop.is_set():
                        await rerun_and_draw(session)
                        await asyncio.sleep(args.think)

                busy = [asyncio.create_task(keep_busy(s)) for s in sessions if not s.view.meeting]
                try:
                    await asyncio.sleep(args.window)
                    display = next((s for s in sessions if s.view is VIEWS["meeting5"]), None)
                    if display is None:  # fewer sessions than the mix's first display on slide 5
                        display = await open_session(browser, server.url, VIEWS["meeting5"])
                        all_sessions.append(display)
                    figures["import_loaded"] = await imports(
                        server.db_path, folder, display, args.imports, args.imports
                    )
                    print(f"  imports under load: {figures['import_loaded']}", flush=True)
                finally:
                    stop.set()
                    done, _ = await asyncio.wait(busy, timeout=RUN_TIMEOUT_S)
                    for task in busy:
                        task.cancel()
                    errors = [t.exception() for t in done if not t.cancelled() and t.exception()]
                    if errors:
                        raise errors[0]
                for code in VIEWS:
                    mine = [s for s in sessions if s.view is VIEWS[code]]
                    figures["loaded"][code] = (
                        [t for s in mine for t in run_times(s)],
                        [t for s in mine for t in s.drawn],
                        len(mine),
                    )
                figures["problems"] = {
                    s.view.name: p
                    for s in all_sessions
                    if not s.page.is_closed() and (p := await problems_seen(s.page))
                }
                figures["failed_runs"] = [f for s in all_sessions for f in s.runs.failed]
            finally:
                await browser.close()
        figures["traceback_in_log"] = "Traceback" in server.log()
    return figures


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


def report(figures: dict, args: argparse.Namespace) -> None:
    print(f"\n{machine()}")
    print(f"Page run times: median and 95th percentile (nearest rank); {args.reruns} runs per page alone")
    many = f"{args.sessions} sessions: run"
    print(f"  {'page':<36} {'1 session: run':>15} {'drawn':>15}   {many:>17} {'drawn':>15}  sessions")
    for code, view in VIEWS.items():
        runs1, drawn1 = figures["single"][code]
        runs20, drawn20, n = figures["loaded"][code]
        print(
            f"  {view.name:<36} {spread(runs1):>15} {spread(drawn1):>15}   {spread(runs20):>17} {spread(drawn20):>15}"
            f"  {n} ({len(runs20)} runs)"
        )
    print(f"\n{args.sessions} sessions opened {OPEN_AT_ONCE} at a time in {figures['open_s']:.1f} s")
    for label, key in (("without load", "import_quiet"), (f"with {args.sessions} sessions", "import_loaded")):
        results = figures[key]
        exits = [e for e, _ in results]
        shown = [v for _, v in results]
        print(
            f"Import {label}, median of {len(results)}: CLI exit {statistics.median(exits):.2f} s, "
            f"on the display {statistics.median(shown):.2f} s "
            f"(runs: {', '.join(f'{e:.1f}/{v:.1f}' for e, v in results)})"
        )
    print(f"\nProblems seen in the browser: {figures['problems'] or 'none'}")
    print(f"Script runs that ended in an error: {figures['failed_runs'] or 'none'}")
    print(f"Traceback in the server log: {'YES' if figures['traceback_in_log'] else 'no'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=10, help="runs per page with one session (default 10)")
    parser.add_argument("--imports", type=int, default=3, help="imports without and with load (default 3 each)")
    parser.add_argument("--sessions", type=int, default=20, help="sessions under load (default 20)")
    parser.add_argument("--window", type=float, default=60, help="seconds of load before the imports (default 60)")
    parser.add_argument("--think", type=float, default=2.0, help="pause between a page's reruns (default 2 s)")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} not found: apt-get install chromium (never `playwright install`)")
    print(f"Load average at the start: {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="assurance-load-") as folder:
        figures = asyncio.run(benchmark(args, Path(folder)))
    report(figures, args)


if __name__ == "__main__":
    main()
