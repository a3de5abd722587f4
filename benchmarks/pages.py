"""How fast the dashboard's pages are: warm AppTest runs per page, and the first start in a real browser.

Run from the repository root with ``python benchmarks/pages.py``. A script, not a test: it prints
figures and never fails on them. See benchmarks/README.md for what it measures and the latest figures.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assurance.domain.setup import init_database  # noqa: E402
from tests.support import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, ServerStartError, streamlit_app  # noqa: E402
from ui import pages as registry  # noqa: E402

APP = ROOT / "dashboard.py"
# Every page of the navigation, from the one registry (the Overview is the default page: no switch needed), then the
# meeting room's display itself (dashboard.py?mode=meeting) on the slides benchmarks/load.py refreshes.
PAGES = [(entry.title, None if entry.default else entry.path) for entry in registry.PAGES]
MEETING = "2024-11-27-aa-performance"  # the seeded meeting
DISPLAYS = {
    "Meeting display, force slide": {"mode": "meeting", "meeting": MEETING, "slide": "3"},
    "Meeting display, Shropshire slide": {"mode": "meeting", "meeting": MEETING, "slide": "5"},
}
NATIONAL = ROOT.parent / "shared" / "data" / "real" / "national"  # the national archives, beside the checkout
WARM_TARGET_S = 0.3
TRACES = '[data-testid="stPlotlyChart"] .js-plotly-plot .scatterlayer .trace'


def warm_page_times(db_path: Path, runs: int, only: str = "") -> list[tuple[str, float, list[float]]]:
    """Median AppTest run time per page (those whose name contains `only`), over `runs` runs after one warm-up."""
    from streamlit.testing.v1 import AppTest

    # AppTest runs outside a server: its "missing ScriptRunContext" warnings are noise here.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage()
    )

    os.environ["ASSURANCE_DB"] = str(db_path)
    results = []
    for name, page in [*PAGES, *DISPLAYS.items()]:
        if only.lower() not in name.lower():
            continue
        at = AppTest.from_file(str(APP), default_timeout=60)
        if isinstance(page, dict):  # the meeting display: its address, no page switch
            at.query_params.update(page)
        at.run()
        if isinstance(page, str):
            at.switch_page(page)
            at.run()  # warm-up
        else:
            at.run()  # warm-up (the first run above built the caches)
        if at.exception:
            raise SystemExit(f"{name} raised: {[e.value for e in at.exception]}")
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
        results.append((name, statistics.median(times), times))
    return results


def one_first_start(browser, folder: Path, timeout_s: float) -> tuple[float, float]:
    """(server answering, Overview chart drawn) seconds after `streamlit run` on a missing database."""
    db_path = folder / "assurance.duckdb"
    start = time.perf_counter()
    try:
        with streamlit_app(folder, db_path, startup_timeout_s=timeout_s, poll_s=0.05) as server:
            healthy = time.perf_counter() - start
            context = browser.new_context(viewport=VIEWPORT)
            try:
                context.new_page().goto(server.url)
                context.pages[0].locator(TRACES).first.wait_for(state="attached", timeout=timeout_s * 1000)
                drawn = time.perf_counter() - start
            finally:
                context.close()
    except ServerStartError as exc:
        raise SystemExit(f"streamlit did not start: {exc}") from None
    if not db_path.exists():
        raise SystemExit(f"the app did not create {db_path}")
    return healthy, drawn


def first_start_times(runs: int, timeout_s: float = 90) -> list[tuple[float, float]]:
    """`runs` first starts, each on its own missing database, in one headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            results = []
            for _ in range(runs):
                with tempfile.TemporaryDirectory(prefix="assurance-bench-") as folder:
                    results.append(one_first_start(browser, Path(folder), timeout_s))
            return results
        finally:
            browser.close()


def load_national_archives(db_path: Path) -> str | None:
    """The three national archives (Jan-Mar 2024, 40 forces) and West Mercia's files, when the shared folder has them."""
    archives = sorted(NATIONAL.glob("police-uk-street-2024-0?.zip"))
    if len(archives) < 3:
        return None
    from assurance.domain.national.load import load_national
    from assurance.sources.national.archive import read_national
    from assurance.store.connection import connect

    start = time.perf_counter()
    batch = read_national(archives)
    con = connect(db_path)
    try:
        load_national(con, batch, by="benchmark")
    finally:
        con.close()
    return f"National archives loaded: {batch.summary()} in {time.perf_counter() - start:.2f} s\n"


def screenshot_national(folder: Path, db_path: Path, target: Path) -> None:
    """The England and Wales page with all 40 forces, for the README (docs/national.png)."""
    from playwright.sync_api import sync_playwright

    with streamlit_app(folder, db_path) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(f"{server.url}/national?lpa=shropshire")
        page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot .barlayer .trace').first.wait_for(timeout=60_000)
        page.get_by_role("heading", name="Peers").wait_for(timeout=60_000)
        page.wait_for_timeout(2000)  # the last charts draw after their containers appear
        height = page.get_by_test_id("stMain").evaluate("e => e.scrollHeight")
        page.set_viewport_size({"width": 1600, "height": min(int(height), 7000)})
        page.wait_for_timeout(1000)
        page.screenshot(path=target, full_page=True)
        browser.close()
    print(f"Saved {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm AppTest runs per page (default 5)")
    parser.add_argument("--starts", type=int, default=3, help="first starts in the browser (default 3; 0 skips)")
    parser.add_argument(
        "--screenshot-national", action="store_true", help="save docs/national.png (needs the national archives)"
    )
    parser.add_argument("--pages", default="", metavar="TEXT", help="only the pages whose name contains TEXT")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="assurance-bench-") as folder:
        db_path = Path(folder) / "assurance.duckdb"
        start = time.perf_counter()
        init_database(db_path, demo=True)
        seed_s = time.perf_counter() - start
        national = load_national_archives(db_path)
        if args.screenshot_national and national:  # before the AppTest runs, which hold the file in this process
            screenshot_national(Path(folder), db_path, ROOT / "docs" / "national.png")
        warm = warm_page_times(db_path, args.runs, args.pages)

    print(f"Seeded demo database built in {seed_s:.2f} s", flush=True)
    print(national or f"The national archives are not at {NATIONAL}: the England and Wales page is measured empty.\n")
    print(f"Warm AppTest run per page, median of {args.runs} after one warm-up (target <= {WARM_TARGET_S} s)")
    print(f"  {'page':<34} {'median':>8}  {'min':>6} {'max':>6}  target")
    for name, median, times in warm:
        verdict = "ok" if median <= WARM_TARGET_S else "OVER"
        print(f"  {name:<34} {median:>7.3f}s  {min(times):>5.3f}s {max(times):>5.3f}s  {verdict}", flush=True)

    if args.starts > 0:
        if not CHROMIUM.exists():
            print(f"\nFirst start skipped: {CHROMIUM} not found (apt-get install chromium)")
            return
        starts = first_start_times(args.starts)
        healthy = statistics.median(h for h, _ in starts)
        drawn = statistics.median(d for _, d in starts)
        print(f"\nFirst start on a missing database (seeds it), median of {args.starts}")
        print(f"  server answers /_stcore/health      {healthy:>6.2f} s")
        print(
            f"  Overview trend chart drawn          {drawn:>6.2f} s   (runs: {', '.join(f'{d:.2f}' for _, d in starts)})"
        )


if __name__ == "__main__":
    main()
