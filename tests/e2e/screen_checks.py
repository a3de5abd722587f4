"""What a person at a screen can read: text cut off, text too small, and waiting for a page to settle.

Shared by the page sweep (tests/e2e/test_screens_browser.py) and the meeting display tests
(tests/e2e/test_meeting_browser.py) in Chromium, and by both in Firefox (tests/e2e/test_firefox.py). Each check runs in
the page and returns the offending elements with their text, so a failure names what to fix. The checks that take
a page use only its ``evaluate`` and ``wait_for_function``, so they take a Playwright page or a
``tests.e2e.firefox.FirefoxPage``.

Which elements are left out, and why (``SKIP_JS``), the same for every check:
- not rendered at all: ``display: none`` (no layout boxes), ``visibility: hidden``/``collapse``, ``opacity: 0``
  (Streamlit's closed tooltips and menus);
- marked ``aria-hidden="true"`` (decorative for screen readers, e.g. icon ligatures) or inside a ``<canvas>``
  (glide-data-grid's accessibility fallback table, which is never drawn; the grid is checked through its own
  column model instead, see ``GRID_HEADERS_JS``);
- boxes of at most 1 px, or clipped to nothing (``clip: rect(0 0 0 0)``): screen-reader-only helpers;
- boxes wholly outside the window (the meeting display's off-screen Page Up / Page Down twins, which only take a
  presentation clicker's keys and are never seen);
- ``<style>``, ``<script>``, ``<noscript>`` and ``<title>`` contents (not shown text).
Nothing is left out for being small or cut: only for not being on the screen at all.
"""

from __future__ import annotations

import math

RUN_MS = 60_000

SKIP_JS = """
const skipped = (el) => {
  if (el.closest('[aria-hidden="true"], canvas, style, script, noscript, title, head')) return 'hidden helper';
  for (let a = el; a && a.nodeType === 1; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (s.display === 'none') return 'not displayed';
    if (s.visibility === 'hidden' || s.visibility === 'collapse') return 'visibility hidden';
    if (parseFloat(s.opacity) === 0) return 'transparent';
    if (s.clip === 'rect(0px, 0px, 0px, 0px)' || s.clipPath === 'inset(50%)') return 'clipped to nothing';
  }
  const r = el.getBoundingClientRect();
  if (r.width <= 1 || r.height <= 1) return 'zero size';
  const docW = Math.max(document.documentElement.clientWidth, window.innerWidth);
  if (r.right <= 0 || r.left >= docW) return 'off screen';
  return null;
};
const ownText = (el) => [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('')
  .replace(/\\s+/g, ' ').trim();
const textRect = (el) => {
  const range = document.createRange();
  let box = null;
  for (const n of el.childNodes) {
    if (n.nodeType !== 3 || !n.textContent.trim()) continue;
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) {
      if (r.width === 0 && r.height === 0) continue;
      box = box ? {left: Math.min(box.left, r.left), right: Math.max(box.right, r.right),
                   top: Math.min(box.top, r.top), bottom: Math.max(box.bottom, r.bottom)}
                : {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    }
  }
  return box;
};
const describe = (el) => {
  const ids = [];
  for (let a = el; a && ids.length < 3; a = a.parentElement) {
    const id = a.getAttribute && a.getAttribute('data-testid');
    if (id) ids.push(id);
  }
  return `${el.tagName.toLowerCase()} in ${ids.join(' < ') || 'page'}`;
};
"""

# Text that is cut: an element whose own box clips its text (text-overflow: ellipsis engaged, or overflow hidden
# with scrollWidth > clientWidth), or whose text runs out of an ancestor that hides overflow (overflow hidden or
# clip), or of one that scrolls sideways to show it (a table with a horizontal scroll bar keeps columns out of
# sight). Vertical scrolling (the page itself, long lists) is not cutting.
CUT_TEXT_JS = (
    "() => {"
    + SKIP_JS
    + """
  const found = [];
  const root = document.querySelector('[data-testid="stApp"]') || document.body;
  const clips = (v) => v === 'hidden' || v === 'clip';
  for (const el of root.querySelectorAll('*')) {
    if (el.closest('svg')) continue;  // Plotly's SVG text: PLOTLY_CLIPPED_JS
    const text = ownText(el);
    if (!text || skipped(el)) continue;
    const s = getComputedStyle(el);
    if ((s.textOverflow === 'ellipsis' || clips(s.overflowX)) && el.scrollWidth > el.clientWidth + 1) {
      found.push({text, where: describe(el), why: `cut to ${el.clientWidth}px of ${el.scrollWidth}px` +
                  (s.textOverflow === 'ellipsis' ? ' with an ellipsis' : '')});
      continue;
    }
    const box = textRect(el);
    if (!box) continue;
    // Up the ancestors until a box that scrolls in that direction: beyond it, the text can be scrolled to.
    let xOpen = true, yOpen = true;
    for (let a = el.parentElement; a && a !== root.parentElement && (xOpen || yOpen); a = a.parentElement) {
      const as = getComputedStyle(a);
      const r = a.getBoundingClientRect();
      const xScrolls = as.overflowX === 'auto' || as.overflowX === 'scroll';
      if (xOpen && (clips(as.overflowX) || (xScrolls && a.scrollWidth > a.clientWidth + 1))
          && (box.right > r.right + 1 || box.left < r.left - 1)) {
        found.push({text, where: describe(el), why: `runs out of a box with overflow-x ${as.overflowX} (text `
                    + `${Math.round(box.left)}-${Math.round(box.right)}px, box ${Math.round(r.left)}-${Math.round(r.right)}px)`});
        break;
      }
      if (yOpen && clips(as.overflowY) && (box.bottom > r.bottom + 1 || box.top < r.top - 1)) {
        found.push({text, where: describe(el), why: `cut at the foot of a box (text ${Math.round(box.top)}`
                    + `-${Math.round(box.bottom)}px, box ${Math.round(r.top)}-${Math.round(r.bottom)}px)`});
        break;
      }
      if (xScrolls) xOpen = false;
      if (as.overflowY === 'auto' || as.overflowY === 'scroll') yOpen = false;
    }
  }
  return found;
}"""
)

# st.dataframe draws on a canvas (glide-data-grid): its headers are not DOM text. The grid's own column model (the
# props its canvas component is drawn from: each column's title and its drawn width, and the theme's header font and
# padding) says whether a header fits: glide draws the title from the cell padding (after the icon, if any) and
# clips it at the column's edge. The grid's own auto-sizing uses the same sum, so a column the grid sized itself
# fits; one given a fixed width, or squeezed, may not. A grid wider than its box scrolls sideways: that is allowed
# only when its first column is pinned (glide's freezeColumns), so every row keeps its label in sight while the
# reader scrolls; otherwise the columns past the edge are reported as out of sight.
GRID_HEADERS_JS = """() => {
  const found = [];
  const measure = document.createElement('canvas').getContext('2d');
  for (const grid of document.querySelectorAll('[data-testid="stDataFrame"]')) {
    const canvas = grid.querySelector('canvas');
    if (!canvas || grid.getBoundingClientRect().width <= 1) continue;
    const key = Object.keys(canvas).find(k => k.startsWith('__reactFiber'));
    let fiber = key ? canvas[key] : null, props = null;
    for (let depth = 0; fiber && depth < 8; depth++, fiber = fiber.return) {
      const p = fiber.memoizedProps;
      if (p && Array.isArray(p.columns) && p.theme && p.theme.headerFontFull) { props = p; break; }
    }
    if (!props) { found.push({text: '(a data grid)', where: 'stDataFrame', why: 'column model not found'}); continue; }
    const pad = props.theme.cellHorizontalPadding, icon = props.theme.headerIconSize;
    measure.font = props.theme.headerFontFull;
    let total = 0;
    for (const col of props.columns) {
      total += col.width;
      const needs = measure.measureText(col.title).width + 2 * pad + (col.icon ? icon + pad : 0);
      if (needs > col.width + 0.5) {
        found.push({text: col.title, where: 'stDataFrame header',
                    why: `needs ${Math.ceil(needs)}px, column is ${Math.round(col.width)}px`});
      }
    }
    const shown = canvas.getBoundingClientRect().width;
    if (total > shown + 1 && !(props.freezeColumns >= 1)) {
      found.push({text: props.columns.map(c => c.title).join(' | '), where: 'stDataFrame',
                  why: `columns are ${Math.round(total)}px wide in a ${Math.round(shown)}px grid with no pinned first column: some scroll out of sight`});
    }
  }
  return found;
}"""

# Plotly's SVG text (axis titles, tick labels, legend entries, annotations, the chart title) must lie inside the
# chart's own SVG (what is outside it is not drawn) and inside the chart's container: on the meeting display, the
# block that holds the scaled chart and clips it (ui.style.SLIDE_SCALE_CSS; the chart's own container there keeps
# its unscaled size).
PLOTLY_CLIPPED_JS = (
    "() => {"
    + SKIP_JS
    + """
  const found = [];
  for (const plot of document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')) {
    const svg = plot.querySelector('svg.main-svg');
    if (!svg) continue;
    const area = svg.getBoundingClientRect();
    const holderEl = plot.closest('.st-key-meeting_chart') || plot.closest('[data-testid="stPlotlyChart"]');
    const cut = (b, r) => ({left: Math.max(b.left, r.left), right: Math.min(b.right, r.right),
                            top: Math.max(b.top, r.top), bottom: Math.min(b.bottom, r.bottom)});
    let box = cut(area, holderEl.getBoundingClientRect());
    // Every box on the way up to the holder that clips what overflows it clips the chart too.
    for (let a = plot; a && a !== holderEl; a = a.parentElement) {
      const as = getComputedStyle(a);
      if (as.overflowX !== 'visible' || as.overflowY !== 'visible') box = cut(box, a.getBoundingClientRect());
    }
    for (const t of plot.querySelectorAll('text')) {
      const text = (t.textContent || '').trim();
      if (!text || skipped(t)) continue;
      const r = t.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        const kind = t.getAttribute('class') || t.parentElement.getAttribute('class') || 'text';
        found.push({text, where: `plotly ${kind}`, why: `text ${Math.round(r.left)},${Math.round(r.top)}-`
                    + `${Math.round(r.right)},${Math.round(r.bottom)} outside the chart ${Math.round(box.left)},`
                    + `${Math.round(box.top)}-${Math.round(box.right)},${Math.round(box.bottom)}`});
      }
    }
  }
  return found;
}"""
)

# The size every text with a text of its own is drawn at on screen, Plotly's SVG text included (Plotly writes
# font-size into each text element's style): its computed font size times the scale it is drawn at (CSS zoom, which
# the meeting display uses to fit its slides to the screen, or for SVG text the transforms above it).
FONT_SIZES_JS = (
    "() => {"
    + SKIP_JS
    + """
  const out = [];
  const root = document.querySelector('[data-testid="stApp"]') || document.body;
  for (const el of root.querySelectorAll('*')) {
    const inSvgText = el.closest('svg') && el.tagName.toLowerCase() === 'text';
    const text = inSvgText ? (el.textContent || '').trim() : ownText(el);
    if (!text || skipped(el)) continue;
    if (el.tagName.toLowerCase() === 'tspan') continue;  // counted with its <text>
    const m = inSvgText ? el.getScreenCTM() : null;  // a rotated text (a y-axis title) has its scale in a and b
    const scale = m ? Math.hypot(m.a, m.b) : (el.currentCSSZoom ?? 1);
    out.push({text: text.slice(0, 80), size: parseFloat(getComputedStyle(el).fontSize) * scale, where: describe(el)});
  }
  return out;
}"""
)


QUIET_JS = """(quietMs) => new Promise((resolve) => {
  // Resolves once the page has gone quietMs without a change to its DOM while Streamlit is not running the script.
  let last = performance.now();
  const observer = new MutationObserver(() => { last = performance.now(); });
  observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
  const look = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    const idle = app && app.getAttribute('data-test-script-state') === 'notRunning';
    if (idle && performance.now() - last >= quietMs) { observer.disconnect(); resolve(true); }
    else setTimeout(look, 50);
  };
  look();
})"""


ELEMENTS_JS = """() => !!document.querySelector(
  '[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]')"""
NOTHING_STALE_JS = """() => !document.querySelector('[data-stale="true"]')"""
CHARTS_DRAWN_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(
  c => c.querySelector('.js-plotly-plot .main-svg'))"""
FONTS_JS = "() => document.fonts.ready.then(() => true)"


def settled(page, timeout_ms: int = RUN_MS, quiet_ms: int = 400) -> None:
    """Wait until Streamlit has run the script and drawn what it sent: the app is not running the script, nothing
    stale is left, every Plotly chart has drawn its SVG, the web fonts are in (they change text widths), and the
    page has then gone ``quiet_ms`` without a change (Streamlit marks a run finished before the last elements
    arrive). Only ``wait_for_function`` and ``evaluate``: a Playwright page or a Firefox one."""
    page.wait_for_function(ELEMENTS_JS, timeout=timeout_ms)
    page.wait_for_function(QUIET_JS, arg=quiet_ms, timeout=timeout_ms)
    page.wait_for_function(NOTHING_STALE_JS, timeout=timeout_ms)
    page.wait_for_function(CHARTS_DRAWN_JS, timeout=timeout_ms)
    page.evaluate(FONTS_JS)
    page.wait_for_function(QUIET_JS, arg=quiet_ms, timeout=timeout_ms)


def cut_text(page) -> list[dict]:
    """Every text cut off on the page: DOM text, data-grid headers, Plotly text."""
    return page.evaluate(CUT_TEXT_JS) + page.evaluate(GRID_HEADERS_JS) + page.evaluate(PLOTLY_CLIPPED_JS)


def font_sizes(page) -> list[dict]:
    return page.evaluate(FONT_SIZES_JS)


# A meeting slide on screen: how far the page scrolls, and where its last element ends against the fixed
# navigation bar (the focus chart's block counted as the room it takes, its unscaled inside left out:
# ui.style.SLIDE_SCALE_CSS); and the focus chart's drawn box.
SLIDE_FIT_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const nav = document.querySelector('.st-key-meeting_nav').getBoundingClientRect();
  const items = [...document.querySelectorAll('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"], .st-key-meeting_chart')]
    .filter(el => !el.closest('.st-key-meeting_nav') && !el.closest('.st-key-meeting_clicker')
                  && !el.closest('.st-key-meeting_plot'))
    .map(el => el.getBoundingClientRect()).filter(r => r.height > 0);
  return {scroll: main.scrollHeight, client: main.clientHeight, width: main.scrollWidth,
          clientWidth: main.clientWidth, bottom: Math.max(...items.map(r => r.bottom)), navTop: nav.top};
}"""
HEADING_JS = """() => {
  const h1 = document.querySelector('[data-testid="stMainBlockContainer"] h1');
  return {zoom: h1.currentCSSZoom, drawn: parseFloat(getComputedStyle(h1).fontSize) * h1.currentCSSZoom};
}"""
HEADING_PX = 52  # a slide's heading on a 1920 x 1080 screen (ui.style.MEETING_CSS)
CHART_BOX_JS = """() => {
  const svg = document.querySelector('[data-testid="stPlotlyChart"] svg.main-svg');
  if (!svg) return null;
  const r = svg.getBoundingClientRect();
  return {x: r.x, width: r.width, screen: window.innerWidth};
}"""


def ladder_step(width: int, height: int) -> float:
    """The meeting slide's scale on a width x height screen in a browser without CSS typed arithmetic: the largest
    of ui.style.SCALE_STEPS (the common screens' scales) whose slide fits the screen."""
    from ui.style import SCALE_STEPS, SLIDE_HEIGHT_PX, SLIDE_WIDTH_PX

    return max(
        s for s in SCALE_STEPS if round(SLIDE_WIDTH_PX * s, 3) <= width and round(SLIDE_HEIGHT_PX * s, 3) <= height
    )


def assert_fits_the_screen(page) -> None:
    """Nothing scrolled, and every element of the slide ends above the fixed navigation bar."""
    sizes = page.evaluate(SLIDE_FIT_JS)
    assert sizes["scroll"] <= sizes["client"] + 1, sizes
    assert sizes["width"] <= sizes["clientWidth"] + 1, sizes
    assert sizes["bottom"] <= sizes["navTop"], sizes


def assert_chart_drawn_at(page, scale: float) -> None:
    """The focus chart is drawn once at its 1920 x 1080 size and scaled by ``scale``, not shrunk twice."""
    from ui.style import CHART_WIDTH_PX

    drawn = page.evaluate(CHART_BOX_JS)
    assert drawn is not None, "no chart drawn"
    assert abs(drawn["width"] - CHART_WIDTH_PX * scale) <= 0.02 * CHART_WIDTH_PX * scale, (scale, drawn)
    assert drawn["x"] + drawn["width"] <= drawn["screen"], drawn


def slide_problems(page, n: int, scale: float, smallest_px: float) -> list[str]:
    """What keeps meeting slide ``n`` on screen from being the 1920 x 1080 slide scaled by ``scale`` as a whole:
    a zoom other than the scale, a heading laid out again rather than scaled, text drawn under ``smallest_px``
    times the scale, text cut off, a slide that does not fit above the navigation bar, and (on slide 6, the focus
    chart) a chart not drawn once at its size times the scale. Empty when the slide reads as it should."""
    problems: list[str] = []
    heading = page.evaluate(HEADING_JS)
    if abs(heading["zoom"] - scale) > 1e-4:
        problems.append(f"slide {n}: scaled by {heading['zoom']}, expected {scale:.6f}")
    if abs(heading["drawn"] - HEADING_PX * scale) > 0.5:
        problems.append(f"slide {n}: heading drawn at {heading['drawn']:.1f}px, expected {HEADING_PX * scale:.1f}px")
    smallest = math.floor(smallest_px * scale * 10) / 10  # to a tenth of a pixel below: exactly smallest_px at 1920
    sizes = font_sizes(page)
    if len(sizes) <= 5:
        problems.append(f"slide {n}: the check saw only {len(sizes)} texts: {sizes}")
    small = [f"  - {s['text']!r} at {s['size']:.1f}px ({s['where']})" for s in sizes if s["size"] < smallest]
    if small:
        problems.append(f"slide {n}: text under {smallest}px ({smallest_px}px x {scale:.3f}):\n" + "\n".join(small))
    if cut := cut_text(page):
        problems.append(f"slide {n}: text cut off:\n{listed(cut)}")
    try:
        assert_fits_the_screen(page)
    except AssertionError as exc:
        problems.append(f"slide {n} does not fit the screen: {exc}")
    if n == 6:
        try:
            assert_chart_drawn_at(page, scale)
        except AssertionError as exc:
            problems.append(f"slide {n}: the chart is not drawn at {scale:.3f} of its size: {exc}")
    return problems


def listed(found: list[dict]) -> str:
    return "\n".join(f"  - {f['text'][:100]!r} ({f['where']}): {f['why']}" for f in found)
