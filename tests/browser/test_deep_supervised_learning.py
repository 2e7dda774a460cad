"""The playground in a real browser: start training, pause it, see the decision boundary."""

import re

from tests.browser.harness import exceptions_on, open_from_sidebar, open_page, wait_for_script


def test_start_pause_and_see_the_boundary(app_server, page, screenshots):
    open_from_sidebar(page, app_server.url, "Deep supervised learning", "deep-supervised-learning")
    assert exceptions_on(page) == []
    page.get_by_role("button", name="deep enough").click()
    wait_for_script(page)
    page.get_by_role("button", name="Start").click()
    # the live view moves: an epoch past the first is drawn while the run goes on
    page.get_by_text(re.compile(r"Epoch ([2-9]|\d{2,}) of 100")).wait_for()
    page.get_by_role("button", name="Pause").click()
    page.get_by_text("Paused. Resume to go on from here.").wait_for()
    wait_for_script(page)
    assert exceptions_on(page) == []
    progress = page.get_by_test_id("stProgress").inner_text()
    epochs_done = int(re.search(r"Epoch (\d+) of 100", progress).group(1))
    assert epochs_done >= 2
    # the boundary, the learning curves and the gradient norms are drawn
    page.get_by_text("Background: the class the network predicts").wait_for()
    page.get_by_text("How strongly the loss pulls").wait_for()
    charts = page.get_by_test_id("stVegaLiteChart")
    assert charts.count() >= 4  # boundary, loss, accuracy, gradients (+ neurons below)
    boundary = charts.nth(0)
    boundary.scroll_into_view_if_needed()
    box = boundary.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200
    # paused means paused: nothing trains until Resume
    wait_for_script(page)
    assert page.get_by_test_id("stProgress").inner_text() == progress
    page.screenshot(path=screenshots / "deep_supervised_learning_paused.png", full_page=True)


def test_uploading_points_as_csv(app_server, page, tmp_path, screenshots):
    open_page(page, app_server.url + "/deep-supervised-learning")  # a deep link
    page.get_by_test_id("stSelectbox").filter(has_text="Data set").click()
    page.get_by_role("option", name="your CSV").click()
    page.get_by_text("Upload a CSV file of labelled points").wait_for()
    uploader = page.get_by_test_id("stFileUploaderDropzoneInput")

    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,c\n1,2,3\n")
    uploader.set_input_files(bad)
    page.get_by_text("Missing column(s) x1, x2, label").wait_for()
    wait_for_script(page)
    assert exceptions_on(page) == []

    good = tmp_path / "good.csv"
    rows = [f"{i % 7 - 3},{(i * 5) % 11 - 5},{['red', 'green', 'blue'][i % 3]}" for i in range(90)]
    good.write_text("x1,x2,label\n" + "\n".join(rows) + "\n")
    uploader.set_input_files(good)
    page.get_by_text(re.compile(r"training points, \d+ test points, 3 classes")).wait_for()
    wait_for_script(page)
    assert exceptions_on(page) == []
    assert page.get_by_role("button", name="Start").is_enabled()
    page.screenshot(path=screenshots / "deep_supervised_learning_csv.png", full_page=True)


def test_a_shared_link_and_the_walkthrough(app_server, page, screenshots):
    # a link a student edited by hand: the good values apply, the bad ones are explained
    link = "/deep-supervised-learning?play_dataset=XOR&play_hidden_layers=3&play_samples=1e99"
    open_page(page, app_server.url + link)
    page.get_by_text("Ignored samples='1e99' from the link").wait_for()
    assert exceptions_on(page) == []
    data_set = page.get_by_test_id("stSelectbox").filter(has_text="Data set")
    assert data_set.locator("input").input_value() == "XOR"
    assert page.get_by_text("Layer 3: neurons").count() == 1
    # the lecturer's walkthrough sets the controls, step by step
    page.get_by_text("Show", exact=True).click()
    page.get_by_role("button", name="Begin").click()
    page.get_by_text("Step 1 of 8").wait_for()
    page.get_by_role("button", name="Next").click()
    page.get_by_text("Step 2 of 8: More neurons, more lines").wait_for()
    wait_for_script(page)
    assert page.get_by_text("Layer 2: neurons").count() == 0  # one hidden layer now
    assert "play_hidden_layers=1" in page.url  # and the link follows
    assert exceptions_on(page) == []
    page.screenshot(path=screenshots / "deep_supervised_learning_walkthrough.png")
