"""Chapter 5 in a real browser: play, train from a click, stop, replay the agent's episode."""

import re

from tests.browser.harness import exceptions_on, open_page, wait_for_script


def open_chapter(page, app_server):
    open_page(page, app_server.url)
    page.get_by_test_id("stSidebarNav").get_by_text("Deep reinforcement learning").click()
    page.wait_for_url(re.compile("/reinforcement-learning$"))
    wait_for_script(page)
    page.get_by_role("heading", name="Deep reinforcement learning: balance a pole").wait_for()


def test_train_from_a_click_then_replay_an_episode(app_server, page, screenshots):
    open_chapter(page, app_server)
    assert exceptions_on(page) == []
    main = page.get_by_test_id("stMainBlockContainer")

    # play one step
    main.get_by_role("button", name="Right", exact=True).click()
    wait_for_script(page)
    page.get_by_test_id("stImage").first.wait_for()

    # train live, then stop: the best policy so far is kept
    main.get_by_role("button", name="Start", exact=True).first.click()  # section 3 (6 has one too)
    page.get_by_text(re.compile(r"Update ([3-9]|\d\d+) of 60")).first.wait_for()
    main.locator(".st-key-rl_train_stop").get_by_role("button").click()  # an icon: its key
    page.get_by_text(re.compile("Kept the best policy so far")).first.wait_for()
    wait_for_script(page)
    page.get_by_text("Episode return per update").first.wait_for()

    # replay the trained agent: an animated GIF and a frame slider with probabilities
    # (while a fragment redraws, an element can briefly exist twice: hence .first)
    page.get_by_text("your agent", exact=True).first.click()
    wait_for_script(page)
    gif = page.locator("[data-testid='stImage'] img[src*='.gif']")
    gif.first.wait_for()
    page.get_by_text(re.compile(r"^Return \d+ \(ended at")).first.wait_for()
    frame_slider = page.get_by_test_id("stSlider").filter(has_text="frame")
    frame_slider.get_by_role("slider").focus()
    frame_slider.get_by_role("slider").press("End")
    wait_for_script(page)
    last_frame = frame_slider.get_by_test_id("stSliderThumbValue").inner_text()
    assert int(last_frame) > 0
    page.get_by_text("The policy in this state").first.wait_for()
    assert exceptions_on(page) == []
    page.screenshot(path=screenshots / "reinforcement-learning-trained.png", full_page=True)


def test_a_shared_link_opens_the_experiment_and_its_log_downloads(app_server, page, screenshots):
    link = "reinforcement-learning?rl_updates=3&rl_num_envs=2&rl_hidden_units=1e99"
    open_page(page, f"{app_server.url.rstrip('/')}/{link}")
    wait_for_script(page)
    main = page.get_by_test_id("stMainBlockContainer")
    main.get_by_text(re.compile("Ignored hidden_units='1e99' from the link")).wait_for()
    updates = page.get_by_test_id("stSlider").filter(has_text="updates").first
    assert updates.get_by_test_id("stSliderThumbValue").inner_text() == "3"

    main.get_by_role("button", name="Start", exact=True).first.click()  # section 3 (6 has one too)
    page.get_by_text("Finished: 3 updates").first.wait_for(timeout=120_000)
    wait_for_script(page)
    with page.expect_download() as download:
        main.get_by_role("button", name="Training log (.csv)").click()
    log = download.value.path().read_text()
    assert log.startswith("epoch,") and len(log.strip().splitlines()) == 4  # header + 3 updates
    main.get_by_role("button", name="Copy link to this experiment").click()
    assert "rl_updates=3" in page.get_by_test_id("stCode").last.inner_text()

    # the lecturer's walkthrough sits on top of the page (its first step is the default
    # experiment: a preset is complete, so it comes after the link's run)
    page.keyboard.press("Escape")
    main.get_by_text("Show", exact=True).click()
    wait_for_script(page)
    main.get_by_role("button", name="Begin").click()
    wait_for_script(page)
    main.get_by_text("Step 1 of 6").wait_for()
    page.screenshot(path=screenshots / "reinforcement-learning-walkthrough.png")
    assert exceptions_on(page) == []
