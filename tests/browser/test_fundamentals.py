"""Chapter 1 in a real browser: bumps by hand, and a training run started by a click."""

import re

from tests.browser.harness import exceptions_on, open_page, wait_for_script


def test_bumps_by_hand_redraw_the_error(app_server, page, screenshots):
    open_page(page, app_server.url + "/fundamentals")
    error = page.get_by_test_id("stMetric").filter(has_text="mean squared error")
    blank = error.inner_text()
    page.get_by_role("button", name=re.compile(r"Place the \d+ units automatically")).click()
    page.wait_for_function(
        "([el, before]) => el.innerText !== before", arg=[error.element_handle(), blank]
    )
    wait_for_script(page)
    assert exceptions_on(page) == []
    page.screenshot(path=screenshots / "fundamentals_by_hand.png", full_page=True)


def test_training_from_a_click_draws_the_fitted_curve(app_server, page, screenshots):
    open_page(page, app_server.url + "/fundamentals")
    page.get_by_role("tab", name="By training").click()
    wait_for_script(page)
    epochs = page.get_by_role("spinbutton", name="Epochs")
    epochs.fill("60")
    epochs.press("Enter")
    wait_for_script(page)
    page.get_by_role("button", name="Start").click()
    page.get_by_text("Finished: 60 epochs").wait_for()
    wait_for_script(page)
    # the live view's title names the epoch of the curve it shows
    page.get_by_text("After 60 epochs: MSE").wait_for()
    assert page.get_by_test_id("stVegaLiteChart").count() >= 2  # loss curve and fitted curve
    assert exceptions_on(page) == []
    page.screenshot(path=screenshots / "fundamentals_trained.png", full_page=True)
