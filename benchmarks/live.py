"""Training you watch live, in a real Chromium against ``streamlit run``; prints one JSON object.

1. The playground's decision boundary during training (the page default: two spirals,
   3×16 tanh): redraws per second, counted in the browser every animation frame as
   changes of the boundary chart's title ("Decision boundary, N epochs", which every
   redraw changes), and the epochs per second the live driver trains, read from the
   progress text. Against it, in the same run and on the same data and model, the epochs
   per second of one plain ``model.fit`` (numpy arrays, the same batches), measured before
   the server starts and after it stops, the faster of the two counting. Targets
   (issue 16): ≥ 5 redraws a second with throughput ≥ 0.9× plain fit.
2. By hand (chapter 1), the curve while a slider is dragged: the mouse presses the
   picked unit's weight slider and moves it ``--drag-moves`` times, as fast as Playwright
   sends moves (about 40 a second on 2 loaded cores; a real mouse reports at 60 Hz or
   more) or one every ``--move-ms``, then lets go. The repaints a second cannot exceed
   the input events a second: ``repaints_per_input_event`` 1.0 means none was dropped. Counted in the browser
   by the plot itself: repaints per second during the drag (paints between the first
   input event and the last paint, over that time) and the milliseconds from an input
   event (its ``timeStamp``) to the end of the frame that draws it, p50 and p95, and to the
   start of the frame after it (by then the drawing is on screen: an upper bound). Then the
   seconds from release until the server's metric shows the new error. Targets (issue 16):
   ≥ 20 repaints a second, p95 ≤ 50 ms.
3. The RNN page's defaults: seconds from pressing Start to the first feedback (the
   progress moves: it names the step a chunk stopped at inside the first epoch, or the
   epoch ended; ``--read-seconds``: how long the student reads the page first), to the
   first sample ("Epoch 1 writes:"), and to the first sample with a real word or keyword
   (the walkthrough's own test, ``recurrent_networks.lesson._has_words``). Targets: first
   feedback ≤ 2 s, a recognisable sample ≤ 60 s (its bits per character against the
   unigram line: ``benchmarks/text.py``).
4. Every chapter's seconds from navigation to settled (script ``notRunning``, no
   skeleton), each in a fresh browser session, once the server has been up 15 s (Home is
   opened first, as a student arrives: the router warms TensorFlow in the background once
   Home is drawn). Target: ≤ 1.5 s. Twice: opening the chapter's link (the browser also
   loads Streamlit's frontend), and clicking it in Home's sidebar in a session that
   opened Home (the chapter's first visit in that session).

The machine is shared: the figures are noisy, slower than on a quiet machine.

    python benchmarks/live.py [--train-seconds 25] [--only by_hand_drag]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from course_lib.chapters import CHAPTERS  # noqa: E402
from tests.browser.harness import (  # noqa: E402
    StreamlitServer,
    launch_chromium,
    open_page,
    wait_for_script,
)

WARM_SECONDS = 15.0
#: The parts this benchmark measures (``--only`` picks some).
PARTS = ("settled", "by_hand_drag", "playground", "rnn_defaults")
PLAYGROUND = "deep-supervised-learning"

#: Counts, every animation frame, how often the boundary chart's title changed.
_COUNT_REDRAWS = """() => {
    window.__redraws = 0;
    window.__redrawTimes = [];
    let last = null;
    const title = () => {
        for (const text of document.querySelectorAll('[data-testid="stVegaLiteChart"] svg text')) {
            if (text.textContent.startsWith('Decision boundary')) return text.textContent;
        }
        return null;
    };
    const tick = () => {
        const now = title();
        if (now !== null && now !== last) {
            if (last !== null) { window.__redraws += 1; window.__redrawTimes.push(performance.now()); }
            last = now;
        }
        requestAnimationFrame(tick);
    };
    tick();
}"""


def plain_fit_epochs_per_second(epochs: int) -> float:
    """Epochs a second of one plain ``model.fit`` on the page default's data and model."""
    from course_lib.deep_supervised_learning.data import make_dataset
    from course_lib.deep_supervised_learning.experiment import PlaygroundSettings
    from course_lib.deep_supervised_learning.model import model_for

    settings = PlaygroundSettings()
    data = make_dataset(settings)
    model = model_for(settings, data.classes)
    fit = dict(
        batch_size=settings.batch_size,
        validation_data=(data.x_test, data.y_test),
        shuffle=True,
        verbose=0,
    )
    model.fit(data.x_train, data.y_train, epochs=1, **fit)  # traces the graph
    started = time.perf_counter()
    model.fit(data.x_train, data.y_train, epochs=epochs, **fit)
    return epochs / (time.perf_counter() - started)


def epoch_of(page) -> int:
    text = page.get_by_test_id("stProgress").inner_text()
    found = re.search(r"Epoch (\d+) of", text)
    return int(found.group(1)) if found else 0


def live_playground(browser, url: str, train_seconds: float) -> dict:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.set_default_timeout(180_000)
    open_page(page, f"{url}/{PLAYGROUND}")
    page.evaluate(_COUNT_REDRAWS)
    page.get_by_role("button", name="Start").click()
    page.get_by_text(re.compile(r"Epoch [1-9]\d* of")).first.wait_for()
    first_epoch, started = epoch_of(page), time.perf_counter()
    redraws_before = page.evaluate("window.__redraws")
    while time.perf_counter() - started < train_seconds:
        page.wait_for_timeout(500)
        if page.get_by_role("button", name="Pause").is_disabled():
            break  # the run finished
    elapsed = time.perf_counter() - started
    redraws = page.evaluate("window.__redraws") - redraws_before
    epochs = epoch_of(page) - first_epoch
    if page.get_by_role("button", name="Pause").is_enabled():
        page.get_by_role("button", name="Pause").click()
        wait_for_script(page)
    page.close()
    return {
        "seconds_watched": round(elapsed, 2),
        "boundary_redraws": redraws,
        "redraws_per_second": round(redraws / elapsed, 2),
        "live_epochs_per_second": round(epochs / elapsed, 2),
    }


#: The generated text: the code block after "Epoch N writes:" (the seed, then the sample).
_SAMPLE_AFTER_WRITES = """() => {
    const label = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
        .find((el) => /Epoch \\d+ writes:/.test(el.textContent));
    if (!label) return "";
    const code = [...document.querySelectorAll('[data-testid="stCode"]')].find(
        (el) => label.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
    return code ? code.innerText : "";
}"""
#: The default corpus's seed (Python source): the sample is what follows it.
SEED_TEXT = "def "


def rnn_feedback(browser, url: str, read_seconds: float = 0.0, limit_seconds: float = 90.0) -> dict:
    from course_lib.recurrent_networks.lesson import _has_words

    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.set_default_timeout(180_000)
    open_page(page, f"{url}/recurrent-networks")
    bar = page.get_by_test_id("stProgress").first
    bar.scroll_into_view_if_needed()
    page.wait_for_timeout(1000 * read_seconds)  # the student reads the page first
    start = page.get_by_role("button", name="Start").first
    start.click()
    clicked = time.perf_counter()
    found: dict[str, float | None] = {"first_feedback_s": None, "first_sample_s": None}
    found["recognisable_sample_s"] = None
    sample = ""
    while time.perf_counter() - clicked < limit_seconds:
        now = time.perf_counter() - clicked
        progress = page.get_by_test_id("stProgress").first.inner_text()
        # the run moved: a step inside the first epoch (the progress names it), or an epoch
        if found["first_feedback_s"] is None and re.search(r"· step \d|Epoch [1-9]", progress):
            found["first_feedback_s"] = round(now, 2)
        writes = page.get_by_text(re.compile(r"Epoch \d+ writes:"))
        if writes.count():
            if found["first_sample_s"] is None:
                found["first_sample_s"] = round(now, 2)
                found["first_feedback_s"] = found["first_feedback_s"] or round(now, 2)
            sample = page.evaluate(_SAMPLE_AFTER_WRITES)
            if _has_words(sample.removeprefix(SEED_TEXT)):
                found["recognisable_sample_s"] = round(now, 2)
                break
        page.wait_for_timeout(50)
    if page.get_by_role("button", name="Pause").first.is_enabled():
        page.get_by_role("button", name="Pause").first.click()
        wait_for_script(page)
    page.close()
    return {
        **found,
        "read_seconds_before_start": read_seconds,
        "sample": sample[-120:],
        "targets": {"first_feedback_s": 2, "sample_s": 60},
    }


def by_hand_drag(browser, url: str, moves: int, move_ms: float, hidden_units: int) -> dict:
    from tests.browser.test_fundamentals_drag import PLOT, knob, metric, place_units

    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.set_default_timeout(180_000)
    open_page(page, f"{url}/fundamentals?hand_hidden_units={hidden_units}")
    place_units(page)
    plot = f"window.__courseByHand['{PLOT}']"
    page.wait_for_function(f"() => {plot}?.paints > 0")
    error_before = metric(page, "mean squared error")
    weight = knob(page, "weight")
    weight.evaluate("(el) => el.scrollIntoView({block: 'center'})")
    box = weight.bounding_box()
    fraction = weight.evaluate("(el) => (el.value - el.min) / (el.max - el.min)")
    thumb, y = 12, box["y"] + box["height"] / 2
    track = box["width"] - 2 * thumb
    page.mouse.move(box["x"] + thumb + fraction * track, y)
    page.mouse.down()
    page.evaluate(
        f"() => {{ const s = {plot}; s.latencies = []; s.frameLatencies = [];"
        " s.benchPaints = s.paints;"
        " s.benchInputs = s.inputEvents; s.firstInputAt = null; }"
    )
    for move in range(1, moves + 1):  # there and back, across most of the track
        target = 0.1 + 0.8 * abs(((move / moves) * 2) % 2 - 1)
        page.mouse.move(box["x"] + thumb + target * track, y)
        page.wait_for_timeout(move_ms)
    page.wait_for_timeout(100)  # the last paint's next frame
    drag = page.evaluate(
        f"""() => {{ const s = {plot};
        return {{ paints: s.paints - s.benchPaints, inputs: s.inputEvents - s.benchInputs,
                  latencies: s.latencies.slice(), frames: s.frameLatencies.slice(),
                  first: s.firstInputAt, last: s.lastPaintAt }}; }}"""
    )
    released = time.perf_counter()
    page.mouse.up()
    page.wait_for_function(
        "([el, before]) => el.innerText !== before",
        arg=[
            page.get_by_test_id("stMetric").filter(has_text="mean squared error").element_handle(),
            error_before,
        ],
    )
    metric_seconds = time.perf_counter() - released
    page.close()
    seconds = max(drag["last"] - drag["first"], 1.0) / 1000

    def percentile(values: list[float], q: float) -> float:
        values = sorted(values)
        return round(values[min(len(values) - 1, int(q * len(values)))], 1)

    return {
        "hidden_units": hidden_units,
        "mouse_moves": moves,
        "move_interval_ms": move_ms,
        "input_events": drag["inputs"],
        "repaints": drag["paints"],
        "drag_seconds": round(seconds, 2),
        "input_events_per_second": round(drag["inputs"] / seconds, 1),
        "repaints_per_second": round(drag["paints"] / seconds, 1),
        "repaints_per_input_event": round(drag["paints"] / max(drag["inputs"], 1), 2),
        "input_to_paint_ms_p50": percentile(drag["latencies"], 0.5),
        "input_to_paint_ms_p95": percentile(drag["latencies"], 0.95),
        "input_to_next_frame_ms_p50": percentile(drag["frames"], 0.5),
        "input_to_next_frame_ms_p95": percentile(drag["frames"], 0.95),
        "release_to_server_metric_s": round(metric_seconds, 2),
        "targets": {"repaints_per_second": 20, "input_to_paint_ms_p95": 50},
    }


def settle_times(browser, url: str, server: StreamlitServer) -> dict:
    home = browser.new_page(viewport={"width": 1920, "height": 1080})
    home.set_default_timeout(180_000)
    open_page(home, url)  # as a student arrives: Home first, which starts the warm-up
    home.close()
    wait = WARM_SECONDS - (time.perf_counter() - server.started_at)
    if wait > 0:
        time.sleep(wait)
    seconds = {}
    for chapter, page in fresh_sessions(browser):
        started = time.perf_counter()
        open_page(page, f"{url}/{chapter.url_path}")
        seconds[chapter.url_path] = round(time.perf_counter() - started, 2)
    return seconds


def fresh_sessions(browser):
    """``(chapter, page)`` for each available chapter: a page in a browser session of its own."""
    for chapter in CHAPTERS:
        if chapter.available:
            context = browser.new_context(viewport={"width": 1920, "height": 1080})
            page = context.new_page()
            page.set_default_timeout(180_000)
            yield chapter, page
            context.close()


def settle_times_from_home(browser, url: str) -> dict:
    """Each chapter's seconds from a click in Home's sidebar to settled, in a fresh browser
    session that opened Home first (as a student moves on from Home: Streamlit's frontend
    is loaded, the chapter's first visit in this session is not)."""
    seconds = {}
    for chapter, page in fresh_sessions(browser):
        open_page(page, url)
        started = time.perf_counter()
        page.get_by_test_id("stSidebarNav").get_by_text(chapter.label).click()
        page.wait_for_url(re.compile(f"/{re.escape(chapter.url_path)}$"))
        wait_for_script(page)
        seconds[chapter.url_path] = round(time.perf_counter() - started, 2)
    return seconds


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-seconds", type=float, default=25.0)
    parser.add_argument("--fit-epochs", type=int, default=40)
    parser.add_argument("--drag-moves", type=int, default=60)
    parser.add_argument("--move-ms", type=float, default=0.0)
    parser.add_argument("--hidden-units", type=int, default=6, help="N of the by-hand network")
    parser.add_argument(
        "--read-seconds",
        type=float,
        default=0.0,
        help="RNN: seconds between the page settled and Start (a student reading it)",
    )
    parser.add_argument(
        "--only", choices=PARTS, action="append", help="measure only these parts (repeatable)"
    )
    args = parser.parse_args()
    parts = args.only or PARTS

    result = {"cpu_count": os.cpu_count()}
    result["load_average"] = [round(load, 2) for load in os.getloadavg()]
    # plain fit before the server starts and after it stops (the machine's speed drifts;
    # the faster of the two is the reference, which makes the ratio the stricter one)
    plain_before = plain_fit_epochs_per_second(args.fit_epochs) if "playground" in parts else 0.0
    server = StreamlitServer().start()
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            if "settled" in parts:
                result["seconds_to_settled_after_warm_up"] = settle_times(
                    browser, server.url, server
                )
                result["seconds_to_settled_from_home_sidebar"] = settle_times_from_home(
                    browser, server.url
                )
                result["settled_target_seconds"] = 1.5
            if "by_hand_drag" in parts:
                result["by_hand_drag"] = by_hand_drag(
                    browser, server.url, args.drag_moves, args.move_ms, args.hidden_units
                )
            if "playground" in parts:
                live = live_playground(browser, server.url, args.train_seconds)
            if "rnn_defaults" in parts:
                result["rnn_defaults"] = rnn_feedback(browser, server.url, args.read_seconds)
            browser.close()
    finally:
        server.stop()
    if "playground" in parts:
        plain_after = plain_fit_epochs_per_second(args.fit_epochs)  # the server is stopped
        plain = max(plain_before, plain_after)
        result["playground"] = {
            **live,
            "plain_fit_epochs_per_second_before_and_after": [
                round(plain_before, 2),
                round(plain_after, 2),
            ],
            "plain_fit_epochs_per_second": round(plain, 2),
            "throughput_vs_plain_fit": round(live["live_epochs_per_second"] / plain, 2),
            "targets": {"redraws_per_second": 5, "throughput_vs_plain_fit": 0.9},
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
