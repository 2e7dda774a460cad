"""A real `streamlit run` server and a real Chromium, for browser tests and benchmarks.

Playwright drives Debian's Chromium (``/usr/bin/chromium``): Playwright's own browser
download needs the internet, which the test machines do not have.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Where screenshots go (ignored by git).
ARTIFACTS = ROOT / "artifacts"


def chromium_path() -> str | None:
    found = os.environ.get("CHROMIUM_PATH") or next(
        (path for path in CHROMIUM_CANDIDATES if Path(path).exists()), None
    )
    return found or shutil.which("chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """``streamlit run streamlit_app.py`` on a free local port, as a child process."""

    def __init__(self, env: dict[str, str] | None = None, script: str = "streamlit_app.py"):
        self.script = script
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = ARTIFACTS / f"streamlit-{self.port}.log"
        self.env = {
            **os.environ,
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "COURSE_WARM_UP": "1",  # as in deployment: TensorFlow loads once Home is drawn
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0

    def start(self, timeout: float = 60) -> StreamlitServer:
        ARTIFACTS.mkdir(exist_ok=True)
        self._log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self.started_at = time.perf_counter()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                self.script,
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early; see {self.log_path}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply,
            ):
                if reply.status == 200:
                    return self
            time.sleep(0.2)
        raise RuntimeError(f"streamlit did not answer within {timeout} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if getattr(self, "_log", None):
            self._log.close()


@contextlib.contextmanager
def running_server(
    env: dict[str, str] | None = None, script: str = "streamlit_app.py"
) -> Iterator[StreamlitServer]:
    server = StreamlitServer(env, script).start()
    try:
        yield server
    finally:
        server.stop()


def launch_chromium(playwright):
    return playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )


_SETTLED = """() => {
    const state = document.querySelector('[data-test-script-state]');
    return state !== null
        && state.getAttribute('data-test-script-state') === 'notRunning'
        && document.querySelector('[data-testid="stSkeleton"]') === null;
}"""


def wait_for_script(page, timeout_ms: float = 120_000) -> None:
    """Wait until Streamlit has finished running the page's script and drawn it.

    "Finished" means: the script state is ``notRunning`` and no loading skeleton is left,
    seen twice in a row a quarter second apart — a first run can pass through
    ``notRunning`` for a moment while the router switches pages. Polls; never a fixed sleep.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        remaining = max(1.0, (deadline - time.monotonic()) * 1000)
        page.wait_for_function(_SETTLED, timeout=remaining, polling=100)
        page.wait_for_timeout(250)
        if page.evaluate(_SETTLED):
            return
        if time.monotonic() > deadline:
            raise TimeoutError("the Streamlit script did not settle")


def open_page(page, url: str, timeout_ms: float = 120_000) -> None:
    """Go to a URL and wait for the app to connect, run the page and draw it."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    wait_for_script(page, timeout_ms)


def open_from_sidebar(page, url: str, label: str, path: str) -> None:
    """Open Home, then a chapter through the sidebar's navigation, as students arrive."""
    open_page(page, url)
    page.get_by_test_id("stSidebarNav").get_by_text(label).click()
    page.wait_for_url(re.compile(f"/{re.escape(path)}$"))
    wait_for_script(page)


def exceptions_on(page) -> list[str]:
    """Texts of the exception boxes Streamlit shows for uncaught errors."""
    return [
        element.inner_text() for element in page.query_selector_all("[data-testid='stException']")
    ]


_SCROLL_BY = """(element, dy) => {
    let box = element.parentElement;
    while (box && !(box.scrollHeight > box.clientHeight
                    && /auto|scroll/.test(getComputedStyle(box).overflowY))) {
        box = box.parentElement;
    }
    (box || document.scrollingElement).scrollBy({top: dy, behavior: "instant"});
}"""


def scroll_together(page, *locators, top: float = 70) -> None:
    """Scroll the page as a student would to see several elements at once: the highest of
    them just below Streamlit's header (``top`` pixels). Whether they then all fit on the
    screen is for :func:`on_screen` to say."""
    locators[0].scroll_into_view_if_needed()
    boxes = [locator.bounding_box() for locator in locators]
    highest = min(box["y"] for box in boxes if box is not None)
    locators[0].evaluate(_SCROLL_BY, highest - top)
    page.wait_for_function("() => true")  # one round trip: the scroll has been laid out


def assert_on_one_screen(page, screenshot, elements: dict) -> None:
    """Take ``screenshot`` (to look at), then check that every element in ``elements``
    (what a student should see → its locator) lies wholly in the window, and that the page
    shows no exception. Scroll first (:func:`scroll_together`)."""
    viewport = page.viewport_size
    page.screenshot(path=screenshot)
    for name, locator in elements.items():
        assert on_screen(locator.bounding_box(), viewport), f"{name} must be on screen"
    assert exceptions_on(page) == []


#: The screens a lesson must fit on: a lecture hall's projector and a student's laptop.
SCREEN_SIZES = ((1920, 1080), (1366, 768))


def on_screen(box, viewport, *, top: float = 0) -> bool:
    """Whether a bounding box lies wholly inside the window (below ``top``, e.g. a header)."""
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= top
        and box["x"] + box["width"] <= viewport["width"]
        and box["y"] + box["height"] <= viewport["height"]
    )


# -- what a student does on chapter 1 (several tests) --------------------------------------


def train_the_fit(page, epochs: int = 60) -> None:
    """Fundamentals, "By training": a short run of the default network, started by a click."""
    page.get_by_role("tab", name="By training").click()
    wait_for_script(page)
    field = page.get_by_role("spinbutton", name="Epochs")
    field.fill(str(epochs))
    field.press("Enter")
    wait_for_script(page)
    page.get_by_role("button", name="Start").click()
    page.get_by_text(f"Finished: {epochs} epochs").wait_for()
    wait_for_script(page)


def rerun(page) -> None:
    """Move a widget: the whole page reruns in the student's session."""
    page.get_by_test_id("stCheckbox").filter(has_text="hidden unit's share").click()
    wait_for_script(page)
