"""The recurrent-networks page in a real browser: train from a click, then generate."""

import re

from tests.browser.harness import exceptions_on, open_from_sidebar, wait_for_script


def test_train_briefly_then_generate(app_server, page, screenshots):
    open_from_sidebar(page, app_server.url, "4 · Deep recurrent networks", "recurrent-networks")
    assert exceptions_on(page) == []
    page.get_by_role("button", name="Start").click()
    # the live view below the curves: a sample after every epoch, drawn while training runs
    page.get_by_text(re.compile(r"Epoch [2-9]\d* writes:")).wait_for()
    page.get_by_role("button", name="Pause").click()
    page.get_by_text("Paused. Resume to go on from here.").wait_for()
    wait_for_script(page)
    page.screenshot(path=screenshots / "recurrent_networks_training.png", full_page=True)

    page.get_by_text("yours (section 3)").click()
    wait_for_script(page)
    page.get_by_role("button", name="Generate").click()
    wait_for_script(page)
    # the default seed "def " and 400 new characters (the epoch samples are only 120 long)
    written = page.locator(".st-key-rnn_written_box [data-testid='stCode']")
    written.filter(has_text=re.compile(r"^def [\s\S]{300,}")).wait_for()
    wait_for_script(page)
    assert exceptions_on(page) == []
    page.screenshot(path=screenshots / "recurrent_networks.png", full_page=True)
