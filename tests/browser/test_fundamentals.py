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


def choose_target(page, name: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text="Target function").click()
    page.get_by_role("option", name=name).click()
    wait_for_script(page)


def test_uploaded_csv_points_become_the_target(app_server, page, tmp_path):
    open_page(page, app_server.url + "/fundamentals")
    choose_target(page, "uploaded CSV")
    page.get_by_text("Upload a CSV file of (x, y) points first.").wait_for()
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n0,1\n0.5,oops\n1,2\n2,3\n3,4\n")
    page.locator("input[type='file']").set_input_files(bad)
    page.get_by_text("row 3, column y holds 'oops'").wait_for()
    good = tmp_path / "parabola.csv"
    good.write_text("x,y\n" + "\n".join(f"{i / 10},{(i / 10) ** 2}" for i in range(-20, 21)))
    page.locator("input[type='file']").set_input_files(good)
    page.get_by_text("mean squared error").wait_for()  # the by-hand section is back
    wait_for_script(page)
    assert page.get_by_text("holds 'oops'").count() == 0
    assert exceptions_on(page) == []


def slider_value(page, label: str) -> str:
    slider = page.get_by_test_id("stSlider").filter(has=page.get_by_text(label, exact=True))
    return slider.get_by_test_id("stSliderThumbValue").inner_text()


def press_and_reach(page, button: str, step: int) -> None:
    """Press Begin or Next and wait until the walkthrough shows ``step``.

    Waiting for the script alone is a race: a click's rerun may not have begun when the
    script state is first read, so the next press would land on the stale Next button,
    whose callback goes to the step already shown, and a step would be lost.
    """
    page.get_by_role("button", name=button).click()
    page.get_by_text(re.compile(rf"^Step {step} of \d+:")).first.wait_for()
    wait_for_script(page)


def test_a_link_and_the_walkthrough_set_the_controls(app_server, page, screenshots):
    open_page(page, app_server.url + "/fundamentals?hand_hidden_units=4&fit_samples=1e99")
    page.get_by_text("Ignored samples='1e99' from the link").wait_for()
    assert slider_value(page, "Hidden units N") == "4"
    page.get_by_test_id("stCheckbox").filter(has_text="Show").click()  # the walkthrough's toggle
    wait_for_script(page)
    press_and_reach(page, "Begin", 1)
    for step in range(2, 5):
        press_and_reach(page, "Next", step)
    page.get_by_text("Step 4 of 8: Too few units").wait_for()
    assert page.get_by_role("tab", selected=True).inner_text() == "By training"
    assert slider_value(page, "Hidden units") == "2"
    # step 2 set N back to its default 6: the link drops it and keeps the fit's change
    assert "fit_hidden_units=2" in page.url and "hand_hidden_units" not in page.url
    assert exceptions_on(page) == []
    page.screenshot(path=screenshots / "fundamentals_walkthrough.png", full_page=True)
    for step in range(5, 9):  # on to the last step, in another section
        press_and_reach(page, "Next", step)
    page.get_by_text("Step 8 of 8: The backward pass, by hand").wait_for()
    assert page.get_by_role("tab", selected=True).inner_text() == "Backpropagation"
    assert exceptions_on(page) == []


def test_the_width_sweep_trains_live_from_a_click(app_server, page, screenshots):
    open_page(page, app_server.url + "/fundamentals?sweep_widths=1%2C%204&sweep_epochs=20")
    page.get_by_role("tab", name="Width sweep").click()
    wait_for_script(page)
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Pause").wait_for()  # the page stays live while it trains
    page.get_by_text("Finished: 40 epochs").wait_for()
    wait_for_script(page)
    assert page.get_by_test_id("stDataFrame").count() == 1  # one row per width
    assert page.get_by_test_id("stVegaLiteChart").count() >= 2  # the losses and the errors
    assert exceptions_on(page) == []
    page.screenshot(path=screenshots / "fundamentals_width_sweep.png", full_page=True)
