"""Chapter 5 on one screen: at a projector's and a laptop's size, playing CartPole keeps the
cart beside its controls, and holding an arrow key pushes the cart (Components v2 pads);
training an agent, watching it, its policy maps and the seed sweep each keep their picture
beside their knobs and their Start button."""

import re

import pytest

from tests.browser.harness import (
    SCREEN_SIZES,
    assert_on_one_screen,
    exceptions_on,
    on_screen,
    open_page,
    scroll_together,
    wait_for_script,
)

SIZES = SCREEN_SIZES


def played(page) -> int:
    text = page.get_by_text(re.compile(r"You have played [\d,]+ steps? in all")).first.inner_text()
    return int(re.search(r"played ([\d,]+) step", text).group(1).replace(",", ""))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_cart_is_beside_its_pads_and_a_held_key_pushes_it(
    chromium, app_server, screenshots, size
):
    width, height = size
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(180_000)
    try:
        open_page(page, f"{app_server.url.rstrip('/')}/reinforcement-learning")
        wait_for_script(page)
        pads = page.locator(".pad")  # inside the component's open shadow root
        pads.first.scroll_into_view_if_needed()
        cart = page.locator("canvas.cart")  # drawn by the pads component
        viewport = page.viewport_size
        assert on_screen(pads.first.bounding_box(), viewport)
        assert on_screen(pads.last.bounding_box(), viewport)
        assert on_screen(cart.bounding_box(), viewport), "the cart must be on the pads' screen"
        before = played(page)
        page.keyboard.down("ArrowRight")
        page.get_by_text(
            re.compile(r"You have played ([1-9]|\d\d+) steps? in all")
        ).first.wait_for()
        page.keyboard.up("ArrowRight")
        wait_for_script(page)
        assert played(page) > before
        page.screenshot(path=screenshots / f"reinforcement-learning-play-{width}x{height}.png")
        assert exceptions_on(page) == []
    finally:
        context.close()


def row_of(locator):
    """The columns row (Streamlit's horizontal block) that holds ``locator``."""
    return locator.locator("xpath=ancestor::div[@data-testid='stHorizontalBlock'][last()]")


def new_page(chromium, app_server, size):
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.set_default_timeout(180_000)
    open_page(page, f"{app_server.url.rstrip('/')}/reinforcement-learning")
    return context, page


def train_then_pause(page, key: str) -> None:
    """Press the panel's Start, let a couple of updates draw its charts, press Pause."""
    page.locator(f".st-key-{key}_start").get_by_role("button").click()
    page.get_by_text(re.compile(r"Update ([2-9]|\d\d+) of \d+")).first.wait_for()
    page.locator(f".st-key-{key}_pause").get_by_role(
        "button"
    ).click()  # an icon button: found by its key
    page.get_by_text("Paused. Resume to go on from here.").first.wait_for()
    wait_for_script(page)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    ("key", "title", "knob"),
    [
        ("rl_train", "Episode return per update", "learning rate"),
        ("rl_seeds", "Same settings, different seeds", "updates per seed"),
    ],
    ids=["train-an-agent", "luck-and-variance"],
)
def test_the_returns_are_beside_start_and_the_knobs(
    chromium, app_server, screenshots, size, key, title, knob
):
    context, page = new_page(chromium, app_server, size)
    try:
        train_then_pause(page, key)
        start = page.locator(f".st-key-{key}_start").get_by_role("button")  # "Resume" now
        chart = page.get_by_test_id("stVegaLiteChart").filter(has_text=title)
        slider = page.get_by_test_id("stSlider").filter(has_text=knob).first
        scroll_together(page, start, chart)
        assert_on_one_screen(
            page,
            screenshots / f"reinforcement-learning-{key}-{size[0]}x{size[1]}.png",
            {"Resume (Start)": start, "the returns it draws": chart, "a knob": slider},
        )
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_replay_and_the_policy_maps_are_beside_their_picker(
    chromium, app_server, screenshots, size
):
    context, page = new_page(chromium, app_server, size)
    try:
        viewport = page.viewport_size
        # 4 · watch it balance: the picker, the seed and the frame beside the replay
        picker = page.locator(".st-key-rl_watch")
        replay = row_of(picker).get_by_test_id("stImage")
        frame = page.locator(".st-key-rl_frame")
        scroll_together(page, picker, replay.first)
        page.screenshot(path=screenshots / f"reinforcement-learning-watch-{size[0]}x{size[1]}.png")
        assert replay.count() == 2  # the whole episode, and the frame picked
        for element in [picker, frame, replay.first, replay.last]:
            assert on_screen(element.bounding_box(), viewport), element
        assert on_screen(row_of(picker).get_by_test_id("stVegaLiteChart").bounding_box(), viewport)

        # 5 · what the policy learnt: the same choice beside the two maps, and in step with 4
        maps_picker = page.locator(".st-key-rl_map_policy")
        maps = row_of(maps_picker).get_by_test_id("stVegaLiteChart")
        scroll_together(page, maps_picker, maps.first)
        page.screenshot(path=screenshots / f"reinforcement-learning-maps-{size[0]}x{size[1]}.png")
        assert maps.count() == 2
        for element in [maps_picker, maps.first, maps.last]:
            assert on_screen(element.bounding_box(), viewport), element
        maps_picker.get_by_text("untrained network").click()
        wait_for_script(page)
        assert picker.get_by_role("radio", name="untrained network").is_checked()
        page.get_by_test_id("stVegaLiteChart").filter(has_text="Now: untrained network").wait_for()
        assert exceptions_on(page) == []
    finally:
        context.close()
