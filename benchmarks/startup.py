"""How fast the app opens, and what it weighs.

Starts the real server (`streamlit run streamlit_app.py`), opens Home in Chromium, then
visits every chapter page in the same browser session, and prints one JSON object:

- ``home_seconds_from_process_start``: server process start → Home fully rendered;
- ``page_seconds``: per page, navigation → script finished and title shown (the first
  chapter visited also pays for importing TensorFlow);
- ``server_rss_mb_after_tour``: resident memory of the server after the tour.

Run: ``python benchmarks/startup.py``
"""

import json
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from course_lib.chapters import CHAPTERS  # noqa: E402
from tests.browser.harness import (  # noqa: E402
    StreamlitServer,
    exceptions_on,
    launch_chromium,
    wait_for_script,
)


def rendered(page, url: str) -> float:
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    page.locator("h1").first.wait_for()  # every page opens with st.title
    wait_for_script(page)
    elapsed = time.perf_counter() - started
    if exceptions_on(page):
        raise RuntimeError(f"{url} shows an exception: {exceptions_on(page)}")
    return elapsed


def rss_mb(process: psutil.Process) -> float:
    processes = [process, *process.children(recursive=True)]
    return sum(p.memory_info().rss for p in processes) / 2**20


def main() -> None:
    from playwright.sync_api import sync_playwright

    server = StreamlitServer()
    process_start = time.perf_counter()
    server.start()
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(180_000)
            rendered(page, server.url)
            home_seconds = time.perf_counter() - process_start
            page_seconds = {"home (again)": round(rendered(page, server.url), 2)}
            for chapter in CHAPTERS:
                if chapter.available:
                    page_seconds[chapter.url_path] = round(
                        rendered(page, f"{server.url}/{chapter.url_path}"), 2
                    )
            memory = rss_mb(psutil.Process(server.process.pid))
            browser.close()
    finally:
        server.stop()
    print(
        json.dumps(
            {
                "home_seconds_from_process_start": round(home_seconds, 2),
                "page_seconds": page_seconds,
                "server_rss_mb_after_tour": round(memory, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
