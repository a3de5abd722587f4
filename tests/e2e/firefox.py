"""Debian's Firefox ESR driven over WebDriver BiDi, for the few checks that must see Firefox's own layout.

Playwright drives only its own patched Firefox builds, which this machine cannot download, and geckodriver is not
packaged; but Firefox itself speaks WebDriver BiDi (the W3C protocol) on ``--remote-debugging-port``. This is the
small part of it the tests need: open a tab at a given screen size, go to an address, run a function in the page
(with Playwright's ``page.evaluate`` calling convention, so ``screen_checks``' functions take either page), wait for
a condition, press a key, take a screenshot. Install the browser with ``apt-get install firefox-esr``.
"""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import tempfile
import threading
import time
from contextlib import ExitStack, suppress
from pathlib import Path

FIREFOX = Path("/usr/bin/firefox-esr")
START_TIMEOUT_S = 30

# A new profile with nothing to do but show the page: this machine has no internet, so no update, telemetry,
# experiments or remote settings (Firefox's remote agent adds its own recommended testing preferences too).
PREFERENCES = {
    "app.update.disabledForTesting": True,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "messaging-system.rsexperimentloader.enabled": False,
    "services.settings.server": "data:,",
    "network.captive-portal-service.enabled": False,
    "browser.safebrowsing.update.enabled": False,
}


# WebDriver's codes for the keys the tests press (the W3C WebDriver specification, "Keyboard actions").
KEYS = {"PageUp": "\ue00e", "PageDown": "\ue00f", "ArrowLeft": "\ue012", "ArrowRight": "\ue014"}


class BrowserError(RuntimeError):
    """Firefox answered a command with an error, or a function in the page threw."""


class Firefox:
    """One headless Firefox with a fresh profile, and its BiDi session. Use as a context manager."""

    def __init__(self) -> None:
        self._profile = Path(tempfile.mkdtemp(prefix="firefox-profile-"))
        (self._profile / "user.js").write_text(
            "".join(f'user_pref("{name}", {json.dumps(value)});\n' for name, value in PREFERENCES.items())
        )
        self._process = subprocess.Popen(
            [
                str(FIREFOX),
                "--headless",
                "--no-remote",
                "--profile",
                str(self._profile),
                "--remote-debugging-port",
                "0",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.log: list[str] = []
        address = self._wait_for_address()
        from websockets.sync.client import connect

        self._connection = ExitStack()  # the socket, closed with the browser
        self._ids = itertools.count(1)
        try:
            self._socket = self._connection.enter_context(
                connect(f"{address}/session", max_size=None, open_timeout=START_TIMEOUT_S, proxy=None)
            )
            capabilities = self.command("session.new", capabilities={})["capabilities"]
        except BaseException:
            self.close()  # no Firefox left running behind a failed start
            raise
        self.version = f"{capabilities['browserName']} {capabilities['browserVersion']}"

    def _wait_for_address(self) -> str:
        found: list[str] = []
        ready = threading.Event()

        def read() -> None:  # keeps reading, so Firefox never blocks on a full pipe
            for line in self._process.stderr:
                self.log.append(line.rstrip())
                if not found and "WebDriver BiDi listening on " in line:
                    found.append(line.split("listening on ", 1)[1].strip())
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(START_TIMEOUT_S) or not found:
            self.close()
            raise BrowserError("Firefox did not start its WebDriver BiDi server:\n" + "\n".join(self.log[-20:]))
        return found[0]

    def command(self, method: str, **params) -> dict:
        """Send one BiDi command and return its result (no events are subscribed to, so only answers come)."""
        ident = next(self._ids)
        self._socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self._socket.recv())
            if message.get("id") != ident:
                continue
            if message.get("type") == "error":
                raise BrowserError(f"{method}: {message.get('error')}: {message.get('message')}")
            return message["result"]

    def new_page(self, width: int, height: int) -> FirefoxPage:
        context = self.command("browsingContext.create", type="tab")["context"]
        self.command("browsingContext.setViewport", context=context, viewport={"width": width, "height": height})
        return FirefoxPage(self, context)

    def close(self) -> None:
        if getattr(self, "_socket", None) is not None:
            from websockets.exceptions import WebSocketException

            with suppress(BrowserError, OSError, WebSocketException):  # a browser that has gone is closed anyway
                self.command("session.end")
            self._connection.close()
            self._socket = None
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Firefox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class FirefoxPage:
    """A tab. ``evaluate`` and ``wait_for_function`` behave as Playwright's do, for JSON-serialisable values."""

    def __init__(self, browser: Firefox, context: str) -> None:
        self._browser, self._context = browser, context

    def goto(self, url: str) -> None:
        self._browser.command("browsingContext.navigate", context=self._context, url=url, wait="complete")

    def evaluate(self, function: str, arg=None):
        """Call ``function`` (a JavaScript function's source) with ``arg`` in the page and return its value; a
        promise is awaited."""
        expression = (
            f"Promise.resolve(({function})({json.dumps(arg)})).then(v => JSON.stringify(v === undefined ? null : v))"
        )
        result = self._browser.command(
            "script.evaluate", expression=expression, target={"context": self._context}, awaitPromise=True
        )
        if result["type"] == "exception":
            details = result["exceptionDetails"]
            raise BrowserError(f"{details.get('text')}\n{function[:200]}")
        return json.loads(result["result"]["value"])

    def wait_for_function(self, function: str, arg=None, timeout: float = 30_000) -> None:
        """Until ``function(arg)`` is truthy, polled every 0.1 s; ``TimeoutError`` after ``timeout`` ms."""
        deadline = time.monotonic() + timeout / 1000
        while not self.evaluate(function, arg):
            if time.monotonic() > deadline:
                raise TimeoutError(f"not true within {timeout:g} ms: {function[:300]}")
            time.sleep(0.1)

    def press(self, key: str) -> None:
        """Press and release a key, as a keyboard or a presentation clicker sends it: a character, or one of
        ``KEYS`` by name (``"ArrowRight"``, ``"PageDown"``)."""
        value = KEYS.get(key, key)
        actions = [{"type": "keyDown", "value": value}, {"type": "keyUp", "value": value}]
        self._browser.command(
            "input.performActions",
            context=self._context,
            actions=[{"type": "key", "id": "keyboard", "actions": actions}],
        )

    def screenshot(self, path: Path) -> None:
        shot = self._browser.command("browsingContext.captureScreenshot", context=self._context)
        Path(path).write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        self._browser.command("browsingContext.close", context=self._context)
