"""The playground on one screen: the decision boundary beside its knobs and Start.

At a projector's 1920×1080 and a laptop's 1366×768, the page's first screen holds the
data and network controls, the Start button and the whole decision boundary (data |
network | output, as TensorFlow Playground lays it out), and the boundary's plane is
square. Screenshots: ``artifacts/screenshots/deep_supervised_learning_<w>x<h>.png``.
"""

import pytest

from tests.browser.harness import SCREEN_SIZES, exceptions_on, on_screen, open_page

SIZES = SCREEN_SIZES


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_boundary_start_and_knobs_on_the_first_screen(
    app_server, chromium, screenshots, width, height
):
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        open_page(page, app_server.url + "/deep-supervised-learning")
        assert exceptions_on(page) == []
        page.get_by_text("Decision boundary, 0 epochs").first.wait_for()
        boundary = page.get_by_test_id("stVegaLiteChart").first
        start = page.get_by_role("button", name="Start")
        knobs = [
            page.get_by_test_id("stSelectbox").filter(has_text="Data set"),
            page.get_by_test_id("stSlider").filter(has_text="Hidden layers"),
            page.get_by_test_id("stSlider").filter(has_text="Layer 1: neurons"),
        ]
        page.screenshot(path=screenshots / f"deep_supervised_learning_{width}x{height}.png")
        for element in [boundary, start, *knobs]:
            assert on_screen(element.bounding_box(), {"width": width, "height": height}), element
        # the plane itself is square: the regions' picture spans as much x as y
        plane = boundary.locator("svg .mark-image image").first.bounding_box()
        assert plane is not None
        assert abs(plane["width"] - plane["height"]) <= 0.05 * plane["width"]
    finally:
        context.close()
