"""Chapter 3 on a projector (1920×1080) and a laptop (1366×768): the picture beside its knobs.

Each section is scrolled to the top of the window, as the walkthrough does, and its main
visual (gallery, convolution, learning curves, confusion matrix, feature maps, canvas,
photo) must be inside the window together with the knobs that change it and its Start or
Classify button, checked with bounding boxes. A screenshot of each lands in
``artifacts/screenshots/`` to look at.
"""

import re

import pytest

from tests.browser.harness import SCREEN_SIZES, exceptions_on, wait_for_script
from tests.browser.test_convolutional_networks import URL_PATH, open_chapter

SIZES = SCREEN_SIZES


def scroll_to_top_of_window(page, heading: str) -> None:
    """Put the section's heading at the top of the window (as a walkthrough step does)."""
    page.get_by_role("heading", name=heading).first.evaluate(
        "element => element.scrollIntoView({block: 'start'})"
    )


def outside_window(page, locator, what: str) -> str | None:
    """Why ``locator`` is not wholly inside the window below Streamlit's header bar, or None."""
    locator.wait_for()
    box = locator.bounding_box()
    window = page.viewport_size
    header = page.get_by_test_id("stHeader").bounding_box()
    top = header["y"] + header["height"] if header else 0
    inside = (
        box is not None
        and box["y"] >= top - 1
        and box["y"] + box["height"] <= window["height"] + 1
        and box["x"] >= 0
        and box["x"] + box["width"] <= window["width"] + 1
    )
    return None if inside else f"{what}: {box} outside {window['width']}×{window['height']}"


def sections(page):
    """``(name, heading, [(what, locator), ...])`` for every section of the chapter."""
    charts = page.get_by_test_id("stVegaLiteChart")
    images = page.get_by_test_id("stImage")
    return (
        (
            "images",
            "1 · The images",
            [
                (
                    "data set knob",
                    page.get_by_test_id("stSelectbox").filter(has_text="Data set").first,
                ),
                ("first class of the gallery", images.nth(0)),
                ("last class of the gallery", images.nth(9)),
            ],
        ),
        (
            "convolution",
            "2 · How a convolution works",
            [
                ("kernel knob", page.get_by_test_id("stSelectbox").filter(has_text="Kernel").first),
                ("pooling knob", page.get_by_test_id("stRadio").filter(has_text="Pooling").first),
                ("convolution picture", charts.nth(0).locator("svg").first),
            ],
        ),
        (
            "build-and-train",
            "3 · Build the network",
            [
                (
                    "filters knob",
                    page.get_by_test_id("stSlider").filter(has_text="Filters in").first,
                ),
                ("augmentation knob", page.get_by_text("Data augmentation").first),
                ("Train more button", page.get_by_role("button", name="Train more")),
                ("loss curve", charts.nth(1)),
                ("accuracy curve", charts.nth(2)),
            ],
        ),
        (
            "where-it-fails",
            "5 · What it learnt, and where it fails",
            [
                ("test accuracy", page.get_by_test_id("stMetric").first),
                ("confusion matrix", charts.nth(3)),
            ],
        ),
        (
            "feature-maps",
            "Feature maps of every convolution layer",
            [
                ("test image knob", page.get_by_test_id("stNumberInput").nth(1)),
                (
                    "first feature maps",
                    page.get_by_text(re.compile(r"\d+×\d+ pixels, first")).first,
                ),
            ],
        ),
        (
            "try-it",
            "6 · Try it yourself",
            [("drawing canvas", page.locator(".canvas-root canvas.upper-canvas").first)],
        ),
        (
            "imagenet",
            "7 · Is there a cat in this picture?",
            [
                ("photo choice", page.get_by_test_id("stRadio").filter(has_text="Chelsea").first),
                ("sample photo", images.last),
                ("Classify button", page.get_by_role("button", name="Classify with MobileNetV2")),
            ],
        ),
    )


@pytest.mark.parametrize("width,height", SIZES, ids=lambda v: str(v))
def test_each_picture_is_on_screen_with_its_knobs(app_server, page, screenshots, width, height):
    page.set_viewport_size({"width": width, "height": height})
    open_chapter(page, app_server.url + URL_PATH)
    page.get_by_role("button", name="Start").click()
    page.get_by_text(re.compile(r"Finished: \d+ epochs")).wait_for()
    wait_for_script(page)
    assert exceptions_on(page) == []
    problems = []
    for name, heading, parts in sections(page):
        scroll_to_top_of_window(page, heading)
        page.screenshot(path=screenshots / f"convolutional-networks-{name}-{width}x{height}.png")
        problems += [outside_window(page, locator, f"{name}: {what}") for what, locator in parts]
    assert [problem for problem in problems if problem] == []
    assert exceptions_on(page) == []
