"""Chart images for the briefing: the app's Plotly figures drawn to PNG by kaleido with the system Chromium.

Kaleido 1.x drives a Chromium it finds on the machine; we point it at Debian's (/usr/bin/chromium)
and never download one. One kaleido server is started per process (the first image costs ~2 s,
each later one ~0.3 s). When kaleido or Chromium is missing, or drawing fails or hangs, the
caller gets the reason instead of an image and the pack is built with a note in the chart's
place: a briefing is never lost for want of a picture.
"""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
BROWSER_ENV = "BRIEFING_CHROMIUM"  # another browser executable, or "none" to draw no charts
SCALE = 2  # pixels per CSS pixel: sharp in print
FIRST_TIMEOUT_S = 45.0  # the first image starts the browser
TIMEOUT_S = 20.0

_lock = threading.Lock()
_state: dict[str, object] = {"started": False, "broken": None}


@dataclass(frozen=True)
class Image:
    png: bytes | None
    problem: str | None  # why there is no image

    @property
    def ok(self) -> bool:
        return self.png is not None


def browser_path() -> str | None:
    """The Chromium to draw with: $BRIEFING_CHROMIUM, else Debian's, else one on PATH; None if there is none."""
    chosen = os.environ.get(BROWSER_ENV, "").strip()
    if chosen:
        return None if chosen.lower() == "none" else (chosen if Path(chosen).is_file() else None)
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def unavailable_reason() -> str | None:
    """Why charts cannot be drawn in this process, or None when they can (as far as can be told in advance)."""
    if _state["broken"]:
        return str(_state["broken"])
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return "the kaleido package is not installed (pip install -r requirements.txt)"
    if browser_path() is None:
        chosen = os.environ.get(BROWSER_ENV, "").strip()
        if chosen.lower() == "none":
            return f"charts are switched off (${BROWSER_ENV}=none)"
        where = f"${BROWSER_ENV}={chosen}" if chosen else "/usr/bin/chromium"
        return f"no Chromium browser at {where} (apt-get install chromium)"
    return None


def _start() -> None:
    """Start kaleido's server once per process, on the system browser, without MathJax (nothing is fetched)."""
    import kaleido

    if not _state["started"]:
        kaleido.start_sync_server(path=browser_path(), mathjax=False, timeout=TIMEOUT_S, silence_warnings=True)
        _state["started"] = True


def _draw(figure, width: int, height: int) -> bytes:
    import kaleido

    return kaleido.calc_fig_sync(figure, opts={"format": "png", "width": width, "height": height, "scale": SCALE})


def figure_png(figure, width: int, height: int) -> Image:
    """The figure as PNG bytes, or the reason it could not be drawn. Never raises."""
    with _lock:  # one image at a time: the server is a single browser tab
        reason = unavailable_reason()
        if reason:
            return Image(None, reason)
        first = not _state["started"]
        box: dict[str, object] = {}

        def work() -> None:
            try:
                _start()
                box["png"] = _draw(figure, width, height)
            except BaseException as exc:
                box["error"] = exc

        # A daemon thread with a timeout: a browser that dies at start leaves kaleido waiting forever.
        thread = threading.Thread(target=work, name="briefing-chart", daemon=True)
        thread.start()
        thread.join(FIRST_TIMEOUT_S if first else TIMEOUT_S)
        if thread.is_alive():
            _state["broken"] = "the chart renderer (kaleido with Chromium) did not answer in time"
            return Image(None, str(_state["broken"]))
        if "error" in box:
            error = box["error"]
            text = f"{type(error).__name__}: {error}".strip()
            if first:  # the browser would not start: do not try again in this process
                _state["broken"] = f"the chart renderer could not start ({text[:200]})"
                return Image(None, str(_state["broken"]))
            return Image(None, f"the chart could not be drawn ({text[:200]})")
        return Image(box["png"], None)


def warm_up() -> threading.Thread | None:
    """Start the browser in the background (it takes ~2 s) while the caller assembles the content."""
    if _state["started"] or unavailable_reason():
        return None
    import plotly.graph_objects as go  # imported here, in the caller's thread: imports are not thread-safe

    figure = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    thread = threading.Thread(target=figure_png, args=(figure, 50, 50), name="briefing-chart-warm-up", daemon=True)
    thread.start()
    return thread
