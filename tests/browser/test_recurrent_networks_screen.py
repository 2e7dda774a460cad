"""Chapter 4 on one screen: at a projector's and a laptop's size, the learning curve sits
beside its knobs and the Start button, and the generated text and next-character bars
beside the temperature and the Generate button."""

import re

import pytest

from tests.browser.harness import SCREEN_SIZES, exceptions_on, on_screen, open_page, wait_for_script

SIZES = SCREEN_SIZES
#: Streamlit's fixed header covers the top of the viewport: what is under it is not seen.
HEADER = 60
#: The section's row at the top, just below the header.
TO_TOP = """e => {
    e.scrollIntoView({block: 'start'});
    let box = e.parentElement;  // the page's scrolling container, not the window
    while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowY)) {
        box = box.parentElement;
    }
    (box || document.scrollingElement).scrollBy(0, -80);
}"""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_curve_and_the_text_are_beside_their_knobs(chromium, app_server, screenshots, size):
    width, height = size
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(180_000)
    try:
        open_page(page, f"{app_server.url.rstrip('/')}/recurrent-networks")
        wait_for_script(page)
        # section 3: train until the first epoch's sample, so the curve is drawn, then pause
        start = page.locator(".st-key-rnn_train_start button")
        start.scroll_into_view_if_needed()
        start.click()
        page.get_by_text(re.compile(r"Epoch [1-9]\d* writes:")).wait_for()
        page.get_by_role("button", name="Pause").click()
        page.get_by_text("Paused. Resume to go on from here.").wait_for()
        wait_for_script(page)
        page.locator(".st-key-rnn_curves").evaluate(TO_TOP)
        viewport = page.viewport_size
        curve = page.locator(".st-key-rnn_curves [data-testid='stVegaLiteChart']").first
        curve.wait_for()
        assert on_screen(start.bounding_box(), viewport, top=HEADER)
        assert on_screen(page.locator(".st-key-rnn_cell").bounding_box(), viewport, top=HEADER)
        assert on_screen(
            page.locator(".st-key-rnn_hidden_units").bounding_box(), viewport, top=HEADER
        )
        assert on_screen(curve.bounding_box(), viewport, top=HEADER), (
            "the curve must be on Start's screen"
        )
        page.screenshot(path=screenshots / f"recurrent-networks-train-{width}x{height}.png")

        # section 4: Generate, the temperature, the written text and the bars together
        generate = page.locator(".st-key-rnn_generate button")
        generate.scroll_into_view_if_needed()
        generate.click()
        wait_for_script(page)
        page.locator(".st-key-gen_temperature").evaluate(TO_TOP)
        bars = page.locator(".st-key-gen_bars [data-testid='stVegaLiteChart']")
        written = page.locator(".st-key-rnn_written_box [data-testid='stCode']")
        assert on_screen(generate.bounding_box(), viewport, top=HEADER)
        assert on_screen(
            page.locator(".st-key-gen_temperature").bounding_box(), viewport, top=HEADER
        )
        assert on_screen(bars.bounding_box(), viewport, top=HEADER), (
            "the bars must be on Generate's screen"
        )
        box = written.bounding_box()
        assert box is not None and 0 <= box["y"] < viewport["height"]  # it starts on screen
        page.screenshot(path=screenshots / f"recurrent-networks-generate-{width}x{height}.png")
        assert exceptions_on(page) == []
    except Exception:
        page.screenshot(path=screenshots / f"recurrent-networks-failed-{width}x{height}.png")
        raise
    finally:
        context.close()
