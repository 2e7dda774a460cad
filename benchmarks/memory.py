"""Peak server memory with three students at once.

One `streamlit run` server; three concurrent browser sessions (each its own Chromium)
each tour every page and start that chapter's default training (the first "Start"
button on the page), waiting up to ``--train-seconds`` for it to finish before moving
on. A sampler records the server's resident memory (with any child processes) every
0.2 s. Prints one JSON object: peak and final RSS in MB and each session's tour time.

Target: peak ≤ 2000 MB (Streamlit Community Cloud allows about 2.7 GB).

Run: ``python benchmarks/memory.py [--sessions 3] [--train-seconds 60]``
"""

import argparse
import json
import re
import sys
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from course_lib.chapters import CHAPTERS  # noqa: E402
from tests.browser.harness import (  # noqa: E402
    StreamlitServer,
    exceptions_on,
    launch_chromium,
    open_page,
    wait_for_script,
)

FINISHED = re.compile(r"^(Finished|Stopped after|Training stopped)")


def rss_mb(process: psutil.Process) -> float:
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


def tour(url: str, train_seconds: float, result: dict) -> None:
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    problems = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.set_default_timeout(240_000)
        open_page(page, url)
        for chapter in CHAPTERS:
            if not chapter.available:
                continue
            open_page(page, f"{url}/{chapter.url_path}")
            start = page.get_by_role("button", name="Start", exact=True)
            if start.count():
                start.first.click()
                try:
                    page.get_by_text(FINISHED).first.wait_for(timeout=train_seconds * 1000)
                except Exception:
                    pause = page.locator("[class*='_train_pause']").get_by_role(
                        "button"
                    )  # an icon button
                    if pause.count() and pause.first.is_enabled():
                        pause.first.click()
                wait_for_script(page)
            problems += [f"{chapter.url_path}: {text[:200]}" for text in exceptions_on(page)]
        browser.close()
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["exceptions"] = problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--train-seconds", type=float, default=60)
    args = parser.parse_args()

    server = StreamlitServer().start()
    process = psutil.Process(server.process.pid)
    peak = [rss_mb(process)]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_mb(process))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    results = [{} for _ in range(args.sessions)]
    try:
        threads = [
            threading.Thread(target=tour, args=(server.url, args.train_seconds, results[i]))
            for i in range(args.sessions)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        final = rss_mb(process)
    finally:
        done.set()
        sampler.join()
        server.stop()
    print(
        json.dumps(
            {
                "sessions": args.sessions,
                "peak_rss_mb": round(peak[0], 1),
                "final_rss_mb": round(final, 1),
                "target_mb": 2000,
                "session_tour_seconds": [r.get("seconds") for r in results],
                "exceptions": [e for r in results for e in r.get("exceptions", [])],
            }
        )
    )


if __name__ == "__main__":
    main()
