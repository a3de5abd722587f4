"""The dashboard in a real Firefox: every page's text whole, and the meeting slides scaled by Firefox's own layout.

The Chromium tests are the main sweep (tests/e2e/test_screens_browser.py, test_meeting_browser.py); these run the
same checks (screen_checks.py) where Firefox's own fonts, layout and measuring could differ:

- **Every page of the navigation at 1366×768**, the smaller of the sweep's two sizes, where text is likelier to be
  cut: a policy officer's browser may well be Firefox.
- **The meeting slides.** Firefox (ESR 153 here) has CSS ``zoom`` but cannot divide a length by a length, so the
  display's exact scale rule (``@supports (zoom: calc(100vw / 1920px))``, ui.style.SLIDE_SCALE_CSS) does not apply
  there and the slide takes the largest of the common screens' scales that fits (``SCALE_STEPS``, from media
  queries). The Chromium tests check that path by deleting the rule; this one runs it where it is used. Should a
  later Firefox learn typed arithmetic, the exact scale applies and the test expects it instead. And the
  presenter's keys (the arrows, a clicker's Page Down / Page Up), and a corrected return reaching the open display
  by itself.

Firefox is Debian's ``firefox-esr``, driven over WebDriver BiDi (tests/e2e/firefox.py). Screenshots go to
tests/artifacts/firefox/ for a person to look at.
"""

from __future__ import annotations

import os

import pytest

from tests.e2e.conftest import ARTIFACTS, run_streamlit
from tests.e2e.firefox import FIREFOX, Firefox
from tests.e2e.screen_checks import cut_text, ladder_step, listed, settled, slide_problems
from tests.e2e.test_meeting_browser import SEED, SLIDES, SMALLEST_PX
from tests.support import corrected_return, run_cli
from ui import pages

pytestmark = pytest.mark.browser

LOAD_MS = 60_000

# The slide is on screen: the run has finished, nothing stale is left, it is slide n with its heading and its
# navigation (Previous and Next), and the chart's bars are drawn.
SLIDE_READY_JS = """({n, total, heading, chart}) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (new URLSearchParams(location.search).get('slide') !== String(n)) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  const position = document.querySelector('.st-key-meeting_position');
  if (!position || position.textContent.trim() !== `${n} / ${total}`) return false;
  const h1 = document.querySelector('[data-testid="stMainBlockContainer"] h1');
  if (!h1 || h1.textContent.trim() !== heading) return false;
  if (document.querySelectorAll('.st-key-meeting_nav button').length !== 2) return false;
  if (chart && !document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot .barlayer .trace')) return false;
  return true;
}"""
TYPED_ARITHMETIC_JS = "() => CSS.supports('zoom', 'calc(100vw / 1920px)')"


def on_slide(page, n: int) -> None:
    """Until slide n of the seed meeting is on screen (SLIDE_READY_JS)."""
    ready = {"n": n, "total": len(SLIDES), "heading": SLIDES[n - 1][0], "chart": n == 6}
    page.wait_for_function(SLIDE_READY_JS, ready, timeout=LOAD_MS)


@pytest.fixture(scope="module")
def firefox():
    if not FIREFOX.exists():
        message = f"{FIREFOX} not found: install Debian's Firefox with `apt-get install -y firefox-esr`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with Firefox() as browser:
        yield browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with run_streamlit(tmp_path_factory.mktemp("firefox")) as running:
        yield running


# A 768-line projector (every slide); between two common screens (the step below the exact scale); a large
# screen (scaled up).
CASES = [(1366, 768, range(1, len(SLIDES) + 1)), (1300, 760, (3, 6)), (2560, 1440, (3, 6))]


@pytest.mark.parametrize(("width", "height", "slides"), CASES, ids=[f"{w}x{h}" for w, h, _ in CASES])
def test_in_firefox_every_slide_is_scaled_to_the_screen_and_fits(firefox, server, width, height, slides) -> None:
    from ui.style import SLIDE_HEIGHT_PX, SLIDE_WIDTH_PX

    shots = ARTIFACTS / "firefox"
    shots.mkdir(parents=True, exist_ok=True)
    page = firefox.new_page(width, height)
    problems: list[str] = []
    try:
        for n in slides:
            _, kind = SLIDES[n - 1]
            page.goto(f"{server.url}/?mode=meeting&meeting={SEED}&slide={n}")
            on_slide(page, n)
            settled(page, LOAD_MS)
            page.screenshot(shots / f"meeting-{width}x{height}-{n}-{kind}.png")
            exact = page.evaluate(TYPED_ARITHMETIC_JS)
            scale = min(width / SLIDE_WIDTH_PX, height / SLIDE_HEIGHT_PX) if exact else ladder_step(width, height)
            how = "the exact scale" if exact else "the largest common screen's step that fits"
            problems += [f"{problem} ({how})" for problem in slide_problems(page, n, scale, SMALLEST_PX)]
    finally:
        page.close()
    assert not problems, f"In {firefox.version} at {width}x{height}:\n" + "\n".join(problems)


def test_in_firefox_no_page_cuts_its_text(firefox, server) -> None:
    """Every page of the navigation (an editor's, in local mode: all of them), at 1366x768."""
    shots = ARTIFACTS / "firefox"
    shots.mkdir(parents=True, exist_ok=True)
    page = firefox.new_page(1366, 768)
    cut: list[str] = []
    try:
        for entry in pages.PAGES:
            page.goto(f"{server.url}/{'' if entry.default else entry.url_path}")
            settled(page, LOAD_MS, quiet_ms=600)
            heading = page.evaluate("() => document.querySelector('h1')?.textContent ?? null")
            assert heading, f"{entry.name}: no heading drawn"
            page.screenshot(shots / f"{entry.name}-1366x768.png")
            if found := cut_text(page):
                cut.append(f"{entry.name} ({heading}):\n{listed(found)}")
    finally:
        page.close()
    assert not cut, f"Text cut off in {firefox.version} at 1366x768:\n" + "\n".join(cut)


def test_in_firefox_the_arrow_keys_and_a_clicker_move_between_slides(firefox, server) -> None:
    """The presenter's keys in Firefox: → and ← (a keyboard), Page Down and Page Up (a presentation clicker)."""
    page = firefox.new_page(1366, 768)
    try:
        page.goto(f"{server.url}/?mode=meeting&meeting={SEED}&slide=1")
        on_slide(page, 1)
        for key, n in (("ArrowRight", 2), ("PageDown", 3), ("ArrowLeft", 2), ("PageUp", 1)):
            page.press(key)
            on_slide(page, n)
    finally:
        page.close()


def test_in_firefox_a_corrected_return_reaches_the_open_display_by_itself(firefox, server, tmp_path) -> None:
    """The room's display in Firefox, left alone: a corrected return imported from the command line (queued for
    the server, which holds the database) is on the slide without anyone touching the display."""
    page = firefox.new_page(1366, 768)
    try:
        page.goto(f"{server.url}/?mode=meeting&meeting={SEED}&slide=3")
        on_slide(page, 3)
        return_file, figures = corrected_return(tmp_path, 7)
        assert not page.evaluate("(figure) => document.body.innerText.includes(figure)", figures["force"])
        done = run_cli("import", return_file, "--replace", env_db=server.db_path)
        assert done.returncode == 0, done.stdout + done.stderr
        page.wait_for_function(
            """(figure) => [...document.querySelectorAll('[data-testid="stMainBlockContainer"] td')]
                 .some((cell) => cell.innerText.trim() === figure)""",
            figures["force"],
            timeout=30_000,
        )
        on_slide(page, 3)  # still slide 3, whole
    finally:
        page.close()
