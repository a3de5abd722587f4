"""How fast the dashboard's pages are: warm AppTest runs per page, and the first start in a real browser.

Run from the repository root with ``python benchmarks/pages.py``. A script, not a test: it prints
figures and never fails on them. See benchmarks/README.md for what it measures and the latest figures.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assurance.domain.setup import CACHE_ENV, TEMPLATE_ENV, demo_template, init_database  # noqa: E402
from tests.support import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, ServerStartError, free_port, streamlit_app  # noqa: E402
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
# In the page from its start (an init script): the time (Date.now(), the machine's clock, as time.time() here) of the
# animation frame that first paints a chart's trace, seen by a MutationObserver. Playwright's own waiting for an
# element polls, every 0.5 s once it has waited 0.3 s, so it notices a chart up to half a second after it is drawn.
CHART_DRAWN_JS = """(() => {
  new MutationObserver((_, observer) => {
    if (!document.querySelector(TRACES)) return;
    observer.disconnect();
    requestAnimationFrame(() => { window.__assuranceChartDrawnAt = Date.now(); });
  }).observe(document, {subtree: true, childList: true});
})();""".replace("TRACES", json.dumps(TRACES))


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


def one_first_start(browser, folder: Path, mode: StartMode, timeout_s: float, visitor: Visitor | None = None) -> Start:
    """One start of `streamlit run` on a missing database, until the Overview's chart is drawn: for a new visitor (a
    new browser context: nothing in its cache), or for ``visitor``, who has been here before."""
    db_path = folder / "assurance.duckdb"
    start, start_clock = time.perf_counter(), time.time()
    try:
        with streamlit_app(
            folder,
            db_path,
            env=mode.env,
            startup_timeout_s=timeout_s,
            poll_s=0.05,
            checkout=mode.checkout,
            port=visitor.port if visitor else None,
        ) as server:
            healthy = time.perf_counter() - start
            context = visitor.context if visitor else browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            try:
                page.add_init_script(CHART_DRAWN_JS)
                page.goto(server.url)
                page.locator(TRACES).first.wait_for(state="attached", timeout=timeout_s * 1000)
                noticed = time.perf_counter() - start
                drawn_at = page.wait_for_function("() => window.__assuranceChartDrawnAt", timeout=timeout_s * 1000)
                drawn = drawn_at.json_value() / 1000 - start_clock
            finally:
                page.close()
                if not visitor:
                    context.close()
    except ServerStartError as exc:
        raise SystemExit(f"streamlit did not start: {exc}") from None
    if (mode.checkout / "assurance").is_dir() and not db_path.exists():  # this product (not a bare comparison app)
        raise SystemExit(f"the app did not create {db_path}")
    return Start(healthy, drawn, noticed)


@dataclass(frozen=True)
class Start:
    """Seconds from starting `streamlit run`: to the server answering /_stcore/health, to the first frame that
    paints the Overview chart's traces (measured in the page), and to Playwright's locator noticing them."""

    healthy: float
    drawn: float
    noticed: float


@dataclass
class Visitor:
    """A returning visitor: one browser context kept from start to start (its cache holds Streamlit's code, as a
    person's browser does after the first visit: the files are named by their content and cached for a year) and
    the same address each time (a browser caches by address)."""

    context: object
    port: int


@dataclass(frozen=True)
class StartMode:
    """A way to start: this checkout with the demo template (built before the timed starts), this checkout seeding
    the database in place as before the template existed (ASSURANCE_DEMO_TEMPLATE=off), or another checkout."""

    name: str
    env: dict[str, str]
    checkout: Path = ROOT


def first_start_times(
    runs: int, modes: list[StartMode], timeout_s: float = 90, returning: bool = False
) -> dict[str, list[Start]]:
    """`runs` first starts per mode, each on its own missing database, alternating the modes (so that other work on
    the machine falls on all alike), in one headless Chromium; the template cache is a temporary folder. With
    ``returning``, each mode is also started for a returning visitor (``Visitor``), alternating likewise."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="assurance-cache-") as cache, sync_playwright() as pw:
        os.environ[CACHE_ENV] = cache  # for the servers, which inherit it, and demo_template() here
        start = time.perf_counter()
        demo_template()
        print(f"Demo template built in {time.perf_counter() - start:.2f} s (not timed below)", flush=True)
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            starts: list[tuple[str, StartMode, Visitor | None]] = [(mode.name, mode, None) for mode in modes]
            if returning:
                for mode in modes:
                    visitor = Visitor(browser.new_context(viewport=VIEWPORT), free_port())
                    starts.append((f"{mode.name}, returning", mode, visitor))
            # One untimed start first (each returning visitor's first visit, too): a user's browser is running
            # already, and a newly launched Chromium does some of its own start-up work (its WebUI pages) a second
            # or two later, which would fall on the first start.
            for index, (_, mode, visitor) in enumerate(starts):
                if index == 0 or visitor:
                    with tempfile.TemporaryDirectory(prefix="assurance-bench-") as folder:
                        one_first_start(browser, Path(folder), mode, timeout_s, visitor)
            results: dict[str, list[Start]] = {name: [] for name, _, _ in starts}
            for run in range(runs):
                for name, mode, visitor in starts if run % 2 == 0 else starts[::-1]:
                    with tempfile.TemporaryDirectory(prefix="assurance-bench-") as folder:
                        results[name].append(one_first_start(browser, Path(folder), mode, timeout_s, visitor))
                    last = results[name][-1]
                    print(
                        f"  {name:<28} start {run + 1}: chart drawn {last.drawn:.2f} s (Playwright noticed {last.noticed:.2f} s)",
                        flush=True,
                    )
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


def print_first_starts(starts: dict[str, list[Start]], load_before: str) -> None:
    runs = len(next(iter(starts.values())))
    print("\nFirst start: `streamlit run app.py` on a missing database to the Overview's chart drawn in Chromium,")
    print(f"median of {runs} (load average before/after: {load_before} / {load_average()})")
    for mode, times in starts.items():
        healthy = statistics.median(t.healthy for t in times)
        drawn = statistics.median(t.drawn for t in times)
        noticed = statistics.median(t.noticed for t in times)
        runs_text = ", ".join(f"{t.drawn:.2f}" for t in times)
        print(
            f"  {mode:<28} server answers {healthy:>5.2f} s   chart drawn {drawn:>5.2f} s   (runs: {runs_text})"
            f"   Playwright noticed it {noticed:.2f} s"
        )


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm AppTest runs per page (default 5; 0 skips)")
    parser.add_argument("--starts", type=int, default=5, help="first starts in the browser (default 5; 0 skips)")
    parser.add_argument(
        "--before",
        action="store_true",
        help="also time first starts with the database seeded in place (no template), alternating with the others",
    )
    parser.add_argument(
        "--returning",
        action="store_true",
        help="also time each mode's first start for a returning visitor (browser cache kept, same address)",
    )
    parser.add_argument(
        "--compare-with",
        type=Path,
        action="append",
        default=[],
        metavar="CHECKOUT",
        help="also time first starts of another checkout (its app.py, else its dashboard.py; repeatable)",
    )
    parser.add_argument(
        "--screenshot-national", action="store_true", help="save docs/national.png (needs the national archives)"
    )
    parser.add_argument("--pages", default="", metavar="TEXT", help="only the pages whose name contains TEXT")
    args = parser.parse_args()

    if args.runs > 0:
        warm_pages(args)
    if args.starts > 0:
        if not CHROMIUM.exists():
            print(f"\nFirst start skipped: {CHROMIUM} not found (apt-get install chromium)")
            return
        modes = [StartMode("template", {TEMPLATE_ENV: "on"})]
        if args.before:
            modes.append(StartMode("seeded in place", {TEMPLATE_ENV: "off"}))
        modes += [StartMode(checkout.name, {}, checkout.resolve()) for checkout in args.compare_with]
        load_before = load_average()
        print_first_starts(first_start_times(args.starts, modes, returning=args.returning), load_before)


def warm_pages(args: argparse.Namespace) -> None:
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


if __name__ == "__main__":
    main()
