"""Play it yourself in real time? Environment steps a second while a student holds ← or →.

Real Chromium against ``streamlit run``: opens chapter 5, scrolls to the pads and, for
``--seconds``, holds ArrowRight and ArrowLeft in turn (0.4 s each; a press after the pole
fell starts a new episode), then reads the page's count of steps played (gymnasium
steps on the server). Target: >= 10 steps a second while held. Prints one JSON object.

    python benchmarks/cartpole_play.py [--seconds 8]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.browser.harness import launch_chromium, open_page, running_server, wait_for_script  # noqa: E402

TARGET_STEPS_PER_SECOND = 10.0
#: How long each hold lasts (ms).
HOLD_MS = 400


def measure(seconds: float) -> dict:
    from playwright.sync_api import sync_playwright

    with running_server() as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.set_default_timeout(180_000)
        open_page(page, f"{server.url.rstrip('/')}/reinforcement-learning")
        wait_for_script(page)
        page.locator(".pad").first.scroll_into_view_if_needed()
        caption = page.get_by_text(re.compile(r"You have played [\d,]+ steps? in all")).first

        def played() -> int:
            return int(re.search(r"played ([\d,]+) step", caption.inner_text())[1].replace(",", ""))

        # short holds, right and left in turn, keep the pole up a while: a student's rhythm
        start, held, holds, key = played(), 0.0, 0, "ArrowRight"
        ends = time.perf_counter() + seconds
        while time.perf_counter() < ends:
            pressed = time.perf_counter()
            page.keyboard.down(key)
            page.wait_for_timeout(HOLD_MS)
            page.keyboard.up(key)
            held += time.perf_counter() - pressed
            holds += 1
            page.wait_for_timeout(50)
            key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
        page.wait_for_timeout(1000)  # the last tick's answer
        wait_for_script(page)
        steps = played() - start
        browser.close()
    return {
        "held_seconds": round(held, 2),
        "holds": holds,
        "steps": steps,
        "steps_per_second": round(steps / held, 1),
        "target_steps_per_second": TARGET_STEPS_PER_SECOND,
        "met": steps / held >= TARGET_STEPS_PER_SECOND,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    print(json.dumps(measure(parser.parse_args().seconds)))
