"""Chapter 5 on one screen: at a projector's and a laptop's size, playing CartPole keeps the
cart beside its controls, and holding an arrow key pushes the cart (Components v2 pads)."""

import re

import pytest

from tests.browser.harness import SCREEN_SIZES, exceptions_on, on_screen, open_page, wait_for_script

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
