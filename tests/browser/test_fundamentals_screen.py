"""Chapter 1 on one screen: at a projector's and a laptop's size, each section's main
visual is on the same screen as the knobs (or the Start button) that change it."""

import pytest

from tests.browser.harness import (
    SCREEN_SIZES,
    assert_on_one_screen,
    exceptions_on,
    on_screen,
    open_page,
    scroll_together,
    wait_for_script,
)

SIZES = SCREEN_SIZES


def open_section(page, url: str, label: str) -> None:
    open_page(page, url + "/fundamentals")
    if label != "By hand":
        page.get_by_role("tab", name=label).click()
        wait_for_script(page)


@pytest.mark.parametrize("present", [False, True], ids=["normal", "presentation"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_by_hand_the_curve_is_beside_its_sliders(chromium, app_server, screenshots, size, present):
    width, height = size
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(180_000)
    try:
        if present:  # a lecture hall's large type (?present=1)
            open_page(page, app_server.url.rstrip("/") + "/fundamentals?present=1")
        else:
            open_section(page, app_server.url.rstrip("/"), "By hand")
        # the curve and the picked unit's sliders: one component (drawn in the browser)
        curve = page.locator("canvas[aria-label^='the target']")
        # scrolled down to the sliders under the curve, as a student does
        page.locator(".hand .knobs").evaluate("(el) => el.scrollIntoView({block: 'end'})")
        page.wait_for_function("() => window.__courseByHand?.hand_plot?.paints > 0")
        viewport = page.viewport_size
        mode = "-present" if present else ""
        page.screenshot(path=screenshots / f"fundamentals-by-hand-{width}x{height}{mode}.png")
        assert on_screen(curve.bounding_box(), viewport), "the approximation must be on screen"
        for field in ("position", "steepness", "weight", "bias"):
            knob = page.locator(f"input[type=range][data-field={field}]")
            assert on_screen(knob.bounding_box(), viewport), f"…beside the unit's {field} slider"
        unit = page.get_by_test_id("stSlider").filter(has_text="Unit to edit")
        assert on_screen(unit.bounding_box(), viewport), "…and the unit to edit"
        assert curve.bounding_box()["height"] >= 250, "large enough for a projector"
        assert exceptions_on(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_by_training_the_fit_is_beside_start_and_the_knobs(chromium, app_server, screenshots, size):
    width, height = size
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(180_000)
    try:
        open_section(page, app_server.url.rstrip("/"), "By training")
        epochs = page.get_by_role("spinbutton", name="Epochs")
        epochs.fill("20")
        epochs.press("Enter")
        wait_for_script(page)
        start = page.get_by_role("button", name="Start")
        start.click()
        page.get_by_text("After 20 epochs: MSE").wait_for()
        wait_for_script(page)
        fit = page.get_by_test_id("stVegaLiteChart").last  # the fitted curve, under the loss
        fit.scroll_into_view_if_needed()
        viewport = page.viewport_size
        page.screenshot(path=screenshots / f"fundamentals-by-training-{width}x{height}.png")
        assert on_screen(fit.bounding_box(), viewport), "the fitted curve must be on screen"
        assert on_screen(page.get_by_role("button", name="Train more").bounding_box(), viewport)
        assert on_screen(
            page.get_by_role("spinbutton", name="Learning rate").bounding_box(), viewport
        )
        assert exceptions_on(page) == []
    finally:
        context.close()


def fill(page, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Enter")
    wait_for_script(page)


def train_briefly(page, settings: dict[str, str]) -> None:
    """Set a few knobs for a short run, press Start and wait until it has finished."""
    for label, value in settings.items():
        fill(page, label, value)
    page.get_by_role("button", name="Start").click()
    page.get_by_text("Finished:").first.wait_for()
    wait_for_script(page)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    ("label", "settings"),
    [
        ("Width sweep", {"Widths": "2, 8", "Epochs per width": "20"}),
        ("Shallow to deep", {"Epochs": "20"}),
    ],
    ids=["width-sweep", "shallow-to-deep"],
)
def test_the_sweeps_charts_are_beside_start_and_the_knobs(
    chromium, app_server, screenshots, size, label, settings
):
    width, height = size
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(180_000)
    try:
        open_section(page, app_server.url.rstrip("/"), label)
        train_briefly(page, settings)
        start = page.get_by_role("button", name="Train more")
        result = page.get_by_test_id("stVegaLiteChart").last  # error vs width; the deepest fit
        knob = page.get_by_label(next(iter(settings)), exact=True)
        scroll_together(page, start, result)
        name = label.lower().replace(" ", "-")
        assert_on_one_screen(
            page,
            screenshots / f"fundamentals-{name}-{width}x{height}.png",
            {"Start (Train more)": start, "the sweep's result": result, "its knob": knob},
        )
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_backpropagation_the_network_is_beside_its_step_button(
    chromium, app_server, screenshots, size
):
    width, height = size
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(180_000)
    try:
        open_section(page, app_server.url.rstrip("/"), "Backpropagation")
        step = page.get_by_role("button", name="Take the step")
        network = page.get_by_test_id("stVegaLiteChart").last
        knob = page.get_by_label("target t", exact=True)
        scroll_together(page, step, network)
        assert_on_one_screen(
            page,
            screenshots / f"fundamentals-backpropagation-{width}x{height}.png",
            {"Take the step": step, "the drawn network": network, "the example's target": knob},
        )
        before = page.get_by_test_id("stMetric").first.inner_text()
        step.click()
        wait_for_script(page)
        assert page.get_by_test_id("stMetric").first.inner_text() != before  # E fell
        assert exceptions_on(page) == []
    finally:
        context.close()
