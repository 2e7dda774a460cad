"""Chapter 3 in a real browser: train on the digits from a click, then draw a digit."""

import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.harness import exceptions_on, open_page, wait_for_script

URL_PATH = "/convolutional-networks"


def open_chapter(page, url):
    """Open the chapter; close the "Page not found" notice a cold server may show first.

    On a freshly started server the first direct link to a chapter can raise Streamlit's
    "Page not found" dialog while TensorFlow loads, although the chapter then renders
    (a router-level issue, reported); the dialog would make the page inert for clicks.
    """
    open_page(page, url)
    notice = page.get_by_text("Page not found")
    if notice.count():
        page.keyboard.press("Escape")
        notice.wait_for(state="detached")
    wait_for_script(page)


def test_train_on_digits_from_a_click(app_server, page, screenshots):
    open_chapter(page, app_server.url + URL_PATH)
    assert exceptions_on(page) == []
    page.get_by_text("pretrained digits network").first.wait_for()  # works before training
    page.get_by_role("button", name="Start").click()
    page.get_by_text(re.compile(r"Finished: \d+ epochs")).wait_for()
    wait_for_script(page)
    metric = page.get_by_test_id("stMetric").first
    assert re.search(r"Test accuracy\s+\d+\.\d%", metric.inner_text())
    charts = page.get_by_test_id("stVegaLiteChart")
    charts.first.wait_for()
    assert charts.count() >= 4  # learning curves, convolution demo, confusion matrix
    assert page.get_by_text("pretrained digits network").count() == 0  # now it is our model
    assert exceptions_on(page) == []
    page.screenshot(path=screenshots / "convolutional-networks-trained.png", full_page=True)


def test_a_drawn_digit_gets_probabilities(app_server, page, screenshots):
    open_chapter(page, app_server.url + URL_PATH)
    page.get_by_text("Try it yourself").scroll_into_view_if_needed()
    canvas = page.locator(".canvas-root canvas.upper-canvas").first
    canvas.wait_for()
    # the drawing component attaches its mouse handlers once it has mounted
    page.locator(".dc-toolbar").first.wait_for(state="attached")
    box = canvas.bounding_box()
    for _ in range(10):  # retry until the component takes the stroke
        canvas.hover()
        page.mouse.move(box["x"] + 120, box["y"] + 30)
        page.mouse.down()
        for step in range(1, 21):
            page.mouse.move(box["x"] + 120, box["y"] + 30 + step * 9, steps=2)
        page.mouse.up()
        try:
            page.get_by_text("what the network sees").wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    page.get_by_text("what the network sees").wait_for()
    wait_for_script(page)
    assert exceptions_on(page) == []
    page.screenshot(path=screenshots / "convolutional-networks-drawing.png", full_page=True)


def test_a_shared_link_and_the_walkthrough(app_server, page, screenshots):
    open_chapter(page, app_server.url + URL_PATH + "?cnn_filters=16&cnn_epochs=5")
    assert exceptions_on(page) == []
    page.get_by_role("button", name="Copy link to this experiment").click()
    link = page.get_by_test_id("stCode").filter(has_text="cnn_filters=16")
    link.wait_for()
    assert "cnn_epochs=5" in link.inner_text()
    page.keyboard.press("Escape")
    page.get_by_text("Guided walkthrough").wait_for()
    page.get_by_text("Show", exact=True).click()  # the walkthrough's toggle
    page.get_by_role("button", name="Begin").click()
    page.get_by_text("Step 1 of").wait_for()
    page.get_by_role("button", name="Next").click()
    page.get_by_text("Step 2 of").wait_for()
    wait_for_script(page)
    assert "cnn_filters=4" in page.url and "cnn_conv_blocks=1" in page.url  # the URL follows
    assert exceptions_on(page) == []
    page.screenshot(path=screenshots / "convolutional-networks-walkthrough.png", full_page=True)
