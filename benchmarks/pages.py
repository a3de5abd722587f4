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

APP = ROOT / "dashboard.py"
PAGES = [
    ("Overview", None),
    ("LPA against the force", "app_pages/lpa.py"),
    ("Compare LPAs", "app_pages/compare.py"),
    ("Where to look", "app_pages/where_to_look.py"),
    ("Trend (SPC)", "app_pages/trend.py"),
    ("Action tracker", "app_pages/actions.py"),
    ("Pledges and figures quoted", "app_pages/pledges_claims.py"),
    ("HMICFRS recommendations", "app_pages/recommendations.py"),
    ("Meetings and commitments", "app_pages/commitments.py"),
    ("Import minutes", "app_pages/minutes_import.py"),
    ("Briefing pack", "app_pages/briefing.py"),
    ("Meeting room display (preparation)", "app_pages/meeting.py"),
    ("Data: imports and loads", "app_pages/data.py"),
    ("About the data", "app_pages/about_data.py"),
    ("Access and roles", "app_pages/access.py"),
]
WARM_TARGET_S = 0.3
TRACES = '[data-testid="stPlotlyChart"] .js-plotly-plot .scatterlayer .trace'


def warm_page_times(db_path: Path, runs: int) -> list[tuple[str, float, list[float]]]:
    """Median AppTest run time per page, over `runs` runs after one warm-up run."""
    from streamlit.testing.v1 import AppTest

    # AppTest runs outside a server: its "missing ScriptRunContext" warnings are noise here.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage()
    )

    os.environ["ASSURANCE_DB"] = str(db_path)
    results = []
    for name, page in PAGES:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.run()
        if page is not None:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm AppTest runs per page (default 5)")
    parser.add_argument("--starts", type=int, default=3, help="first starts in the browser (default 3; 0 skips)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="assurance-bench-") as folder:
        db_path = Path(folder) / "assurance.duckdb"
        start = time.perf_counter()
        init_database(db_path, demo=True)
        seed_s = time.perf_counter() - start
        warm = warm_page_times(db_path, args.runs)

    print(f"Seeded demo database built in {seed_s:.2f} s\n", flush=True)
    print(f"Warm AppTest run per page, median of {args.runs} after one warm-up (target <= {WARM_TARGET_S} s)")
    print(f"  {'page':<28} {'median':>8}  {'min':>6} {'max':>6}  target")
    for name, median, times in warm:
        verdict = "ok" if median <= WARM_TARGET_S else "OVER"
        print(f"  {name:<28} {median:>7.3f}s  {min(times):>5.3f}s {max(times):>5.3f}s  {verdict}", flush=True)

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
