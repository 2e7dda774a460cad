"""Every student is alone: two browser sessions at once see only their own settings and model."""

import re

from course_lib import sharing
from tests.browser.harness import exceptions_on, open_page, rerun, train_the_fit, wait_for_script

PLAYGROUND = "/deep-supervised-learning"
#: The playground's "Step one epoch" button: an icon, found by its widget key (a button with help= is drawn twice, one hidden: by role, the visible one).
STEP_BUTTON = ".st-key-play_train_step"


def progress(page) -> str:
    return page.get_by_test_id("stProgress").inner_text()


def test_two_sessions_see_neither_the_others_settings_nor_model(app_server, chromium, screenshots):
    contexts = [chromium.new_context(viewport={"width": 1400, "height": 1600}) for _ in range(2)]
    alice, bob = (context.new_page() for context in contexts)
    for page in (alice, bob):
        page.set_default_timeout(120_000)
    try:
        open_page(alice, app_server.url + PLAYGROUND)
        open_page(bob, app_server.url + PLAYGROUND)
        assert "Epoch 0 of 200" in progress(bob)

        # Alice picks a preset (60 noisy points, a big net) and trains two epochs by hand
        alice.get_by_role("button", name="overfit me").click()
        wait_for_script(alice)
        alice.wait_for_url(re.compile(r"play_samples=60"))  # her settings are in her URL
        for _ in range(2):
            alice.locator(STEP_BUTTON).get_by_role("button").click()
            wait_for_script(alice)
        alice.get_by_text(re.compile(r"Epoch 2 of \d+")).first.wait_for()

        # Bob, meanwhile, still has the default data and an untrained network …
        wait_for_script(bob)
        assert "Epoch 0 of 200" in progress(bob)
        assert "play_samples" not in bob.url
        assert "280 training points" in bob.get_by_test_id("stMain").inner_text()
        assert "280 training points" not in alice.get_by_test_id("stMain").inner_text()
        bob.locator(STEP_BUTTON).get_by_role("button").click()
        wait_for_script(bob)
        assert "Epoch 1 of 200" in progress(bob)

        # … and Alice's run was not disturbed by Bob's
        alice.get_by_text(re.compile(r"Epoch 2 of \d+")).first.wait_for()
        assert exceptions_on(alice) == [] and exceptions_on(bob) == []
        alice.screenshot(path=screenshots / "session_alice.png", full_page=True)
        bob.screenshot(path=screenshots / "session_bob.png", full_page=True)
    finally:
        for context in contexts:
            context.close()


def test_a_student_with_many_tabs_keeps_the_models_of_two_and_another_student_is_untouched(
    app_server, chromium, screenshots
):
    """Tabs of one browser share its cookies: three tabs training the fit keep two models
    (``COURSE_TABS_PER_BROWSER``); the least recently used tab says its model was put away
    and trains again on Start. Another student's model, in another browser, stays."""
    student, other = (
        chromium.new_context(viewport={"width": 1400, "height": 1600}) for _ in range(2)
    )
    try:
        neighbour = other.new_page()
        neighbour.set_default_timeout(120_000)
        open_page(neighbour, app_server.url + "/fundamentals")
        train_the_fit(neighbour, epochs=40)

        tabs = [student.new_page() for _ in range(sharing.TABS_PER_BROWSER + 1)]
        for tab in tabs:
            tab.set_default_timeout(120_000)
            open_page(tab, app_server.url + "/fundamentals")
            train_the_fit(tab, epochs=40)

        first = tabs[0]
        rerun(first)  # the student comes back to the first tab
        first.get_by_text("Your trained model here was put away").wait_for()
        assert "Epoch 0 of" in first.get_by_test_id("stProgress").inner_text()
        first.screenshot(path=screenshots / "tabs_put_away.png", full_page=True)
        first.get_by_role("button", name="Start").click()
        first.get_by_text("Finished: 40 epochs").wait_for()  # and trains again

        for tab in tabs[1:]:  # the newer tabs kept theirs until then
            assert "put away" not in tab.get_by_test_id("stMain").inner_text()
        rerun(neighbour)
        assert "Finished: 40 epochs" in neighbour.get_by_test_id("stMain").inner_text()
        assert "put away" not in neighbour.get_by_test_id("stMain").inner_text()
        assert all(exceptions_on(tab) == [] for tab in [*tabs, neighbour])
    finally:
        student.close()
        other.close()
