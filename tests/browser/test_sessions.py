"""Every student is alone: two browser sessions at once see only their own settings and model."""

import re

from tests.browser.harness import exceptions_on, open_page, wait_for_script

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
